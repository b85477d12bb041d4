"""The scheduled work of the fairs on the task queue (jiuye.store.tasks registers it):

- ``fair_followups`` (every 5 minutes; idempotent): each intention whose follow-up opens (the day after
  its fair, 09:00) becomes a task: the booth's employer and the organising centre are told (once); each
  open task past its 24 hours is marked overdue and the centre told (once); each hire whose 30-day
  check falls due is announced to the centre (once).
- ``fair_schedule`` (daily, 02:41): the weekly fairs and live streams of the coming weeks are made.

The clocks are rows (`opens_at`, `due_at`), not timers: after a restart the next run finds everything
that fell due meanwhile. A database not migrated yet is skipped quietly.
"""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.fairs.common import clock, system_event

log = logging.getLogger("jiuye.fairs.tasks")
BATCH = 500


def _session():
    from jiuye.market.tasks import _session as market_session

    return market_session()


def _centre(s: Session, district: str) -> list[int]:
    from jiuye.platforms.tasks import _centre_staff

    return _centre_staff(s, district)


def _employer_users(s: Session, employer_id: int | None) -> list[int]:
    from jiuye.fairs.booths import _employer_users as users

    return [u.id for u in users(s, employer_id)] if employer_id else []


def run_followups(s: Session) -> dict[str, int]:
    """Open, mark overdue and announce 30-day checks (see the module doc). Commits. Returns the counts."""
    from jiuye.fairs.models import Fair, Intention
    from jiuye.market import notify

    now, today = clock.now(), clock.today()
    out = {"opened": 0, "overdue": 0, "checks": 0}
    while True:
        rows = s.scalars(select(Intention).where(Intention.state == "open", Intention.opened_at.is_(None),
                                                 Intention.opens_at <= now).order_by(Intention.opens_at).limit(BATCH)).all()
        if not rows:
            break
        for i in rows:
            i.opened_at = now
            f = s.get(Fair, i.fair_id)
            system_event(s, "intention_task_opened", fair_id=i.fair_id, intention_id=i.id)
            whom = _employer_users(s, i.booth.employer_id if i.booth else None) + _centre(s, f.district)
            for uid in whom:
                notify.notify(s, "fair_followup", user_id=uid, title=f"招聘会意向待回访：{i.posting_title or f.name}",
                              body=f"{f.held_on.isoformat()} 招聘会的意向，请在 {clock.show(i.due_at)}（北京时间）前回访并记录结果。",
                              link=f"/console/fairs/intentions/{i.id}", dedupe=f"fair-open:{i.id}:{uid}")
        s.commit()
        out["opened"] += len(rows)
    rows = s.scalars(select(Intention).where(Intention.state == "open", Intention.overdue_at.is_(None),
                                             Intention.due_at <= now).limit(5000)).all()
    for i in rows:
        i.overdue_at = now
        f = s.get(Fair, i.fair_id)
        system_event(s, "intention_overdue", fair_id=i.fair_id, intention_id=i.id)
        for uid in _centre(s, f.district):
            notify.notify(s, "fair_overdue", user_id=uid, title=f"招聘会意向回访超时：{i.posting_title or f.name}",
                          body=f"应于 {clock.show(i.due_at)} 前回访，至今未记录结果。", link=f"/console/fairs/intentions/{i.id}",
                          dedupe=f"fair-overdue:{i.id}:{uid}")
        out["overdue"] += 1
    rows = s.scalars(select(Intention).where(Intention.outcome == "hired", Intention.still_working.is_(None),
                                             Intention.check_due_on <= today).limit(5000)).all()
    for i in rows:
        f = s.get(Fair, i.fair_id)
        for uid in _centre(s, f.district):
            if notify.notify(s, "fair_check", user_id=uid, title="招聘会录用人员 30 天在岗回访到期",
                             body=f"上岗于 {i.hired_on.isoformat()}，请回访是否仍在岗。", link=f"/console/fairs/intentions/{i.id}",
                             dedupe=f"fair-check:{i.id}:{uid}"):
                out["checks"] += 1
    s.commit()
    if any(out.values()):
        log.info("fairs: %s", out)
    return out


def followups() -> dict:
    s = _session()
    if s is None:
        return {}
    with s:
        return run_followups(s)


def schedule() -> dict:
    from jiuye.fairs.fairs import ensure_schedule

    s = _session()
    if s is None:
        return {}
    with s:
        return ensure_schedule(s)
