"""`make bench` (part): training (issue 18), on SQLite and on PostgreSQL (a fresh schema of
$JIUYE_BENCH_PG_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test), each figure next to a
baseline of the same run:

1. A class of JIUYE_BENCH_TRAINING_CLASS learners (default 60) signing in with the code of the day,
   sent open-loop over JIUYE_BENCH_TRAINING_SECONDS (default 120) by 20 threads, each sign-in in its
   own session through jiuye.training.attendance.sign_in (the service the API and the page call), plus
   every tenth learner pressing 签到 twice at once. Counted after, in the database: one row per learner,
   none lost, none doubled. Baseline: `SELECT 1` on a session of the same pool.
2. Course search (jiuye.training.courses.search, the API's query) with JIUYE_BENCH_TRAINING_COURSES
   courses (default 5,000) over the districts, kinds and occupations, 300 mixed queries. Target p95 ≤ 50 ms.
   Baseline: counting all courses.
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import os
import random
import statistics
import tempfile
import time
import uuid

from rich.console import Console
from rich.table import Table

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DISTRICTS = ["乌兰浩特市", "阿尔山市", "科右前旗", "科右中旗", "扎赉特旗", "突泉县"]
OCCUPATIONS = ["4-10-01-05", "4-10-01-06", "4-03-02-01", "6-31-01-03", "6-18-02-04", "4-01-06-01"]


def _p(samples, q):
    s = sorted(samples)
    return s[max(0, min(len(s) - 1, int(round(len(s) * q)) - 1))] if s else float("nan")


@contextlib.contextmanager
def _engine(backend: str):
    from sqlalchemy import create_engine, text

    from jiuye.store import db

    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as d:
            engine = db.make_engine(f"sqlite:///{d}/bench.sqlite3")
            try:
                yield engine
            finally:
                engine.dispose()
        return
    base = os.environ.get("JIUYE_BENCH_PG_URL", DEFAULT_PG)
    schema = f"jiuye_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = db.make_engine(base, schema=schema, pool_size=25, max_overflow=10)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _setup(engine, n: int, day0: dt.date):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from jiuye.cases import service
    from jiuye.cases.demo import DEMO_PASSWORD, load_demo_data
    from jiuye.cases.models import User
    from jiuye.idcard import check_char
    from jiuye.store import db
    from jiuye.training import courses, enrolment
    from jiuye.training.demo import load_demo_training

    db.upgrade(engine)
    os.environ["JIUYE_TODAY"] = day0.isoformat()
    with Session(engine, expire_on_commit=False) as s:
        load_demo_data(s)
        load_demo_training(s)
        prov = s.scalar(select(User).where(User.username == "pxjg_wlht"))
        start = day0 + dt.timedelta(days=5)
        c = courses.publish(s, prov, {"title": "压测班", "kind": "vocational", "occupation_code": "4-10-01-05",
                                      "level": "junior", "category": "c", "hours": 56, "days": 7,
                                      "start_on": start.isoformat(), "end_on": (start + dt.timedelta(days=6)).isoformat(),
                                      "place": "乌兰浩特市", "seats": n, "price_yuan": 0})
        users = []
        for i in range(n):
            first = "152201" + "1990" + f"{(i % 12) + 1:02d}" + f"{(i % 28) + 1:02d}" + f"{i:03d}"
            p = service.ensure_person(s, first + check_char(first), f"学员{i}")
            users.append(service.create_user(s, f"bench_learner_{i}", DEMO_PASSWORD, "applicant", person=p,
                                             district="乌兰浩特市").id)
        for uid in users:
            enrolment.enrol(s, s.get(User, uid), c.id)
        courses.open_class(s, prov, c.id)
        return c.id, prov.id, users, start


def sign_in_class(backend: str, n: int, seconds: float) -> dict:
    from sqlalchemy import func, select, text
    from sqlalchemy.orm import Session

    from jiuye.cases.models import User
    from jiuye.training import attendance
    from jiuye.training.models import Attendance

    saved = os.environ.get("JIUYE_TODAY")
    try:
        with _engine(backend) as engine:
            cid, prov_id, users, start = _setup(engine, n, dt.date.today())
            os.environ["JIUYE_TODAY"] = start.isoformat()
            with Session(engine) as s:
                code = attendance.new_code(s, s.get(User, prov_id), cid).code
            plan = [(uid, i * seconds / n) for i, uid in enumerate(users)]
            plan += [(uid, i * 10 * seconds / n) for i, uid in enumerate(users[::10])]  # twice at once
            t0 = time.perf_counter()
            lat, errors, base = [], [], []

            def one(uid, due):
                wait = t0 + due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                with Session(engine) as s:
                    b = time.perf_counter()
                    s.execute(text("SELECT 1"))
                    base.append((time.perf_counter() - b) * 1000)
                    try:
                        attendance.sign_in(s, s.get(User, uid), cid, code)
                    except Exception as exc:  # noqa: BLE001 - counted and shown
                        errors.append(type(exc).__name__)
                lat.append((time.perf_counter() - t0 - due) * 1000)

            with cf.ThreadPoolExecutor(20) as pool:
                list(pool.map(lambda a: one(*a), plan))
            wall = time.perf_counter() - t0
            with Session(engine) as s:
                rows = s.scalar(select(func.count()).select_from(Attendance).where(Attendance.course_id == cid))
                people = s.scalar(select(func.count(func.distinct(Attendance.enrolment_id))).where(Attendance.course_id == cid))
            return {"backend": backend, "learners": n, "requests": len(plan), "wall_s": wall, "rows": rows,
                    "distinct": people, "errors": errors, "p50": statistics.median(lat), "p95": _p(lat, 0.95),
                    "base_p50": statistics.median(base), "base_p95": _p(base, 0.95)}
    finally:
        if saved is None:
            os.environ.pop("JIUYE_TODAY", None)
        else:
            os.environ["JIUYE_TODAY"] = saved


def search(backend: str, n: int) -> dict:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from jiuye.store import db
    from jiuye.training import courses
    from jiuye.training.models import Course, Provider

    rng = random.Random(18)
    with _engine(backend) as engine:
        db.upgrade(engine)
        with Session(engine) as s:
            provs = [Provider(name=f"压测机构{i}", kind="training_institution", district=DISTRICTS[i % 6], approvals=["vocational"],
                              state="approved", version=1) for i in range(30)]
            s.add_all(provs)
            s.flush()
            today = dt.date.today()
            for i in range(n):
                start = today + dt.timedelta(days=rng.randint(-20, 120))
                occ = rng.choice(OCCUPATIONS)
                s.add(Course(provider_id=provs[i % 30].id, kind="vocational", title=f"{occ} 培训班 {i}", occupation_code=occ,
                             occupation_name=occ, level="junior", category=rng.choice("abc"), hours=80, days=10,
                             start_on=start, end_on=start + dt.timedelta(days=9), district=provs[i % 30].district,
                             place="压测", seats=30, enrolled=0, price_fen=rng.choice([0, 0, 130000]), subsidised=True,
                             contact="0482-0000000", state=rng.choice(["published", "published", "opened", "finished"]),
                             version=1))
            s.commit()
        queries = [dict(district=rng.choice(DISTRICTS + [None]), occupation=rng.choice(OCCUPATIONS + [None, "4-10"]),
                        free_only=rng.random() < 0.3, q=rng.choice(["", "", "培训"]),
                        start_from=rng.choice([None, today])) for _ in range(300)]
        lat, base = [], []
        with Session(engine) as s:
            for qd in queries:
                b = time.perf_counter()
                s.scalar(select(func.count()).select_from(Course))
                base.append((time.perf_counter() - b) * 1000)
                t = time.perf_counter()
                total, rows = courses.search(s, **qd)
                [courses.view(c) for c in rows]
                lat.append((time.perf_counter() - t) * 1000)
        return {"backend": backend, "courses": n, "p50": statistics.median(lat), "p95": _p(lat, 0.95),
                "base_p50": statistics.median(base), "base_p95": _p(base, 0.95)}


def run(console: Console | None = None) -> list[dict]:
    console = console or Console(width=140)
    n = int(os.environ.get("JIUYE_BENCH_TRAINING_CLASS", "60"))
    seconds = float(os.environ.get("JIUYE_BENCH_TRAINING_SECONDS", "120"))
    courses_n = int(os.environ.get("JIUYE_BENCH_TRAINING_COURSES", "5000"))
    t = Table(title=f"培训：{n} 人一个班在 {seconds:.0f} 秒内签到；{courses_n} 门课程的检索（毫秒）")
    for col in ("数据库", "测量", "次数", "p50", "p95", "基线 p50", "基线 p95", "结果"):
        t.add_column(col)
    results = []
    for backend in ("sqlite", "postgresql"):
        try:
            r = sign_in_class(backend, n, seconds)
        except Exception as exc:  # noqa: BLE001 - e.g. no PostgreSQL on this machine: said, not hidden
            t.add_row(backend, "签到", "—", "—", "—", "—", "—", f"未能运行：{type(exc).__name__}")
            continue
        ok = r["rows"] == n == r["distinct"] and not r["errors"]
        t.add_row(backend, "签到（含每10人重复按一次）", str(r["requests"]), f"{r['p50']:.1f}", f"{r['p95']:.1f}",
                  f"{r['base_p50']:.2f}", f"{r['base_p95']:.2f}",
                  f"{r['rows']}/{n} 行，{'无丢失无重复' if ok else '有问题：' + ','.join(r['errors'][:3])}，用时 {r['wall_s']:.0f} 秒")
        results.append(r)
        q = search(backend, courses_n)
        t.add_row(backend, "课程检索", "300", f"{q['p50']:.1f}", f"{q['p95']:.1f}", f"{q['base_p50']:.2f}",
                  f"{q['base_p95']:.2f}", "达标（p95 ≤ 50）" if q["p95"] <= 50 else "未达标（p95 > 50）")
        results.append(q)
    console.print(t)
    return results


if __name__ == "__main__":
    run()
