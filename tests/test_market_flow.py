"""The labour market end to end through its services (SQLite): an employer registers with its
统一社会信用代码 and posts; staff review it (flags quoted, approval with flags needs a reason); a
seeker registers, finds the post and applies; the employer invites to an interview and hires; the
registration closes, the places go down, the post fills, the statistics count it; the queue's
tasks remind, expire and tell; every message goes through the outbox."""
from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.security import credit_code_with_check
from jiuye.market import applications, employers, notify, postings, seekers, stats
from jiuye.market.common import Conflict, Forbidden, Invalid, NotFound
from jiuye.market.models import MarketEvent, OutboxMessage
from market_support import POST, market_db, user
from jiuye.config import today as beijing_today  # the league's today (Beijing), as the code uses


@pytest.fixture()
def s(tmp_path):
    with market_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as session:
        yield session


def _inbox_kinds(s, username):
    return [m["kind"] for m in notify.inbox(s, user(s, username))]


def test_employer_to_hire_closes_the_loop(s):
    code = credit_code_with_check("91152201MA0FLW001")
    with pytest.raises(Invalid, match="校验码"):  # GB 32100 check digit
        employers.register_with_account(s, credit_code=code[:-1] + ("0" if code[-1] != "0" else "1"), name="兴安测试建材",
                                        district="乌兰浩特", username="jc_test", password="secret-123", phone=None)
    s.rollback()
    firm_user, emp = employers.register_with_account(s, credit_code=code, name="兴安测试建材", district="乌兰浩特",
                                                     username="jc_test", password="secret-123", phone="13900000001")
    assert emp.district == "乌兰浩特市" and firm_user.identity_verified_at is None  # online: not verified yet
    p = postings.create(s, firm_user, {**POST, "title": "叉车司机", "places": 1, "requirements": "限男性，入职交押金300元"},
                        submit=True)
    rules = [f["rule"] for f in p.flags]
    assert p.state == "pending" and {"gender", "fees", "account_unverified"} <= set(rules)
    assert all(f["laws"] for f in p.flags if f["level"] == "flag")  # each flag quotes its rule
    zx = user(s, "zx_wlht")
    with pytest.raises(Invalid, match="写明"):
        postings.review_post(s, zx, p.id, "approve")  # flags: approving needs a reason
    with pytest.raises(NotFound):
        postings.review_post(s, user(s, "zx_zlt"), p.id, "return", "x")  # another district's centre does not see it
    with pytest.raises(Forbidden):
        postings.review_post(s, user(s, "jd_wlht"), p.id, "return", "x")  # the 街道 sees it but does not review
    postings.review_post(s, zx, p.id, "return", "删除性别限制和押金")
    assert p.state == "returned" and "posting_reviewed" in _inbox_kinds(s, "jc_test")
    postings.update(s, firm_user, p.id, {**POST, "title": "叉车司机", "places": 1, "requirements": "持叉车证，不收押金"})
    postings.submit(s, firm_user, p.id)
    assert {f["rule"] for f in p.flags if f["level"] == "flag"} == set()
    postings.review_post(s, zx, p.id, "approve")
    assert p.state == "published" and p.published_on is not None and p.places_left == 1

    zhang = user(s, "zhangmin")
    with pytest.raises(Forbidden, match="求职登记"):
        applications.apply(s, zhang, p.id)  # registration first
    sk = seekers.register(s, zhang, {"desired_titles": ["叉车司机"], "districts": ["乌兰浩特"], "expected_wage": 3000},
                          phone="13900000002")
    assert sk.state == "active" and sk.record["districts"] == ["乌兰浩特市"]
    with pytest.raises(Conflict):
        seekers.register(s, zhang, {"desired_titles": ["司机"]})  # one open registration per person
    s.rollback()
    total, found = postings.search(s, q="叉车", district="乌兰浩特市")
    assert [x.id for x in found] == [p.id] and total == 1
    a = applications.apply(s, zhang, p.id, "有叉车证")
    with pytest.raises(Conflict):
        applications.apply(s, zhang, p.id)
    s.rollback()
    assert "application_received" in _inbox_kinds(s, "jc_test")
    applications.invite(s, firm_user, a.id, at=dt.datetime.combine(beijing_today() + dt.timedelta(days=2), dt.time(9, 30)),
                        place="公司门卫室")
    assert a.state == "interview" and a.answered_at is not None
    assert "interview" in _inbox_kinds(s, "zhangmin")
    applications.decide(s, firm_user, a.id, "hired")
    s.refresh(sk)
    s.refresh(p)
    assert a.state == "hired" and p.places_left == 0 and p.state == "filled"
    assert sk.state == "closed" and sk.outcome == "hired_here" and sk.hired_posting_id == p.id
    d = stats.compute(s, zx)
    assert d["totals"]["hires"] == 1 and d["totals"]["places"] == 1 and d["totals"]["fill_rate"] == 1.0
    assert d["totals"]["reply_rate"] == 1.0 and d["totals"]["days_to_fill_median"] == 0
    assert d["by_district"][0]["district"] == "乌兰浩特市" and d["by_district"][0]["hires"] == 1
    kinds = {e for (e,) in s.execute(select(MarketEvent.kind)).all()}
    assert {"posting_submitted", "posting_returned", "posting_approved", "seeker_registered", "application_created",
            "application_interview", "application_hired", "seeker_closed", "posting_filled"} <= kinds


def test_rejection_needs_a_reason_no_show_needs_an_interview_and_a_full_post_closes_the_others(s):
    from market_support import ensure_employers, post_in_state

    ensure_employers(s)
    firm = user(s, "xingan_food")
    p = post_in_state(s, "published", places=1)
    seekers.register(s, user(s, "zhangmin"), {"desired_titles": ["包装工"]})
    a1 = applications.apply(s, user(s, "zhangmin"), p.id)
    sk2 = seekers.register(s, user(s, "sq_wlht"), {"desired_titles": ["包装工"]}, id_number=_id("152201", "19900101", "123"),
                           name="窗口测试", phone="13900000003")
    a2 = applications.recommend(s, user(s, "sq_wlht"), sk2.id, p.id, "推荐")
    assert a2.channel == "recommend" and a2.recommended_by_id == user(s, "sq_wlht").id
    with pytest.raises(Invalid, match="原因"):
        applications.decide(s, firm, a1.id, "rejected")
    with pytest.raises(Forbidden):
        applications.decide(s, firm, a1.id, "no_show")  # not invited
    applications.decide(s, firm, a2.id, "hired")
    s.refresh(a1)
    assert a1.state == "closed" and p.state == "filled"  # the other applicant is told the post is full
    assert "posting_expired" in _inbox_kinds(s, "zhangmin")


def _id(region, birth, seq):
    from jiuye.idcard import check_char

    return region + birth + seq + check_char(region + birth + seq)


def test_registration_reminded_then_expired_and_confirmed_again(s, monkeypatch):
    from jiuye.market.settings import settings

    zhang = user(s, "zhangmin")
    sk = seekers.register(s, zhang, {"desired_titles": ["保洁员"]}, phone="13900000004")
    cfg = settings().registration
    expires = sk.expires_on
    assert expires == beijing_today() + dt.timedelta(days=cfg.valid_days)
    out = seekers.remind_and_expire(s, expires - dt.timedelta(days=cfg.remind_days_before))
    assert out == {"reminded": 1, "expired": 0}
    assert seekers.remind_and_expire(s, expires - dt.timedelta(days=1)) == {"reminded": 0, "expired": 0}  # once
    assert seekers.remind_and_expire(s, expires + dt.timedelta(days=1)) == {"reminded": 0, "expired": 1}
    assert sk.state == "expired"
    assert _inbox_kinds(s, "zhangmin")[:2] == ["registration_expired", "registration_confirm"]
    sms = s.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms")).all()
    assert {m.kind for m in sms} == {"registration_confirm", "registration_expired"} and all(m.state == "pending" for m in sms)
    seekers.confirm(s, zhang, sk.id)
    assert sk.state == "active" and sk.expires_on > expires - dt.timedelta(days=cfg.valid_days)
    seekers.close(s, zhang, sk.id, "found_job", "在超市上班")
    assert sk.state == "closed" and sk.outcome == "found_job"
    with pytest.raises(Forbidden):
        seekers.confirm(s, zhang, sk.id)  # a closed registration is not reopened: register again


def test_posts_expire_on_their_date_and_applicants_are_told(s):
    from market_support import ensure_employers, post_in_state

    ensure_employers(s)
    p = post_in_state(s, "published", valid_through=(beijing_today() + dt.timedelta(days=3)).isoformat())
    seekers.register(s, user(s, "zhangmin"), {"desired_titles": ["包装工"]})
    a = applications.apply(s, user(s, "zhangmin"), p.id)
    assert postings.expire_due(s, beijing_today() + dt.timedelta(days=3)) == 0  # valid through that day
    assert postings.expire_due(s, beijing_today() + dt.timedelta(days=4)) == 1
    s.refresh(a)
    assert p.state == "expired" and a.state == "closed"
    assert "posting_expired" in _inbox_kinds(s, "zhangmin") and "posting_expired" in _inbox_kinds(s, "xingan_food")
    assert postings.search(s)[0] == 0


def test_new_post_tells_matching_seekers(s):
    from market_support import ensure_employers, post_in_state

    from jiuye.market import announce

    ensure_employers(s)
    seekers.register(s, user(s, "zhangmin"), {"desired_titles": ["包装工"], "districts": ["乌兰浩特市"]})
    seekers.register(s, user(s, "liqiang"), {"desired_titles": ["包装工"], "districts": ["扎赉特旗"]})
    p = post_in_state(s, "published")
    announce.run_pending(s)  # the queue's task (tests/test_market_announce.py runs it through the queue)
    assert "new_match" in _inbox_kinds(s, "zhangmin")
    assert "new_match" not in _inbox_kinds(s, "liqiang")  # another district
    m = notify.inbox(s, user(s, "zhangmin"))[0]
    assert m["link"] == f"/jobs/{p.id}"


class FakeSender:
    name = "fake"

    def __init__(self, fail=False):
        self.sent, self.fail = [], fail

    def send(self, phone, text):
        if self.fail:
            raise ConnectionError("provider down")
        self.sent.append((phone, text))


def test_outbox_daily_limit_opt_out_failures_and_masked_log(s, caplog):
    from jiuye.market.settings import settings

    cap = settings().notify.sms_daily_limit_per_number
    for i in range(cap + 2):
        notify.notify(s, "new_match", title=f"岗位{i}", body="x", phone="13912345678")
    notify.notify(s, "interview", title="面试", body="y", phone="13787654321")
    notify.notify(s, "interview", title="面试", body="z", phone="13600000000")
    notify.opt_out(s, "13600000000")
    fake = FakeSender()
    with caplog.at_level(logging.INFO, logger="jiuye.market"):
        counts = notify.dispatch(s, fake)
    assert counts == {"sent": cap + 1, "skipped": 3, "failed": 0, "retry": 0}
    assert [p for p, _ in fake.sent].count("13912345678") == cap
    rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.reason for m in rows if m.state == "skipped"] == ["daily_limit", "daily_limit", "opt_out"]
    assert all(m.sender == "fake" and m.sent_at for m in rows if m.state == "sent")
    # a failing provider: retried, then recorded as failed with the error
    notify.notify(s, "interview", title="面试", body="w", phone="13511112222")
    broken = FakeSender(fail=True)
    for _ in range(3):
        notify.dispatch(s, broken)
    last = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert last.state == "failed" and last.attempts == 3 and "provider down" in last.error
    # the default sender writes to the log, the number masked
    notify.notify(s, "interview", title="面试邀请", body="v", phone="13399998888")
    with caplog.at_level(logging.INFO, logger="jiuye.market"):
        notify.dispatch(s)
    assert "133****8888" in caplog.text and "13399998888" not in caplog.text


def test_inbox_is_private_and_read_marks(s):
    zhang, li = user(s, "zhangmin"), user(s, "liqiang")
    notify.notify_user(s, zhang, "interview", title="面试", body="x")
    s.commit()
    mid = notify.inbox(s, zhang)[0]["id"]
    with pytest.raises(NotFound):
        notify.mark_read(s, li, mid)
    assert notify.unread(s, zhang) == 1 and notify.mark_read(s, zhang, mid) == 1 and notify.unread(s, zhang) == 0
    assert s.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.user_id == li.id)) == 0


def test_agency_posts_for_a_client_and_is_marked(s):
    firm = user(s, "xingan_food")
    with pytest.raises(Invalid, match="许可证"):
        employers.register(s, firm, kind="agency")
    employers.register(s, firm, kind="agency", licence_no="（蒙）人服证字〔2023〕第1号")
    with pytest.raises(Invalid, match="委托单位"):
        postings.create(s, firm, {**POST})
    s.rollback()
    p = postings.create(s, firm, {**POST, "employer_name": "某超市"}, submit=True)
    v = postings.view(p, detail=True)
    assert v["employer_name"] == "某超市" and v["by_agency"] and v["agency_name"] == "兴安绿源食品有限公司（演示）"
    assert v["employer"]["licence_no"].startswith("（蒙）")


@pytest.mark.parametrize("bad,field", [({"district": "北京市"}, "district"), ({"valid_through": "2000-01-01"}, "valid_through"),
                                       ({"wage_min": 5000, "wage_max": 3000}, "wage_max"), ({"places": 0}, "places"),
                                       ({"title": ""}, "title"), ({"min_age": 14}, "min_age")])
def test_a_bad_post_is_refused_naming_the_field(s, bad, field):
    employers.register(s, user(s, "xingan_food"))
    with pytest.raises(Invalid) as exc:
        postings.create(s, user(s, "xingan_food"), {**POST, **bad})
    assert exc.value.extra["field"] == field and any("\u4e00" <= c <= "\u9fff" for c in str(exc.value))
