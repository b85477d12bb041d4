"""What the 创业服务 services share: the cases service's errors (one set of statuses and Chinese
messages for the API), the actor of a user, text and phone checks, masking, the audit trail."""
from __future__ import annotations

import datetime as dt
import logging
import os
from typing import Any

from sqlalchemy.orm import Session

from jiuye.cases.security import scrub
from jiuye.cases.access import valid_row_id  # noqa: F401
from jiuye.cases.errors import CaseError, Conflict, Forbidden, Invalid, NotFound  # noqa: F401
from jiuye.cases.unit import commit  # noqa: F401  (re-exported: the package's services call common.commit)
from jiuye.market.common import mask_name, mask_phone  # noqa: F401  (one masking rule for the system)
from jiuye.platforms.common import check_name, check_phone  # noqa: F401  (the same phone and name rules)
from jiuye.startup import access
from jiuye.startup.models import StartupEvent
from jiuye.store.base import utcnow

log = logging.getLogger("jiuye.startup")
BEIJING = dt.timezone(dt.timedelta(hours=8))


def now() -> dt.datetime:
    """Now (UTC); $JIUYE_NOW pins it (tests, the demo), as for the other domains."""
    pinned = os.environ.get("JIUYE_NOW")
    if pinned:
        t = dt.datetime.fromisoformat(pinned)
        return (t if t.tzinfo else t.replace(tzinfo=BEIJING)).astimezone(dt.timezone.utc)
    return utcnow()


def today() -> dt.date:
    from jiuye.config import today as system_today

    if os.environ.get("JIUYE_NOW"):
        return now().astimezone(BEIJING).date()
    return system_today()


def aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def show(t: dt.datetime | None) -> str:
    """A stored time as Beijing time, 'YYYY-MM-DD HH:MM'."""
    return aware(t).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if t else ""


def actor_of(user) -> access.Actor:
    return access.actor_for(user)


def need(allowed: tuple[bool, str | None], *, hide: bool = False) -> None:
    """Raise the refusal: 404 for what the actor may not see, 403 for what they may not do."""
    ok, why = allowed
    if not ok:
        raise (NotFound if hide else Forbidden)(why or "无权办理")


def text(value: Any, field: str, what: str, *, limit: int, required: bool = True) -> str | None:
    t = scrub(str(value or "").strip())
    if not t:
        if required:
            raise Invalid(f"请填写{what}", field=field)
        return None
    if len(t) > limit:
        raise Invalid(f"{what}最多{limit}个字（现在 {len(t)} 个）", field=field)
    return t


def check_id(value, what: str) -> int:
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 12:
        value = int(value.strip())
    if not valid_row_id(value):
        raise NotFound(f"没有这个{what}（或您无权查看）")
    return int(value)


def record(s: Session, user, kind: str, *, project_id: int | None = None, application_id: int | None = None,
           data: dict | None = None) -> None:
    s.add(StartupEvent(at=now(), actor_id=user.id if user else None, kind=kind, project_id=project_id,
                       application_id=application_id, data=data))




def districts() -> list[str]:
    from jiuye.knowledge.loader import get_knowledge

    return [d.key for d in get_knowledge().districts]
