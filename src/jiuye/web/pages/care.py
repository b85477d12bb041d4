"""关怀模式 (care mode): larger text, higher contrast, one column and bigger touch targets for older
people and weak eyes (《互联网网站适老化通用设计规范》).

The switch in every citizen page's header is a plain link to /care?on=1|0&next=<this page>: it sets
(or clears) a cookie and redirects back, so it works without JavaScript. `render` reads the cookie and
puts class="care" on <html> server-side (no flash, no inline script); static/site.css holds the rules.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from jiuye.config import https
from jiuye.web.pages.common import safe_next

router = APIRouter(include_in_schema=False)

COOKIE = "jiuye_care"
ONE_YEAR = 365 * 24 * 3600


def care_on(request: Request) -> bool:
    """Whether this browser chose 关怀模式."""
    return request.cookies.get(COOKIE) == "1"


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


@router.get("/care")
def switch(on: str = "1", next: str = "/"):
    """Turn 关怀模式 on (on=1) or off (on=0) for this browser and go back to `next`."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if on == "1":
        response.set_cookie(COOKIE, "1", max_age=ONE_YEAR, path="/", samesite="lax", httponly=True, secure=https())
    else:
        response.delete_cookie(COOKIE, path="/", samesite="lax", httponly=True, secure=https())
    return response
