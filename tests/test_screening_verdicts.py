"""Right verdicts (issue 14 item 2): retirement age, months already drawn, future graduation dates.

Each test states a case a citizen met: the screening said something the documents do not allow."""
from __future__ import annotations

from jiuye.screening import screen

UI = {
    "contribution_years": 12,
    "involuntary_separation": True,
    "registered_unemployed": True,
    "job_seeking": True,
    "is_unemployed": True,
    "receiving_pension": False,
    "ui_stop_event": False,
    "has_spouse": False,
    "district": "扎赉特旗",
}


def ui_result(profile, as_of="2021-06-15"):
    return next(r for r in screen(profile, as_of).results if r.policy == "unemployment_insurance_benefit")


def reason(r, condition):
    return next(x for x in r.reasons if x.condition == condition)


# --- statutory retirement age -------------------------------------------------------------------


def test_woman_worker_of_52_is_past_retirement_age_not_24_months():
    r = ui_result({**UI, "sex": "female", "birth_date": "1969-03-01", "female_cadre_post": False})
    assert r.status == "not_eligible" and r.months in (None, 0)
    line = reason(r, "below_retirement_age")
    assert line.state == "not_met"
    assert "女工人50周岁" in line.text and "2025年1月1日" in line.text  # says how the gradual raise is handled
    assert line.source is not None


def test_woman_cadre_of_52_still_gets_24_months():
    r = ui_result({**UI, "sex": "female", "birth_date": "1969-03-01", "female_cadre_post": True})
    assert r.status == "eligible" and r.months == 24
    assert reason(r, "below_retirement_age").state == "met"


def test_woman_of_52_with_unknown_post_is_asked_the_post():
    r = ui_result({**UI, "sex": "female", "birth_date": "1969-03-01"})
    assert r.status == "needs_information"
    assert "female_cadre_post" in {m.field for m in r.missing}


def test_gradual_raise_from_2025_keeps_a_man_of_60_eligible_for_one_more_month():
    man = {**UI, "sex": "male", "birth_date": "1965-03-15"}
    assert reason(ui_result(man, "2025-03-20"), "below_retirement_age").state == "met"  # 60 + 1 month: 2025-04
    assert reason(ui_result(man, "2025-04-20"), "below_retirement_age").state == "not_met"


# --- months already drawn -----------------------------------------------------------------------

MAN = {**UI, "sex": "male", "birth_date": "1975-05-01"}


def test_months_already_drawn_are_deducted_with_the_arithmetic():
    r = ui_result({**MAN, "receiving_ui_benefit": True, "ui_benefit_months_drawn": 10})
    assert r.status == "eligible" and r.months == 14
    figures = {f.label: f.value for f in r.figures}
    assert figures["领取期间合计"] == 2 * 1404.00 + 12 * 1248.00
    assert "24 − 10 = 14 个月" in reason(r, "not_used_up").text


def test_benefit_drawn_to_the_end_is_not_twelve_more_months():
    for given in ({"ui_benefit_exhausted": True}, {"receiving_ui_benefit": True, "ui_benefit_months_drawn": 24}):
        r = ui_result({**MAN, **given})
        assert r.status == "not_eligible", given
        assert "失业补助金" in reason(r, "not_used_up").text


def test_receiving_now_asks_the_months_drawn():
    r = ui_result({**MAN, "receiving_ui_benefit": True})
    assert r.status == "needs_information"
    assert [m.field for m in r.missing] == ["ui_benefit_months_drawn"]
    assert r.missing[0].label == "本次已领取失业保险金的月数"


# --- a monthly amount always comes with its months and its total ---------------------------------


def test_work_based_training_shows_months_and_total_with_the_arithmetic():
    firm = {"subject": "enterprise", "district": "乌兰浩特市", "enterprise_category": "small",
            "hired_key_groups_for_training": True, "si_paid_in_region": True,
            "work_based_trainees": 10, "work_based_training_months_claimed": 2}
    r = next(x for x in screen(firm, "2021-05-15").results if x.policy == "work_based_training_subsidy")
    assert r.status == "eligible"
    assert (r.amount, r.unit, r.months) == (6000.00, "元/月", 4)  # 6 months at most, 2 already claimed
    assert {f.label: f.value for f in r.figures}["尚可享受月数合计（人数不变时）"] == 24000.00
    sentence = next(x.text for x in r.reasons if x.state == "info" and "人 =" in x.text)
    assert "600 元 × 10 人 = 6,000 元/月" in sentence and "6,000 元 × 4 个月 = 24,000 元" in sentence
    assert not any(x.text.endswith("：已满足") for x in r.reasons)  # each line says what was checked


def test_public_welfare_post_gives_the_total_over_its_term():
    person = {"hard_to_employ_certified": True, "birth_date": "1968-03-15", "sex": "male", "district": "扎赉特旗"}
    r = next(x for x in screen(person, "2022-03-15").results if x.policy == "public_welfare_post")
    assert r.status == "eligible" and r.months == 36 and r.amount == 1850.00
    assert {f.label: f.value for f in r.figures}["使用期限内合计（按当前标准）"] == 1850.00 * 36


def test_every_monthly_amount_declares_its_months_and_total():
    """Over all the computed policies: a per-month amount has its months (unless per person, where
    the total sums each person's months) and a total in 元."""
    from jiuye.screening.service import _guess_amount, default_screener

    screener = default_screener()
    tbs, spec = screener.tbs, screener.spec.policies
    lacking = []
    for pid in tbs.policy_rules:
        text = spec.get(pid)
        variable = text.amount.variable if text and text.amount else _guess_amount(pid, tbs.variables)
        unit = text.amount.unit if text and text.amount else "元"
        if not variable or ("/月" not in unit and "monthly" not in variable):
            continue
        has_total = bool(text) and any(f.unit == "元" for f in text.figures)
        has_months = bool(text and text.months) or "/人/" in unit
        if not (has_total and has_months):
            lacking.append(pid)
    assert not lacking


# --- a student gives an expected graduation date ------------------------------------------------


def test_expected_graduation_date_after_the_evaluation_date_is_used():
    """003 speaks of 毕业学年: a student graduating in June 2023 is in it on 2022-10-01."""
    from jiuye.screening.checks import PAST_EVENTS

    assert "college_leaving_date" not in PAST_EVENTS
    student = {"college_graduate": True, "college_leaving_date": "2023-06-30", "national_student_loan": True,
               "actively_seeking_job_or_startup": True}
    r = next(x for x in screen(student, "2022-10-01").results if x.policy == "job_search_startup_subsidy")
    assert r.status == "eligible" and r.amount == 1500.00
    assert next(x for x in r.reasons if x.condition == "graduation_period").state == "met"


def test_lump_sum_allowance_states_the_months_it_is_computed_from():
    worker = {"rural_migrant_worker": True, "months_of_service": 40, "employer_paid_ui_in_full": True,
              "labour_contract_ended": True, "registered_unemployed": True, "district": "扎赉特旗"}
    r = next(x for x in screen(worker, "2021-06-15").results if x.policy == "rural_worker_lump_sum_allowance")
    assert r.status == "eligible" and r.months == 4 and r.amount == 4 * 1404.00
    sentence = next(x.text for x in r.reasons if x.state == "info" and "个月 =" in x.text)
    assert "连续工作满 3 年" in sentence and "1,404 元 × 4 个月 = 5,616 元" in sentence
    assert not any(x.text.endswith("：已满足") for x in r.reasons)
