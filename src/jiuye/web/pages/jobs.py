"""Roster screening jobs for the staff console: the page-facing side.

The jobs themselves (their folder record, running and resuming them) are :mod:`jiuye.store.jobs`; they
run in the task queue's consumer (:mod:`jiuye.store.queue`), not in the web process, so a job survives
a restart of the server and every web worker reads the same progress from the job's folder.

At most $JIUYE_CONSOLE_JOBS (default 1) run at a time per consumer; later uploads wait their turn in
the queue (the machine also serves the site).
"""
from __future__ import annotations

from pathlib import Path

from jiuye.store.jobs import (REJECTED, RESULTS, SUMMARY, Job, get_job, list_jobs, max_upload_bytes,  # noqa: F401
                              new_job, wait)


def start(job: Job) -> None:
    """Put the job on the queue (its consumer runs it)."""
    from jiuye.store.queue import enqueue_roster_job

    enqueue_roster_job(job.id)


def may_see(user, job: Job) -> bool:
    """The one who uploaded it, staff of the same 旗县市, and the admin."""
    from jiuye.cases.roles import STAFF_ROLES

    # an applicant's district (where they live, given at registration) gives no access to staff jobs
    return user.role == "admin" or job.user_id == user.id or (
        user.role in STAFF_ROLES and job.district is not None and job.district == user.district)


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


__all__ = ["Job", "get_job", "import_rows", "list_jobs", "max_upload_bytes", "may_see", "new_job", "sheet_rows",
           "start", "wait"]
