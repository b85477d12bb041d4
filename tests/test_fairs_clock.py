"""The intention follow-up clock on the task queue, with a frozen clock: the periodic task is
registered (every 5 minutes); an intention recorded while no consumer runs gets its task from a
consumer started the day after (a new queue instance, a fresh process's engine cache), once; the
task past its 24 hours is marked overdue once; an online fair takes booths and registrations but has
no door."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from fairs_support import Clock, fairs_db, files, make_fair, own_post, user


def test_the_tasks_are_on_the_queue(tmp_path):
    from huey import SqliteHuey

    from jiuye.store import tasks

    huey = SqliteHuey(filename=str(tmp_path / "q.sqlite3"))
    tasks.register(huey)
    periodic = {t.name: t for t in huey._registry.periodic_tasks}
    at = dt.datetime(2026, 12, 6, 10, 25)
    assert periodic["fair_followups"].validate_datetime(at) and not periodic["fair_followups"].validate_datetime(
        at.replace(minute=26))
    assert "fair_schedule" in periodic


def test_the_follow_up_survives_a_restart(tmp_path, monkeypatch):
    from huey import SqliteHuey

    from jiuye.fairs import booths, intentions, visitors
    from jiuye.fairs.models import Intention
    from jiuye.store import db, tasks

    clk = Clock(monkeypatch, dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.timezone.utc))
    with fairs_db(tmp_path) as engine:
        with Session(engine, expire_on_commit=False) as s:
            f = make_fair(s, day=dt.date(2026, 12, 11))
            zx = user(s, "zx_wlht")
            b = booths.apply(s, user(s, "xingan_food"), f.id, posting_ids=[own_post(s).id], files=files())
            booths.approve(s, zx, b.id)
            v, _ = visitors.register(s, None, f.id, name="王五", phone="13904823333")
            i = intentions.record(s, zx, b.id, code=v.code)
        db.forget()  # the process that made it is gone
        clk.at = dt.datetime(2026, 12, 12, 3, 0, tzinfo=dt.timezone.utc)  # Sat 11:00 Beijing
        clk._set()
        huey = SqliteHuey(filename=str(tmp_path / "q.sqlite3"))
        tasks.register(huey)
        assert huey.execute(huey._jiuye_tasks["fair_followups"].s()) == {"opened": 1, "overdue": 0, "checks": 0}
        assert huey.execute(huey._jiuye_tasks["fair_followups"].s())["opened"] == 0
        clk.advance(hours=23)  # Sun 10:00: past the 09:00 due time
        assert huey.execute(huey._jiuye_tasks["fair_followups"].s())["overdue"] == 1
        assert huey.execute(huey._jiuye_tasks["fair_followups"].s())["overdue"] == 0
        with Session(engine) as s:
            row = s.get(Intention, i.id)
            assert row.opened_at is not None and row.overdue_at is not None and row.state == "open"


def test_an_online_fair_has_booths_and_registrations_but_no_door(tmp_path, monkeypatch):
    from jiuye.cases.service import Forbidden
    from jiuye.fairs import booths, visitors

    Clock(monkeypatch)
    with fairs_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        f = make_fair(s, kind="online")
        assert f.platform.startswith("内蒙古自治区招聘会云服务平台") and f.place is None
        b = booths.apply(s, user(s, "xingan_food"), f.id, posting_ids=[own_post(s).id], files=files())
        booths.approve(s, user(s, "zx_wlht"), b.id)
        v, _ = visitors.register(s, None, f.id, name="王五", phone="13904823333")
        with pytest.raises(Forbidden):
            visitors.check_in(s, user(s, "zx_wlht"), f.id, v.code)
