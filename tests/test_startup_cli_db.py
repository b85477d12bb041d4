"""`jiuye startup …` over the same services (a reviewer must declare before scoring, a conflict bars
scoring, exit code 2 with a Chinese message; lists masked), and migration 0010_startup on SQLite and
PostgreSQL: up, the models agree with it, down to 0006_platforms (the earlier tables kept), up again."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cases_support import database
from market_support import market_db
from jiuye.store import db

TABLES = {"startup_projects", "startup_interests", "startup_applications", "startup_reviews", "startup_tenancies",
          "startup_events"}


def run(*args, user: str | None = None):
    from jiuye.cli import app

    return CliRunner().invoke(app, ["startup", *args, *(["--as", user] if user else [])],
                              env={"JIUYE_PASSWORD": "jiuye-demo"})


def test_the_command_line(tmp_path):
    from jiuye.startup.demo import load_demo_startup

    with market_db(tmp_path) as engine:
        with Session(engine) as s:
            assert load_demo_startup(s)["loaded"]
        r = run("projects", "--district", "乌兰浩特市")
        assert r.exit_code == 0 and "草原奶茶" in r.output and "13800000001" not in r.output
        r = run("applications", user="jd_wlht")
        assert r.exit_code == 0 and "敏姐奶茶" in r.output and "张*" in r.output
        r = run("score", "2", "--score", "80", "--comment", "好", user="jd_wlht")
        assert r.exit_code == 2 and "请先声明" in r.output
        assert run("declare", "2", "--conflict", "--note", "同学", user="jd_wlht").exit_code == 0
        r = run("score", "2", "--score", "80", "--comment", "好", user="jd_wlht")
        assert r.exit_code == 2 and "利益冲突" in r.output
        r = run("applications", user="zx_zlt")  # another district's centre sees nothing of it
        assert "敏姐奶茶" not in r.output
        r = run("bases")
        assert r.exit_code == 0 and "孵化基地" in r.output
        assert run("review-project", "3", "--publish", user="zx_wlht").exit_code == 0


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_up_down_up(backend, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import jiuye.market.models  # noqa: F401
    import jiuye.platforms.models  # noqa: F401
    import jiuye.startup.models  # noqa: F401
    from jiuye.store.base import Base

    with database(backend, tmp_path) as url:
        engine = db.make_engine(url)
        try:
            db.upgrade(engine)
            names = set(inspect(engine).get_table_names())
            assert TABLES <= names
            with engine.connect() as conn:
                diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            assert not [d for d in diffs if "startup_" in str(d)], diffs
            db.downgrade(engine, "0006_platforms")
            names = set(inspect(engine).get_table_names())
            assert not TABLES & names and "dagong_signups" in names and "users" in names
            db.upgrade(engine)
            assert TABLES <= set(inspect(engine).get_table_names())
        finally:
            engine.dispose()
