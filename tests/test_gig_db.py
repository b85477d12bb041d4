"""Migration 0007_gig on SQLite and PostgreSQL: up, the models agree with it, down to the revision before it (the
platforms' tables untouched), up again."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import inspect

from cases_support import database
from jiuye.store import db

DOWN = re.search(r'down_revision = "(\w+)"', (Path(db.__file__).parent / "migrations" / "versions" / "0007_gig.py")
                 .read_text(encoding="utf-8")).group(1)  # the lead relinks the chain at merge
TABLES = {"gig_workers", "gig_jobs", "gig_matches", "gig_arrears", "gig_events"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_up_down_up(backend, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import jiuye.gig.models  # noqa: F401
    import jiuye.market.models  # noqa: F401
    import jiuye.platforms.models  # noqa: F401
    import jiuye.startup.models  # noqa: F401
    from jiuye.store.base import Base

    with database(backend, tmp_path) as url:
        engine = db.make_engine(url)
        try:
            assert db.upgrade(engine) == db.head_revision()
            names = set(inspect(engine).get_table_names())
            assert TABLES <= names
            with engine.connect() as conn:
                diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            assert not diffs, diffs
            db.downgrade(engine, DOWN)
            names = set(inspect(engine).get_table_names())
            assert not TABLES & names and "dagong_signups" in names
            assert db.upgrade(engine) == db.head_revision()
        finally:
            engine.dispose()
