"""The store sits below every domain and imports none of them: each domain's demo data and queue tasks are entry points
(pyproject.toml) that the store loads by name."""
from __future__ import annotations

import ast
import importlib.metadata as md
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.store import db, tasks

DOMAINS = ("cases", "market", "platforms", "fairs", "gig", "training", "startup", "welfare_posts")


@pytest.mark.parametrize("module", [db, tasks])
def test_the_store_imports_no_domain(module):
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not [m for m in imported if any(m.startswith(f"jiuye.{d}") for d in DOMAINS)]


def test_every_queue_task_is_an_entry_point_that_loads_and_runs_by_its_name(tmp_path, monkeypatch):
    from huey import SqliteHuey

    found = {ep.name: ep for ep in md.entry_points(group="jiuye.tasks")}
    assert set(found) == set(tasks.SCHEDULE)
    assert all(callable(ep.load()) for ep in found.values())
    huey = SqliteHuey(filename=str(tmp_path / "q.sqlite3"))
    tasks.register(huey)
    periodic = {t.name for t in huey._registry.periodic_tasks}
    assert periodic == {n for n, when in tasks.SCHEDULE.items() if when is not None} | {"purge_personal_data"}
    called = []
    monkeypatch.setattr(tasks, "_target", lambda name: lambda *a: called.append(name) or {"ran": name})
    assert huey.execute(huey._jiuye_tasks["gig_arrears"].s()) == {"ran": "gig_arrears"} and called == ["gig_arrears"]
    monkeypatch.undo()
    tasks._target.cache_clear()
    monkeypatch.setattr(md, "entry_points", lambda group: [])
    monkeypatch.setattr(tasks, "entry_points", lambda group: [])
    with pytest.raises(tasks.TaskNotInstalled, match="fair_schedule.*make venv"):
        tasks._target("fair_schedule")
    tasks._target.cache_clear()


def test_every_domains_demo_data_is_an_entry_point_the_store_loads_in_order(tmp_path, monkeypatch):
    """The store imports no domain: each domain's demo loader is an entry point (pyproject.toml), loaded by name in
    DEMO_ORDER; the embedded database gets all of them on first use, and a missing one is said, not skipped."""
    found = {ep.name: ep.value for ep in md.entry_points(group="jiuye.demo")}
    assert set(found) == set(db.DEMO_ORDER)
    assert all(value.startswith(f"jiuye.{name}.demo:") for name, value in found.items())
    assert db.DEMO_ORDER == DOMAINS

    engine = db.make_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    db.upgrade(engine)
    db.load_demo_data(engine)
    from jiuye.cases.models import User
    from jiuye.welfare_posts.models import WelfarePost

    with Session(engine) as s:
        users, posts = s.scalar(select(func.count()).select_from(User)), s.scalar(select(func.count(WelfarePost.id)))
    assert users > 0 and posts > 0  # the first loader's accounts and the last one's posts
    db.load_demo_data(engine)  # again: nothing added twice
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(User)) == users

    everything = md.entry_points
    monkeypatch.setattr(md, "entry_points", lambda group: [e for e in everything(group=group) if e.name != "gig"])
    with pytest.raises(db.DatabaseNotReady, match="gig.*make venv"):
        db.load_demo_data(engine)
    engine.dispose()
