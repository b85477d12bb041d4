"""Applying and following a case on the citizen site: the application form (prefilled from a 政策找人 link), the
applicant's cases, their steps and deadlines, attachments, and moving a case on (withdraw, answer a request). Only an
applicant account applies here; staff apply for someone from the console. Every POST carries the CSRF token."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from jiuye.config import today
from jiuye.knowledge.loader import KnowledgeBase, get_knowledge
from jiuye.web.pages import find
from jiuye.web.pages.accounts import to_login
from jiuye.web.pages.citizen import STATUS_LABEL, answered_rows, district_keys, procedures, procedures_for
from jiuye.web.pages.common import CSRF, DB, PageUser, beijing_time, render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
KB = Annotated[KnowledgeBase, Depends(get_knowledge)]

def _apply_context(request: Request, kb: KnowledgeBase, user, target: str, values, s=None) -> dict | Response:
    procs = procedures()
    proc = procs.get(target)
    if proc is None:
        choices = [x for x in procedures_for(target) if not x.no_application]
        if len(choices) > 1:  # a policy with several procedures: say which is which, by name
            return render(request, "apply_choose.html", {"user": user, "policy": kb.policies[target], "choices": choices})
        proc = choices[0] if choices else None
    if proc is None:
        name = kb.policies[target].name if target in kb.policies else target
        return render(request, "error.html", {"user": user, "status_code": 404, "message":
                      f"「{name}」不能在网上申请（资料没有给出办理流程）。请按政策页面上的地址和电话到经办机构办理。"},
                      status_code=404)
    qn = find.get_questionnaire()
    day = today()
    answers, errors = find.parse_answers(qn, values, proc.applicant, day)
    if proc.applicant == "person":
        # the applicant's own birth date and sex come from the 身份证号 of the account, not from the form
        answers.values.pop("birth_date", None)
        answers.values.pop("sex", None)
    if user is not None and not answers.values.get("district"):
        _default_district(s, user, answers, qn)
    policy = kb.policies[proc.policy]
    siblings = [x for x in procedures_for(proc.policy) if x.id != proc.id and not x.no_application]
    return {"user": user, "proc": proc, "policy": policy, "siblings": siblings, "answers": answers, "errors": errors, "qn": qn,
            "day": day, "districts": district_keys(kb)}


def _default_district(s, user, answers, qn) -> None:
    """A district the application form has not been given: the account's (an employer's registered
    district, or the one a person gave at registration), else the district whose GB/T 2260 code
    opens the person's 身份证号. Shown back on the form as a choice the person can change."""
    from jiuye.cases.models import Enterprise, Person
    from jiuye.screening import typed

    label = qn.question("district", answers.subject).label
    enterprise = s.get(Enterprise, user.enterprise_id) if s is not None and user.enterprise_id else None
    person = s.get(Person, user.person_id) if s is not None and user.person_id else None
    if enterprise is not None and enterprise.district:
        key, why = enterprise.district, "按单位注册时填写的旗县市"
    elif user.district:
        key, why = user.district, "按注册时填写的旗县市"
    elif person is not None and (key := typed.district_of_id(person.id_number)):
        why = f"按您身份证号的地址码（{person.id_number[:6]}）推定"
    else:
        return
    answers.values["district"] = key
    if "district" not in answers.order:
        answers.order.append("district")
    answers.echo["district"] = f"「{label}」：{why}为 {key}，不对请改"


def _apply_profile(s, user, answers) -> dict:
    from jiuye.cases.models import Person

    profile = find.to_profile(answers)
    if answers.subject == "person" and user.person_id:
        profile["id_number"] = s.get(Person, user.person_id).id_number
    return profile


def _render_apply(request: Request, s, ctx: dict, kb: KnowledgeBase, fields: dict, error: str | None = None,
                  status_code: int = 200):
    from jiuye.cases.procedures import materials_of
    from jiuye.screening import ProfileError, default_screener

    from jiuye.cases import parameter_sync

    proc, answers, qn = ctx["proc"], ctx["answers"], ctx["qn"]
    result = None
    parameter_sync.ensure_current()
    try:
        screen = default_screener().screen(_apply_profile(s, ctx["user"], answers), ctx["day"])
        result = next(r for r in screen.results if r.policy == proc.policy)
    except ProfileError as exc:
        ctx["errors"] = ctx["errors"] + [{"field": e["field"], "message": e["message"]} for e in exc.errors]
    questions = []
    if result is not None:
        for m in result.missing:
            target = find._resolve(qn, m.field, answers)
            q = qn.question(target, answers.subject) if target else None
            if q is not None and q.key not in [x.key for x in questions]:
                questions.append(q)
    if "district" not in [q.key for q in questions]:
        # always on the form, prefilled when known: a case is filed with the district that receives it
        questions.insert(0, qn.question("district", answers.subject))
    shown = {q.key for q in questions}
    from jiuye.cases.service import steps_view

    ctx.update(result=result, questions=questions, fields=fields, error=error, status_label=STATUS_LABEL,
               steps=steps_view(proc),
               amount=find.money(result.amount) if result else None, materials=materials_of(proc),
               hidden=[(k, v) for k, v in answers.query_items(qn) if k not in shown],
               answered=answered_rows(qn, answers, kb),
               back=find.share_query(qn, next((g for g in qn.groups.values() if g.subject == "enterprise"), None)
                                     if answers.subject == "enterprise" else None, answers),
               error_by_field={e["field"]: e["message"] for e in ctx["errors"] if e.get("field")})
    return render(request, "apply.html", ctx, status_code=status_code)


def _form_field_errors(proc, fields: dict, day) -> list[dict[str, str]]:
    """The procedure's own fields (录用日期 …): each one is needed; a date may be typed as people
    write it (2021年6月15日, 2021/6/15) and is kept as YYYY-MM-DD. Errors name the field."""
    from jiuye.screening import typed

    errors = []
    for name, text in proc.fields.items():
        raw = fields.get(name, "")
        if not raw:
            errors.append({"field": f"field_{name}", "message": f"请填写「{text}」"})
        elif name.endswith("_date"):
            try:
                value = typed.date(raw)
            except typed.TypedError as exc:
                errors.append({"field": f"field_{name}", "message": f"「{text}」：{exc}"})
                continue
            if value > day:
                errors.append({"field": f"field_{name}", "message": f"「{text}」：{value.isoformat()} 晚于今天"})
                continue
            fields[name] = value.isoformat()
    return errors


def _applicant_or_redirect(request: Request, user):
    if user is None:
        return to_login(request)
    if user.role != "applicant":
        return render(request, "error.html", {"user": user, "status_code": 403, "message":
                      "这是群众申请页面。工作人员代为申请请使用工作台。"}, status_code=403)
    return None


@router.get("/apply/{target}")
def apply_form(request: Request, kb: KB, s: DB, user: PageUser, target: str):
    """The application form, prefilled from a 政策找人 link (its query string)."""
    refused = _applicant_or_redirect(request, user)
    if refused is not None:
        return refused
    ctx = _apply_context(request, kb, user, target, request.query_params, s)
    if isinstance(ctx, Response):
        return ctx
    if ctx["proc"].no_application:
        return render(request, "error.html", {"user": user, "status_code": 200, "message":
                      f"「{ctx['proc'].name}」免申即享：经办机构按名册筛查主动办理，不需要申请。"})
    return _render_apply(request, s, ctx, kb, {})


@router.post("/apply/{target}", dependencies=[CSRF])
async def apply_submit(request: Request, kb: KB, s: DB, user: PageUser, target: str):
    refused = _applicant_or_redirect(request, user)
    if refused is not None:
        return refused
    form = await request.form()
    # Screening and the database work run in a worker thread, never on the event loop.
    return await run_in_threadpool(_apply_submit, request, kb, s, user, target, form)


def _apply_submit(request: Request, kb: KnowledgeBase, s, user, target: str, form):
    from jiuye.cases import service

    ctx = _apply_context(request, kb, user, target, form, s)
    if isinstance(ctx, Response):
        return ctx
    proc = ctx["proc"]
    fields = {name: str(form.get(f"field_{name}") or "").strip() for name in proc.fields}
    ctx["errors"] += _form_field_errors(proc, fields, ctx["day"])
    if not ctx["answers"].values.get("district"):
        label = ctx["qn"].question("district", ctx["answers"].subject).label
        ctx["errors"].append({"field": "district", "message": f"「{label}」：请选择所在的旗县市（申请由当地经办机构受理）"})
    if ctx["errors"]:
        return _render_apply(request, s, ctx, kb, fields, "请改正标出的内容后再提交。", 422)
    from jiuye.cases import throttle

    try:
        throttle.guard_application(s, user, throttle.address_of(request))
    except throttle.TooMany as exc:
        page = _render_apply(request, s, ctx, kb, fields, str(exc), 429)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    try:
        case = service.create_case(s, user, proc.id, profile=_apply_profile(s, user, ctx["answers"]),
                                   fields=fields, district=ctx["answers"].values.get("district"))
    except service.CaseError as exc:
        return _render_apply(request, s, ctx, kb, fields, str(exc), exc.status if exc.status != 400 else 422)
    return RedirectResponse(f"/my/cases/{case.id}?created=1", status_code=303)


@router.get("/my")
def my_cases(request: Request, s: DB, user: PageUser):
    from jiuye.cases import service

    refused = _applicant_or_redirect(request, user)
    if refused is not None:
        return refused
    _total, cases = service.list_cases(s, user, limit=200)
    rows = [service.case_summary(s, c, user) for c in cases]
    from jiuye.cases import tracking  # step, office, working days left, what is missing, messages

    for row, c in zip(rows, cases):
        row["track"] = tracking.tracking_view(s, user, c)
    return render(request, "my.html", {"user": user, "rows": rows, "money": find.money})


def _local(iso: str) -> str:
    """A stored UTC time as Beijing time, 'YYYY-MM-DD HH:MM' (the templates' `beijing` filter)."""
    return beijing_time(iso)


def _case_page(request: Request, s, user, case_id: int, notice: str | None = None, error: str | None = None,
               status_code: int = 200):
    from jiuye.cases import access, service

    try:
        case = service.load_case(s, user, case_id)
    except service.NotFound as exc:
        return render(request, "error.html", {"user": user, "status_code": 404, "message": str(exc)}, status_code=404)
    d = service.case_detail(s, user, case)
    can_upload = access.may_attach(user, case)[0]
    for e in d["events"]:
        e["at"] = _local(e["at"])
    d["created_at"] = _local(d["created_at"])
    snap = (d.get("screening_snapshot") or {}).get("result", {})
    return render(request, "my_case.html", {"user": user, "c": d, "snap": snap, "notice": notice, "error": error,
                                            "status_label": STATUS_LABEL, "amount": find.money(snap.get("amount")),
                                            "can_upload": can_upload, "track": _track(s, user, case)},
                  status_code=status_code)


def _track(s, user, case) -> dict:
    from jiuye.cases import tracking, window

    return {**tracking.tracking_view(s, user, case), "receipt": window.filing_of(s, case.id) is not None}


@router.get("/my/cases/{case_id}")
def my_case(request: Request, s: DB, user: PageUser, case_id: int, created: int = 0, done: str = ""):
    refused = _applicant_or_redirect(request, user)
    if refused is not None:
        return refused
    notice = "申请已提交。请按下面的材料清单准备材料，留意办理期限。" if created else (
        {"upload": "材料已上传。", "move": "已办理。"}.get(done))
    return _case_page(request, s, user, case_id, notice)


@router.post("/my/cases/{case_id}/attachments", dependencies=[CSRF])
def my_case_upload(request: Request, s: DB, user: PageUser, case_id: int, material: Annotated[str, Form()],
                         file: Annotated[UploadFile, File()]):
    from jiuye.cases import attachments, service

    refused = _applicant_or_redirect(request, user)
    if refused is not None:
        return refused
    data = file.file.read(attachments.max_bytes() + 1)
    try:
        attachments.add_attachment(s, user, case_id, material, file.filename or "file", data, file.content_type)
    except service.NotFound as exc:
        return render(request, "error.html", {"user": user, "status_code": 404, "message": str(exc)}, status_code=404)
    except service.CaseError as exc:
        return _case_page(request, s, user, case_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/my/cases/{case_id}?done=upload", status_code=303)


@router.get("/my/cases/{case_id}/attachments/{attachment_id}")
def my_case_download(request: Request, s: DB, user: PageUser, case_id: int, attachment_id: int):
    from jiuye.cases import attachments, service

    refused = _applicant_or_redirect(request, user)
    if refused is not None:
        return refused
    try:
        att, data = attachments.read_attachment(s, user, case_id, attachment_id)
    except service.CaseError as exc:
        return render(request, "error.html", {"user": user, "status_code": exc.status, "message": str(exc)},
                      status_code=exc.status)
    return Response(data, media_type=att.content_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(att.filename)}"})


@router.post("/my/cases/{case_id}/move", dependencies=[CSRF])
def my_case_move(request: Request, s: DB, user: PageUser, case_id: int, to: Annotated[str, Form()],
                 version: Annotated[int, Form()], comment: Annotated[str, Form()] = ""):
    """A step the applicant takes (撤回, 补正后重新提交); the version guards against a stale page."""
    from jiuye.cases import service

    refused = _applicant_or_redirect(request, user)
    if refused is not None:
        return refused
    try:
        service.transition(s, user, case_id, to, comment=comment.strip() or None, expected_version=version)
    except service.NotFound as exc:
        return render(request, "error.html", {"user": user, "status_code": 404, "message": str(exc)}, status_code=404)
    except service.CaseError as exc:
        return _case_page(request, s, user, case_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/my/cases/{case_id}?done=move", status_code=303)
