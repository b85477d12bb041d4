"""HTTP hardening shared by every response: security headers, CORS from configuration, and the one
way an error is answered (JSON for the API, a Chinese page for a browser on the site).

`install(app)` adds, outermost first: the security headers, CORS (only the origins in
$JIUYE_CORS_ORIGINS; none by default), and the request-body limit (jiuye.web.limits).
"""
from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiuye import config
from jiuye.web.errors import DATABASE_DOWN, DATABASE_REFUSED, INTERNAL_ERROR, error_response

# Pages: scripts and style sheets from this site only (the templates carry no inline script, no
# on* handler and no style attribute: see tests/test_hardening_web.py), never framed.
BASE_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Exceptions, by path prefix. plotly.js (the console dashboard) inserts a <style> element for its
# own rules (plotly.js issue #2355). /docs and /redoc (jiuye.web.apidocs) load Swagger UI and ReDoc
# from this site and run no inline script; ReDoc builds its look with styled-components, which
# inserts <style> elements at run time (their text is computed, so no hash or nonce can name it):
# style-src 'unsafe-inline' there and nothing else. ReDoc's search runs in a Web Worker made from a
# blob: URL (worker-src; blob: is the page's own memory, not a host).
CSP_OVERRIDES: dict[str, dict[str, str]] = {
    "/console/dashboard": {"style-src": "'self' 'unsafe-inline'"},
    "/redoc": {"style-src": "'self' 'unsafe-inline'", "worker-src": "'self' blob:"},
}


def csp_for(path: str) -> str:
    policy = dict(BASE_CSP)
    for prefix, extra in CSP_OVERRIDES.items():
        if path == prefix or path.startswith(prefix + "/"):
            policy.update(extra)
    return "; ".join(f"{k} {v}" for k, v in policy.items())


class SecurityHeaders:
    """Adds the security headers to every response (errors and redirects included)."""

    def __init__(self, app: ASGIApp, https: bool = False) -> None:
        self.app, self.https = app, https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Content-Security-Policy", csp_for(path))
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                if self.https:
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            await send(message)

        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception:  # anything no handler answered: a Chinese message, no traceback, logged here
            import logging

            logging.getLogger("jiuye.web").exception("unhandled error on %s %s", scope.get("method"), path)
            if started:
                raise
            await error_response(Request(scope), 500, {"message": INTERNAL_ERROR})(scope, receive, send_with_headers)


class HeadAsGet:
    """HEAD is answered as GET without the body (FastAPI's GET routes do not take HEAD by
    themselves: a monitor or a link checker asking HEAD /healthz got 405)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def install(app) -> None:
    """The middleware of this module and jiuye.web.limits, and the error handlers for faults
    outside the routes' own handling (database down, values the database refuses, anything else)."""
    import logging

    from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
    from starlette.middleware.cors import CORSMiddleware

    from jiuye.web.limits import BodyLimit

    log = logging.getLogger("jiuye.web")

    async def database_down(request: Request, exc: Exception):
        log.warning("database unavailable: %s", type(exc).__name__)
        return error_response(request, 503, {"message": DATABASE_DOWN}, headers={"Retry-After": "5"})

    async def database_refused(request: Request, exc: Exception):
        log.info("database refused a value: %s", str(exc).splitlines()[0][:200])
        return error_response(request, 422, {"message": DATABASE_REFUSED})

    async def dbapi_error(request: Request, exc: DBAPIError):
        if exc.connection_invalidated:
            return await database_down(request, exc)
        if _is_refused_value(exc):
            return await database_refused(request, exc)
        return await internal_error(request, exc)

    async def internal_error(request: Request, exc: Exception):  # a database error of no known kind
        log.error("database error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(request, 500, {"message": INTERNAL_ERROR})

    app.add_exception_handler(OperationalError, database_down)
    app.add_exception_handler(InterfaceError, database_down)
    app.add_exception_handler(DataError, database_refused)
    app.add_exception_handler(DBAPIError, dbapi_error)

    app.add_middleware(BodyLimit)
    # The bearer-token API needs no cookies from another site: credentials are never allowed.
    app.add_middleware(CORSMiddleware, allow_origins=config.cors_origins(), allow_credentials=False,
                       allow_methods=["GET", "POST", "OPTIONS"],
                       allow_headers=["Authorization", "Content-Type", "Accept", "X-CSRF-Token"])
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders, https=config.https())


def _is_refused_value(exc: Exception) -> bool:
    """A value PostgreSQL (or its driver) refuses: NUL in text, out-of-range numbers, bad encodings."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig)
    sqlstate = getattr(getattr(orig, "diag", None), "sqlstate", None) or ""
    return sqlstate.startswith("22") or "NUL" in text or "out of range" in text or isinstance(orig, (ValueError, OverflowError))
