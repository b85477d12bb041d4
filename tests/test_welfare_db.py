"""Migration 0011_welfare_posts on SQLite and PostgreSQL (up, the models agree, down to 0009_training,
up), and concurrent placements on the last places: never over-filled, on both."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from cases_support import database
from jiuye.store import db

TABLES = {"welfare_posts", "welfare_signups", "welfare_subsidy_months", "welfare_events"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_up_down_up(backend, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import jiuye.welfare_posts.models  # noqa: F401
    from jiuye.store.base import Base

    with database(backend, tmp_path) as url:
        engine = db.make_engine(url)
        try:
            head = db.head_revision()
            db.upgrade(engine)
            assert TABLES <= set(inspect(engine).get_table_names())
            with engine.connect() as conn:
                diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            assert not diffs, diffs
            db.downgrade(engine, "0009_training")
            names = set(inspect(engine).get_table_names())
            assert not TABLES & names and "training_courses" in names
            assert db.upgrade(engine) == head
        finally:
            engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_placements_never_overfill(backend, tmp_path, monkeypatch):
    """Five people ready for placement on a post with two places; five centre clerks' sessions place
    them at the same moment: exactly two succeed, the others get 「名额已满」 (or 'being handled'),
    and the post says 2 filled / filled."""
    from jiuye.cases.service import CaseError
    from jiuye.welfare_posts import placement
    from jiuye.welfare_posts.models import WelfarePost, WelfareSignup
    from welfare_support import Day, market_db, publish, signed_up_and_ready, user

    Day(monkeypatch)
    with database(backend, tmp_path) as url, market_db(tmp_path, url) as engine:
        with Session(engine, expire_on_commit=False) as s:
            p = publish(s, places=2)
            rows = [signed_up_and_ready(s, p.id, f"cc{i}", seq=f"1{i}3").id for i in range(5)]
        barrier = threading.Barrier(len(rows))
        results: list[str] = []

        def go(signup_id):
            with Session(engine, expire_on_commit=False) as s2:
                zx = user(s2, "zx_wlht")
                barrier.wait()
                try:
                    placement.place(s2, zx, signup_id)
                    results.append("ok")
                except CaseError as exc:
                    results.append(str(exc))

        threads = [threading.Thread(target=go, args=(r,)) for r in rows]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        with Session(engine) as s:
            post = s.get(WelfarePost, p.id)
            placed = s.query(WelfareSignup).filter(WelfareSignup.state == "placed").count()
        assert len(results) == 5
        assert results.count("ok") == placed == post.filled == 2, results
        assert post.state == "filled"
        assert all("名额已满" in r or "正被他人处理" in r or "已被他人处理" in r for r in results if r != "ok"), results
