"""Migration 0006_platforms on SQLite and PostgreSQL: up, the models agree with it, down to
0005_market (the market and everything before it untouched), up again; and a round trip through the
services on PostgreSQL (the demo: stations, station masters, sign-ups, escalation, the tables)."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from cases_support import configured, database
from jiuye.store import db

TABLES = {"dagong_stations", "dagong_signups", "dagong_contacts", "dagong_groups", "dagong_events"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_up_down_up(backend, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import jiuye.market.models  # noqa: F401
    import jiuye.platforms.models  # noqa: F401
    from jiuye.cases.models import Base

    with database(backend, tmp_path) as url:
        engine = db.make_engine(url)
        try:
            assert db.upgrade(engine) == db.head_revision()  # later chapters (0010_startup …) follow 0006
            names = set(inspect(engine).get_table_names())
            assert TABLES <= names and "market_postings" in names
            with engine.connect() as conn:
                diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            diffs = [d for d in diffs if "dagong_" in str(d)]  # other domains' tables: their own tests
            assert not diffs, diffs
            db.downgrade(engine, "0005_market")
            names = set(inspect(engine).get_table_names())
            assert not TABLES & names and "market_postings" in names and "users" in names
            assert db.current_revision(engine) == "0005_market"
            assert db.upgrade(engine) == db.head_revision()
        finally:
            engine.dispose()


def test_upgrade_from_0005_keeps_the_market_rows(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    db.upgrade(engine, "0005_market")
    with engine.begin() as c:
        c.execute(text("INSERT INTO market_optouts (id, phone, created_at) VALUES (1, '13900000000', '2026-01-01 00:00:00')"))
    assert db.upgrade(engine) == db.head_revision()
    with engine.connect() as c:
        assert c.execute(text("SELECT phone FROM market_optouts")).scalars().all() == ["13900000000"]
        assert c.execute(text("SELECT count(*) FROM dagong_stations")).scalar() == 0
    engine.dispose()


def test_a_round_trip_on_postgresql(tmp_path, monkeypatch):
    import datetime as dt

    from cases_support import pg_schema
    from jiuye.market.demo import load_demo_market
    from jiuye.platforms import clock, tables, tasks
    from jiuye.platforms.demo import load_demo_platforms
    from market_support import user

    with pg_schema() as (url, _name), configured(url, tmp_path) as engine:
        with Session(engine, expire_on_commit=False) as s:
            assert load_demo_market(s)["loaded"]
            out = load_demo_platforms(s)
            assert out["loaded"] and out["stations"] == 5
            assert load_demo_platforms(s)["loaded"] is False  # idempotent
            t = tables.compute(s, user(s, "mz"))["totals"]
            assert t["signups"] == 5 and t["escalated"] == 1 and t["placed"] == 1
            monkeypatch.setenv("JIUYE_NOW", (clock.now() + dt.timedelta(hours=25)).isoformat())
            assert tasks.escalate_due(s) == 2  # the two still waiting
        with Session(engine) as s:
            assert tables.compute(s, user(s, "mz"))["totals"]["escalated"] == 3
