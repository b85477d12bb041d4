"""A small live demo of 零工市场 for `make serve` and `jiuye gig demo`: availabilities of the demo
citizens, jobs of the demo employer and of a household, one match worked and paid, one match the
worker reported unpaid (a wage-arrears case waiting at the 乌兰浩特市 centre) — made through the
services, so the cases, the outbox and the table are real.

Everything is invented and marked （演示）. Idempotent: nothing is added when a job exists, or when the
demo accounts are missing (a production database).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.gig import matches, posts
from jiuye.gig.common import today
from jiuye.gig.models import GigJob


def _user(s: Session, username: str) -> User | None:
    return s.scalar(select(User).where(User.username == username))


def load_demo_gig(s: Session) -> dict:
    names = ("zhangmin", "liqiang", "xingan_food", "zx_wlht")
    users = {n: _user(s, n) for n in names}
    if any(u is None for u in users.values()):
        return {"loaded": False, "reason": "演示账号不存在：未加载零工市场演示数据"}
    if s.scalar(select(func.count()).select_from(GigJob)):
        return {"loaded": False, "reason": "已有零工信息：未加载零工市场演示数据"}
    d = lambda n: (today() + dt.timedelta(days=n)).isoformat()  # noqa: E731
    zhang, li, firm = users["zhangmin"], users["liqiang"], users["xingan_food"]
    w1 = posts.post_availability(s, zhang, {"name": "张敏（演示）", "occupation": "瓦工", "district": "乌兰浩特市",
                                            "town": "爱国街道", "available_from": d(1), "available_to": d(10),
                                            "daily_rate": "200", "phone": "13900000101"})
    posts.post_availability(s, li, {"name": "李强（演示）", "occupation": "保洁", "district": "扎赉特旗", "town": "音德尔镇",
                                    "available_from": d(1), "available_to": d(7), "daily_rate": "150",
                                    "phone": "13900000102"})
    common = {"district": "乌兰浩特市", "town": "爱国街道", "phone": "13900000103", "pay_type": "day"}
    j_paid = posts.post_job(s, firm, {**common, "title": "厂区围墙修补（演示）", "occupation": "瓦工", "start_on": d(1),
                                      "end_on": d(2), "pay": "230", "people_needed": "1"})
    j_unpaid = posts.post_job(s, firm, {**common, "title": "仓库砌隔墙（演示）", "occupation": "瓦工", "start_on": d(3),
                                        "end_on": d(4), "pay": "220", "people_needed": "1"})
    posts.post_job(s, firm, {**common, "title": "仓库装卸（演示）", "occupation": "搬运", "start_on": d(2), "end_on": d(2),
                             "pay": "180", "people_needed": "3"})
    posts.post_job(s, li, {"title": "家里院子砌花池（演示）", "occupation": "瓦工", "district": "乌兰浩特市", "town": "胜利街道",
                           "start_on": d(5), "end_on": d(5), "pay_type": "piece", "pay": "3", "piece_unit": "米",
                           "people_needed": "1", "phone": "13900000104"})
    posts.post_job(s, li, {"title": "店铺开业前保洁（演示）", "occupation": "保洁", "district": "扎赉特旗", "town": "音德尔镇",
                           "start_on": d(2), "end_on": d(2), "pay": "160", "people_needed": "2", "phone": "13900000104"})
    m1 = matches.apply(s, zhang, j_paid.id, w1.id)
    for who, act in ((firm, "accept"), (zhang, "worked"), (firm, "worked"), (firm, "paid"), (zhang, "paid")):
        matches.act(s, who, m1.id, act)
    m2 = matches.invite(s, firm, j_unpaid.id, w1.id)
    for who, act in ((zhang, "accept"), (zhang, "worked"), (firm, "worked")):
        matches.act(s, who, m2.id, act)
    matches.act(s, zhang, m2.id, "unpaid", note="演示：干完两天，雇主说月底再给")
    return {"loaded": True, "jobs": 5, "workers": 2, "matches": 2}
