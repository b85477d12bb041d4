"""The scheduled work of 打工直通车 on the task queue (jiuye.store.tasks registers them):

- ``dagong_escalate`` (every minute; idempotent): every sign-up whose follow-up clock ran out with
  nobody reaching the worker goes to the district's 就业服务中心 (盟本级: the 盟中心): `escalated_at` is set,
  the event recorded, and the centre's staff get a message in their inbox (once per sign-up).
- ``dagong_visits`` (every hour, minute 23; idempotent): staff of the district are told of each
  30-day visit (在岗回访) that falls due (once per sign-up).

The clocks are rows in the database, not timers in a process: after a restart of the consumer (or of
the machine) the next run finds every clock that ran out meanwhile. A database not migrated yet is
skipped quietly; the tasks never create or migrate one.
"""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.platforms import clock

log = logging.getLogger("jiuye.platforms.tasks")
BATCH = 500


def _session():
    from jiuye.market.tasks import _session as market_session  # the same check: migrated, reachable

    return market_session()


def _centre_staff(s: Session, district: str) -> list[int]:
    """The accounts of the district's 就业服务中心 (盟本级: the 盟中心)."""
    from jiuye.cases.models import User

    role = "league_center" if district == "兴安盟" else "county_center"
    return list(s.scalars(select(User.id).where(User.role == role, User.district == district,
                                                User.active.is_(True))).all())


def escalate_due(s: Session) -> int:
    """Escalate every sign-up past its clock (see the module doc). Commits. Returns how many."""
    from jiuye.market import notify
    from jiuye.platforms.common import system_event
    from jiuye.platforms.models import Signup

    now = clock.now()
    done = 0
    while True:
        rows = s.scalars(select(Signup).where(Signup.state == "signed_up", Signup.escalated_at.is_(None),
                                              Signup.due_at <= now).order_by(Signup.due_at).limit(BATCH)).all()
        if not rows:
            break
        staff_by_district: dict[str, list[int]] = {}
        for su in rows:
            su.escalated_at = now
            su.updated_at = now
            system_event(s, "signup_escalated", signup_id=su.id, station_id=su.station_id,
                         data={"district": su.district, "due_at": clock.aware(su.due_at).isoformat()})
            ids = staff_by_district.setdefault(su.district, _centre_staff(s, su.district))
            for uid in ids:
                notify.notify(s, "dagong_escalated", user_id=uid, title=f"打工直通车报名超时未联系：{su.posting_title}",
                              body=f"报名于 {clock.show(su.created_at)}（北京时间），{clock.show(su.due_at)} 前无人联系上，"
                                   "已转交本中心，请尽快联系。", link=f"/console/dagong/signups/{su.id}",
                              dedupe=f"dagong-escalated:{su.id}:{uid}")
        s.commit()
        done += len(rows)
    if done:
        log.info("dagong: %d sign-up(s) escalated to their district centre", done)
    return done


def remind_visits(s: Session) -> int:
    from jiuye.market import notify
    from jiuye.platforms.models import Signup

    today = clock.today()
    rows = s.scalars(select(Signup).where(Signup.state == "working", Signup.followup_due_on <= today)).all()
    sent = 0
    for su in rows:
        for uid in _centre_staff(s, su.district):
            if notify.notify(s, "dagong_visit", user_id=uid, title=f"打工直通车在岗回访到期：{su.posting_title}",
                             body=f"上岗于 {su.started_on.isoformat()}，请回访是否仍在岗。",
                             link=f"/console/dagong/signups/{su.id}", dedupe=f"dagong-visit:{su.id}:{uid}"):
                sent += 1
    s.commit()
    return sent


def escalate() -> dict:
    s = _session()
    if s is None:
        return {}
    with s:
        return {"escalated": escalate_due(s)}


def visits() -> dict:
    s = _session()
    if s is None:
        return {}
    with s:
        return {"visit_reminders": remind_visits(s)}
