"""Shared set-up of the 零工市场 tests: a migrated database with the cases' demo accounts
(zhangmin: a worker in 乌兰浩特市; xingan_food: an employer there; liqiang: a person in 扎赉特旗),
and helpers that post through the services."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from market_support import market_db, user  # noqa: F401

W, Z = "乌兰浩特市", "扎赉特旗"


def day(n: int = 1) -> str:
    from jiuye.gig.common import today

    return (today() + dt.timedelta(days=n)).isoformat()


def availability(s: Session, username: str = "zhangmin", **extra):
    from jiuye.gig import posts

    data = {"occupation": "瓦工", "district": W, "town": "爱国街道", "available_from": day(1), "available_to": day(5),
            "daily_rate": "200", "phone": "13900000011", **extra}
    return posts.post_availability(s, user(s, username), data)


def job(s: Session, username: str = "xingan_food", **extra):
    from jiuye.gig import posts

    data = {"title": "砌院墙", "occupation": "瓦工", "district": W, "town": "爱国街道", "start_on": day(2),
            "end_on": day(3), "pay_type": "day", "pay": "220", "people_needed": "1", "phone": "13900000022", **extra}
    return posts.post_job(s, user(s, username), data)
