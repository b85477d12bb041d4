"""A learnt re-ranker over Ask's first candidates (issue 19: which of the right policy's entries).

The fused ranking (engine.fused) adds a few signals with weights chosen by grid search. Many of the
misses it leaves are the right policy's other aspect (「申领条件」 first where a story asked 「每月领多少」),
with the right entry second or third. This module looks again at the first `k` candidates with more of
what is known about each — the signals of the whole question, of a story's asking clause and of its
situation alone, the aspect asked and the entry's own aspect, the policy the situation points to, the
candidate's rank — and orders them by a logistic regression learnt on labelled questions (the evaluation
sets, by `jiuye eval-ask --fit-rerank`; under `--cv` it is learnt on the other folds only). Features are
generic (no entry or policy ids), so what it learns is how to weigh the signals, not the answers.

The model lives in data/ask/rerank.yaml (feature names, scaling, coefficients, what it was learnt on),
validated on load. Answering only needs numpy; scikit-learn is imported when learning.
It only reorders: whether Ask answers at all is decided on the fused ranking, as before.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from jiuye.config import today
from jiuye.knowledge.loader import DataError, parse_yaml

FEATURES = (
    "gap",  # fused z-score minus the first candidate's
    "fused",  # fused z-score
    "lexical",  # BM25 fields + best paraphrase (z), whole question
    "classifier",  # entry classifier (z), whole question
    "fields",  # BM25 over the fields alone (z)
    "aspect_whole",  # the entry answers an aspect the whole question asks
    "aspect_asked",  # … the aspect the asking clause asks (a story), else the whole question's
    "story",  # the question tells a situation before it asks
    "clause_lexical",  # a story's asking clause alone (z)
    "clause_classifier",
    "situation_lexical",  # a story's situation alone (z)
    "situation_classifier",
    "situation_policy",  # the best score of the entry's policy on the situation alone (z)
    "policy_prior",  # the best fused score of the entry's policy (z)
    "entry_has_aspect",  # the entry's heading names an aspect (材料, 标准 …)
    "entry_section",  # a section of the documents, not a Q&A item
    "entry_000",  # from document 000 (the 2021 policy list), not 003
    "entry_multi_policy",  # the entry covers several policies (a summary)
    "same_policy_as_first",
    "aspect_mismatch",  # an aspect is asked, the entry names one, and not that one
    "inverse_rank",
    "is_first",
)


def _z(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / (x.std() + 1e-9)


def candidate_features(engine, prep, total: np.ndarray, detail: dict, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The first `k` entries of the fused ranking and one row of FEATURES for each."""
    n = len(engine.entries)
    order = np.argsort(-total)[:k]
    zt = _z(total)
    need = detail.get("need")
    cols: dict[str, np.ndarray] = {
        "gap": zt - zt[order[0]], "fused": zt, "lexical": _z(detail["lexical"]), "classifier": _z(detail["m"]),
        "fields": _z(detail["s"]), "aspect_whole": engine.aspect_bonus(prep.text),
    }
    zero = np.zeros(n)
    if need is not None:
        cols["aspect_asked"] = engine.aspect_bonus(need.text)
        lex_n, m_n = detail.get("lex_n"), detail.get("m_need")
        if lex_n is None or m_n is None:
            _, lex_n, _, m_n = engine.components(need)
        situation = prep.text.replace(need.text, " ").strip()
        sit = engine.tp.prepare(situation) if situation else None
        if sit is not None and sit.text:
            _, lex_s, _, m_s = engine.components(sit)
            zl, zm = _z(lex_s), _z(m_s)
        else:
            zl = zm = zero
        cols |= {"story": np.ones(n), "clause_lexical": _z(lex_n), "clause_classifier": _z(m_n),
                 "situation_lexical": zl, "situation_classifier": zm,
                 "situation_policy": _z(engine.policy_prior(zl + zm))}
    else:
        cols["aspect_asked"] = cols["aspect_whole"]
        cols |= {name: zero for name in ("story", "clause_lexical", "clause_classifier", "situation_lexical",
                                         "situation_classifier", "situation_policy")}
    static = engine.rerank_static
    members = engine._policy_members.astype(np.float64)
    asked_any = float(engine.query_aspects(need.text if need is not None else prep.text).any())
    cols |= {"policy_prior": _z(engine.policy_prior(total)), **static,
             "same_policy_as_first": (members @ members[order[0]] > 0).astype(np.float64),
             "aspect_mismatch": asked_any * static["entry_has_aspect"] * (1.0 - cols["aspect_asked"])}
    rank = np.arange(len(order), dtype=np.float64)
    X = np.stack([cols[f][order] if f not in ("inverse_rank", "is_first") else zero[:len(order)]
                  for f in FEATURES], axis=1)
    X[:, FEATURES.index("inverse_rank")] = 1.0 / (rank + 1.0)
    X[:, FEATURES.index("is_first")] = (rank == 0)
    return order, X


def static_features(entries, entry_aspects: np.ndarray) -> dict[str, np.ndarray]:
    """What the re-ranker knows of an entry whatever the question."""
    return {
        "entry_has_aspect": (entry_aspects.sum(axis=1) > 0).astype(np.float64),
        "entry_section": np.array([e.kind == "section" for e in entries], dtype=np.float64),
        "entry_000": np.array([e.document.startswith("000") for e in entries], dtype=np.float64),
        "entry_multi_policy": np.array([len(e.policies) > 1 for e in entries], dtype=np.float64),
    }


@dataclass
class Reranker:
    k: int
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    trained_on: dict[str, Any]

    def order(self, order: np.ndarray, X: np.ndarray) -> np.ndarray:
        """The candidates best first by the model (a stable sort: ties keep the fused order)."""
        s = ((X - self.mean) / self.scale) @ self.coef
        return order[np.argsort(-s, kind="stable")]

    @classmethod
    def load(cls, path: Path) -> "Reranker | None":
        if not path.exists():
            return None
        raw = parse_yaml(path.read_text(encoding="utf-8")) or {}
        where = f"{path.name}"
        feats = raw.get("features")
        if not isinstance(feats, dict) or list(feats) != list(FEATURES):
            raise DataError(f"{where}：features 必须按顺序列出 {len(FEATURES)} 个特征（{'、'.join(FEATURES)}），"
                            "请用 `jiuye eval-ask --fit-rerank` 重新生成")
        try:
            rows = [(float(v["mean"]), float(v["scale"]), float(v["coef"])) for v in feats.values()]
            k = int(raw["k"])
            intercept = float(raw.get("intercept", 0.0))
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"{where}：每个特征要有数字 mean、scale、coef，且要有整数 k（{exc}）") from None
        m = np.array(rows)
        if k < 2 or not np.isfinite(m).all() or (m[:, 1] <= 0).any():
            raise DataError(f"{where}：k 至少为 2，mean、coef 为有限数，scale 为正数")
        return cls(k=k, mean=m[:, 0], scale=m[:, 1], coef=m[:, 2], intercept=intercept,
                   trained_on=dict(raw.get("trained_on") or {}))

    def dump(self, path: Path) -> None:
        import yaml

        doc = {"k": self.k, "intercept": round(float(self.intercept), 6), "trained_on": self.trained_on,
               "features": {f: {"mean": round(float(a), 6), "scale": round(float(b), 6), "coef": round(float(c), 6)}
                            for f, a, b, c in zip(FEATURES, self.mean, self.scale, self.coef)}}
        path.write_text(
            "# Learnt by `jiuye eval-ask --fit-rerank` (src/jiuye/ask/rerank.py): a logistic regression over Ask's\n"
            "# first k candidates, on the labelled questions of the sets named below. Features are scaled by\n"
            "# (x - mean) / scale; a candidate's score is the sum of coef × scaled feature.\n"
            + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def training_rows(engine, cases) -> tuple[np.ndarray, np.ndarray]:
    """One row per candidate of every in-scope question whose answer is among its first k, labelled 1 for
    the entries that answer it."""
    X, y = [], []
    index = {e.id: i for i, e in enumerate(engine.entries)}
    for c in cases:
        if not c.expected:
            continue
        prep = engine.tp.prepare(c.q)
        if not prep.text:
            continue
        detail: dict = {}
        total = engine.fused(prep, detail)[0]
        order, F = candidate_features(engine, prep, total, detail, RERANK_K)
        gold = {index[i] for i in c.expected if i in index}
        lab = np.array([j in gold for j in order], dtype=np.float64)
        if lab.any():
            X.append(F)
            y.append(lab)
    if not X:
        return np.zeros((0, len(FEATURES))), np.zeros(0)
    return np.vstack(X), np.concatenate(y)


RERANK_K = 10  # how many of the fused ranking's first entries are looked at again
RERANK_C = 0.1  # the regression's inverse regularisation (strong: few questions per fold)


def fit_reranker(engine, cases, sources: dict[str, Any] | None = None) -> Reranker | None:
    """A re-ranker learnt on `cases` with the engine's current fusion; None when they hold nothing to learn
    from (no question with its answer among the first k, or only right answers first)."""
    from sklearn.linear_model import LogisticRegression

    X, y = training_rows(engine, cases)
    if len(set(y.tolist())) < 2:
        return None
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    lr = LogisticRegression(C=RERANK_C, max_iter=2000).fit((X - mean) / scale, y)
    return Reranker(k=RERANK_K, mean=mean, scale=scale, coef=lr.coef_[0], intercept=float(lr.intercept_[0]),
                    trained_on={"questions": int(sum(1 for c in cases if c.expected)), "candidates": int(len(y)),
                                **(sources or {}), "date": today().isoformat()})
