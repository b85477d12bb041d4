"""The citizen site: home and search, policies, 政策找人, contacts, login, apply, follow a case.

No login is needed to look; applying and following a case need an applicant account.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from jiuye.config import today
from jiuye.knowledge import catalogue
from jiuye.knowledge.audit import audit
from jiuye.knowledge.catalogue import UnknownName
from jiuye.knowledge.loader import KnowledgeBase, get_knowledge
from jiuye.web.pages.common import CSRF, DB, PageUser, render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
KB = Annotated[KnowledgeBase, Depends(get_knowledge)]


@router.get("/")
def home(request: Request, kb: KB, user: PageUser):
    day = today()
    findings = audit(kb, day)
    rows = [catalogue.policy_summary(p, day, sum(p.id in f.policies for f in findings))
            for p in sorted(kb.policies.values(), key=lambda p: (p.for_[0], p.kind, p.id))]
    return render(request, "index.html", {"rows": rows, "entries": len(kb.entries), "user": user})


@router.get("/policies/{policy_id}")
def policy_page(request: Request, kb: KB, user: PageUser, policy_id: str, district: str | None = None):
    try:
        p = catalogue.get_policy(kb, policy_id)
        d = catalogue.policy_detail(kb, p, today(), district)
    except UnknownName as exc:
        return render(request, "error.html", {"message": str(exc), "user": user, "status_code": 404}, status_code=404)
    return render(request, "policy.html", {"p": d, "districts": [x.key for x in kb.districts], "district": district,
                                           "user": user})


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


def _safe_next(url: str | None, default: str) -> str:
    """Only a path on this site (no scheme, no //host): an open redirect would help phishing."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return default
    return url


def do_login(request: Request, s, username: str, password: str, next_url: str, action: str, title: str):
    from jiuye.cases import service

    try:
        token, _expires, _user = service.login(s, username.strip(), password)
    except service.CaseError as exc:
        return render(request, "login.html", {"user": None, "next": next_url, "action": action, "title": title,
                                              "error": str(exc),
                                              "username": username}, status_code=401)
    request.session["token"] = token
    return RedirectResponse(next_url, status_code=303)
