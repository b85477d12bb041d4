"""The summary of a roster run (``OUTPUT.summary.json``): counts and totals per policy and per district, the
rejections by reason, and for a what-if run (``--set``) the baseline and the difference; and its chart (people per
policy, total per district). Totals are kept in fen and shown in 元; a row without an amount adds nothing to a total
and is counted apart."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

def _yuan(fen: int) -> float:
    return round(fen / 100, 2)


def build_summary(opts, reader, resolution, plan, totals, stats, timings, seconds, chunks, messages, paths, sets) -> dict:
    names = {p.id: p.name for p in plan.policies}
    units = {p.id: p.unit for p in plan.policies}

    def policies_block(block: dict) -> dict:
        out = {}
        for p in plan.policies:
            s = block.get(p.id, {"eligible": 0, "needs_information": 0, "amount_known": 0, "total_fen": 0,
                                 "amount_pending": 0, "pending_because": {}})
            out[p.id] = {"name": names[p.id], "unit": units[p.id], **s, "total": _yuan(s.get("total_fen", 0))}
        return out

    def districts_block(block: dict) -> dict:
        out = {}
        for d, v in sorted(block.items()):
            pol = v.get("policies", {})
            out[d] = {"accepted_rows": v.get("accepted_rows", 0),
                      "eligible": sum(x["eligible"] for x in pol.values()),
                      "needs_information": sum(x["needs_information"] for x in pol.values()),
                      "total_fen": sum(x["total_fen"] for x in pol.values()),
                      "amount_pending": sum(x.get("amount_pending", 0) for x in pol.values()),
                      "policies": {pid: {**x, "total": _yuan(x["total_fen"])} for pid, x in pol.items()}}
            out[d]["total"] = _yuan(out[d]["total_fen"])
        return out

    rows_per_s = totals["input_rows"] / seconds if seconds > 0 else None
    summary = {
        "input": str(opts.input), "format": reader.format, "encoding": reader.encoding, "subject": opts.subject,
        "as_of": opts.as_of.isoformat(), "engine": opts.engine, "chunk_size": opts.chunk_size, "chunks": chunks,
        **totals,
        "seconds": round(seconds, 3), "rows_per_second": round(rows_per_s) if rows_per_s else None,
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "outputs": {"results": paths.output.name, "rejected": paths.rejected.name},
        "columns": dict(resolution.fields), "group_columns": resolution.groups,
        "ignored_columns": resolution.unmapped + resolution.ignored,
        "rejection_reasons": dict(sorted(stats.get("reasons", {}).items(), key=lambda kv: -kv[1])),
        "duplicate_rows": stats.get("reasons", {}).get("duplicate_key", 0),
        "warnings": messages + [f"{k}（{v} 行）" for k, v in stats.get("warnings", {}).items()],
        "policies": policies_block(stats.get("policies", {})),
        "districts": districts_block(stats.get("districts", {})),
        "what_if": None,
        "notes": ["合计金额为预算口径：有「合计」的取规则中的合计；按月发放的为每月金额 × 月数；其余为一次性金额。"
                  "贷款类（单位为贷款额度）是额度，不是支出。金额只在「符合」且能完全算出时给出；符合但金额还算不出的不计入合计，另行列出件数和缺少的情况。"],
    }
    if sets:
        base = stats.get("baseline", {})
        bp = policies_block(base.get("policies", {}))
        bd = districts_block(base.get("districts", {}))
        diff_p = {pid: {"name": names[pid], "eligible": summary["policies"][pid]["eligible"] - bp[pid]["eligible"],
                        "total_fen": summary["policies"][pid]["total_fen"] - bp[pid]["total_fen"]} for pid in bp}
        for v in diff_p.values():
            v["total"] = _yuan(v["total_fen"])
        diff_d = {}
        for d in sorted(set(bd) | set(summary["districts"])):
            a, b = summary["districts"].get(d, {}), bd.get(d, {})
            pol = {}
            for pid in set(a.get("policies", {})) | set(b.get("policies", {})):
                ta = a.get("policies", {}).get(pid, {}).get("total_fen", 0)
                tb = b.get("policies", {}).get(pid, {}).get("total_fen", 0)
                if ta != tb:
                    pol[pid] = {"total_fen": ta - tb, "total": _yuan(ta - tb)}
            diff_d[d] = {"total_fen": a.get("total_fen", 0) - b.get("total_fen", 0),
                         "total": _yuan(a.get("total_fen", 0) - b.get("total_fen", 0)), "policies": pol}
        summary["what_if"] = {
            "set": {p: v for p, v in sets}, "from": opts.as_of.replace(day=1).isoformat(),
            "note": "结果文件和上面的 policies、districts 是改变参数后的结果；baseline 是现行参数的结果；difference = 改后 − 现行",
            "baseline": {"policies": bp, "districts": bd},
            "difference": {"policies": diff_p, "districts": diff_d,
                           "total_fen": sum(v["total_fen"] for v in diff_p.values())},
        }
        summary["what_if"]["difference"]["total"] = _yuan(summary["what_if"]["difference"]["total_fen"])
    return summary


def draw_chart(summary: dict, path: Path, plan) -> str | None:
    """Bar charts: people eligible per policy, and the total per district. None, or why there is none."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib import font_manager
    except ImportError:
        return "没有安装 matplotlib：未生成图表"
    cjk = [f.name for f in font_manager.fontManager.ttflist if any(k in f.name for k in ("CJK", "Hei", "Song", "WenQuanYi", "Noto Sans SC"))]
    if cjk:
        plt.rcParams["font.sans-serif"] = [cjk[0]] + plt.rcParams["font.sans-serif"]
        plt.rcParams["axes.unicode_minus"] = False
    pol = summary["policies"]
    labels = [(v["name"] if cjk else pid) for pid, v in pol.items()]
    fig, axes = plt.subplots(1, 2, figsize=(14, max(4, 0.35 * len(labels) + 1.5)))
    y = np.arange(len(labels))
    axes[0].barh(y, [v["eligible"] for v in pol.values()], label="符合" if cjk else "eligible", color="#2a7")
    axes[0].barh(y, [v["needs_information"] for v in pol.values()], left=[v["eligible"] for v in pol.values()],
                 label="还需要信息" if cjk else "needs information", color="#ec5")
    axes[0].set_yticks(y, labels, fontsize=8)
    axes[0].invert_yaxis()
    axes[0].legend(fontsize=8)
    axes[0].set_title("各项政策人数" if cjk else "rows per policy")
    d = summary["districts"]
    axes[1].bar(list(d) if cjk else [f"d{i}" for i in range(len(d))], [v["total"] / 10000 for v in d.values()], color="#37a")
    axes[1].set_title("各旗县市金额合计（万元）" if cjk else "total per district (10k yuan)")
    axes[1].tick_params(axis="x", labelrotation=30, labelsize=8)
    fig.suptitle(f"{'筛查' if cjk else 'batch'} {summary['as_of']}: {summary['accepted_rows']:,} / {summary['input_rows']:,}")
    fig.tight_layout()
    tmp = path.with_name(f".{path.name}.part-{os.getpid()}.png")
    fig.savefig(tmp, dpi=90)
    plt.close(fig)
    os.replace(tmp, path)
    return None
