"""Migration 0008_fairs on SQLite and PostgreSQL: up, the models agree with it, down to 0006_platforms
(打工直通车 and everything before it untouched), up again."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect

from cases_support import database
from jiuye.store import db

TABLES = {"fair_fairs", "fair_booths", "fair_features", "fair_visitors", "fair_intentions", "fair_events"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_up_down_up(backend, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import jiuye.fairs.models  # noqa: F401
    import jiuye.market.models  # noqa: F401
    import jiuye.platforms.models  # noqa: F401
    from jiuye.store.base import Base

    with database(backend, tmp_path) as url:
        engine = db.make_engine(url)
        try:
            head = db.upgrade(engine)
            assert head == db.head_revision()
            names = set(inspect(engine).get_table_names())
            assert TABLES <= names and "dagong_signups" in names
            with engine.connect() as conn:
                diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            assert not diffs, diffs
            db.downgrade(engine, "0006_platforms")
            names = set(inspect(engine).get_table_names())
            assert not TABLES & names and "dagong_signups" in names
            assert db.upgrade(engine) == head
        finally:
            engine.dispose()


def test_a_round_trip_on_postgresql(tmp_path, monkeypatch):
    """The demo, a check-in, an intention, the follow-up task and the report on PostgreSQL."""
    import datetime as dt

    from sqlalchemy.orm import Session

    from cases_support import configured, pg_schema
    from jiuye.fairs import booths, intentions, report, tasks, visitors
    from jiuye.fairs.demo import load_demo_fairs
    from jiuye.market.demo import load_demo_market
    from market_support import user

    monkeypatch.setenv("JIUYE_NOW", "2026-12-07T10:00:00")
    with pg_schema() as (url, _name), configured(url, tmp_path) as engine:
        with Session(engine, expire_on_commit=False) as s:
            assert load_demo_market(s)["loaded"]
            res = load_demo_fairs(s)
            assert res["loaded"]
            mz = user(s, "mz")
            v = visitors.by_code(s, visitors.register(s, None, res["fair_id"], name="巴特尔", phone="13904826666")[0].code)
            assert visitors.check_in(s, mz, res["fair_id"], v.code)[1] is True
            i = intentions.record(s, mz, res["booth_id"], code=v.code)
            assert booths.load(s, mz, res["booth_id"]).state == "approved"
            monkeypatch.setenv("JIUYE_NOW", (dt.datetime.fromisoformat("2026-12-12T09:00:00")).isoformat())
            assert tasks.run_followups(s)["opened"] == 1
            intentions.follow_up(s, mz, i.id, "interview")
            r = report.compute(s, mz, res["fair_id"])
            assert (r["checked_in"], r["intentions"], r["in_time"]) == (1, 1, 1)
