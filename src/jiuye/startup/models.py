"""The tables of 创业服务 (SQLAlchemy 2), on the shared metadata (migration 0010_startup).

- `startup_projects`: a project submitted to the 创业项目库 by its owner (an applicant account) or by
  staff for them; draft → submitted → published / returned (with a reason) → withdrawn.
- `startup_interests`: a founder's interest in a published project; staff follow up before `due_at`.
- `startup_applications`: an application to enter a 孵化基地 (the base is a key of
  data/incubation_bases.yaml); submitted → reviewing → admitted / refused.
- `startup_reviews`: one reviewer assigned to one application: the conflict-of-interest declaration,
  then a score and a comment (a reviewer who declares a conflict cannot score).
- `startup_tenancies`: a tenancy in a base: entry, planned end (≤ 3 years), exit, jobs created.
- `startup_events`: the audit trail.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.store.base import Base, utcnow

TS = DateTime(timezone=True)


class Project(Base):
    __tablename__ = "startup_projects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(60))
    mode: Mapped[str] = mapped_column(String(30))  # data/startup/startup.yaml › modes
    sector: Mapped[str] = mapped_column(String(30), index=True)  # › sectors
    district: Mapped[str] = mapped_column(String(20), index=True)
    place: Mapped[str] = mapped_column(String(100))
    investment_yuan: Mapped[int] = mapped_column(Integer, index=True)
    offer: Mapped[str] = mapped_column(Text)  # what the owner offers (技术、品牌、货源、培训 …)
    description: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str] = mapped_column(String(30))
    contact_phone: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(12), index=True)
    return_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[dt.datetime | None] = mapped_column(TS)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class Interest(Base):
    __tablename__ = "startup_interests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("startup_projects.id"), index=True)
    founder_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    phone: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), index=True)  # open | contacted | closed
    due_at: Mapped[dt.datetime] = mapped_column(TS, index=True)
    contacted_at: Mapped[dt.datetime | None] = mapped_column(TS)
    reminded_at: Mapped[dt.datetime | None] = mapped_column(TS)
    result: Mapped[str | None] = mapped_column(Text)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)


class Application(Base):
    __tablename__ = "startup_applications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    founder_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    base_key: Mapped[str] = mapped_column(String(40), index=True)
    district: Mapped[str] = mapped_column(String(20), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("startup_projects.id"))
    business_name: Mapped[str] = mapped_column(String(60))
    plan_summary: Mapped[str] = mapped_column(Text)
    plan_file: Mapped[str | None] = mapped_column(String(200))  # stored name of the uploaded 创业计划书
    has_employment_card: Mapped[bool] = mapped_column(Boolean, default=False)
    has_training_certificate: Mapped[bool] = mapped_column(Boolean, default=False)
    first_business: Mapped[bool] = mapped_column(Boolean, default=True)
    business_registration_date: Mapped[dt.date | None] = mapped_column(Date)
    planned_jobs: Mapped[int] = mapped_column(Integer, default=0)
    months_requested: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), index=True)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class Review(Base):
    __tablename__ = "startup_reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("startup_applications.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    conflict: Mapped[bool | None] = mapped_column(Boolean)  # None: not declared yet
    conflict_note: Mapped[str | None] = mapped_column(Text)
    declared_at: Mapped[dt.datetime | None] = mapped_column(TS)
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    scored_at: Mapped[dt.datetime | None] = mapped_column(TS)


class Tenancy(Base):
    __tablename__ = "startup_tenancies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("startup_applications.id"), unique=True)
    founder_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    base_key: Mapped[str] = mapped_column(String(40), index=True)
    entered_on: Mapped[dt.date] = mapped_column(Date)
    planned_exit_on: Mapped[dt.date] = mapped_column(Date)
    exited_on: Mapped[dt.date | None] = mapped_column(Date)
    exit_kind: Mapped[str | None] = mapped_column(String(12))  # graduated | left
    jobs_created: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)


class StartupEvent(Base):
    __tablename__ = "startup_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30))
    project_id: Mapped[int | None] = mapped_column(Integer, index=True)
    application_id: Mapped[int | None] = mapped_column(Integer, index=True)
    data: Mapped[dict | None] = mapped_column(JSON)
