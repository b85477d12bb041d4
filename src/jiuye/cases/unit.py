"""One unit of work for the domain packages (market and its neighbours: platforms, gig, fairs, training,
startup, welfare posts): commit, and turn a lost optimistic-lock race into the same Chinese 409 that
the cases use, with the session rolled back so that nothing of the failed request is kept. A package whose
unique constraints also stand for a race (fairs: two people booking the same thing at once) passes the
message to give for that as `on_duplicate`."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from jiuye.cases.errors import Conflict


def commit(s: Session, on_duplicate: str | None = None) -> None:
    try:
        s.commit()
    except StaleDataError:
        s.rollback()
        raise Conflict("已被他人处理，请刷新后重试") from None
    except IntegrityError:
        if on_duplicate is None:
            raise
        s.rollback()
        raise Conflict(on_duplicate) from None
