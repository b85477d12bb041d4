"""窗口受理 in the console (issue 17, item 2): staff find or register the applicant, screen as of today,
tick each material received / missing / not applicable, open the case and print the 受理回执 and,
where something is missing, the 一次性告知书 (PDF). Thin routes over jiuye.cases.window (rules,
audit) and jiuye.cases.receipts (the PDFs).

The 身份证号 travels only in POST bodies (never in an address), and is shown masked once checked.
The applicant's own copy of the receipts: /my/cases/{id}/receipt.pdf (and notice.pdf).
"""
from __future__ import annotations


from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jiuye.config import today
from jiuye.web.pages import find
from jiuye.web.pages.common import CSRF, DB, PageUser, Staff, render, staff_user

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
STAFF = Depends(staff_user)
STATUS_LABEL = {"eligible": "可以享受", "needs_information": "还需要信息", "not_eligible": "不符合", "window_closed": "期限已过"}
CHOICE = {"received": "已收", "missing": "尚缺", "na": "不适用"}


def _page(request: Request, template: str, me, ctx: dict | None = None, status_code: int = 200):
    return render(request, template, {"user": me, "console": True, **(ctx or {})}, status_code=status_code)


def _procs(kind: str | None = None):
    from jiuye.cases import window

    return window.window_procedures(kind)


def _districts() -> list[str]:
    from jiuye.knowledge.loader import get_knowledge

    return [d.key for d in get_knowledge().districts]


@router.get("/console/window")
def window_form(request: Request, me: Staff):
    from jiuye.cases import window

    ok, why = window.may_file(me, me.district)
    return _page(request, "console/window.html", me, {
        "step": "identify", "person_procs": _procs("person"), "firm_procs": _procs("enterprise"), "form": {},
        "refused": None if ok else why})


async def _form(request: Request):
    """The posted form (its field names vary with the procedure and the questions asked), read here so
    that the routes themselves stay synchronous and run in a worker thread."""
    return await request.form()


Posted = Annotated[Any, Depends(_form)]


@router.post("/console/window", dependencies=[STAFF, CSRF])
def window_submit(request: Request, s: DB, me: Staff, form: Posted):
    return _submit(request, s, me, form)


def _materials_from(form, materials: list[str]) -> tuple[list[str], list[str], dict[int, str]]:
    received, na, chosen = [], [], {}
    for i, m in enumerate(materials):
        v = str(form.get(f"mat_{i}") or "missing")
        chosen[i] = v if v in CHOICE else "missing"
        if v == "received":
            received.append(m)
        elif v == "na":
            na.append(m)
    return received, na, chosen


def _submit(request: Request, s, me, form):
    from jiuye.cases import service, window
    from jiuye.cases.procedures import get_procedures, materials_of

    f = {k: str(form.get(k) or "").strip() for k in ("w_procedure", "w_id_number", "w_name", "w_card",
                                                        "w_credit_code", "w_step", "w_firm_name")}
    base = {"person_procs": _procs("person"), "firm_procs": _procs("enterprise"), "form": f}
    proc = get_procedures().get(f["w_procedure"])
    if proc is not None and proc.applicant == "enterprise" and f["w_firm_name"]:
        f["w_name"] = f["w_firm_name"]
    if proc is None or proc.no_application:
        return _page(request, "console/window.html", me, {**base, "step": "identify",
                     "error": "请选择申请事项", "error_field": "w_procedure"}, status_code=422)
    try:
        who = window.identify(s, proc.applicant, id_number=f["w_id_number"], name=f["w_name"], card=f["w_card"],
                              credit_code=f["w_credit_code"])
    except service.CaseError as exc:
        return _page(request, "console/window.html", me, {**base, "step": "identify", "error": str(exc),
                     "error_field": "w_" + str(exc.extra.get("field", ""))}, status_code=exc.status)
    qn = find.get_questionnaire()
    day = today()
    answers, errors = find.parse_answers(qn, form, proc.applicant, day)
    answers.values.pop("birth_date", None)  # from the 身份证号
    answers.values.pop("sex", None)
    if not answers.values.get("district"):
        answers.values["district"] = (who.get("district") if proc.applicant == "enterprise" else None) or me.district
        answers.order.append("district")
    profile = find.to_profile(answers)
    if proc.applicant == "person":
        from jiuye.idcard import parse_id_number

        profile["id_number"] = parse_id_number(f["w_id_number"], today=day).number
    materials = materials_of(proc)
    received, na, chosen = _materials_from(form, materials)
    fields = {name: str(form.get(f"field_{name}") or "").strip() for name in proc.fields}
    ctx = {**base, "step": "screen", "proc": proc, "who": who, "answers": answers, "qn": qn,
           "materials": [(i, m, window.conditional(m), chosen.get(i, "missing")) for i, m in enumerate(materials)],
           "fields": fields, "districts": _districts(), "errors": errors, "choice": CHOICE}
    if f["w_step"] == "file" and not errors:
        try:
            case, filing = window.file_at_window(
                s, me, proc.id, profile=profile, fields=fields, received=received, not_applicable=na,
                district=answers.values.get("district"), id_number=f["w_id_number"], name=f["w_name"],
                card=f["w_card"], credit_code=f["w_credit_code"])
        except service.CaseError as exc:
            return _screen(request, s, me, ctx, profile, str(exc), exc.status)
        return RedirectResponse(f"/console/window/cases/{case.id}", status_code=303)
    return _screen(request, s, me, ctx, profile, None, 422 if errors else 200)


def _screen(request, s, me, ctx, profile, error, status_code):
    """The screening as of today for what is known, the questions that would settle it."""
    from jiuye.cases import parameter_sync
    from jiuye.screening import ProfileError, default_screener

    proc, answers, qn = ctx["proc"], ctx["answers"], ctx["qn"]
    result = None
    parameter_sync.ensure_current()
    try:
        res = default_screener().screen(profile, today())
        result = next(r for r in res.results if r.policy == proc.policy)
    except ProfileError as exc:
        ctx["errors"] = ctx["errors"] + [{"field": e["field"], "message": e["message"]} for e in exc.errors]
    questions = [qn.question("district", answers.subject)]
    for m in (result.missing if result else []):
        target = find._resolve(qn, m.field, answers)
        q = qn.question(target, answers.subject) if target else None
        if q is not None and q.key not in [x.key for x in questions]:
            questions.append(q)
    shown = {q.key for q in questions}
    from jiuye.cases import parameters, roles

    editors = "、".join(("盟本级" + roles.label(c)) if c == "hrss" else roles.label(c) for c in parameters.EDITOR_ROLES)
    ctx.update(result=result, questions=questions, error=error, status_label=STATUS_LABEL, editors=editors,
               amount=find.money(result.amount) if result else None,
               hidden=[(k, v) for k, v in answers.query_items(qn) if k not in shown],
               error_by_field={e["field"]: e["message"] for e in ctx["errors"] if e.get("field")})
    return _page(request, "console/window.html", me, ctx, status_code=status_code)


# --- after filing: the receipts -------------------------------------------------------------------
def _filed_context(s, me, case_id: int) -> dict:
    from jiuye.cases import service, window

    d = window.receipt_data(s, me, case_id)
    return {"d": d, "case": service.case_summary(s, service.load_case(s, me, case_id), me)}


@router.get("/console/window/cases/{case_id}")
def filed(request: Request, s: DB, me: Staff, case_id: int, done: str = ""):
    from jiuye.cases import service

    try:
        ctx = _filed_context(s, me, case_id)
    except service.CaseError as exc:
        return _page(request, "console/message.html", me, {"message": str(exc), "status_code": exc.status},
                     status_code=exc.status)
    return _page(request, "console/window_filed.html", me, {**ctx, "done": done})


@router.post("/console/window/cases/{case_id}/received", dependencies=[STAFF, CSRF])
def received(request: Request, s: DB, me: Staff, case_id: int, form: Posted):
    return _received(request, s, me, case_id, [str(v) for v in form.getlist("material")])


def _received(request, s, me, case_id: int, materials: list[str]):
    from jiuye.cases import service, window

    try:
        window.mark_received(s, me, case_id, materials)
    except service.CaseError as exc:
        try:
            ctx = _filed_context(s, me, case_id)
        except service.CaseError as exc2:
            return _page(request, "console/message.html", me, {"message": str(exc2), "status_code": exc2.status},
                         status_code=exc2.status)
        return _page(request, "console/window_filed.html", me, {**ctx, "error": str(exc)}, status_code=exc.status)
    return RedirectResponse(f"/console/window/cases/{case_id}?done=received", status_code=303)


def _pdf(s, user, case_id: int, kind: str) -> Response:
    from jiuye.cases import receipts, service, window

    d = window.receipt_data(s, user, case_id)
    if kind == "notice" and not d["missing"]:
        raise service.NotFound("材料齐全，没有一次性告知书")
    data = receipts.receipt_pdf(d) if kind == "receipt" else receipts.notice_pdf(d)
    window.record_print(s, user, case_id, kind, receipts.sha256(data))
    name = f"{'受理回执' if kind == 'receipt' else '一次性告知书'}-{d['receipt_no']}.pdf"
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"})


def _pdf_or_page(request: Request, s, user, case_id: int, kind: str, console: bool):
    from jiuye.cases import receipts, service

    try:
        return _pdf(s, user, case_id, kind)
    except (service.CaseError, receipts.NoFont) as exc:
        s.rollback()
        status = getattr(exc, "status", 500)
        if console:
            return _page(request, "console/message.html", user, {"message": str(exc), "status_code": status},
                         status_code=status)
        return render(request, "error.html", {"user": user, "status_code": status, "message": str(exc)},
                      status_code=status)


@router.get("/console/window/cases/{case_id}/{kind}.pdf", response_class=Response)
def staff_pdf(request: Request, s: DB, me: Staff, case_id: int, kind: str):
    if kind not in ("receipt", "notice"):
        return _page(request, "console/message.html", me, {"message": "没有这种文书", "status_code": 404},
                     status_code=404)
    return _pdf_or_page(request, s, me, case_id, kind, True)


@router.get("/my/cases/{case_id}/{kind}.pdf", response_class=Response)
def applicant_pdf(request: Request, s: DB, user: PageUser, case_id: int, kind: str):
    if user is None or user.role != "applicant":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    if kind not in ("receipt", "notice"):
        return render(request, "error.html", {"user": user, "status_code": 404, "message": "没有这种文书"},
                      status_code=404)
    return _pdf_or_page(request, s, user, case_id, kind, False)


__all__ = ["router"]
