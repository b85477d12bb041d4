"""`jiuye serve --workers N`: several processes that share what must be shared (the session key, the
database, roster job state), each warm before it serves (/healthz 503 「正在启动」 until then)."""
from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest


# --- readiness (in-process, deterministic) -----------------------------------------------------------
async def _call(app, path: str) -> tuple[int, bytes]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app({"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def _inner(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            msg = await receive()
            await send({"type": msg["type"] + ".complete"})
            if msg["type"] == "lifespan.shutdown":
                return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": scope["path"].encode()})


def test_requests_wait_for_the_warm_up_and_healthz_says_starting():
    from jiuye.web.warmup import Readiness, Warmup

    release, warmed = threading.Event(), []
    warmup = Warmup(work=lambda: (release.wait(30), warmed.append(True)))
    app = Readiness(_inner, warmup)

    async def scenario():
        assert await _call(app, "/healthz") == (200, b"/healthz")  # no lifespan (TestClient): never held
        lifespan = asyncio.Queue()
        await lifespan.put({"type": "lifespan.startup"})
        replies: list[dict] = []

        async def send(m):
            replies.append(m)

        task = asyncio.create_task(app({"type": "lifespan"}, lifespan.get, send))
        while not replies:
            await asyncio.sleep(0.01)
        assert warmup.started and not warmup.ready
        status, body = await _call(app, "/healthz")
        assert status == 503 and json.loads(body) == {"status": "starting", "detail": "正在启动"}
        assert await _call(app, "/livez") == (200, b"/livez")  # the process is up: not held
        page = asyncio.create_task(_call(app, "/api/ask"))
        await asyncio.sleep(0.3)
        assert not page.done() and not warmed  # held until warm, not served cold
        release.set()
        assert await asyncio.wait_for(page, 30) == (200, b"/api/ask") and warmed
        assert await _call(app, "/healthz") == (200, b"/healthz")
        await lifespan.put({"type": "lifespan.shutdown"})
        await task

    run_in_own_thread(scenario)


def run_in_own_thread(coroutine_function) -> None:
    """asyncio.run() in a fresh thread: the browser tests' Playwright (sync API) keeps an event loop
    running in the main thread for the whole session, where asyncio.run() would refuse to start."""
    import threading

    failure: list[BaseException] = []

    def main() -> None:
        try:
            asyncio.run(coroutine_function())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            failure.append(exc)

    worker = threading.Thread(target=main)
    worker.start()
    worker.join(120)
    assert not worker.is_alive(), "the scenario did not finish in 120 s"
    if failure:
        raise failure[0]


def test_a_failed_warm_up_still_makes_the_process_ready():
    from jiuye.web.warmup import Warmup

    w = Warmup(work=lambda: 1 / 0)
    w.start()
    assert w.done.wait(10) and w.ready


def test_warm_up_builds_the_ask_engine_screener_and_templates(tmp_path, monkeypatch):
    from jiuye.web.pages.common import TEMPLATES
    from jiuye.web.warmup import warm

    monkeypatch.setenv("JIUYE_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("JIUYE_DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite3'}")  # not migrated: only logged
    TEMPLATES.env.cache.clear()
    warm()
    names = TEMPLATES.env.list_templates(extensions=["html"])
    cached = {key[1] for key in TEMPLATES.env.cache.keys()}
    assert names and set(names) <= cached  # every page template compiled before the first request


# --- the session key: one file, whoever of N workers starts first ----------------------------------
def _secret(folder: str, barrier, out) -> None:
    os.environ["JIUYE_VAR_DIR"] = folder
    os.environ.pop("JIUYE_SECRET_KEY", None)
    from jiuye.config import session_secret

    barrier.wait()
    try:
        out.put(session_secret())
    except Exception as exc:  # noqa: BLE001 - reported to the test
        out.put(f"ERROR {type(exc).__name__}")


def test_session_key_is_created_once_by_workers_starting_together(tmp_path):
    ctx = multiprocessing.get_context("fork")
    for round_ in range(8):
        folder = tmp_path / f"r{round_}"
        barrier, out = ctx.Barrier(6), ctx.Queue()
        procs = [ctx.Process(target=_secret, args=(str(folder), barrier, out)) for _ in range(6)]
        for p in procs:
            p.start()
        keys = [out.get(timeout=60) for _ in procs]
        for p in procs:
            p.join(30)
        assert len(set(keys)) == 1 and len(keys[0]) > 40, keys
        assert (folder / "secret_key").read_text().strip() == keys[0]
        assert oct((folder / "secret_key").stat().st_mode & 0o777) == "0o600"
        assert [p.name for p in folder.iterdir()] == ["secret_key"]  # no temporary file left


# --- a real server with two workers ----------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve2")
    port = _free_port()
    env = {**os.environ, "JIUYE_VAR_DIR": str(tmp / "var"), "JIUYE_WORKER_HEADER": "1", "JIUYE_ROSTER_CHUNK_ROWS": "50"}
    for k in ("JIUYE_DATABASE_URL", "JIUYE_QUEUE_URL", "JIUYE_SECRET_KEY"):
        env.pop(k, None)
    jiuye = Path(sys.executable).parent / "jiuye"
    log = open(tmp / "serve.log", "wb")
    proc = subprocess.Popen([str(jiuye), "serve", "--port", str(port), "--workers", "2"], env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}", proc, tmp
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _client():
    import httpx

    # no keep-alive: each request is a new connection, which either worker may accept
    return httpx.Client(timeout=120, limits=httpx.Limits(max_keepalive_connections=0), follow_redirects=False)


def test_two_workers_start_warm_and_share_sessions_and_job_state(server, tmp_path):
    import httpx

    base, proc, tmp = server
    statuses = []
    deadline = time.monotonic() + 300
    with _client() as c:
        while True:
            assert proc.poll() is None, (tmp / "serve.log").read_text()
            assert time.monotonic() < deadline, "server not ready"
            try:
                r = c.get(f"{base}/healthz")
            except httpx.TransportError:
                time.sleep(0.1)
                continue
            statuses.append(r.status_code)
            if r.status_code == 200:
                break
            assert r.status_code == 503 and r.json()["detail"] == "正在启动"
            time.sleep(0.05)
        assert r.json()["status"] == "ok"
        # both processes answer (each request a new connection; concurrent so that both accept)
        pids: set[str] = set()

        def ask():
            with _client() as cc:
                r = cc.get(f"{base}/api/ask", params={"q": "失业金能领几个月"})
                assert r.status_code == 200 and r.json()["answers"]
                pids.add(r.headers["x-jiuye-worker"])

        for _ in range(10):
            threads = [threading.Thread(target=ask) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if len(pids) == 2:
                break
        assert len(pids) == 2, pids
        log = (tmp / "serve.log").read_text()
        assert len(re.findall(r"process \d+ ready \(warm-up", log)) >= 2, log[-2000:]

        # staff log in on one worker; the session (signed with the one key file) works on both; a roster job
        # runs in the queue's consumer and its state is the same whichever worker is asked
        from jiuye.cases.demo import DEMO_PASSWORD

        page = c.get(f"{base}/console/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        r = c.post(f"{base}/console/login", data={"username": "zx_wlht", "password": DEMO_PASSWORD,
                                                  "csrf_token": token, "next": "/console"})
        assert r.status_code == 303, r.text
        from jiuye.batch import synth
        from jiuye.batch.io import write_table

        table, _ = synth.enterprises(300, seed=3, bad_share=0.05)
        roster = write_table(tmp_path / "名册.csv", table)
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get(f"{base}/console/roster").text).group(1)
        with open(roster, "rb") as f:
            r = c.post(f"{base}/console/roster", data={"subject": "enterprise", "as_of": "2022-06-15", "csrf_token": token},
                       files={"file": ("名册.csv", f, "text/csv")})
        assert r.status_code == 303, r.text
        url = base + r.headers["location"]
        seen: dict[str, dict] = {}
        while time.monotonic() < deadline + 300:
            r = c.get(f"{url}/status")
            assert r.status_code == 200, r.text  # logged in on whichever worker answers
            st = r.json()
            if st["finished"]:
                seen[r.headers["x-jiuye-worker"]] = st
                if len(seen) == 2:
                    break
            time.sleep(0.1)
        assert set(seen) == pids, seen
        a, b = seen.values()
        assert a == b and a["state"] == "done" and a["done_rows"] == 300
        assert "个人信息保护" in c.get(f"{base}/console/roster").text
