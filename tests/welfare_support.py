"""Shared set-up of the 公益性岗位 tests: a migrated database with the cases' demo accounts, a clock
(`Day`, from training_support), a citizen with a 身份证号, a post published by the centre, and a walk
of the citizen's case to the placement step through the cases service."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from market_support import market_db, user  # noqa: F401
from training_support import Day, id_number, learner  # noqa: F401

POST = {"district": "乌兰浩特市", "unit": "和平街道办事处（演示）", "post_type": "community_service", "title": "社区保洁员",
        "place": "和平街道新城社区", "places": 2, "duties": "社区公共区域保洁", "contact": "0482-8231990"}
CERTIFIED = {"hard_to_employ_certified": True}


def publish(s: Session, staff: str = "zx_wlht", **extra):
    from jiuye.platforms import clock
    from jiuye.welfare_posts import posts

    today = clock.today()
    data = {**POST, "start_on": today.isoformat(), "end_on": (today + dt.timedelta(days=60)).isoformat(), **extra}
    return posts.publish(s, user(s, staff), data)


def citizen(s: Session, name: str, birth: str = "19800301", seq: str = "113"):
    return learner(s, name, birth=birth, seq=seq)


def to_placement(s: Session, case_id: int, staff: str = "zx_wlht") -> None:
    """受理 → 审核通过 (the steps before placement), as the centre."""
    from jiuye.cases import service

    zx = user(s, staff)
    service.transition(s, zx, case_id, "review")
    service.transition(s, zx, case_id, "placement")


def signed_up_and_ready(s: Session, post_id: int, name: str, **kw):
    from jiuye.welfare_posts import signups

    row = signups.signup(s, citizen(s, name, **kw), post_id, groups=CERTIFIED)
    to_placement(s, row.case_id)
    return row
