"""Duplicate 身份证号 in a roster, found in input order across chunks: the first occurrence is computed, every later
one is rejected naming the first (its record number). The driver (runner.py) marks each chunk before it is handed
to an engine, since a chunk alone cannot know the rows before it."""
from __future__ import annotations

import numpy as np

from jiuye.batch.io import RawChunk
from jiuye.batch.validate import Job, key_column


class Seen:
    """Keys already met (sorted int64) and the record number where each was first met."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)
        self.rows = np.zeros(0, dtype=np.int64)

    def mark(self, keys: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """For each (valid, key >= 0) key: the record number of an earlier occurrence, else 0."""
        dup = np.zeros(len(keys), dtype=np.int64)
        valid = keys >= 0
        if not valid.any():
            return dup
        k = keys[valid]
        r = rows[valid]
        d = np.zeros(len(k), dtype=np.int64)
        # earlier chunks
        if len(self.keys):
            pos = np.clip(np.searchsorted(self.keys, k), 0, len(self.keys) - 1)
            hit = self.keys[pos] == k
            d[hit] = self.rows[pos[hit]]
        # within this chunk: the first occurrence here (when not seen before) is the original
        order = np.lexsort((r, k))
        ks = k[order]
        first_of_run = np.ones(len(ks), dtype=bool)
        first_of_run[1:] = ks[1:] != ks[:-1]
        run_start = np.maximum.accumulate(np.where(first_of_run, np.arange(len(ks)), 0))
        within = ~first_of_run
        first_rows = r[order][run_start]
        d_sorted = d[order]
        d_sorted = np.where(within & (d_sorted == 0), first_rows, d_sorted)
        d[order] = d_sorted
        dup[valid] = d
        # remember the new keys
        new = first_of_run & (d[order] == 0)
        nk, nr = ks[new], r[order][new]
        if len(nk):
            keys_all = np.concatenate([self.keys, nk])
            rows_all = np.concatenate([self.rows, nr])
            o = np.argsort(keys_all, kind="stable")
            self.keys, self.rows = keys_all[o], rows_all[o]
        return dup


def chunk_keys(job: Job, raw: RawChunk) -> np.ndarray:
    """The duplicate keys of a chunk's rows (-1 where the key is missing or invalid); the checked
    column is kept on the chunk so that the local engine does not check it twice."""
    header = job.resolution.header_of(job.mapping.key)
    if header is None or raw.table.num_rows == 0:
        return np.full(raw.table.num_rows, -1, dtype=np.int64)
    raw.ids = key_column(job, raw.table.column(header).combine_chunks())
    return raw.ids.key
