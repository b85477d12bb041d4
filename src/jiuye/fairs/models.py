"""The tables of 招聘会 and 直播带岗 (SQLAlchemy 2), on the one metadata (`jiuye/store/migrations/versions/
0008_fairs.py` makes them; a test compares the two).

- `fair_fairs`: one fair on one date: the weekly on-site fair (made from data/fairs/fairs.yaml, `series`
  set), one staff created (on site or online), or one 「上什么班」 live stream (`kind = stream`).
- `fair_booths`: an employer's booth application with its uploaded materials, the decision, the booth
  number (or a place on the waiting list) and the employer's posts shown with the fair.
- `fair_features`: the posts featured in a live stream.
- `fair_visitors`: a seeker's pre-registration with the check-in code, and the check-in at the door.
- `fair_intentions`: an intention (意向) recorded at a booth (or a sign-up from a stream's page), its
  follow-up clock (opens the day after the fair) and outcome, and the 30-day check of a hire.
- `fair_events`: the audit trail, append-only by convention.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiuye.store.base import Base, utcnow

TS = DateTime(timezone=True)


class Fair(Base):
    __tablename__ = "fair_fairs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)  # onsite | online | stream
    series: Mapped[str | None] = mapped_column(String(40), unique=True)  # weekly-2026-12-11 / stream-2026-12-11
    name: Mapped[str] = mapped_column(String(100))
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)  # Beijing date
    starts_at: Mapped[dt.datetime] = mapped_column(TS)
    ends_at: Mapped[dt.datetime] = mapped_column(TS)
    place: Mapped[str | None] = mapped_column(String(100))  # on site
    platform: Mapped[str | None] = mapped_column(String(200))  # online / stream: where
    district: Mapped[str] = mapped_column(String(20), index=True)  # the organising centre
    booths: Mapped[int] = mapped_column(Integer)  # capacity
    assign_mode: Mapped[str] = mapped_column(String(12))  # first_come | sector
    sources: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), index=True)  # open | cancelled
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class Booth(Base):
    __tablename__ = "fair_booths"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fair_fairs.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("market_employers.id"), index=True)
    employer_name: Mapped[str] = mapped_column(String(100))
    sector: Mapped[str | None] = mapped_column(String(30))  # 行业 (for assignment by sector)
    contact_name: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    materials: Mapped[dict] = mapped_column(JSON, default=dict)  # code -> {sha256, name, type, size}
    posting_ids: Mapped[list] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(12), index=True)  # pending | approved | waiting | returned | withdrawn
    booth_no: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)  # why returned
    applied_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(TS)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    fair: Mapped[Fair] = relationship()

    __table_args__ = (UniqueConstraint("fair_id", "employer_id", name="uq_fair_booths_employer"),
                      UniqueConstraint("fair_id", "booth_no", name="uq_fair_booths_no"))
    __mapper_args__ = {"version_id_col": version}


class Feature(Base):
    __tablename__ = "fair_features"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fair_fairs.id"), index=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("market_postings.id"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)

    __table_args__ = (UniqueConstraint("fair_id", "posting_id", name="uq_fair_features_post"),)


class Visitor(Base):
    __tablename__ = "fair_visitors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fair_fairs.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # the check-in code (QR)
    channel: Mapped[str] = mapped_column(String(10))  # online | door | stream
    registered_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(TS)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    fair: Mapped[Fair] = relationship()

    __table_args__ = (UniqueConstraint("fair_id", "phone", name="uq_fair_visitors_phone"),)


class Intention(Base):
    __tablename__ = "fair_intentions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fair_fairs.id"), index=True)
    booth_id: Mapped[int | None] = mapped_column(ForeignKey("fair_booths.id"), index=True)  # None: a stream sign-up
    visitor_id: Mapped[int] = mapped_column(ForeignKey("fair_visitors.id"), index=True)
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("market_postings.id"))
    posting_title: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    opens_at: Mapped[dt.datetime] = mapped_column(TS)  # the follow-up task appears (the day after the fair)
    due_at: Mapped[dt.datetime] = mapped_column(TS)  # and must be done by then
    opened_at: Mapped[dt.datetime | None] = mapped_column(TS)  # when the queue opened the task
    overdue_at: Mapped[dt.datetime | None] = mapped_column(TS)  # when the queue found it late
    state: Mapped[str] = mapped_column(String(12))  # open | followed_up
    outcome: Mapped[str | None] = mapped_column(String(12))  # hired | interview | declined | unreachable
    outcome_note: Mapped[str | None] = mapped_column(Text)
    followed_up_at: Mapped[dt.datetime | None] = mapped_column(TS)
    followed_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hired_on: Mapped[dt.date | None] = mapped_column(Date)
    check_due_on: Mapped[dt.date | None] = mapped_column(Date)  # 30 days after hired_on
    still_working: Mapped[bool | None] = mapped_column(Boolean)
    updated_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    visitor: Mapped[Visitor] = relationship()
    booth: Mapped[Booth | None] = relationship()

    __table_args__ = (Index("ix_fair_intentions_queue", "state", "due_at"),)
    __mapper_args__ = {"version_id_col": version}


class FairEvent(Base):
    __tablename__ = "fair_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    fair_id: Mapped[int | None] = mapped_column(ForeignKey("fair_fairs.id"), index=True)
    booth_id: Mapped[int | None] = mapped_column(ForeignKey("fair_booths.id"))
    visitor_id: Mapped[int | None] = mapped_column(ForeignKey("fair_visitors.id"))
    intention_id: Mapped[int | None] = mapped_column(ForeignKey("fair_intentions.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)
