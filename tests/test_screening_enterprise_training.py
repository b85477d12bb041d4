"""企业职工培训补贴 (enterprise_training_subsidy) through screening and the employers' questionnaire.

The rules give each trainee's share of the 补贴标准 (全额 / 70 %) and the 200 元 per participant of the annual
safety training; the 补贴标准 itself (per occupation of the autonomous region's catalogue, set by the office)
is not in the documents. So: eligible with the share, the amount "needs 补贴标准" — never 0 元 — and the
employers' questionnaire asks only the annual safety training (what can change the verdict without a roster)."""
from __future__ import annotations

import datetime as dt

from jiuye.knowledge.loader import get_knowledge
from jiuye.screening import screen
from jiuye.web.pages import find

DAY = "2026-11-24"
PID = "enterprise_training_subsidy"
TRAINEE = {"enterprise_training_type": "pre_job", "training_certificate_obtained": True,
           "training_claims_this_year": 0, "training_same_occupation_level_claimed": False}


def _result(profile: dict, day: str = DAY):
    return next(r for r in screen({"subject": "enterprise", **profile}, day).results if r.policy == PID)


def test_the_catalogue_says_computed_and_the_screening_computes_it():
    assert get_knowledge().policies[PID].kind == "computed"
    r = _result({})
    assert r.computed and r.kind == "computed"


def test_an_eligible_trainee_without_the_standard_gives_the_share_and_asks_for_the_standard_not_0_yuan():
    facts = {"employees": [{**TRAINEE, "employment_key_group": False}], "annual_safety_training_accepted": False}
    r = _result(facts)  # 困难企业 would make it 全额 instead of 70 %: asked
    assert r.status == "eligible" and r.amount is None
    assert [m.label for m in r.missing] == ["属于困难企业", "补贴标准（按自治区目录，由人社部门核定）"]
    r = _result({**facts, "enterprise_in_difficulty": False})
    assert r.status == "eligible"
    assert r.amount is None and r.amount_fen is None  # not 0 元
    assert [m.label for m in r.missing] == ["补贴标准（按自治区目录，由人社部门核定）"]
    case = next(x for x in r.reasons if x.condition == "trainee_case")
    assert case.state == "met" and "按补贴标准的 70% 补贴 1 人" in case.text, case.text
    assert any(x.state == "info" and "补贴标准（按自治区目录，由人社部门核定）" in x.text for x in r.reasons)


def test_the_standard_given_by_the_office_gives_the_amount():
    r = _result({"employees": [{**TRAINEE, "employment_key_group": True, "enterprise_training_standard_fen": 180000}],
                 "annual_safety_training_accepted": False})
    assert r.status == "eligible" and r.amount == 1800.0


def test_the_annual_safety_training_is_200_yuan_per_participant_per_year():
    r = _result({"annual_safety_training_accepted": True, "annual_safety_training_participants": 35,
                 "employees": [{"enterprise_training_type": "none"}]})
    assert r.status == "eligible" and r.amount == 7000.0
    assert {f.label: (f.value, f.unit) for f in r.figures}["年度安全技能培训补贴"] == (7000.0, "元/年")
    assert any("人均 200 元 × 35 人 = 7,000 元" in x.text for x in r.reasons)


def test_safety_training_without_a_roster_is_eligible_with_the_known_part_only():
    r = _result({"annual_safety_training_accepted": True, "annual_safety_training_participants": 35})
    assert r.status == "eligible" and r.amount is None
    assert [m.field for m in r.missing] == ["employees"]
    assert any("目前能确定的部分为 7,000 元" in x.text for x in r.reasons)


def test_the_fourth_training_subsidy_of_the_year_is_refused():
    r = _result({"employees": [{**TRAINEE, "employment_key_group": True, "training_claims_this_year": 3}],
                 "annual_safety_training_accepted": False})
    assert r.status == "not_eligible"
    assert any(x.condition == "trainee_claims" and x.state == "not_met" for x in r.reasons)


def test_the_employers_questionnaire_asks_only_the_safety_training_for_this_policy():
    """Without a roster only the annual safety training can change the verdict: the policy misses it and
    the staff list (never asked); once answered 没有, nothing more is asked for it."""
    day = dt.date.fromisoformat(DAY)
    qn = find.get_questionnaire()
    answers = find.Answers("enterprise", {"district": "乌兰浩特市"}, ["district"])
    r = next(x for x in find.screen_answers(answers, day).result.results if x.policy == PID)
    assert {m.field for m in r.missing} == {"annual_safety_training_accepted", "employees"}
    asked = [q.key for q in find.next_questions(qn, get_knowledge(), None, answers, find.screen_answers(answers, day),
                                                 limit=100)[0]
             if not isinstance(q, find.Checklist)]
    assert "annual_safety_training_accepted" in asked and "annual_safety_training_participants" not in asked
    answers = find.Answers("enterprise", {"district": "乌兰浩特市", "annual_safety_training_accepted": False},
                           ["district", "annual_safety_training_accepted"])
    r = next(x for x in find.screen_answers(answers, day).result.results if x.policy == PID)
    assert {m.field for m in r.missing} == {"employees"}
    assert qn.question("employees", "enterprise") is None  # the staff list is checked by roster, not asked
