"""The follow-up clock and the data behind it: 24 plain hours (what the documents say, quoted
verbatim), or only working hours on working days when a centre sets them; the data files validated
with Chinese errors naming the file and the entry; the queue's task on its schedule, and the clock
surviving a restart (the deadline is a row, not a timer in a process)."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from jiuye.knowledge.loader import DataError, get_knowledge
from jiuye.platforms import clock, settings
from jiuye.platforms.settings import WorkingHours
from jiuye.config import today as beijing_today  # the league's today (Beijing), as the code uses

DATA = Path(__file__).resolve().parents[1] / "data"


def bj(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=clock.BEIJING)


def test_the_24_hours_and_the_400_stations_are_quoted_verbatim():
    kb = get_knowledge()
    f = settings.dagong().follow_up
    assert f.hours == 24 and f.working_hours is None
    for src in f.sources + settings.stations_file().declared.sources:
        assert kb.quote_in_source(src.document, src.quote), src.quote
    assert settings.stations_file().declared.count == 400
    for st in settings.stations_file().stations:
        assert st.demo or all(kb.quote_in_source(x.document, x.quote) for x in st.sources), st.code
    assert "24 小时内" in settings.follow_up_basis() and "按自然小时计" in settings.follow_up_basis()
    assert "000" not in settings.follow_up_basis()  # the document by its title, not its internal code


def test_plain_hours_count_nights_and_weekends():
    start = bj(2026, 12, 4, 16, 0)  # a Friday afternoon
    assert clock.deadline(start, 24) == bj(2026, 12, 5, 16, 0)


def test_working_hours_skip_nights_weekends_and_holidays():
    wh = WorkingHours(start="08:30", end="17:30")  # 9 hours a day
    # Friday 16:00: 1.5 h Friday, 9 h Monday, 9 h Tuesday, 4.5 h Wednesday -> Wednesday 13:00
    assert clock.deadline(bj(2026, 12, 4, 16, 0), 24, wh) == bj(2026, 12, 9, 13, 0)
    # before opening: the clock starts at 08:30
    assert clock.deadline(bj(2026, 12, 7, 6, 0), 9, wh) == bj(2026, 12, 7, 17, 30)
    # 国庆 2025: 1–8 October off, Saturday 11 October a make-up working day (调休上班)
    assert clock.deadline(bj(2025, 9, 30, 16, 0), 24, wh) == bj(2025, 10, 11, 13, 0)


def test_time_left_text():
    due = bj(2026, 12, 5, 16, 0)
    assert clock.time_left_text(due, bj(2026, 12, 5, 10, 48)) == "还剩 5 小时 12 分"
    assert clock.time_left_text(due, bj(2026, 12, 5, 19, 4)) == "已超时 3 小时 4 分"
    assert clock.time_left_text(due, bj(2026, 12, 5, 15, 30)) == "还剩 30 分钟"


def test_pinned_now_is_beijing_time_without_a_zone(monkeypatch):
    monkeypatch.setenv("JIUYE_NOW", "2026-12-06T09:30:00")
    assert clock.now() == bj(2026, 12, 6, 9, 30) and clock.today() == dt.date(2026, 12, 6)


def _copy(tmp_path) -> Path:
    root = tmp_path / "data"
    (root / "platforms").mkdir(parents=True)
    for name in ("dagong.yaml", "stations.yaml"):
        shutil.copy(DATA / "platforms" / name, root / "platforms" / name)
    return root


@pytest.mark.parametrize("edit,message", [
    (("hours: 24", "hours: 0"), "follow_up.hours"),
    (("working_hours: null", 'working_hours: {start: "17:30", end: "08:30"}'), "下班时间"),
    (("reached: {label: 已接通，完成对接, reached: true}", "reached: {label: 已接通，完成对接, reached: false}"), "reached: true"),
])
def test_a_bad_settings_file_names_the_file_and_field(tmp_path, edit, message):
    root = _copy(tmp_path)
    path = root / "platforms" / "dagong.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    with pytest.raises(DataError, match="platforms/dagong.yaml") as exc:
        settings.load_dagong(root)
    assert message in str(exc.value)


@pytest.mark.parametrize("edit,message", [
    (("    demo: true\n  - code: DEMO-KYZQ-BYHS", "  - code: DEMO-KYZQ-BYHS"), "第 2 个工作站（DEMO-KYQQ-SL）：真实工作站须有 sources"),
    (("科右前旗索伦镇打工直通车工作站（演示）", "科右前旗索伦镇打工直通车工作站"), "须标明「（演示）」"),
    (('phone: "13904829002"', 'phone: "12345"'), "第 3 个工作站（DEMO-KYZQ-BYHS）的字段「phone」"),
    (("code: DEMO-ZLTQ-YDE", "code: DEMO-KYQQ-SL"), "编号「DEMO-KYQQ-SL」重复"),
])
def test_a_bad_stations_file_names_the_entry(tmp_path, edit, message):
    root = _copy(tmp_path)
    path = root / "platforms" / "stations.yaml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(*edit, 1), encoding="utf-8")
    with pytest.raises(DataError, match="platforms/stations.yaml") as exc:
        settings.load_stations(root)
    assert message in str(exc.value)


def test_the_tasks_are_on_the_queue(tmp_path):
    from huey import SqliteHuey

    from jiuye.store import tasks

    huey = SqliteHuey(filename=str(tmp_path / "q.sqlite3"))
    tasks.register(huey)
    periodic = {t.name: t for t in huey._registry.periodic_tasks}
    at = dt.datetime(2026, 12, 6, 10, 23)
    assert periodic["dagong_escalate"].validate_datetime(at) and periodic["dagong_escalate"].validate_datetime(
        at.replace(minute=24))  # every minute
    assert periodic["dagong_visits"].validate_datetime(at) and not periodic["dagong_visits"].validate_datetime(
        at.replace(minute=24))


def test_the_clock_survives_a_restart(tmp_path, monkeypatch):
    """A sign-up made while no consumer runs; the consumer (a new queue instance, a fresh process's
    engine cache) starts 30 hours later and its periodic task escalates it."""
    from huey import SqliteHuey

    from jiuye.store import db
    from jiuye.platforms import signups
    from jiuye.platforms.models import Signup
    from jiuye.store import tasks
    from platforms_support import WLHT, Clock, dagong_db, post

    clk = Clock(monkeypatch)
    with dagong_db(tmp_path) as engine:
        with Session(engine, expire_on_commit=False) as s:
            su, _ = signups.create(s, None, posting_id=post(s).id, name="张三", phone="13904821111", station_code=WLHT)
        db.forget()  # the process that made it is gone
        clk.advance(hours=30)
        huey = SqliteHuey(filename=str(tmp_path / "q.sqlite3"))
        tasks.register(huey)
        assert "dagong_escalate" in {t.name for t in huey._registry.periodic_tasks}
        task = huey._jiuye_tasks["dagong_escalate"].s()  # the queue's own task, run as the consumer runs it
        assert huey.execute(task) == {"escalated": 1}
        assert huey.execute(huey._jiuye_tasks["dagong_escalate"].s()) == {"escalated": 0}
        with Session(engine) as s:
            assert s.get(Signup, su.id).escalated_at is not None


def test_the_tasks_never_create_a_database(tmp_path, monkeypatch):
    from jiuye.store import db
    from jiuye.platforms import tasks

    monkeypatch.setenv("JIUYE_DATABASE_URL", f"sqlite:///{tmp_path / 'absent.sqlite3'}")
    db.forget()
    try:
        assert tasks.escalate() == {} and tasks.visits() == {}
    finally:
        db.forget()


def test_a_pinned_date_is_the_platform_date_too(tmp_path, monkeypatch):
    """With the system's date pinned by $JIUYE_TODAY (the browser tests' server, reproducible reports) and no
    $JIUYE_NOW, 打工直通车 lives on that date like the rest of the system: every post the market lists (open on
    that date) can be signed up for, the clock starts that day, and staff record 已上岗 that day. Before, the
    platform used the machine's date: a post listed on /dagong was refused as expired once the machine's date
    passed the post's end date (found by tests/browser/test_dagong_journey.py: the receipt dated after the
    site's own date)."""
    from jiuye.market import postings
    from jiuye.platforms import followup, signups
    from platforms_support import dagong_db, user

    day = beijing_today() - dt.timedelta(days=60)  # the demo posts end 6 and 40 days after it: before today
    monkeypatch.setenv("JIUYE_TODAY", day.isoformat())
    monkeypatch.delenv("JIUYE_NOW", raising=False)
    assert clock.today() == day and abs(clock.now() - dt.datetime.now(clock.UTC)) > dt.timedelta(days=59)
    with dagong_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        _total, listed = postings.search(s, limit=100)
        listed = [p for p in listed if p.places_left > 0]
        assert len(listed) >= 3
        made = {}
        for k, p in enumerate(listed):
            su, created = signups.create(s, None, posting_id=p.id, name="额尔敦", phone=f"1390482{k:04d}")
            assert created and clock.beijing_date(su.created_at) == day
            assert clock.aware(su.due_at) - clock.aware(su.created_at) == dt.timedelta(hours=24)
            made[p.title] = su
        zx, su = user(s, "zx_wlht"), made["食品包装工"]
        followup.contact(s, zx, su.id, result="reached")
        followup.recommend(s, zx, su.id, to_market=False)
        assert followup.start(s, zx, su.id, started_on=clock.today()).followup_due_on == day + dt.timedelta(days=30)
