"""招聘会 through the services: the weekly fair from the data with its source, a staff fair, a booth
applied for with the three materials, returned with a reason, applied again, approved with a number,
a full fair's waiting list and its promotion, visitors pre-registering and checked in, an intention at
the booth, and the follow-up clock with a frozen clock (the task opens the day after at 09:00, is due
24 h later, goes overdue, the outcome and the 30-day check), the report's counts."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from fairs_support import PDF, Clock, fairs_db, files, make_fair, own_post, user
from jiuye.cases.service import CaseError, Forbidden, Invalid, NotFound


def test_weekly_fair_and_stream_come_from_the_data(tmp_path, monkeypatch):
    from jiuye.fairs import fairs
    from jiuye.fairs.settings import fairs as settings
    from jiuye.platforms import clock

    Clock(monkeypatch, dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.timezone.utc))  # Monday 10:00 Beijing
    with fairs_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        made = fairs.ensure_schedule(s, weeks=3)
        assert made == {"onsite": 3, "stream": 3}
        assert fairs.ensure_schedule(s, weeks=3) == {"onsite": 0, "stream": 0}  # idempotent
        onsite = fairs.upcoming(s, kind="onsite")
        assert [f.held_on for f in onsite] == [dt.date(2026, 12, 11), dt.date(2026, 12, 18), dt.date(2026, 12, 25)]
        f = onsite[0]
        w = settings().weekly
        assert f.place == w.place == "盟民生大厦一层"
        assert clock.show(f.starts_at).endswith("09:00") and clock.show(f.ends_at).endswith("11:30")
        v = fairs.view(f)
        assert "每周五上午9:00-11:30" in v["sources"][0] and "推定（资料未写明）" in v["note"]
        st = fairs.upcoming(s, kind="stream")[0]
        assert clock.show(st.ends_at).endswith("11:00") and "快手直播间" in st.platform


def test_booth_return_apply_again_approve_and_waiting_list(tmp_path, monkeypatch):
    from jiuye.fairs import booths, fairs
    from jiuye.fairs.models import FairEvent
    from jiuye.market.models import OutboxMessage

    Clock(monkeypatch)
    with fairs_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        f = make_fair(s, booths=1)
        food, other = user(s, "xingan_food"), user(s, "other_firm")
        p1, p2 = own_post(s), own_post(s, "other_firm", "插秧工")
        with pytest.raises(Invalid) as e:  # a material missing: nothing saved
            booths.apply(s, food, f.id, posting_ids=[p1.id], files={"licence": ("a.pdf", PDF)})
        assert e.value.extra["field"] == "file_legal_id" and booths.mine(s, food) == []
        with pytest.raises(Invalid) as e:  # not a PDF/JPG/PNG
            booths.apply(s, food, f.id, posting_ids=[p1.id], files={**files(), "form": ("x.pdf", b"MZ\x90\x00")})
        assert e.value.extra["field"] == "file_form"
        with pytest.raises(Invalid) as e:  # another employer's post
            booths.apply(s, food, f.id, posting_ids=[p2.id], files=files())
        assert e.value.extra["field"] == "posting_ids"
        b = booths.apply(s, food, f.id, posting_ids=[p1.id], files=files())
        assert b.state == "pending" and set(b.materials) == {"licence", "legal_id", "form"}
        zx = user(s, "zx_wlht")
        with pytest.raises(Invalid):
            booths.return_(s, zx, b.id, "  ")
        booths.return_(s, zx, b.id, "申请表未加盖公章")
        assert b.state == "returned" and b.reason == "申请表未加盖公章"
        b = booths.apply(s, food, f.id, posting_ids=[p1.id], files={"form": ("form.png", b"\x89PNG\r\n\x1a\n" + b"1")})
        assert b.state == "pending" and b.materials["form"]["type"] == "image/png"  # the others kept
        booths.approve(s, zx, b.id)
        assert (b.state, b.booth_no) == ("approved", 1)
        assert [x["title"] for x in fairs.posts_of(s, f)] == ["食品包装工"]  # published with the fair
        b2 = booths.apply(s, other, f.id, contact_name="赵经理", posting_ids=[p2.id], files=files())
        booths.approve(s, zx, b2.id)  # the fair is full: waiting list
        assert b2.state == "waiting" and b2.booth_no is None
        booths.withdraw(s, food, b.id)
        s.refresh(b2)
        assert (b2.state, b2.booth_no) == ("approved", 1)  # promoted
        kinds = set(s.scalars(select(FairEvent.kind).where(FairEvent.fair_id == f.id)).all())
        assert {"booth_applied", "booth_returned", "booth_approved", "booth_waiting", "booth_withdrawn", "booth_promoted"} <= kinds
        titles = s.scalars(select(OutboxMessage.title).where(OutboxMessage.user_id == other.id)).all()
        assert any("候补转正" in t for t in titles)


def test_sector_assignment_puts_a_sector_together(tmp_path, monkeypatch):
    from jiuye.fairs import booths

    Clock(monkeypatch)
    with fairs_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        f = make_fair(s, booths=5, mode="sector")
        zx, food, other = user(s, "zx_wlht"), user(s, "xingan_food"), user(s, "other_firm")
        p1, p2 = own_post(s), own_post(s, "other_firm", "插秧工")
        with pytest.raises(Invalid) as e:
            booths.apply(s, food, f.id, posting_ids=[p1.id], files=files())
        assert e.value.extra["field"] == "sector"
        b1 = booths.apply(s, food, f.id, sector="食品加工", posting_ids=[p1.id], files=files())
        booths.approve(s, zx, b1.id, booth_no=3)
        with pytest.raises(Invalid):
            booths.approve(s, zx, booths.apply(s, other, f.id, contact_name="赵经理", sector="食品加工", posting_ids=[p2.id], files=files()).id, booth_no=3)
        b2 = booths.for_fair(s, zx, f.id, state="pending")[0]
        booths.approve(s, zx, b2.id)
        assert b2.booth_no == 4  # next to the same sector, not the lowest free number (1)


def test_visitor_check_in_intention_and_the_follow_up_clock(tmp_path, monkeypatch):
    from jiuye.fairs import booths, intentions, report, tasks, visitors
    from jiuye.market.models import OutboxMessage

    clk = Clock(monkeypatch, dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.timezone.utc))  # Mon 10:00 Beijing
    with fairs_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        f = make_fair(s, booths=3, day=dt.date(2026, 12, 11))  # Friday
        food, zx = user(s, "xingan_food"), user(s, "zx_wlht")
        p1 = own_post(s)
        b = booths.apply(s, food, f.id, posting_ids=[p1.id], files=files())
        booths.approve(s, zx, b.id)
        v, created = visitors.register(s, None, f.id, name="王小明", phone="139 0482 1234")
        assert created and len(v.code) == 8 and v.phone == "13904821234"
        again, created = visitors.register(s, None, f.id, name="王小明", phone="13904821234")
        assert not created and again.code == v.code
        with pytest.raises(Invalid):
            visitors.register(s, None, f.id, name="王小明", phone="12345")
        with pytest.raises(Forbidden):
            visitors.check_in(s, food, f.id, v.code)  # the employer does not run the door
        clk.at = dt.datetime(2026, 12, 11, 1, 5, tzinfo=dt.timezone.utc)  # Fri 09:05
        clk._set()
        with pytest.raises(NotFound):
            visitors.check_in(s, zx, f.id, "AAAA-AAAA")
        who, first = visitors.check_in(s, zx, f.id, v.code.lower()[:4] + " " + v.code.lower()[4:])
        assert first and who.id == v.id
        assert visitors.check_in(s, zx, f.id, f"https://x/console/fairs/{f.id}/door?code={v.code}")[1] is False
        w = visitors.walk_in(s, zx, f.id, name="李四", phone="13904825678")
        assert w.checked_in_at is not None and w.channel == "door"
        i = intentions.record(s, food, b.id, code=v.code, posting_id=p1.id, note="下周一面试")
        assert clock_show(i.opens_at) == "2026-12-12 09:00" and clock_show(i.due_at) == "2026-12-13 09:00"
        with pytest.raises(Invalid):
            intentions.record(s, food, b.id, code=v.code, posting_id=p1.id)  # the same intention twice
        assert tasks.run_followups(s) == {"opened": 0, "overdue": 0, "checks": 0}  # not before the day after
        assert intentions.queue(s, zx) == []
        clk.at = dt.datetime(2026, 12, 12, 1, 0, tzinfo=dt.timezone.utc)  # Sat 09:00: the task opens
        clk._set()
        assert tasks.run_followups(s)["opened"] == 1 and tasks.run_followups(s)["opened"] == 0
        assert [x.id for x in intentions.queue(s, food)] == [i.id]
        msgs = s.scalars(select(OutboxMessage.title).where(OutboxMessage.user_id == food.id,
                                                           OutboxMessage.kind == "fair_followup")).all()
        assert len(msgs) == 1
        clk.advance(hours=24, minutes=1)  # past due
        assert tasks.run_followups(s)["overdue"] == 1 and tasks.run_followups(s)["overdue"] == 0
        assert intentions.view(i)["overdue"] and "已超时" in intentions.view(i)["time_left"]
        intentions.follow_up(s, food, i.id, "hired", hired_on=dt.date(2026, 12, 14), note="已签合同")
        with pytest.raises(CaseError):
            intentions.follow_up(s, food, i.id, "declined")
        with pytest.raises(Invalid):
            intentions.check_30(s, zx, i.id, True)  # before 30 days
        clk.at = dt.datetime(2027, 1, 13, 2, 0, tzinfo=dt.timezone.utc)
        clk._set()
        assert tasks.run_followups(s)["checks"] >= 1
        with pytest.raises(Forbidden):
            intentions.check_30(s, food, i.id, True)
        intentions.check_30(s, zx, i.id, True)
        r = report.compute(s, zx, f.id)
        assert (r["employers"], r["posts"], r["visitors"], r["checked_in"], r["intentions"]) == (1, 1, 2, 2, 1)
        assert (r["hired"], r["working_30"], r["in_time"]) == (1, 1, 0)  # followed up late
        assert "食品包装工" not in report.csv_text(s, zx, f.id) and "兴安绿源食品" in report.csv_text(s, zx, f.id)


def clock_show(t):
    from jiuye.platforms import clock

    return clock.show(t)


def test_stream_featured_post_sign_up(tmp_path, monkeypatch):
    from jiuye.fairs import fairs, intentions

    Clock(monkeypatch, dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.timezone.utc))
    with fairs_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        fairs.ensure_schedule(s, weeks=1)
        st = fairs.upcoming(s, kind="stream")[0]
        p = own_post(s)
        with pytest.raises(Forbidden):
            fairs.feature(s, user(s, "zx_wlht"), st.id, p.id)  # the league's stream
        fairs.feature(s, user(s, "mz"), st.id, p.id)
        assert [x["id"] for x in fairs.posts_of(s, st)] == [p.id]
        i = intentions.stream_signup(s, None, st.id, p.id, name="张三", phone="13904829999")
        assert intentions.stream_signup(s, None, st.id, p.id, name="张三", phone="13904829999").id == i.id
        assert i.booth_id is None and i.posting_title == "食品包装工"
        with pytest.raises(NotFound):
            intentions.stream_signup(s, None, st.id, p.id + 999, name="张三", phone="13904829999")


def test_demo_loads_once_through_the_services(tmp_path, monkeypatch):
    from jiuye.fairs import report
    from jiuye.fairs.demo import load_demo_fairs

    Clock(monkeypatch, dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.timezone.utc))
    with fairs_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        res = load_demo_fairs(s)
        assert res["loaded"] and res["featured"] >= 1
        assert load_demo_fairs(s)["loaded"] is False
        r = report.compute(s, user(s, "mz"), res["fair_id"])
        assert (r["employers"], r["visitors"]) == (1, 2) and r["posts"] >= 1
        assert r["fair"]["place"] == "盟民生大厦一层"
