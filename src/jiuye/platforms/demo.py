"""A small live demo of 打工直通车 for `make serve` and `jiuye dagong demo`: the stations of
data/platforms/stations.yaml (the 盟本级总站 and the stations marked 演示), two station master accounts
(`zhanzhang_wlht`, `zhanzhang_zlt`, password jiuye-demo) and a few sign-ups at each step — made
through the services, so the clocks, the audit trail and the tables are real. One sign-up is put
30 hours into the past (its clock has run out: the queue shows it overdue and escalated).

Everything is invented and marked （演示）. Idempotent: nothing is added when stations exist, or when
the demo accounts or the demo market are missing (a production database).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.demo import DEMO_PASSWORD, demo_id
from jiuye.cases.models import User
from jiuye.platforms import clock, followup, groups, signups, stations, tasks
from jiuye.platforms.models import Signup, Station

MASTERS = {"DEMO-WLHT-GGM": "zhanzhang_wlht", "DEMO-ZLTQ-YDE": "zhanzhang_zlt"}


def _user(s: Session, username: str) -> User | None:
    return s.scalar(select(User).where(User.username == username))


def _post(s: Session, title: str, district: str):
    from jiuye.market import postings

    _total, rows = postings.search(s, district=district, limit=100)
    return next((p for p in rows if p.title == title), None)


def load_demo_platforms(s: Session) -> dict:
    if _user(s, "zx_wlht") is None or _user(s, "mz") is None:
        return {"loaded": False, "reason": "演示账号不存在：未加载打工直通车演示数据"}
    if s.scalar(select(func.count()).select_from(Station)):
        return {"loaded": False, "reason": "已有工作站：未加载打工直通车演示数据"}
    packer, driver = _post(s, "食品包装工", "乌兰浩特市"), _post(s, "养殖场饲养员", "扎赉特旗")
    if packer is None or driver is None:
        return {"loaded": False, "reason": "演示岗位不存在：未加载打工直通车演示数据"}
    stations.sync_from_file(s, include_demo=True)
    by_code = {st.code: st for st in s.scalars(select(Station)).all()}
    staff = {"乌兰浩特市": _user(s, "zx_wlht"), "扎赉特旗": _user(s, "zx_zlt")}
    masters = {}
    for code, username in MASTERS.items():
        st = by_code[code]
        masters[code] = stations.open_master_account(s, staff[st.district], st.id, username=username,
                                                     password=DEMO_PASSWORD, phone=st.phone)
    wl, zl = by_code["DEMO-WLHT-GGM"], by_code["DEMO-ZLTQ-YDE"]
    m_wl, m_zl = masters["DEMO-WLHT-GGM"], masters["DEMO-ZLTQ-YDE"]
    sq = _user(s, "sq_wlht")
    # 1. fresh: a herder signed up by the station master of 葛根庙镇 (clock running)
    signups.create(s, m_wl, posting_id=packer.id, name="额尔敦（演示）", phone="13904829101", note="会开拖拉机（演示）")
    # 2. a sign-up whose clock ran out 6 hours ago with nobody reaching him: escalated by the queue's task
    late, _ = signups.create(s, None, posting_id=packer.id, name="包玉山（演示）", phone="13904829102",
                             station_code="DEMO-WLHT-GGM")
    late = s.get(Signup, late.id)
    late.created_at -= dt.timedelta(hours=30)
    late.due_at -= dt.timedelta(hours=30)
    s.commit()
    tasks.escalate_due(s)
    # 3. contacted, then recommended (身份证号 taken by phone: registered and recommended in the market too)
    third, _ = signups.create(s, m_wl, posting_id=packer.id, name="乌云（演示）", phone="13904829103")
    followup.contact(s, sq, third.id, result="no_answer", note="第一次未接（演示）")
    followup.contact(s, sq, third.id, result="reached", note="愿意去，下周可出发（演示）")
    followup.identify(s, sq, third.id, demo_id("152201", "19920615", "428"))
    followup.recommend(s, sq, third.id, note="打工直通车推荐（演示）")
    # 4. a group of 扎赉特旗 workers for the 养殖场: two signed up, one recommended and at work
    zx = staff["扎赉特旗"]
    g = groups.create(s, m_zl, station_id=zl.id, posting_id=driver.id, size=4,
                      departure_at=(clock.now() + dt.timedelta(days=2)).astimezone(clock.BEIJING).replace(tzinfo=None),
                      departure_place="音德尔镇政府门前（演示）", escort_name="王站长（演示）", escort_phone="13904829003",
                      contact_name="合作社联系人（演示）", contact_phone="13904829120")
    a, _ = groups.add_member(s, m_zl, g.id, name="白音（演示）", phone="13904829111")
    groups.add_member(s, m_zl, g.id, name="孟和（演示）", phone="13904829112")
    followup.contact(s, zx, a.id, result="reached")
    followup.recommend(s, zx, a.id, to_market=False)
    followup.start(s, zx, a.id, started_on=clock.today())
    return {"loaded": True, "password": DEMO_PASSWORD, "stations": len(by_code),
            "accounts": [{"username": u, "role": "station_master", "station": code} for code, u in MASTERS.items()]}
