"""打工直通车 end to end through the services, on a frozen clock ($JIUYE_NOW): a station master signs
a herder up for a post → the 24-hour clock starts → staff try, then reach him within 24 h → 身份证号 →
recommended (also a 求职登记 and a 职业介绍 in the market, seen by the employer) → departed → at work →
the 30-day visit (refused before its date) → the station and district tables. And the clock that runs
out: escalation to the district centre by the queue's task (once), a late contact, the share."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.platforms import clock, followup, groups, signups, tables, tasks
from jiuye.platforms.common import CaseError, Conflict, Forbidden, Invalid, NotFound
from platforms_support import WLHT, ZLT, Clock, dagong_db, id_number, post, station, user


@pytest.fixture()
def env(tmp_path, monkeypatch):
    clk = Clock(monkeypatch)
    with dagong_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        yield s, clk


def _outbox(s, **kw):
    from jiuye.market.models import OutboxMessage

    q = select(OutboxMessage)
    for k, v in kw.items():
        q = q.where(getattr(OutboxMessage, k) == v)
    return s.scalars(q).all()


def test_the_whole_path_of_one_herder(env):
    s, clk = env
    master, sq, zx, firm = user(s, "zhanzhang_wlht"), user(s, "sq_wlht"), user(s, "zx_wlht"), user(s, "xingan_food")
    p = post(s)
    start = clk.at
    su, created = signups.create(s, master, posting_id=p.id, name="额尔敦巴特尔", phone="13904821234")
    assert created and su.state == "signed_up" and su.channel == "station_master"
    assert su.station_id == station(s, WLHT).id and su.district == "乌兰浩特市" and su.person_id is None
    # the clock: 24 hours from the sign-up (data/platforms/dagong.yaml, plain hours)
    assert clock.aware(su.due_at) == start + dt.timedelta(hours=24)
    # a receipt text to his phone, through the market's outbox
    assert [m.kind for m in _outbox(s, phone="13904821234")] == ["dagong_signup"]
    # the staff queue shows it with its time left; the station master sees it in their list, masked
    total, rows = signups.queue(s, zx, tab="contact")
    assert total == 1 and rows[0].id == su.id
    v = signups.view(rows[0])
    assert v["name"] == "额****尔" and v["phone"] == "139****1234" and v["time_left"] == "还剩 24 小时 0 分"
    assert signups.queue(s, master, tab="contact")[0] == 1
    assert signups.queue(s, user(s, "zhanzhang_zlt"), tab="contact")[0] == 0

    clk.advance(hours=3)
    followup.contact(s, sq, su.id, result="no_answer", channel="phone", note="无人接听")
    assert su.state == "signed_up" and su.attempts == 1 and su.contacted_at is None
    clk.advance(hours=2)
    followup.contact(s, sq, su.id, result="reached", channel="phone", note="愿意去")
    assert su.state == "contacted" and su.attempts == 2 and clock.aware(su.contacted_at) == start + dt.timedelta(hours=5)
    assert [a.result for a in followup.attempts(s, zx, su.id)] == ["no_answer", "reached"]

    followup.identify(s, sq, su.id, id_number("19880808", "371"))
    assert su.person_id is not None
    su, warning = followup.recommend(s, sq, su.id, note="会开拖拉机")
    assert warning is None and su.state == "recommended" and su.market_application_id is not None
    # the employer sees the recommended worker in the market (职业介绍), without the 身份证号
    from jiuye.market import applications

    apps = applications.for_posting(s, firm, p.id)
    assert [a.id for a in apps] == [su.market_application_id] and apps[0].channel == "recommend"

    followup.depart(s, master, su.id)  # the station master puts him on the bus
    assert su.state == "departed"
    followup.start(s, zx, su.id, started_on=clock.today())
    assert su.state == "working" and su.followup_due_on == clock.today() + dt.timedelta(days=30)
    with pytest.raises(Conflict, match="回访日期未到"):
        followup.visit(s, zx, su.id, still_working=True)
    clk.advance(days=30)
    followup.visit(s, zx, su.id, still_working=True, note="在岗，满意")
    assert su.state == "followed_up" and su.still_working is True

    for who in (zx, master, user(s, "mz")):
        t = tables.compute(s, who)
        assert t["totals"]["signups"] == 1 and t["totals"]["in_time"] == 1 and t["totals"]["in_time_rate"] == 1.0
        assert t["totals"]["placed"] == 1 and t["totals"]["still_working"] == 1 and t["totals"]["retention_rate"] == 1.0
        assert [r["station"] for r in t["by_station"]] == [station(s, WLHT).name]
    assert tables.compute(s, user(s, "zx_zlt"))["totals"]["signups"] == 0
    with pytest.raises(Forbidden):
        tables.compute(s, user(s, "zhangmin"))
    # every step is in the audit trail
    from jiuye.platforms.models import PlatformEvent

    kinds = s.scalars(select(PlatformEvent.kind).where(PlatformEvent.signup_id == su.id).order_by(PlatformEvent.id)).all()
    assert kinds == ["signup_created", "signup_contact", "signup_contact", "signup_identified", "signup_recommended",
                     "signup_departed", "signup_started", "signup_visited"]


def test_a_clock_that_runs_out_goes_to_the_district_centre(env):
    s, clk = env
    p = post(s)
    su, _ = signups.create(s, None, posting_id=p.id, name="包玉山", phone="13904825678", station_code=WLHT)
    assert su.channel == "terminal"
    clk.advance(hours=23, minutes=59)
    assert tasks.escalate_due(s) == 0
    clk.advance(minutes=2)
    assert signups.view(su)["time_left"] == "已超时 1 分钟" and signups.view(su)["overdue"]
    assert tasks.escalate_due(s) == 1
    s.refresh(su)
    assert su.escalated_at is not None and su.state == "signed_up"
    # the centre's staff (旗县市中心 of 乌兰浩特市) are told, once
    zx = user(s, "zx_wlht")
    told = _outbox(s, kind="dagong_escalated")
    assert {m.user_id for m in told} == {zx.id}
    clk.advance(minutes=5)
    assert tasks.escalate_due(s) == 0 and len(_outbox(s, kind="dagong_escalated")) == 1
    # overdue first in the queue, before a newer sign-up
    newer, _ = signups.create(s, None, posting_id=p.id, name="新报名", phone="13904825679", station_code=WLHT)
    assert [r.id for r in signups.queue(s, zx, tab="contact")[1]] == [su.id, newer.id]
    # a late contact counts as contacted, not within 24 h
    followup.contact(s, zx, su.id, result="reached")
    t = tables.compute(s, zx)["totals"]
    assert t["signups"] == 2 and t["decided"] == 1 and t["in_time"] == 0 and t["late"] == 1 and t["escalated"] == 1
    assert t["in_time_rate"] == 0.0 and t["waiting"] == 1


def test_a_sign_up_sent_twice_is_one_sign_up(env):
    s, _clk = env
    p = post(s)
    token = signups.new_token()
    a, made = signups.create(s, None, posting_id=p.id, name="张三", phone="139 0482 1111", client_token=token)
    b, again = signups.create(s, None, posting_id=p.id, name="张三", phone="13904821111", client_token=token)
    assert made and not again and a.id == b.id
    c, again2 = signups.create(s, None, posting_id=p.id, name="张三", phone="13904821111")  # no token: same phone + post
    assert not again2 and c.id == a.id
    assert signups.by_token(s, token).id == a.id


@pytest.mark.parametrize("field,kwargs,message", [
    ("name", {"name": ""}, "请填写姓名"),
    ("name", {"name": "张三13904821111"}, "不应有数字"),
    ("phone", {"phone": ""}, "请填写电话"),
    ("phone", {"phone": "12345"}, "11位手机号"),
    ("posting_id", {"posting_id": "x"}, "请选择要报名的岗位"),
    ("posting_id", {"posting_id": 999999}, "没有这个岗位"),
    ("client_token", {"client_token": "短"}, "表单已失效"),
])
def test_bad_sign_ups_name_the_field(env, field, kwargs, message):
    s, _clk = env
    data = {"posting_id": post(s).id, "name": "张三", "phone": "13904821111", **kwargs}
    with pytest.raises(CaseError, match=message) as exc:
        signups.create(s, None, **data)
    assert exc.value.extra.get("field") == field


def test_a_landline_is_accepted_and_gets_no_text(env):
    s, _clk = env
    su, _ = signups.create(s, None, posting_id=post(s).id, name="李四", phone="0482-8238631")
    assert su.phone == "04828238631" and not _outbox(s, phone="04828238631")


def test_posts_that_are_not_open_are_refused(env):
    s, _clk = env
    from jiuye.market import postings

    unpublished = next(p for p in postings.list_for(s, user(s, "zx_wlht")) if p.state != "published")
    with pytest.raises(NotFound, match="没有这个岗位"):
        signups.create(s, None, posting_id=unpublished.id, name="张三", phone="13904821111")


def test_a_station_master_signs_up_only_at_their_station(env):
    s, _clk = env
    zl = station(s, ZLT)
    with pytest.raises(Forbidden, match="本工作站"):
        signups.create(s, user(s, "zhanzhang_wlht"), posting_id=post(s).id, name="张三", phone="13904821111",
                       station_id=zl.id)
    with pytest.raises(Forbidden, match="管理员"):
        signups.create(s, user(s, "admin"), posting_id=post(s).id, name="张三", phone="13904821111")


def test_an_inactive_station_takes_no_sign_up(env):
    s, _clk = env
    from jiuye.platforms import stations

    wl = station(s, WLHT)
    stations.update(s, user(s, "zx_wlht"), wl.id, {}, active=False)
    with pytest.raises(Forbidden, match="停用"):
        signups.create(s, None, posting_id=post(s).id, name="张三", phone="13904821111", station_code=WLHT)


def test_a_group_goes_by_bus(env):
    s, clk = env
    master, zx = user(s, "zhanzhang_zlt"), user(s, "zx_zlt")
    p = post(s, "养殖场饲养员", "扎赉特旗")
    leave = (clk.at + dt.timedelta(days=1)).astimezone(clock.BEIJING).replace(tzinfo=None)
    g = groups.create(s, master, station_id=None, posting_id=p.id, size=2, departure_at=leave,
                      departure_place="音德尔镇政府门前", escort_name="王站长", escort_phone="13904829003",
                      contact_name="合作社李经理", contact_phone="13904829120")
    a, _ = groups.add_member(s, master, g.id, name="白音", phone="13904829111")
    b, _ = groups.add_member(s, master, g.id, name="孟和", phone="13904829112")
    with pytest.raises(Conflict, match="计划人数"):
        groups.add_member(s, master, g.id, name="第三人", phone="13904829113")
    assert a.group_id == g.id and a.district == "扎赉特旗" and clock.aware(a.due_at) == clk.at + dt.timedelta(hours=24)
    followup.contact(s, zx, a.id, result="reached")
    followup.recommend(s, zx, a.id, to_market=False)
    clk.advance(days=1)
    out = groups.depart(s, master, g.id)
    assert out == {"departed": [a.id], "not_departed": [b.id]}
    s.refresh(a), s.refresh(b)
    assert a.state == "departed" and b.state == "signed_up" and g.state == "departed"
    with pytest.raises(Forbidden, match="已出发"):
        groups.cancel(s, master, g.id)
    v = groups.view(s, g, with_members=True)
    assert v["escort_phone"] == "139****9003" and v["member_count"] == 2
    with pytest.raises(NotFound):
        groups.load(s, user(s, "zhanzhang_wlht"), g.id)


def test_recommend_without_an_id_number_stays_in_the_platform(env):
    s, _clk = env
    zx = user(s, "zx_wlht")
    su, _ = signups.create(s, None, posting_id=post(s).id, name="张三", phone="13904821111", station_code=WLHT)
    with pytest.raises(Forbidden, match="先联系上"):
        followup.recommend(s, zx, su.id)
    followup.contact(s, zx, su.id, result="reached")
    su, warning = followup.recommend(s, zx, su.id)
    assert su.state == "recommended" and su.market_application_id is None and "身份证号" in warning


def test_bad_id_number_is_refused(env):
    s, _clk = env
    zx = user(s, "zx_wlht")
    su, _ = signups.create(s, None, posting_id=post(s).id, name="张三", phone="13904821111", station_code=WLHT)
    bad = id_number()[:-1] + ("0" if id_number()[-1] != "0" else "1")
    with pytest.raises(Invalid, match="身份证号无效") as exc:
        followup.identify(s, zx, su.id, bad)
    assert exc.value.extra["field"] == "id_number" and bad not in str(exc.value)


def test_close_and_withdraw(env):
    s, _clk = env
    zx, master = user(s, "zx_wlht"), user(s, "zhanzhang_wlht")
    a, _ = signups.create(s, master, posting_id=post(s).id, name="张三", phone="13904821111")
    followup.withdraw(s, master, a.id, note="本人改主意")
    assert a.state == "closed" and a.close_reason == "declined"
    b, _ = signups.create(s, master, posting_id=post(s).id, name="李四", phone="13904821112")
    followup.contact(s, zx, b.id, result="reached")
    with pytest.raises(Forbidden, match="客服已经联系过"):
        followup.withdraw(s, master, b.id)
    with pytest.raises(Invalid, match="请写明"):
        followup.close(s, zx, b.id, reason="other")
    followup.close(s, zx, b.id, reason="not_suitable")
    assert b.state == "closed"
    with pytest.raises(Forbidden, match="已结束"):
        followup.contact(s, zx, b.id, result="reached")
