"""The citizen site: home and search, policies, 政策找人, contacts, register and login, apply,
follow a case.

No login is needed to look; applying and following a case need an applicant account. Every route
is a thin layer over the service layer: jiuye.ask (search), jiuye.screening via `find` (政策找人),
jiuye.knowledge.catalogue (policies, contacts), jiuye.cases.service (accounts, cases). Every POST
carries the session's CSRF token (`dependencies=[CSRF]`), checked before any work is done.
"""
from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jiuye.config import today
from jiuye.knowledge import catalogue
from jiuye.knowledge.audit import audit
from jiuye.knowledge.catalogue import UnknownName
from jiuye.knowledge.loader import KnowledgeBase, get_knowledge
from jiuye.knowledge.models import DOCUMENTS
from jiuye.web.pages import find
from jiuye.web.pages.common import CSRF, DB, PageUser, beijing_time, render, safe_next

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
KB = Annotated[KnowledgeBase, Depends(get_knowledge)]

PHONE = re.compile(r"^1[3-9]\d{9}$")
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,30}$")
STATUS_LABEL = {"eligible": "可以享受", "needs_information": "还需要信息", "not_eligible": "不符合", "window_closed": "期限已过"}


def _districts(kb: KnowledgeBase) -> list[str]:
    return [d.key for d in kb.districts]


def _procedures() -> dict:
    from jiuye.cases.procedures import get_procedures

    return get_procedures()


def _procedures_for(policy_id: str, subject: str | None = None) -> list:
    """The procedures (办理流程) of a policy, the one named like the policy first (《就业创业证》:
    申领, then 补发 and 更换)."""
    found = [p for p in _procedures().values()
             if p.policy == policy_id and (subject is None or p.applicant == subject)]
    return sorted(found, key=lambda p: (p.id != policy_id, p.id))


def _procedure_for(policy_id: str, subject: str | None = None):
    """The procedure through which this policy is applied for online, if any."""
    found = _procedures_for(policy_id, subject)
    return found[0] if found else None


# --- home and search ---------------------------------------------------------------------------
@router.get("/")
def home(request: Request, kb: KB, user: PageUser):
    qn = find.get_questionnaire()
    day = today()
    findings = audit(kb, day)
    rows = [catalogue.policy_summary(p, day, sum(p.id in f.policies for f in findings))
            for p in sorted(kb.policies.values(), key=lambda p: (p.kind, p.name))]
    return render(request, "index.html", {"groups": list(qn.groups.values()), "districts": _districts(kb),
                                          "rows": rows, "policies": len(kb.policies), "entries": len(kb.entries),
                                          "user": user})


@router.get("/ask")
def ask(request: Request, kb: KB, user: PageUser, q: str = "", district: str = "", entry: str = ""):
    from jiuye.ask.engine import get_engine

    q = q.strip()[:500]
    ctx = {"q": q, "district": district, "districts": _districts(kb), "user": user, "title": "问一问"}
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
    ctx = {"user": user, "groups": list(qn.groups.values()), "group": group, "districts": _districts(kb)}
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
               answered=_answered_rows(qn, answers, kb), remaining=remaining)
    if show or not questions:
        ctx["rows"] = find.group_results(qn, kb, screened, subject, group, _procedures())
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


def _answered_rows(qn, answers, kb) -> list[dict]:
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
        choices = _procedures_for(r["id"], for_ or None) or _procedures_for(r["id"])
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

    procs = _procedures_for(p.id)
    return render(request, "policy.html", {"p": d, "districts": _districts(kb), "district": district,
                                           "user": user, "documents": DOCUMENTS,
                                           "procedure": procs[0] if procs else None,
                                           "participant": p.participant,
                                           "procedures": [(x, steps_view(x)) for x in procs]})


@router.get("/contacts")
def contacts(request: Request, kb: KB, user: PageUser, district: str = ""):
    ctx = {"user": user, "districts": _districts(kb), "district": district, "title": "咨询电话"}
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

    ctx = {"user": user, "districts": _districts(kb), "district": district, "title": "找工作：招聘服务",
           "documents": DOCUMENTS}
    try:
        ctx["s"] = recruitment_services(kb, today(), district or None)
    except UnknownName as exc:
        ctx["error"] = str(exc)
        ctx["s"] = recruitment_services(kb, today())
    ctx["district"] = ctx["s"]["district"] or ""
    return render(request, "services.html", ctx, status_code=422 if ctx.get("error") else 200)


# --- accounts --------------------------------------------------------------------------------------
@router.get("/login")
def login_form(request: Request, user: PageUser, next: str = "/my"):
    return render(request, "login.html", {"user": user, "next": _safe_next(next, "/my"), "action": "/login",
                                          "title": "登录"})


@router.post("/login", dependencies=[CSRF])
def login_submit(request: Request, s: DB, username: Annotated[str, Form()], password: Annotated[str, Form()],
                 next: Annotated[str, Form()] = "/my"):
    return do_login(request, s, username, password, _safe_next(next, "/my"), "/login", "登录")


@router.post("/logout", dependencies=[CSRF])
def logout(request: Request, s: DB):
    from jiuye.cases import service

    token = request.session.pop("token", None)
    if token:
        service.logout(s, token)
    return RedirectResponse("/", status_code=303)


def _league_districts(kb: KnowledgeBase) -> list[str]:
    return [d.key for d in kb.districts if d.level == "旗县市"]


@router.get("/register")
def register_form(request: Request, kb: KB, user: PageUser, next: str = "/my", kind: str = "person"):
    kind = "employer" if kind == "employer" else "person"
    return render(request, "register.html", {"user": user, "next": _safe_next(next, "/my"), "form": {}, "errors": {},
                                             "kind": kind, "districts": _league_districts(kb)})


def _account_errors(form: dict, password: str, password2: str, phone_label: str) -> dict[str, str]:
    """The checks every self-registered account shares: phone, username, password twice."""
    errors = {}
    if not PHONE.match(form["phone"]):
        errors["phone"] = f"{phone_label}应为11位数字，以1开头"
    if not USERNAME.match(form["username"]):
        errors["username"] = "用户名为3到30个字母、数字或 _ . -"
    if len(password) < 8:
        errors["password"] = "密码至少8位"
    elif password != password2:
        errors["password2"] = "两次输入的密码不一致"
    return errors


# What registration says when a number cannot be registered online, whatever the reason (an account
# exists, or the number is on file under another name): it never confirms that, or to whom, it is registered.
ID_NOT_HERE = ("这个身份证号不能在网上注册。如果这是您本人的身份证号，请带身份证原件到社区、街道或就业服务中心窗口，"
               "工作人员核验后为您办理账号（已有账号忘记密码的也请到窗口办理）。")
CODE_NOT_HERE = ("这个统一社会信用代码不能在网上注册。如果这是贵单位的代码，请带营业执照到就业服务中心窗口，"
                 "工作人员核验后为您办理账号（已有账号忘记密码的也请到窗口办理）。")
USERNAME_NOT_HERE = "这个用户名不能使用，请换一个（字母、数字或 _ . -）"


def _register_employer(request: Request, s, kb: KnowledgeBase, form: dict, password: str, password2: str,
                       next_url: str):
    """An applicant account for one 用人单位: 单位名称 + 统一社会信用代码 (GB 32100, checked by
    jiuye.cases.security) identify it; one account per enterprise. Unverified until staff check the
    营业执照 at a window (service.verify_identity with the credit code)."""
    from sqlalchemy import select

    from jiuye.cases import service
    from jiuye.cases.models import Enterprise, User
    from jiuye.cases.security import InvalidCreditCode, validate_credit_code

    errors: dict[str, str] = {}
    if not form["company"] or len(form["company"]) > 100:
        errors["company"] = "请填写单位名称（不超过100个字）"
    try:
        form["credit_code"] = validate_credit_code(form["credit_code"])
    except InvalidCreditCode as exc:
        errors["credit_code"] = f"统一社会信用代码无效：{exc}"
    if form["district"] not in _league_districts(kb):
        errors["district"] = "请选择单位所在的旗县市"
    errors |= _account_errors(form, password, password2, phone_label="联系人手机号")
    if not errors:
        try:
            known = s.scalar(select(Enterprise).where(Enterprise.credit_code == form["credit_code"]))
            # the same answer for "registered under another name" and "already has an account"
            if known is not None and known.name != form["company"]:
                raise service.Conflict(CODE_NOT_HERE, field="credit_code")
            ent = known or service.ensure_enterprise(s, form["credit_code"], form["company"], form["district"])
            taken = s.scalar(select(User.id).where(User.enterprise_id == ent.id, User.role == "applicant"))
            if taken is not None:
                raise service.Conflict(CODE_NOT_HERE, field="credit_code")
            service.create_user(s, form["username"], password, "applicant", display_name=form["company"],
                                enterprise=ent, phone=form["phone"], self_registered=True)
        except service.CaseError as exc:
            s.rollback()
            key = {"name": "company"}.get(exc.extra.get("field"), exc.extra.get("field"))
            if key not in form:
                key = "credit_code"
            errors[key] = USERNAME_NOT_HERE if key == "username" else str(exc)
    if errors:
        return render(request, "register.html", {"user": None, "next": next_url, "form": form, "errors": errors,
                                                 "kind": "employer", "districts": _league_districts(kb)},
                      status_code=422)
    return do_login(request, s, form["username"], password, next_url, "/login", "登录")


@router.post("/register", dependencies=[CSRF])
def register_submit(request: Request, s: DB, kb: KB, name: Annotated[str, Form()] = "",
                    id_number: Annotated[str, Form()] = "",
                    phone: Annotated[str, Form()] = "", username: Annotated[str, Form()] = "",
                    password: Annotated[str, Form()] = "", password2: Annotated[str, Form()] = "",
                    next: Annotated[str, Form()] = "/my", kind: Annotated[str, Form()] = "person",
                    company: Annotated[str, Form()] = "", credit_code: Annotated[str, Form()] = "",
                    district: Annotated[str, Form()] = ""):
    """An applicant account for one person: 姓名 + 身份证号 (GB 11643) identify the person; the
    account is refused if that person already has one (the cases filed for a person are visible
    to their account). kind=employer: an account for a 用人单位 instead (`_register_employer`)."""
    from sqlalchemy import select

    from jiuye.cases import service
    from jiuye.cases.models import User
    from jiuye.idcard import InvalidIdNumber, parse_id_number

    next_url = _safe_next(next, "/my")
    from jiuye.cases import throttle

    try:
        throttle.hit(s, "register_address", throttle.address_of(request))
    except throttle.TooMany as exc:
        page = render(request, "register.html", {"user": None, "next": next_url, "form": {}, "errors": {},
                                                 "error": str(exc), "kind": "employer" if kind == "employer" else "person",
                                                 "districts": _league_districts(kb)}, status_code=429)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    if kind == "employer":
        form = {"company": company.strip(), "credit_code": credit_code.strip(), "district": district.strip(),
                "phone": phone.strip(), "username": username.strip()}
        return _register_employer(request, s, kb, form, password, password2, next_url)
    from jiuye.screening import typed

    form = {"name": name.strip(), "id_number": id_number.strip(), "phone": phone.strip(), "username": username.strip(),
            "district": district.strip()}
    errors: dict[str, str] = {}
    if not form["name"] or len(form["name"]) > 50:
        errors["name"] = "请填写姓名（不超过50个字）"
    try:
        form["id_number"] = parse_id_number(form["id_number"], today=today()).number
    except InvalidIdNumber as exc:
        errors["id_number"] = f"身份证号无效：{exc}"
    # where the person lives: as chosen, else the district whose code opens the 身份证号 (may stay unknown)
    residence = None
    if form["district"]:
        try:
            residence = typed.district(form["district"], kb.district_names)
        except typed.TypedError as exc:
            errors["district"] = str(exc)
        else:
            if residence not in _league_districts(kb):
                errors["district"] = "请选择所在的旗县市（或不选）"
    elif "id_number" not in errors:
        residence = typed.district_of_id(form["id_number"])
    errors |= _account_errors(form, password, password2, phone_label="手机号")
    if not errors:
        try:
            # one answer whether the number has an account, is known under another name, or both:
            # the page does not tell whether (or to whom) a 身份证号 is registered
            try:
                person = service.ensure_person(s, form["id_number"], form["name"])
            except service.Invalid as exc:
                if exc.extra.get("field") != "name":
                    raise
                raise service.Conflict(ID_NOT_HERE, field="id_number") from None
            taken = s.scalar(select(User.id).where(User.person_id == person.id, User.role == "applicant"))
            if taken is not None:
                raise service.Conflict(ID_NOT_HERE, field="id_number")
            service.create_user(s, form["username"], password, "applicant", display_name=form["name"], person=person,
                                phone=form["phone"], self_registered=True, district=residence)
        except service.CaseError as exc:
            s.rollback()
            key = exc.extra.get("field") or "id_number"
            key = key if key in form else "id_number"
            errors[key] = USERNAME_NOT_HERE if key == "username" else str(exc)
    if errors:
        return render(request, "register.html", {"user": None, "next": next_url, "form": form, "errors": errors,
                                                 "kind": "person", "districts": _league_districts(kb)},
                      status_code=422)
    return do_login(request, s, form["username"], password, next_url, "/login", "登录")


def _safe_next(url: str | None, default: str) -> str:
    return safe_next(url, default)


def do_login(request: Request, s, username: str, password: str, next_url: str, action: str, title: str):
    from jiuye.cases import service

    from jiuye.cases import throttle

    try:
        token, _expires, _user = service.login(s, username.strip(), password, throttle.address_of(request))
    except service.CaseError as exc:
        page = render(request, "login.html", {"user": None, "next": next_url, "action": action, "title": title,
                                              "error": str(exc),
                                              "username": username}, status_code=exc.status if exc.status == 429 else 401)
        if exc.status == 429:
            page.headers["Retry-After"] = str(exc.extra.get("retry_after", 60))
        return page
    request.session["token"] = token
    if _user.role == "station_master" and next_url in ("/my", "/"):  # a station master's pages are /station
        next_url = "/station"
    if _user.role == "training_provider" and next_url in ("/my", "/"):  # a provider's pages are /training/provider
        next_url = "/training/provider"
    return RedirectResponse(next_url, status_code=303)


def _login_redirect(request: Request) -> RedirectResponse:
    url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(url)}", status_code=303)


# --- apply and follow a case ----------------------------------------------------------------------------
def _apply_context(request: Request, kb: KnowledgeBase, user, target: str, values, s=None) -> dict | Response:
    procs = _procedures()
    proc = procs.get(target)
    if proc is None:
        choices = [x for x in _procedures_for(target) if not x.no_application]
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
    siblings = [x for x in _procedures_for(proc.policy) if x.id != proc.id and not x.no_application]
    return {"user": user, "proc": proc, "policy": policy, "siblings": siblings, "answers": answers, "errors": errors, "qn": qn,
            "day": day, "districts": _districts(kb)}


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
               answered=_answered_rows(qn, answers, kb),
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
        return _login_redirect(request)
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


__all__ = ["router", "do_login", "_safe_next"]
