"""Demo data: the providers and courses of data/training/demo.yaml (invented ones marked 演示), each
provider with an account (password: the demo password), approved by the centre of its district."""
from __future__ import annotations

import datetime as dt

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.demo import DEMO_PASSWORD
from jiuye.cases.models import User
from jiuye.config import data_dir
from jiuye.training import courses, providers
from jiuye.training.common import clock
from jiuye.training.models import Provider

CENTRE_OF = {"兴安盟": "mz", "乌兰浩特市": "zx_wlht", "扎赉特旗": "zx_zlt"}


def load_demo_training(s: Session) -> dict:
    if s.scalar(select(Provider.id).limit(1)) is not None:
        return {"loaded": False, "providers": 0, "courses": 0}
    raw = yaml.safe_load((data_dir() / "training" / "demo.yaml").read_text(encoding="utf-8"))
    made: dict[str, Provider] = {}
    for p in raw["providers"]:
        staff = s.scalar(select(User).where(User.username == CENTRE_OF[p["district"]]))
        row = providers.register(s, staff, p, username=p["username"], password=DEMO_PASSWORD, demo=p.get("demo", True))
        providers.decide(s, staff, row.id, "approve", "演示数据")
        made[p["name"]] = row
    n = 0
    for c in raw["courses"]:
        p = made[c["provider"]]
        user = s.get(User, p.user_id)
        start = clock.today() + dt.timedelta(days=int(c["start_in_days"]))
        data = {k: v for k, v in c.items() if k not in ("provider", "start_in_days")}
        data.update(start_on=start.isoformat(), end_on=(start + dt.timedelta(days=int(c["days"]) - 1)).isoformat())
        courses.publish(s, user, data)
        n += 1
    return {"loaded": True, "providers": len(made), "courses": n}
