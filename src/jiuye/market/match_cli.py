"""`jiuye match` (batch matching of whole files) and `jiuye eval-match` (matching quality against the
judged evaluation set). The same code path as the pages: jiuye.market.matching over the records."""
from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Optional

import pyarrow as pa
import typer


SEEKER_COLUMNS = ["求职登记编号", "名次", "岗位编号", "岗位名称", "用人单位", "工作地点", "工资", "匹配度", "理由"]
POSTING_COLUMNS = ["岗位编号", "名次", "求职登记编号", "想做的工作", "愿意工作的旗县市", "期望工资", "匹配度", "理由"]
REJECT_COLUMNS = ["文件", "行号", "文件行", "原因", "原始内容"]


class MatchError(Exception):
    """A problem the user can fix (Chinese message)."""


def _suffix_path(out: Path, tag: str) -> Path:
    return out.with_name(f"{out.stem}.{tag}{out.suffix}")


def write_columns(path: Path, columns: dict[str, list], encoding: str = "utf-8-sig") -> Path:
    """Columns → CSV/XLSX/Parquet (jiuye.batch's writer: temporary file, no formula cells) or JSONL."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        tmp = path.with_name(f".{path.name}.part")
        names = list(columns)
        with open(tmp, "w", encoding="utf-8") as fh:
            for values in zip(*columns.values()):
                fh.write(json.dumps(dict(zip(names, values)), ensure_ascii=False) + "\n")
        tmp.replace(path)
        return path
    from jiuye.batch.writers import write_table

    def text(vals: list) -> pa.Array:
        try:
            return pa.array(vals, pa.string())  # already text: no per-cell conversion
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return pa.array([None if v is None else str(v) for v in vals], pa.string())

    table = pa.table({c: text(vals) for c, vals in columns.items()})
    return write_table(path, table, encoding)


def write_rows(path: Path, columns: list[str], rows: list[list], encoding: str = "utf-8-sig") -> Path:
    cols = list(zip(*rows)) if rows else [[] for _ in columns]
    return write_columns(path, {c: list(v) for c, v in zip(columns, cols)}, encoding)


def _seeker_columns(m, top: int) -> dict[str, list]:
    """Every seeker's best posts as output columns, reasons built in bulk (jiuye.market.reason_columns)."""
    import numpy as np

    from jiuye.market import matching
    from jiuye.market.reason_columns import seeker_reason_texts
    from jiuye.market.reasons import wage_text

    best = matching._run(m, top, True)
    ok = (best.idx >= 0) & (best.val > matching.NEG)
    n, k = best.idx.shape
    I = np.repeat(np.arange(n), k).reshape(n, k)[ok]
    J = best.idx[ok]
    rank = np.cumsum(ok, axis=1)[ok]
    posts = m.posts.records
    uj, inv = np.unique(J, return_inverse=True)

    def per_post(fn) -> list:
        return np.array([fn(posts[int(j)]) for j in uj] + [""], dtype=object)[:-1][inv].tolist()

    return {
        "求职登记编号": np.array([r.id for r in m.seekers.records], dtype=object)[I].tolist(),
        "名次": rank.astype(str).tolist(),
        "岗位编号": per_post(lambda p: p.id),
        "岗位名称": per_post(lambda p: p.title),
        "用人单位": per_post(lambda p: p.employer_name),
        "工作地点": per_post(lambda p: "盟外：" + (p.address or "") if p.outside_league
                         else m.places_name(p.district) + (p.town or "")),
        "工资": per_post(lambda p: wage_text(p) or "面议"),
        "匹配度": [f"{v:.3f}" for v in best.val[ok].tolist()],
        "理由": seeker_reason_texts(m, I, J).tolist(),
    }


def _posting_columns(m, results) -> dict[str, list]:
    by_id = {s.id: s for s in m.seekers.records}
    unit = {"month": "月", "day": "日", "hour": "小时", "piece": "件"}
    cols: dict[str, list] = {c: [] for c in POSTING_COLUMNS}
    for pid, matches in results.items():
        for x in matches:
            s = by_id[x.seeker_id]
            for c, v in zip(POSTING_COLUMNS, [pid, x.rank, s.id, "、".join(s.desired_titles), "、".join(s.districts) or "不限",
                                               f"{s.expected_wage:,.0f} 元/{unit[s.expected_wage_unit]}"
                                               if s.expected_wage is not None else "",
                                               f"{x.score:.3f}", "，".join(x.reasons)]):
                cols[c].append(v)
    return cols


def _match_chunk(seekers, postings, day, top, side) -> dict[str, list]:
    """One task (local or on a Dask worker): match and turn into output columns."""
    from jiuye.market import matching

    m = matching.build(seekers, postings, day)
    if side == "seekers":
        return _seeker_columns(m, top)
    return _posting_columns(m, matching.for_postings(m, top))


def run_match(seekers_path: Path, postings_path: Path, out: Path, top: int, side: str, day: dt.date,
              engine: str = "local", scheduler: str | None = None, workers: int | None = None,
              consent_only: bool = False, chunk: int | None = None, dask_processes: bool = True) -> dict:
    from jiuye.batch.readers import BatchInputError, format_of
    from jiuye.market.recordio import read_records

    if side not in ("seekers", "postings"):
        raise MatchError(f"--for 应为 seekers（为求职者找岗位）或 postings（为岗位找人），而不是「{side}」")
    if engine not in ("local", "dask"):
        raise MatchError(f"--engine 应为 local 或 dask，而不是「{engine}」")
    if not 1 <= top <= 100:
        raise MatchError("--top 应在 1 到 100 之间")
    if out.suffix.lower() not in (".jsonl", ".ndjson"):
        try:
            format_of(out)
        except BatchInputError as exc:
            raise MatchError(f"--out：{exc}（也可用 .jsonl）") from None
    t0 = time.perf_counter()
    try:
        seekers, s_rej, s_notes = read_records("seeker", seekers_path)
        postings, p_rej, p_notes = read_records("posting", postings_path)
    except BatchInputError as exc:
        raise MatchError(str(exc)) from None
    read_s = time.perf_counter() - t0
    if consent_only:
        seekers = [s for s in seekers if s.consent_to_employers]
    units = seekers if side == "seekers" else postings
    # local: one market (the posts prepared once); dask: tasks of 20,000 by default
    chunk = chunk or (max(len(units), 1) if engine == "local" else 20_000)
    parts = [units[i:i + chunk] for i in range(0, len(units), chunk)] or [[]]
    columns = SEEKER_COLUMNS if side == "seekers" else POSTING_COLUMNS
    if engine == "local":
        chunks = []
        for part in parts:
            s, p = (part, postings) if side == "seekers" else (seekers, part)
            chunks.append(_match_chunk(s, p, day, top, side))
    else:
        chunks = _dask(parts, seekers, postings, day, top, side, scheduler, workers, dask_processes)
    result = {c: [v for ch in chunks for v in ch[c]] for c in columns}
    match_s = time.perf_counter() - t0 - read_s
    write_columns(out, result)
    rejected = [[str(seekers_path.name), r.row, r.line, r.reason, r.raw] for r in s_rej] + \
               [[str(postings_path.name), r.row, r.line, r.reason, r.raw] for r in p_rej]
    rej_path = _suffix_path(out, "rejected")
    write_rows(rej_path, REJECT_COLUMNS, rejected)
    return {"seekers": len(seekers), "seekers_rejected": len(s_rej), "postings": len(postings),
            "postings_rejected": len(p_rej), "rows": len(result[columns[0]]), "for": side, "top": top, "as_of": day.isoformat(),
            "engine": engine, "notes": s_notes + p_notes, "read_seconds": round(read_s, 2),
            "match_seconds": round(match_s, 2), "seconds": round(time.perf_counter() - t0, 2),
            "out": str(out), "rejected_file": str(rej_path)}


def _dask(parts, seekers, postings, day, top, side, scheduler, workers, processes) -> list[dict]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a dependency
        raise MatchError(f"--engine dask 需要 dask[distributed]：{exc}") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="20s")
        else:
            cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=processes,
                                   dashboard_address=None, silence_logs=40)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise MatchError(f"连不上 Dask 调度器「{scheduler}」：{exc}") from None
    try:
        other = client.scatter(postings if side == "seekers" else seekers, broadcast=True)
        futures = [client.submit(_match_chunk, part, other, day, top, side, pure=False) if side == "seekers"
                   else client.submit(_match_chunk, other, part, day, top, side, pure=False) for part in parts]
        return [f.result() for f in futures]  # in input order: the same file as the local engine
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def register(app: typer.Typer) -> None:
    from jiuye.cli_support import _as_of, _print_json, err, out

    @app.command("match")
    def match_cmd(
        seekers: str = typer.Option(..., "--seekers", help="求职登记文件（.csv / .xlsx / .parquet / .jsonl；字段见 jiuye schema seeker）"),
        postings: str = typer.Option(..., "--postings", help="岗位文件（同上；字段见 jiuye schema posting）"),
        output: str = typer.Option(..., "--out", help="结果文件（.csv / .xlsx / .parquet / .jsonl）；拒收的行写入 <名>.rejected.<扩展名>"),
        top: int = typer.Option(10, "--top", help="每人（或每个岗位）给出几条"),
        for_: str = typer.Option("seekers", "--for", help="seekers（为每位求职者找岗位）或 postings（为每个岗位找人）"),
        engine: str = typer.Option("local", "--engine", help="local（本机）或 dask（dask.distributed 集群）"),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask 调度器地址；不填则在本机启动"),
        workers: Optional[int] = typer.Option(None, "--workers", help="本机 Dask 工作进程数（默认 2）"),
        consent_only: bool = typer.Option(False, "--consent-only", help="只用同意用人单位查看的求职者（给用人单位看的名单）"),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="按哪一天判断有效期和年龄（默认今天）"),
        as_json: bool = typer.Option(False, "--json", help="结束时输出汇总（JSON）"),
    ) -> None:
        """批量人岗匹配：为每位求职者找最合适的岗位（或为每个岗位找人），附中文理由；读不了的行写入拒收文件并说明原因。"""
        day = _as_of(as_of)
        try:
            s = run_match(Path(seekers), Path(postings), Path(output), top, for_, day, engine, scheduler, workers,
                          consent_only)
        except MatchError as exc:
            err.print(f"[red]{exc}[/red]", soft_wrap=True)
            raise typer.Exit(2)
        for n in s["notes"]:
            err.print(f"[yellow]{n}[/yellow]", soft_wrap=True)
        if as_json:
            _print_json(s)
        else:
            out.print(f"求职登记 {s['seekers']:,} 份（拒收 {s['seekers_rejected']:,} 行），岗位 {s['postings']:,} 个"
                      f"（拒收 {s['postings_rejected']:,} 行）；写出 {s['rows']:,} 条匹配，用时 {s['seconds']:.1f} 秒"
                      f"（读取 {s['read_seconds']:.1f} 秒）\n结果：{s['out']}\n拒收的行及原因：{s['rejected_file']}")
        if not s["seekers"] or not s["postings"]:
            raise typer.Exit(1)

    @app.command("eval-match")
    def eval_match_cmd(
        as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    ) -> None:
        """人岗匹配质量：在评测集（data/eval/market_matching.yaml，人工判断的相关度）上报告 Recall@5 和 NDCG@5，与基线对比。"""
        from jiuye.market.evaluate import evaluate, print_table

        r = evaluate()
        if as_json:
            _print_json(r)
        else:
            print_table(r, out)
