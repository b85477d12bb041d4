"""One unit of work for the domain packages (market's neighbours: platforms, gig, fairs, training,
startup, welfare posts): commit, and turn a lost optimistic-lock race into the same Chinese 409 that
the cases use, with the session rolled back so that nothing of the failed request is kept."""
from __future__ import annotations

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from jiuye.cases.service import Conflict


def commit(s: Session) -> None:
    try:
        s.commit()
    except StaleDataError:
        s.rollback()
        raise Conflict("已被他人处理，请刷新后重试") from None
