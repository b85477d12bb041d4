"""政策找人 asks only what can concern the person (issue 14, item 1): the rights calculators' facts
(加班、经济补偿) are never asked on the benefits path, and the details of a training, a business or
school or a household in hardship are asked only behind a gate question (`gate: true` in data/web/questionnaire.yaml). A person
who answers 不知道 to the gate is still asked the details of a household in hardship, a special category or school
(one checklist each), not those of a training or a business (only someone who trained or runs one can answer them)."""
from __future__ import annotations

import datetime as dt

import pytest

from cases_support import configured
from jiuye.knowledge.loader import get_knowledge
from jiuye.web import find_eval
from jiuye.web.pages import find

RIGHTS_FACTS = ["hourly_wage", "overtime_hours_extended", "overtime_hours_rest_day", "overtime_hours_public_holiday",
                "monthly_wage", "de_facto_labour_relation", "employer_terminated"]
GATED = {
    "took_training": ["training_category", "training_hours", "training_certificate_obtained", "training_days",
                      "training_claims_this_year", "training_same_occupation_level_claimed", "training_shortage_occupation"],
    "has_or_plans_business": ["is_first_business", "self_employment_registered", "business_in_xing_an", "has_other_loans",
                              "online_merchant", "rural_self_employed_farmer", "new_citizen", "returning_home_founder"],
    "student_or_recent_school_leaver": ["secondary_vocational_graduate", "junior_secondary_leaver", "national_student_loan",
                                        "in_labour_preparation_training", "rural_school_leaver_trainee"],
    "hardship_household": ["dibao_household_member", "urban_dibao_household_member", "rural_low_income",
                           "extreme_poverty_person", "poor_disabled_household_member", "poverty_alleviated_labour"],
    "special_category": ["veteran", "released_prisoner", "overcapacity_worker"],
}
AS_OF = dt.date(2026, 12, 1)
UNKNOWN_OPENS = {"student_or_recent_school_leaver", "hardship_household", "special_category"}


def _answers(**values) -> find.Answers:
    return find.Answers("person", dict(values), list(values))


def test_rights_calculator_facts_are_never_asked():
    qn = find.get_questionnaire()
    for key in RIGHTS_FACTS:
        assert qn.question(key, "person") is None, key
    # an employee who answered everything else is never shown one of them
    kb = get_knowledge()
    answers = _answers(district="乌兰浩特市", is_enterprise_employee=True, is_unemployed=False)
    for _ in range(15):
        questions, _n = find.next_questions(qn, kb, None, answers, find.screen_answers(answers, AS_OF))
        if not questions:
            break
        assert not {q.key for q in questions} & set(RIGHTS_FACTS)
        for q in questions:
            answers.values[q.key] = None


@pytest.mark.parametrize("gate", sorted(GATED))
def test_a_gate_decides_whether_its_details_are_asked(gate):
    qn = find.get_questionnaire()
    assert qn.questions[gate].gate and qn.questions[gate].kind == "yesno"
    other = {"college_graduate": False}  # the junior school-leaver questions also need this answer
    for detail in GATED[gate]:
        assert find._resolve(qn, detail, _answers(**other)) == gate, detail  # the gate comes first
        assert find._resolve(qn, detail, _answers(**other, **{gate: False})) is None, detail  # 没有: not asked
        assert find._resolve(qn, detail, _answers(**other, **{gate: True})) == detail, detail
        unknown = find._resolve(qn, detail, _answers(**other, **{gate: None}))
        assert unknown == (detail if gate in UNKNOWN_OPENS else None), detail  # 不知道


def test_a_college_graduate_is_not_asked_the_junior_school_leaver_questions():
    qn = find.get_questionnaire()
    for detail in ["junior_secondary_leaver", "rural_school_leaver_trainee", "in_labour_preparation_training"]:
        student = {"student_or_recent_school_leaver": True}
        assert find._resolve(qn, detail, _answers(**student, college_graduate=True)) is None
        assert find._resolve(qn, detail, _answers(**student, college_graduate=False)) == detail
        assert find._resolve(qn, detail, _answers(**student, college_graduate=None)) == detail


def test_gate_answers_are_not_facts_for_the_rules():
    answers = _answers(district="乌兰浩特市", took_training=False, has_or_plans_business=True,
                       student_or_recent_school_leaver=None, is_unemployed=True)
    profile = find.to_profile(answers)
    assert profile == {"district": "乌兰浩特市", "is_unemployed": True}
    screened = find.screen_answers(answers, AS_OF)
    assert screened.errors == [] and screened.result is not None


def test_a_gate_cannot_be_a_profile_field(tmp_path):
    from jiuye.config import data_dir

    path = data_dir() / "web" / "questionnaire.yaml"
    text = path.read_text(encoding="utf-8")
    bad = tmp_path / "q.yaml"
    bad.write_text(text.replace("  veteran:\n    label:", "  veteran:\n    gate: true\n    label:"), encoding="utf-8")
    with pytest.raises(find.QuestionnaireError, match="gate"):
        find.load_questionnaire(bad)


def test_a_persona_is_asked_training_details_only_when_it_trained():
    personas = find_eval.load_personas()
    kb = get_knowledge()
    qn = find.get_questionnaire()
    details = set(GATED["took_training"]) | {"training"}  # the questions and the checklist behind the gate
    p = next(x for x in personas.personas if x.id == "laid_off_woman_52")
    assert p.facts["took_training"] is False
    w = find_eval.walk(kb, p, personas.as_of)
    assert "who" in w.asked and "took_training" in qn.checklists["who"].items  # the gate, as a row of 「以下哪些」
    assert not set(w.asked) & details
    unsure = p.model_copy(update={"facts": {k: v for k, v in p.facts.items() if k != "took_training"}})
    assert not set(find_eval.walk(kb, unsure, personas.as_of).asked) & details  # 不知道: not asked either
    trained = p.model_copy(update={"facts": {**p.facts, "took_training": True}})
    assert set(find_eval.walk(kb, trained, personas.as_of).asked) & details


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from jiuye.web.app import create_app

    tmp = tmp_path_factory.mktemp("gates")
    with configured(f"sqlite:///{tmp / 'g.sqlite3'}", tmp, demo=False):
        with TestClient(create_app(), headers={"accept": "text/html"}) as c:
            yield c


def test_result_page_says_rights_calculators_are_separate_tools(client, monkeypatch):
    monkeypatch.setenv("JIUYE_TODAY", "2026-11-24")
    r = client.get("/find", params={"start": "1", "district": "乌兰浩特市", "is_enterprise_employee": "1",
                                    "is_unemployed": "0", "show": "1"})
    assert r.status_code == 200
    assert r.text.count("这是劳动权益计算") >= 1
    assert "工作日延长工作（加班）了多少小时" not in r.text  # never asked, so never listed as a question
