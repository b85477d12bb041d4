"""What the 公益性岗位 services share: the cases service's errors, the platform's clock ($JIUYE_NOW /
$JIUYE_TODAY), the field checks (Chinese messages naming the field) shared with training, masking,
the audit trail, committing."""
from __future__ import annotations

from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.cases.security import mask_id_number, scrub  # noqa: F401
from jiuye.cases.access import valid_row_id  # noqa: F401
from jiuye.cases.errors import CaseError, Conflict, Forbidden, Invalid, NotFound  # noqa: F401
from jiuye.cases.unit import commit  # noqa: F401  (re-exported: the package's services call common.commit)
from jiuye.market.common import mask_name, mask_phone  # noqa: F401
from jiuye.platforms import clock  # noqa: F401
from jiuye.training.common import check_phone, day_of, integer, money, text  # noqa: F401
from jiuye.welfare_posts import access
from jiuye.welfare_posts.models import WelfareEvent


def actor_of(user: User | None) -> access.Actor:
    return access.actor_for(user)


def check_id(value, what: str) -> int:
    """A row id given as an int or as digits (from a URL or a form); anything else is 'not found'."""
    n = int(value) if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 12 else value
    if not valid_row_id(n):
        raise NotFound(f"没有编号为 {str(value)[:20]} 的{what}（或您无权查看）")
    return n


def record(s: Session, actor: User | None, kind: str, *, post_id: int | None = None, signup_id: int | None = None,
           comment: str | None = None, data: dict | None = None) -> None:
    s.add(WelfareEvent(at=clock.now(), actor_id=actor.id if actor else None,
                       actor_role=actor.role if actor else "system", kind=kind, post_id=post_id,
                       signup_id=signup_id, comment=scrub(comment), data=data))
