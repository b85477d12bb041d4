"""Engines, sessions and migrations for the configured database.

`database_url()` (jiuye.config) is $JIUYE_DATABASE_URL or the embedded SQLite file var/jiuye.sqlite3.
PostgreSQL URLs are given as postgresql://… or postgresql+psycopg://… (psycopg 3 is used either way).
"""
from __future__ import annotations

import contextlib
import functools
import threading
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from jiuye.config import database_is_embedded, database_url

MIGRATIONS = Path(__file__).parent / "migrations"


def normalise_url(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str | None = None, *, schema: str | None = None, pool_size: int = 10,
                max_overflow: int = 20, echo: bool = False) -> Engine:
    """An engine for `url` (default: the configured one). `schema` (PostgreSQL) puts every table
    in that schema through the connection's search_path: one schema per test run or benchmark."""
    url = normalise_url(url or database_url())
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 15})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=15000")
            if ":memory:" not in url and url != "sqlite://":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    connect_args: dict = {"connect_timeout": 5}  # a database that does not answer fails fast (503), not hangs
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    # pool_pre_ping: a pooled connection is checked (one round trip, ~0.1 ms locally) before it is
    # handed out, so after the database restarts (or kills idle backends) requests get a fresh
    # connection instead of failing one by one; none lives longer than pool_recycle.
    return create_engine(url, echo=echo, pool_size=pool_size, max_overflow=max_overflow, pool_recycle=1800,
                         pool_pre_ping=True, connect_args=connect_args)


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@contextlib.contextmanager
def _migrating(engine: Engine):
    """A connection in a transaction for alembic. On SQLite, foreign keys are off meanwhile: a batch
    migration copies a table and drops the old one, and with foreign_keys=ON that DROP fails as soon
    as another table's rows refer to it (any database with data). The pragma only takes effect
    outside a transaction; the references are checked before the commit and the pragma restored."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration left rows referring to missing rows: {broken[:5]}")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Apply the migrations (fresh or existing database); returns the revision now in force."""
    from alembic import command

    with _migrating(engine) as conn:
        command.upgrade(alembic_config(conn), revision)
    return current_revision(engine) or ""


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with _migrating(engine) as conn:
        command.downgrade(alembic_config(conn), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: not migrated). Read from alembic's own table with one query,
    not through alembic's MigrationContext, which logs two INFO lines each time — every periodic queue task
    asks this (market.tasks._session): 51 of a fresh server's first 322 log lines were those."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
    return rows[0] if len(rows) == 1 else (",".join(sorted(rows)) or None)


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


class DatabaseNotReady(RuntimeError):
    """The configured database has not been migrated (run `jiuye db upgrade`)."""


@functools.lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    engine = make_engine(url)
    _engines_seen[url] = engine
    return engine


_init_lock = threading.Lock()
_ready: set[str] = set()


def default_engine() -> Engine:
    """The configured database, checked once per process. The embedded SQLite default is migrated
    and given demo data on first use (cases, a small labour market, 打工直通车), so `make serve` shows
    something real; a configured database must be migrated with `jiuye db upgrade` first."""
    url = normalise_url(database_url())
    engine = _engine_for(url)
    if url in _ready:
        return engine
    with _init_lock:
        if url not in _ready:
            if not is_current(engine):
                if not database_is_embedded():
                    raise DatabaseNotReady("数据库尚未初始化或版本较旧：请先运行 jiuye db upgrade")
                upgrade(engine)
            if database_is_embedded():
                load_demo_data(engine)
            _ready.add(url)
    return engine


# The domains whose demo data the embedded database gets on first use, in this order (the later ones use the demo
# accounts of `cases`). Each is an entry point of the group `jiuye.demo` (pyproject.toml), so that the store, which every
# domain imports, imports none of them.
DEMO_ORDER = ("cases", "market", "platforms", "fairs", "gig", "training", "startup", "welfare_posts")


def load_demo_data(engine: Engine) -> None:
    """Every domain's demo data (each loader adds nothing when its data is there already)."""
    from importlib.metadata import entry_points

    found = {ep.name: ep for ep in entry_points(group="jiuye.demo")}
    missing = [name for name in DEMO_ORDER if name not in found]
    if missing:  # an install older than pyproject.toml: say how to mend it rather than serve an empty system
        raise DatabaseNotReady("演示数据的加载入口缺失（" + "、".join(missing) + "）：请重新安装（make venv）")
    for name in DEMO_ORDER:
        loader = found[name].load()
        with Session(engine, expire_on_commit=False) as s:
            loader(s)


def database_problem() -> str | None:
    """None when the configured database answers `SELECT 1`, else the reason in Chinese (for
    /healthz and anything else that must know; no server detail in it)."""
    import logging

    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        engine = default_engine()
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DatabaseNotReady as exc:
        return str(exc)
    except (SQLAlchemyError, OSError) as exc:
        logging.getLogger("jiuye.db").warning("database check failed: %s", type(exc).__name__)
        return "数据库无法连接：案件、登录等功能暂时不可用，请稍后再试。"
    return None


def forget() -> None:
    """Dispose of the cached engines and forget the readiness checks (tests switching databases)."""
    with _init_lock:
        _ready.clear()
        for eng in _engines_seen.values():
            eng.dispose()
        _engines_seen.clear()
        _engine_for.cache_clear()


_engines_seen: dict[str, Engine] = {}


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
