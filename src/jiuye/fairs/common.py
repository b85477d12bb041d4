"""What the fair services share: the errors (the cases service's: one set of HTTP statuses and Chinese
messages), the actor of a user (with the employer's market profile), the clock (打工直通车's: $JIUYE_NOW,
Beijing time), phone and name checks, the audit trail."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.cases.security import scrub
from jiuye.cases.access import valid_row_id  # noqa: F401
from jiuye.cases.errors import CaseError, Conflict, Forbidden, Invalid, NotFound  # noqa: F401
from jiuye.fairs import access
from jiuye.fairs.models import FairEvent
from jiuye.market.common import mask_name, mask_phone  # noqa: F401  (one masking rule for the system)
from jiuye.platforms import clock  # noqa: F401  (one clock for the platforms: $JIUYE_NOW, Beijing)
from jiuye.platforms.common import check_name, check_phone, clean_text  # noqa: F401

log = logging.getLogger("jiuye.fairs")
BEIJING = clock.BEIJING


def actor_of(s: Session, user: User | None) -> access.Actor:
    employer_id = None
    if user is not None and user.role == "applicant" and user.enterprise_id:
        from jiuye.market.employers import employer_for

        emp = employer_for(s, user)
        employer_id = emp.id if emp else None
    return access.actor_for(user, employer_id)


def at_beijing(day: dt.date, t: dt.time) -> dt.datetime:
    """A Beijing wall-clock time on `day`, as UTC."""
    return dt.datetime.combine(day, t, BEIJING).astimezone(clock.UTC)


def record_event(s: Session, actor: User | None, kind: str, *, fair_id: int | None = None, booth_id: int | None = None,
                 visitor_id: int | None = None, intention_id: int | None = None, comment: str | None = None,
                 data: dict[str, Any] | None = None) -> None:
    s.add(FairEvent(at=clock.now(), actor_id=actor.id if actor else None,
                    actor_role=actor.role if actor else "anonymous", kind=kind, fair_id=fair_id, booth_id=booth_id,
                    visitor_id=visitor_id, intention_id=intention_id, comment=scrub(comment), data=data))


def system_event(s: Session, kind: str, **kw) -> None:
    s.add(FairEvent(at=clock.now(), actor_id=None, actor_role="system", kind=kind, **kw))


def check_id(value: int, what: str) -> None:
    if not valid_row_id(value):
        raise NotFound(f"没有编号为 {value} 的{what}（或您无权查看）")


def commit(s: Session) -> None:
    from jiuye.cases.unit import commit as unit_commit

    unit_commit(s, on_duplicate="刚刚有人同时办理了同一件事，请刷新后重试")


EVENT_LABELS = {
    "schedule_made": "排出每周招聘会和直播", "fair_created": "新建招聘会", "fair_cancelled": "取消招聘会",
    "stream_post_added": "直播加入推介岗位", "booth_applied": "单位申请展位", "booth_approved": "审核通过并安排展位",
    "booth_waiting": "审核通过，进入候补", "booth_returned": "退回申请", "booth_withdrawn": "单位撤回申请",
    "booth_promoted": "候补转正", "visitor_registered": "求职者预约", "visitor_checked_in": "入场签到",
    "intention_recorded": "记录意向", "stream_signup": "直播报名", "intention_task_opened": "生成回访任务",
    "intention_overdue": "回访超时", "intention_followed_up": "记录回访结果", "intention_30_days": "30 天在岗回访",
}
