"""What the market's services share: the errors (those of the cases service: one set of HTTP statuses
and Chinese messages for the whole API), the actor of a user, masking, the audit trail."""
from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.models import User, utcnow
from jiuye.cases.security import scrub
from jiuye.cases.access import valid_row_id  # noqa: F401
from jiuye.cases.errors import CaseError, Conflict, Forbidden, Invalid, NotFound  # noqa: F401
from jiuye.market import access
from jiuye.market.models import MarketEmployer, MarketEvent

log = logging.getLogger("jiuye.market")
PHONE = re.compile(r"^1[3-9]\d{9}$")


def market_actor(s: Session, user: User | None) -> access.Actor:
    """The access-rule actor of `user`, with its market employer profile when it is an enterprise."""
    employer_id = None
    if user is not None and user.role == "applicant" and user.enterprise_id:
        employer_id = s.scalar(select(MarketEmployer.id).where(MarketEmployer.enterprise_id == user.enterprise_id))
    return access.actor_for(user, employer_id)


def league_districts() -> list[str]:
    """The league's 旗县市 (where a post or a registration may be)."""
    from jiuye.knowledge.loader import get_knowledge

    return [d.key for d in get_knowledge().districts if d.level == "旗县市"]


def mask_phone(phone: str | None) -> str:
    """138****1234 (the first three and last four kept)."""
    if not phone:
        return ""
    p = str(phone)
    return p[:3] + "****" + p[-4:] if len(p) >= 8 else "*" * len(p)


def mask_name(name: str | None) -> str:
    """张* / 欧阳** / 张*丰: the family name (and, for three characters or more, the last) kept."""
    if not name:
        return ""
    n = str(name)
    for suffix in ("（演示）",):  # demo people keep their marker visible
        if n.endswith(suffix):
            return mask_name(n[: -len(suffix)]) + suffix
    if len(n) <= 1:
        return n
    if len(n) == 2:
        return n[0] + "*"
    return n[0] + "*" * (len(n) - 2) + n[-1]


def check_phone(phone: str | None, field: str = "phone") -> str | None:
    if phone in (None, ""):
        return None
    p = re.sub(r"[\s-]", "", str(phone))
    if not PHONE.match(p):
        raise Invalid("手机号应为11位数字，以1开头", field=field)
    return p


def record_event(s: Session, actor: User | None, kind: str, *, posting_id: int | None = None,
                 seeker_id: int | None = None, application_id: int | None = None, comment: str | None = None,
                 data: dict[str, Any] | None = None) -> None:
    s.add(MarketEvent(at=utcnow(), actor_id=actor.id if actor else None,
                      actor_role=actor.role if actor else "system", kind=kind, posting_id=posting_id,
                      seeker_id=seeker_id, application_id=application_id, comment=scrub(comment), data=data))


def beijing_date(moment: dt.datetime | None = None) -> dt.date:
    moment = moment or utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone(dt.timedelta(hours=8))).date()


def aware(t: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return t.replace(tzinfo=dt.timezone.utc) if t is not None and t.tzinfo is None else t


def iso(t: dt.datetime | dt.date | None) -> str | None:
    if t is None:
        return None
    if isinstance(t, dt.datetime):
        return aware(t).isoformat()
    return t.isoformat()


def check_id(value: int, what: str) -> None:
    if not valid_row_id(value):
        raise NotFound(f"没有编号为 {value} 的{what}（或您无权查看）")


def record_errors(exc, model) -> list[dict]:
    """A pydantic ValidationError of a record contract as [{field, title, message}] in Chinese, each
    naming the field by its title (岗位名称, 工资下限（元） …)."""
    from jiuye.screening.checks import ERROR_MESSAGES

    items = []
    for err in exc.errors():
        loc = [p for p in err.get("loc", ()) if not isinstance(p, int)]
        field = str(loc[0]) if loc else ""
        info = model.model_fields.get(field)
        title = (info.title if info is not None else None) or field or "（整体）"
        kind = err.get("type", "")
        text = ERROR_MESSAGES.get(kind)
        ctx = err.get("ctx") or {}
        if text is None or kind in ("value_error", "assertion_error"):
            text = re.sub(r"^(Value error|Assertion failed), ", "", err.get("msg", ""))
        else:
            try:
                text = text.format(**{k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in ctx.items()})
            except (KeyError, IndexError, ValueError):
                pass
        items.append({"field": field, "title": title, "message": f"「{title}」：{text}"})
    return items


def validate_record(model, data: dict):
    """`model.model_validate(data)`, or Invalid naming every bad field (the first in the message)."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        items = record_errors(exc, model)
        raise Invalid("；".join(i["message"] for i in items), field=items[0]["field"] if items else None,
                      errors=items) from None
