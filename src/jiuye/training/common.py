"""What the training services share: errors (the cases service's), the actor of a user, the clock
(the platform's: $JIUYE_NOW / $JIUYE_TODAY), masking, the audit trail, committing."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.cases.security import scrub
from jiuye.cases.access import valid_row_id  # noqa: F401
from jiuye.cases.errors import CaseError, Conflict, Forbidden, Invalid, NotFound  # noqa: F401
from jiuye.cases.unit import commit  # noqa: F401  (re-exported: the package's services call common.commit)
from jiuye.cases.security import mask_id_number  # noqa: F401
from jiuye.market.common import mask_name, mask_phone  # noqa: F401
from jiuye.platforms import clock  # noqa: F401  (one clock for the services: $JIUYE_NOW)
from jiuye.training import access
from jiuye.training.models import Provider, TrainingEvent

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")


def provider_of(s: Session, user: User | None) -> Provider | None:
    if user is None or user.role != access.PROVIDER:
        return None
    return s.scalar(select(Provider).where(Provider.user_id == user.id))


def actor_of(s: Session, user: User | None) -> access.Actor:
    return access.actor_for(user, provider_of(s, user))


def check_id(value: int, what: str) -> None:
    if not valid_row_id(value):
        raise NotFound(f"没有编号为 {value} 的{what}（或您无权查看）")


def check_phone(phone: str | None, field: str = "phone", *, required: bool = True) -> str | None:
    p = re.sub(r"[\s\-－—()（）]", "", str(phone or ""))
    if not p:
        if required:
            raise Invalid("请填写电话号码（手机号或带区号的座机）", field=field)
        return None
    if not (MOBILE.match(p) or LANDLINE.match(p)):
        raise Invalid("电话号码应为11位手机号（1开头），或带区号的座机号（如 0482-8316518）", field=field)
    return p


def text(value: Any, field: str, what: str, *, limit: int = 100, required: bool = True) -> str | None:
    t = re.sub(r"\s+", " ", str(value or "")).strip()
    if not t:
        if required:
            raise Invalid(f"请填写{what}", field=field)
        return None
    if len(t) > limit:
        raise Invalid(f"{what}最多 {limit} 个字", field=field)
    return scrub(t)


def day_of(value: Any, field: str, what: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            raise Invalid(f"{what}应为日期 YYYY-MM-DD，实际为「{value or ''}」", field=field) from None
    if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise Invalid(f"{what}应在 2000 年到 2100 年之间", field=field)
    return day


def integer(value: Any, field: str, what: str, lo: int, hi: int) -> int:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise Invalid(f"{what}应为整数，实际为「{value if value is not None else ''}」", field=field) from None
    if not lo <= n <= hi:
        raise Invalid(f"{what}应在 {lo} 到 {hi} 之间", field=field)
    return n


def record(s: Session, actor: User | None, kind: str, *, provider_id: int | None = None, course_id: int | None = None,
           enrolment_id: int | None = None, comment: str | None = None, data: dict | None = None) -> None:
    s.add(TrainingEvent(at=clock.now(), actor_id=actor.id if actor else None,
                        actor_role=actor.role if actor else "system", kind=kind, provider_id=provider_id,
                        course_id=course_id, enrolment_id=enrolment_id, comment=scrub(comment), data=data))




def money(fen: int | None) -> str:
    if fen is None:
        return "待定"
    return f"{fen / 100:,.2f} 元".replace(".00 元", " 元")
