"""Cases on PostgreSQL with real concurrent connections (threads, one connection each): the
optimistic lock holds when reviewers really overlap, and the audit trail has exactly one row per
successful move. A fresh schema per module, dropped afterwards."""
from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from cases_support import configured, pg_schema
from jiuye.cases import service
from jiuye.cases.models import Case, CaseEvent, User

PATH = ["submitted", "street_review", "center_review", "hrss_approval", "finance_approval", "payment", "paid"]
ACTOR = {"submitted": "sq_wlht", "street_review": "jd_wlht", "center_review": "zx_wlht", "hrss_approval": "rsj_wlht",
         "finance_approval": "czj_wlht", "payment": "zx_wlht"}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pg")
    with pg_schema() as (url, _), configured(url, tmp) as eng:
        assert eng.dialect.name == "postgresql"
        yield eng


def _user(s: Session, name: str) -> User:
    return s.scalar(select(User).where(User.username == name))


def _new_cases(engine, n: int) -> list[int]:
    with Session(engine, expire_on_commit=False) as s:
        me = _user(s, "zhangmin")
        return [service.create_case(s, me, "flexible_employment_si_subsidy", profile={"district": "乌兰浩特市"}).id
                for _ in range(n)]


def test_second_reviewer_blocked_on_the_row_then_told_of_the_conflict(engine, monkeypatch):
    """A has updated the case and holds the row lock; B read the old version meanwhile, so it passes
    the version check, and its UPDATE waits for A. When A commits, B's UPDATE finds another version
    and changes nothing: B is told, and there is one audit row."""
    (cid,) = _new_cases(engine, 1)
    a_updated, results = threading.Event(), {}
    original = service._record_event

    def slow_for_a(*args, **kwargs):
        if threading.current_thread().name == "A":
            a_updated.set()
            time.sleep(0.6)  # A holds the row lock (its UPDATE is done, not yet committed)
        return original(*args, **kwargs)

    monkeypatch.setattr(service, "_record_event", slow_for_a)

    def act(name):
        if name == "B":
            a_updated.wait(10)
        with Session(engine, expire_on_commit=False) as s:
            me = _user(s, "sq_wlht")
            t0 = time.perf_counter()
            try:
                service.transition(s, me, cid, "street_review", comment=name)
                results[name] = ("ok", time.perf_counter() - t0)
            except service.Conflict as exc:
                results[name] = (str(exc), time.perf_counter() - t0)

    threads = [threading.Thread(target=act, args=(n,), name=n) for n in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results["A"][0] == "ok"
    assert "已被他人处理" in results["B"][0] and results["B"][1] > 0.3  # it really waited on A's lock
    with Session(engine) as s:
        assert s.get(Case, cid).version == 2
        events = s.scalars(select(CaseEvent).where(CaseEvent.case_id == cid, CaseEvent.kind == "transition")).all()
        assert [e.comment for e in events] == ["A"]


def test_many_reviewers_on_one_case_exactly_one_wins(engine):
    (cid,) = _new_cases(engine, 1)
    n = 16
    barrier, outcomes = threading.Barrier(n), []

    def act():
        with Session(engine, expire_on_commit=False) as s:
            me = _user(s, "sq_wlht")
            s.rollback()
            barrier.wait()
            try:
                service.transition(s, me, cid, "street_review", comment="受理", expected_version=1)
                outcomes.append("ok")
            except service.Conflict:
                outcomes.append("conflict")

    threads = [threading.Thread(target=act) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert outcomes.count("ok") == 1 and outcomes.count("conflict") == n - 1
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(CaseEvent)
                        .where(CaseEvent.case_id == cid, CaseEvent.kind == "transition")) == 1


def test_a_storm_of_moves_loses_and_duplicates_nothing(engine):
    """24 threads push 12 cases along their procedure, picking cases at random (so they collide):
    every case ends paid, its version is one more than its transitions, and audit rows = successes."""
    cases = _new_cases(engine, 12)
    ok, conflicts, lock = [0], [0], threading.Lock()
    deadline = time.monotonic() + 30

    def worker(seed):
        rnd = random.Random(seed)
        with Session(engine, expire_on_commit=False) as s:
            users = {name: _user(s, name) for name in set(ACTOR.values())}
            s.rollback()
            while time.monotonic() < deadline:
                open_cases = s.execute(select(Case.id, Case.state, Case.version)
                                       .where(Case.id.in_(cases), Case.final.is_(False))).all()
                s.rollback()
                if not open_cases:
                    return
                cid, state, version = rnd.choice(open_cases)
                nxt = PATH[PATH.index(state) + 1]
                try:
                    service.transition(s, users[ACTOR[state]], cid, nxt, comment="同意", expected_version=version)
                    with lock:
                        ok[0] += 1
                except service.Conflict:
                    with lock:
                        conflicts[0] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    with Session(engine) as s:
        rows = s.execute(select(Case.id, Case.state, Case.version).where(Case.id.in_(cases))).all()
        assert all(state == "paid" and version == len(PATH) for _, state, version in rows), rows
        moves = s.scalar(select(func.count()).select_from(CaseEvent)
                         .where(CaseEvent.case_id.in_(cases), CaseEvent.kind == "transition"))
    assert moves == ok[0] == 12 * (len(PATH) - 1)
    assert conflicts[0] >= 0


def test_the_audit_table_refuses_truncate_too(engine):
    with engine.connect() as conn:
        with pytest.raises(Exception, match="append-only"):
            with conn.begin():
                conn.execute(text("TRUNCATE case_events CASCADE"))
