"""Matching quality on data/eval/market_matching.yaml (judged relevance, written before tuning):
Recall@5 and NDCG@5 for both sides, the matcher against a plain baseline (same 职业 code + a place
the seeker accepts, newest first). Used by `jiuye eval-match` and bench/market.py."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from jiuye.config import data_dir
from jiuye.market import matching
from jiuye.market.occupations import MarketDataError, _read
from jiuye.market.prepare import get_places
from jiuye.market.recordio import parse_row

K = 5


def load(path: Path | None = None):
    path = path or data_dir() / "eval" / "market_matching.yaml"
    raw = _read(path)
    day = raw["as_of"] if isinstance(raw["as_of"], dt.date) else dt.date.fromisoformat(str(raw["as_of"]))
    posts, seekers, judged = [], [], {}
    for row in raw.get("postings") or []:
        rec, why = parse_row("posting", dict(row))
        if rec is None:
            raise MarketDataError(f"数据文件 {path}：条目「{row.get('id')}」：{why}")
        posts.append(rec)
    ids = {p.id for p in posts}
    for item in raw.get("seekers") or []:
        rec, why = parse_row("seeker", dict(item["record"]))
        if rec is None:
            raise MarketDataError(f"数据文件 {path}：条目「{item['record'].get('id')}」：{why}")
        rel = {str(k): int(v) for k, v in (item.get("relevant") or {}).items()}
        for k in rel:
            if k not in ids:
                raise MarketDataError(f"数据文件 {path}：条目「{rec.id}」：判断的岗位 {k} 不存在")
        seekers.append(rec)
        judged[rec.id] = rel
    return day, seekers, posts, judged


def baseline_for_seekers(seekers, posts, day) -> dict[str, list[str]]:
    places = get_places()
    out = {}
    for s in seekers:
        accept = {places.district(d) for d in s.districts}
        hits = [p for p in posts if p.occupation_code and p.occupation_code in s.desired_occupations
                and not p.outside_league and (not accept or places.district(p.district) in accept)]
        hits.sort(key=lambda p: p.published_on or dt.date.min, reverse=True)
        out[s.id] = [p.id for p in hits[:K]]
    return out


def baseline_for_postings(seekers, posts, day) -> dict[str, list[str]]:
    places = get_places()
    out = {}
    for p in posts:
        hits = [s for s in seekers if p.occupation_code and p.occupation_code in s.desired_occupations
                and not p.outside_league
                and (not s.districts or places.district(p.district) in {places.district(d) for d in s.districts})]
        hits.sort(key=lambda s: s.registered_on or dt.date.min, reverse=True)
        out[p.id] = [s.id for s in hits[:K]]
    return out


def metrics(ranked: dict[str, list[str]], relevant: dict[str, dict[str, int]]) -> dict[str, float]:
    """Mean Recall@K (grade ≥ 1) and NDCG@K (gain 2^g − 1) over the units that have a relevant item."""
    recalls, ndcgs = [], []
    for unit, rel in relevant.items():
        rel = {k: g for k, g in rel.items() if g > 0}
        if not rel:
            continue
        top = ranked.get(unit, [])[:K]
        recalls.append(sum(1 for x in top if x in rel) / min(len(rel), K))
        dcg = sum((2 ** rel.get(x, 0) - 1) / math.log2(i + 2) for i, x in enumerate(top))
        ideal = sorted(rel.values(), reverse=True)[:K]
        idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
        ndcgs.append(dcg / idcg)
    n = len(recalls)
    return {"recall": sum(recalls) / n if n else 0.0, "ndcg": sum(ndcgs) / n if n else 0.0, "units": n}


def evaluate(path: Path | None = None) -> dict:
    day, seekers, posts, judged = load(path)
    by_post: dict[str, dict[str, int]] = {p.id: {} for p in posts}
    for sid, rel in judged.items():
        for pid, g in rel.items():
            by_post[pid][sid] = g
    m = matching.build(seekers, posts, day)
    mine_s = {k: [x.posting_id for x in v] for k, v in matching.for_seekers(m, K).items()}
    mine_p = {k: [x.seeker_id for x in v] for k, v in matching.for_postings(m, K).items()}
    return {
        "as_of": day.isoformat(), "seekers": len(seekers), "postings": len(posts), "k": K,
        "judged_pairs": sum(1 for r in judged.values() for g in r.values() if g > 0),
        "for_seekers": {"matcher": metrics(mine_s, judged), "baseline": metrics(baseline_for_seekers(seekers, posts, day), judged)},
        "for_postings": {"matcher": metrics(mine_p, by_post), "baseline": metrics(baseline_for_postings(seekers, posts, day), by_post)},
    }


def print_table(r: dict, console) -> None:
    from rich.table import Table

    t = Table(title=f"人岗匹配评测（data/eval/market_matching.yaml：{r['seekers']} 位求职者 × {r['postings']} 个岗位，"
                    f"{r['judged_pairs']} 对人工判断相关，截至 {r['as_of']}）")
    for col in ("方向", "方法", f"Recall@{r['k']}", f"NDCG@{r['k']}", "评测单位数"):
        t.add_column(col)
    for side, label in (("for_seekers", "为求职者找岗位"), ("for_postings", "为岗位找人")):
        for who, name in (("baseline", "基线：同职业编码 + 同旗县市"), ("matcher", "匹配器")):
            x = r[side][who]
            t.add_row(label, name, f"{x['recall']:.3f}", f"{x['ndcg']:.3f}", str(x["units"]))
    console.print(t)
