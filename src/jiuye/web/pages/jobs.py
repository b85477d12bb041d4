"""Roster screening jobs for the staff console: one `jiuye.batch.run` per upload, in a background
thread, with a job id, its progress, and its files in a folder of its own.

Each job lives in ``$JIUYE_VAR_DIR/console_jobs/<id>/``: the uploaded roster (``input.<ext>``),
``job.json`` (who, when, what, state, progress, error), and the batch outputs ``results.xlsx``,
``results.rejected.xlsx`` and ``results.summary.json``. The folder is the record: after a restart
finished jobs are still there; a job that was running when the process stopped shows as interrupted.

At most $JIUYE_CONSOLE_JOBS (default 1) runs at a time; later uploads wait their turn (the machine
also serves the site).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import secrets
import shutil
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from jiuye.config import var_dir

log = logging.getLogger("jiuye.console.jobs")

ALLOWED_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".parquet", ".pq")
RESULTS = "results.xlsx"
REJECTED = "results.rejected.xlsx"
SUMMARY = "results.summary.json"
_ID = re.compile(r"^[0-9a-f]{16}$")


def jobs_dir() -> Path:
    return var_dir() / "console_jobs"


def max_upload_bytes() -> int:
    """Largest roster accepted: $JIUYE_ROSTER_MAX_BYTES, default 20 MiB (about 100 000 persons as CSV)."""
    return int(os.environ.get("JIUYE_ROSTER_MAX_BYTES", 20 * 1024 * 1024))


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
    state: str = "queued"  # queued | running | done | failed | interrupted
    done_rows: int = 0
    total_rows: int | None = None
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = None
    messages: list[str] = field(default_factory=list)

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
                "percent": self.percent, "error": self.error, "finished": self.state in ("done", "failed", "interrupted")}


_lock = threading.Lock()
_live: dict[str, Job] = {}  # jobs of this process, updated by their threads
_slots = threading.BoundedSemaphore(max(1, int(os.environ.get("JIUYE_CONSOLE_JOBS", "1"))))


def _save(job: Job) -> None:
    path = job.folder / "job.json"
    tmp = path.with_name(f".job.json.{threading.get_ident()}")
    tmp.write_text(json.dumps(asdict(job), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def get_job(job_id: str) -> Job | None:
    if not _ID.match(job_id or ""):
        return None
    with _lock:
        if job_id in _live:
            return _live[job_id]
    path = jobs_dir() / job_id / "job.json"
    if not path.exists():
        return None
    job = Job(**json.loads(path.read_text(encoding="utf-8")))
    if job.state in ("queued", "running"):  # not running in this process: the server stopped meanwhile
        job.state, job.error = "interrupted", "服务重启，本次筛查未完成：请重新上传"
    return job


def list_jobs(limit: int = 50) -> list[Job]:
    folder = jobs_dir()
    if not folder.exists():
        return []
    ids = sorted((p.name for p in folder.iterdir() if _ID.match(p.name)),
                 key=lambda i: (folder / i).stat().st_mtime, reverse=True)
    return [j for j in (get_job(i) for i in ids[:limit]) if j is not None]


def new_job(user, filename: str, data: bytes, subject: str, as_of: dt.date) -> Job:
    """Store the upload and return the job (not started). ValueError (Chinese) for a file type the
    batch cannot read."""
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
              created_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    job.folder.mkdir(parents=True, exist_ok=False)
    (job.folder / job.input).write_bytes(data)
    try:
        _check_readable(job)
    except ValueError:
        shutil.rmtree(job.folder, ignore_errors=True)
        raise
    _save(job)
    return job


def _check_readable(job: Job) -> None:
    """Open the roster as the batch will (headers, encoding): a bad file is refused at once."""
    from jiuye.batch.io import BatchInputError, open_reader

    try:
        reader = open_reader(job.folder / job.input)
    except BatchInputError as exc:
        raise ValueError(str(exc).replace(job.input, job.filename)) from None
    job.total_rows = reader.estimated_rows


def start(job: Job) -> None:
    with _lock:
        _live[job.id] = job
    threading.Thread(target=_run, args=(job,), name=f"jiuye-roster-{job.id}", daemon=True).start()


def _run(job: Job) -> None:
    from jiuye.batch import BatchError, Options, run

    last = [0.0]

    def on_progress(done: int, total: int | None) -> None:
        job.done_rows = done
        if total:
            job.total_rows = max(total, done)
        now = time.monotonic()
        if now - last[0] > 1.0:  # the JSON file for other processes; the page reads the live job
            last[0] = now
            _save(job)

    with _slots:
        job.state, job.started_at = "running", _now()
        _save(job)
        try:
            from jiuye.cases import parameter_sync

            parameter_sync.ensure_current(force=True)  # the parameters as changed in any worker
            out = run(Options(input=job.folder / job.input, output=job.folder / RESULTS,
                              as_of=dt.date.fromisoformat(job.as_of), subject=job.subject, progress=False,
                              chart=False, on_progress=on_progress))
            job.messages = [m.replace(job.input, job.filename) for m in out.messages]
            job.done_rows = out.summary["input_rows"]
            job.total_rows = out.summary["input_rows"]
            job.state = "done"
        except BatchError as exc:
            job.state, job.error = "failed", str(exc).replace(job.input, job.filename)
        except Exception as exc:  # noqa: BLE001 - the page must say it failed, and the log why
            log.exception("roster job %s failed", job.id)
            job.state, job.error = "failed", f"筛查出错：{type(exc).__name__}（详情见服务日志）"
        finally:
            job.finished_at = _now()
            _save(job)
            with _lock:
                _live.pop(job.id, None)


def wait(job_id: str, timeout: float = 120.0) -> Job | None:
    """Block until the job has finished (tests, the CLI)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        job = get_job(job_id)
        if job is None or job.state not in ("queued", "running"):
            return job
        time.sleep(0.1)
    return get_job(job_id)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def may_see(user, job: Job) -> bool:
    """The one who uploaded it, staff of the same 旗县市, and the admin."""
    return user.role == "admin" or job.user_id == user.id or (job.district is not None and job.district == user.district)


def sheet_rows(path: Path) -> int:
    """Data rows of an .xlsx written by the batch (every sheet, headers excluded)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return sum(max(ws.max_row - 1, 0) for ws in wb.worksheets)
    finally:
        wb.close()


def import_rows(job: Job, policy: str) -> list[dict]:
    """The rows of the results for `policy`, as `service.import_batch` reads them, with each
    enterprise's name from the uploaded roster (the results carry the code, not the name)."""
    from openpyxl import load_workbook

    names = _names_by_row(job)
    wb = load_workbook(job.folder / RESULTS, read_only=True)
    rows: list[dict] = []
    try:
        for ws in wb.worksheets:
            it = ws.iter_rows(values_only=True)
            header = [str(h) for h in next(it, ())]
            for values in it:
                r = dict(zip(header, values))
                if r.get("policy") != policy:
                    continue
                r["name"] = names.get(int(r["row"])) if r.get("row") is not None else None
                r["as_of"] = job.as_of
                r["reasons"] = r.pop("reason", None)
                rows.append({k: v for k, v in r.items() if v is not None})
    finally:
        wb.close()
    return rows


def _names_by_row(job: Job) -> dict[int, str]:
    from jiuye.batch.columns import load_mapping
    from jiuye.batch.io import open_reader

    reader = open_reader(job.folder / job.input)
    header = load_mapping(job.subject, None).resolve(reader.headers).header_of("name")
    if header is None:
        return {}
    out: dict[int, str] = {}
    for raw in reader.chunks(50_000):
        col = raw.table.column(header).to_pylist()
        for n, v in zip(raw.rows.tolist(), col):
            if v:
                out[int(n)] = str(v).strip()
    return out


def input_sha256(job: Job) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(job.folder / job.input, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def forget_live() -> None:
    """Tests: drop this process's live jobs (threads keep running to their end)."""
    with _lock:
        _live.clear()


__all__ = ["Job", "get_job", "import_rows", "list_jobs", "max_upload_bytes", "may_see", "new_job", "sheet_rows",
           "start", "wait"]
