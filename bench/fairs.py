"""`make bench` (part): 招聘会 check-in at the door (issue 16): a fair with JIUYE_BENCH_FAIR_BOOTHS (default
200) approved booths and JIUYE_BENCH_FAIR_VISITORS (default 5,000) pre-registered visitors; DOOR_PHONES
(4) staff phones at the door check every visitor in through the API (POST /api/fairs/{id}/check-in, the
code as typed), each phone one visitor after the other (a person steps up only when the last one is
through). On SQLite (the embedded default) and on PostgreSQL ($JIUYE_BENCH_PG_URL, a fresh schema,
dropped after), each served by `jiuye serve` in its own process.

Reported per backend: people checked in per second (target ≥ 5), latency p50/p95 of one check-in, and
next to it the baseline of the same run: the same phones reading the fair (GET /api/fairs/{id}, no
write). Counted after, in the database: every visitor checked in once, one audit row per check-in.

    PYTHONPATH=src .venv/bin/python bench/fairs.py
"""
from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

from benchlib import percentile
from benchlib import served as _served

DOOR_PHONES = 4
TARGET = 5.0
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextlib.contextmanager
def database(backend: str, tmp: Path):
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'fairs.sqlite3'}"
        return
    from sqlalchemy import create_engine, text

    base = os.environ.get("JIUYE_BENCH_PG_URL", PG_DEFAULT)
    name = f"jiuye_bench_fairs_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{base}?options=-csearch_path%3D{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


def seed(url: str, booths: int, visitors: int) -> tuple[int, list[str]]:
    """The demo accounts, a fair of 乌兰浩特市 with `booths` approved booths (as many employers) and
    `visitors` pre-registered visitors. Returns (fair id, their codes)."""
    import datetime as dt

    from sqlalchemy.orm import Session

    from jiuye.cases.demo import load_demo_data
    from jiuye.cases.models import Enterprise, User
    from jiuye.cases.security import credit_code_with_check
    from jiuye.fairs import fairs, visitors as vis
    from jiuye.fairs.models import Booth, Visitor
    from jiuye.market.models import MarketEmployer
    from jiuye.platforms import clock
    from jiuye.store import db
    from sqlalchemy import select

    engine = db.make_engine(url)
    db.upgrade(engine)
    with Session(engine, expire_on_commit=False) as s:
        load_demo_data(s)
        zx = s.scalar(select(User).where(User.username == "zx_wlht"))
        f = fairs.create(s, zx, {"name": "压测专场招聘会", "kind": "onsite", "held_on": (clock.today() + dt.timedelta(days=1)).isoformat(),
                                 "start": "09:00", "end": "11:30", "place": "压测会场", "booths": str(booths)})
        emps = []
        for i in range(booths):
            e = Enterprise(credit_code=credit_code_with_check(f"91152201MA{i:06d}"[:17]), name=f"压测单位{i:03d}", district="乌兰浩特市")
            s.add(e)
            emps.append(e)
        s.flush()
        mes = [MarketEmployer(enterprise_id=e.id, kind="employer", district="乌兰浩特市") for e in emps]
        s.add_all(mes)
        s.flush()
        now = clock.now()
        s.add_all([Booth(fair_id=f.id, employer_id=m.id, employer_name=f"压测单位{i:03d}", materials={}, posting_ids=[],
                         state="approved", booth_no=i + 1, applied_at=now, updated_at=now) for i, m in enumerate(mes)])
        codes: set[str] = set()
        while len(codes) < visitors:
            codes.add(vis.new_code())
        codes_l = sorted(codes)
        s.add_all([Visitor(fair_id=f.id, name=f"求职者{i}", phone=f"139{i:08d}", code=c, channel="online", registered_at=now)
                   for i, c in enumerate(codes_l)])
        s.commit()
        fair_id = f.id
    engine.dispose()
    return fair_id, codes_l


def served(url: str, var: Path):
    return _served(var, JIUYE_DATABASE_URL=url)


def _door(base: str, token: str, jobs: list[list], send) -> dict:
    """DOOR_PHONES phones, each working through its list one after the other."""
    lat: list[float] = []
    status: dict = {}
    lock = threading.Lock()

    def phone(items):
        with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}) as c:
            for item in items:
                t = time.perf_counter()
                r = send(c, item)
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    lat.append(ms)
                    status[r.status_code] = status.get(r.status_code, 0) + 1

    threads = [threading.Thread(target=phone, args=(j,)) for j in jobs]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return {"lat": lat, "status": status, "wall": time.perf_counter() - t0}


def measure(backend: str, booths: int, visitors: int) -> dict:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from jiuye.fairs.models import FairEvent, Visitor
    from jiuye.store import db

    with tempfile.TemporaryDirectory() as tmp, database(backend, Path(tmp)) as url:
        old = os.environ.get("JIUYE_DATABASE_URL")
        os.environ["JIUYE_DATABASE_URL"] = url  # the services' own look-ups (parameters) use the same database
        db.forget()
        try:
            fair_id, codes = seed(url, booths, visitors)
        finally:
            os.environ.pop("JIUYE_DATABASE_URL") if old is None else os.environ.__setitem__("JIUYE_DATABASE_URL", old)
            db.forget()
        with served(url, Path(tmp) / "var") as base:
            token = httpx.post(f"{base}/api/auth/login", json={"username": "zx_wlht", "password": "jiuye-demo"},
                               timeout=60).json()["token"]
            reads = [[None] * max(20, visitors // 50 // DOOR_PHONES) for _ in range(DOOR_PHONES)]
            base_run = _door(base, token, reads, lambda c, _i: c.get(f"/api/fairs/{fair_id}"))
            jobs = [codes[k::DOOR_PHONES] for k in range(DOOR_PHONES)]
            typed = lambda code: f"{code[:4]} {code[4:]}".lower()  # noqa: E731  (as staff type it)
            run = _door(base, token, jobs, lambda c, code: c.post(f"/api/fairs/{fair_id}/check-in", json={"code": typed(code)}))
        engine = db.make_engine(url)
        with Session(engine) as s:
            checked = s.scalar(select(func.count()).select_from(Visitor).where(Visitor.fair_id == fair_id,
                                                                                Visitor.checked_in_at.is_not(None)))
            audited = s.scalar(select(func.count()).select_from(FairEvent).where(FairEvent.kind == "visitor_checked_in"))
        engine.dispose()
    return {"backend": backend, "rate": len(run["lat"]) / run["wall"], "p50": percentile(run["lat"], .5), "p95": percentile(run["lat"], .95),
            "mean": statistics.mean(run["lat"]), "status": run["status"], "base_p50": percentile(base_run["lat"], .5),
            "base_p95": percentile(base_run["lat"], .95), "base_rate": len(base_run["lat"]) / base_run["wall"],
            "checked": checked, "audited": audited, "visitors": visitors, "booths": booths}


def run(console=None) -> list[dict]:
    from rich.console import Console
    from rich.table import Table

    console = console or Console(width=140)
    booths = int(os.environ.get("JIUYE_BENCH_FAIR_BOOTHS", "200"))
    visitors = int(os.environ.get("JIUYE_BENCH_FAIR_VISITORS", "5000"))
    results = []
    for backend in ("sqlite", "postgresql"):
        try:
            results.append(measure(backend, booths, visitors))
        except Exception as exc:  # noqa: BLE001 - a backend that is not there is reported, not fatal
            console.print(f"[red]招聘会签到压测（{backend}）未能运行：{type(exc).__name__}: {exc}[/red]")
    t = Table(title=f"招聘会入场签到：{booths} 个展位、{visitors:,} 名预约求职者、{DOOR_PHONES} 部入口手机（目标 ≥ {TARGET:g} 人/秒）")
    for col in ("数据库", "签到 人/秒", "签到 p50 ms", "签到 p95 ms", "基线：读招聘会 次/秒", "基线 p50 ms", "基线 p95 ms",
                "已签到 / 审计", "状态码", "达标"):
        t.add_column(col)
    for r in results:
        ok = r["rate"] >= TARGET and r["checked"] == r["visitors"] == r["audited"]
        t.add_row("SQLite（内嵌）" if r["backend"] == "sqlite" else "PostgreSQL", f"{r['rate']:.1f}", f"{r['p50']:.1f}",
                  f"{r['p95']:.1f}", f"{r['base_rate']:.1f}", f"{r['base_p50']:.1f}", f"{r['base_p95']:.1f}",
                  f"{r['checked']:,} / {r['audited']:,}", ", ".join(f"{k}×{v}" for k, v in sorted(r["status"].items())),
                  "是" if ok else "否")
    console.print(t)
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    run()
