"""What every HTML page shares: templates, the signed session cookie, CSRF, the logged-in user.

Pages (unlike the JSON API, which takes a bearer token) keep the cases service's login token in
a signed, HttpOnly session cookie. Every form that changes something carries a CSRF token that
lives in the same session; `check_csrf` refuses a POST without it (403), before any work is done.
"""
from __future__ import annotations

import re
import secrets
import tempfile
from pathlib import Path
from typing import Annotated, Any, Callable
from urllib.parse import quote, urlencode

from fastapi import Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from jiuye.config import beijing_time, today
from jiuye.web.api_cases import db_session

def safe_next(url: str | None, default: str = "/") -> str:
    """A path on this site only (no scheme, no //host, no backslash, no control characters), else
    `default`: a redirect target taken from the request must not be an open redirect (phishing)."""
    if (not url or not url.startswith("/") or url.startswith("//") or "\\" in url
            or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url)):
        return default
    return url


CARE_COOKIE = "jiuye_care"  # 关怀模式 (jiuye.web.pages.care sets it)


def care_on(request: Request) -> bool:
    """Whether this browser chose 关怀模式."""
    return request.cookies.get(CARE_COOKIE) == "1"


# Query parameters the switch never carries back: a name, a 身份证号 or a phone number typed into a page
# (政策找人 drops them from its addresses too) must not end up in the page's own HTML.
PRIVATE_PARAMS = frozenset({"name", "id_number", "phone", "password", "csrf_token"})
_LONG_NUMBER = re.compile(r"\d{8}")  # an ID number, a phone number, a full birth date written 19850308


def back_url(request: Request, context: dict) -> str:
    """Where the switch returns to: this page, with its query string minus anything personal. The
    政策找人 page passes `share` (its answers, already without name or 身份证号): that is used as is."""
    path = request.url.path
    share = context.get("share")
    if isinstance(share, str):  # /find: the answers as the page's share link holds them
        extra = "show=1" if request.query_params.get("show") == "1" else ""
        query = "&".join(x for x in (share, extra) if x)
    else:
        query = urlencode([(k, v) for k, v in request.query_params.multi_items()
                           if k not in PRIVATE_PARAMS and not _LONG_NUMBER.search(v)])
    return f"{path}?{query}" if query else path


TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent.parent / "templates"))
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def csrf_token(request: Request) -> str:
    """This session's CSRF token (created on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def _csrf_input(request: Request) -> str:
    from markupsafe import Markup

    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{csrf_token(request)}">')


TEMPLATES.env.filters["beijing"] = beijing_time
TEMPLATES.env.globals["csrf_input"] = _csrf_input


def _label(code, section: str) -> str:
    """{{ code|label("roster_state") }}: the Chinese name from data/web/labels.yaml."""
    from jiuye.web.labels import labels

    return labels().of(section, code)


def _unit_label(code: str | None) -> str:
    """A rules parameter's unit (currency-CNY, /1, month …) by its name in data/parameter_units.yaml."""
    from jiuye.rules.parameter_meta import units

    return (units().get(code or "") or {}).get("label") or (code or "")


def _chinese(text: str | None) -> str:
    from jiuye.web.labels import chinese_part

    return chinese_part(text)


TEMPLATES.env.filters["label"] = _label
TEMPLATES.env.filters["chinese"] = _chinese
TEMPLATES.env.filters["doc"] = lambda code: _labels().document_title(code)
TEMPLATES.env.filters["doc_short"] = lambda code: _labels().document_short.get(code or "", code or "")
TEMPLATES.env.filters["doc_names"] = lambda text: _labels().name_documents(text)


def _labels():
    from jiuye.web.labels import labels

    return labels()
TEMPLATES.env.filters["unit_label"] = _unit_label
TEMPLATES.env.globals["csrf_token"] = csrf_token


async def check_csrf(request: Request) -> None:
    """Dependency for every page route that changes state (POST): the form field (or header)
    must equal the session's token. Multipart and urlencoded forms both work."""
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not expected or not sent or not secrets.compare_digest(str(expected), str(sent)):
        raise HTTPException(status_code=403, detail="表单已失效或来源不明（CSRF 校验失败），请返回上一页刷新后重新提交。")


CSRF = Depends(check_csrf)
DB = Annotated[Session, Depends(db_session)]


def page_user(request: Request, s: DB) -> Any | None:
    """The logged-in user of this browser session, or None."""
    from jiuye.cases import service

    token = request.session.get("token")
    if not token:
        return None
    try:
        return service.user_for_token(s, token)
    except service.CaseError:
        request.session.pop("token", None)
        return None


PageUser = Annotated[Any | None, Depends(page_user)]


class LoginRequired(Exception):
    """Raised by `staff_user` / `applicant_user`; the app turns it into a redirect to the login page."""

    def __init__(self, login_url: str, next_url: str) -> None:
        self.login_url, self.next_url = login_url, next_url


def login_redirect(exc: LoginRequired) -> RedirectResponse:
    return RedirectResponse(f"{exc.login_url}?next={quote(exc.next_url)}", status_code=303)


def staff_user(request: Request, user: PageUser) -> Any:
    """A logged-in staff member or admin; anyone else is sent to the console login."""
    from jiuye.cases import roles

    if user is None or (user.role not in roles.ACTING_ROLES and user.role != "admin"):
        raise LoginRequired("/console/login", str(request.url.path))
    return user


def core_staff_user(request: Request, user: PageUser) -> Any:
    """Staff of the employment offices or the admin: not a partner (a 经办银行 works the loan cases of
    its district in the console, and sees no rosters and no labour market)."""
    from fastapi import HTTPException

    from jiuye.cases import roles

    me = staff_user(request, user)
    if me.role in roles.PARTNER_ROLES:
        raise HTTPException(status_code=403, detail=f"{roles.label(me.role)}只办理创业担保贷款案件，不能使用这一功能")
    return me


def applicant_user(request: Request, user: PageUser) -> Any:
    """A logged-in applicant (citizen or employer); anyone else is sent to the citizen login."""
    if user is None or user.role != "applicant":
        raise LoginRequired("/login", str(request.url.path))
    return user


Staff = Annotated[Any, Depends(staff_user)]
CoreStaff = Annotated[Any, Depends(core_staff_user)]
Applicant = Annotated[Any, Depends(applicant_user)]


def render(request: Request, template: str, context: dict | None = None, status_code: int = 200):
    """A page with what every template may use: today's date, the user, the current path, 关怀模式."""

    ctx = {"as_of": today().isoformat(), "path": request.url.path, "care": care_on(request)}
    ctx.update(context or {})
    ctx.setdefault("care_next", back_url(request, ctx))
    return TEMPLATES.TemplateResponse(request, template, ctx, status_code=status_code)


TABLE_MEDIA = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def table_file(fmt: str, export: Callable[[Path], Path], name: str) -> Response:
    """A console table as a download: `export(path)` writes it (csv or xlsx, by the path's suffix) in a temporary
    folder; the attachment is named `name.fmt` (Chinese, RFC 5987)."""
    with tempfile.TemporaryDirectory(prefix="jiuye-table-") as tmp:
        data = export(Path(tmp) / f"table.{fmt}").read_bytes()
    return Response(data, media_type=TABLE_MEDIA[fmt],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(f'{name}.{fmt}')}"})
