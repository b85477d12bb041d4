"""The rules parameters agree across the server's processes.

A change made in the console is written to the parameter files and recorded in ``parameter_edits``
by one process (`jiuye.cases.parameters.edit_parameter`), which reloads its own rules at once. Every
other process (`jiuye serve --workers N`, the roster jobs' workers) calls :func:`ensure_current`
before screening: at most once every $JIUYE_PARAMETERS_CHECK_SECONDS seconds (default 2) it reads
the version stamp — the highest id in ``parameter_edits``, one indexed query — and reloads the
parameters from the files when the stamp differs from the one it loaded. The processes share the
parameter files (one data directory, $JIUYE_DATA_DIR) and the database.

A database that does not answer leaves the rules as they are (logged), so screening keeps working.
"""
from __future__ import annotations

import logging
import math
import threading
import time

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from jiuye.config import parameters_check_seconds

log = logging.getLogger(__name__)
_lock = threading.Lock()
_failed = threading.Event()  # the last check failed (warn once, not every few seconds)
_inside = threading.local()  # a check in progress in this thread
_version: int | None = None  # the stamp the rules of this process were loaded at (None: not known yet)
_checked = -math.inf  # time.monotonic() of the last look at the database


def current_version(engine: Engine) -> int:
    """The parameters' version stamp in the database: the id of the newest parameter edit (0: none)."""
    from jiuye.cases.parameter_edits import ParameterEdit

    with engine.connect() as c:
        return int(c.execute(select(func.max(ParameterEdit.id))).scalar() or 0)


def loaded(version: int) -> None:
    """This process has just reloaded its rules including the edit `version`."""
    global _version
    with _lock:
        _version = max(version, _version or 0)


def ensure_current(engine: Engine | None = None, *, force: bool = False) -> bool:
    """Reload the rules' parameters if another process changed them since this one loaded them.
    Cheap when called often: one clock read, and a database query at most every few seconds.
    True when it reloaded."""
    global _version, _checked
    interval = parameters_check_seconds()
    if not force and time.monotonic() - _checked < interval:
        return False
    if getattr(_inside, "active", False):  # e.g. the embedded database's demo data, created during a check
        return False
    _inside.active = True
    try:
        return _check(engine, interval, force)
    finally:
        _inside.active = False


def _check(engine: Engine | None, interval: float, force: bool) -> bool:
    global _version, _checked
    with _lock:
        now = time.monotonic()
        if not force and now - _checked < interval:
            return False
        _checked = now
        try:
            if engine is None:  # the configured database as it is: a check never migrates or fills it
                from jiuye.store import db
                from jiuye.config import database_url

                engine = db._engine_for(db.normalise_url(database_url()))
            stamp = current_version(engine)
        except Exception as exc:  # noqa: BLE001 - the rules stay as loaded; screening goes on
            (log.debug if _failed.is_set() else log.warning)(
                "parameters version check failed (%s); keeping the loaded parameters", type(exc).__name__)
            _failed.set()
            return False
        _failed.clear()
        if stamp == _version:
            return False
        from jiuye.rules import build_system

        previous, first = _version, _version is None
        _version = stamp
        if first and build_system.cache_info().currsize == 0:
            return False  # the rules are not built yet: they will read the files as they are now
        from jiuye.cases.parameter_edits import reload_rules

        try:
            done = reload_rules()
        except Exception:  # noqa: BLE001 - a broken file must not take screening down with it
            log.exception("reloading the rules parameters failed; keeping the loaded parameters")
            _version = previous  # try again at the next check
            return False
        if done:
            log.info("rules parameters reloaded (version %s)", stamp)
        return done


def forget() -> None:
    """Tests: as after a start (no stamp loaded, next call checks)."""
    global _version, _checked
    with _lock:
        _version, _checked = None, -math.inf
