"""The staff console (login required): queue, case page, roster upload, dashboard, source audit,
parameters. A logged-out visitor (or an applicant) is redirected to /console/login.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from jiuye.web.pages.citizen import _safe_next, do_login
from jiuye.web.pages.common import CSRF, DB, PageUser, Staff, render

router = APIRouter(prefix="/console", include_in_schema=False, default_response_class=HTMLResponse)


@router.get("/login")
def login_form(request: Request, user: PageUser, next: str = "/console"):
    return render(request, "login.html", {"user": user, "next": _safe_next(next, "/console"),
                                          "action": "/console/login", "title": "工作人员登录", "console": True})


@router.post("/login", dependencies=[CSRF])
def login_submit(request: Request, s: DB, username: Annotated[str, Form()], password: Annotated[str, Form()],
                 next: Annotated[str, Form()] = "/console"):
    return do_login(request, s, username, password, _safe_next(next, "/console"), "/console/login", "工作人员登录")


@router.get("")
def queue(request: Request, s: DB, me: Staff):
    """My queue (placeholder until the console pages land)."""
    return render(request, "console/queue.html", {"user": me, "console": True})
