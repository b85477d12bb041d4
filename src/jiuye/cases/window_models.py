"""Tables of filing at the window (issue 17, item 2), on the shared metadata; made by migration
`0012_window` (a test compares the two).

- `window_filings`: one row per case filed by staff at a window: the materials ticked as received
  and those missing (the 一次性告知书 lists the latter), who filed it, where, and the receipt number.
- `employment_cards`: the 《就业创业证》 number recorded for a person. 000 says a worker holds one card
  with a unique number that does not change when the card is replaced ("劳动者只能持一本《就业创业证》
  并使用唯一的编号。更换、补发《就业创业证》时，编号不得变更。"), so a person has at most one number
  and a number belongs to one person; a card presented later must carry the recorded number.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.store.base import Base, utcnow

TS = DateTime(timezone=True)


class WindowFiling(Base):
    __tablename__ = "window_filings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    received: Mapped[list] = mapped_column(JSON)  # material names, as in the procedure's checklist
    missing: Mapped[list] = mapped_column(JSON)
    not_applicable: Mapped[list] = mapped_column(JSON)  # conditional items that do not apply to this applicant
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)


class EmploymentCard(Base):
    __tablename__ = "employment_cards"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), unique=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
