"""What the platform's services share: the errors (those of the cases service: one set of HTTP
statuses and Chinese messages for the whole API), the actor of a user, phone and name checks,
masking (the market's), the audit trail."""
from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.cases.security import scrub
from jiuye.cases.access import valid_row_id  # noqa: F401
from jiuye.cases.errors import CaseError, Conflict, Forbidden, Invalid, NotFound  # noqa: F401
from jiuye.cases.unit import commit  # noqa: F401  (re-exported: the package's services call common.commit)
from jiuye.market.common import mask_name, mask_phone  # noqa: F401  (one masking rule for the whole system)
from jiuye.platforms import access, clock
from jiuye.platforms.models import PlatformEvent, Station

log = logging.getLogger("jiuye.platforms")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")


def actor_of(s: Session, user: User | None) -> access.Actor:
    """The access-rule actor of `user`, with the station a station master runs."""
    station_id = None
    if user is not None and user.role == access.STATION_MASTER:
        station_id = s.scalar(select(Station.id).where(Station.master_user_id == user.id))
    return access.actor_for(user, station_id)


def check_phone(phone: str | None, field: str = "phone", *, required: bool = True) -> str | None:
    """A mobile number (11 digits) or a landline with its area code (0482-8238631); spaces and
    dashes dropped."""
    p = re.sub(r"[\s\-－—()（）]", "", str(phone or ""))
    if not p:
        if required:
            raise Invalid("请填写电话号码（手机号或带区号的座机）", field=field)
        return None
    if not (MOBILE.match(p) or LANDLINE.match(p)):
        raise Invalid("电话号码应为11位手机号（1开头），或带区号的座机号（如 0482-8238631）", field=field)
    return p


def check_name(name: str | None, field: str = "name", what: str = "姓名") -> str:
    n = re.sub(r"\s+", " ", str(name or "")).strip()
    if not n:
        raise Invalid(f"请填写{what}", field=field)
    if len(n) > 30:
        raise Invalid(f"{what}最多30个字", field=field)
    if any(ch.isdigit() for ch in n):
        raise Invalid(f"{what}里不应有数字（电话和身份证号请填在各自的栏里）", field=field)
    return n


def clean_text(text: str | None, limit: int = 500) -> str | None:
    """Free text as stored: trimmed, cut to `limit`, any 身份证号 in it masked."""
    t = (text or "").strip()[:limit]
    return scrub(t) or None


def record_event(s: Session, actor: User | None, kind: str, *, station_id: int | None = None,
                 signup_id: int | None = None, group_id: int | None = None, comment: str | None = None,
                 data: dict[str, Any] | None = None) -> None:
    s.add(PlatformEvent(at=clock.now(), actor_id=actor.id if actor else None,
                        actor_role=actor.role if actor else "anonymous", kind=kind, station_id=station_id,
                        signup_id=signup_id, group_id=group_id, comment=scrub(comment), data=data))


def system_event(s: Session, kind: str, **kw) -> None:
    s.add(PlatformEvent(at=clock.now(), actor_id=None, actor_role="system", kind=kind, **kw))


def check_id(value: int, what: str) -> None:
    if not valid_row_id(value):
        raise NotFound(f"没有编号为 {value} 的{what}（或您无权查看）")


def iso(t) -> str | None:
    if t is None:
        return None
    if hasattr(t, "hour"):
        return clock.aware(t).isoformat()
    return t.isoformat()
