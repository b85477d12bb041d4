"""The catalogue's acceptance windows (data/policies/<id>.yaml) and the rules' window condition
(<policy>_cond_window, from the dated <policy>.open parameters) say the same on every date.

Before: 职业培训补贴 and 培训期间生活费补贴 were closed for good after 000's "以上政策受理期限截至 2021 年
12 月 31 日" in the catalogue, but open again from 2022-09-01 in the rules (003 lists them again: "按照
培训时间及培训补贴标准给予全额补贴", "在培训期间按规定给予每人每天100元生活费（含交通费）补贴"); 临时生活补助
was open in the catalogue until 2022-12-31 although 003 says "2022年8月1日起,取消临时生活补助"."""
from __future__ import annotations

import datetime as dt
import functools

import pytest
from openfisca_core.simulations import SimulationBuilder

from jiuye.knowledge.loader import get_knowledge
from jiuye.rules import build_system
from jiuye.screening import screen

DATES = ["2021-01-01", "2021-06-15", "2021-12-31", "2022-01-01", "2022-07-31", "2022-08-01", "2022-08-31",
         "2022-09-01", "2022-12-31", "2023-01-01", "2023-06-30", "2023-07-01", "2025-01-01", "2026-11-24"]


def rule_windows(pid: str) -> dict[str, bool | None]:
    tbs = build_system()
    out = {}
    for day in DATES:
        sim = SimulationBuilder().build_from_entities(tbs, {
            "persons": {"p": {}}, "households": {"h": {"spouses": ["p"]}}, "enterprises": {"e": {"representatives": ["p"]}}})
        month = day[:7]
        known = bool(sim.calculate(f"{pid}_cond_window_known", month)[0])
        out[day] = bool(sim.calculate(f"{pid}_cond_window", month)[0]) if known else None
    return out


WINDOWED = sorted(pid for pid, rules in build_system().policy_rules.items() if "window" in rules.conditions)


def test_there_are_windowed_policies():
    assert {"vocational_training_subsidy", "training_living_allowance", "temporary_living_allowance"} <= set(WINDOWED)


@pytest.mark.parametrize("pid", WINDOWED)
def test_catalogue_window_agrees_with_the_rules(pid):
    policy = get_knowledge().policies[pid]
    wrong = []
    for day, rule in rule_windows(pid).items():
        state = policy.window_status(dt.date.fromisoformat(day))["state"]
        if rule is None:  # the documents give no window for the date: the catalogue must not say closed
            ok = state != "closed"
        else:
            ok = (state == "open") == rule
        if not ok:
            wrong.append(f"{day}: catalogue {state}, rules {'open' if rule else 'closed'}")
    assert not wrong, f"{pid}: " + "; ".join(wrong)


@pytest.mark.parametrize("pid,day,state", [
    ("training_living_allowance", "2021-12-31", "open"),
    ("training_living_allowance", "2022-06-30", "closed"),
    ("training_living_allowance", "2022-10-01", "open"),
    ("vocational_training_subsidy", "2023-03-01", "open"),
    ("temporary_living_allowance", "2022-07-31", "open"),
    ("temporary_living_allowance", "2022-08-01", "closed"),
])
def test_json_window_state_agrees_with_the_status(pid, day, state):
    r = next(x for x in screen({}, day).results if x.policy == pid)
    assert r.window.state == state
    assert (r.status == "window_closed") == (state == "closed")
    if state == "closed":
        assert r.window.end is not None and r.window.end < dt.date.fromisoformat(day)


def test_every_catalogue_window_of_a_computed_policy_is_in_the_rules():
    """A computed policy whose catalogue states a window has the window as a rule condition too
    (policies without rules, such as 失业保险费缓缴, are judged on the catalogue's windows alone)."""
    rules = build_system().policy_rules
    lacking = [pid for pid, p in get_knowledge().policies.items() if p.windows and pid in rules and pid not in WINDOWED]
    assert not lacking


# The standards a window needs are in force on every date the window is open, like the limits that
# come with them: 职业培训补贴's A/B/C amounts and hours and its 56-hour minimum stood only until
# 2021-12-31 while the 3-a-year cap stayed and the window opened again on 2022-09-01, so every
# 2022-09+ answer was "暂时算不出". 000 五(一)6 gives the standards with no end date; "以上政策受理期限截至
# 2021 年 12 月 31 日" (五(一)1) closes the window; 003 still pays "按照培训时间及培训补贴标准给予全额补贴".
STANDARDS = {
    "vocational_training_subsidy": ["vocational_training.categories.a.base_amount", "vocational_training.categories.a.base_hours",
                                    "vocational_training.categories.b.base_amount", "vocational_training.categories.b.base_hours",
                                    "vocational_training.categories.c.base_amount", "vocational_training.categories.c.base_hours",
                                    "vocational_training.min_hours", "vocational_training.max_claims_per_year"],
    "training_living_allowance": ["training_living_allowance.per_day"],
}


@pytest.mark.parametrize("pid", sorted(STANDARDS))
def test_standards_are_in_force_wherever_the_window_is_open(pid):
    from jiuye.rules import core

    tbs = build_system()
    lacking = []
    for day, rule in rule_windows(pid).items():
        if not rule:
            continue
        for path in STANDARDS[pid]:
            if core.param(tbs.parameters, day, path) is None:
                lacking.append(f"{day}: {path}")
    assert not lacking, f"{pid}: window open but no standard: " + "; ".join(lacking)


@pytest.mark.parametrize("day,category,hours,amount", [
    ("2021-06-15", "a", 260, 1800.0),
    ("2022-10-15", "a", 260, 1800.0),
    ("2023-03-01", "c", 56, 600.0),
    ("2026-11-24", "b", 100, 650.0),  # below the base hours: 1300 × 100 / 200
])
def test_training_subsidy_amount_on_dates_the_documents_allow(day, category, hours, amount):
    profile = {"training_certificate_obtained": True, "receiving_pension": False, "age": 30,
               "training_category": category, "training_hours": hours, "training_claims_this_year": 0,
               "training_same_occupation_level_claimed": False}
    r = next(x for x in screen(profile, day).results if x.policy == "vocational_training_subsidy")
    assert r.status == "eligible" and r.amount == amount, (r.status, r.amount, [x.text for x in r.reasons])
    assert not r.unknown_parameters


def test_training_subsidy_in_the_gap_between_the_documents_is_closed_not_uncomputable():
    profile = {"training_certificate_obtained": True, "receiving_pension": False, "age": 30,
               "training_category": "a", "training_hours": 260, "training_claims_this_year": 0,
               "training_same_occupation_level_claimed": False}
    r = next(x for x in screen(profile, "2022-05-15").results if x.policy == "vocational_training_subsidy")
    assert r.status == "window_closed" and not r.unknown_parameters


# --- every policy in the catalogue, one check each -------------------------------------------------
@functools.lru_cache(maxsize=None)
def _screened(day: str, subject: str) -> dict:
    facts = {"district": "乌兰浩特市"} | ({"subject": "enterprise"} if subject == "enterprise" else {})
    return {r.policy: r for r in screen(facts, day).results}


@pytest.mark.parametrize("pid", sorted(get_knowledge().policies))
def test_every_policy_one_window_everywhere(pid):
    """For every policy on every date: the catalogue's window state, the rules' window condition (when
    the rules have one) and the screening's answer say the same. A policy whose rules carry no window
    condition must have no window in the catalogue either (the rules would keep computing it after
    the catalogue closed it), and the screening says 已截止 exactly where the catalogue does."""
    policy = get_knowledge().policies[pid]
    rules = build_system().policy_rules.get(pid)
    if rules is not None and "window" not in rules.conditions:
        assert not policy.windows, f"{pid}: the catalogue states windows the rules do not have"
    rule = rule_windows(pid) if pid in WINDOWED else {}
    wrong = []
    for day in DATES:
        state = policy.window_status(dt.date.fromisoformat(day))["state"]
        if pid in WINDOWED and rule[day] is not None and (state == "open") != rule[day]:
            wrong.append(f"{day}: catalogue {state}, rules {'open' if rule[day] else 'closed'}")
        r = _screened(day, policy.for_[0])[pid]
        if (r.status == "window_closed") != (state == "closed"):
            wrong.append(f"{day}: catalogue {state}, screening {r.status}")
    assert not wrong, f"{pid}: " + "; ".join(wrong)


def test_the_employees_skill_subsidy_is_not_closed_by_the_contribution_date():
    """003 八(一): "累计缴纳失业保险费12个月以上的（执行到2022年12月31日）" — the date belongs to the
    12-month condition; the unemployed group's "申请时正在领取失业保险金（2022年12月31日前）" closes that
    group. After 2022 the employee's answer needs the unknown requirement, the unemployed's is closed."""
    kb = get_knowledge()
    assert kb.policies["skill_upgrade_subsidy_employee"].window_status(dt.date(2023, 6, 1))["state"] == "no_window_stated"
    assert kb.policies["skill_upgrade_subsidy_unemployed"].window_status(dt.date(2023, 6, 1))["state"] == "closed"
    profile = {"is_enterprise_employee": True, "ui_contributing_now": True, "contribution_years": 3,
               "certificate_level": "junior", "certificate_date": "2023-03-01", "certificate_already_subsidised": False,
               "skill_subsidy_claims_this_year": 0}
    r = next(x for x in screen(profile, "2023-06-01").results if x.policy == "skill_upgrade_subsidy_employee")
    assert r.status == "needs_information"
    assert any(p.parameter.endswith("min_ui_contribution_months") for p in r.unknown_parameters), r.unknown_parameters
    r = next(x for x in screen({**profile, "certificate_date": "2022-03-01"}, "2022-06-01").results
             if x.policy == "skill_upgrade_subsidy_employee")
    assert r.status == "eligible" and r.amount == 1000.0


def test_the_enterprise_training_subsidy_has_no_window_in_either_place():
    """企业职工培训补贴 (000 五(一)14; 003 职业技能培训 (一)): decided like 职业培训补贴's — a window only where a
    document states one. 000 五(一)1's "以上政策受理期限截至 2021 年 12 月 31 日" closes the groups of 五(一)1;
    五(一)14's own "政策执行期限" gives only "一年内可累计享受培训补贴次数最多不超过 3 次", no date; 003 gives none.
    So no window in the catalogue nor in the rules, and 2022-05 (when 职业培训补贴 is closed) is not closed here."""
    pid = "enterprise_training_subsidy"
    assert pid in build_system().policy_rules and pid not in WINDOWED
    policy = get_knowledge().policies[pid]
    assert not policy.windows
    assert policy.window_status(dt.date(2022, 5, 15))["state"] == "no_window_stated"
    trainee = {"enterprise_training_type": "pre_job", "training_certificate_obtained": True, "employment_key_group": True,
               "training_claims_this_year": 0, "training_same_occupation_level_claimed": False}
    for day in ("2021-06-15", "2022-05-15", "2026-11-24"):
        r = next(x for x in screen({"subject": "enterprise", "employees": [trainee]}, day).results if x.policy == pid)
        assert r.status == "eligible", (day, r.status)
