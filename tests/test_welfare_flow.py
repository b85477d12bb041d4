"""公益性岗位 through the services: publishing (validated, Chinese messages naming the field), the list
of open posts with places, 报名 with the screening verdict (an ineligible person is refused with the
reasons), placement through the case step (one place each, the post closes when full), the term
(三年, or to retirement) and the monthly subsidy records that stop at its end."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from welfare_support import CERTIFIED, Day, citizen, market_db, publish, signed_up_and_ready, to_placement, user


@pytest.fixture()
def env(tmp_path, monkeypatch):
    day = Day(monkeypatch)
    with market_db(tmp_path) as engine:
        with Session(engine, expire_on_commit=False) as s:
            yield s, day


@pytest.mark.parametrize("field,value,words", [
    ("places", "0", "招收人数"), ("places", "abc", "招收人数"), ("places", "100000", "招收人数"),
    ("post_type", "nope", "岗位类别"), ("district", "北京", "所在旗县市"), ("title", "", "岗位名称"),
    ("unit", "单" * 200, "用人单位"), ("end_on", "2026-13-40", "招收截止日期"), ("start_on", "", "招收开始日期"),
    ("end_on", "2020-01-01", "招收截止日期"), ("contact", "", "联系方式"), ("place", "  ", "工作地点"),
])
def test_publish_refuses_bad_fields_naming_them(env, field, value, words):
    from jiuye.welfare_posts.common import Invalid

    s, _ = env
    with pytest.raises(Invalid) as exc:
        publish(s, **{field: value})
    assert exc.value.extra["field"] == field and words in str(exc.value)


def test_only_the_districts_centre_or_hrss_publishes(env):
    from jiuye.welfare_posts.common import Forbidden

    s, _ = env
    for who in ("sq_wlht", "jd_wlht", "czj_wlht", "zx_zlt", "mz", "admin", "zhangmin"):
        with pytest.raises(Forbidden):
            publish(s, staff=who)
    assert publish(s, staff="rsj_wlht").state == "open"
    assert publish(s, staff="mz", district="兴安盟").district == "兴安盟"


def test_signup_placement_fill_and_subsidy_months(env):
    from jiuye.cases import service
    from jiuye.welfare_posts import placement, posts, signups
    from jiuye.welfare_posts.common import Conflict, Forbidden, Invalid

    s, day = env
    p = publish(s)
    total, rows = posts.search(s)
    assert [r.id for r in rows] == [p.id] and total == 1
    a = signed_up_and_ready(s, p.id, "wa")
    assert a.verdict["status"] == "eligible" and any("就业困难人员" in r["text"] for r in a.verdict["reasons"])
    b = signed_up_and_ready(s, p.id, "wb", seq="133")
    c = signed_up_and_ready(s, p.id, "wc", seq="153")
    zx = user(s, "zx_wlht")
    placement.place(s, zx, a.id)
    s.refresh(p)
    assert (p.filled, p.state) == (1, "open")
    placement.place(s, zx, b.id)
    s.refresh(p)
    assert (p.filled, p.state) == (2, "filled")
    assert posts.search(s)[0] == 0  # no place left: not listed
    with pytest.raises(Forbidden):  # a filled post: the centre may not place (access)
        placement.place(s, zx, c.id)
    with pytest.raises(Conflict):  # nor through the case page: the step is refused and rolled back
        service.transition(s, zx, c.case_id, "on_post", comment="安排上岗")
    s.expire_all()
    assert p.filled == 2 and service.load_case(s, zx, c.case_id).state == "placement"
    # the placed person's term: born 1980-03, far from retirement -> 36 months
    s.refresh(a)
    assert a.state == "placed" and a.term_months == 36
    assert a.term_ends_on == dt.date(2029, 3, 2)
    # a month recorded: 2026-03 (the minimum wage class of 乌兰浩特市 from 2025-12-01 is not given)
    m = placement.record_month(s, zx, a.id, "2026-03")
    assert m.wage_fen is None
    with pytest.raises(Conflict):
        placement.record_month(s, zx, a.id, "2026-03")
    for bad in ("2026-02", "2026-13", "三月", "2026-04"):
        with pytest.raises(Invalid) as exc:
            placement.record_month(s, zx, a.id, bad)
        assert exc.value.extra["field"] == "month"
    day.go(days=365 * 3 + 30)
    with pytest.raises(Invalid) as exc:
        placement.record_month(s, zx, a.id, "2029-04")
    assert "使用期限" in str(exc.value) and "2029-03-02" in str(exc.value)
    placement.record_month(s, zx, a.id, "2029-03")  # the month the term ends in: still paid
    # the case history has the monthly steps (第 n 次发放)
    events = service.case_detail(s, zx, service.load_case(s, zx, a.case_id))["events"]
    assert sum(1 for e in events if e["from_state"] == "on_post" and e["to_state"] == "on_post") == 2


def test_ineligible_person_is_told_why(env):
    from jiuye.welfare_posts import signups
    from jiuye.welfare_posts.common import Invalid

    s, _ = env
    p = publish(s)
    u = citizen(s, "nope")
    with pytest.raises(Invalid) as exc:
        signups.signup(s, u, p.id, groups={"hard_to_employ_certified": False})
    assert "不符合" in str(exc.value) and "就业困难人员" in str(exc.value)
    with pytest.raises(Invalid) as exc:
        signups.signup(s, u, p.id, groups={})
    assert exc.value.extra["field"] == "groups.hard_to_employ_certified"
    assert signups.mine(s, u) == []


def test_second_signup_joins_the_open_case(env):
    from jiuye.welfare_posts import signups

    s, _ = env
    p1, p2 = publish(s), publish(s, title="交通协管员", post_type="public_management")
    u = citizen(s, "two")
    a = signups.signup(s, u, p1.id, groups=CERTIFIED)
    b = signups.signup(s, u, p2.id, groups=CERTIFIED)
    assert a.case_id == b.case_id


def test_other_district_while_a_case_is_open_is_refused_and_withdrawal_ends_the_signups(env):
    from jiuye.cases import service
    from jiuye.welfare_posts import signups
    from jiuye.welfare_posts.common import Conflict

    s, _ = env
    here, there = publish(s), publish(s, staff="zx_zlt", district="扎赉特旗", title="门卫")
    u = citizen(s, "movers")
    a = signups.signup(s, u, here.id, groups=CERTIFIED)
    with pytest.raises(Conflict) as exc:
        signups.signup(s, u, there.id, groups=CERTIFIED)
    assert "乌兰浩特市" in str(exc.value) and str(a.case_id) in str(exc.value)
    service.transition(s, u, a.case_id, "withdrawn")
    s.refresh(a)
    assert a.state == "withdrawn"
    b = signups.signup(s, u, there.id, groups=CERTIFIED)  # the case is closed: a new one, in 扎赉特旗
    assert b.case_id != a.case_id and service.load_case(s, u, b.case_id).district == "扎赉特旗"


def test_near_retirement_term_runs_to_retirement(env):
    from jiuye.welfare_posts import placement

    s, _ = env
    p = publish(s)
    a = signed_up_and_ready(s, p.id, "old", birth="19680301", seq="113")  # a man of 58
    placement.place(s, user(s, "zx_wlht"), a.id)
    s.refresh(a)
    assert a.term_months < 36 and "延迟到退休" in a.term_basis and "距退休年龄不足五年" in a.term_basis


def test_leaving_frees_the_place_and_second_term_needs_an_exception(env):
    from jiuye.cases import service
    from jiuye.welfare_posts import placement, signups
    from jiuye.welfare_posts.common import Invalid

    s, _ = env
    p = publish(s, places=1)
    a = signed_up_and_ready(s, p.id, "leaver")
    zx = user(s, "zx_wlht")
    placement.place(s, zx, a.id)
    s.refresh(p)
    assert p.state == "filled"
    service.transition(s, zx, a.case_id, "term_ended")
    s.refresh(p)
    s.refresh(a)
    assert (p.state, p.filled, a.state) == ("open", 0, "ended")
    p2 = publish(s, title="门卫")
    with pytest.raises(Invalid) as exc:
        signups.signup(s, user(s, "leaver"), p2.id, groups=CERTIFIED)
    assert "二次上岗" in str(exc.value)
    ok = signups.signup(s, user(s, "leaver"), p2.id, groups={**CERTIFIED, "severe_disability": True})
    assert ok.term_no == 2


def test_an_expired_post_is_left_out_of_searches_and_closed_by_the_hourly_task(env, monkeypatch):
    """Searching writes nothing (anonymous visitors, Ask's front door); the queue task closes the post."""
    from jiuye.welfare_posts import posts, tasks

    s, day = env
    p = publish(s)
    day.go(days=61)
    assert posts.search(s)[0] == 0
    s.refresh(p)
    assert p.state == "open"  # a read only
    monkeypatch.setattr("jiuye.market.tasks._session", lambda: Session(s.get_bind(), expire_on_commit=False))
    assert tasks.housekeeping() == {"posts_closed": 1}
    s.refresh(p)
    assert p.state == "closed" and p.close_reason == "招收期已结束"
    assert tasks.housekeeping() == {"posts_closed": 0}  # idempotent


def test_until_retirement_on_the_case_lifts_the_three_year_end(env):
    """A woman whose retirement date the rules cannot tell (post type not given): three years first,
    then the centre takes 「延迟到退休」 on the case; the months after three years are then accepted."""
    from jiuye.cases import service
    from jiuye.welfare_posts import placement

    s, day = env
    p = publish(s)
    a = signed_up_and_ready(s, p.id, "she", birth="19750301", seq="124")
    zx = user(s, "zx_wlht")
    placement.place(s, zx, a.id)
    s.refresh(a)
    assert a.term_months == 36 and "还不能确定您的法定退休日期" in a.term_basis
    service.transition(s, zx, a.case_id, "until_retirement", comment="出生1975-03，女，干部岗位，退休年龄55周岁")
    s.refresh(a)
    assert a.term_ends_on is None and "延迟到退休" in a.term_basis
    day.go(days=365 * 3 + 60)
    assert placement.record_month(s, zx, a.id, "2029-04").month == "2029-04"
