"""An age given instead of a birth date is used as such (issue 14, item 2).

Before: a profile with ``age`` and no ``birth_date`` was asked the birth date (and the sex, the post)
by 职业培训补贴, 公益性岗位, 灵活就业社保补贴 and 失业保险金 even where the age already settles the condition
("16 周岁以上、未到法定退休年龄" for a person of 30). Now the rules try every birth month an age allows (and,
while unknown, each retirement track: men 60, women workers 50, women cadres 55, with the gradual raise
from 2025) and ask only for what changes the answer; where the exact date matters — the last year
before a retirement age, when it may be reached this very month — the birth date is asked."""
from __future__ import annotations

import pytest

from jiuye.screening import screen

AGE_FACTS = {"birth_date", "sex", "female_cadre_post"}

TRAINING = {"training_certificate_obtained": True, "receiving_pension": False, "training_category": "c", "training_hours": 56,
            "training_claims_this_year": 0, "training_same_occupation_level_claimed": False}
UI = {"contribution_years": 12, "involuntary_separation": True, "registered_unemployed": True, "job_seeking": True,
      "is_unemployed": True, "receiving_pension": False, "ui_stop_event": False, "has_spouse": False, "district": "扎赉特旗"}
CERTIFIED = {"hard_to_employ_certified": True, "district": "扎赉特旗", "flexibly_employed": True,
             "pays_si_as_flexible_worker": True, "si_contributions_paid": 3000, "college_graduate": False}


def result(profile, as_of, pid):
    return next(r for r in screen(profile, as_of).results if r.policy == pid)


def asked(r) -> set[str]:
    return {m.field for m in r.missing}


@pytest.mark.parametrize("as_of", ["2021-06-15", "2026-06-15"])
def test_age_30_settles_working_age_for_training_subsidy_without_birth_date_or_sex(as_of):
    r = result({**TRAINING, "age": 30}, as_of, "vocational_training_subsidy")
    assert r.status == "eligible" and r.amount == 600.0, [x.text for x in r.reasons]
    assert not asked(r) & AGE_FACTS
    assert next(x for x in r.reasons if x.condition == "age").state == "met"


def test_age_30_gives_the_public_welfare_post_term_of_three_years_without_birth_date():
    r = result({**CERTIFIED, "age": 30}, "2021-06-15", "public_welfare_post")
    assert r.status == "eligible" and r.months == 36 and not asked(r) & AGE_FACTS


def test_age_30_gives_the_flexible_employment_term_without_birth_date():
    r = result({**CERTIFIED, "age": 30}, "2021-06-15", "flexible_employment_si_subsidy")
    assert r.status == "eligible" and r.months == 36 and not asked(r) & AGE_FACTS


def test_near_retirement_the_term_depends_on_the_birth_month_and_says_so():
    """公益性岗位: 距退休不足五年的可延至退休 — a man of 58 has 13 to 24 months left: the birth month decides."""
    r = result({**CERTIFIED, "sex": "male", "age": 58}, "2021-06-15", "public_welfare_post")
    assert r.status == "eligible" and r.months is None and "birth_date" in asked(r)


def test_unemployment_benefit_for_an_age_only_man_of_35():
    r = result({**UI, "age": 35, "sex": "male"}, "2021-06-15", "unemployment_insurance_benefit")
    assert r.status == "eligible" and r.months == 24 and not asked(r) & AGE_FACTS


def test_woman_of_52_given_as_an_age_is_asked_her_post_not_her_birth_date():
    r = result({**UI, "age": 52, "sex": "female"}, "2021-06-15", "unemployment_insurance_benefit")
    assert r.status == "needs_information"
    assert "female_cadre_post" in asked(r) and "birth_date" not in asked(r)
    cadre = result({**UI, "age": 52, "sex": "female", "female_cadre_post": True}, "2021-06-15", "unemployment_insurance_benefit")
    assert cadre.status == "eligible" and cadre.months == 24


def test_man_of_61_in_2025_has_reached_retirement_by_his_age_alone():
    """Born 1963-06 to 1964-06: his original retirement month (60) falls before 2025, so no raise applies."""
    r = result({**UI, "age": 61, "sex": "male"}, "2025-06-15", "unemployment_insurance_benefit")
    assert r.status == "not_eligible" and not asked(r) & AGE_FACTS


def test_man_of_60_in_2025_depends_on_the_exact_birth_month():
    """Born 1964-06 to 1965-06: retirement 2024-06 to 2025-08 under the raise (1 month per 4): the date matters."""
    r = result({**UI, "age": 60, "sex": "male"}, "2025-06-15", "unemployment_insurance_benefit")
    assert r.status == "needs_information" and "birth_date" in asked(r)
    line = next(x for x in r.reasons if x.condition == "below_retirement_age")
    assert line.state == "unknown" and "出生" in line.text


def test_an_age_in_the_band_between_the_thresholds_asks_the_sex_only():
    """20% 增发 (男满50周岁、女满45周岁): at 47 the sex decides it, and below every retirement age nothing else is
    needed; at 44 neither threshold is reached whatever the sex."""
    at_47 = result({**UI, "age": 47}, "2021-06-15", "unemployment_insurance_benefit")
    assert at_47.status == "eligible" and at_47.amount is None  # the 20% is the open question
    assert "sex" in asked(at_47) and "birth_date" not in asked(at_47)
    at_44 = result({**UI, "age": 44}, "2021-06-15", "unemployment_insurance_benefit")
    assert at_44.status == "eligible" and at_44.amount == 1404.0 and not asked(at_44) & AGE_FACTS
