"""The staff console's roster screening (政策找人 over a whole roster): upload a CSV / XLSX / Parquet roster, follow
the run, download the results and rejections, and open 免申即享 cases from the eligible rows. Who may see a run is
decided by `jobs`; the import by `jiuye.cases.service`. Core staff only (not partners)."""
from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse

from jiuye.config import retention_days, today
from jiuye.rules.period import AsOfOutOfRange, check_as_of
from jiuye.web.labels import labels
from jiuye.web.pages import jobs
from jiuye.web.pages.common import CSRF, DB
from jiuye.web.pages.console import STAFF, RosterStaff, _error, _page, yuan

router = APIRouter(prefix="/console", include_in_schema=False, default_response_class=HTMLResponse)
log = logging.getLogger("jiuye.console")


# --- roster screening --------------------------------------------------------------------------
def _upload_limit(request: Request) -> None:
    """Refuse an oversized upload from its Content-Length, before the body is read."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > jobs.max_upload_bytes() + 256 * 1024:
        raise HTTPException(status_code=413, detail=_too_big())


def _too_big() -> str:
    return f"文件过大：名册最大 {jobs.max_upload_bytes() / 1048576:.0f} MB（可分成几个文件上传，或由管理员用命令行 jiuye batch 处理）。"


def _roster_context(me) -> dict:
    visible = [j for j in jobs.list_jobs() if jobs.may_see(me, j)]
    return {"jobs": visible[:20], "max_mb": f"{jobs.max_upload_bytes() / 1048576:.0f}", "today": today().isoformat(),
            "retention_days": retention_days()}


@router.get("/roster")
def roster_form(request: Request, me: RosterStaff):
    return _page(request, "console/roster.html", me, _roster_context(me))


@router.post("/roster", dependencies=[STAFF, Depends(_upload_limit), CSRF])
def roster_upload(request: Request, me: RosterStaff, file: Annotated[UploadFile, File()],
                  subject: Annotated[str, Form()] = "person", as_of: Annotated[str, Form()] = ""):
    def refuse(message: str, field: str, status: int = 422):
        return _page(request, "console/roster.html", me, {**_roster_context(me), "error": message, "field": field,
                                                           "subject": subject, "as_of": as_of}, status_code=status)

    if subject not in ("person", "enterprise"):
        return refuse(f"名册类型应为个人或单位，而不是「{subject}」", "subject")
    try:
        day = check_as_of(dt.date.fromisoformat(as_of.strip()) if as_of.strip() else today())
    except AsOfOutOfRange as exc:
        return refuse(f"评估日期：{exc}", "as_of")
    except ValueError:
        return refuse(f"评估日期「{as_of}」应为 YYYY-MM-DD 格式的日期", "as_of")
    if not file.filename:
        return refuse("请选择名册文件（.csv、.xlsx 或 .parquet）", "file")
    # The upload is already on disk (Starlette spools it) and within the body limit
    # (jiuye.web.limits, counted while it arrived); it is copied to the job's folder in chunks.
    size = file.size if file.size is not None else file.file.seek(0, 2)
    file.file.seek(0)
    if size > jobs.max_upload_bytes():
        return refuse(_too_big(), "file", 413)
    if not size:
        return refuse(f"文件「{file.filename}」是空的", "file")
    try:
        job = jobs.new_job(me, file.filename, file.file, subject, day)
    except ValueError as exc:
        return refuse(str(exc), "file")
    try:
        jobs.start(job)
    except Exception:  # noqa: BLE001 - the queue's storage (Redis) does not answer: say so, keep the upload
        log.exception("roster job %s could not be enqueued", job.id)
        shutil.rmtree(job.folder, ignore_errors=True)
        return refuse("任务队列暂时不可用，筛查未能开始：请稍后重新上传，或联系管理员（检查 JIUYE_QUEUE_URL 与 jiuye worker）",
                      "file", 503)
    return RedirectResponse(f"/console/roster/{job.id}", status_code=303)


def _job_for(me, job_id: str) -> jobs.Job:
    job = jobs.get_job(job_id)
    if job is None or not jobs.may_see(me, job):
        raise HTTPException(status_code=404, detail=f"没有编号为 {job_id} 的筛查任务（或您无权查看）")
    return job


def _importable(me, job: jobs.Job, summary: dict | None) -> list[dict]:
    """The 免申即享 procedures this job's result can create cases for, and whether I may."""
    from jiuye.cases.procedures import get_procedures

    if not summary:
        return []
    out = []
    for p in get_procedures().values():
        pol = summary.get("policies", {}).get(p.policy)
        if not p.no_application or pol is None or p.applicant != job.subject:
            continue
        out.append({"procedure": p.id, "name": p.name, "eligible": pol.get("eligible", 0),
                    "may": me.role in ("county_center", "league_center", "admin")})
    return out


@router.get("/roster/{job_id}")
def roster_job(request: Request, me: RosterStaff, job_id: str):
    job = _job_for(me, job_id)
    summary = job.summary()
    return _page(request, "console/roster_job.html", me, {
        "job": job, "s": summary, "importable": _importable(me, job, summary), "yuan": yuan,
        "subject_label": labels().of("roster_subject", job.subject),
        "rejection_reasons": _rejection_reasons(job.subject, summary)})


def _rejection_reasons(subject: str, summary: dict | None) -> list[tuple[str, int]]:
    """The roster's rejection counts by Chinese reason (kinds such as invalid:birth_date name the column)."""
    from jiuye.batch.columns import field_specs

    if not summary or not summary.get("rejection_reasons"):
        return []
    titles = {name: spec.title for name, spec in field_specs(subject).items()}
    out: dict[str, int] = {}
    for kind, n in summary["rejection_reasons"].items():
        label = labels().rejection_label(kind, titles)
        out[label] = out.get(label, 0) + n
    return sorted(out.items(), key=lambda kv: -kv[1])


@router.get("/roster/{job_id}/status", response_class=JSONResponse)
def roster_status(me: RosterStaff, job_id: str):
    return JSONResponse(_job_for(me, job_id).status(), headers={"Cache-Control": "no-store"})


@router.get("/roster/{job_id}/{kind}.xlsx", response_class=FileResponse)
def roster_download(me: RosterStaff, job_id: str, kind: str):
    job = _job_for(me, job_id)
    files = {"results": (jobs.RESULTS, "筛查结果"), "rejected": (jobs.REJECTED, "未通过校验的行")}
    if kind not in files or job.state != "done":
        raise HTTPException(status_code=404, detail="没有这个文件（筛查尚未完成？）")
    name, label = files[kind]
    stem = Path(job.filename).stem
    return FileResponse(job.folder / name, filename=f"{stem}-{label}-{job.as_of}.xlsx",
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.post("/roster/{job_id}/import", dependencies=[STAFF, CSRF])
def roster_import(request: Request, s: DB, me: RosterStaff, job_id: str,
                  procedure: Annotated[str, Form()] = "job_retention_refund"):
    """免申即享: the eligible rows become cases waiting for staff to check and confirm (nothing is
    paid by the import); the service decides who may import and which rows qualify."""
    from jiuye.cases import service

    job = _job_for(me, job_id)
    if job.state != "done":
        return _error(request, me, "筛查尚未完成，不能建案", 409)
    allowed = {x["procedure"] for x in _importable(me, job, job.summary())}
    if procedure not in allowed:
        return _error(request, me, f"本次筛查结果不能用于「{procedure}」建案", 422)
    try:
        from jiuye.cases.procedures import get_procedures

        rows = jobs.import_rows(job, get_procedures()[procedure].policy)
        report = service.import_batch(s, me, rows, procedure=procedure, source=f"名册筛查 {job.filename}（任务 {job.id}）",
                                      source_sha256=jobs.input_sha256(job), as_of=dt.date.fromisoformat(job.as_of))
    except service.CaseError as exc:
        return _error(request, me, str(exc), exc.status)
    # the service numbers rows within what it was given; show the roster's own row numbers
    skipped = [{"row": rows[x["row"] - 1].get("row", x["row"]), "reason": x["reason"]} for x in report["skipped"]]
    not_eligible = [x for x in skipped if x["reason"].startswith("筛查结论为")]
    return _page(request, "console/import.html", me, {
        "job": job, "r": report, "rows": len(rows), "problems": [x for x in skipped if x not in not_eligible],
        "not_eligible": len(not_eligible)}, status_code=201)
