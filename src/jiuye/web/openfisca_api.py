"""The standard OpenFisca Web API of Jiuye's rules, mounted at /openfisca, made safe to expose.

`openfisca_web_api` is a Flask app served through WSGI (a2wsgi runs it in a thread pool, never on
the event loop). Around it:

- its own CORS (flask-cors with origins="*": every origin reflected) is removed: the app's
  CORSMiddleware answers for the origins in $JIUYE_CORS_ORIGINS only;
- /calculate and /trace take at most $JIUYE_OPENFISCA_MAX_PERSONS persons (default 100), as many
  group entities, and $JIUYE_OPENFISCA_MAX_VALUES variable × period values (default 2 000) per request:
  422 with a Chinese message otherwise (the body itself is already limited to 256 KiB);
- no server folder in any answer: the parameters' and variables' `source` is given relative to the
  repository (openfisca builds it from the package's install folder), and its 500 page (which would
  carry the exception text) is replaced by a Chinese message.
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiuye.config import REPO_ROOT


def max_persons() -> int:
    return int(os.environ.get("JIUYE_OPENFISCA_MAX_PERSONS", "") or 100)


def max_values() -> int:
    return int(os.environ.get("JIUYE_OPENFISCA_MAX_VALUES", "") or 2000)


def _json(status: int, payload: dict) -> tuple[int, bytes]:
    return status, json.dumps(payload, ensure_ascii=False).encode("utf-8")


def check_situation(data, tbs) -> str | None:
    """A Chinese reason why this /calculate body is too big or cannot be computed (an entity without a
    name), else None."""
    if not isinstance(data, dict):
        return None
    plural = {e.plural: e for e in tbs.entities}
    person_key = tbs.person_entity.plural
    values = 0
    for key, instances in data.items():
        if key not in plural or not isinstance(instances, dict):
            continue
        if len(instances) > max_persons():
            what = "人" if key == person_key else "个实体"
            return f"「{key}」有 {len(instances)} 项：一次最多计算 {max_persons()} {what}（分几次请求）。"
        for name in instances:  # an empty name cannot be addressed (OpenFisca fails on it, 500)
            if not str(name).strip():
                return f"「{key}」中有名称为空的一项：每个人或实体须有名称（如 \"张三\"）。"
        for instance in instances.values():
            if isinstance(instance, dict):
                for v in instance.values():
                    values += len(v) if isinstance(v, dict) else 1
    if values > max_values():
        return f"一次请求的变量×期间共有 {values} 个：最多 {max_values()} 个（分几次请求）。"
    return None


def _server_prefixes() -> list[str]:
    prefixes = {str(REPO_ROOT), sys.prefix, sys.base_prefix, str(Path.home())}
    return sorted((p.rstrip("/") for p in prefixes if p and p != "/"), key=len, reverse=True)


_BLOB = re.compile(r"^[^\"]*?/blob/[^/\"]+/")
# a parameter file read from a copy of data/ outside the repository: everything up to its parameters/ folder
_DATA_COPY = re.compile(r"^/(?:[^/]+/)*?[^/]+/(?=parameters/)")


def relative_sources(value):
    """`source` fields as paths relative to the repository (no host folder, no empty repository URL)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "source" and isinstance(v, str):
                v = "/" + _BLOB.sub("", v).lstrip("/")
                v = _DATA_COPY.sub("/data/", v, count=1)  # a data folder elsewhere ($JIUYE_DATA_DIR) is the repository's data/
                for prefix in _server_prefixes():
                    if v.startswith(prefix + "/"):
                        v = v[len(prefix):]
                        break
                v = v.lstrip("/")
            out[k] = relative_sources(v)
        return out
    if isinstance(value, list):
        return [relative_sources(v) for v in value]
    return value


def scrub(text: str) -> str:
    for prefix in _server_prefixes():
        text = text.replace(prefix + "/", "")
    return text


NOT_JSON = "请求内容应为 JSON：请设置 Content-Type: application/json。"
TOO_DEEP = "请求内容（JSON）嵌套层数过多。"
FLASK_ERRORS = {
    404: "没有这个地址：OpenFisca Web API 的地址见 /openfisca/spec。",
    405: "这个地址不接受这种请求方法。",
}

# What this guard (and the site's own middleware) may answer on top of what OpenFisca documents.
REFUSALS = {
    "413": {"description": "请求体超过上限（JIUYE_MAX_BODY_BYTES）"},
    "415": {"description": "请求内容不是 JSON（Content-Type 应为 application/json）"},
    "422": {"description": "人数或数值个数超过上限，或含空字符等无法处理的文字：说明原因"},
}


def document_refusals(spec) -> None:
    """Add the refusals above to every POST of the OpenFisca spec (calculate, trace), so the
    document says what the service really answers."""
    for item in (spec.get("paths") or {}).values() if isinstance(spec, dict) else ():
        post = item.get("post") if isinstance(item, dict) else None
        if isinstance(post, dict):
            post.setdefault("responses", {}).update(REFUSALS)


class OpenFiscaGuard:
    def __init__(self, app: ASGIApp, tbs) -> None:
        self.app, self.tbs = app, tbs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if scope["method"] == "POST" and path.rstrip("/").endswith(("/calculate", "/trace")):
            # openfisca fails (500) on a body it was not told is JSON: say so before reading it
            ctype = Headers(scope=scope).get("content-type", "").split(";")[0].strip().lower()
            if ctype != "application/json" and not ctype.endswith("+json"):
                await self._send(send, *_json(415, {"error": NOT_JSON, "detail": {"message": NOT_JSON}}))
                return
            chunks, more = [], True
            while more:  # already bounded by jiuye.web.limits.BodyLimit (a JSON body: 256 KiB)
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunks.append(message.get("body", b""))
                more = message.get("more_body", False)
            body = b"".join(chunks)
            try:
                data = json.loads(body) if body else None
            except RecursionError:  # "[[[[…" nested past Python's recursion limit
                await self._send(send, *_json(400, {"error": TOO_DEEP, "detail": {"message": TOO_DEEP}}))
                return
            except ValueError:
                data = None  # openfisca answers invalid JSON itself
            reason = check_situation(data, self.tbs)
            if reason:
                await self._send(send, *_json(422, {"error": reason, "detail": {"message": reason,
                                                                            "max_persons": max_persons(),
                                                                            "max_values": max_values()}}))
                return
            sent = False

            async def replay() -> Message:
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            receive = replay
        await self._rewrite(scope, receive, send)

    async def _rewrite(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the answer on without flask-cors' headers, with server folders removed."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._finish(send, start, b"".join(chunks), scope.get("path", ""))
                return
            await send(message)

        await self.app(scope, receive, capture)

    async def _finish(self, send: Send, start: Message, body: bytes, path: str = "") -> None:
        status = start["status"]
        headers = MutableHeaders(raw=[(k, v) for k, v in start.get("headers", [])
                                      if not k.lower().startswith(b"access-control-")])
        if status >= 500:
            from jiuye.web.errors import INTERNAL_ERROR

            await self._send(send, *_json(status, {"error": INTERNAL_ERROR}))
            return
        if status >= 400 and not headers.get("content-type", "").startswith("application/json"):
            # Flask's English HTML pages (404 unknown variable path, 405 method): a Chinese JSON answer
            message = FLASK_ERRORS.get(status, f"请求无法处理（HTTP {status}）。")
            await self._send(send, *_json(status, {"error": message, "detail": {"message": message}}))
            return
        if headers.get("content-type", "").startswith("application/json"):
            try:  # parameters' and variables' metadata, and the spec's examples of them
                payload = relative_sources(json.loads(body))
                if status == 400 and isinstance(payload, dict) and str(payload.get("error", "")).startswith("Invalid JSON"):
                    payload["error"] = f"请求内容不是有效的 JSON（{payload['error']}）"
                if path.rstrip("/").endswith("/spec"):
                    document_refusals(payload)
                body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            except ValueError:
                pass
            body = scrub(body.decode("utf-8", "replace")).encode("utf-8")
        headers["content-length"] = str(len(body))
        await send({"type": "http.response.start", "status": status, "headers": headers.raw})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    async def _send(send: Send, status: int, body: bytes) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def openfisca_app(tbs, welcome_message: str) -> ASGIApp:
    from a2wsgi import WSGIMiddleware
    from openfisca_web_api.app import create_app

    return OpenFiscaGuard(WSGIMiddleware(create_app(tbs, welcome_message=welcome_message)), tbs)
