"""Screening (政策找人): the Python function, the CLI and the API on the same profiles.

Figures are the documents' own: 2021 兴安盟 UI standard 1404.00 元 (months 1-12), 失业补助金
1404.00 × 80 % = 1123.20 元 × 6 months, 一次性创业补贴 5000 元, 稳岗返还 60 % / 90 %.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jiuye.cli import app as cli_app
from jiuye.rules import build_system
from jiuye.screening import PersonProfile, ProfileError, profile_json_schema, screen
from jiuye.screening.checks import field_title
from jiuye.screening.reasons import ReasonsError, load_reasons
from jiuye.web.app import create_app

STATUSES = {"eligible", "not_eligible", "needs_information", "window_closed"}

UI_OK = {
    "contribution_years": 3,
    "involuntary_separation": True,
    "registered_unemployed": True,
    "job_seeking": True,
    "is_unemployed": True,
    "receiving_pension": False,
    "ui_stop_event": False,
    "birth_date": "1980-05-01",
    "sex": "male",
    "has_spouse": False,
    "district": "扎赉特旗",
}
UA_OK = {  # 失业补助金: UI benefit ran out in February 2021, still unemployed
    "ui_benefit_exhausted": True,
    "ui_benefit_end_date": "2021-02-28",
    "is_unemployed": True,
    "receiving_pension": False,
    "ui_stop_event": False,
}
POVERTY_FOUNDER = {
    "poverty_alleviated_labour": True,
    "returning_home_founder": True,
    "is_first_business": True,
    "business_operating_normally": True,
    "college_graduate": False,
    "hard_to_employ_certified": False,
    "has_disability_certificate": False,
}
FIRM = {
    "subject": "enterprise",
    "district": "乌兰浩特市",
    "enterprise_category": "small",
    "enterprise_ui_paid_years": 3,
    "ui_arrears": False,
    "on_dishonesty_list": False,
    "zombie_enterprise": False,
    "environmental_compliant": True,
    "layoff_count": 1,
    "insured_headcount": 50,
    "ui_contributions_last_year": "12345.67",
}


def result(profile, as_of, policy):
    return next(r for r in screen(profile, as_of).results if r.policy == policy)


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


runner = CliRunner()


# ------------------------------------------------------------------------------------------------
# One result per catalogue id


@pytest.mark.parametrize("profile", [{}, UI_OK, FIRM], ids=["empty", "person", "enterprise"])
def test_one_result_per_catalogue_policy(kb, spec, profile):
    res = screen(profile, "2021-06-15")
    ids = [r.policy for r in res.results]
    assert len(ids) == len(set(ids)) == len(kb.policies)
    assert set(ids) == set(kb.policies) and set(spec) <= set(ids)
    assert all(r.status in STATUSES for r in res.results)
    assert sum(res.summary.values()) == len(ids)
    for r in res.results:
        assert r.reasons, r.policy
        if r.status != "eligible":
            assert r.amount is None and r.amount_fen is None, r.policy  # no amount is not 0


def test_partial_profile_needs_information_naming_the_fields():
    r = result({"contribution_years": 3}, "2021-06-15", "unemployment_insurance_benefit")
    assert r.status == "needs_information" and r.computed and r.amount is None
    fields = {m.field for m in r.missing}
    assert {"involuntary_separation", "registered_unemployed", "job_seeking", "is_unemployed",
            "receiving_pension", "ui_stop_event"} <= fields
    assert "contribution_years" not in fields
    assert all(m.label for m in r.missing)
    states = {x.condition: x.state for x in r.reasons if x.condition}
    assert states["contribution"] == "met" and states["involuntary"] == "unknown"


def test_every_missing_field_is_a_profile_field():
    """What `missing` asks for can be written into the profile as is."""
    for profile in ({}, {"subject": "enterprise"}):
        for r in screen(profile, "2021-06-15").results:
            for m in r.missing:
                path = tuple(m.field.split("."))
                if profile.get("subject") == "enterprise":
                    path = ("enterprise",) + path
                assert field_title(path), f"{r.policy}: {m.field} is not a profile field"


def test_unknown_is_never_false():
    """Not saying whether one receives a pension is not the same as saying no."""
    given = dict(UI_OK)
    del given["receiving_pension"]
    r = result(given, "2021-06-15", "unemployment_insurance_benefit")
    assert r.status == "needs_information"
    assert [m.field for m in r.missing] == ["receiving_pension"]


# ------------------------------------------------------------------------------------------------
# Amounts, to the fen


def test_unemployment_benefit_2021_amounts_and_months():
    r = result(UI_OK, "2021-06-15", "unemployment_insurance_benefit")
    assert r.status == "eligible"
    assert (r.amount, r.amount_fen, r.unit, r.months) == (1404.00, 140400, "元/月", 8)  # 3 years -> 8 months
    figures = {f.label: f.value for f in r.figures}
    assert figures["第13至24个月每月"] == 1248.00  # 1560 × 80 %
    assert figures["领取期间合计"] == 11232.00  # 8 × 1404.00


def test_unemployment_assistance_1404_times_80_percent_is_1123_20():
    r = result(UA_OK, "2021-06-15", "unemployment_assistance")
    assert r.status == "eligible"
    assert r.amount == 1123.20 and r.amount_fen == 112320 and r.unit == "元/月" and r.months == 6
    assert {f.label: f.value for f in r.figures}["合计"] == 6739.20
    amount_reason = r.reasons[-1].text
    assert "1,404 元 × 80% = 1,123.20 元" in amount_reason and "1,123.20 元 × 6 个月 = 6,739.20 元" in amount_reason
    assert "《百问百答》三、失业保险政策 › (二)失业补助金政策 › 3" in amount_reason


def test_both_spouses_unemployed_adds_8_percent():
    profile = dict(UI_OK, has_spouse=True, household={"members": [{"relation": "spouse", "is_unemployed": True}]})
    r = result(profile, "2021-06-15", "unemployment_insurance_benefit")
    assert r.status == "eligible" and r.amount == 1516.32  # 1404.00 × 1.08
    assert any("夫妻双方同时失业" in x.text for x in r.reasons)


def test_eligible_with_an_unknown_uplift_gives_no_amount_but_says_what_is_known():
    profile = {k: v for k, v in UI_OK.items() if k != "has_spouse"}
    r = result(profile, "2021-06-15", "unemployment_insurance_benefit")
    assert r.status == "eligible" and r.amount is None and r.amount_fen is None and r.months == 8
    assert [m.field for m in r.missing] == ["spouse_unemployed"]
    assert any("1,404 元" in x.text and x.state == "info" for x in r.reasons)


def test_eligible_but_amount_unknown_is_null_with_the_missing_parameter():
    """The league's benefit base after 2021-11 is not in the sources: no amount, and say so."""
    r = result(UI_OK, "2022-10-15", "unemployment_insurance_benefit")
    assert r.status == "eligible" and r.amount is None and r.months == 8
    assert [p.parameter for p in r.unknown_parameters] == ["unemployment_insurance.pooling_minimum_wage"]


def test_enterprise_job_retention_refund():
    r = result(FIRM, "2021-06-15", "job_retention_refund")
    assert r.status == "eligible" and r.amount == 7407.40  # 12345.67 × 60 % (2021, small firm)
    r22 = result(FIRM, "2022-06-15", "job_retention_refund")
    assert r22.amount == 11111.10  # × 90 % (2022)
    text = " ".join(x.text for x in r.reasons)
    assert "裁员率 2%" in text and "6%" in text


# ------------------------------------------------------------------------------------------------
# Dates: each document's rule, windows


def test_2021_and_2022_dates_apply_each_documents_rule():
    """000 (2021): a returning poverty-alleviated founder qualifies after 6 months; 003 (2022-09):
    any poverty-alleviated founder, after 12 months."""
    r21 = result(dict(POVERTY_FOUNDER, business_registration_date="2020-10-01"), "2021-06-15", "startup_subsidy")
    assert r21.status == "eligible" and r21.amount == 5000.00
    operating = next(x for x in r21.reasons if x.condition == "poverty_operating")
    assert operating.state == "met" and operating.source.document == "000" and "6 个月" in operating.text
    r22 = result(dict(POVERTY_FOUNDER, business_registration_date="2022-02-01"), "2022-10-15", "startup_subsidy")
    assert r22.status == "not_eligible" and r22.amount is None
    operating = next(x for x in r22.reasons if x.condition == "poverty_operating")
    assert operating.state == "not_met" and operating.source.document == "003"
    assert "不满脱贫劳动力的 12 个月" in operating.text and "再正常运营 4 个月" in operating.text


def test_window_closed_after_the_window():
    assert result(UA_OK, "2022-12-31", "unemployment_assistance").status == "eligible"
    closed = result(UA_OK, "2023-01-01", "unemployment_assistance")
    assert closed.status == "window_closed" and closed.amount is None
    assert any("2022年12月31日" in x.text for x in closed.reasons)
    # 技能提升补贴 (参保职工): the date in both documents belongs to the 12-month rule, not to the subsidy (issue 17
    # item 3): after 2022 the months required are a missing value, not a closed window
    assert result({}, "2023-06-01", "skill_upgrade_subsidy_employee").status == "needs_information"
    # a service item with a stated end, for the subject it concerns
    assert result({"subject": "enterprise"}, "2023-06-01", "ui_rate_reduction").status == "window_closed"
    assert result({"subject": "enterprise"}, "2022-10-01", "ui_rate_reduction").status == "needs_information"


def test_rules_window_wins_over_an_old_catalogue_deadline():
    """000 closed vocational-training subsidies on 2021-12-31; 003 (2022-09) lists them again."""
    r = result({}, "2022-10-15", "vocational_training_subsidy")
    assert r.status == "needs_information"
    assert any(x.condition == "window" and x.state == "met" for x in r.reasons)
    assert result({}, "2022-03-15", "vocational_training_subsidy").status == "window_closed"


# ------------------------------------------------------------------------------------------------
# Reasons


def test_pension_recipient_is_not_eligible_for_unemployment_benefit_with_the_reason():
    r = result(dict(UI_OK, receiving_pension=True), "2021-06-15", "unemployment_insurance_benefit")
    assert r.status == "not_eligible" and r.missing == []
    failing = [x for x in r.reasons if x.state == "not_met"]
    assert [x.condition for x in failing] == ["no_pension"]
    assert "养老" in failing[0].text and failing[0].source.quote == "享受基本养老保险待遇的"


# Snapshots of rendered sentences: template + values + parameter + source quote.
SNAPSHOTS = [
    (UI_OK, "2021-06-15", "unemployment_insurance_benefit", "contribution",
     "已缴纳失业保险 3 年，满 1 年的条件已满足（《百问百答》三、失业保险政策 › (一)失业保险金政策 › 1：“所在单位和本人已按照规定履行缴费义务满1年的”）"),
    (dict(UI_OK, contribution_years=0.75), "2021-06-15", "unemployment_insurance_benefit", "contribution",
     "已缴纳失业保险 0.75 年，不满 1 年；再缴满 3 个月失业保险即可申领（《百问百答》三、失业保险政策 › (一)失业保险金政策 › 1：“所在单位和本人已按照规定履行缴费义务满1年的”）"),
    (UI_OK, "2022-10-15", "unemployment_insurance_benefit", "contribution",
     "已缴纳失业保险 3 年，满 1 年的条件已满足（《政策手册》失业保险政策 › 六、失业保险金 › (一) 申领条件：“所在单位和本人已按规定履行缴费义务满1年的”）"),
    ({"contribution_years": 0.5, "is_enterprise_employee": True}, "2021-06-15", "skill_upgrade_subsidy_employee", "contribution",
     "累计缴纳失业保险费 6 个月，不满 12 个月；再缴满 6 个月即可申领（《百问百答》三、失业保险政策 › (五)技能提升补贴政策 › 1：“兴安盟行政区域内依法参加失业保险且申请期间正常缴费，累计缴纳失业保险费 12 个月以上的（执行到 2021 年 12 月 31 日）”）"),
    (FIRM, "2021-06-15", "job_retention_refund", "paid_years",
     "足额缴纳失业保险 3 年，满 1 年（《百问百答》三、失业保险政策 › (六)失业保险稳岗返还政策 › 1：“参保企业失业保险足额缴纳一年以上，且失业保险不欠费”）"),
]


@pytest.mark.parametrize(("profile", "day", "policy", "condition", "text"), SNAPSHOTS)
def test_rendered_sentences(profile, day, policy, condition, text):
    r = result(profile, day, policy)
    assert next(x.text for x in r.reasons if x.condition == condition) == text


def test_reasons_come_from_the_rules_condition_variables():
    """Each policy declared with named conditions has <p>_cond_<c> and <p>_cond_<c>_known variables,
    its eligibility formula reads them (see the trace), and the file has sentences for each."""
    tbs = build_system()
    assert len(tbs.policy_rules) >= 15
    for policy, rules in tbs.policy_rules.items():
        for c in rules.conditions:
            assert f"{policy}_cond_{c}" in tbs.variables and f"{policy}_cond_{c}_known" in tbs.variables
    from openfisca_core.simulations import SimulationBuilder
    sim = SimulationBuilder().build_default_simulation(tbs, count=1)
    sim.trace = True
    sim.calculate("unemployment_insurance_benefit_eligible", "2021-06")
    node = sim.tracer.trees[0]
    children = {c.name for c in node.children}
    assert {f"unemployment_insurance_benefit_cond_{c}" for c in tbs.policy_rules["unemployment_insurance_benefit"].conditions} <= children


def test_service_items_are_marked_not_computed_with_the_catalogue_conditions(kb):
    # 失业登记: an eligibility item without rules (就业困难人员认定 has rules now: tests/test_screening_hard_to_employ.py)
    r = result(UI_OK, "2021-06-15", "unemployment_registration")
    assert r.computed is False and r.status == "needs_information" and r.amount is None
    assert len(r.checks_for_you) == len(kb.policies["unemployment_registration"].conditions)
    assert "不作计算" in r.reasons[0].text
    assert r.materials == kb.policies["unemployment_registration"].materials


def test_policies_for_the_other_subject_are_not_eligible():
    r = result(UI_OK, "2021-06-15", "job_retention_refund")
    assert r.status == "not_eligible" and "用人单位" in r.reasons[0].text
    r = result(FIRM, "2021-06-15", "unemployment_insurance_benefit")
    assert r.status == "not_eligible" and "个人" in r.reasons[0].text


def test_how_to_apply_gives_the_districts_office_and_phone():
    r = result(UI_OK, "2021-06-15", "unemployment_insurance_benefit")
    assert [c.phone for c in r.how_to_apply.contacts] == ["0482-6718039"]
    assert r.how_to_apply.channels.offline and r.how_to_apply.steps and r.materials
    assert {c.text for c in r.checks_for_you} == {"并有求职要求的", "停发情形——有法律、行政法规规定的其他情形的"}
    nowhere = result({}, "2021-06-15", "unemployment_insurance_benefit")
    assert {c.district for c in nowhere.how_to_apply.contacts} == {"兴安盟"} and nowhere.how_to_apply.note


def test_id_number_supplies_birth_date_and_sex():
    # 1949-12-31, female: 71 in 2021, so outside working age for vocational training
    r = result({"id_number": "11010519491231002X", "female_cadre_post": False, "training_shortage_occupation": False}, "2021-06-15",
               "vocational_training_subsidy")
    assert next(x for x in r.reasons if x.condition == "age").state == "not_met"


def test_district_aliases_are_accepted():
    assert screen({"district": "扎旗"}, "2021-06-15").district == "扎赉特旗"
    assert screen({"district": "科尔沁右翼中旗"}, "2021-06-15").district == "科右中旗"


# ------------------------------------------------------------------------------------------------
# Bad input: the function, the CLI (exit 2) and the API (422) name the field

BAD = [
    ({"favourite_colour": "red"}, "favourite_colour"),
    ({"contribution_years": "three"}, "contribution_years"),
    ({"is_unemployed": "maybe"}, "is_unemployed"),
    ({"birth_date": "2030-01-01"}, "birth_date"),
    ({"birth_date": "1990-02-30"}, "birth_date"),
    ({"contribution_years": -1}, "contribution_years"),
    ({"months_of_service": -3}, "months_of_service"),
    ({"certificate_date": "2021-07-01"}, "certificate_date"),  # after the as-of date
    ({"id_number": "110105194912310021"}, "id_number"),  # wrong check character
    ({"id_number": "11010519491231002X", "sex": "male"}, "sex"),  # the number says female
    ({"id_number": "11010519491231002X", "birth_date": "1950-01-01"}, "birth_date"),
    ({"district": "北京市"}, "district"),
    ({"household": {"members": [{"birth_date": "2030-01-01"}]}}, "household.members.0.birth_date"),
    ({"subject": "enterprise", "interns": [{"age": -1}]}, "interns.0.age"),
    ({"subject": "robot"}, "subject"),
]
AS_OF = "2021-06-15"


@pytest.mark.parametrize(("profile", "field"), BAD, ids=[f for _, f in BAD])
def test_bad_input_function(profile, field):
    with pytest.raises(ProfileError) as exc:
        screen(profile, AS_OF)
    assert field in [e["field"] for e in exc.value.errors]
    assert field in str(exc.value)


@pytest.mark.parametrize(("profile", "field"), BAD, ids=[f for _, f in BAD])
def test_bad_input_cli_exits_2(tmp_path, profile, field):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    r = runner.invoke(cli_app, ["screen", str(path), "--as-of", AS_OF])
    assert r.exit_code == 2
    assert f"「{field}」" in r.output


@pytest.mark.parametrize(("profile", "field"), BAD, ids=[f for _, f in BAD])
def test_bad_input_api_422(client, profile, field):
    r = client.post("/api/screen", json={"profile": profile, "as_of": AS_OF})
    assert r.status_code == 422
    assert f"profile.{field}" in [d["field"] for d in r.json()["detail"]]
    assert all(d["message"] for d in r.json()["detail"])


def test_bad_request_body(client):
    assert client.post("/api/screen", json={"profile": {}, "when": "today"}).status_code == 422
    assert client.post("/api/screen", json={"profile": {}, "as_of": "2021-13-01"}).status_code == 422
    r = runner.invoke(cli_app, ["screen", "/nonexistent/profile.json"])
    assert r.exit_code == 2


# ------------------------------------------------------------------------------------------------
# CLI and API agree; schemas


@pytest.mark.parametrize(("profile", "day"), [(UI_OK, "2021-06-15"), (UA_OK, "2022-10-01"), (FIRM, "2022-06-15")])
def test_cli_and_api_agree(client, tmp_path, profile, day):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    cli = runner.invoke(cli_app, ["screen", str(path), "--as-of", day, "--json"])
    assert cli.exit_code == 0, cli.output
    api = client.post("/api/screen", json={"profile": profile, "as_of": day})
    assert api.status_code == 200
    assert json.loads(cli.stdout) == api.json()
    assert api.json()["as_of"] == day


def test_cli_table_names_policies_and_statuses(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(UA_OK), encoding="utf-8")
    r = runner.invoke(cli_app, ["screen", str(path), "--as-of", "2021-06-15"])
    assert r.exit_code == 0, r.output
    assert "失业补助金" in r.output and "1123.20" in r.output and "符合" in r.output


def test_profile_schema_has_chinese_titles():
    r = runner.invoke(cli_app, ["schema", "profile"])
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    assert schema == profile_json_schema()
    person = schema["$defs"]["PersonProfile"]
    assert person["additionalProperties"] is False
    assert person["properties"]["birth_date"]["title"] == "出生日期"
    assert person["properties"]["contribution_years"]["anyOf"][0]["minimum"] == 0
    untitled = [k for k, v in person["properties"].items() if not any("\u4e00" <= ch <= "\u9fff" for ch in v.get("title", ""))]
    assert untitled == []
    assert runner.invoke(cli_app, ["schema", "nope"]).exit_code == 2


def test_openapi_publishes_the_screen_contract(client):
    spec = client.get("/openapi.json").json()
    assert "/api/screen" in spec["paths"]
    names = set(spec["components"]["schemas"])
    assert {"ScreenRequest", "ScreenResult", "PolicyResult", "PersonProfile", "EnterpriseProfile"} <= names
    assert spec["components"]["schemas"]["PersonProfile"]["properties"]["district"]["title"] == "所在旗县市"


def test_profile_model_usable_from_code():
    p = PersonProfile(contribution_years=2, district="突泉")
    assert p.district == "突泉县"
    assert screen(p, "2021-06-15").district == "突泉县"


# ------------------------------------------------------------------------------------------------
# The OpenFisca Web API of the same rules, under /openfisca


def test_openfisca_web_api_variables(client):
    r = client.get("/openfisca/variables")
    assert r.status_code == 200
    variables = r.json()
    assert "unemployment_benefit_months" in variables
    assert "unemployment_insurance_benefit_cond_contribution" in variables
    one = client.get("/openfisca/variable/unemployment_assistance_monthly_amount_fen")
    assert one.status_code == 200 and one.json()["entity"] == "person"


def test_openfisca_web_api_calculate(client):
    situation = {"persons": {"a": {
        **{k: {"2021-06": v} for k, v in UA_OK.items()},
        **{f"{k}_known": {"2021-06": True} for k in UA_OK},
        "unemployment_assistance_monthly_amount_fen": {"2021-06": None},
        "unemployment_assistance_months": {"2021-06": None},
    }}}
    r = client.post("/openfisca/calculate", json=situation)
    assert r.status_code == 200, r.text
    person = r.json()["persons"]["a"]
    assert person["unemployment_assistance_monthly_amount_fen"]["2021-06"] == 112320
    assert person["unemployment_assistance_months"]["2021-06"] == 6
    bad = client.post("/openfisca/calculate", json={"persons": {"a": {"no_such_variable": {"2021-06": 1}}}})
    assert bad.status_code in (400, 404)  # OpenFisca: unknown variable


# ------------------------------------------------------------------------------------------------
# data/screening/reasons.yaml is checked on load


def _broken(tmp_path: Path, edit) -> Path:
    from jiuye.config import data_dir
    raw = yaml.safe_load((data_dir() / "screening" / "reasons.yaml").read_text(encoding="utf-8"))
    edit(raw)
    path = tmp_path / "reasons.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("edit", "needle"), [
    (lambda r: r["policies"]["unemployment_insurance_benefit"]["conditions"].pop("no_pension"), "conditions"),
    (lambda r: r["policies"]["unemployment_insurance_benefit"]["conditions"]["contribution"]["values"].update(years="no_such_variable"),
     "no_such_variable"),
    (lambda r: r["policies"]["unemployment_insurance_benefit"]["conditions"]["contribution"].update(met="满 {nothing} 年"), "nothing"),
    (lambda r: r["policies"]["unemployment_insurance_benefit"]["conditions"]["contribution"]["quotes"][0].update(text="资料里没有这句话"),
     "verbatim"),
    (lambda r: r["policies"]["unemployment_insurance_benefit"]["conditions"]["contribution"]["values"].update(req="param:no.such"), "no.such"),
    (lambda r: r["policies"]["unemployment_insurance_benefit"]["conditions"]["contribution"].update(typo="x"), "typo"),
])
def test_reasons_file_is_validated_on_load(kb, tmp_path, edit, needle):
    with pytest.raises(ReasonsError) as exc:
        load_reasons(_broken(tmp_path, edit), build_system(), kb.source_texts)
    assert needle in str(exc.value)
    assert "unemployment_insurance_benefit" in str(exc.value)
