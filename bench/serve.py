"""`make bench`: the server under load. `jiuye serve --workers N` on 127.0.0.1 (N = 1 and 2), a
temporary var/ (embedded database and queue), then

- start → ready: seconds from launching the command to the port accepting and to /healthz 200
  (every worker warm: Ask engine, screener, OpenFisca, templates, database);
- 20 asks sent the moment the port accepts (the cold burst that used to take ~22 s each);
- 20 concurrent clients, each sending JIUYE_BENCH_SERVE_REQUESTS (default 15) requests one after the
  other: POST /api/screen (one person), GET /api/ask, GET / (a page) — requests/s, p50 and p95.

Bounded: every request has a timeout, the server is stopped at the end (also on error)."""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml
from rich.console import Console
from rich.table import Table

from benchlib import free_port, percentile
from jiuye.config import data_dir

CLIENTS = 20
QUESTIONS = ["失业金能领几个月", "大学生自己开店政府给钱吗", "创业贷款能贷多少钱", "公益岗能干几年", "扎赉特旗失业保险电话"]


async def _port_open(port: int, proc: subprocess.Popen, deadline: float) -> None:
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"jiuye serve exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError("jiuye serve did not open its port")
        try:
            _r, w = await asyncio.open_connection("127.0.0.1", port)
            w.close()
            return
        except OSError:
            await asyncio.sleep(0.05)


async def _ready(client: httpx.AsyncClient, base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if (await client.get(f"{base}/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.05)
    raise RuntimeError("jiuye serve did not become ready")


async def _timed(coro) -> float:
    t0 = time.perf_counter()
    r = await coro
    r.raise_for_status()
    return (time.perf_counter() - t0) * 1000


async def _load(base: str, kind: str, per_client: int, screen: dict) -> tuple[float, list[float]]:
    async def one_client(i: int) -> list[float]:
        out = []
        async with httpx.AsyncClient(timeout=60) as c:
            for k in range(per_client):
                if kind == "screen":
                    out.append(await _timed(c.post(f"{base}/api/screen", json=screen)))
                elif kind == "ask":
                    out.append(await _timed(c.get(f"{base}/api/ask", params={"q": QUESTIONS[(i + k) % len(QUESTIONS)]})))
                else:
                    out.append(await _timed(c.get(f"{base}/", headers={"accept": "text/html"})))
        return out

    t0 = time.perf_counter()
    results = await asyncio.gather(*(one_client(i) for i in range(CLIENTS)))
    wall = time.perf_counter() - t0
    samples = [x for r in results for x in r]
    return len(samples) / wall, samples


async def _measure(workers: int, var: Path, per_client: int, screen: dict) -> list[tuple]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "JIUYE_VAR_DIR": str(var)}
    for k in ("JIUYE_DATABASE_URL", "JIUYE_QUEUE_URL", "JIUYE_WORKER_HEADER"):
        env.pop(k, None)
    jiuye = Path(sys.executable).parent / "jiuye"
    t0 = time.monotonic()
    proc = subprocess.Popen([str(jiuye), "serve", "--port", str(port), "--workers", str(workers)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    try:
        await _port_open(port, proc, t0 + 300)
        t_port = time.monotonic() - t0
        async with httpx.AsyncClient(timeout=120) as c:
            burst = asyncio.gather(*(_timed(c.get(f"{base}/api/ask", params={"q": QUESTIONS[i % len(QUESTIONS)]}))
                                     for i in range(CLIENTS)))
            await _ready(c, base, t0 + 300)
            t_ready = time.monotonic() - t0
            cold = await burst
        rows.append((workers, f"start → /healthz 200: {t_ready:.1f} s (port open at {t_port:.1f} s)", "—", "—", "—", "—"))
        rows.append((workers, f"{CLIENTS} asks sent as the port opens", str(CLIENTS), "—",
                     f"{statistics.median(cold):.0f}", f"{percentile(cold, 0.95):.0f}"))
        for kind, label in (("screen", "POST /api/screen (one person)"), ("ask", "GET /api/ask"), ("page", "GET / (page)")):
            rps, samples = await _load(base, kind, per_client, screen)
            rows.append((workers, f"{CLIENTS} clients: {label}", str(len(samples)), f"{rps:.0f}",
                         f"{statistics.median(samples):.0f}", f"{percentile(samples, 0.95):.0f}"))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return rows


def run_and_print(console: Console | None = None) -> None:
    plan = yaml.safe_load((data_dir() / "web" / "warmup.yaml").read_text(encoding="utf-8"))
    screen = json.loads(json.dumps({"profile": plan["screen"]["profile"], "as_of": plan["screen"]["as_of"]}, default=str))
    per_client = int(os.environ.get("JIUYE_BENCH_SERVE_REQUESTS", "15"))
    t = Table(title=f"jiuye serve under load: {CLIENTS} concurrent clients, {per_client} requests each (ms unless noted)")
    for col in ("workers", "what", "requests", "req/s", "p50", "p95"):
        t.add_column(col)
    with tempfile.TemporaryDirectory(prefix="jiuye-bench-serve-") as tmp:
        var = Path(tmp) / "var"
        for workers in (1, 2):  # the same var/: the database is created by the first run
            for r in asyncio.run(_measure(workers, var, per_client, screen)):
                t.add_row(*map(str, r))
    (console or Console(width=140)).print(t)


if __name__ == "__main__":
    run_and_print()
