"""Where a roster's chunks are computed: one after another in this process (LocalEngine), or as tasks on a Dask
``distributed`` cluster, a scheduler's address or a local cluster (DaskEngine). Both hand each ChunkResult back to
the driver (runner.py) as it comes; the Dask engine keeps two chunks per worker in flight."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import numpy as np

from jiuye.batch.compute import ChunkResult, process_chunk
from jiuye.batch.io import RawChunk
from jiuye.batch.validate import Job


class BatchError(ValueError):
    """A run that cannot start or cannot finish; the message is for the user (Chinese)."""


class LocalEngine:
    name = "local"

    def run(self, job: Job, items: Iterator[tuple[RawChunk, np.ndarray]], on_result: Callable[[ChunkResult], None]) -> None:
        for raw, dup in items:
            on_result(process_chunk(job, raw, dup))

    def close(self) -> None:
        pass


class DaskEngine:
    """The same chunks as tasks on a ``distributed`` cluster (a scheduler's address, or a local cluster)."""

    name = "dask"

    def __init__(self, scheduler: str | None, workers: int | None, processes: bool = True) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - a dependency
            raise BatchError(f"--engine dask 需要 dask[distributed]：{exc}") from None
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="20s")
                if workers:
                    self.client.wait_for_workers(workers, timeout=60)
            else:
                self.cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=processes,
                                            dashboard_address=None, silence_logs=40)
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            if self.cluster is not None:
                self.cluster.close()
            raise BatchError(f"连不上 Dask 调度器「{scheduler}」：{exc}") from None
        self.slots = max(1, len(self.client.scheduler_info().get("workers", {}))) * 2

    def run(self, job: Job, items, on_result) -> None:
        from distributed import as_completed

        job_future = self.client.scatter(job, broadcast=True)
        pending = as_completed()
        in_flight = 0
        try:
            for raw, dup in items:
                raw.ids = None  # checked again on the worker: cheaper than shipping it
                data = self.client.scatter([raw, dup])  # not inside the task graph: chunks can be large
                pending.add(self.client.submit(process_chunk, job_future, *data, pure=False))
                in_flight += 1
                while in_flight >= self.slots:
                    future = next(pending)
                    on_result(future.result())
                    in_flight -= 1
            for future in pending:
                on_result(future.result())
        except BaseException:
            self.client.cancel(list(pending.futures) if hasattr(pending, "futures") else [])
            raise

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()
