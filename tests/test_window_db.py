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
