"""Citizen and employer accounts: register (a person with a 身份证号, or an employer with a 统一社会信用代码), log in
and out. The staff console's login (`console`) uses `do_login` too. Every POST carries the session's CSRF token."""
from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from jiuye.config import today
from jiuye.knowledge.loader import KnowledgeBase, get_knowledge
from jiuye.web.pages.common import CSRF, DB, PageUser, render, safe_next

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
KB = Annotated[KnowledgeBase, Depends(get_knowledge)]

PHONE = re.compile(r"^1[3-9]\d{9}$")
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,30}$")

@router.get("/login")
def login_form(request: Request, user: PageUser, next: str = "/my"):
    return render(request, "login.html", {"user": user, "next": safe_next(next, "/my"), "action": "/login",
                                          "title": "登录"})


@router.post("/login", dependencies=[CSRF])
def login_submit(request: Request, s: DB, username: Annotated[str, Form()], password: Annotated[str, Form()],
                 next: Annotated[str, Form()] = "/my"):
    return do_login(request, s, username, password, safe_next(next, "/my"), "/login", "登录")


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
    return render(request, "register.html", {"user": user, "next": safe_next(next, "/my"), "form": {}, "errors": {},
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
    return _registered(request, s, kb, form, errors, "employer", next_url, password)


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

    next_url = safe_next(next, "/my")
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
    return _registered(request, s, kb, form, errors, "person", next_url, password)



def _registered(request: Request, s, kb: KnowledgeBase, form: dict, errors: dict, kind: str, next_url: str,
                password: str):
    """The registration form again with each bad field named (422), or the new account logged in."""
    if errors:
        return render(request, "register.html", {"user": None, "next": next_url, "form": form, "errors": errors,
                                                 "kind": kind, "districts": _league_districts(kb)}, status_code=422)
    return do_login(request, s, form["username"], password, next_url, "/login", "登录")


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


def to_login(request: Request) -> RedirectResponse:
    url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(url)}", status_code=303)
