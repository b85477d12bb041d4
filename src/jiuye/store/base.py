"""The declarative base every domain's tables share (one database, one Alembic chain in
`jiuye/store/migrations/`), and the UTC clock their timestamps use."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import DeclarativeBase


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    pass
