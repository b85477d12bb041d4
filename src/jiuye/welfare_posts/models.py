"""The tables of 公益性岗位 on the shared metadata (one database, one Alembic chain:
`jiuye/store/migrations/versions/0011_welfare_posts.py` makes them; a test compares the two).

- `welfare_posts`: a post published by the 旗县市 (unit, type, place, places, filled, dates); state
  open | filled | closed. `filled` only changes by one conditional UPDATE (placement.take_place), so
  two concurrent placements on the last place cannot both succeed.
- `welfare_signups`: one person's 报名 for one post, attached to their public_welfare_post case; the
  screening verdict at sign-up; at placement the start date and the term's end (three years, or to
  retirement), with its basis.
- `welfare_subsidy_months`: the monthly subsidy record of a placed person (one per month).
- `welfare_events`: the audit trail, append-only by convention.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiuye.store.base import Base, utcnow

TS = DateTime(timezone=True)


class WelfarePost(Base):
    __tablename__ = "welfare_posts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    district: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(60))  # 用人单位
    post_type: Mapped[str] = mapped_column(String(30))  # settings.post_types
    title: Mapped[str] = mapped_column(String(40))
    place: Mapped[str] = mapped_column(String(60))  # 苏木镇 / 街道 / 社区
    places: Mapped[int] = mapped_column(Integer)
    filled: Mapped[int] = mapped_column(Integer, default=0)
    duties: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(String(60))
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12))  # open | filled | closed
    close_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (Index("ix_welfare_posts_search", "state", "district", "end_on"),)
    __mapper_args__ = {"version_id_col": version}


class WelfareSignup(Base):
    __tablename__ = "welfare_signups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("welfare_posts.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    groups: Mapped[dict] = mapped_column(JSON, default=dict)
    verdict: Mapped[dict] = mapped_column(JSON, default=dict)  # {status, reasons, amount_fen, as_of}
    state: Mapped[str] = mapped_column(String(12))  # applied | placed | not_placed | withdrawn | ended
    term_no: Mapped[int] = mapped_column(Integer, default=1)  # 1, or 2 for 二次上岗
    placed_on: Mapped[dt.date | None] = mapped_column(Date)
    term_months: Mapped[int | None] = mapped_column(Integer)
    term_ends_on: Mapped[dt.date | None] = mapped_column(Date)
    term_basis: Mapped[str | None] = mapped_column(Text)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    post: Mapped[WelfarePost] = relationship()

    __table_args__ = (UniqueConstraint("post_id", "person_id", name="uq_welfare_signups_post_person"),)
    __mapper_args__ = {"version_id_col": version}


class WelfareSubsidyMonth(Base):
    __tablename__ = "welfare_subsidy_months"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signup_id: Mapped[int] = mapped_column(ForeignKey("welfare_signups.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    wage_fen: Mapped[int | None] = mapped_column(Integer)  # None: the documents / parameters give no figure
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)

    __table_args__ = (UniqueConstraint("signup_id", "month", name="uq_welfare_subsidy_months_signup_month"),)


class WelfareEvent(Base):
    __tablename__ = "welfare_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("welfare_posts.id"), index=True)
    signup_id: Mapped[int | None] = mapped_column(ForeignKey("welfare_signups.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)
