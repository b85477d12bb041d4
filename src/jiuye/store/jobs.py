"""Roster screening jobs: one `jiuye.batch.run` per upload, run by the task queue's consumer, with a
job id, its progress and its files in a folder of its own.

Each job lives in ``$JIUYE_VAR_DIR/console_jobs/<id>/``: the uploaded roster (``input.<ext>``),
``job.json`` (who, when, what, state, progress, error), and the batch outputs ``results.xlsx``,
``results.rejected.xlsx`` and ``results.summary.json`` (and, while it runs, ``results.work/``: the
finished chunks). The folder is the record, readable by every web process: progress is written to
``job.json`` as the batch advances.

Whoever runs a job holds an exclusive ``flock`` on its ``.lock`` file; the kernel releases it when
that process dies. A job still marked queued or running whose lock is free has lost its runner (the
consumer was killed): :func:`orphans` lists them, the consumer re-enqueues them when it starts, and
:func:`run_job` resumes from the finished chunks.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import threading
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Iterator

from jiuye.config import roster_chunk_rows, var_dir

log = logging.getLogger("jiuye.console.jobs")

ALLOWED_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".parquet", ".pq")
RESULTS = "results.xlsx"
REJECTED = "results.rejected.xlsx"
SUMMARY = "results.summary.json"
LOCK = ".lock"
_ID = re.compile(r"^[0-9a-f]{16}$")
UNFINISHED = ("queued", "running")


def jobs_dir() -> Path:
    return var_dir() / "console_jobs"


def max_upload_bytes() -> int:
    """Largest roster accepted: $JIUYE_ROSTER_MAX_BYTES, default 20 MiB (jiuye.config.roster_max_bytes)."""
    from jiuye.config import roster_max_bytes

    return roster_max_bytes()


def valid_id(job_id: str | None) -> bool:
    return bool(_ID.match(job_id or ""))


@dataclass
class Job:
    id: str
    user_id: int
    user_name: str
    district: str | None
    filename: str
    input: str  # file name inside the job folder
    subject: str
    as_of: str
    created_at: str
    state: str = "queued"  # queued | running | done | failed
    done_rows: int = 0
    total_rows: int | None = None
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = None
    messages: list[str] = field(default_factory=list)
    chunk_rows: int = 20_000  # fixed at upload: a resumed run must cut the same chunks
    attempts: int = 0  # runs started (more than one: resumed after a restart)

    @property
    def folder(self) -> Path:
        return jobs_dir() / self.id

    @property
    def percent(self) -> int | None:
        if self.state == "done":
            return 100
        if not self.total_rows:
            return None
        return min(99, int(100 * self.done_rows / self.total_rows))

    def summary(self) -> dict | None:
        path = self.folder / SUMMARY
        if self.state != "done" or not path.exists():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    def status(self) -> dict:
        return {"id": self.id, "state": self.state, "done_rows": self.done_rows, "total_rows": self.total_rows,
                "percent": self.percent, "error": self.error, "finished": self.state not in UNFINISHED}


_KNOWN = {f.name for f in fields(Job)}


def save(job: Job) -> None:
    """job.json, replaced whole (readers in other processes never see half a file)."""
    path = job.folder / "job.json"
    tmp = path.with_name(f".job.json.{os.getpid()}.{threading.get_ident()}")
    tmp.write_text(json.dumps(asdict(job), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def get_job(job_id: str) -> Job | None:
    if not valid_id(job_id):
        return None
    path = jobs_dir() / job_id / "job.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    job = Job(**{k: v for k, v in data.items() if k in _KNOWN})
    if job.state == "interrupted":  # written by versions that ran jobs in the web process
        job.state = "failed"
    return job


def list_jobs(limit: int = 50) -> list[Job]:
    folder = jobs_dir()
    if not folder.exists():
        return []

    def mtime(i: str) -> float:
        try:
            return (folder / i).stat().st_mtime
        except OSError:
            return 0.0

    ids = sorted((p.name for p in folder.iterdir() if valid_id(p.name)), key=mtime, reverse=True)
    return [j for j in (get_job(i) for i in ids[:limit]) if j is not None]


def new_job(user, filename: str, data, subject: str, as_of: dt.date) -> Job:
    """Store the upload (bytes, or a binary file object copied in chunks: the upload is never held in
    memory whole) and return the job (queued, not yet enqueued). ValueError (Chinese) for a file type
    the batch cannot read."""
    from jiuye.batch.io import BatchInputError, format_of

    name = Path(filename or "").name or "roster"
    suffix = Path(name).suffix.lower()
    try:
        format_of(name)
    except BatchInputError as exc:
        raise ValueError(str(exc)) from None
    if suffix not in ALLOWED_SUFFIXES:
        raise ValueError(f"不支持的文件类型「{suffix}」：可用 .csv（UTF-8 或 GBK）、.xlsx、.parquet")
    job_id = secrets.token_hex(8)
    job = Job(id=job_id, user_id=user.id, user_name=user.display_name or user.username, district=user.district,
              filename=name[:200], input="input" + suffix, subject=subject, as_of=as_of.isoformat(),
              created_at=_now(), chunk_rows=roster_chunk_rows())
    job.folder.mkdir(parents=True, exist_ok=False)
    if isinstance(data, (bytes, bytearray)):
        (job.folder / job.input).write_bytes(data)
    else:
        with open(job.folder / job.input, "wb") as out:
            shutil.copyfileobj(data, out, 1 << 20)
    try:
        _check_readable(job)
    except ValueError:
        shutil.rmtree(job.folder, ignore_errors=True)
        raise
    save(job)
    return job


def _check_readable(job: Job) -> None:
    """Open the roster as the batch will (headers, encoding): a bad file is refused at once."""
    from jiuye.batch.io import BatchInputError, open_reader

    try:
        reader = open_reader(job.folder / job.input)
    except BatchInputError as exc:
        raise ValueError(str(exc).replace(job.input, job.filename)) from None
    job.total_rows = reader.estimated_rows


# --- running ---------------------------------------------------------------------------------------
@contextlib.contextmanager
def held(folder: Path) -> Iterator[bool]:
    """Try to take the job's lock without waiting: yields True while held, False when someone else
    (a live process) holds it."""
    try:
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    except FileNotFoundError:  # the folder is gone (deleted by the retention clean-up)
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def is_running(job: Job) -> bool:
    """A live process holds the job's lock."""
    with held(job.folder) as mine:
        return not mine


def run_job(job_id: str) -> str:
    """Run (or resume) one job to its end; what the queue's task calls. Returns what happened: done,
    failed, busy (another live runner has it), skipped (already finished, or gone)."""
    from jiuye.batch import BatchError, Options, run

    job = get_job(job_id)
    if job is None:
        return "skipped"
    with held(job.folder) as mine:
        if not mine:
            return "busy"
        job = get_job(job_id)  # re-read under the lock
        if job is None or job.state not in UNFINISHED:
            return "skipped"
        work = job.folder / f"{Path(RESULTS).stem}.work"
        resume = work.exists()  # an earlier run was stopped: keep its finished chunks
        job.state, job.started_at, job.error = "running", job.started_at or _now(), None
        job.attempts += 1
        save(job)
        last = [0.0]

        def on_progress(done: int, total: int | None) -> None:
            job.done_rows = done
            if total:
                job.total_rows = max(total, done)
            now = time.monotonic()
            if now - last[0] > 0.5:  # job.json is what every web process shows
                last[0] = now
                save(job)

        try:
            from jiuye.cases import parameter_sync  # the rules parameters as last changed in any process

            parameter_sync.ensure_current(force=True)
            out = run(Options(input=job.folder / job.input, output=job.folder / RESULTS,
                              as_of=dt.date.fromisoformat(job.as_of), subject=job.subject, progress=False,
                              chart=False, chunk_size=job.chunk_rows, resume=resume, on_progress=on_progress))
            job.messages = [m.replace(job.input, job.filename) for m in out.messages]
            job.done_rows = job.total_rows = out.summary["input_rows"]
            job.state = "done"
        except BatchError as exc:
            job.state, job.error = "failed", str(exc).replace(job.input, job.filename)
        except Exception as exc:  # noqa: BLE001 - the page must say it failed, and the log why
            log.exception("roster job %s failed", job.id)
            job.state, job.error = "failed", f"筛查出错：{type(exc).__name__}（详情见服务日志）"
        job.finished_at = _now()
        save(job)
        log.info("roster job %s %s (%s rows, attempt %d)", job.id, job.state, job.done_rows, job.attempts)
        return job.state


def orphans() -> list[str]:
    """Jobs still marked queued or running that no live process holds: to enqueue again (a queued one
    may also still be in the queue; running it twice is harmless, see :func:`run_job`)."""
    return [j.id for j in list_jobs(limit=10_000) if j.state in UNFINISHED and not is_running(j)]


def wait(job_id: str, timeout: float = 120.0) -> Job | None:
    """Block until the job has finished (tests, the CLI)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        job = get_job(job_id)
        if job is None or job.state not in UNFINISHED:
            return job
        time.sleep(0.1)
    return get_job(job_id)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


__all__ = ["ALLOWED_SUFFIXES", "Job", "REJECTED", "RESULTS", "SUMMARY", "get_job", "jobs_dir", "list_jobs",
           "max_upload_bytes", "new_job", "orphans", "run_job", "save", "wait"]
