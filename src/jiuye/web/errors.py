"""The error reply of the site (jiuye.web.security installs the handlers, jiuye.web.limits refuses with it): JSON
({"detail": …}) for the API and non-browser clients, the Chinese error page for a browser; no server path or
trace in either."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith(("/api", "/openfisca")) or "text/html" not in request.headers.get("accept", "")


def error_response(request: Request, status_code: int, detail, headers: dict | None = None) -> Response:
    """JSON ({"detail": …}) for the API and non-browser clients; the Chinese error page otherwise."""
    if isinstance(detail, str) and detail in STARLETTE_DETAILS:  # Starlette's own English words
        detail = {"message": STARLETTE_DETAILS[detail]}
    if wants_json(request):
        return JSONResponse(status_code=status_code, content={"detail": detail}, headers=headers)
    from jiuye.web.pages.common import render

    if isinstance(detail, list):
        message = "；".join(str(d.get("message", d)) if isinstance(d, dict) else str(d) for d in detail)
    elif isinstance(detail, dict):
        message = detail.get("message", "出错了")
    else:
        message = str(detail or "出错了")
    response = render(request, "error.html", {"message": message, "status_code": status_code, "user": _user_of(request)},
                      status_code=status_code)
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def _user_of(request: Request):
    """Who is logged in, for the error page's menu (「我的申请」, not 「登录」): best effort — an error page must
    come out even when the database is what failed, so any failure here means 'nobody'."""
    if "session" not in request.scope or not request.session.get("token"):
        return None
    try:
        from sqlalchemy.orm import Session

        from jiuye.cases import service
        from jiuye.store.db import default_engine

        with Session(default_engine(), expire_on_commit=False) as s:
            return service.user_for_token(s, request.session["token"])
    except Exception:  # noqa: BLE001 — the page matters more than the menu
        return None


# What Starlette says by itself (an unknown address, a method the route does not take), in Chinese.
STARLETTE_DETAILS = {
    "Not Found": "没有这个页面。",
    "Method Not Allowed": "这个地址不接受这种请求方法。",
}
INTERNAL_ERROR = "服务器内部错误，请稍后再试；如果一再出现，请联系经办机构或拨打 12333。"
DATABASE_DOWN = "数据库暂时无法连接，请稍后再试（通常几秒钟后即可恢复）。"
DATABASE_REFUSED = "输入的内容无法保存：含有数据库不接受的字符（如 NUL）或数值超出范围，请检查后重新填写。"
