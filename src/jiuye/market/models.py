"""The labour market's tables (SQLAlchemy 2), on the same metadata as the cases: one database, one
Alembic chain (`jiuye/store/migrations/versions/0005_market.py` makes them; a test compares the two).

- `market_employers`: the market profile of an `enterprises` row — an employer, or a licensed
  人力资源服务机构 (`kind = agency`, with its licence number) that posts for client employers.
- `market_seekers`: one 求职登记 of a person (`people`), open (`active`) until it expires unconfirmed
  or is closed with its outcome. The record itself (SeekerRecord, jiuye.market.records) is JSON;
  the columns beside it are what lists, access rules and statistics filter on.
- `market_postings`: one 招用人员简章 (PostingRecord as JSON) with its review state and places left.
- `market_applications`: a seeker applying to a post (or staff recommending them: 职业介绍), its
  interview and outcome. One per seeker and post.
- `market_events`: the audit trail (who did what, when), append-only by convention.
- `market_outbox`: every message, one row per recipient and channel (in-app inbox or SMS), with
  its delivery outcome; `market_optouts`: phone numbers that opted out of text messages.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiuye.cases.models import Enterprise, Person, User
from jiuye.store.base import Base, utcnow

TS = DateTime(timezone=True)


class MarketEmployer(Base):
    __tablename__ = "market_employers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # employer | agency (人力资源服务机构)
    licence_no: Mapped[str | None] = mapped_column(String(60))  # 人力资源服务许可证编号 (agency)
    contact_name: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    district: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    enterprise: Mapped[Enterprise] = relationship()


class Seeker(Base):
    __tablename__ = "market_seekers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # the account that registered
    phone: Mapped[str | None] = mapped_column(String(20))
    district: Mapped[str] = mapped_column(String(20), index=True)  # the centre the registration belongs to
    state: Mapped[str] = mapped_column(String(12), index=True)  # active | expired | closed
    record: Mapped[dict] = mapped_column(JSON)  # SeekerRecord without its id
    occupation: Mapped[str | None] = mapped_column(String(20), index=True)  # first desired occupation code
    channel: Mapped[str] = mapped_column(String(10))  # online | window
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    registered_on: Mapped[dt.date] = mapped_column(Date, index=True)
    expires_on: Mapped[dt.date] = mapped_column(Date, index=True)
    reminded_on: Mapped[dt.date | None] = mapped_column(Date)
    confirmed_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))  # see jiuye.market.seekers.OUTCOMES
    outcome_note: Mapped[str | None] = mapped_column(Text)
    hired_posting_id: Mapped[int | None] = mapped_column(Integer)  # the post that hired them here
    notify_matches: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    person: Mapped[Person] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    __mapper_args__ = {"version_id_col": version}


class Posting(Base):
    __tablename__ = "market_postings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("market_employers.id"), index=True)  # the publisher
    record: Mapped[dict] = mapped_column(JSON)  # PostingRecord without its id
    title: Mapped[str] = mapped_column(String(100))
    occupation_code: Mapped[str | None] = mapped_column(String(20), index=True)
    district: Mapped[str | None] = mapped_column(String(20), index=True)  # work place; None outside the league
    scope_district: Mapped[str] = mapped_column(String(20), index=True)  # whose staff review it
    wage_min: Mapped[float | None] = mapped_column(Float)
    wage_max: Mapped[float | None] = mapped_column(Float)
    wage_unit: Mapped[str] = mapped_column(String(10))
    places: Mapped[int] = mapped_column(Integer)
    places_left: Mapped[int] = mapped_column(Integer)
    valid_through: Mapped[dt.date | None] = mapped_column(Date, index=True)
    state: Mapped[str] = mapped_column(String(12), index=True)  # see jiuye.market.postings.STATES
    flags: Mapped[list] = mapped_column(JSON, default=list)  # the review flags found at submission
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(TS)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(TS)
    published_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(10))  # online | import
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    employer: Mapped[MarketEmployer] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Application(Base):
    __tablename__ = "market_applications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("market_postings.id"), index=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("market_seekers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))  # apply | recommend (职业介绍)
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(12), index=True)  # see jiuye.market.applications.STATES
    note: Mapped[str | None] = mapped_column(Text)
    interview_at: Mapped[dt.datetime | None] = mapped_column(TS)
    interview_place: Mapped[str | None] = mapped_column(String(200))
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    answered_at: Mapped[dt.datetime | None] = mapped_column(TS)  # the employer's first reply
    decided_at: Mapped[dt.datetime | None] = mapped_column(TS)
    updated_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    posting: Mapped[Posting] = relationship()
    seeker: Mapped[Seeker] = relationship()

    __table_args__ = (UniqueConstraint("posting_id", "seeker_id", name="uq_market_applications_pair"),)
    __mapper_args__ = {"version_id_col": version}


class MarketEvent(Base):
    __tablename__ = "market_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(20))  # a role code, or "system"
    kind: Mapped[str] = mapped_column(String(30), index=True)
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("market_postings.id"), index=True)
    seeker_id: Mapped[int | None] = mapped_column(ForeignKey("market_seekers.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("market_applications.id"), index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)


class OutboxMessage(Base):
    __tablename__ = "market_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    channel: Mapped[str] = mapped_column(String(10), index=True)  # inbox | sms
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10), index=True)  # pending | sent | failed | skipped
    reason: Mapped[str | None] = mapped_column(String(30))  # why skipped or failed
    sender: Mapped[str | None] = mapped_column(String(40))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[dt.datetime | None] = mapped_column(TS)
    error: Mapped[str | None] = mapped_column(Text)
    read_at: Mapped[dt.datetime | None] = mapped_column(TS)
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)


class OptOut(Base):
    __tablename__ = "market_optouts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who asked (None: by SMS reply or staff)
