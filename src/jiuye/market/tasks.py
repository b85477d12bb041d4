"""The market's scheduled work, run by the task queue (jiuye.store.tasks registers them):

- ``market_housekeeping`` (every hour, minute 17; idempotent): remind 求职登记 about to expire and
  expire those past their date (seekers.remind_and_expire), expire posts past their valid-through
  date and tell their applicants (postings.expire_due).
- ``market_dispatch`` (every minute): first announce the approved posts not announced yet
  (announce.run_pending: the safety net of ``market_announce``), then deliver pending text messages
  through the configured sender (notify.dispatch).
- ``market_announce`` (enqueued by each approval): newly approved posts told to the registrations
  they fit (announce.run_pending).

Each opens its own session on the configured database. A database that is not migrated yet (the
embedded one before the server's first request) is skipped quietly: the tasks never create or
migrate a database themselves; the next run tries again.
"""
from __future__ import annotations

import logging

log = logging.getLogger("jiuye.market.tasks")


def _session():
    """A session on the configured database, or None when it is not migrated to the current head."""
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    from jiuye.store import db
    from jiuye.config import database_url

    engine = db._engine_for(db.normalise_url(database_url()))
    try:
        if not db.is_current(engine):
            return None
    except (SQLAlchemyError, OSError) as exc:
        log.warning("market task skipped: database unavailable (%s)", type(exc).__name__)
        return None
    return Session(engine, expire_on_commit=False)


def housekeeping() -> dict:
    from jiuye.market import postings, seekers

    s = _session()
    if s is None:
        return {}
    with s:
        out = seekers.remind_and_expire(s)
        out["postings_expired"] = postings.expire_due(s)
        return out


def dispatch() -> dict:
    from jiuye.market import notify

    s = _session()
    if s is None:
        return {}
    with s:
        from jiuye.market import announce

        announce.run_pending(s)  # approvals whose own task was lost; their text messages go out below
        return notify.dispatch(s)


def announce() -> dict:
    from jiuye.market import announce as ann

    s = _session()
    if s is None:
        return {}
    with s:
        return ann.run_pending(s)
