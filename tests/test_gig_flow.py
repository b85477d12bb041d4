"""零工市场 through the services: posting with its checks, matching by place and 工种 with reasons,
phones only after both sides accepted, both confirming worked and paid, the fill time, and an unpaid
day becoming a wage-arrears case that the district's staff see (and the queue escalates)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from gig_support import W, Z, availability, day, job, market_db, user
from jiuye.cases.service import CaseError, Forbidden, Invalid, NotFound


@pytest.fixture()
def engine(tmp_path):
    with market_db(tmp_path) as e:
        yield e


def test_posting_checks_name_the_field(engine):
    with Session(engine, expire_on_commit=False) as s:
        for extra, field in (({"occupation": "火星采矿"}, "occupation"), ({"district": "科右后旗"}, "district"),
                             ({"daily_rate": "abc"}, "daily_rate"), ({"daily_rate": "-5"}, "daily_rate"),
                             ({"available_from": "2001-01-01"}, "start_on"), ({"phone": "12345"}, "phone"),
                             ({"lat": "10", "lon": "10"}, "lat")):
            with pytest.raises(Invalid) as e:
                availability(s, **extra)
            assert e.value.extra.get("field") == field, (extra, e.value)
            s.rollback()
        with pytest.raises(Invalid) as e:
            job(s, pay_type="piece", piece_unit="")
        assert e.value.extra["field"] == "piece_unit"
        s.rollback()
        with pytest.raises(Forbidden):
            job(s, username="zx_wlht")  # staff do not post
        from jiuye.gig.models import GigJob, GigWorker
        assert s.scalar(select(GigJob.id)) is None and s.scalar(select(GigWorker.id)) is None  # nothing half-saved


def test_matching_by_place_and_trade_newest_first_with_reasons(engine):
    from jiuye.gig import matching

    with Session(engine, expire_on_commit=False) as s:
        w = availability(s)
        j_far = job(s, title="阿尔山砌墙", district="阿尔山市", town=None)       # ~200 km: not suggested
        j_other_trade = job(s, title="保洁", occupation="保洁")                  # another trade
        j_old = job(s, title="砌院墙（旧）")
        j_new = job(s, title="砌猪圈", town="胜利街道", pay="180")
        j_piece = job(s, title="砌砖按块", district="科右前旗", town=None, pay_type="piece", pay="0.5", piece_unit="块")
        found = matching.jobs_for(s, w)
        titles = [j.title for j, _ in found]
        assert titles == [j_piece.title, j_new.title, j_old.title]  # newest first, far and other trades left out
        assert j_far.title not in titles and j_other_trade.title not in titles
        reasons = dict((j.title, r) for j, r in found)
        assert reasons["砌院墙（旧）"][0].startswith("工种相同") and "同在乌兰浩特市爱国街道" in reasons["砌院墙（旧）"][1]
        assert "比期望的 200 元 低" in reasons["砌猪圈"][3]
        assert "约略" in reasons["砌砖按块"][1] and "按件" in reasons["砌砖按块"][3]
        # the other way round: the job's poster sees the worker, newest first, not themself
        assert [x.id for x, _ in matching.workers_for(s, j_new)] == [w.id]


def test_coordinates_when_given(engine):
    from jiuye.gig.settings import distance

    km, how, approx = distance({"district": W, "lat": 46.08, "lon": 122.07}, {"district": Z, "lat": 46.08, "lon": 122.17})
    assert 7 < km < 8.5 and not approx and "按双方填写的位置" in how
    km2, how2, approx2 = distance({"district": W}, {"district": Z})
    assert approx2 and km2 > 50 and "约略" in how2


def test_phones_after_mutual_acceptance_worked_paid_and_fill_time(engine, monkeypatch):
    from jiuye.gig import matches, stats

    with Session(engine, expire_on_commit=False) as s:
        w = availability(s)
        j = job(s)
        m = matches.apply(s, user(s, "zhangmin"), j.id)
        emp, worker = user(s, "xingan_food"), user(s, "zhangmin")
        assert matches.view(s, emp, m)["worker_phone"] is None
        assert matches.view(s, worker, m)["poster_phone"] is None
        with pytest.raises(Forbidden):
            matches.act(s, worker, m.id, "accept")  # already accepted by applying
        with pytest.raises(Forbidden):
            matches.act(s, emp, m.id, "worked")  # not before both accepted
        matches.act(s, emp, m.id, "accept")
        assert matches.view(s, emp, m)["worker_phone"] == w.phone
        assert matches.view(s, worker, m)["poster_phone"] == j.poster_phone
        s.refresh(j)
        assert j.state == "filled" and j.filled_at is not None  # one person needed, one accepted
        with pytest.raises(NotFound):  # another applicant account sees nothing of it
            matches.load(s, user(s, "liqiang"), m.id)
        matches.act(s, worker, m.id, "worked", days="2")
        with pytest.raises(Forbidden):
            matches.act(s, worker, m.id, "paid")  # the employer has not confirmed the work yet
        matches.act(s, emp, m.id, "worked")
        matches.act(s, emp, m.id, "paid")
        matches.act(s, worker, m.id, "paid")
        s.refresh(m)
        assert m.state == "paid" and m.days_worked == 2
        row = next(r for r in stats.table(s) if r["district"] == W)
        assert row["filled"] == 1 and row["median_fill_hours"] is not None and row["paid_share"] == 1.0
        assert stats.shown(next(r for r in stats.table(s) if r["district"] == Z))["paid_share"] == "无数据"


def test_unpaid_day_becomes_an_arrears_case_staff_see_and_the_queue_escalates(engine, monkeypatch):
    from jiuye.cases import service
    from jiuye.cases.models import Case
    from jiuye.gig import arrears, matches, stats
    from jiuye.gig.models import GigArrears
    from jiuye.market import notify

    with Session(engine, expire_on_commit=False) as s:
        availability(s)
        j = job(s, pay="250")
        emp, worker = user(s, "xingan_food"), user(s, "zhangmin")
        m = matches.invite(s, emp, j.id, s.scalar(select(__import__("jiuye.gig.models", fromlist=["x"]).GigWorker.id)))
        matches.act(s, worker, m.id, "accept")
        matches.act(s, worker, m.id, "worked", days="2")
        matches.act(s, emp, m.id, "worked")
        with pytest.raises(Forbidden):
            matches.act(s, emp, m.id, "unpaid")  # only the worker reports
        matches.act(s, worker, m.id, "unpaid", note="说好干完给，一直没给")
        a = s.scalar(select(GigArrears))
        assert a.amount_fen == 50000 and a.case_id is not None
        case = s.get(Case, a.case_id)
        assert case.procedure == "gig_wage_arrears" and case.district == W and case.state == "reported"
        assert case.due_on is not None  # the procedure's (assumed) 3 working days
        # the district centre's staff see it in their cases list and got an inbox message
        centre = user(s, "zx_wlht")
        assert any(c.id == case.id for c in service.list_cases(s, centre, procedure="gig_wage_arrears")[1])
        assert any("零工欠薪报告" in msg["title"] for msg in notify.inbox(s, centre))
        assert not any(c.id == case.id for c in service.list_cases(s, user(s, "zx_zlt"))[1])
        row = next(r for r in stats.table(s) if r["district"] == W)
        assert row["arrears_open"] == 1 and row["paid_share"] == 0.0
        # not handled: the queue escalates once to the 盟中心 after the (assumed) 72 hours
        assert arrears.sweep(s)["escalated"] == 0
        later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=73)
        monkeypatch.setenv("JIUYE_NOW", later.isoformat())
        assert arrears.sweep(s)["escalated"] == 1
        assert arrears.sweep(s)["escalated"] == 0
        assert any("超时未办" in msg["title"] for msg in notify.inbox(s, user(s, "mz")))


def test_a_case_that_failed_to_open_is_opened_by_the_queue(engine, monkeypatch):
    from jiuye.cases import service
    from jiuye.gig import arrears, matches
    from jiuye.gig.models import GigArrears

    with Session(engine, expire_on_commit=False) as s:
        w = availability(s)
        j = job(s)
        emp, worker = user(s, "xingan_food"), user(s, "zhangmin")
        m = matches.invite(s, emp, j.id, w.id)
        matches.act(s, worker, m.id, "accept")
        matches.act(s, worker, m.id, "worked")
        matches.act(s, emp, m.id, "worked")
        real = service.open_report

        def broken(*a, **k):
            raise RuntimeError("database hiccup")
        monkeypatch.setattr(service, "open_report", broken)
        matches.act(s, worker, m.id, "unpaid")
        a = s.scalar(select(GigArrears))
        assert a.case_id is None and "hiccup" in a.case_error  # kept, not lost
        monkeypatch.setattr(service, "open_report", real)
        assert arrears.sweep(s)["opened"] == 1
        s.refresh(a)
        assert a.case_id is not None and a.case_error is None


def test_case_detail_of_a_report_shows_the_worker_masked(engine):
    from jiuye.cases import service
    from jiuye.gig import matches

    with Session(engine, expire_on_commit=False) as s:
        w = availability(s, name="王大力")
        j = job(s)
        emp, worker = user(s, "xingan_food"), user(s, "zhangmin")
        m = matches.invite(s, emp, j.id, w.id)
        for who, act in ((worker, "accept"), (worker, "worked"), (emp, "worked"), (worker, "unpaid")):
            matches.act(s, who, m.id, act)
        centre = user(s, "zx_wlht")
        case = service.list_cases(s, centre, procedure="gig_wage_arrears")[1][0]
        d = service.case_detail(s, centre, case)
        assert d["applicant"]["kind"] == "person" and d["state_label"].startswith("工人报告")
        with pytest.raises(CaseError):
            service.load_case(s, user(s, "zx_zlt"), case.id)


def test_demo_loads_once_with_a_paid_and_an_unpaid_match(engine):
    from jiuye.gig import stats
    from jiuye.gig.demo import load_demo_gig
    from jiuye.gig.models import GigArrears

    with Session(engine, expire_on_commit=False) as s:
        assert load_demo_gig(s)["loaded"]
        assert not load_demo_gig(s)["loaded"]
        a = s.scalar(select(GigArrears))
        assert a.case_id is not None and a.amount_fen == 44000
        row = next(r for r in stats.table(s) if r["district"] == W)
        assert row["worked_jobs"] == 2 and row["paid_jobs"] == 1 and row["paid_share"] == 0.5


def test_the_data_file_is_validated_with_a_chinese_message(tmp_path):
    import yaml

    from jiuye.config import data_dir
    from jiuye.gig.settings import GigDataError, load

    raw = yaml.safe_load((data_dir() / "gig" / "gig.yaml").read_text(encoding="utf-8"))
    raw["places"]["seats"]["科右后旗"] = {"seat": "某镇", "lat": 46.0, "lon": 121.0}  # not in the league
    bad = tmp_path / "gig.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(GigDataError, match="科右后旗.*不是兴安盟的旗县市"):
        load(bad)
    raw["places"]["seats"].pop("科右后旗")
    raw["places"]["note"] = "坐标"  # an approximation must say 推定
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(GigDataError, match="places.note"):
        load(bad)
