"""The market's scheduled work on the queue, the pluggable SMS sender, and the logs (no 身份证号 or
phone number in them whole)."""
from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy.orm import Session

from jiuye.market import applications, notify, seekers
from market_support import RecordingSender, ensure_employers, market_db, post_in_state, user


def test_the_tasks_are_on_the_queue_with_their_schedule(tmp_path, monkeypatch):
    from huey import SqliteHuey

    from jiuye.store import tasks

    huey = SqliteHuey(filename=str(tmp_path / "q.sqlite3"))
    tasks.register(huey)
    periodic = {t.name: t for t in huey._registry.periodic_tasks}
    assert {"market_housekeeping", "market_dispatch"} <= set(periodic)
    import datetime as dt

    at = dt.datetime(2026, 12, 6, 10, 17)
    assert periodic["market_housekeeping"].validate_datetime(at)
    assert not periodic["market_housekeeping"].validate_datetime(at.replace(minute=18))
    assert periodic["market_dispatch"].validate_datetime(at.replace(minute=18))  # every minute


def test_tasks_never_create_or_migrate_a_database(tmp_path, monkeypatch):
    from jiuye.store import db
    from jiuye.market import tasks

    target = tmp_path / "absent.sqlite3"
    monkeypatch.setenv("JIUYE_DATABASE_URL", f"sqlite:///{target}")
    db.forget()
    try:
        assert tasks.housekeeping() == {} and tasks.dispatch() == {}
        assert db.current_revision(db.make_engine(f"sqlite:///{target}")) is None  # still not migrated
    finally:
        db.forget()


def test_tasks_run_on_a_migrated_database(tmp_path):
    from jiuye.market import tasks

    with market_db(tmp_path):
        out = tasks.housekeeping()
        assert out == {"reminded": 0, "expired": 0, "postings_expired": 0}
        assert tasks.dispatch() == {"sent": 0, "skipped": 0, "failed": 0, "retry": 0}


def test_the_configured_sender_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("JIUYE_SMS_SENDER", "market_support:recording_sender")
    RecordingSender.sent.clear()
    with market_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        notify.notify(s, "interview", title="面试邀请", body="明天九点", phone="13912340000")
        s.commit()
        assert notify.dispatch(s)["sent"] == 1
    assert RecordingSender.sent == [("13912340000", "【兴安盟就业】面试邀请：明天九点")]
    monkeypatch.setenv("JIUYE_SMS_SENDER", "no_such_module:x")
    with pytest.raises(notify.SenderConfigError, match="JIUYE_SMS_SENDER"):
        notify.configured_sender()


def test_no_id_number_or_phone_in_the_logs(tmp_path, caplog):
    from jiuye.idcard import check_char

    idn = "152201" + "19900303" + "456"
    idn += check_char(idn)
    with market_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s, \
            caplog.at_level(logging.DEBUG, logger="jiuye"):
        ensure_employers(s)
        p = post_in_state(s, "published")
        sk = seekers.register(s, user(s, "sq_wlht"), {"desired_titles": ["包装工"]}, id_number=idn, name="日志测试",
                              phone="13855556666")
        a = applications.recommend(s, user(s, "sq_wlht"), sk.id, p.id, f"身份证 {idn}")
        applications.decide(s, user(s, "xingan_food"), a.id, "hired")
        notify.dispatch(s)
    text = caplog.text
    assert "138****6666" in text  # the text message went to the log, masked
    assert idn not in text and "13855556666" not in text
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text)


def test_free_text_keeps_no_id_number_whole(tmp_path):
    from jiuye.idcard import check_char

    idn = "152201" + "19880808" + "321"
    idn += check_char(idn)
    with market_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        ensure_employers(s)
        p = post_in_state(s, "published")
        sk = seekers.register(s, user(s, "zhangmin"), {"desired_titles": ["包装工"]})
        a = applications.apply(s, user(s, "zhangmin"), p.id, f"我的身份证号 {idn}")
        applications.decide(s, user(s, "xingan_food"), a.id, "rejected", f"{idn} 不符合")
        assert idn not in (a.note or "") and idn not in (a.outcome_reason or "") and "********" in a.note
        assert sk.id


def test_asking_the_revision_logs_nothing(tmp_path, caplog):
    """Every periodic task asks whether the database is current: that must not write alembic's
    'Context impl …' lines into the worker's log each minute."""
    from jiuye.store import db

    engine = db.make_engine(f"sqlite:///{tmp_path / 'rev.sqlite3'}")
    assert db.current_revision(engine) is None and not db.is_current(engine)
    db.upgrade(engine)
    caplog.clear()
    with caplog.at_level("INFO"):
        assert db.is_current(engine) and db.current_revision(engine) == db.head_revision()
    assert not [r for r in caplog.records if r.name.startswith("alembic")]
