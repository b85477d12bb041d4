"""Readiness: each web process warms up before it serves, and says so on /healthz.

Right after a start the Ask engine, the screener's first OpenFisca calculation, the page templates
and the database connection are cold; twenty citizens asking at that moment each waited ~22 s while
every request built the same things at once. Now the ASGI lifespan startup begins :func:`warm` in a
thread (what it does is listed in data/web/warmup.yaml); until it has finished

- ``/healthz`` answers 503 ``{"status": "starting", "detail": "正在启动"}`` (a load balancer or
  `jiuye serve`'s caller waits for 200),
- ``/livez`` (the process is up) is not held back,
- any other request waits for the warm-up (bounded), then is served warm.

Without a lifespan (tests' TestClient outside ``with``) nothing waits. With $JIUYE_WORKER_HEADER=1
every reply names its process (``X-Jiuye-Worker: <pid>``) for load checks of ``--workers N``.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time

import yaml

from jiuye.config import data_dir, worker_header

log = logging.getLogger("uvicorn.error")  # the server's own log: shown by `jiuye serve`

HOLD_SECONDS = 120.0  # a request arriving during the warm-up waits at most this long
NOT_HELD = ("/healthz", "/livez")


class Warmup:
    """This process's warm-up: not started (no lifespan), running, or done."""

    def __init__(self, work=None) -> None:
        self.work = work or warm
        self.started = False
        self.done = threading.Event()
        self.seconds: float | None = None

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        threading.Thread(target=self._run, name="jiuye-warmup", daemon=True).start()

    def _run(self) -> None:
        t0 = time.perf_counter()
        try:
            self.work()
        except Exception:  # noqa: BLE001 - a failed warm-up must not keep the process unready forever
            log.exception("warm-up failed (serving cold)")
        finally:
            self.seconds = time.perf_counter() - t0
            log.info("process %d ready (warm-up %.1f s)", os.getpid(), self.seconds)
            self.done.set()

    @property
    def ready(self) -> bool:
        return not self.started or self.done.is_set()


def warm() -> None:
    """Build and use once what the first requests would otherwise build concurrently."""
    import datetime as dt

    from jiuye.ask.engine import get_engine
    from jiuye.knowledge.loader import get_knowledge
    from jiuye.screening import default_screener
    from jiuye.web.pages.common import TEMPLATES

    plan = yaml.safe_load((data_dir() / "web" / "warmup.yaml").read_text(encoding="utf-8"))
    kb = get_knowledge()
    engine = get_engine(kb)
    for q in plan["questions"]:
        engine.ask(q)
    screen = plan["screen"]
    default_screener().screen(screen["profile"], dt.date.fromisoformat(str(screen["as_of"])))
    from jiuye.market.policies import links

    links()  # data/market/policy_links.yaml, checked against the catalogue, the parameters and the profile
    from jiuye.web.pages import find

    find.get_questionnaire()
    env = TEMPLATES.env
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    try:
        from sqlalchemy import text

        from jiuye.store.db import default_engine

        with default_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - the database's own health is /healthz's business
        log.warning("warm-up: database not reachable (%s)", type(exc).__name__)
        return
    try:  # the labour market's public posts, prepared for the search and the matcher (jiuye.market.live)
        from sqlalchemy.orm import Session

        from jiuye.market import live, postings

        with Session(default_engine()) as s:
            postings.search(s, q=plan.get("market_query") or "", limit=1)
            live.current(s).index()
    except Exception as exc:  # noqa: BLE001 - served cold: the first search or matches request prepares them
        log.warning("warm-up: the market's posts were not prepared (%s)", type(exc).__name__)


class Readiness:
    """Pure ASGI middleware: starts the warm-up at lifespan startup and holds requests until it is done."""

    def __init__(self, app, warmup: Warmup | None = None) -> None:
        self.app = app
        self.warmup = warmup or Warmup()
        self.pid = str(os.getpid()).encode()
        self.header = worker_header()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            async def startup_receive():
                message = await receive()
                if message["type"] == "lifespan.startup":
                    self.warmup.start()
                return message

            return await self.app(scope, startup_receive, send)
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self.header:
            inner_send = send

            async def send(message):  # noqa: F811 - the same send, with the process named
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message.get("headers", []), (b"x-jiuye-worker", self.pid)]}
                await inner_send(message)
        path = scope.get("path", "")
        if not self.warmup.ready:
            if path == "/healthz":
                return await _starting(send)
            if path not in NOT_HELD:
                end = time.monotonic() + HOLD_SECONDS
                while not self.warmup.ready and time.monotonic() < end:
                    await asyncio.sleep(0.05)
        return await self.app(scope, receive, send)


async def _starting(send) -> None:
    body = json.dumps({"status": "starting", "detail": "正在启动"}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 503, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"retry-after", b"1"), (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})


__all__ = ["Readiness", "Warmup", "warm"]
