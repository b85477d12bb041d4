"""`make bench`: what the public-facing limits cost on the normal paths.

The same application is measured twice in one process, request by request through the ASGI stack
(Starlette's TestClient, no network): once as served (security headers, CORS, body limits counted
while streaming, NUL/surrogate checks, HEAD, database faults as 503, the readiness gate) and once
with those middlewares removed (only the session cookie left) — the baseline. Paths: POST
/api/screen (one person, all policies), GET /api/ask, GET /policies (a page), GET /healthz (which now
also asks the database). The ratio is the price of the hardening on each path."""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

from rich.console import Console
from rich.table import Table

SCREEN = {"as_of": "2021-06-15", "profile": {
    "district": "扎赉特旗", "birth_date": "1975-03-08", "sex": "male", "contribution_years": 11,
    "involuntary_separation": True, "registered_unemployed": True, "job_seeking": True, "is_unemployed": True}}
PATHS = [
    ("POST /api/screen（一人，全部政策）", "post", "/api/screen", {"json": SCREEN}),
    ("GET /api/ask", "get", "/api/ask", {"params": {"q": "失业金能领几个月"}}),
    ("GET /policies（页面）", "get", "/policies", {"headers": {"accept": "text/html"}}),
    ("GET /healthz（含数据库检查）", "get", "/healthz", {}),
]
REPEAT = int(os.environ.get("JIUYE_BENCH_HARDENING_REPEAT", "60"))


def _apps():
    from starlette.middleware.sessions import SessionMiddleware

    from jiuye.web.app import create_app

    served = create_app()
    bare = create_app()
    bare.user_middleware = [m for m in bare.user_middleware if m.cls is SessionMiddleware]
    bare.middleware_stack = None  # rebuilt from user_middleware on the first request
    return served, bare


def _times(client, method: str, path: str, kwargs: dict) -> list[float]:
    for _ in range(5):  # warm
        assert getattr(client, method)(path, **kwargs).status_code == 200
    out = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        r = getattr(client, method)(path, **kwargs)
        out.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, r.text[:200]
    return out


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(round(len(ordered) * 0.95)) - 1)]


def run_and_print(console: Console | None = None) -> None:
    console = console or Console(width=130)
    with tempfile.TemporaryDirectory(prefix="jiuye-bench-hardening-") as var:
        os.environ.setdefault("JIUYE_VAR_DIR", var)
        from fastapi.testclient import TestClient

        from jiuye.store import db

        db.upgrade(db.default_engine())  # as `jiuye serve` leaves it: tables in place
        served, bare = _apps()
        t = Table(title=f"The hardening's price on the normal paths (ms per request, in-process, {REPEAT} runs each)")
        for col in ("path", "served p50", "served p95", "without hardening middlewares p50", "p95", "ratio p50"):
            t.add_column(col)
        with TestClient(served) as cs, TestClient(bare) as cb:
            for label, method, path, kwargs in PATHS:
                # interleaved: both see the same machine noise
                a, b = [], []
                for _ in range(2):
                    b += _times(cb, method, path, kwargs)
                    a += _times(cs, method, path, kwargs)
                pa, pb = statistics.median(a), statistics.median(b)
                t.add_row(label, f"{pa:.2f}", f"{_p95(a):.2f}", f"{pb:.2f}", f"{_p95(b):.2f}", f"{pa / pb:.2f}×")
        console.print(t)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    run_and_print()
