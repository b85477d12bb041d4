"""Evaluate Ask on data/eval/ask.yaml, and calibrate its refusal thresholds on it.

Metrics: top-1 / top-3 (an answer counts when its id is one of the labelled ids), out-of-scope
refusal recall (out-of-scope questions refused) and precision (refusals that were right), the share
of in-scope questions wrongly refused, and warm-query latency percentiles.
"""
from __future__ import annotations

import datetime as dt
import itertools
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from jiuye.ask.engine import AskEngine


@dataclass
class Case:
    q: str
    expected: list[str]
    kind: str
    district: str | None = None

    @property
    def in_scope(self) -> bool:
        return bool(self.expected)


def load_cases(path: Path) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Case(q=str(c["q"]), expected=list(c.get("expected") or []), kind=str(c.get("kind", "")),
                 district=c.get("district")) for c in raw]


def evaluate(engine: AskEngine, cases: list[Case], as_of: dt.date) -> dict:
    for q in ("失业金能领几个月", "创业贷款", "个税", "公益岗能干几年"):  # warm-up, not from the set
        engine.ask(q, as_of=as_of)
    if engine.dense is not None:
        engine.dense._cache.clear()  # latencies below are for questions never seen before
    lat, top1, top3, refused_in, oos_total, oos_refused, refused_total = [], 0, 0, 0, 0, 0, 0
    misses = []
    for c in cases:
        t0 = time.perf_counter()
        res = engine.ask(c.q, top=3, district=c.district, as_of=as_of)
        lat.append((time.perf_counter() - t0) * 1000)
        ids = [a["id"] for a in res["answers"]]
        refused = not res["found"]
        refused_total += refused
        if c.in_scope:
            if refused:
                refused_in += 1
                misses.append((c, "refused", []))
            else:
                top1 += ids[:1] and ids[0] in c.expected
                hit3 = any(i in c.expected for i in ids[:3])
                top3 += hit3
                if not (ids and ids[0] in c.expected):
                    misses.append((c, "wrong", ids))
        else:
            oos_total += 1
            oos_refused += refused
            if not refused:
                misses.append((c, "answered", ids))
    n_in = sum(c.in_scope for c in cases)
    return {
        "questions": len(cases), "in_scope": n_in, "out_of_scope": oos_total,
        "top1": top1 / n_in if n_in else 0.0, "top3": top3 / n_in if n_in else 0.0,
        "oos_recall": oos_refused / oos_total if oos_total else 0.0,
        "oos_precision": oos_refused / refused_total if refused_total else 1.0,
        "in_scope_refused": refused_in / n_in if n_in else 0.0,
        "p50_ms": float(np.percentile(lat, 50)), "p95_ms": float(np.percentile(lat, 95)),
        "p99_ms": float(np.percentile(lat, 99)), "misses": misses,
    }


def calibrate(engine: AskEngine, cases: list[Case], max_in_scope_refused: float = 0.02) -> dict:
    """Pick (min_score, min_coverage, min_dense): the thresholds that refuse the most out-of-scope
    questions while wrongly refusing at most `max_in_scope_refused` of the in-scope ones (ties: the
    lowest thresholds)."""
    feats = []
    for c in cases:
        prep, ranked = engine.rank(c.q, top=1)
        topic = engine.out_of_scope_topic(prep.text) if prep.text else None
        if not ranked or topic or not prep.has_cjk:
            feats.append((c, -1.0, -1.0, -1.0, topic is not None or not prep.has_cjk))
            continue
        idx = engine.entries.index(ranked[0].entry)
        feats.append((c, ranked[0].score, engine.coverage(prep.expanded, idx), engine._last_dense, False))
    n_in = sum(c.in_scope for c in cases) or 1
    n_out = sum(not c.in_scope for c in cases) or 1
    best = None
    dense_grid = np.arange(0.80, 0.951, 0.005) if engine.dense is not None else [0.0]
    for ms, mc, md in itertools.product(np.arange(0, 20.01, 0.5), np.arange(0, 0.801, 0.05), dense_grid):
        refuse = [t or s < ms or cov < mc or d < md for c, s, cov, d, t in feats]
        wrong_in = sum(r for (c, *_), r in zip(feats, refuse) if c.in_scope)
        right_out = sum(r for (c, *_), r in zip(feats, refuse) if not c.in_scope)
        if wrong_in / n_in > max_in_scope_refused:
            continue
        key = (right_out, -wrong_in, -ms - 10 * mc - 10 * md)
        if best is None or key > best[0]:
            best = (key, float(ms), float(mc), float(md), right_out / n_out, wrong_in / n_in)
    assert best is not None
    return {"min_score": best[1], "min_coverage": round(best[2], 2), "min_dense": round(best[3], 3),
            "oos_recall": best[4], "in_scope_refused": best[5]}


def split(cases: list[Case]) -> tuple[list[Case], list[Case]]:
    """Every fifth question is held out: tuning never sees it, so its figures show how the
    choices carry over to questions nobody tuned for."""
    dev = [c for i, c in enumerate(cases) if i % 5 != 4]
    held = [c for i, c in enumerate(cases) if i % 5 == 4]
    return dev, held


def tune_weights(engine: AskEngine, cases: list[Case]) -> dict:
    """Grid-search the BM25 field weights, the dense weight and the aspect bonus for top-1 (then
    top-3) on in-scope questions. Returns {"weights": …, "dense_weight": …, "aspect_weight": …}."""
    from jiuye.ask.engine import FIELDS

    rows = []
    for c in cases:
        if not c.in_scope:
            continue
        prep = engine.tp.prepare(c.q)
        qt = engine._query_tokens(prep.expanded)
        F = {f: (engine.indices[f].get_scores(qt[f]) if qt[f] else np.zeros(len(engine.entries))) for f in FIELDS}
        dz = np.zeros(len(engine.entries))
        if engine.dense is not None:
            d = engine.dense.similarities(prep.text)
            dz = (d - d.mean()) / (d.std() + 1e-9)
        gold = {engine.entries.index(engine.kb.entries_by_id[i]) for i in c.expected}
        rows.append((F, dz, engine.aspect_bonus(prep.text), gold))

    def score(w, lam, asp):
        t1 = t3 = 0
        for F, dz, ab, gold in rows:
            s = sum(w[f] * F[f] for f in FIELDS)
            tot = (s - s.mean()) / (s.std() + 1e-9) + lam * dz + asp * ab
            o = np.argsort(-tot)[:3]
            t1 += o[0] in gold
            t3 += any(j in gold for j in o)
        return t1, t3

    grid = {"q": [1, 2, 3], "a": [0.5, 1, 2], "s": [0.5, 1, 2], "c": [0.3, 0.6, 1], "p": [0.4, 0.8],
            "x": [0, 1, 2, 3] if engine.paraphrases else [0]}
    lams = [1.5, 2, 2.5] if engine.dense is not None else [0.0]
    best = None
    for combo in itertools.product(*grid.values()):
        w = dict(zip(grid, combo))
        for lam in lams:
            for asp in [0.5, 1, 1.5, 2]:
                key = score(w, lam, asp)
                if best is None or key > best[0]:
                    best = (key, w, lam, asp)
    _, w, lam, asp = best
    return {"weights": {k: float(v) for k, v in w.items()}, "dense_weight": float(lam), "aspect_weight": float(asp)}
