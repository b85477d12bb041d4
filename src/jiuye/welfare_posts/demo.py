"""Demo posts: data/welfare_posts/demo.yaml (invented, marked 演示), published through the service by
the centre or 人社局 of their district. Idempotent: nothing is added when a post exists already."""
from __future__ import annotations

import datetime as dt

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.config import data_dir
from jiuye.welfare_posts import posts
from jiuye.welfare_posts.common import clock
from jiuye.welfare_posts.models import WelfarePost

KEYS = ("district", "unit", "post_type", "title", "place", "places", "duties", "contact")


def load_demo_welfare(s: Session) -> dict:
    if s.scalar(select(WelfarePost.id).limit(1)) is not None:
        return {"loaded": False, "posts": 0}
    raw = yaml.safe_load((data_dir() / "welfare_posts" / "demo.yaml").read_text(encoding="utf-8"))
    n = 0
    for p in raw["posts"]:
        staff = s.scalar(select(User).where(User.username == p["publisher"]))
        if staff is None:
            continue
        start = clock.today() + dt.timedelta(days=int(p["start_in_days"]))
        data = {k: p[k] for k in KEYS}
        data.update(start_on=start.isoformat(), end_on=(start + dt.timedelta(days=int(p["open_days"]))).isoformat())
        posts.publish(s, staff, data, demo=True)
        n += 1
    return {"loaded": True, "posts": n}
