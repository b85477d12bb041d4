"""Migrating an embedded SQLite database that already holds data: a batch migration (SQLite rebuilds
the table) must not trip over the rows of other tables that refer to it (foreign keys are on)."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from jiuye.store import db


def test_upgrade_keeps_rows_that_refer_to_a_rebuilt_table(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    db.upgrade(engine, "0002_parameter_edits")  # before 0003 rebuilds users
    with engine.begin() as c:
        c.execute(text("INSERT INTO users (id, username, display_name, password_hash, role, active, created_at) "
                       "VALUES (1, 'a', 'A', 'x', 'admin', 1, '2026-01-01 00:00:00')"))
        c.execute(text("INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at) "
                       "VALUES ('h', 1, '2026-01-01 00:00:00', '2027-01-01 00:00:00')"))
    assert db.upgrade(engine) == db.head_revision()
    with engine.connect() as c:
        assert c.execute(text("SELECT user_id FROM auth_tokens")).scalars().all() == [1]
        assert c.execute(text("SELECT identity_verified_at FROM users")).scalar() is not None  # existing: verified
        assert c.execute(text("PRAGMA foreign_key_check")).all() == []
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1  # on again for the app
        assert "_alembic_tmp_users" not in {r[0] for r in c.execute(text("SELECT name FROM sqlite_master"))}
    # and a reference to a missing row is still refused afterwards
    with engine.connect() as c, pytest.raises(IntegrityError, match="FOREIGN KEY"):
        c.execute(text("INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at) "
                       "VALUES ('g', 99, '2026-01-01 00:00:00', '2027-01-01 00:00:00')"))

