"""政策找人 inside matching (jiuye.market.policies, data/market/policy_links.yaml): what hiring a seeker
could bring the employer and what seeking / taking a job could bring the seeker — from the screening
service on the day asked about. Expected figures are read here from the parameter files
(data/parameters), not from the code under test."""
from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from sqlalchemy.orm import Session

from jiuye.config import data_dir
from jiuye.knowledge.loader import DataError
from jiuye.market import policies
from jiuye.market.records import PostingRecord, SeekerRecord
from jiuye.config import today as beijing_today  # the league's today (Beijing), as the code uses

DAY = dt.date(2026, 11, 24)
IN_2022 = dt.date(2022, 10, 1)
POST = PostingRecord(id="p1", employer_name="测试食品公司", title="会计", social_insurance=True, contract_type="fixed",
                     district="乌兰浩特市")


def seeker(**kw) -> SeekerRecord:
    return SeekerRecord(id="s1", desired_titles=["会计"], **kw)


def parameter(file: str, day: dt.date, key: str | None = None):
    """The value in force on `day` in data/parameters/<file>.yaml (a leaf, or its child `key`)."""
    spec = yaml.safe_load((data_dir() / "parameters" / f"{file}.yaml").read_text(encoding="utf-8"))
    values = (spec[key] if key else spec)["values"]
    current = None
    for start, v in sorted((dt.date.fromisoformat(str(k)), v) for k, v in values.items()):
        if start <= day:
            current = v["value"] if isinstance(v, dict) else v
    return current


def by_policy(items) -> dict:
    return {b.policy: b for b in items}


# --- the employer's side ------------------------------------------------------------------------------
def test_a_graduate_applicant_shows_the_employer_the_graduate_hiring_subsidy_with_the_rules_amount():
    grad = seeker(key_groups=["college_graduate"], college_leaving_date=dt.date(2026, 7, 1), education="bachelor")
    standard = parameter("other_subsidies/graduate_hiring_per_graduate", DAY)
    assert standard  # the parameter files give it on DAY
    panel = policies.for_employer(grad, POST, district="乌兰浩特市", as_of=DAY)
    b = by_policy(panel.benefits)["graduate_hiring_subsidy"]
    # the employer's size and the contract's length are not known: 可能, with what is missing and the standard
    assert b.status == "needs_information" and b.amount is None
    assert [s.value for s in b.standards] == [float(standard)] and b.standards[0].text == f"{standard:,} 元"
    assert b.standards[0].document == "003" and str(standard) in b.standards[0].quote
    assert "企业规模划型" in b.missing and any("劳动合同期限" in m for m in b.missing)
    assert any(r["state"] == "met" and "招用了高校毕业生" in r["text"] for r in b.reasons)
    assert b.link == "/policies/graduate_hiring_subsidy"
    # a small firm and an open-ended contract: 可以享受, the amount the rules compute
    sure = policies.for_employer(grad, POST.model_copy(update={"contract_type": "open_ended"}), district="乌兰浩特市",
                                 enterprise={"enterprise_category": "small"}, as_of=DAY)
    b = by_policy(sure.benefits)["graduate_hiring_subsidy"]
    assert b.status == "eligible" and b.amount == float(standard) and b.amount_text.startswith(f"{standard:,.2f} 元")
    assert sure.benefits[0].status == "eligible"  # 可以享受 first
    # a large firm is not a 中小微企业: not listed
    large = policies.for_employer(grad, POST, district="乌兰浩特市", enterprise={"enterprise_category": "large"}, as_of=DAY)
    assert "graduate_hiring_subsidy" not in by_policy(large.benefits)


def test_a_graduate_of_years_ago_brings_no_graduate_subsidy():
    old = seeker(key_groups=["college_graduate"], college_leaving_date=dt.date(2019, 7, 1))
    panel = policies.for_employer(old, POST, district="乌兰浩特市", as_of=DAY)
    assert not {"graduate_hiring_subsidy", "graduate_small_business_si_subsidy"} & set(by_policy(panel.benefits))


def test_a_hard_to_employ_applicant_shows_the_si_subsidy_with_the_rules_cap_and_term():
    hte = seeker(key_groups=["hard_to_employ"], birth_date=dt.date(1975, 3, 8))
    panel = policies.for_employer(hte, POST, district="乌兰浩特市", as_of=DAY)
    b = by_policy(panel.benefits)["enterprise_hard_to_employ_si_subsidy"]
    assert b.status == "eligible"  # hard-to-employ (self-declared) and the post pays social insurance
    num = parameter("enterprise_hard_to_employ_si_subsidy/cap", DAY, "numerator")
    den = parameter("enterprise_hard_to_employ_si_subsidy/cap", DAY, "denominator")
    term = parameter("flexible_employment_si_subsidy/max_months", DAY, "hard_to_employ")
    assert [s.text for s in b.standards] == [f"{num}/{den}", f"{term} 个月"]
    assert any("须经就业服务机构认定" in n for n in panel.notes)
    # the employer does not see the seeker's birth date, and no English gloss reaches the page
    dumped = json.dumps(panel.model_dump(mode="json"), ensure_ascii=False)
    assert "1975" not in dumped and "(sex)" not in dumped and "（分）" not in dumped
    # a post that does not pay social insurance: the condition fails, nothing listed
    no_si = policies.for_employer(hte, POST.model_copy(update={"social_insurance": False}), district="乌兰浩特市", as_of=DAY)
    assert "enterprise_hard_to_employ_si_subsidy" not in by_policy(no_si.benefits)


@pytest.mark.parametrize("rec", [
    seeker(),
    seeker(education="senior"),
    seeker(education="junior", key_groups=["rural_migrant_worker", "youth", "unemployed"]),
], ids=["nothing-registered", "senior-school", "groups-without-rules"])
def test_a_person_in_no_key_group_shows_nothing(rec):
    for post in (POST, POST.model_copy(update={"contract_type": "part_time"})):
        employer = policies.for_employer(rec, post, district="乌兰浩特市", as_of=DAY)
        assert employer.benefits == [] and employer.closed == [] and employer.error is None
    mine = policies.for_seeker(rec, POST.model_copy(update={"contract_type": "part_time"}), district="乌兰浩特市", as_of=DAY)
    if rec.education in ("senior", "junior"):  # neither a college nor a 中职 graduate: nothing at all
        assert mine.benefits == [] and mine.closed == []
    else:  # not ticked as a graduate, education unknown: no graduate benefit is offered as "maybe"
        assert all(b.status == "eligible" for b in mine.benefits)


# --- dates ------------------------------------------------------------------------------------------------
def test_a_closed_window_is_shown_as_closed_never_as_a_benefit():
    grad = seeker(key_groups=["college_graduate"], college_leaving_date=dt.date(2022, 7, 1))
    post = POST.model_copy(update={"contract_type": "open_ended"})
    now = policies.for_employer(grad, post, district="乌兰浩特市", as_of=DAY)
    assert "job_expansion_subsidy" in by_policy(now.closed) and "job_expansion_subsidy" not in by_policy(now.benefits)
    closed = by_policy(now.closed)["job_expansion_subsidy"]
    assert closed.status_label == "已截止" and closed.standards == [] and "截止" in closed.reasons[0]["text"]
    # in 2022, hired in the graduation year, the same hire brings the 扩岗补助 the parameters give then
    then = policies.for_employer(grad, post, district="乌兰浩特市", as_of=IN_2022)
    b = by_policy(then.benefits)["job_expansion_subsidy"]
    assert b.status == "eligible" and b.amount == float(parameter("other_subsidies/job_expansion", IN_2022, "per_graduate"))
    assert not then.closed


def test_a_standard_not_yet_given_on_the_day_is_said_so():
    day = dt.date(2022, 8, 15)  # 一次性吸纳就业补贴: the documents give it from 2022-09-01
    assert parameter("other_subsidies/graduate_hiring_per_graduate", day) is None
    grad = seeker(key_groups=["college_graduate"], college_leaving_date=dt.date(2022, 7, 1))
    b = by_policy(policies.for_employer(grad, POST, district="乌兰浩特市", as_of=day).benefits)["graduate_hiring_subsidy"]
    assert b.status == "needs_information" and b.standards[0].value is None
    assert b.standards[0].text == "资料没有给出该日期的标准"


def test_today_is_the_default_day(monkeypatch):
    grad = seeker(key_groups=["college_graduate"], college_leaving_date=dt.date(2022, 7, 1))
    post = POST.model_copy(update={"contract_type": "open_ended"})
    monkeypatch.setenv("JIUYE_TODAY", IN_2022.isoformat())
    assert "job_expansion_subsidy" in by_policy(policies.for_employer(grad, post, district="乌兰浩特市").benefits)
    monkeypatch.setenv("JIUYE_TODAY", DAY.isoformat())
    panel = policies.for_employer(grad, post, district="乌兰浩特市")
    assert panel.as_of == DAY and "job_expansion_subsidy" in by_policy(panel.closed)


# --- the seeker's side ------------------------------------------------------------------------------------
def test_the_seeker_sees_the_job_search_subsidy_and_the_part_time_si_subsidy_only_on_part_time_posts():
    grad = seeker(key_groups=["college_graduate", "disabled"], college_leaving_date=dt.date(2027, 6, 30))
    day = dt.date(2026, 12, 1)  # the school year of the expected graduation
    amount = parameter("other_subsidies/job_search_startup", day)
    general = policies.for_seeker(grad, None, district="乌兰浩特市", as_of=day)
    b = by_policy(general.benefits)["job_search_startup_subsidy"]
    assert b.status == "eligible" and b.amount == float(amount)  # graduating, disabled, registered as seeking work
    assert "flexible_employment_si_subsidy" not in by_policy(general.benefits)
    # a part-time post is 灵活就业: for a graduate who left this year, the SI subsidy of flexible workers
    left = seeker(key_groups=["college_graduate"], college_leaving_date=dt.date(2026, 7, 1))
    part_time = POST.model_copy(update={"contract_type": "part_time"})
    on_post = by_policy(policies.for_seeker(left, part_time, district="乌兰浩特市", only_post=True, as_of=day).benefits)
    assert set(on_post) == {"flexible_employment_si_subsidy"}
    flex = on_post["flexible_employment_si_subsidy"]
    assert flex.status == "needs_information" and any("个人身份缴纳" in m for m in flex.missing)
    months = parameter("flexible_employment_si_subsidy/max_months", day, "graduate")
    assert f"{months} 个月" in [x.text for x in flex.standards]
    assert policies.for_seeker(left, POST, district="乌兰浩特市", only_post=True, as_of=day).benefits == []
    # still studying (graduating next summer): not yet a graduate who left college
    assert policies.for_seeker(grad, part_time, district="乌兰浩特市", only_post=True, as_of=day).benefits == []


# --- the data file ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("edit,message", [
    (lambda d: d["employer"][0].update(policy="no_such_policy"), "employer.0（no_such_policy）"),
    (lambda d: d["employer"][0].update(policy="job_search_startup_subsidy"), "面向用人单位"),
    (lambda d: d["employer"][0]["standards"][0].update(parameter="other_subsidies.nothing"), "other_subsidies.nothing"),
    (lambda d: d["employer"][0]["standards"][0].update(label="每人1500元"), "不含数字"),
    (lambda d: d["key_group_facts"].update(veteran="no_such_fact"), "key_group_facts"),
    (lambda d: d["seeker"][1].update(assume={"flexibly_employed": "也许"}), "seeker.1"),
], ids=["unknown-policy", "wrong-side", "unknown-parameter", "figure-in-label", "unknown-fact", "bad-assumption"])
def test_the_links_file_is_validated_on_load(tmp_path, edit, message):
    target = tmp_path / "market"
    target.mkdir()
    raw = yaml.safe_load((data_dir() / "market" / "policy_links.yaml").read_text(encoding="utf-8"))
    edit(raw)
    (target / "policy_links.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as err:
        policies.load_links(tmp_path)
    assert "policy_links.yaml" in str(err.value) and message in str(err.value), str(err.value)


def test_the_shipped_links_file_loads():
    links = policies.load_links()
    assert {x.policy for x in links.employer} >= {"graduate_hiring_subsidy", "enterprise_hard_to_employ_si_subsidy"}
    assert {x.policy for x in links.seeker} >= {"job_search_startup_subsidy"}


# --- the pages and the API (the demo market) ------------------------------------------------------------------
@pytest.fixture(scope="module")
def market(tmp_path_factory):
    """The app on a database with the demo market, and what the tests look up in it: the demo's
    applications by (seeker, post), and 孟根其其格 (a graduate, recommended to the agency's cashier post)."""
    from types import SimpleNamespace

    from sqlalchemy import select

    from jiuye.market.demo import load_demo_market
    from jiuye.market.models import Application
    from jiuye.web.app import create_app
    from market_support import market_db

    tmp = tmp_path_factory.mktemp("market_policies")
    with market_db(tmp) as engine:
        with Session(engine, expire_on_commit=False) as s:
            assert load_demo_market(s)["loaded"]
            rows = s.scalars(select(Application)).all()
            grad = next(a for a in rows if a.seeker.person.name.startswith("孟根"))
            ids = {"application": grad.id, "grad_seeker": grad.seeker_id, "cashier": grad.posting_id,
                   "grad_id_number": grad.seeker.person.id_number}
            assert grad.posting.title == "收银员"
        yield SimpleNamespace(app=create_app(), ids=ids)


def test_the_api_shows_each_side_to_whom_it_concerns(market):
    from fastapi.testclient import TestClient

    from test_market_web import token

    app, ids = market.app, market.ids
    aid = ids["application"]
    c = TestClient(app)
    agency, staff, zhang = token(app, "zhongcheng_hr"), token(app, "zx_wlht"), token(app, "zhangmin")
    r = c.get(f"/api/market/applications/{aid}/policies", headers=agency)
    assert r.status_code == 200 and set(r.json()) == {"employer"}, r.text
    panel = r.json()["employer"]
    grad = {b["policy"]: b for b in panel["benefits"]}["graduate_hiring_subsidy"]
    assert grad["standards"][0]["value"] == float(parameter("other_subsidies/graduate_hiring_per_graduate", beijing_today()))
    assert any("人力资源服务机构代招" in n for n in panel["notes"])
    assert ids["grad_id_number"] not in r.text and ids["grad_id_number"][6:14] not in r.text
    r = c.get(f"/api/market/applications/{aid}/policies", headers=staff)
    assert r.status_code == 200 and set(r.json()) == {"employer", "seeker"}
    assert c.get(f"/api/market/applications/{aid}/policies", headers=zhang).status_code == 404  # not hers
    assert c.get(f"/api/market/applications/{aid}/policies", headers=token(app, "xingan_food")).status_code == 404
    r = c.get(f"/api/market/applications/{aid}/policies", headers=agency, params={"enterprise_category": "huge"})
    assert r.status_code == 422
    # a post and a seeker: the employer only for its own post; the seeker about their own registration
    pid, sid = ids["cashier"], ids["grad_seeker"]
    assert c.get(f"/api/market/postings/{pid}/policies", params={"seeker_id": sid}, headers=agency).status_code == 200
    assert c.get(f"/api/market/postings/{pid}/policies", params={"seeker_id": sid},
                 headers=token(app, "xingan_food")).status_code == 403
    assert c.get(f"/api/market/postings/{pid}/policies", headers=agency).status_code == 422  # which seeker?
    r = c.get(f"/api/market/postings/{pid}/policies", headers=zhang)
    assert r.status_code == 200 and set(r.json()) == {"seeker"}
    assert c.get(f"/api/market/postings/{pid}/policies", params={"seeker_id": sid}, headers=zhang).status_code == 404
    assert c.get(f"/api/market/postings/{pid}/policies").status_code == 401


def test_the_pages_show_the_panels(market):
    from test_market_web import client, text

    app, ids = market.app, market.ids
    agency = client(app, "zhongcheng_hr")
    page = agency.get(f"/employer/posts/{ids['cashier']}")
    assert page.status_code == 200
    body = text(page.text)
    assert "招用此人，单位可能享受的政策" in body and "一次性吸纳就业补贴" in body
    standard = parameter("other_subsidies/graduate_hiring_per_graduate", beijing_today())
    assert f"{standard:,} 元" in body and "《政策手册》" in body and "003号资料" not in body
    assert ids["grad_id_number"] not in page.text
    zhang = client(app, "zhangmin")  # 就业困难人员 (self-declared); the cashier post pays social insurance
    job = zhang.get(f"/jobs/{ids['cashier']}")
    assert job.status_code == 200 and "求职、上岗相关，您可能享受的政策" in text(job.text)
    assert zhang.get("/my/jobs").status_code == 200
    staff = client(app, "zx_wlht")
    r = staff.get(f"/console/market/seekers/{ids['grad_seeker']}")
    assert r.status_code == 200
