"""公益性岗位安置 — policy ``public_welfare_post`` (000 二; 003 公益性岗位安置).

For certified hard-to-employ persons. Term: 3 years; a person less than 5 years from the legal
retirement age at first placement (evaluated at the period = the month of first placement) may
stay until retirement, so the term is then the months left to retirement. Post subsidy: the local
(district) minimum wage. A second term may be applied for by 重度残疾、零就业家庭、大龄失业人员
(女满40周岁、男满50周岁, 000 一(五)).
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import common, core
from jiuye.rules.entities import Person
from jiuye.rules.enums import District

MONTH = DateUnit.MONTH


RULES = core.PolicyRules(
    "public_welfare_post",
    Person,
    {"hard_to_employ": ("经认定的就业困难人员", lambda p, t, _: core.fact(p, "hard_to_employ_certified", t))},
    label="公益性岗位安置",
)


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


def term(person, period, parameters):
    """(maximum term in months, computable Tri)."""
    n = person.count
    max_months = core.param(parameters, period, "public_welfare_post.max_months")
    near = core.param(parameters, period, "public_welfare_post.near_retirement_months")
    if max_months is None or near is None:
        return np.zeros(n, dtype=np.int32), core.Tri.unknown("parameters/public_welfare_post/max_months", n)
    months, basis = common.retirement_derived(
        person, period, lambda m: np.where(m < near, np.maximum(m, 0), max_months))
    return months.astype(np.int32), core.determined(basis)


def subsidy(person, period, parameters):
    """(monthly post subsidy in fen, computable Tri): the district's minimum wage."""
    share = core.param(parameters, period, "public_welfare_post.wage_subsidy_share_of_minimum_wage")
    wage = person("local_minimum_wage_fen", period)
    district = core.knowns(person, period, "district")
    value_known = person("local_minimum_wage_fen_known", period) & (share is not None)
    # computable exactly where the district's wage is known; otherwise say what is missing: the
    # district (unknown, or 盟本级 which has no wage tier) or, for a known district, the parameter
    # not given for the date (the district's class or the class's wage: staff can enter it)
    has_tier = district.value & (person("district", period) != District.outside)
    _amount, _known, _tier, lacking = common.district_minimum_wage(person, period, parameters)
    missing = {"district": ~has_tier, **{k: has_tier & m for k, m in lacking.items()}}
    if share is None:
        missing["parameters/public_welfare_post/wage_subsidy_share_of_minimum_wage"] = has_tier
    return core.round_fen(wage * (share or 0)), core.Tri(value_known, value_known, missing)


def verdict(person, period, parameters) -> core.Verdict:
    return core.memo(person, period, ("verdict", RULES.policy), lambda: _verdict(person, period, parameters))


def _verdict(person, period, parameters) -> core.Verdict:
    _t, term_known = term(person, period, parameters)
    _s, subsidy_known = subsidy(person, period, parameters)
    return core.Verdict(eligibility(person, period, parameters), core.determined(term_known, subsidy_known))


class public_welfare_post_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "属于公益性岗位安置对象（经认定的就业困难人员）"
    reference = "000 二 2; 003 公益性岗位安置(二)"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class public_welfare_post_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 公益性岗位安置对象"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class public_welfare_post_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "公益性岗位：需要补充信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class public_welfare_post_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "公益性岗位：缺少的信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()


class public_welfare_post_max_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "month"
    label = "公益性岗位使用期限（月）：36，初次上岗时距退休不足5年的至退休"
    reference = "000 二 4"

    def formula(person, period, parameters):
        months, computable = term(person, period, parameters)
        return np.where(eligibility(person, period, parameters).value & computable.value, months, 0)


class public_welfare_post_monthly_subsidy_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "公益性岗位工资补贴（分/月），按本地区最低工资标准"
    reference = "000 二 3; 003 公益性岗位安置(三)"

    def formula(person, period, parameters):
        amount, computable = subsidy(person, period, parameters)
        return np.where(eligibility(person, period, parameters).value & computable.value, amount, 0)


class public_welfare_post_max_total_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "公益性岗位工资补贴使用期限内合计（分）= 每月补贴 × 使用期限月数（按当前标准）"
    reference = "000 二 3, 4"

    def formula(person, period, parameters):
        monthly = person("public_welfare_post_monthly_subsidy_fen", period).astype(np.int64)
        return monthly * person("public_welfare_post_max_months", period).astype(np.int64)


class public_welfare_post_second_term_possible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "可以申请二次上岗（重度残疾、零就业家庭、大龄失业人员）"
    reference = "000 二 4"

    def formula(person, period, parameters):
        ages = core.param(parameters, period, "hard_to_employ_recognition.older_unemployed")  # 女满40周岁、男满50周岁
        older = common.age_threshold_tri(person, period, ages.female_min_age, ages.male_min_age).value
        groups = (
            core.fact(person, "severe_disability", period).value
            | core.fact(person, "zero_employment_household_member", period).value
            | (older & core.fact(person, "is_unemployed", period).value)
        )
        return eligibility(person, period, parameters).value & groups
