"""The citizen site: home and search, policies, 政策找人, contacts and services. Register and login are in
`accounts`, applying and following a case in `applications`; the helpers they share are here.

No login is needed to look; applying and following a case need an applicant account. Every route
is a thin layer over the service layer: jiuye.ask (search), jiuye.screening via `find` (政策找人),
jiuye.knowledge.catalogue (policies, contacts), jiuye.cases.service (accounts, cases). Every POST
carries the session's CSRF token (`dependencies=[CSRF]`), checked before any work is done.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from jiuye.config import today
from jiuye.knowledge import catalogue
from jiuye.knowledge.audit import audit
from jiuye.knowledge.catalogue import UnknownName
from jiuye.knowledge.loader import KnowledgeBase, get_knowledge
from jiuye.knowledge.models import DOCUMENTS
from jiuye.web.pages import find
from jiuye.web.pages.common import PageUser, render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
KB = Annotated[KnowledgeBase, Depends(get_knowledge)]

STATUS_LABEL = {"eligible": "可以享受", "needs_information": "还需要信息", "not_eligible": "不符合", "window_closed": "期限已过"}


def district_keys(kb: KnowledgeBase) -> list[str]:
    return [d.key for d in kb.districts]


def procedures() -> dict:
    from jiuye.cases.procedures import get_procedures

    return get_procedures()


def procedures_for(policy_id: str, subject: str | None = None) -> list:
    """The procedures (办理流程) of a policy, the one named like the policy first (《就业创业证》:
    申领, then 补发 and 更换)."""
    found = [p for p in procedures().values()
             if p.policy == policy_id and (subject is None or p.applicant == subject)]
    return sorted(found, key=lambda p: (p.id != policy_id, p.id))


# --- home and search ---------------------------------------------------------------------------
@router.get("/")
def home(request: Request, kb: KB, user: PageUser):
    qn = find.get_questionnaire()
    day = today()
    findings = audit(kb, day)
    rows = [catalogue.policy_summary(p, day, sum(p.id in f.policies for f in findings))
            for p in sorted(kb.policies.values(), key=lambda p: (p.kind, p.name))]
    return render(request, "index.html", {"groups": list(qn.groups.values()), "districts": district_keys(kb),
                                          "rows": rows, "policies": len(kb.policies), "entries": len(kb.entries),
                                          "user": user})


@router.get("/ask")
def ask(request: Request, kb: KB, user: PageUser, q: str = "", district: str = "", entry: str = ""):
    from jiuye.ask.engine import get_engine

    q = q.strip()[:500]
    ctx = {"q": q, "district": district, "districts": district_keys(kb), "user": user, "title": "问一问"}
    shown = get_engine(kb).show(entry[:40], q, district or None, today()) if entry else None  # a sister followed
    if not q and shown is None:
        ctx["empty"] = True
        return render(request, "ask.html", ctx)
    result = shown or get_engine(kb).ask(q, top=3, district=district or None, as_of=today())
    if not shown:
        from jiuye.web import front_door

        result["services"] = front_door.live(result["intents"], result["district"])  # jobs, fairs, courses …
    ctx["result"] = result
    ctx["policy_names"] = {pid: p.name for pid, p in kb.policies.items()}
    return render(request, "ask.html", ctx)


# --- 政策找人 -------------------------------------------------------------------------------------
@router.post("/find")
async def find_post(request: Request):
    """A page with the 身份证号 question is posted (a number never goes into an address): the facts it
    gives replace it, and the person is sent on to the page address (303)."""
    form = await request.form()
    fields = {k: form.get(k) for k in form.keys() if isinstance(form.get(k), str)}
    return await run_in_threadpool(_without_id_number, find.get_questionnaire(), fields)


def _without_id_number(qn, params) -> RedirectResponse:
    """303 to the same /find page with a typed 身份证号 turned into the facts it gives (and `bad`
    naming answers that were refused, asked again first)."""
    group = qn.groups.get(str(params.get("group") or ""))
    subject = group.subject if group else "person"
    answers, errors = find.parse_answers(qn, params, subject, today())
    bad = [e["field"] for e in errors]
    for key in bad:
        answers.values.pop(key, None)
    extra = {"start": "1" if group is None else "", "show": "1" if params.get("show") == "1" else "",
             "bad": ",".join(bad), "from_id": "1" if answers.values.get("id_card") and "id_card" in answers.echo else ""}
    return RedirectResponse("/find?" + find.share_query(qn, group, answers, **extra), status_code=303)


@router.get("/find")
def find_page(request: Request, kb: KB, user: PageUser):
    qn = find.get_questionnaire()
    params = request.query_params
    if params.get("id_card") not in (None, "", "1"):  # a number typed into an address: never kept there
        return _without_id_number(qn, params)
    group_key = params.get("group") or ""
    group = qn.groups.get(group_key)
    ctx = {"user": user, "groups": list(qn.groups.values()), "group": group, "districts": district_keys(kb)}
    if group_key and group is None:
        ctx["error"] = f"没有「{group_key}」这个人群，请从下面选择。"
        return render(request, "find_start.html", ctx, status_code=404)
    subject = group.subject if group else "person"
    day = today()
    answers, errors = find.parse_answers(qn, params, subject, day)
    if group is None and not answers.values and not params.get("start"):
        return render(request, "find_start.html", ctx)
    find.apply_preset(qn, group, answers)
    ask_first = [k for k in (params.get("ask") or "").split(",") if qn.question(k, subject)]
    refused = [k for k in (params.get("bad") or "").split(",") if qn.question(k, subject)]
    errors += [{"field": k, "message": f"「{qn.question(k, subject).label}」：没有读懂，请重新填写"
                                       + ("（号码的位数、出生日期或校验码不对；也可以不填）" if k == "id_card" else "")}
               for k in refused]
    ask_first += refused + [e["field"] for e in errors if qn.question(e["field"], subject)]  # refused: asked again
    for key in ask_first:
        answers.values.pop(key, None)
    screened = find.screen_answers(answers, day)
    if screened.errors:  # facts that contradict each other or the date: ask those again
        for e in screened.errors:
            key = e["field"] if qn.question(e["field"], subject) else None
            if key:
                answers.values.pop(key, None)
                ask_first.append(key)
        errors += screened.errors
        screened = find.screen_answers(answers, day)
        if screened.errors:  # still wrong: start over, with the messages
            errors += screened.errors
            answers.values.clear()
            screened = find.screen_answers(answers, day)
    questions, remaining = find.next_questions(qn, kb, group, answers, screened)
    forced = [qn.question(k, subject) for k in dict.fromkeys(ask_first) if k not in answers.values]
    questions = list({q.key: q for q in forced + questions}.values())[:max(qn.per_step, len(forced))]
    error_by_field = {e["field"]: e["message"] for e in errors if e.get("field")}
    show = params.get("show") == "1" and not errors
    share = find.share_query(qn, group, answers)
    ctx.update(answers=answers, share=share, as_of=day.isoformat(), errors=errors, error_by_field=error_by_field,
               answered=answered_rows(qn, answers, kb), remaining=remaining)
    if show or not questions:
        ctx["rows"] = find.group_results(qn, kb, screened, subject, group, procedures())
        ctx["district"] = answers.values.get("district")
        ctx["more"] = bool(questions)
        ctx["result_url"] = f"/find?{share}&show=1" if share else "/find?show=1"
        return render(request, "find_result.html", ctx)
    shown = {q.key for q in questions}
    ctx["hidden"] = [(k, v) for k, v in answers.query_items(qn) if k not in shown]
    ctx["questions"] = questions
    ctx["summary"] = screened.result.summary if screened.result is not None else {}
    ctx["step"] = len([k for k in answers.values if k not in (group.preset if group else {})]) // qn.per_step + 1
    ctx["post"] = any(q.kind == "idcard" for q in questions)
    if params.get("from_id") == "1" and answers.values.get("id_card"):
        ctx["from_id"] = [r for r in ctx["answered"] if r["key"] in find.IDENTITY_FACTS]
    return render(request, "find.html", ctx, status_code=422 if errors else 200)


def answered_rows(qn, answers, kb) -> list[dict]:
    """The answers in words, each with a link that asks it again."""
    rows = []
    for key, raw in answers.query_items(qn):
        q = qn.question(key, answers.subject)
        value = answers.values.get(key)
        if q.kind == "idcard":
            text = "已填写（只用来推算出生年月、性别和旗县市，号码未保存）" if value else "没有填"
        elif value is None:
            text = "不知道"
        elif q.kind == "yesno":
            text = q.yes_text if value else q.no_text
        elif q.kind == "choice":
            text = q.options.get(value, value)
        else:
            text = f"{raw}{(' ' + q.unit) if q.unit and q.unit != '元' else (' 元' if q.unit == '元' else '')}"
        if key in answers.inferred:
            text += f"（没有问：{answers.inferred[key]}）"
        rows.append({"key": key, "label": q.label, "text": text})
    return rows


# --- policies and contacts -----------------------------------------------------------------------
@router.get("/policies")
def policies(request: Request, kb: KB, user: PageUser, group: str = ""):
    for_ = request.query_params.get("for", "")
    qn = find.get_questionnaire()
    day = today()
    ctx = {"user": user, "groups": list(qn.groups.values()), "group": group, "for_": for_, "title": "全部政策"}
    if for_ and for_ not in ("person", "enterprise"):
        ctx["error"] = "「对象」只能是 个人 或 用人单位。"
        for_ = ""
    items = list(kb.policies.values())
    g = qn.groups.get(group)
    if g is not None:
        keep = find.relevant_policies(kb, g)
        items = [p for p in items if p.id in keep]
        ctx["group_label"] = g.label
    elif group:
        try:
            items = catalogue.list_policies(kb, None, group)
            ctx["group_label"] = group
        except UnknownName as exc:
            ctx["error"] = str(exc)
    if for_:  # a policy for them, or one they take part in (就业见习's young person)
        items = [p for p in items if for_ in p.for_ or (p.participant is not None and p.participant.subject == for_)]
    findings = audit(kb, day)
    rows = [catalogue.policy_summary(p, day, sum(p.id in f.policies for f in findings))
            for p in sorted(items, key=lambda p: (p.for_[0], p.kind, p.id))]
    for r in rows:
        choices = procedures_for(r["id"], for_ or None) or procedures_for(r["id"])
        proc = choices[0] if choices else None
        r["apply"] = proc.id if proc is not None and not proc.no_application else None
    ctx["rows"] = rows
    return render(request, "policies.html", ctx, status_code=422 if ctx.get("error") else 200)


@router.get("/policies/{policy_id}")
def policy_page(request: Request, kb: KB, user: PageUser, policy_id: str, district: str | None = None):
    try:
        p = catalogue.get_policy(kb, policy_id)
        d = catalogue.policy_detail(kb, p, today(), district or None)
    except UnknownName as exc:
        return render(request, "error.html", {"message": str(exc), "user": user, "status_code": 404}, status_code=404)
    from jiuye.cases.service import steps_view

    procs = procedures_for(p.id)
    return render(request, "policy.html", {"p": d, "districts": district_keys(kb), "district": district,
                                           "user": user, "documents": DOCUMENTS,
                                           "procedure": procs[0] if procs else None,
                                           "participant": p.participant,
                                           "procedures": [(x, steps_view(x)) for x in procs]})


@router.get("/contacts")
def contacts(request: Request, kb: KB, user: PageUser, district: str = ""):
    ctx = {"user": user, "districts": district_keys(kb), "district": district, "title": "咨询电话"}
    try:
        rows = catalogue.find_contacts(kb, district=district or None)
    except UnknownName as exc:
        ctx["error"] = str(exc)
        rows = []
    rows = [r for r in rows if not r["not_in_league"]]
    by_district: dict[str, list] = {}
    for r in rows:
        by_district.setdefault(r["district"], []).append(r)
    ctx["by_district"] = by_district
    ctx["hotline"] = catalogue.GENERAL_HOTLINE
    return render(request, "contacts.html", ctx, status_code=422 if ctx.get("error") else 200)


@router.get("/services")
def services(request: Request, kb: KB, user: PageUser, district: str = ""):
    """打工直通车, 招聘会, 零工市场 as the documents describe them (jiuye.knowledge.services)."""
    from jiuye.knowledge.services import recruitment_services

    ctx = {"user": user, "districts": district_keys(kb), "district": district, "title": "找工作：招聘服务",
           "documents": DOCUMENTS}
    try:
        ctx["s"] = recruitment_services(kb, today(), district or None)
    except UnknownName as exc:
        ctx["error"] = str(exc)
        ctx["s"] = recruitment_services(kb, today())
    ctx["district"] = ctx["s"]["district"] or ""
    return render(request, "services.html", ctx, status_code=422 if ctx.get("error") else 200)
