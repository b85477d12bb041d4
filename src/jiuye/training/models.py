"""The tables of training (issue 18 items 1-3), on the shared metadata: one database, one Alembic
chain (`jiuye/store/migrations/versions/0009_training.py` makes them; a test compares the two).

- `training_providers`: 培训机构 / 职业院校 / 就业创业训练中心, their approvals (职业技能 / 创业培训资质),
  approved by the centre; `user_id` is the provider's account (role `training_provider`).
- `training_courses`: a published course (occupation 大典 code, level, A/B/C, hours, days, dates, place,
  seats, price, subsidy, contact); `opened_at` is the 开班反馈 (≥ 3 days before the start).
- `training_wishes`: 就业培训意愿 / 创业培训意愿 of a citizen, answered by a provider.
- `training_enrolments`: one learner on one course; result and certificate at completion.
- `training_codes`: the one-time sign-in codes shown in class, per course and day.
- `training_attendance`: the sign-in sheet (one row per learner and day), kept as evidence.
- `training_vouchers`: the league's own digital 职业培训券.
- `training_claims`: the subsidy cases opened at completion (免申即享), or why not yet.
- `training_events`: the audit trail, append-only by convention.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiuye.store.base import Base, utcnow

TS = DateTime(timezone=True)


class Provider(Base):
    __tablename__ = "training_providers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(24))  # training_institution | vocational_college | training_centre
    district: Mapped[str] = mapped_column(String(20), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    approvals: Mapped[list] = mapped_column(JSON, default=list)  # approval codes held (settings.approvals)
    state: Mapped[str] = mapped_column(String(12), index=True)  # pending | approved | suspended
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(TS)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    sources: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class Course(Base):
    __tablename__ = "training_courses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("training_providers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # settings.course_kinds
    title: Mapped[str] = mapped_column(String(100))
    occupation_code: Mapped[str | None] = mapped_column(String(20), index=True)
    occupation_name: Mapped[str | None] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(4))  # a | b | c | none
    hours: Mapped[int] = mapped_column(Integer)
    days: Mapped[int] = mapped_column(Integer)
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date] = mapped_column(Date)
    district: Mapped[str] = mapped_column(String(20))
    place: Mapped[str] = mapped_column(String(200))
    seats: Mapped[int] = mapped_column(Integer)
    enrolled: Mapped[int] = mapped_column(Integer, default=0)
    price_fen: Mapped[int] = mapped_column(Integer)
    subsidised: Mapped[bool] = mapped_column(Boolean)
    contact: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(12))  # published | opened | finished | cancelled
    opened_at: Mapped[dt.datetime | None] = mapped_column(TS)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    provider: Mapped[Provider] = relationship()

    __table_args__ = (Index("ix_training_courses_search", "state", "district", "start_on"),)
    __mapper_args__ = {"version_id_col": version}


class Wish(Base):
    __tablename__ = "training_wishes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(String(12))  # employment | startup
    district: Mapped[str] = mapped_column(String(20), index=True)
    occupation_code: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(12), index=True)  # open | answered | closed
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("training_providers.id"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("training_courses.id"))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None] = mapped_column(TS)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)


class Voucher(Base):
    __tablename__ = "training_vouchers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # subsidised | sign_in_only
    course_kind: Mapped[str] = mapped_column(String(20))
    district: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(10), index=True)  # issued | used | closed | expired
    issued_on: Mapped[dt.date] = mapped_column(Date, index=True)
    expires_on: Mapped[dt.date] = mapped_column(Date)
    used_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Enrolment(Base):
    __tablename__ = "training_enrolments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_courses.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    profile: Mapped[dict] = mapped_column(JSON, default=dict)  # the groups the learner declared (for screening)
    voucher_id: Mapped[int | None] = mapped_column(ForeignKey("training_vouchers.id"))
    paid_by_learner: Mapped[bool] = mapped_column(Boolean)
    state: Mapped[str] = mapped_column(String(12), index=True)  # enrolled | completed | failed | withdrawn
    result: Mapped[str | None] = mapped_column(String(10))  # passed | failed
    certificate_kind: Mapped[str | None] = mapped_column(String(30))
    certificate_no: Mapped[str | None] = mapped_column(String(60))
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    course: Mapped[Course] = relationship()

    __table_args__ = (UniqueConstraint("course_id", "person_id", name="uq_training_enrolment"),)
    __mapper_args__ = {"version_id_col": version}


class SignCode(Base):
    __tablename__ = "training_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_courses.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    code: Mapped[str] = mapped_column(String(12))
    expires_at: Mapped[dt.datetime] = mapped_column(TS)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)


class Attendance(Base):
    __tablename__ = "training_attendance"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("training_enrolments.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_courses.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    at: Mapped[dt.datetime] = mapped_column(TS)
    method: Mapped[str] = mapped_column(String(10))  # code | voucher | provider
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    location_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (UniqueConstraint("enrolment_id", "day", name="uq_training_attendance_day"),)


class Claim(Base):
    __tablename__ = "training_claims"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("training_enrolments.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    policy: Mapped[str] = mapped_column(String(60))
    payee: Mapped[str] = mapped_column(String(10))  # person | provider
    state: Mapped[str] = mapped_column(String(20), index=True)  # opened | waiting_procedure | not_eligible | needs_information
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    amount_fen: Mapped[int | None] = mapped_column(Integer)
    screening_status: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    flags: Mapped[list] = mapped_column(JSON, default=list)
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    year: Mapped[int] = mapped_column(Integer, index=True)
    occupation_code: Mapped[str | None] = mapped_column(String(20))
    level: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)

    __table_args__ = (UniqueConstraint("enrolment_id", "policy", name="uq_training_claim"),)


class TrainingEvent(Base):
    __tablename__ = "training_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("training_providers.id"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("training_courses.id"), index=True)
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("training_enrolments.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)
