"""`make bench` (part): 兴安打工直通车 under load (issue 16), on the embedded default (`jiuye serve`, one
process, SQLite in a temporary var/, the demo data), each figure next to a baseline of the same run:

1. Sign-ups through the API (POST /api/dagong/signups, anonymous, half of them at a station's terminal),
   sent open-loop at JIUYE_BENCH_DAGONG_RATE per minute (default 1,000) for JIUYE_BENCH_DAGONG_SECONDS
   (default 120): achieved rate, latency from the moment each was due to be sent (a slow server cannot
   hide behind a slow client), errors. Then the most the server takes (20 clients back to back), next
   to GET /api/dagong/about (no database) as the floor. The anonymous limit per address is raised for
   the run through its setting ($JIUYE_THROTTLE_DAGONG_SIGNUP_ADDRESS), not switched off.
   Counted after, in the database: every acknowledged sign-up is there once, none lost, none doubled,
   each with its 24-hour clock (due = created + data/platforms/dagong.yaml › follow_up.hours); and on a
   copy of the database the escalation task, run as if 24 hours and a minute later, escalates every one.
2. The follow-up queue page (GET /console/dagong, staff of 乌兰浩特市, first page and last page) and the
   API queue, with JIUYE_BENCH_DAGONG_OPEN (default 10,000) sign-ups waiting in the district, among
   history and other districts (5× as many rows in all); the baseline is the same page before they were
   added. Target p95 ≤ 200 ms.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchlib import percentile
from benchlib import served as _served

UTC = dt.timezone.utc
CLIENTS = 20
NAMES = ["额尔敦", "其木格", "包玉山", "乌云", "白音", "孟和", "阿拉坦", "朝鲁", "那仁", "萨仁", "巴图", "宝音"]
DISTRICT = "乌兰浩特市"


def served(var: Path):
    return _served(var, JIUYE_THROTTLE_DAGONG_SIGNUP_ADDRESS="10000000/3600")


def _body(i: int, posts: list[int], stations: list[str]) -> dict:
    b = {"posting_id": posts[i % len(posts)], "name": NAMES[i % len(NAMES)], "phone": f"138{i:08d}",
         "client_token": secrets.token_urlsafe(24)}
    if i % 2:
        b["station"] = stations[i % len(stations)]
    return b


async def _paced(base: str, bodies: list[dict], per_minute: float) -> dict:
    """Open loop: sign-up i is due at t0 + i × 60/rate; its latency runs from then to the answer."""
    gap = 60.0 / per_minute
    lat, status, acked = [], {}, []

    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=200)) as c:
        async def one(due: float, body: dict):
            try:
                r = await c.post(f"{base}/api/dagong/signups", json=body)
                code = r.status_code
                if code == 201:
                    acked.append(body["phone"])
            except httpx.HTTPError as exc:
                code = type(exc).__name__
            lat.append((time.perf_counter() - due) * 1000)
            status[code] = status.get(code, 0) + 1

        t0 = time.perf_counter()
        tasks = []
        for i, body in enumerate(bodies):
            due = t0 + i * gap
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(one(due, body)))
        await asyncio.gather(*tasks)
        wall = time.perf_counter() - t0
    return {"lat": lat, "status": status, "acked": acked, "wall": wall}


async def _closed(base: str, n_per_client: int, request) -> dict:
    """CLIENTS clients, each sending its requests one after the other: the most the server takes."""
    lat, status, acked = [], {}, []

    async def client(k: int):
        async with httpx.AsyncClient(timeout=120) as c:
            for j in range(n_per_client):
                t = time.perf_counter()
                r, phone = await request(c, k * n_per_client + j)
                lat.append((time.perf_counter() - t) * 1000)
                status[r.status_code] = status.get(r.status_code, 0) + 1
                if r.status_code == 201 and phone:
                    acked.append(phone)

    t0 = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(CLIENTS)))
    return {"lat": lat, "status": status, "acked": acked, "wall": time.perf_counter() - t0}


def _db(var: Path) -> Path:
    return var / "jiuye.sqlite3"


def _count(db: Path, phones: list[str], hours: int) -> dict:
    """What the database holds for the acknowledged phones (read with sqlite3, not the app's code)."""
    con = sqlite3.connect(db)
    con.execute("CREATE TEMP TABLE sent(phone TEXT PRIMARY KEY)")
    con.executemany("INSERT INTO sent VALUES (?)", [(p,) for p in phones])
    rows = con.execute("SELECT s.phone, s.state, s.created_at, s.due_at FROM dagong_signups s JOIN sent USING (phone)").fetchall()
    con.close()
    parse = lambda v: dt.datetime.fromisoformat(v)  # noqa: E731
    clocks = sum(1 for _p_, state, c, d in rows if state == "signed_up" and parse(d) - parse(c) == dt.timedelta(hours=hours))
    return {"acked": len(phones), "rows": len(rows), "distinct": len({r[0] for r in rows}), "clocks": clocks}


def _escalate_copy(db: Path, phones: list[str], hours: int) -> int:
    """Copy the database, run the escalation task on the copy as if `hours` + 1 minute had passed
    (JIUYE_NOW), and count the acknowledged sign-ups it escalated."""
    copy = db.with_name("escalate-copy.sqlite3")
    src, dst = sqlite3.connect(db), sqlite3.connect(copy)
    src.backup(dst)
    src.close(), dst.close()
    later = (dt.datetime.now(UTC) + dt.timedelta(hours=hours, minutes=1)).isoformat()
    env = {**os.environ, "JIUYE_DATABASE_URL": f"sqlite:///{copy}", "JIUYE_NOW": later}
    subprocess.run([sys.executable, "-c", "from sqlalchemy.orm import Session; from jiuye.store.db import make_engine; "
                    "from jiuye.platforms.tasks import escalate_due; s = Session(make_engine()); print(escalate_due(s))"],
                   env=env, check=True, capture_output=True)
    con = sqlite3.connect(copy)
    con.execute("CREATE TEMP TABLE sent(phone TEXT PRIMARY KEY)")
    con.executemany("INSERT INTO sent VALUES (?)", [(p,) for p in phones])
    n = con.execute("SELECT count(*) FROM dagong_signups JOIN sent USING (phone) WHERE escalated_at IS NOT NULL").fetchone()[0]
    con.close()
    copy.unlink()
    return n


def seed_queue(db: Path, n_open: int) -> int:
    """`n_open` sign-ups waiting for contact in 乌兰浩特市 (clocks spread over the last 36 hours: some
    overdue and escalated), as much history in other states there, and 3× n_open in the other districts."""
    from sqlalchemy import create_engine, insert, select

    from jiuye.market.models import Posting
    from jiuye.platforms.models import Signup, Station

    eng = create_engine(f"sqlite:///{db}", connect_args={"timeout": 60})
    with eng.begin() as c:
        posts = c.execute(select(Posting.id, Posting.title)).all()
        stations = c.execute(select(Station.id, Station.district)).all()
        districts = sorted(({d for _i, d in stations} | {"科右前旗", "突泉县", "阿尔山市", "科右中旗"}) - {DISTRICT, "兴安盟"})
        now = dt.datetime.now(UTC)
        rows, k = [], 0
        later = ["contacted", "recommended", "working", "followed_up", "closed"]

        def row(district: str, state: str, age_h: float):
            nonlocal k
            k += 1
            p = posts[k % len(posts)]
            st = [i for i, d in stations if d == district]
            created = now - dt.timedelta(hours=age_h)
            due = created + dt.timedelta(hours=24)
            return {"station_id": st[k % len(st)] if st and k % 2 else None, "posting_id": p.id, "posting_title": p.title,
                    "district": district, "name": NAMES[k % len(NAMES)], "phone": f"139{k:08d}", "channel": "online",
                    "state": state, "created_at": created, "due_at": due, "updated_at": created, "attempts": 0,
                    "escalated_at": due if state == "signed_up" and due < now else None,
                    "contacted_at": created + dt.timedelta(hours=3) if state != "signed_up" else None, "version": 1}

        for i in range(n_open):
            rows.append(row(DISTRICT, "signed_up", 36 * i / n_open))
        for i in range(n_open):
            rows.append(row(DISTRICT, later[i % len(later)], 48 + 24 * 90 * i / n_open))
        for i in range(3 * n_open):
            d = districts[i % len(districts)]
            rows.append(row(d, "signed_up" if i % 3 == 0 else later[i % len(later)], 24 * 90 * i / (3 * n_open)))
        for start in range(0, len(rows), 5000):
            c.execute(insert(Signup.__table__), rows[start:start + 5000])
    eng.dispose()
    return len(rows)


async def _logged_in(base: str, username: str) -> tuple[httpx.AsyncClient, httpx.AsyncClient]:
    page = httpx.AsyncClient(base_url=base, timeout=60, headers={"accept": "text/html"})
    form = (await page.get("/console/login")).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    r = await page.post("/console/login", data={"username": username, "password": "jiuye-demo", "csrf_token": token})
    assert r.status_code in (200, 303), r.status_code
    api = httpx.AsyncClient(base_url=base, timeout=60)
    t = (await api.post("/api/auth/login", json={"username": username, "password": "jiuye-demo"})).json()["token"]
    api.headers["Authorization"] = f"Bearer {t}"
    return page, api


async def _latency(c: httpx.AsyncClient, path: str, n: int, check: str | None = None) -> list[float]:
    out = []
    for i in range(n + 3):
        t = time.perf_counter()
        r = await c.get(path)
        ms = (time.perf_counter() - t) * 1000
        assert r.status_code == 200, (path, r.status_code)
        if check:
            assert check in r.text, (path, r.text[:300])
        if i >= 3:  # three warm-ups
            out.append(ms)
    return out


async def _queue(base: str, n: int) -> dict:
    page, api = await _logged_in(base, "zx_wlht")
    try:
        total = (await api.get("/api/dagong/signups", params={"limit": 1})).json()["total"]
        last = max(1, -(-total // 100))
        return {"total": total, "page": await _latency(page, "/console/dagong", n, "报名跟进"),
                "last": await _latency(page, f"/console/dagong?page={last}", n, "报名跟进"),
                "api": await _latency(api, "/api/dagong/signups?tab=contact&limit=100", n)}
    finally:
        await page.aclose()
        await api.aclose()


def run(console=None) -> dict:
    from rich.console import Console
    from rich.table import Table

    from jiuye.platforms.settings import dagong

    console = console or Console(width=140)
    rate = float(os.environ.get("JIUYE_BENCH_DAGONG_RATE", "1000"))
    seconds = float(os.environ.get("JIUYE_BENCH_DAGONG_SECONDS", "120"))
    n_open = int(os.environ.get("JIUYE_BENCH_DAGONG_OPEN", "10000"))
    hours = dagong().follow_up.hours
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="jiuye-bench-dagong-") as tmp:
        var = Path(tmp) / "var"
        with served(var) as base:
            posts = [p["id"] for p in httpx.get(f"{base}/api/dagong/posts", params={"limit": 100}).json()["posts"]]
            stations = ["DEMO-WLHT-GGM", "DEMO-ZLTQ-YDE", "DEMO-KYQQ-SL", "DEMO-KYZQ-BYHS"]
            n = int(rate * seconds / 60)
            bodies = [_body(i, posts, stations) for i in range(n)]
            paced = asyncio.run(_paced(base, bodies, rate))

            async def about(c, _i):
                return await c.get(f"{base}/api/dagong/about"), None

            async def signup(c, i):
                b = _body(n + i, posts, stations)
                return await c.post(f"{base}/api/dagong/signups", json=b), b["phone"]

            floor = asyncio.run(_closed(base, 25, about))
            most = asyncio.run(_closed(base, 25, signup))
            counted = _count(_db(var), paced["acked"] + most["acked"], hours)
            escalated = _escalate_copy(_db(var), paced["acked"] + most["acked"], hours)
            before = asyncio.run(_queue(base, 30))
            t0 = time.perf_counter()
            seeded = seed_queue(_db(var), n_open)
            seed_s = time.perf_counter() - t0
            after = asyncio.run(_queue(base, 50))
    out.update(paced=paced, floor=floor, most=most, counted=counted, escalated=escalated, before=before, after=after)

    t = Table(title=f"打工直通车 sign-ups through the API: jiuye serve (1 process, SQLite); target 1,000 per minute "
                    f"sustained, none lost, every {hours} h clock started")
    for col in ("what", "requests", "per minute", "p50 ms", "p95 ms", "p99 ms", "answers"):
        t.add_column(col)

    def add(label, r):
        per_min = len(r["lat"]) / r["wall"] * 60
        t.add_row(label, f"{len(r['lat']):,}", f"{per_min:,.0f}", f"{statistics.median(r['lat']):.0f}",
                  f"{percentile(r['lat'], 0.95):.0f}", f"{percentile(r['lat'], 0.99):.0f}",
                  ", ".join(f"{k}×{v}" for k, v in sorted(r["status"].items(), key=str)))

    add(f"sign-ups paced at {rate:,.0f}/min for {seconds:.0f} s (latency from when due)", paced)
    add(f"baseline: GET /api/dagong/about (no database), {CLIENTS} clients back to back", floor)
    add(f"sign-ups, {CLIENTS} clients back to back (the most it takes)", most)
    c = counted
    t.add_row("counted after (sqlite3 on the file)", f"{c['acked']:,} acked", "", "", "", "",
              f"in the database {c['rows']:,} rows, {c['distinct']:,} phones; {c['clocks']:,} clocks running (due = "
              f"created + {hours} h); escalation task {hours} h 1 min later: {escalated:,} escalated")
    console.print(t)

    t2 = Table(title=f"follow-up queue of 乌兰浩特市 (zx_wlht): {n_open:,} waiting + as many in other states + {3 * n_open:,} "
                     f"in other districts ({seeded:,} rows written in {seed_s:.1f} s); target p95 ≤ 200 ms")
    for col in ("what", "waiting in the district", "requests", "p50 ms", "p95 ms", "p99 ms"):
        t2.add_column(col)
    for label, q, key in (("baseline: the page before the rows were added", before, "page"),
                          ("GET /console/dagong, page 1 (100 rows, least time left first)", after, "page"),
                          (f"GET /console/dagong, last page (offset {(after['total'] - 1) // 100 * 100:,})", after, "last"),
                          ("API GET /api/dagong/signups?tab=contact&limit=100", after, "api")):
        xs = q[key]
        t2.add_row(label, f"{q['total']:,}", str(len(xs)), f"{statistics.median(xs):.0f}", f"{percentile(xs, 0.95):.0f}",
                   f"{percentile(xs, 0.99):.0f}")
    console.print(t2)
    return out


if __name__ == "__main__":
    r = run()
    print(json.dumps({k: v for k, v in r.items() if k in ("counted", "escalated")}))
