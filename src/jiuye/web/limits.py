"""Request-body limits and input the database would refuse, checked before any route runs.

Every request body is counted as it arrives (Content-Length is not trusted, and chunked bodies have
none): a body over the limit is answered 413 with the limit in Chinese, and reading stops there.

- multipart/form-data on the routes that take a file (UPLOAD_PATHS: the console's roster upload,
  attachments, the batch import, the market's post import): the roster limit
  ($JIUYE_ROSTER_MAX_BYTES, default 20 MiB) plus 256 KiB for the form's other fields. The body is
  passed on as it arrives; Starlette's form parser spools files to disk beyond 1 MiB, so an upload
  is never held in memory whole.
- everything else (JSON, urlencoded forms, the OpenFisca API): $JIUYE_MAX_BODY_BYTES, default
  256 KiB. Such a body is small enough to be read here first; it is then checked for what
  PostgreSQL refuses in text (NUL, U+0000, and unpaired surrogates): 422 naming the field.
  The query string is checked the same way.
"""
from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from fastapi import HTTPException
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiuye import config

MULTIPART_OVERHEAD = 256 * 1024
# The routes that take a file (multipart/form-data): roster upload, attachments, batch import, the
# labour market's post import (employers' spreadsheets).
UPLOAD_PATHS = re.compile(r"^/(console/roster|(console|my|api)/cases/[^/]+/attachments|api/cases/import-batch/file"
                          r"|employer/import|api/market/postings/import)/?$")
_REFUSED = re.compile("[\x00\ud800-\udfff]")


def _mb(n: int) -> str:
    return f"{n / 1048576:.0f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB"


def multipart_limit() -> int:
    return config.roster_max_bytes() + MULTIPART_OVERHEAD


def too_large_message(limit: int, multipart: bool) -> str:
    if multipart:
        return (f"上传的内容过大：文件最大 {_mb(config.roster_max_bytes())}（名册可分成几个文件上传，"
                f"或由管理员用命令行 jiuye batch 处理）。")
    return f"请求内容过大：最多 {_mb(limit)}（{limit} 字节）。一次只提交一个人或一个单位的情况；名册请用名册筛查上传。"


class BodyTooLarge(HTTPException):
    """Raised from `receive` while a multipart body streams in; the app's HTTP error handler answers it."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail={"message": too_large_message(limit, True), "limit_bytes": limit})


def refused_field(value: Any, path: tuple = ()) -> tuple | None:
    """The path of the first string (key or value) in a JSON value that holds NUL or a lone
    surrogate, else None."""
    if isinstance(value, str):
        return path if _REFUSED.search(value) else None
    if isinstance(value, dict):
        for k, v in value.items():
            if _REFUSED.search(str(k)):
                return path + (k,)
            found = refused_field(v, path + (k,))
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found = refused_field(v, path + (i,))
            if found is not None:
                return found
    return None


def _refused_pair(raw: str) -> str | None:
    for key, value in parse_qsl(raw, keep_blank_values=True):
        if _REFUSED.search(key) or _REFUSED.search(value):
            return key
    return None


def refused_item(where: str, loc: tuple) -> dict:
    # the field's name may itself hold the refused character (a key "\udfff"): shown as U+FFFD, so
    # that the answer can be encoded at all
    loc = tuple(_REFUSED.sub("\ufffd", x) if isinstance(x, str) else x for x in loc)
    if where == "path":
        message = "请求地址含有不允许的字符（NUL 或无效的 Unicode 字符），请检查链接后重试。"
        return {"loc": ["path"], "field": "(path)", "msg": message, "message": message, "type": "value_error"}
    field = ".".join(str(x) for x in loc) or "(body)"
    message = f"字段「{field}」含有不允许的字符（NUL 或无效的 Unicode 字符），请删除后重新提交。"
    return {"loc": [where, *loc], "field": field, "msg": message, "message": message, "type": "value_error"}


class BodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        # the upload limit only where a file is taken; a multipart body anywhere else has the JSON limit
        multipart = (headers.get("content-type", "").lower().startswith("multipart/form-data")
                     and UPLOAD_PATHS.match(scope.get("path", "")) is not None)
        limit = multipart_limit() if multipart else config.max_body_bytes()
        request = Request(scope)

        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await self._answer(request, 413, {"message": too_large_message(limit, multipart), "limit_bytes": limit},
                               scope, receive, send)
            return

        if "\x00" in scope.get("path", ""):
            await self._answer(request, 422, [refused_item("path", ())], scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        if "%00" in query or "\x00" in query:
            key = _refused_pair(query)
            if key is not None:
                await self._answer(request, 422, [refused_item("query", (key,))], scope, receive, send)
                return

        if multipart:
            await self.app(scope, _counting(receive, limit), send)
            return

        # Small bodies: read here (bounded), check, then replay to the app.
        chunks, size, more, disconnect = [], 0, True, None
        while more:
            message = await receive()
            if message["type"] != "http.request":
                disconnect = message
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._answer(request, 413, {"message": too_large_message(limit, False), "limit_bytes": limit},
                                   scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        bad = self._refused_in_body(body, headers.get("content-type", "").lower()) if body else None
        if bad is not None:
            await self._answer(request, 422, [bad], scope, receive, send)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                if disconnect is not None:
                    return disconnect
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _refused_in_body(body: bytes, ctype: str) -> dict | None:
        if ctype.startswith("application/x-www-form-urlencoded"):
            raw = body.decode("latin-1")
            if "%00" in raw or "\x00" in raw:
                key = _refused_pair(body.decode("utf-8", "replace"))
                if key is not None:
                    return refused_item("body", (key,))
            return None
        if b"\\u" not in body.lower() and b"\x00" not in body:
            return None  # no escape that could decode to NUL or a surrogate: nothing to look for
        try:
            value = json.loads(body)
        except (ValueError, RecursionError):
            return None  # not JSON: the route answers it
        loc = refused_field(value)
        return refused_item("body", loc) if loc is not None else None

    @staticmethod
    async def _answer(request: Request, status: int, detail, scope: Scope, receive: Receive, send: Send) -> None:
        from jiuye.web.errors import error_response

        await error_response(request, status, detail)(scope, receive, send)


def _counting(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return counted
