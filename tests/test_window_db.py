"""Migration 0012_window on SQLite and PostgreSQL: up, the models agree with it, down to the revision
before it (cases untouched), up again."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect

from cases_support import database
from jiuye.store import db

TABLES = {"window_filings", "employment_cards"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_up_down_up(backend, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import jiuye.cases.window_models  # noqa: F401
    import jiuye.market.models  # noqa: F401
    import jiuye.platforms.models  # noqa: F401
    from jiuye.store.base import Base

    with database(backend, tmp_path) as url:
        engine = db.make_engine(url)
        try:
            assert db.upgrade(engine) == db.head_revision()
            assert TABLES <= set(inspect(engine).get_table_names())
            with engine.connect() as conn:
                diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            assert not diffs, diffs
            from importlib import import_module

            before = import_module("jiuye.store.migrations.versions.0012_window").down_revision
            db.downgrade(engine, before)
            names = set(inspect(engine).get_table_names())
            assert not TABLES & names and {"cases", "people", "case_events"} <= names
            assert db.upgrade(engine) == db.head_revision()
        finally:
            engine.dispose()


def test_a_window_filing_round_trip_on_postgresql(tmp_path, monkeypatch):
    """The filing, the 就业创业证 number, 补收 and the tracking view on PostgreSQL (JSON lists, unique numbers)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from cases_support import configured, pg_schema
    from jiuye.cases import service, tracking, window
    from jiuye.cases.demo import demo_id
    from jiuye.cases.models import User

    monkeypatch.setenv("JIUYE_TODAY", "2026-11-24")
    with pg_schema() as (url, _name), configured(url, tmp_path) as engine:
        with Session(engine, expire_on_commit=False) as s:
            zx = s.scalar(select(User).where(User.username == "zx_wlht"))
            idn = demo_id("152201", "19830303", "088")
            case, filing = window.file_at_window(s, zx, "unemployment_registration", profile={"district": "乌兰浩特市"},
                                                 id_number=idn, name="吴刚", card="152201009988")
            assert filing.missing and filing.received == []
            filing = window.mark_received(s, zx, case.id, filing.missing[:1])
            assert len(filing.received) == 1
            with pytest.raises(service.Invalid):  # the number belongs to 吴刚
                window.file_at_window(s, zx, "unemployment_registration", profile={"district": "乌兰浩特市"},
                                      id_number=demo_id("152201", "19830304", "099"), name="郑强", card="152201009988")
            view = tracking.tracking_view(s, zx, service.load_case(s, zx, case.id))
            assert view["missing"]["materials"] == filing.missing
            assert window.receipt_data(s, zx, case.id)["received"] == filing.received
