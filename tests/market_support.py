"""Shared set-up of the market tests: a fresh SQLite database with the cases' demo accounts, and
helpers to fetch users and make posts in a given state through the services."""
from __future__ import annotations

import contextlib
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases_support import configured
from jiuye.cases.models import User
from jiuye.cases.security import credit_code_with_check

POST = {"title": "食品包装工", "places": 3, "district": "乌兰浩特市", "wage_min": 3200, "wage_max": 3800,
        "social_insurance": True, "duties": "包装、装箱", "contact": "人事部 0482-0000001"}


@contextlib.contextmanager
def market_db(tmp_path, url: str | None = None):
    """(engine) of a migrated database with the cases' demo accounts (no demo market)."""
    with configured(url or f"sqlite:///{tmp_path / 'market.sqlite3'}", tmp_path, demo=True) as engine:
        yield engine


def user(s: Session, username: str | None) -> User | None:
    return None if username is None else s.scalar(select(User).where(User.username == username))


def ensure_employers(s: Session) -> None:
    """xingan_food (乌兰浩特市) as an employer, and a second employer in 扎赉特旗 (other_firm)."""
    from jiuye.market import employers

    if employers.employer_for(s, user(s, "xingan_food")) is None:
        employers.register(s, user(s, "xingan_food"), kind="employer", contact_name="王经理", phone="13800000001")
    if user(s, "other_firm") is None:
        employers.register_with_account(s, credit_code=credit_code_with_check("91152223MA0TEXT01"), name="扎赉特旗测试公司",
                                        district="扎赉特旗", username="other_firm", password="jiuye-demo",
                                        phone="13800000002", staff=user(s, "zx_zlt"))


def post_in_state(s: Session, state: str, **extra):
    """A post of xingan_food in 乌兰浩特市 in `state`, made through the services."""
    from jiuye.market import postings

    firm, zx = user(s, "xingan_food"), user(s, "zx_wlht")
    p = postings.create(s, firm, {**POST, **extra}, submit=state != "draft")
    if state in ("draft", "pending"):
        return p
    if state == "returned":
        return postings.review_post(s, zx, p.id, "return", "请补充工作时间")
    postings.review_post(s, zx, p.id, "approve", "已核对")
    if state == "withdrawn":
        return postings.withdraw(s, firm, p.id, "已招到人")
    if state in ("expired", "filled"):
        postings._end(s, None, p, state, "测试")
        s.commit()
    return p


def today() -> dt.date:
    from jiuye.config import today as t

    return t()


class RecordingSender:
    """A fake SMS provider: records what it was asked to send."""
    name = "recording"
    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        RecordingSender.sent.append((phone, text))


def recording_sender() -> RecordingSender:
    """The factory $JIUYE_SMS_SENDER names in the tests ("market_support:recording_sender")."""
    return RecordingSender()
