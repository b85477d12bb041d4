"""就业困难人员认定 is a rule (issue 14, item 2): a person learns whether they may apply to be recognised,
in which of the six categories and why, or what is still missing; each condition quotes its
document, and where 000 (2021) and 003 (2022-09) differ the sentence says so.

Before: the policy was a checklist ("本项是资格认定事项，系统不作计算") whatever the person said."""
from __future__ import annotations

import pytest

from jiuye.screening import screen

NEW = "2026-06-15"  # 003 applies (from 2022-09-01)
OLD = "2021-06-15"  # 000 applies

GENERAL = {"urban_resident": True, "able_and_willing_to_work": True, "registered_unemployed": True, "is_unemployed": True}


def hte(profile, as_of=NEW):
    return next(r for r in screen(profile, as_of).results if r.policy == "hard_to_employ_recognition")


def line(r, condition):
    return next(x for x in r.reasons if x.condition == condition)


def conclusion(r):
    return next(x for x in r.reasons if x.condition is None and x.text.startswith("可以申请认定为就业困难人员"))


@pytest.mark.parametrize("category,profile", [
    ("大龄失业人员", {**GENERAL, "sex": "female", "age": 45, "employee_si_years": 3, "local_residence_months": 24}),
    ("残疾人员", {**GENERAL, "age": 30, "has_disability_certificate": True}),
    ("零就业家庭成员", {**GENERAL, "sex": "male", "age": 38,
                 "household": {"urban_registration": True, "business_or_investment_income": False, "members": [
                     {"relation": "spouse", "sex": "female", "birth_date": "1988-03-01", "female_cadre_post": False,
                      "able_and_willing_to_work": True, "registered_unemployed": True, "is_unemployed": True}]}}),
    ("失地农牧民", {**GENERAL, "sex": "male", "age": 55, "land_requisitioned": True,
               "land_compensation_above_ui_standard": False}),
    ("长期失业人员", {**GENERAL, "sex": "female", "age": 36, "dibao_household_member": True,
                "unemployment_registration_date": "2024-03-01"}),
    ("就业困难的高校毕业生", {**GENERAL, "age": 26, "college_graduate": True, "college_leaving_date": "2022-06-30",
                    "employed_since_leaving_college": False, "college_full_time": True}),
])
def test_each_category_may_apply_with_the_reason(category, profile):
    r = hte(profile)
    assert r.computed and r.status == "eligible", [x.text for x in r.reasons]
    assert category in conclusion(r).text
    shown = [x for x in r.reasons if x.condition]
    assert shown and all(x.state == "met" for x in shown)
    assert all(x.source is not None for x in r.reasons)  # every line names its source
    assert {"urban_resident", "working_age", "able_and_willing", "registered"} <= {x.condition for x in shown}


def test_not_registered_as_unemployed_is_told_to_register_first():
    r = hte({**GENERAL, "age": 30, "has_disability_certificate": True, "registered_unemployed": False})
    assert r.status == "not_eligible"
    text = line(r, "registered").text
    assert line(r, "registered").state == "not_met" and "失业登记" in text and "《政策手册》要求认定前已进行失业登记" in text


def test_a_person_in_no_category_is_told_so_category_by_category_without_questions_left():
    r = hte({**GENERAL, "sex": "male", "age": 30, "has_disability_certificate": False, "college_graduate": False,
             "land_requisitioned": False, "household": {"urban_registration": False}})
    assert r.status == "not_eligible" and not r.missing
    states = {x.condition: x.state for x in r.reasons if x.condition}
    assert states["older_age"] == states["disabled"] == states["long_term_age"] == states["graduate_left"] == "not_met"
    assert "30 周岁" in line(r, "older_age").text


def test_what_is_missing_is_asked_and_failed_categories_ask_nothing():
    r = hte({"sex": "male", "age": 30}, NEW)
    assert r.status == "needs_information"
    fields = {m.field for m in r.missing}
    assert {"urban_resident", "registered_unemployed", "has_disability_certificate"} <= fields
    # a man of 30 is neither 大龄 (50), nor 长期失业 (45), nor 失地农牧民 by 003 (50): nothing is asked for them
    assert not fields & {"employee_si_years", "local_residence_months", "dibao_household_member",
                         "unemployment_registration_date", "land_requisitioned", "land_compensation_above_ui_standard"}
    assert not [x for x in r.reasons if x.condition in ("older_insurance", "older_residence", "long_term_dibao", "landless")]
    assert "birth_date" not in fields and "sex" not in fields  # the age settles every age condition here


def test_dates_apply_their_document_and_the_difference_is_surfaced():
    """000 (2021): 大龄失业人员 needs no 6 months' residence and no 失业登记; 003 asks both."""
    older = {"sex": "male", "age": 52, "is_unemployed": True, "urban_resident": True, "employee_si_years": 10}
    r2021 = hte(older, OLD)
    assert r2021.status == "eligible" and "大龄失业人员" in conclusion(r2021).text
    assert all(x.source.document == "000" for x in r2021.reasons if x.source)
    assert not [x for x in r2021.reasons if x.condition in ("older_residence", "registered")]
    r2026 = hte(older, NEW)
    assert r2026.status == "needs_information"
    residence = line(r2026, "older_residence")
    assert residence.state == "unknown" and "《百问百答》没有写" in residence.text and residence.source.document == "003"
    assert "local_residence_months" in {m.field for m in r2026.missing}
    short = hte({**older, **GENERAL, "local_residence_months": 5}, NEW)
    assert short.status != "eligible" and line(short, "older_residence").state == "not_met"


def test_landless_farmer_of_30_qualifies_under_000_not_under_003():
    farmer = {"sex": "male", "age": 30, "land_requisitioned": True}
    assert hte(farmer, OLD).status == "eligible"
    r = hte({**farmer, **GENERAL}, NEW)
    assert r.status != "eligible"
    age = line(r, "landless_age")
    assert age.state == "not_met" and "《政策手册》增加" in age.text


def test_zero_employment_household_names_both_documents_conditions():
    r = hte({**GENERAL, "sex": "male", "age": 30, "has_disability_certificate": False, "college_graduate": False,
             "land_requisitioned": False})
    zero = line(r, "zero_employment")
    assert zero.state == "unknown" and "《百问百答》要求城镇户籍" in zero.text and "《政策手册》要求无经营性、投资性收入" in zero.text


def test_an_employee_is_not_asked_whether_registered_unemployed():
    """处于就业状态的不允许失业登记 (000 一(四)4): a job settles 003's 已进行失业登记."""
    r = hte({"is_unemployed": False, "age": 35, "has_disability_certificate": True, "urban_resident": True,
             "able_and_willing_to_work": True})
    assert r.status == "not_eligible" and "registered_unemployed" not in {m.field for m in r.missing}
    assert line(r, "registered").state == "not_met"


def test_questionnaire_asks_the_new_facts_in_plain_chinese():
    from jiuye.web.pages.find import get_questionnaire

    qn = get_questionnaire()
    for key in ("urban_resident", "local_residence_months", "employee_si_years", "unemployment_registration_date",
                "land_requisitioned", "land_compensation_above_ui_standard", "college_full_time"):
        q = qn.question(key, "person")
        assert q is not None and q.label and not any(c.isascii() and c.isalpha() for c in q.label), key
