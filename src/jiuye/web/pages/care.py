"""关怀模式 (care mode): larger text, higher contrast, one column and bigger touch targets for older
people and weak eyes (《互联网网站适老化通用设计规范》).

The switch in every citizen page's header is a plain link to /care?on=1|0&next=<this page>: it sets
(or clears) a cookie and redirects back, so it works without JavaScript. `render` reads the cookie and
puts class="care" on <html> server-side (no flash, no inline script); static/site.css holds the rules.
"""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from jiuye.config import https
from jiuye.web.pages.common import CARE_COOKIE as COOKIE, safe_next

router = APIRouter(include_in_schema=False)

ONE_YEAR = 365 * 24 * 3600


@router.get("/care")
def switch(on: str = "1", next: str = "/"):
    """Turn 关怀模式 on (on=1) or off (on=0) for this browser and go back to `next`."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if on == "1":
        response.set_cookie(COOKIE, "1", max_age=ONE_YEAR, path="/", samesite="lax", httponly=True, secure=https())
    else:
        response.delete_cookie(COOKIE, path="/", samesite="lax", httponly=True, secure=https())
    return response
