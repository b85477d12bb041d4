"""What people read in a screening result (issue 14, item 2, last bullet): every reason line names its
source, no two lines say the same, the quote shown for a figure is the sentence that states it, every
amount shows its arithmetic from the evaluation's values, what is missing is named in Chinese, the
window status agrees with the reasons, and a reason speaks only of conditions that concern the person.

The profiles: the 35 personas of data/eval/find_personas.yaml (their facts, as a profile) on three
dates, one eligible case per computed policy (AMOUNT_CASES), and an empty person and enterprise on
the dates where windows open and close."""
from __future__ import annotations

import datetime as dt
import functools
import re

import pytest
import yaml

from jiuye.config import data_dir
from jiuye.knowledge.labels import CJK, labels
from jiuye.screening import EnterpriseProfile, PersonProfile, screen
from jiuye.screening import cites as cz
from jiuye.screening import reasons as rz
from jiuye.screening.service import ENTERPRISE_DERIVED, PERSON_DERIVED, default_screener

DAYS = ["2021-06-15", "2022-10-01", "2026-12-01"]
WINDOW_DAYS = ["2021-01-01", "2021-06-15", "2021-12-31", "2022-01-01", "2022-07-31", "2022-08-01", "2022-09-01",
               "2022-12-31", "2023-01-01", "2023-06-30", "2025-01-01", "2026-11-24"]

UI = {"contribution_years": 12, "involuntary_separation": True, "registered_unemployed": True, "job_seeking": True,
      "is_unemployed": True, "receiving_pension": False, "ui_stop_event": False, "birth_date": "1968-05-01", "sex": "male",
      "has_spouse": True, "spouse_unemployed": True, "district": "扎赉特旗"}
FIRM = {"subject": "enterprise", "district": "乌兰浩特市", "enterprise_category": "small", "enterprise_ui_paid_years": 3,
        "ui_arrears": False, "on_dishonesty_list": False, "zombie_enterprise": False, "environmental_compliant": True,
        "layoff_count": 1, "insured_headcount": 50, "ui_contributions_last_year": "12345.67"}
GRADUATE = {"college_graduate": True, "college_leaving_date": "2022-07-01", "hire_date": "2022-08-01",
            "labour_contract_months": 24, "ui_insured": True, "employer_pays_si": True,
            "employed_before_hire_since_leaving_college": False, "graduate_hiring_subsidy_received": False,
            "job_expansion_subsidy_received": False}

# One eligible case per computed policy, with an amount where the documents give one.
AMOUNT_CASES = [
    ("unemployment_insurance_benefit", "2021-06-15", UI),
    ("unemployment_insurance_benefit", "2021-06-15", {**UI, "receiving_ui_benefit": True, "ui_benefit_months_drawn": 15}),
    ("unemployment_assistance", "2021-06-15", {"ui_benefit_exhausted": True, "ui_benefit_end_date": "2021-02-28",
                                               "is_unemployed": True, "receiving_pension": False, "ui_stop_event": False}),
    ("skill_upgrade_subsidy_employee", "2021-06-15", {
        "is_enterprise_employee": True, "ui_contributing_now": True, "contribution_years": 2, "certificate_level": "intermediate",
        "certificate_date": "2021-04-01", "certificate_already_subsidised": False, "skill_subsidy_claims_this_year": 0}),
    ("startup_subsidy", "2021-06-15", {
        "poverty_alleviated_labour": True, "returning_home_founder": True, "is_first_business": True,
        "business_operating_normally": True, "business_registration_date": "2020-10-01", "college_graduate": False,
        "hard_to_employ_certified": False, "has_disability_certificate": False}),
    ("startup_loan_individual", "2021-06-15", {"registered_unemployed": True, "has_other_loans": False,
                                               "self_employment_registered": True, "business_in_xing_an": True,
                                               "startup_partnership": True}),
    ("startup_loan_small_business", "2021-06-15", {"subject": "enterprise", "enterprise_category": "small",
                                                   "current_employees": 20, "new_qualifying_hires": 4,
                                                   "serious_violation_record": False}),
    ("job_retention_refund", "2021-06-15", FIRM),
    ("public_welfare_post", "2022-03-15", {"hard_to_employ_certified": True, "birth_date": "1968-03-15", "sex": "male",
                                           "district": "扎赉特旗"}),
    ("training_living_allowance", "2021-06-15", {"hard_to_employ_certified": True, "training_days": 10}),
    ("vocational_training_subsidy", "2021-06-15", {
        "training_certificate_obtained": True, "receiving_pension": False, "birth_date": "1990-01-01", "sex": "male",
        "training_category": "b", "training_hours": 150, "training_claims_this_year": 0,
        "training_same_occupation_level_claimed": False}),
    ("overtime_pay", "2022-10-01", {"hourly_wage": "20", "overtime_hours_extended": 10, "overtime_hours_rest_day": 8,
                                    "overtime_hours_public_holiday": 4}),
    ("work_based_training_subsidy", "2021-05-15", {
        "subject": "enterprise", "district": "乌兰浩特市", "enterprise_category": "small", "hired_key_groups_for_training": True,
        "si_paid_in_region": True, "work_based_trainees": 10, "work_based_training_months_claimed": 2}),
    ("rural_worker_lump_sum_allowance", "2021-06-15", {
        "rural_migrant_worker": True, "months_of_service": 40, "employer_paid_ui_in_full": True, "labour_contract_ended": True,
        "registered_unemployed": True, "district": "扎赉特旗"}),
    ("job_search_startup_subsidy", "2022-10-01", {"college_graduate": True, "college_leaving_date": "2023-06-30",
                                                  "national_student_loan": True, "actively_seeking_job_or_startup": True}),
    ("labour_preparation_training", "2022-10-01", {"junior_secondary_leaver": True, "in_labour_preparation_training": True,
                                                   "rural_school_leaver_trainee": True}),
    ("graduate_hiring_subsidy", "2022-10-01", {"subject": "enterprise", "enterprise_category": "small",
                                               "employees": [GRADUATE] * 3}),
    ("job_expansion_subsidy", "2022-10-01", {"subject": "enterprise", "enterprise_category": "small",
                                             "employees": [GRADUATE] * 2}),
    ("retention_training_subsidy", "2022-10-01", {
        "subject": "enterprise", "enterprise_category": "small", "pooling_area_had_risk_area": True,
        "epidemic_operations_suspended": True, "pooling_area_ui_fund_reserve_years": 3, "on_dishonesty_list": False,
        "zombie_enterprise": False, "environmental_compliant": True, "insured_employees": 20}),
    ("apprenticeship_subsidy", "2022-10-01", {"subject": "enterprise", "employees": [
        {"in_new_apprenticeship": True, "labour_contract_months": 24, "apprenticeship_agreement_signed": True,
         "certificate_level": "senior"}] * 2}),
    ("youth_internship_subsidy", "2022-10-01", {"subject": "enterprise", "internship_retention_rate": 0.6, "interns": [
        {"college_graduate": True, "college_leaving_date": "2022-06-30", "employed_since_leaving_college": False,
         "internship_months": 6},
        {"age": 20, "is_unemployed": True, "internship_months": 4}]}),
    ("enterprise_hard_to_employ_si_subsidy", "2022-10-01", {"subject": "enterprise", "employees": [
        {"hard_to_employ_certified": True, "employer_pays_si": True, "employer_si_contributions_paid_fen": 300000,
         "birth_date": "1980-01-01", "sex": "male"}]}),
    ("flexible_employment_si_subsidy", "2022-10-01", {
        "flexibly_employed": True, "pays_si_as_flexible_worker": True, "hard_to_employ_certified": True,
        "si_contributions_paid": "6000", "birth_date": "1980-01-01", "sex": "male"}),
    ("graduate_small_business_si_subsidy", "2022-10-01", {"subject": "enterprise", "enterprise_category": "micro",
                                                          "employees": [GRADUATE]}),
    ("temporary_living_allowance", "2021-06-15", {
        "rural_migrant_worker": True, "ui_insured": True, "contribution_years": 0.5, "ui_contribution_stop_date": "2021-03-01",
        "is_unemployed": True, "receiving_pension": False, "ui_stop_event": False}),
]
# The documents give no amount for these (the rules compute a term, or need a figure the sources lack).
NO_AMOUNT = {"graduate_small_business_si_subsidy", "temporary_living_allowance"}


def _persona_profiles(day: str) -> list[tuple[str, dict]]:
    """The personas' facts as profiles, their dates moved with the evaluation date (the file is
    written for its own as_of)."""
    raw = yaml.safe_load((data_dir() / "eval" / "find_personas.yaml").read_text(encoding="utf-8"))
    shift = dt.date.fromisoformat(day) - raw["as_of"]

    def moved(v):
        if isinstance(v, dt.date):
            return (v + shift).isoformat()
        return {k: moved(x) for k, x in v.items()} if isinstance(v, dict) else v

    out = []
    for p in raw["personas"]:
        enterprise = p.get("group") == "employer"
        fields = (EnterpriseProfile if enterprise else PersonProfile).model_fields
        facts = {k: moved(v) for k, v in p["facts"].items() if k in fields}
        out.append((p["id"], {**facts, **({"subject": "enterprise"} if enterprise else {})}))
    return out


@functools.lru_cache(maxsize=1)
def screenings() -> list[tuple[str, str, object]]:
    """(label, day, result) for every profile and date of this file."""
    out = []
    for pid, day, profile in AMOUNT_CASES:
        out += [(f"{pid}@{day}", day, r) for r in screen(profile, day).results]
    for day in DAYS:
        for name, profile in _persona_profiles(day):
            out += [(f"{name}@{day}", day, r) for r in screen(profile, day).results]
    for day in WINDOW_DAYS:
        for profile in ({}, {"subject": "enterprise"}):
            out += [(f"empty-{profile.get('subject', 'person')}@{day}", day, r) for r in screen(profile, day).results]
    return out


def sentence(reason) -> str:
    """The reason's own words, without the sources appended to it."""
    cites = [cz.Cite(document=s.document, section=s.section, quote=s.quote, title=None if s.document else s.title,
                     href=s.href, note=s.note, entered_by=s.entered_by) for s in reason.sources]
    suffix = cz.with_cites("", cites)
    text = reason.text
    if cites and text.endswith(suffix):
        return text[: -len(suffix)]
    return text.split("（最近的依据：")[0]


# --- every line names its source ---------------------------------------------------------------------

ROUTE_HEADER = re.compile(r"满足其一即可：$")
EXPLANATORY = ("符合条件，但金额或期限还不能完全确定：还需要", "资料没有给出这一日期适用的")
DOC_CODE = re.compile(r"号资料|(?<![\d,.])(?:000|003)(?![\d,.%])")


def test_every_rules_policy_has_its_sentences():
    """No policy falls back to the generic "<condition label>：已满足" lines."""
    screener = default_screener()
    assert set(screener.rules) <= set(screener.spec.policies)


def test_every_reason_line_names_its_source():
    problems = []
    for label, _day, r in screenings():
        for x in r.reasons:
            where = f"{label} {r.policy}: {x.text[:80]}"
            if DOC_CODE.search(sentence(x)):
                problems.append(f"{where} — internal document number")
            if re.search(r"：(已满足|不满足|还不知道是否满足)$", x.text):
                problems.append(f"{where} — generic line")
            if x.state == "info" and x.condition is None and (ROUTE_HEADER.search(x.text) or x.text.startswith(EXPLANATORY)):
                continue  # a heading of alternatives, or a list of what is still missing (see `missing`)
            if not x.sources or x.source != x.sources[0]:
                problems.append(f"{where} — no source")
                continue
            for s in x.sources:
                if s.document:
                    named = labels().source_name(s.document, s.section)
                    if not s.section or named not in x.text or not s.title:
                        problems.append(f"{where} — {s.document} without its title and section")
                elif not (s.title and s.title in x.text):
                    problems.append(f"{where} — a reference without its title")
    assert not problems, "\n".join(sorted(set(problems))[:40])


def test_a_quote_is_located_in_its_section():
    """The section shown for a quoted sentence is the one of data/qa/ that holds it."""
    kb = default_screener().kb
    seen = set()
    for _label, _day, r in screenings():
        for x in r.reasons:
            for s in x.sources:
                if s.document and s.quote and (s.document, s.quote) not in seen and s.parameter is None:
                    seen.add((s.document, s.quote))
                    assert s.section in kb.sections_of(s.document, s.quote, r.policy), (r.policy, s.quote)
    assert len(seen) > 50


# --- no two lines say the same -------------------------------------------------------------------------

CLOSED = re.compile(r"已于.*(截止|取消)|期已过")


def test_no_two_lines_say_the_same_thing():
    problems = []
    for label, _day, r in screenings():
        texts = [sentence(x) for x in r.reasons]
        conditions = [x.condition for x in r.reasons if x.condition]
        closed = [t for t in texts if CLOSED.search(t)]
        if len(set(texts)) != len(texts) or len(set(conditions)) != len(conditions) or len(closed) > 1:
            problems.append(f"{label} {r.policy}: {texts}")
    assert not problems, "\n".join(problems[:20])


def test_no_line_shows_an_unknown_figure():
    """A figure the date has no value for is left out of the sentence, not written 「（未知）」."""
    shown = {f"{r.policy}: {x.text[:60]}" for _label, _day, r in screenings() for x in r.reasons if "（未知）" in x.text}
    assert not shown, sorted(shown)


# --- the quote shown for a figure states it ---------------------------------------------------------------

# Figures no sentence of the documents states as such; the line cites the sentences they are derived from.
DERIVED = {
    "unemployment_insurance.pooling_minimum_wage":
        "1560 元 = 1404.00 元 ÷ 90%: 000 gives the month 1-12 standard (1404.00 元) and the rate (90%), not the base",
}


def _items(text: rz.PolicyText):
    for c, t in text.conditions.items():
        for state in ("met", "not_met", "unknown"):
            yield f"{c}.{state}", t, getattr(t, state)
    for n in text.notes:
        yield f"note {n.variable}", n, n.met
    for i, a in enumerate(text.amount_reason):
        yield f"amount {i + 1}", a, a.text


def _parameter_values(tbs, item, day: dt.date) -> dict:
    params = tbs.get_parameters_at_instant(day.replace(day=1).isoformat())
    values = {}
    for name, spec in item.values.items():
        if spec.startswith("param:"):
            node = params
            try:
                for part in spec[6:].split("."):
                    node = node[part]
            except Exception:  # noqa: BLE001 - no value for the date
                node = None
            values[name] = node
        else:
            values[name] = None  # a variable of the evaluation: not a parameter's figure
    for name, spec in item.values.items():
        if spec.startswith("="):
            values[name] = rz.evaluate(spec[1:], values)
    return values


@pytest.mark.parametrize("day", ["2021-06-15", "2022-10-01", "2025-06-01"])
def test_the_quote_shown_for_a_figure_is_the_sentence_that_states_it(day):
    screener = default_screener()
    d = dt.date.fromisoformat(day)
    problems = []
    checked = 0
    for pid, text in screener.spec.policies.items():
        for where, item, template in _items(text):
            values = _parameter_values(screener.tbs, item, d)
            cites = cz.sentence_cites(item, template, values, screener.tbs, d, screener.spec)
            for name, path, value in cz.parameter_figures(item, template, values):
                checked += 1
                if path in DERIVED:
                    assert any(c.parameter == path for c in cites) or any(cz.carries(c.stated(), value) for c in cites)
                    continue
                if not any(cz.carries(c.stated(), value) for c in cites):
                    problems.append(f"{pid} {where}: {{{name}}} = {value} not in " + " / ".join(str(c.quote or c.title) for c in cites))
    assert checked > 40
    assert not problems, "\n".join(problems)


def test_carries_reads_the_forms_documents_use():
    assert cz.carries("失业保险金第 1 至 12 个月按照统筹地区最低工资标准的 90%发放", 0.9)
    assert cz.carries("参保企业失业保险足额缴纳一年以上", 1)
    assert cz.carries("正常经营1年以上", 12)  # 12 months
    assert cz.carries("个人贷款最高额度为 20 万元", 200000)
    assert not cz.carries("对见习人员见习期满留用率达到50%以上的单位,补贴标准提高至60%", 1980)
    assert not cz.carries("补贴标准为每人每月 600元", 60)


# --- every amount shows its arithmetic --------------------------------------------------------------------

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")


def equations(text: str) -> list[tuple[str, float, float]]:
    """Each "a × b … = c" of a sentence: (the written equation, the left side computed, c)."""
    out = []
    for clause in re.split(r"[；，。]", text):
        if "=" not in clause:
            continue
        left, _, right = clause.rpartition("=")
        left = left.rsplit("：", 1)[-1]
        left = re.sub(r"（[^（）\d]*）", "", left)  # a note in brackets with no figure
        expr = ""
        for token in re.findall(r"\d[\d,]*(?:\.\d+)?%?|[×÷+−（）()]", left):
            if token[0].isdigit():
                value = token.replace(",", "")
                expr += f"({value[:-1]}/100)" if value.endswith("%") else value
            else:
                expr += {"×": "*", "÷": "/", "−": "-", "（": "(", "）": ")"}.get(token, token)
        result = _NUMBER.search(right)
        assert result, f"no result after '=' in: {clause}"
        value = result.group(0).replace(",", "")
        rhs = float(value[:-1]) / 100 if value.endswith("%") else float(value)
        lhs = eval(expr, {"__builtins__": {}})  # noqa: S307 - digits and operators only
        out.append((clause.strip(), lhs, rhs))
    return out


def test_the_equation_reader():
    assert equations("第1至12个月每月：统筹地区最低工资标准 1,560 元 × 90% = 1,404 元") == [
        ("第1至12个月每月：统筹地区最低工资标准 1,560 元 × 90% = 1,404 元", pytest.approx(1404), 1404)]
    (_, lhs, rhs), = equations("合计：1,188 元 × 10 个月（各见习人员的见习月数之和） = 11,880 元")
    assert lhs == rhs == 11880


@pytest.mark.parametrize(("policy", "day", "profile"), AMOUNT_CASES, ids=[f"{p}-{d}" for p, d, _ in AMOUNT_CASES])
def test_every_amount_shows_its_arithmetic(policy, day, profile):
    r = next(x for x in screen(profile, day).results if x.policy == policy)
    assert r.status == "eligible", [x.text for x in r.reasons]
    found = []
    for x in r.reasons:
        for clause, lhs, rhs in equations(sentence(x)):
            assert abs(lhs - rhs) <= 0.011 + 1e-9 * abs(rhs), f"{clause}: the left side makes {lhs}"
            found.append((clause, rhs))
    if policy in NO_AMOUNT:
        return
    assert r.amount is not None, [x.text for x in r.reasons]
    shown = [x for x in r.reasons if x.state == "info" and rz.money(r.amount) in sentence(x)]
    assert shown, f"no line shows {rz.money(r.amount)}"
    # the amount is the result of an equation, or a standard stated by the quote shown with it
    by_equation = any(abs(rhs - r.amount) < 0.005 for _c, rhs in found)
    by_quote = any(cz.carries(s.quote, r.amount) for x in shown for s in x.sources)
    assert by_equation or by_quote, [x.text for x in shown]
    for f in r.figures:
        if f.unit == "元" and f.value:
            assert any(abs(rhs - f.value) < 0.005 for _c, rhs in found), f"{f.label} {f.value} has no arithmetic"


def test_amount_sentences_write_no_figure_by_hand():
    """Every 元 and % of an amount sentence is a value of the evaluation or a parameter."""
    hand = []
    for pid, text in default_screener().spec.policies.items():
        for a in text.amount_reason:
            bare = rz._PLACEHOLDER.sub("V", a.text).replace("[[", "").replace("]]", "")
            if re.search(r"\d[\d,.]*\s*(元|%)", bare):
                hand.append(f"{pid}: {a.text}")
    assert not hand


def test_money_is_written_as_people_write_it():
    assert rz.fmt(140400, "yuan") == "1,404"
    assert rz.fmt(112320, "yuan") == "1,123.20"
    assert rz.fmt(1560.0, "money") == "1,560"
    assert rz.fill("a[[ b {x}]] c", {"x": None}) == "a c"
    assert rz.fill("a[[ b {x}]] c", {"x": 2}) == "a b 2 c"


# --- what is missing is named in Chinese ---------------------------------------------------------------

ASCII_ID = re.compile(r"[A-Za-z0-9]+_[A-Za-z0-9_]+|\b[a-z]{3,}\b")


def _chinese_label(label: str) -> bool:
    return bool(CJK.search(label)) and not ASCII_ID.search(label) and not DOC_CODE.search(label)


def test_every_missing_fact_is_named_in_chinese_for_persons_and_enterprises():
    """Over every input of the rules and every name the rules can report missing (employees,
    interns/…, members/…), for a person and for an enterprise."""
    screener = default_screener()
    tbs = screener.tbs
    names = {n for n, v in tbs.variables.items() if v.is_input_variable() and not n.endswith("_known")}
    names |= set(PERSON_DERIVED) | set(ENTERPRISE_DERIVED) | {"employees"}
    bad = []
    for subject in ("person", "enterprise"):
        for name in sorted(names):
            for pid in ("youth_internship_subsidy", "graduate_hiring_subsidy"):
                for f in screener.field_labels(name, subject, pid):
                    if not _chinese_label(f["label"]):
                        bad.append(f"{subject} {name}: {f['label']}")
    assert not bad, "\n".join(sorted(set(bad)))


def test_every_profile_field_has_a_chinese_title():
    from pydantic import BaseModel

    from jiuye.screening.checks import _inner_model, field_title

    bad = []

    def walk(model, path):
        for name, info in model.model_fields.items():
            title = field_title(path + (name,))
            if name != "subject" and not _chinese_label(title):
                bad.append(f"{'.'.join(path + (name,))}: {title}")
            inner = _inner_model(info.annotation)
            if isinstance(inner, type) and issubclass(inner, BaseModel) and len(path) < 3:
                walk(inner, path + (name,))

    walk(PersonProfile, ("person",))
    walk(EnterpriseProfile, ("enterprise",))
    assert not bad, "\n".join(bad)


def test_every_parameter_a_result_can_name_is_in_chinese():
    screener = default_screener()
    paths = []

    def walk(node, prefix):
        for key, child in getattr(node, "children", {}).items():
            path = f"{prefix}.{key}" if prefix else key
            paths.append(path)
            walk(child, path)

    walk(screener.tbs.parameters, "")
    bad = [f"{p}: {screener.parameter_label(p, dt.date(2022, 10, 1))}" for p in paths
           if not _chinese_label(screener.parameter_label(p, dt.date(2022, 10, 1)))]
    assert len(paths) > 100
    assert not bad, "\n".join(bad)


def test_an_enterprise_is_told_in_chinese_what_is_missing():
    r = screen({"subject": "enterprise"}, "2022-10-01")
    labels_shown = [m.label for x in r.results for m in x.missing]
    assert labels_shown and all(_chinese_label(label) for label in labels_shown), labels_shown


# --- the window status agrees with the reasons ------------------------------------------------------------


@pytest.mark.parametrize("subject", ["person", "enterprise"])
def test_window_status_agrees_with_the_reasons(subject):
    kb = default_screener().kb
    problems = []
    for label, day, r in screenings():
        if not label.startswith(f"empty-{subject}") or subject not in kb.policies[r.policy].for_:
            continue
        texts = [sentence(x) for x in r.reasons]
        closed = [t for t in texts if CLOSED.search(t)]
        where = f"{day} {r.policy} ({r.status}, window {r.window.state})"
        if r.status == "window_closed":
            if r.window.state != "closed" or r.window.end is None or r.window.end >= dt.date.fromisoformat(day):
                problems.append(f"{where}: reported closed, the window says otherwise")
            elif len(closed) != 1 or rz.fmt(r.window.end) not in closed[0]:
                problems.append(f"{where}: {texts}")
        elif r.window.state == "closed":
            problems.append(f"{where}: the window is closed, the verdict is not")
        elif closed:
            problems.append(f"{where}: open, but a line says closed: {closed}")
    assert not problems, "\n".join(problems)


def test_the_api_reports_the_same_status_and_reasons():
    from fastapi.testclient import TestClient

    from jiuye.web.app import create_app

    body = TestClient(create_app()).post("/api/screen", json={"profile": {}, "as_of": "2023-03-01"}).json()
    by_id = {r["policy"]: r for r in body["results"]}
    for r in screen({}, "2023-03-01").results:
        assert by_id[r.policy]["status"] == r.status
        assert by_id[r.policy]["window"]["state"] == r.window.state
        assert [x["text"] for x in by_id[r.policy]["reasons"]] == [x.text for x in r.reasons]
    closed = by_id["unemployment_assistance"]
    assert closed["status"] == "window_closed" and closed["window"]["end"] == "2022-12-31"
    assert len(closed["reasons"]) == 1 and "2022年12月31日" in closed["reasons"][0]["text"]


# --- a reason speaks only of what concerns the person -----------------------------------------------------


def test_a_graduate_who_never_worked_is_not_told_they_quit():
    """Asked 「您是不是非本人意愿失去工作的？」, a graduate who never had a job answers 否; never insured,
    the benefit fails on the contributions, and no line says the job was left by choice."""
    graduate = {"college_graduate": True, "college_leaving_date": "2026-07-01", "employed_since_leaving_college": False,
                "ui_insured": False, "involuntary_separation": False, "is_unemployed": True, "job_seeking": True}
    r = next(x for x in screen(graduate, "2026-12-01").results if x.policy == "unemployment_insurance_benefit")
    assert r.status == "not_eligible"
    assert not any("是因本人意愿" in x.text for x in r.reasons)
    contribution = next(x for x in r.reasons if x.condition == "contribution")
    assert contribution.state == "not_met" and "0 年" in contribution.text


def test_personas_read_only_reasons_that_concern_them():
    """Walked through /find as a person would answer: nobody without a business reads about business
    premises, nobody who never worked reads that they left a job by choice."""
    from jiuye.knowledge.loader import get_knowledge
    from jiuye.web import find_eval
    from jiuye.web.pages import find

    kb = get_knowledge()
    spec = find_eval.load_personas()
    qn = find.get_questionnaire()
    checked = 0
    for p in spec.personas:
        no_business = p.facts.get("has_or_plans_business") is False
        never_worked = p.facts.get("employed_since_leaving_college") is False and not p.facts.get("contribution_years")
        if not (no_business or never_worked):
            continue
        w = find_eval.walk(kb, p, spec.as_of)
        group = qn.groups.get(p.group) if p.group else None
        answers, _ = find.parse_answers(qn, w.params, group.subject if group else "person", spec.as_of)
        find.apply_preset(qn, group, answers)
        result = find.screen_answers(answers, spec.as_of).result
        texts = [x.text for r in result.results for x in r.reasons]
        if no_business:
            assert not any("经营场所不在" in t for t in texts), p.id
        if never_worked:
            assert not any("是因本人意愿" in t for t in texts), p.id
        checked += 1
    assert checked >= 5


def test_the_evaluation_dates_cover_each_document():
    assert {rz.document_in_force(default_screener().spec, dt.date.fromisoformat(d), ["000", "003"]) for d in DAYS} == {"000", "003"}


def test_a_person_never_insured_is_not_told_the_benefit_was_used_up():
    """0 months because the contributions are under a year: the contributions line says why; nothing was
    领完. Someone who did draw all the months is told so."""
    day = dt.date(2021, 6, 1)
    base = {"district": "乌兰浩特市", "birth_date": "1985-03-01", "sex": "male", "is_unemployed": True,
            "registered_unemployed": True, "involuntary_separation": True, "job_seeking": True,
            "receiving_pension": False, "ui_stop_event": False}
    never = default_screener().screen({**base, "ui_insured": False, "contribution_years": 0}, day)
    r = next(x for x in never.results if x.policy == "unemployment_insurance_benefit")
    assert r.status == "not_eligible"
    texts = [x.text for x in r.reasons if x.state == "not_met"]
    assert any("不满 1 年" in t for t in texts) and not any("领完" in t for t in texts), texts
    drawn = default_screener().screen({**base, "ui_insured": True, "contribution_years": 3, "receiving_ui_benefit": True,
                                       "ui_benefit_months_drawn": 8}, day)
    r = next(x for x in drawn.results if x.policy == "unemployment_insurance_benefit")
    assert any("领完" in x.text for x in r.reasons if x.state == "not_met"), [x.text for x in r.reasons]
