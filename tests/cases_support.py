"""Databases for the case tests: a fresh SQLite file, or a fresh schema in the local PostgreSQL
(127.0.0.1:5432, trust auth, database `test`), dropped again afterwards.

PostgreSQL is required (CI runs the case tests on it): set JIUYE_TEST_PG_URL to point elsewhere,
or JIUYE_SKIP_PG=1 to skip those tests on a machine without it.
"""
from __future__ import annotations

import contextlib
import functools
import os
import uuid

import pytest
from sqlalchemy import create_engine, text

PG_CANDIDATES = [
    os.environ.get("JIUYE_TEST_PG_URL"),
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://root@127.0.0.1:5432/test",
]


@functools.lru_cache(maxsize=1)
def pg_base_url() -> str | None:
    errors = []
    for url in filter(None, PG_CANDIDATES):
        try:
            eng = create_engine(url, connect_args={"connect_timeout": 3})
            with eng.connect() as c:
                c.execute(text("select 1"))
            eng.dispose()
            return url
        except Exception as exc:  # noqa: BLE001 - report every candidate's failure
            errors.append(f"{url}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    pg_base_url.errors = errors  # type: ignore[attr-defined]
    return None


def require_pg() -> str:
    url = pg_base_url()
    if url is None:
        if os.environ.get("JIUYE_SKIP_PG") == "1":
            pytest.skip("PostgreSQL not reachable and JIUYE_SKIP_PG=1")
        pytest.fail("PostgreSQL is needed for the case tests (or set JIUYE_SKIP_PG=1): "
                    + "; ".join(getattr(pg_base_url, "errors", [])))
    return url


@contextlib.contextmanager
def pg_schema():
    """A URL whose connections live in a new, empty schema; the schema is dropped afterwards."""
    base = require_pg()
    name = f"jiuye_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{base}?options=-csearch_path%3D{name}", name
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


@contextlib.contextmanager
def database(backend: str, tmp_path):
    """(url) of a fresh database of `backend` ('sqlite' or 'postgresql')."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    else:
        with pg_schema() as (url, _name):
            yield url


@contextlib.contextmanager
def configured(url: str, tmp_path, *, demo: bool = True):
    """Point Jiuye at `url` (migrated, with the demo data) and at a fresh attachments folder."""
    from sqlalchemy.orm import Session

    from jiuye.store import db
    from jiuye.cases.demo import load_demo_data

    mp = pytest.MonkeyPatch()
    mp.setenv("JIUYE_DATABASE_URL", url)
    mp.setenv("JIUYE_ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    db.forget()
    engine = db.make_engine(url)
    try:
        db.upgrade(engine)
        if demo:
            with Session(engine, expire_on_commit=False) as s:
                load_demo_data(s)
        yield engine
    finally:
        engine.dispose()
        db.forget()
        mp.undo()


def data_with_writable_parameters(tmp):
    """A data/ folder under `tmp` (a Path) whose parameters/ is a copy (staff edits write there) and
    whose other entries link to the repository's: for tests that change parameters."""
    import shutil

    from jiuye.config import REPO_ROOT

    data = tmp / "data"
    data.mkdir()
    for entry in (REPO_ROOT / "data").iterdir():
        if entry.name == "parameters":
            shutil.copytree(entry, data / "parameters")
        else:
            (data / entry.name).symlink_to(entry)
    return data
