"""BM25 scoring over a prepared index, without bm25s at answer time (cold start, issue 19).

bm25s builds the index (its "lucene" variant: every token's score per document, precomputed in a
compressed sparse column layout); scoring a question only sums the columns of its tokens — a few lines
of numpy, the same sums as `bm25s.BM25.get_scores`. Importing bm25s (and scipy.sparse with it) cost
about 0.4 s of every start, building the seven indices another 0.4 s; the arrays are kept in
data/ask/index.npz instead, keyed by the hash of everything they are built from.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np


class SparseBM25:
    def __init__(self, vocab: list[str], data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, num_docs: int):
        self.vocab = {t: i for i, t in enumerate(vocab)}
        self.data, self.indices, self.indptr, self.num_docs = data, indices, indptr, int(num_docs)

    @classmethod
    def build(cls, corpus: list[list[str]], k1: float = 1.2, b: float = 0.75) -> "SparseBM25":
        import bm25s  # only when (re)building the index

        r = bm25s.BM25(k1=k1, b=b)
        r.index(corpus, show_progress=False)
        if getattr(r, "nonoccurrence_array", None) is not None:
            raise ValueError("BM25 variant with non-occurrence scores is not supported")
        vocab = [""] * len(r.vocab_dict)
        for t, i in r.vocab_dict.items():
            vocab[i] = t
        sc = r.scores
        return cls(vocab, np.asarray(sc["data"]), np.asarray(sc["indices"]), np.asarray(sc["indptr"]), sc["num_docs"])

    def get_scores(self, tokens: list[str]) -> np.ndarray:
        scores = np.zeros(self.num_docs, dtype=self.data.dtype)
        for t in tokens:
            i = self.vocab.get(t)
            if i is not None:
                s, e = self.indptr[i], self.indptr[i + 1]
                np.add.at(scores, self.indices[s:e], self.data[s:e])
        return scores

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        vocab = sorted(self.vocab, key=self.vocab.get)
        return {f"{name}.vocab": np.array(json.dumps(vocab, ensure_ascii=False)), f"{name}.data": self.data,
                f"{name}.indices": self.indices, f"{name}.indptr": self.indptr, f"{name}.n": np.array(self.num_docs)}

    @classmethod
    def from_arrays(cls, z, name: str) -> "SparseBM25":
        return cls(json.loads(str(z[f"{name}.vocab"])), z[f"{name}.data"], z[f"{name}.indices"], z[f"{name}.indptr"],
                   int(z[f"{name}.n"]))


def signature(*parts) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else json.dumps(p, ensure_ascii=False, sort_keys=True).encode())
        h.update(b"\x1f")
    return h.hexdigest()


def load(path: Path, sig: str):
    """The saved index arrays (an open npz), if they were built from the same sources; else None."""
    try:
        z = np.load(path)
    except (OSError, ValueError):
        return None
    if "signature" not in z.files or str(z["signature"]) != sig:
        z.close()
        return None
    return z


def save(path: Path, sig: str, arrays: dict[str, np.ndarray]) -> None:
    try:
        np.savez(path, signature=np.array(sig), **arrays)  # uncompressed: loads without inflating
    except OSError:
        pass  # read-only data directory: build again next time
