"""Migration 0009_training on SQLite and PostgreSQL: up, the models agree with it, down to
0006_platforms (everything before untouched), up again."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect

from cases_support import database
from jiuye.store import db

TABLES = {"training_providers", "training_courses", "training_wishes", "training_vouchers", "training_enrolments",
          "training_codes", "training_attendance", "training_claims", "training_events"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_up_down_up(backend, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import jiuye.market.models  # noqa: F401
    import jiuye.platforms.models  # noqa: F401
    import jiuye.training.models  # noqa: F401
    from jiuye.store.base import Base

    with database(backend, tmp_path) as url:
        engine = db.make_engine(url)
        try:
            head = db.head_revision()
            db.upgrade(engine)
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
