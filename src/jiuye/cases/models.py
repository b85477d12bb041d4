"""The case database (SQLAlchemy 2). The schema itself is made by the Alembic migrations in
`jiuye/store/migrations/versions/`; these classes must match them (a test compares the two).

- 身份证号 is stored once, in `people.id_number`; cases, events and snapshots refer to the person.
- `cases.version` is the optimistic lock: every change of state bumps it, and an UPDATE that finds
  another version changes nothing (StaleDataError → a clear conflict for the second reviewer).
- `case_events` is append-only: the migrations install triggers that refuse UPDATE and DELETE.
  `(case_id, transition_no)` is unique, so a transition can never be recorded twice.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON, BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiuye.store.base import Base, utcnow  # noqa: F401  (shared by every domain's tables)


class Office(Base):
    __tablename__ = "offices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    level: Mapped[str] = mapped_column(String(20))  # a staff role code: community, street, county_center, ...
    district: Mapped[str] = mapped_column(String(20), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    phone: Mapped[str | None] = mapped_column(String(40))
    parent: Mapped["Office | None"] = relationship(remote_side="Office.id")


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)  # the only copy
    name: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Enterprise(Base):
    __tablename__ = "enterprises"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)  # 统一社会信用代码
    name: Mapped[str] = mapped_column(String(100))
    district: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    district: Mapped[str | None] = mapped_column(String(20))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    phone: Mapped[str | None] = mapped_column(String(20))
    # Self-registered applicant accounts prove only that someone knows a name and a 身份证号. Cases
    # filed for that person by staff or by 免申即享 stay hidden from the account until staff have
    # checked the ID card at a window (who and when recorded here). Accounts created by staff are verified.
    identity_verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    identity_verified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", name="fk_users_identity_verified_by"))
    office: Mapped[Office | None] = relationship()
    person: Mapped[Person | None] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()


class AuthToken(Base):
    __tablename__ = "auth_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the bearer token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    user: Mapped[User] = relationship()


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure: Mapped[str] = mapped_column(String(60), index=True)
    policy: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    district: Mapped[str] = mapped_column(String(20), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))  # where it was filed
    assigned_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)  # who acts now
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    applicant_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(20))  # online | window | batch
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    state_entered_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    due_approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    due_note: Mapped[str | None] = mapped_column(Text)
    final: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    screening: Mapped[dict] = mapped_column(JSON)  # the screening result as it was on its date
    screening_as_of: Mapped[dt.date] = mapped_column(Date)
    screening_status: Mapped[str] = mapped_column(String(30))
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    dedupe_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    person: Mapped[Person | None] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()
    office: Mapped[Office | None] = relationship(foreign_keys=[office_id])
    assigned_office: Mapped[Office | None] = relationship(foreign_keys=[assigned_office_id])

    __mapper_args__ = {"version_id_col": version}


class CaseEvent(Base):
    __tablename__ = "case_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    transition_no: Mapped[int | None] = mapped_column(Integer)  # the case version this move produced
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(20))
    actor_name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(20))  # created | transition | attachment
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str | None] = mapped_column(String(40))
    comment: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)
    __table_args__ = (UniqueConstraint("case_id", "transition_no", name="uq_case_events_transition"),)


class Attachment(Base):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    material: Mapped[str] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_path: Mapped[str] = mapped_column(String(300))  # relative to the attachments directory
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Throttle(Base):
    """A rate-limit counter shared by every worker process (jiuye.cases.throttle)."""
    __tablename__ = "throttle"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    count: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
