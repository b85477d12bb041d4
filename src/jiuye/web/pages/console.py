"""The staff console (login required): queue, case page, roster upload, dashboard, source audit,
parameters. A logged-out visitor (or an applicant) is redirected to /console/login, for GET and
POST alike (the login check runs before the CSRF check).

Every route is a thin layer: who may see or do what is decided by `jiuye.cases.service` (cases,
moves, 免申即享 import), `jiuye.cases.parameters` (rules parameters) and `jobs` (roster runs).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import func, select

from jiuye.config import retention_days, today
from jiuye.rules.period import AsOfOutOfRange, check_as_of
from jiuye.web.pages import jobs
from jiuye.web.pages.accounts import do_login
from jiuye.web.labels import labels
from jiuye.web.pages.common import CSRF, DB, CoreStaff, PageUser, Staff, render, safe_next, staff_user

router = APIRouter(prefix="/console", include_in_schema=False, default_response_class=HTMLResponse)
log = logging.getLogger("jiuye.console")

# Listed before CSRF in `dependencies`: a logged-out POST is sent to the login page, not refused.
STAFF = Depends(staff_user)


RosterStaff = CoreStaff  # rosters: not for partners
QUEUE_LIMIT = 300


def _page(request: Request, template: str, me, ctx: dict | None = None, status_code: int = 200):
    return render(request, template, {"user": me, "console": True, **(ctx or {})}, status_code=status_code)


def _error(request: Request, me, message: str, status_code: int):
    return _page(request, "console/message.html", me, {"message": message, "status_code": status_code},
                 status_code=status_code)


def yuan(fen: int | None) -> str:
    """'1,234.50 元' from fen; no amount is not 0 元."""
    if fen is None:
        return "金额未定"
    return f"{fen / 100:,.2f} 元"


# --- login -------------------------------------------------------------------------------------
@router.get("/login")
def login_form(request: Request, user: PageUser, next: str = "/console"):
    return render(request, "login.html", {"user": user, "next": safe_next(next, "/console"),
                                          "action": "/console/login", "title": "工作人员登录", "console": True})


@router.post("/login", dependencies=[CSRF])
def login_submit(request: Request, s: DB, username: Annotated[str, Form()], password: Annotated[str, Form()],
                 next: Annotated[str, Form()] = "/console"):
    return do_login(request, s, username, password, safe_next(next, "/console"), "/console/login", "工作人员登录")


# --- queue -------------------------------------------------------------------------------------
def _state_options(procs) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for p in procs.values():
        for code, st in p.states.items():
            if not st.final:
                seen.setdefault(code, st.label)
    return sorted(seen.items(), key=lambda kv: kv[1])


@router.get("")
def queue(request: Request, s: DB, me: Staff, state: str = "", procedure: str = "", scope: str = "mine"):
    """Cases of my district that my role may act on now (scope=all: every open case I may see),
    overdue first, then the longest waiting."""
    from jiuye.cases import service
    from jiuye.cases.procedures import get_procedures

    procs = get_procedures()
    error = None
    try:
        total, cases = service.list_cases(s, me, state=state or None, procedure=procedure or None,
                                          include_final=False, limit=100_000)
    except service.CaseError as exc:
        error, cases = str(exc), []
    day = today()
    rows = []
    for c in cases:
        proc = procs[c.procedure]
        actionable = [m for m in proc.moves_from(c.state) if service.may_take(me, c, m.role)[0]]
        if scope != "all" and not actionable:
            continue
        overdue = c.due_on is not None and c.due_on < day
        rows.append((c, proc, actionable, overdue))
    rows.sort(key=lambda r: (not r[3], r[0].state_entered_on, r[0].id))
    shown = []
    for c, proc, actionable, overdue in rows[:QUEUE_LIMIT]:
        summary = service.case_summary(s, c, me, on=day)
        shown.append({**summary, "entered": c.state_entered_on.isoformat(), "overdue": overdue,
                      "actions": [m.action for m in actionable]})
    return _page(request, "console/queue.html", me, {
        "rows": shown, "count": len(rows), "limit": QUEUE_LIMIT, "error": error, "scope": scope,
        "state": state, "procedure": procedure, "procedures": [(p.id, p.name) for p in procs.values()],
        "states": _state_options(procs), "role_label": _role_label(me)})


def _role_label(me) -> str:
    from jiuye.cases import roles

    return f"{roles.label(me.role)}{'（' + me.district + '）' if me.district else ''}"


# --- case page ---------------------------------------------------------------------------------
def _case_context(s, me, case_id: int) -> dict:
    from jiuye.cases import access, service
    from jiuye.cases.procedures import get_procedures

    case = service.load_case(s, me, case_id)
    d = service.case_detail(s, me, case)
    snap = d["screening_snapshot"] or {}
    res = snap.get("result") or {}
    d["snapshot"] = {"as_of": snap.get("as_of"), "kind": snap.get("kind"), "status": res.get("status"),
                     "status_label": res.get("status_label") or labels().of("screening_status", res.get("status")),
                     "amount": res.get("amount"), "amount_fen": res.get("amount_fen"), "unit": res.get("unit"),
                     "amount_text": res.get("amount_text"), "reasons": res.get("reasons") or [],
                     "source": snap.get("source"), "district": snap.get("district")}
    # the rule attachments.add_attachment applies: whoever acts at the current step, on an open case
    can_upload = access.may_attach(me, case)[0]
    proc = get_procedures().get(case.procedure)
    return {"c": d, "allowed": [m for m in d["moves"] if m["allowed"]], "others": [m for m in d["moves"] if not m["allowed"]],
            "yuan": yuan, "can_upload": can_upload, "field_labels": dict(proc.fields) if proc else {}}


@router.get("/cases/{case_id}")
def case_page(request: Request, s: DB, me: Staff, case_id: int, moved: str | None = None, uploaded: bool = False):
    from jiuye.cases import service

    try:
        ctx = _case_context(s, me, case_id)
    except service.CaseError as exc:
        return _error(request, me, str(exc), exc.status)
    return _page(request, "console/case.html", me, {**ctx, "moved": moved, "uploaded": uploaded})


@router.post("/cases/{case_id}/move", dependencies=[STAFF, CSRF])
def move_case(request: Request, s: DB, me: Staff, case_id: int, to: Annotated[str, Form()],
              version: Annotated[int, Form()], comment: Annotated[str, Form()] = ""):
    """Take one step (the same service call as POST /api/cases/{id}/transitions, with the version
    the page showed: if someone else moved the case meanwhile, nothing changes and we say so)."""
    from jiuye.cases import service

    try:
        service.transition(s, me, case_id, to, comment=comment, expected_version=version)
    except service.CaseError as exc:
        try:
            ctx = _case_context(s, me, case_id)
        except service.CaseError as exc2:
            return _error(request, me, str(exc2), exc2.status)
        kind = "conflict" if isinstance(exc, service.Conflict) else "error"
        return _page(request, "console/case.html", me, {**ctx, "error": str(exc), "error_kind": kind,
                                                         "comment": comment, "tried": to}, status_code=exc.status)
    return RedirectResponse(f"/console/cases/{case_id}?moved={quote(to)}", status_code=303)


@router.post("/cases/{case_id}/attachments", dependencies=[STAFF, CSRF])
def upload_attachment(request: Request, s: DB, me: Staff, case_id: int, material: Annotated[str, Form()],
                            file: Annotated[UploadFile, File()]):
    """Materials brought to the window, scanned by the staff member acting on the case
    (attachments.add_attachment: checklist, size, type by content, checksum)."""
    from jiuye.cases import attachments, service

    data = file.file.read(attachments.max_bytes() + 1)
    try:
        attachments.add_attachment(s, me, case_id, material, file.filename or "file", data, file.content_type)
    except service.CaseError as exc:
        s.rollback()
        try:
            ctx = _case_context(s, me, case_id)
        except service.CaseError as exc2:
            return _error(request, me, str(exc2), exc2.status)
        return _page(request, "console/case.html", me, {**ctx, "error": str(exc), "error_kind": "upload"},
                     status_code=exc.status)
    return RedirectResponse(f"/console/cases/{case_id}?uploaded=1", status_code=303)


@router.get("/cases/{case_id}/attachments/{attachment_id}", response_class=Response)
def download_attachment(request: Request, s: DB, me: Staff, case_id: int, attachment_id: int):
    from jiuye.cases import attachments, service

    try:
        att, data = attachments.read_attachment(s, me, case_id, attachment_id)
    except service.CaseError as exc:
        return _error(request, me, str(exc), exc.status)
    return Response(data, media_type=att.content_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(att.filename)}", "X-Checksum-SHA256": att.sha256})


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


# --- dashboard ---------------------------------------------------------------------------------
def plotly_asset() -> tuple[Path, str]:
    """plotly.min.js as shipped inside the `plotly` Python package (pinned), and its version."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    from plotly.offline import get_plotlyjs_version

    return path, get_plotlyjs_version()


@router.get("/assets/plotly-{version}.min.js", response_class=FileResponse)
def plotly_js(version: str):
    """The chart library, served by this app (no CDN: the site runs inside a government network).
    The URL carries the version, so browsers may keep it for a year."""
    path, current = plotly_asset()
    if version != current or not path.exists():
        raise HTTPException(status_code=404, detail="没有这个版本的图表脚本")
    return FileResponse(path, media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})


def dashboard_data(s, me) -> dict:
    from jiuye.cases import roles, service
    from jiuye.cases.models import Case
    from jiuye.cases.procedures import get_procedures

    procs = get_procedures()
    day = today()
    vis = service.visibility(me)
    by_proc_state = s.execute(select(Case.procedure, Case.state, func.count(), func.sum(Case.amount_fen),
                                     func.count(Case.amount_fen)).where(vis).group_by(Case.procedure, Case.state)).all()
    by_policy: dict[str, int] = {}
    by_state: dict[str, int] = {}
    paid = pending = 0
    paid_n = pending_n = pending_unknown = 0
    for proc_id, state, n, total, known in by_proc_state:
        p = procs.get(proc_id)
        name = p.name if p else proc_id
        st = p.states.get(state) if p else None
        by_policy[name] = by_policy.get(name, 0) + n
        by_state[f"{name}：{p.state_label(state) if p else state}"] = n
        if st is not None and st.final and st.outcome == "paid":
            paid += int(total or 0)
            paid_n += n
        elif st is not None and not st.final:
            pending += int(total or 0)
            pending_n += known
            pending_unknown += n - known
    by_district = dict(s.execute(select(Case.district, func.count()).where(vis).group_by(Case.district)
                                 .order_by(Case.district)).all())
    overdue = dict(s.execute(select(Case.district, func.count()).where(
        vis, Case.final.is_(False), Case.due_on.is_not(None), Case.due_on < day).group_by(Case.district)
        .order_by(Case.district)).all())
    latest = next((j for j in jobs.list_jobs() if j.state == "done" and jobs.may_see(me, j)), None)
    batch = None
    if latest is not None:
        sm = latest.summary() or {}
        batch = {"job": latest, "as_of": sm.get("as_of"), "subject": latest.subject,
                 "districts": {d: {"eligible": v["eligible"], "needs_information": v["needs_information"],
                                   "total_fen": v["total_fen"], "accepted_rows": v["accepted_rows"],
                                   "amount_pending": v.get("amount_pending", 0)}
                               for d, v in (sm.get("districts") or {}).items()}}
    return {"as_of": day.isoformat(), "scope": "全盟" if me.role == "admin" else (me.district or ""),
            "role": roles.label(me.role),
            "by_policy": dict(sorted(by_policy.items(), key=lambda kv: -kv[1])), "by_state": by_state,
            "by_district": by_district, "overdue": overdue, "overdue_total": sum(overdue.values()),
            "money": {"paid_fen": paid, "paid_cases": paid_n, "pending_fen": pending, "pending_cases": pending_n,
                      "pending_unknown": pending_unknown},
            "batch": batch}


def _charts(d: dict) -> list[dict]:
    """Plotly figures (plain JSON: data + layout) for the dashboard."""
    def bar(x, y, name=None, horizontal=False, color="#a31515"):
        t = {"type": "bar", "marker": {"color": color}, "hovertemplate": "%{y}: %{x}<extra></extra>" if horizontal else None}
        if horizontal:
            t.update(x=list(y), y=list(x), orientation="h")
        else:
            t.update(x=list(x), y=list(y))
        if name:
            t["name"] = name
        return {k: v for k, v in t.items() if v is not None}

    def layout(title, horizontal=False, n=5, counts=(), **kw):
        lay = {"title": {"text": title}, "margin": {"l": 260 if horizontal else 60, "r": 20, "t": 50, "b": 80},
               "height": max(280, 28 * n + 120) if horizontal else 340, "font": {"size": 13}}
        if horizontal:
            lay["yaxis"] = {"autorange": "reversed", "automargin": True}
        if counts:  # whole numbers of cases: no 0.5 ticks
            axis = {"tickformat": ",d", "rangemode": "tozero", "dtick": max(1, -(-max(counts, default=1) // 8))}
            lay["xaxis" if horizontal else "yaxis"] = {**lay.get("xaxis" if horizontal else "yaxis", {}), **axis}
        lay.update(kw)
        return lay

    charts = [
        {"id": "by-policy", "data": [bar(d["by_policy"].keys(), d["by_policy"].values(), horizontal=True)],
         "layout": layout("各事项案件数", True, len(d["by_policy"]), d["by_policy"].values())},
        {"id": "by-state", "data": [bar(d["by_state"].keys(), d["by_state"].values(), horizontal=True, color="#37a")],
         "layout": layout("各状态案件数", True, len(d["by_state"]), d["by_state"].values())},
        {"id": "by-district", "data": [bar(d["by_district"].keys(), d["by_district"].values())],
         "layout": layout("各旗县市案件数", counts=d["by_district"].values())},
        {"id": "money", "data": [bar(["已发放", "办理中（金额已知）"],
                                     [d["money"]["paid_fen"] / 100, d["money"]["pending_fen"] / 100], color="#1b5e20")],
         "layout": layout("金额（元，按建案时的筛查金额）")},
        {"id": "overdue", "data": [bar(d["overdue"].keys(), d["overdue"].values(), color="#b26a00")],
         "layout": layout("逾期案件数（按旗县市）", counts=d["overdue"].values())},
    ]
    b = d.get("batch")
    if b:
        ds = b["districts"]
        charts.append({"id": "batch", "data": [
            bar(ds.keys(), [v["eligible"] for v in ds.values()], name="符合（人次）", color="#1b5e20"),
            bar(ds.keys(), [v["needs_information"] for v in ds.values()], name="还需要信息（人次）", color="#b26a00"),
        ], "layout": layout(f"最近一次名册筛查（{b['as_of']}）各旗县市结果", barmode="group")})
    return charts


@router.get("/dashboard")
def dashboard(request: Request, s: DB, me: Staff):
    d = dashboard_data(s, me)
    _path, version = plotly_asset()
    return _page(request, "console/dashboard.html", me, {
        "d": d, "charts_json": json.dumps(_charts(d), ensure_ascii=False).replace("</", "<\\/"),
        "plotly_src": f"/console/assets/plotly-{version}.min.js", "yuan": yuan})


# --- source audit ------------------------------------------------------------------------------
@router.get("/audit")
def source_audit(request: Request, me: Staff, as_of: str = ""):
    from jiuye.knowledge.audit import audit
    from jiuye.knowledge.loader import get_knowledge

    error = None
    try:
        day = check_as_of(dt.date.fromisoformat(as_of) if as_of else today())
    except AsOfOutOfRange as exc:
        return _error(request, me, f"资料核查日期：{exc}", 422)
    except ValueError:
        day, error = today(), f"日期「{as_of}」应为 YYYY-MM-DD 格式，已按今天显示"
    kb = get_knowledge()
    findings = audit(kb, day)
    order = {"high": 0, "medium": 1, "low": 2}
    findings = sorted(findings, key=lambda f: (order.get(f.severity, 3), f.id))
    names = {pid: p.name for pid, p in kb.policies.items()}
    counts = {k: sum(f.severity == k for f in findings) for k in ("high", "medium", "low")}
    return _page(request, "console/audit.html", me, {"findings": findings, "day": day.isoformat(), "names": names,
                                                     "counts": counts, "error": error})


# --- rules parameters --------------------------------------------------------------------------
@router.get("/parameters")
def parameters_list(request: Request, s: DB, me: Staff, q: str = ""):
    from jiuye.cases import parameters as P

    items = P.list_parameters()
    if q.strip():
        needle = q.strip().lower()
        items = [p for p in items if needle in p.path.lower() or needle in p.description.lower()]
    return _page(request, "console/parameters.html", me, {
        "items": items, "q": q, "recent": P.recent_edits(s), "may_edit": P.may_edit(me), "day": today().isoformat(),
        "editors": "、".join(_role_names(P.EDITOR_ROLES))})


def _role_names(codes) -> list[str]:
    from jiuye.cases import roles

    return [("盟本级" + roles.label(c)) if c == "hrss" else roles.label(c) for c in codes]


def _param_context(s, me, path: str) -> dict:
    from jiuye.cases import parameters as P

    info = P.get_parameter(path)
    return {"p": info, "history": P.history(s, path), "may_edit": P.may_edit(me), "day": today().isoformat(),
            "editors": "、".join(_role_names(P.EDITOR_ROLES))}


@router.get("/parameters/{path}")
def parameter_page(request: Request, s: DB, me: Staff, path: str, saved: str | None = None):
    from jiuye.cases import parameters as P

    try:
        ctx = _param_context(s, me, path)
    except P.ParameterError as exc:
        return _error(request, me, str(exc), exc.status)
    return _page(request, "console/parameter.html", me, {**ctx, "saved": saved})


@router.post("/parameters/{path}", dependencies=[STAFF, CSRF])
def parameter_edit(request: Request, s: DB, me: Staff, path: str, value: Annotated[str, Form()] = "",
                   start: Annotated[str, Form()] = "", source: Annotated[str, Form()] = "",
                   comment: Annotated[str, Form()] = ""):
    from jiuye.cases import parameters as P

    try:
        row = P.edit_parameter(s, me, path, value, start, source, comment)
    except P.ParameterError as exc:
        try:
            ctx = _param_context(s, me, path)
        except P.ParameterError as exc2:
            return _error(request, me, str(exc2), exc2.status)
        return _page(request, "console/parameter.html", me, {
            **ctx, "error": str(exc), "field": exc.field,
            "form": {"value": value, "start": start, "source": source, "comment": comment}}, status_code=exc.status)
    return RedirectResponse(f"/console/parameters/{quote(path)}?saved={row.id}", status_code=303)


# --- identity check at the window ----------------------------------------------------------------
@router.get("/identity")
def identity_form(request: Request, me: Staff):
    return _page(request, "console/identity.html", me)


@router.post("/identity", dependencies=[STAFF, CSRF])
def identity_submit(request: Request, s: DB, me: Staff, username: Annotated[str, Form()] = "",
                    number: Annotated[str, Form()] = ""):
    """Staff check the ID card (a person's account) or the 营业执照 (a 用人单位's account) and
    confirm a self-registered account (service.verify_identity)."""
    from jiuye.cases import service
    from jiuye.cases.security import mask_credit_code, mask_id_number

    try:
        user = service.verify_identity(s, me, username.strip(), number)
    except service.CaseError as exc:
        s.rollback()
        return _page(request, "console/identity.html", me, {"error": str(exc), "username": username},
                     status_code=exc.status)
    shown = mask_credit_code(number.strip().upper()) if user.person_id is None else mask_id_number(number.strip())
    return _page(request, "console/identity.html", me,
                 {"done": f"已核验账号 {user.username}（{user.display_name}，{shown}）的身份。"})
