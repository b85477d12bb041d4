"""创业服务 through the services on a migrated SQLite database with the demo accounts: a project
submitted, returned with a reason, resubmitted, published and browsed; interest with a deadline
reminded by the queue's task; an application to a base reviewed by two reviewers (one declares a
conflict and cannot score, so a third is needed), decided and tenanted; the base's figures counted;
the prefilled 一次性创业补贴 application accepted by the apply path's questionnaire."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from market_support import market_db, user
from jiuye.startup import incubation, prefill, projects, tasks
from jiuye.startup.common import CaseError, Forbidden, Invalid, NotFound
from jiuye.startup.demo import PROJECTS

P = dict(PROJECTS[0], title="测试项目")
PDF = b"%PDF-1.4 test plan"


@pytest.fixture()
def s(tmp_path):
    with market_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as session:
        yield session


def test_project_review_browse_and_interest(s, monkeypatch):
    firm, zx, zx_z, zhang = (user(s, n) for n in ("xingan_food", "zx_wlht", "zx_zlt", "zhangmin"))
    p = projects.create(s, firm, P)
    assert p.state == "submitted"
    # not public before publishing; another district's centre cannot review it
    with pytest.raises(NotFound):
        projects.load(s, zhang, p.id)
    with pytest.raises(NotFound):
        projects.review(s, zx_z, p.id, publish=True)
    with pytest.raises(Invalid) as e:
        projects.review(s, zx, p.id, publish=False, reason="")
    assert e.value.extra["field"] == "reason"
    projects.review(s, zx, p.id, publish=False, reason="请写明加盟费用")
    assert projects.load(s, firm, p.id).return_reason == "请写明加盟费用"
    projects.update(s, firm, p.id, dict(P, offer="加盟费 2 万元，含培训"))
    projects.review(s, zx, p.id, publish=True)
    total, rows = projects.browse(s, district="乌兰浩特市", max_investment=100000, sector="catering_tourism")
    assert [r.id for r in rows] == [p.id] and total == 1
    assert projects.browse(s, max_investment=50000)[0] == 0
    assert projects.browse(s, district="扎赉特旗")[0] == 0
    v = projects.view(p)
    assert v["contact_phone"] != P["contact_phone"] and "****" in v["contact_phone"]
    # the owner cannot express interest in their own project; a founder can, once
    with pytest.raises(Forbidden):
        projects.express_interest(s, firm, p.id, phone="13904820001")
    it = projects.express_interest(s, zhang, p.id, phone="13904820001")
    with pytest.raises(Invalid):
        projects.express_interest(s, zhang, p.id, phone="13904820001")
    assert [i.id for i, _ in projects.interests_to_follow(s, zx)] == [it.id]
    assert projects.interests_to_follow(s, zx_z) == []
    # past its deadline, the queue's task reminds the district centre once
    later = (it.due_at + dt.timedelta(hours=1)).astimezone(dt.timezone(dt.timedelta(hours=8)))
    monkeypatch.setenv("JIUYE_NOW", later.replace(tzinfo=None).isoformat())
    assert tasks.remind_due(s) == 1
    assert tasks.remind_due(s) == 0
    from jiuye.market.models import OutboxMessage

    kinds = s.scalars(select(OutboxMessage.kind).where(OutboxMessage.user_id == zx.id)).all()
    assert "startup_interest_due" in kinds and "startup_interest" in kinds
    projects.follow_up(s, zx, it.id, result="已电话联系，约定面谈")
    with pytest.raises(CaseError):
        projects.follow_up(s, zx_z, it.id, result="x")


def test_bad_project_input_names_the_field(s):
    firm = user(s, "xingan_food")
    for field, value in [("mode", "乱写"), ("sector", ""), ("district", "北京"), ("investment_yuan", "-5"),
                         ("investment_yuan", "很多"), ("contact_phone", "123"), ("title", "")]:
        with pytest.raises(Invalid) as e:
            projects.create(s, firm, dict(P, **{field: value}))
        assert e.value.extra["field"] == field
    assert projects.mine(s, firm) == []


def _apply(s, founder, **over):
    data = {"base": "wlht-dianzishangwu", "business_name": "测试网店", "plan_summary": "卖特产", "first_business": "1",
            "business_registration_date": "2024-05-01", "planned_jobs": "2", "months_requested": "24"}
    data.update(over)
    return incubation.apply(s, founder, data, plan=("plan.pdf", PDF))


def test_admission_review_with_conflict_decision_tenancy_and_figures(s):
    zhang, zx, jd, rsj, sq, zx_z = (user(s, n) for n in ("zhangmin", "zx_wlht", "jd_wlht", "rsj_wlht", "sq_wlht", "zx_zlt"))
    with pytest.raises(Invalid) as e:
        _apply(s, zhang, months_requested="37")
    assert e.value.extra["field"] == "months_requested" and "3年" in str(e.value)
    with pytest.raises(Invalid):
        _apply(s, zhang, base="no-such-base")
    a = _apply(s, zhang)
    assert a.district == "乌兰浩特市" and a.plan_file
    # reviewers see nothing before they are assigned; the centre needs two reviewers
    with pytest.raises(NotFound):
        incubation.load(s, jd, a.id)
    with pytest.raises(Invalid):
        incubation.assign(s, zx, a.id, [jd.id])
    with pytest.raises(CaseError):
        incubation.assign(s, zx_z, a.id, [jd.id, rsj.id])
    incubation.assign(s, zx, a.id, [jd.id, rsj.id])
    assert incubation.load(s, jd, a.id).id == a.id
    with pytest.raises(NotFound):
        incubation.load(s, sq, a.id)
    # score before declaring: refused; a declared conflict cannot score
    with pytest.raises(Invalid):
        incubation.score(s, jd, a.id, value=80, comment="好")
    incubation.declare(s, jd, a.id, conflict=True, note="申请人是我的亲属")
    with pytest.raises(Forbidden):
        incubation.score(s, jd, a.id, value=80, comment="好")
    incubation.declare(s, rsj, a.id, conflict=False)
    with pytest.raises(Invalid):
        incubation.score(s, rsj, a.id, value=101, comment="好")
    incubation.score(s, rsj, a.id, value=70, comment="可行")
    with pytest.raises(Invalid) as e:  # only one score without conflict
        incubation.decide(s, zx, a.id, admit=True, reason="好")
    assert "还需要 1 名" in str(e.value)
    incubation.assign(s, zx, a.id, [sq.id])
    incubation.declare(s, sq, a.id, conflict=False)
    incubation.score(s, sq, a.id, value=90, comment="很好")
    # a reviewer's view shows only their own review; the founder's the decision
    assert [r["mine"] for r in incubation.view(s, rsj, incubation.load(s, rsj, a.id))["reviews"]] == [True]
    a = incubation.decide(s, zx, a.id, admit=True, reason="平均80分", entry_date="2025-01-10")
    assert a.state == "admitted" and a.decided_on is not None
    t = incubation.tenancy_of(s, a.id)
    assert t.planned_exit_on == dt.date(2027, 1, 10)
    f = incubation.figures(s, "wlht-dianzishangwu", on=dt.date(2025, 6, 1))
    assert f["tenants_now"] == 1 and f["graduates"] == 0 and f["on_time_rate"] is None
    incubation.record_exit(s, zx, a.id, exit_date="2025-12-31", kind="graduated", jobs_created=5)
    f = incubation.figures(s, "wlht-dianzishangwu", on=dt.date(2026, 1, 5))
    assert (f["tenants_now"], f["graduates"], f["on_time_exits"], f["jobs_created"]) == (0, 1, 1, 5)
    assert incubation.figures(s, "aes-zhumeng")["tenancies_total"] == 0


def test_prefilled_applications_from_a_tenancy_and_a_project(s):
    from jiuye.web.pages import find

    zhang = user(s, "zhangmin")
    a = _apply(s, zhang)
    offers = {o["procedure"]: o for o in prefill.offers(s, a)}
    sub = offers["startup_subsidy"]
    assert sub["available"] and sub["link"].startswith("/apply/startup_subsidy?")
    from urllib.parse import parse_qsl, urlsplit

    params = dict(parse_qsl(urlsplit(sub["link"]).query))
    answers, errors = find.parse_answers(find.get_questionnaire(), params, "person", dt.date(2026, 12, 6))
    assert errors == []
    assert answers.values["is_first_business"] is True
    assert str(answers.values["business_registration_date"]) == "2024-05-01"
    assert answers.values["district"] == "乌兰浩特市"
    from jiuye.cases.procedures import get_procedures

    for loan in prefill.LOAN_PROCEDURES:
        if loan in get_procedures():
            assert offers[loan]["available"]
        else:
            assert not offers[loan]["available"] and "尚未建立" in offers[loan]["message"] and "创业担保贷款" in offers[loan]["message"] and "data/" not in offers[loan]["message"]


def test_staff_file_a_project_for_an_owner(s):
    sq, zx_z, firm = user(s, "sq_wlht"), user(s, "zx_zlt"), user(s, "xingan_food")
    p = projects.create(s, sq, P, owner=projects.owner_account(s, sq, "xingan_food"))
    assert p.owner_id == firm.id and p.created_by_id == sq.id
    assert [x.id for x in projects.mine(s, firm)] == [p.id]
    with pytest.raises(Forbidden):  # another district's staff cannot file in 乌兰浩特市
        projects.create(s, zx_z, P, owner=firm)
    with pytest.raises(Invalid):
        projects.owner_account(s, sq, "zx_wlht")  # a staff account is not a project owner
    with pytest.raises(Invalid):
        projects.owner_account(s, firm, "zhangmin")  # an owner files only for themselves


def test_a_loan_procedure_once_its_file_exists(tmp_path, monkeypatch):
    """The 创业担保贷款 procedures are being written elsewhere: with a procedure file for
    startup_loan_individual in the data folder, the same prefill opens it (no code change)."""
    import shutil

    from jiuye.cases.procedures import get_procedures
    from jiuye.config import data_dir

    data = tmp_path / "data"
    shutil.copytree(data_dir(), data, ignore=shutil.ignore_patterns("eval", "qa", "ask"))
    loan = data / "procedures" / "startup_loan_individual.yaml"
    if not loan.exists():
        text = (data / "procedures" / "startup_subsidy.yaml").read_text(encoding="utf-8")
        loan.write_text(text.replace("id: startup_subsidy", "id: startup_loan_individual")
                        .replace("policy: startup_subsidy", "policy: startup_loan_individual")
                        .replace("name: 一次性创业补贴", "name: 个人创业担保贷款"), encoding="utf-8")
    monkeypatch.setenv("JIUYE_DATA_DIR", str(data))
    assert "startup_loan_individual" in get_procedures()
    from jiuye.startup.models import Application

    a = Application(district="科右前旗", first_business=True, business_registration_date=None)
    o = {x["procedure"]: x for x in prefill.offers(None, a)}["startup_loan_individual"]
    assert o["available"] and o["link"].startswith("/apply/startup_loan_individual?") and "district=" in o["link"]
