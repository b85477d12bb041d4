"""The tables of 零工市场 (SQLAlchemy 2), on the shared metadata; migration 0007_gig makes them.

- `gig_workers`: a worker's availability (工种, 旗县市 + 苏木镇/街道, optional coordinates, days, daily rate).
- `gig_jobs`: a short job (what, where, days, pay per day or per piece, people needed), its poster.
- `gig_matches`: one worker on one job: who proposed it, each side's acceptance, "worked" and "paid"
  confirmations from each side. Phones are shown only once both sides accepted.
- `gig_arrears`: a day the worker says was not paid: the report, the case it opened, its escalation.
- `gig_events`: the audit trail (append-only by convention).
Money in fen (分).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiuye.store.base import Base, utcnow

TS = DateTime(timezone=True)


class GigWorker(Base):
    __tablename__ = "gig_workers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20))
    occupation_code: Mapped[str] = mapped_column(String(20), index=True)
    occupation_text: Mapped[str] = mapped_column(String(50))  # as the worker wrote it
    district: Mapped[str] = mapped_column(String(20), index=True)
    town: Mapped[str | None] = mapped_column(String(50))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    available_from: Mapped[dt.date] = mapped_column(Date)
    available_to: Mapped[dt.date] = mapped_column(Date)
    daily_rate_fen: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), index=True)  # open | closed
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class GigJob(Base):
    __tablename__ = "gig_jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poster_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    poster_kind: Mapped[str] = mapped_column(String(12))  # employer | household
    poster_name: Mapped[str] = mapped_column(String(100))
    poster_phone: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(100))
    occupation_code: Mapped[str] = mapped_column(String(20), index=True)
    occupation_text: Mapped[str] = mapped_column(String(50))
    district: Mapped[str] = mapped_column(String(20), index=True)
    town: Mapped[str | None] = mapped_column(String(50))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date] = mapped_column(Date)
    pay_type: Mapped[str] = mapped_column(String(8))  # day | piece
    pay_fen: Mapped[int] = mapped_column(Integer)
    piece_unit: Mapped[str | None] = mapped_column(String(20))  # 亩, 件, 车 … (pay_type piece)
    people_needed: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), index=True)  # open | filled | closed
    filled_at: Mapped[dt.datetime | None] = mapped_column(TS)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (Index("ix_gig_jobs_board", "state", "district", "created_at"),)
    __mapper_args__ = {"version_id_col": version}


class GigMatch(Base):
    __tablename__ = "gig_matches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("gig_jobs.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("gig_workers.id"), index=True)
    started_by: Mapped[str] = mapped_column(String(8))  # worker (applied) | poster (invited)
    state: Mapped[str] = mapped_column(String(12), index=True)  # see jiuye.gig.access.MATCH_STATES
    worker_accepted_at: Mapped[dt.datetime | None] = mapped_column(TS)
    poster_accepted_at: Mapped[dt.datetime | None] = mapped_column(TS)
    closed_at: Mapped[dt.datetime | None] = mapped_column(TS)  # declined or withdrawn
    days_worked: Mapped[int | None] = mapped_column(Integer)
    worker_worked_at: Mapped[dt.datetime | None] = mapped_column(TS)
    poster_worked_at: Mapped[dt.datetime | None] = mapped_column(TS)
    worker_paid_at: Mapped[dt.datetime | None] = mapped_column(TS)
    poster_paid_at: Mapped[dt.datetime | None] = mapped_column(TS)
    unpaid_at: Mapped[dt.datetime | None] = mapped_column(TS)  # the worker said: not paid
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    job: Mapped[GigJob] = relationship()
    worker: Mapped[GigWorker] = relationship()

    __table_args__ = (UniqueConstraint("job_id", "worker_id", name="uq_gig_matches_job_worker"),)
    __mapper_args__ = {"version_id_col": version}


class GigArrears(Base):
    __tablename__ = "gig_arrears"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("gig_matches.id"), unique=True)
    district: Mapped[str] = mapped_column(String(20), index=True)
    job_title: Mapped[str] = mapped_column(String(100))
    days: Mapped[int | None] = mapped_column(Integer)
    amount_fen: Mapped[int | None] = mapped_column(Integer)  # None: 待定 (paid per piece)
    note: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    case_error: Mapped[str | None] = mapped_column(Text)  # why opening the case failed (retried by the queue)
    escalated_at: Mapped[dt.datetime | None] = mapped_column(TS)
    handled: Mapped[bool] = mapped_column(Boolean, default=False)


class GigEvent(Base):
    __tablename__ = "gig_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("gig_jobs.id"), index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("gig_workers.id"), index=True)
    match_id: Mapped[int | None] = mapped_column(ForeignKey("gig_matches.id"), index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)
