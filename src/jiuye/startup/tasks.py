"""The scheduled work of 创业服务 on the task queue (jiuye.store.tasks registers it):

- ``startup_interest_due`` (every hour; idempotent): each founder's interest nobody has contacted by its
  deadline (data/startup/startup.yaml › interest_follow_up) is brought to the district centre's staff
  in their inbox, once per interest (`reminded_at`).

A database not migrated yet is skipped quietly."""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

log = logging.getLogger("jiuye.startup.tasks")


def centre_staff(s: Session, district: str) -> list[int]:
    """The accounts of the district's 就业服务中心 (盟本级: the 盟中心)."""
    from jiuye.cases.models import User

    role = "league_center" if district == "兴安盟" else "county_center"
    return list(s.scalars(select(User.id).where(User.role == role, User.district == district,
                                                User.active.is_(True))).all())


def remind_due(s: Session) -> int:
    from jiuye.market import notify
    from jiuye.startup.common import now, show
    from jiuye.startup.models import Interest, Project

    t = now()
    rows = s.execute(select(Interest, Project).join(Project, Project.id == Interest.project_id).where(
        Interest.state == "open", Interest.reminded_at.is_(None), Interest.due_at <= t)).all()
    for it, p in rows:
        it.reminded_at = t
        for uid in centre_staff(s, p.district):
            notify.notify(s, "startup_interest_due", user_id=uid, title=f"创业项目意向超时未联系：{p.title}",
                          body=f"应在 {show(it.due_at)}（北京时间）前联系意向人，请尽快联系。", link="/console/startup",
                          dedupe=f"startup-due:{it.id}:{uid}")
    s.commit()
    if rows:
        log.info("startup: %d interest(s) past their follow-up deadline", len(rows))
    return len(rows)


def interest_due() -> dict:
    from jiuye.market.tasks import _session

    s = _session()
    if s is None:
        return {}
    with s:
        return {"interest_reminders": remind_due(s)}
