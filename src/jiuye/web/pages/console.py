"""The staff console (login required): queue, case page, source audit, parameters, the identity check at the
window; the roster upload is in console_roster.py, the dashboard in console_dashboard.py. A logged-out visitor
(or an applicant) is redirected to /console/login, for GET and POST alike (the login check runs before the CSRF
check).

Every route is a thin layer: who may see or do what is decided by `jiuye.cases.service` (cases, moves) and
`jiuye.cases.parameters` (rules parameters).
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jiuye.config import today
from jiuye.rules.period import AsOfOutOfRange, check_as_of
from jiuye.web.pages.accounts import do_login
from jiuye.web.labels import labels
from jiuye.web.pages.common import CSRF, DB, CoreStaff, PageUser, Staff, render, safe_next, staff_user

router = APIRouter(prefix="/console", include_in_schema=False, default_response_class=HTMLResponse)

# Listed before CSRF in `dependencies`: a logged-out POST is sent to the login page, not refused.
STAFF = Depends(staff_user)


RosterStaff = CoreStaff  # rosters (console_roster.py): not for partners
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
