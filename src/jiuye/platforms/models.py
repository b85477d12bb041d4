"""The tables of 打工直通车 (SQLAlchemy 2), on the cases' metadata: one database, one Alembic chain
(`jiuye/store/migrations/versions/0006_platforms.py` makes them; a test compares the two).

- `dagong_stations`: the registry of 打工直通车工作站 (苏木镇/嘎查, station master, phone, terminal), loaded
  from data/platforms/stations.yaml and edited by the centre; `master_user_id` is the station master's
  account (role `station_master`).
- `dagong_signups`: one sign-up of one worker for one post: name and phone only (the 身份证号, when staff
  have asked for it, is in `people`); its 24-hour follow-up clock (`due_at`, `contacted_at`,
  `escalated_at`) and its path 报名 → 已联系 → 已推荐 → 已出发 / 已上岗 → 30 天在岗回访.
- `dagong_contacts`: every contact attempt (who, when, how, the result).
- `dagong_groups`: a group sign-up (a station sends a bus of workers to one employer).
- `dagong_events`: the audit trail, append-only by convention.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jiuye.store.base import Base, utcnow

TS = DateTime(timezone=True)


class Station(Base):
    __tablename__ = "dagong_stations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # the data file's key
    name: Mapped[str] = mapped_column(String(100))
    district: Mapped[str] = mapped_column(String(20), index=True)  # 旗县市, or 兴安盟 (盟本级总站)
    town: Mapped[str | None] = mapped_column(String(50))  # 苏木镇/街道
    village: Mapped[str | None] = mapped_column(String(50))  # 嘎查/村/社区
    master_name: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    terminal: Mapped[str | None] = mapped_column(String(100))  # 直通车终端设备 (its description or number)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)  # an invented station for the demo
    sources: Mapped[list] = mapped_column(JSON, default=list)  # [{document, section, quote}] or [] for demo
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    master_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class Group(Base):
    __tablename__ = "dagong_groups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("dagong_stations.id"), index=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("market_postings.id"), index=True)
    posting_title: Mapped[str] = mapped_column(String(100))
    employer_name: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)  # planned number of workers
    departure_at: Mapped[dt.datetime] = mapped_column(TS)
    departure_place: Mapped[str] = mapped_column(String(100))
    escort_name: Mapped[str] = mapped_column(String(50))  # 带队人
    escort_phone: Mapped[str] = mapped_column(String(20))
    contact_name: Mapped[str | None] = mapped_column(String(50))  # the employer's contact on arrival
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), index=True)  # planned | departed | cancelled
    departed_at: Mapped[dt.datetime | None] = mapped_column(TS)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    station: Mapped[Station] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Signup(Base):
    __tablename__ = "dagong_signups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("dagong_stations.id"), index=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("market_postings.id"), index=True)
    posting_title: Mapped[str] = mapped_column(String(100))  # as it was at sign-up
    employer_name: Mapped[str | None] = mapped_column(String(100))
    district: Mapped[str] = mapped_column(String(20))  # whose centre follows it up (escalation goes there)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)  # once staff have the 身份证号
    channel: Mapped[str] = mapped_column(String(20))  # terminal | online | station_master
    client_token: Mapped[str | None] = mapped_column(String(64), unique=True)  # one sign-up per form sent
    note: Mapped[str | None] = mapped_column(Text)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("dagong_groups.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # a station master's account
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    due_at: Mapped[dt.datetime] = mapped_column(TS)  # the end of the follow-up clock
    contacted_at: Mapped[dt.datetime | None] = mapped_column(TS)  # the first contact that reached them
    escalated_at: Mapped[dt.datetime | None] = mapped_column(TS)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    recommended_at: Mapped[dt.datetime | None] = mapped_column(TS)
    recommended_posting_id: Mapped[int | None] = mapped_column(ForeignKey("market_postings.id"))
    market_seeker_id: Mapped[int | None] = mapped_column(Integer)  # the 求职登记 made for them (jiuye.market)
    market_application_id: Mapped[int | None] = mapped_column(Integer)  # the 职业介绍 to the post
    departed_at: Mapped[dt.datetime | None] = mapped_column(TS)
    started_on: Mapped[dt.date | None] = mapped_column(Date)  # 上岗日期
    followup_due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    followed_up_at: Mapped[dt.datetime | None] = mapped_column(TS)
    still_working: Mapped[bool | None] = mapped_column(Boolean)
    close_reason: Mapped[str | None] = mapped_column(String(20))
    closed_at: Mapped[dt.datetime | None] = mapped_column(TS)
    outcome_note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    station: Mapped[Station | None] = relationship()
    group: Mapped[Group | None] = relationship()

    __table_args__ = (Index("ix_dagong_signups_queue", "district", "state", "due_at"),
                      Index("ix_dagong_signups_clock", "state", "due_at"))
    __mapper_args__ = {"version_id_col": version}


class ContactAttempt(Base):
    __tablename__ = "dagong_contacts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signup_id: Mapped[int] = mapped_column(ForeignKey("dagong_signups.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(12))  # phone | sms | wechat | visit
    result: Mapped[str] = mapped_column(String(16))  # see data/platforms/dagong.yaml contact_results
    note: Mapped[str | None] = mapped_column(Text)


class PlatformEvent(Base):
    __tablename__ = "dagong_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(20))  # a role code, "anonymous" or "system"
    kind: Mapped[str] = mapped_column(String(30), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("dagong_stations.id"), index=True)
    signup_id: Mapped[int | None] = mapped_column(ForeignKey("dagong_signups.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("dagong_groups.id"), index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)
