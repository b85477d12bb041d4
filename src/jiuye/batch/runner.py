"""``jiuye batch``: the driver. Reads chunks, hands them to an engine, keeps finished chunks in a work
directory, and assembles OUTPUT, ``OUTPUT.rejected.<ext>``, ``OUTPUT.summary.json`` and a chart.

- Chunks are the unit of everything: of work (the local loop, or Dask tasks on ``distributed``), of
  memory (one chunk in flight per worker, plus a few queued), and of resuming: each finished chunk
  is stored in ``OUTPUT.work/`` (Arrow IPC files and a JSON of its counts, the JSON written last);
  ``--resume`` re-reads the input but skips the chunks already there.
- Duplicate 身份证号 need to know the rows before them, so they are found here, in input order (the
  first occurrence is computed, every later one is rejected naming the first; duplicates.py), and passed to
  the chunk. The engines (local, Dask) are in engines.py.
- The outputs are written under temporary names and renamed at the very end: an interrupted run
  leaves either the previous files or none, never half a file. The work directory is removed after
  a complete run.
- Invariant, checked before anything is renamed: accepted + rejected = input rows.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

from jiuye.batch.columns import MappingError, field_specs, load_mapping
from jiuye.batch.compute import OUTPUT_SCHEMA, ChunkResult, merge_stats, rejected_schema
from jiuye.batch.duplicates import Seen, chunk_keys
from jiuye.batch.engines import BatchError, DaskEngine, LocalEngine  # noqa: F401  (BatchError: jiuye.batch's)
from jiuye.batch.io import BatchInputError, RawChunk, TableWriter, format_of, open_reader
from jiuye.batch.plan import WhatIfError, build_plan, parse_sets
from jiuye.batch.summary import build_summary, draw_chart
from jiuye.batch.validate import Job
from jiuye.config import today as config_today

WORK_VERSION = 2  # 2: the rejected rows carry their line
DEFAULT_CHUNK = 100_000


@dataclass
class Options:
    input: Path
    output: Path
    as_of: dt.date
    subject: str = "person"
    mapping: Path | None = None
    engine: str = "local"
    scheduler: str | None = None
    workers: int | None = None
    chunk_size: int = DEFAULT_CHUNK
    resume: bool = False
    sets: list[str] = field(default_factory=list)
    encoding: str = "utf-8-sig"  # CSV output
    progress: bool = True
    chart: bool = True
    keep_work: bool = False
    dask_processes: bool = True  # a local Dask cluster: worker processes (False: threads, for tests)
    policies: list[str] | None = None
    # called as on_progress(rows done, estimated total rows or None) after each chunk (web console)
    on_progress: Callable[[int, int | None], None] | None = None


@dataclass
class Paths:
    output: Path
    rejected: Path
    summary: Path
    chart: Path
    work: Path

    @classmethod
    def of(cls, output: Path) -> Paths:
        ext = output.suffix
        stem = output.with_suffix("")
        return cls(output=output, rejected=Path(f"{stem}.rejected{ext}"), summary=Path(f"{stem}.summary.json"),
                   chart=Path(f"{stem}.summary.png"), work=Path(f"{stem}.work"))


# ---------------------------------------------------------------------------------------------
# Work directory


def _fingerprint(opts: Options, reader) -> dict:
    st = opts.input.stat()
    mapping_hash = hashlib.sha256(opts.mapping.read_bytes()).hexdigest() if opts.mapping else None
    return {"version": WORK_VERSION, "input": str(opts.input.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
            "subject": opts.subject, "as_of": opts.as_of.isoformat(), "chunk_size": opts.chunk_size,
            "mapping": mapping_hash, "sets": list(opts.sets), "headers": reader.headers,
            "policies": opts.policies}


class WorkDir:
    def __init__(self, path: Path, fingerprint: dict, resume: bool) -> None:
        self.path = path
        self.resumed = False
        manifest = path / "manifest.json"
        if path.exists():
            same = False
            if resume and manifest.exists():
                try:
                    same = json.loads(manifest.read_text(encoding="utf-8")) == fingerprint
                except (OSError, ValueError):
                    same = False
            if same:
                self.resumed = True
            else:
                shutil.rmtree(path)
        path.mkdir(parents=True, exist_ok=True)
        if not self.resumed:
            _atomic_write(manifest, json.dumps(fingerprint, ensure_ascii=False, indent=1).encode())

    def done(self, index: int) -> bool:
        return (self.path / f"chunk-{index:06d}.json").exists()

    def save(self, r: ChunkResult) -> None:
        base = self.path / f"chunk-{r.index:06d}"
        _write_ipc(Path(f"{base}.out.arrow"), r.output)
        _write_ipc(Path(f"{base}.rej.arrow"), r.rejected)
        meta = {"index": r.index, "input_rows": r.input_rows, "accepted_rows": r.accepted_rows,
                "rejected_rows": r.rejected_rows, "output_rows": r.output.num_rows, "stats": r.stats, "seconds": r.seconds}
        _atomic_write(Path(f"{base}.json"), json.dumps(meta, ensure_ascii=False).encode())

    def indices(self) -> list[int]:
        return sorted(int(p.name[6:12]) for p in self.path.glob("chunk-*.json"))

    def meta(self, index: int) -> dict:
        return json.loads((self.path / f"chunk-{index:06d}.json").read_text(encoding="utf-8"))

    def tables(self, index: int, kind: str) -> Iterator[pa.RecordBatch]:
        with pa.memory_map(str(self.path / f"chunk-{index:06d}.{kind}.arrow")) as source:
            reader = ipc.open_file(source)
            for i in range(reader.num_record_batches):
                yield reader.get_batch(i)


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _write_ipc(path: Path, table: pa.Table) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with pa.OSFile(str(tmp), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------
# The run


@dataclass
class Outcome:
    summary: dict
    paths: Paths
    messages: list[str]


def run(opts: Options, *, progress_console=None) -> Outcome:
    t_start = time.perf_counter()
    timings = {"read": 0.0, "validate": 0.0, "compute": 0.0, "write": 0.0}
    messages: list[str] = []
    if opts.subject not in ("person", "enterprise"):
        raise BatchError(f"--subject 应为 person 或 enterprise，而不是「{opts.subject}」")
    if opts.chunk_size < 1:
        raise BatchError("--chunk-size 至少为 1")
    try:
        format_of(opts.output)
    except BatchInputError as exc:
        raise BatchError(f"输出文件：{exc}") from None
    paths = Paths.of(opts.output)
    if opts.output.resolve() == opts.input.resolve():
        raise BatchError("输出文件不能与输入文件相同")
    try:
        reader = open_reader(opts.input)
        mapping = load_mapping(opts.subject, opts.mapping)
        sets = parse_sets(opts.sets)
    except (BatchInputError, MappingError, WhatIfError) as exc:
        raise BatchError(str(exc)) from None
    resolution = mapping.resolve(reader.headers)
    specs = field_specs(opts.subject)
    messages += resolution.warnings
    if resolution.unmapped:
        messages.append("以下列无法识别，已忽略（可用 --mapping 指定对应的字段）：" + "、".join(f"「{h}」" for h in resolution.unmapped))
    if not resolution.fields and not resolution.groups:
        messages.append("没有一列能识别为情况表中的字段：请检查表头，或用 --mapping 指定（字段名见 jiuye schema profile）")
    for req in resolution.missing_required:
        messages.append(f"缺少必需的列「{specs[req].title}」：每一行都无法计算，已全部列入 {paths.rejected.name}")
    plan = build_plan(opts.subject, opts.as_of, tuple(opts.policies) if opts.policies else None)
    # the 身份证号's own check (a birth date after today) uses the real date, as jiuye.idcard does
    job = Job(subject=opts.subject, as_of=opts.as_of, today=config_today(), mapping=mapping,
              resolution=resolution, headers=reader.headers, plan=plan, sets=tuple(sets))
    work = WorkDir(paths.work, _fingerprint(opts, reader), opts.resume)
    if opts.resume and work.resumed:
        messages.append(f"继续上次未完成的运行：已完成 {len(work.indices())} 块，跳过")
    elif opts.resume:
        messages.append("没有可继续的运行（或输入、参数已改变）：从头开始")

    engine: LocalEngine | DaskEngine = (DaskEngine(opts.scheduler, opts.workers, opts.dask_processes)
                                        if opts.engine == "dask" else LocalEngine())
    progress = _Progress(opts.progress, reader.estimated_rows, progress_console, opts.on_progress)
    seen = Seen()
    counts = {"input_rows": 0, "chunks": 0}
    writers: list[TableWriter] = []
    sink = None
    try:
        out_w = TableWriter(paths.output, OUTPUT_SCHEMA, encoding=opts.encoding)
        writers.append(out_w)
        rej_w = TableWriter(paths.rejected, rejected_schema(reader.headers), encoding=opts.encoding)
        writers.append(rej_w)
        sink = _OrderedSink(work, out_w, rej_w, timings)

        def items() -> Iterator[tuple[RawChunk, np.ndarray]]:
            it = reader.chunks(opts.chunk_size)
            while True:
                t0 = time.perf_counter()
                try:
                    raw = next(it)
                except StopIteration:
                    return
                except BatchInputError as exc:
                    raise BatchError(str(exc)) from None
                dup = seen.mark(chunk_keys(job, raw), raw.rows)
                timings["read"] += time.perf_counter() - t0
                counts["input_rows"] += raw.count
                counts["chunks"] += 1
                if work.done(raw.index):
                    sink.add(raw.index, None)
                    progress.advance(raw.count)
                    continue
                yield raw, dup

        def on_result(r: ChunkResult) -> None:
            timings["validate"] += r.seconds.get("validate", 0.0)
            timings["compute"] += r.seconds.get("compute", 0.0) + r.seconds.get("shape", 0.0)
            sink.add(r.index, r)
            progress.advance(r.input_rows)

        try:
            with progress:
                engine.run(job, items(), on_result)
        finally:
            engine.close()
        sink.finish()

        # --- check, summarise, rename ------------------------------------------------------------
        t0 = time.perf_counter()
        indices = work.indices()
        metas = [work.meta(i) for i in indices]
        totals = {k: sum(m[k] for m in metas) for k in ("input_rows", "accepted_rows", "rejected_rows", "output_rows")}
        if totals["input_rows"] != counts["input_rows"] or len(indices) != counts["chunks"]:
            raise BatchError(f"内部错误：读到 {counts['input_rows']} 行（{counts['chunks']} 块），"
                             f"结果中有 {totals['input_rows']} 行（{len(indices)} 块）；工作目录 {paths.work} 已保留")
        if totals["accepted_rows"] + totals["rejected_rows"] != totals["input_rows"]:
            raise BatchError("内部错误：接受行数 + 拒绝行数 ≠ 输入行数；工作目录已保留")
        stats: dict[str, Any] = {}
        for m in metas:
            stats = merge_stats(stats, m["stats"])
        tmp_summary = paths.summary.with_name(f".{paths.summary.name}.part-{os.getpid()}")
        for w in writers:
            w.finish()
        timings["write"] += time.perf_counter() - t0
        seconds = time.perf_counter() - t_start
        summary = build_summary(opts, reader, resolution, plan, totals, stats, timings, seconds, len(indices), messages, paths, sets)
        chart_note = draw_chart(summary, paths.chart, plan) if opts.chart else None
        summary["chart"] = paths.chart.name if opts.chart and chart_note is None else None
        if chart_note:
            summary["chart_note"] = chart_note
            messages.append(chart_note)
        tmp_summary.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        for w in writers:
            w.commit()
        os.replace(tmp_summary, paths.summary)
    except BaseException:
        if sink is not None:
            sink.stop()
        for w in writers:
            w.abort()
        raise
    if not opts.keep_work:
        shutil.rmtree(paths.work, ignore_errors=True)
    return Outcome(summary=summary, paths=paths, messages=messages)


class _OrderedSink:
    """Stores each finished chunk (for --resume) and appends it to the outputs, in input order, on
    a thread of its own: Arrow and Parquet release the GIL, so writing overlaps the next chunk's
    computation. At most a few chunks wait (the engine is held back otherwise)."""

    MAX_QUEUED = 2

    def __init__(self, work: WorkDir, out_w: TableWriter, rej_w: TableWriter, timings: dict) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.work, self.out_w, self.rej_w, self.timings = work, out_w, rej_w, timings
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="jiuye-batch-writer")
        self.ready: dict[int, ChunkResult | None] = {}
        self.next = 0
        self.queued: list = []

    def add(self, index: int, result: ChunkResult | None) -> None:
        self.ready[index] = result
        while self.next in self.ready:
            self.queued.append(self.pool.submit(self._write, self.ready.pop(self.next), self.next))
            self.next += 1
        while len(self.queued) > self.MAX_QUEUED:
            self.queued.pop(0).result()

    def _write(self, r: ChunkResult | None, index: int) -> None:
        t0 = time.perf_counter()
        if r is not None:
            self.work.save(r)
            self.out_w.write(r.output)
            self.rej_w.write(r.rejected)
        else:  # finished in an earlier run
            for batch in self.work.tables(index, "out"):
                self.out_w.write(pa.Table.from_batches([batch]))
            for batch in self.work.tables(index, "rej"):
                self.rej_w.write(pa.Table.from_batches([batch]))
        self.timings["write"] += time.perf_counter() - t0

    def finish(self) -> None:
        for f in self.queued:
            f.result()
        self.queued = []
        self.pool.shutdown(wait=True)
        if self.ready:
            raise BatchError(f"内部错误：第 {min(self.ready)} 块之前有块没有完成")

    def stop(self) -> None:
        """On interruption: chunks already computed and queued are still saved (that is what --resume
        skips); nothing new is queued. Errors of those writes do not hide the interruption."""
        for f in self.queued:
            try:
                f.result()
            except Exception:  # noqa: BLE001 - the interruption is what the user must see
                pass
        self.queued = []
        self.pool.shutdown(wait=True)


class _Progress:
    """A rich progress bar (rows, rows/s, ETA) on stderr; silent when disabled."""

    def __init__(self, enabled: bool, total: int | None, console=None, callback=None) -> None:
        self.enabled = enabled
        self.total = total
        self.console = console
        self._p = None
        self.callback = callback
        self.done = 0

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            class RowsPerSecond(TextColumn):
                def render(self, task):  # noqa: D102
                    from rich.text import Text

                    elapsed = task.elapsed or 0
                    speed = task.completed / elapsed if elapsed > 0 else None
                    return Text(f"{speed:,.0f} 行/秒" if speed else "— 行/秒")

            self._p = Progress(TextColumn("筛查"), BarColumn(), MofNCompleteColumn(), RowsPerSecond(""),
                               TextColumn("剩余"), TimeRemainingColumn(), TimeElapsedColumn(),
                               console=self.console or Console(stderr=True), transient=False)
            self._p.__enter__()
            self._task = self._p.add_task("rows", total=self.total)
        return self

    def advance(self, n: int) -> None:
        self.done += n
        if self.callback is not None:
            self.callback(self.done, self.total)
        if self._p is not None:
            task = self._p.tasks[0]
            if task.total is not None and task.completed + n > task.total:
                self._p.update(self._task, total=task.completed + n)
            self._p.advance(self._task, n)

    def __exit__(self, *exc):
        if self._p is not None:
            if not exc[0]:
                task = self._p.tasks[0]
                self._p.update(self._task, total=task.completed)
            self._p.__exit__(*exc)
        return False
