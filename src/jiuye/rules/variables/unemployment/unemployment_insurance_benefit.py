"""失业保险金 — policy ``unemployment_insurance_benefit`` (000 三(一); 003 失业保险 六).

Eligible: contributed at least 1 year; lost the job involuntarily; registered as unemployed; wants
work; not in work; no pension; below the legal retirement age (the benefit is paid "至法定退休年龄"
at most: 003 失业保险 六(四)2; the gradual raise from 2025 is applied, see common.below_retirement_tri);
none of the stop events. No acceptance window (standing rule).
Months: the contribution-years scale, less the months already drawn (ui_benefit_months_drawn, asked
of a person receiving the benefit now); "领取期满" (ui_benefit_exhausted) is not eligible for more. Amount per month: 90 % (months 1-12) / 80 % (13-24) of the
pooling-area minimum wage, plus 20 % (≥10 years and man ≥50 / woman ≥45) and 8 % (both spouses
unemployed), both on the standard (they add up). Amounts are known for 2021 only (see the
parameter ``unemployment_insurance.pooling_minimum_wage``).
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import common, core
from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH


def _contributed(person, period, parameters) -> core.Tri:
    min_years = core.param(parameters, period, "unemployment_insurance.min_contribution_years")
    if min_years is None:
        return core.Tri.unknown("parameters/unemployment_insurance/min_contribution_years", person.count)
    return core.check(person, "contribution_years", period, lambda y: y >= min_years)


def entitled_months(person, period, parameters) -> np.ndarray:
    """Months of the contribution-years scale (000 三(一)3), before what was already drawn."""
    scale = core.param(parameters, period, "unemployment_insurance.benefit_months")
    if scale is None:
        return np.zeros(person.count, dtype=np.int64)
    return scale.calc(person("contribution_years", period).astype(np.float64)).astype(np.int64)


def months_drawn_counted(person, period) -> np.ndarray:
    """Months already drawn in the current entitlement as given (0 when not given)."""
    known = core.read(person, "ui_benefit_months_drawn_known", period)
    return np.where(known, core.read(person, "ui_benefit_months_drawn", period), 0).astype(np.int64)


def _not_used_up(person, period, parameters) -> core.Tri:
    """The entitlement is not used up: not "领取期满" and fewer months drawn than the scale gives.

    Months drawn are asked of a person who says they are receiving the benefit now; for anyone
    else (not receiving, or not said) none are counted -- the remaining months then equal the
    scale's, as before. Told "领取期满", the person is not eligible for more whatever the months."""
    exhausted = core.fact(person, "ui_benefit_exhausted", period)
    drawn_known = core.read(person, "ui_benefit_months_drawn_known", period)
    receiving = core.fact(person, "receiving_ui_benefit", period)
    contribution = core.knowns(person, period, "contribution_years")
    left = entitled_months(person, period, parameters) - months_drawn_counted(person, period)
    need_drawn = receiving.value & ~drawn_known  # receiving now: how many months were drawn matters
    remaining = core.Tri(left > 0, contribution.known & ~need_drawn,
                         {**contribution.missing, "ui_benefit_months_drawn": need_drawn})
    not_exhausted = core.Tri(~(exhausted.known & exhausted.value), np.ones(person.count, dtype=bool))
    return not_exhausted & remaining


RULES = core.PolicyRules(
    "unemployment_insurance_benefit",
    Person,
    {
        "contribution": ("失业保险缴费满1年", _contributed),
        "involuntary": ("非因本人意愿中断就业", lambda p, t, _: core.fact(p, "involuntary_separation", t)),
        "registered": ("已办理失业登记", lambda p, t, _: core.fact(p, "registered_unemployed", t)),
        "job_seeking": ("有求职要求", lambda p, t, _: core.fact(p, "job_seeking", t)),
        "not_working": ("处于失业状态（未重新就业）", lambda p, t, _: core.fact(p, "is_unemployed", t)),
        "no_pension": ("未享受基本养老保险待遇", lambda p, t, _: ~core.fact(p, "receiving_pension", t)),
        "below_retirement_age": ("未达到法定退休年龄", lambda p, t, params: common.below_retirement_tri(p, t, params)),
        "no_stop_event": ("没有停发情形", lambda p, t, _: ~core.fact(p, "ui_stop_event", t)),
        "not_used_up": ("领取期限尚未领完", _not_used_up),
    },
    label="失业保险金",
)


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


def senior_uplift_applies(person, period, parameters) -> core.Tri:
    """累计缴费满10年且男满50周岁、女满45周岁."""
    return core.memo(person, period, "ui_senior_uplift", lambda: _senior_uplift_applies(person, period, parameters))


def _senior_uplift_applies(person, period, parameters) -> core.Tri:
    p = core.param(parameters, period, "unemployment_insurance.senior_uplift")
    if p is None:
        return core.Tri.unknown("parameters/unemployment_insurance/senior_uplift", person.count)
    long_contribution = core.check(person, "contribution_years", period, lambda y: y >= p.min_contribution_years)
    # 男满50周岁、女满45周岁: an age of 50 or more settles it whatever the sex, under 45 too
    old_enough = common.age_threshold_tri(person, period, p.min_age_female, p.min_age_male)
    return long_contribution & old_enough


def monthly_standard_fen(parameters, period):
    """(months 1-12 standard, months 13-24 standard) in fen, or None if not given for the date."""
    base = core.param(parameters, period, "unemployment_insurance.pooling_minimum_wage")
    rate = core.param(parameters, period, "unemployment_insurance.rate")
    if base is None or rate is None:
        return None
    first = core.round_fen(base * 100 * rate.months_1_12)
    later = core.round_fen(base * 100 * rate.months_13_24)
    return int(first), int(later)


def amounts(person, period, parameters):
    """(first-year monthly amount, later monthly amount, computable Tri), amounts in fen."""
    return core.memo(person, period, ("amounts", RULES.policy), lambda: _amounts(person, period, parameters))


def _amounts(person, period, parameters):
    n = person.count
    standards = monthly_standard_fen(parameters, period)
    base_known = core.parameter_known(standards, "unemployment_insurance.pooling_minimum_wage", n)
    senior = core.Tri(person("unemployment_benefit_senior_uplift", period), person("unemployment_benefit_senior_uplift_known", period),
                      senior_uplift_applies(person, period, parameters).missing)
    couple = core.Tri(person("unemployment_benefit_couple_uplift", period), person("unemployment_benefit_couple_uplift_known", period),
                      core.fact(person, "spouse_unemployed", period).missing)
    senior_rate = core.param(parameters, period, "unemployment_insurance.senior_uplift.rate") or 0
    couple_rate = core.param(parameters, period, "unemployment_insurance.couple_uplift_rate") or 0
    factor = 1 + senior_rate * senior.value + couple_rate * couple.value
    first, later = standards if standards else (0, 0)
    computable = core.determined(base_known, senior, couple)
    return core.round_fen(first * factor), core.round_fen(later * factor), computable


def verdict(person, period, parameters) -> core.Verdict:
    def compute():
        *_amounts, computable = amounts(person, period, parameters)
        return core.Verdict(eligibility(person, period, parameters), computable)

    return core.memo(person, period, ("verdict", RULES.policy), compute)


class unemployment_insurance_benefit_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合领取失业保险金条件 (definitely eligible for UI benefit)"
    reference = "000 三(一)1; 003 失业保险 六(一)"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class unemployment_insurance_benefit_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 符合领取失业保险金条件"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class unemployment_insurance_benefit_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "失业保险金：需要补充信息 (eligibility or amount cannot be decided yet)"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class unemployment_insurance_benefit_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "失业保险金：缺少的信息 (comma-separated inputs/parameters still needed)"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()


class unemployment_benefit_entitled_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "month"
    label = "按缴费年限可领取失业保险金的期限（月，未扣除已领月数）(entitlement by contribution years)"
    reference = "000 三(一)3"

    def formula(person, period, parameters):
        return entitled_months(person, period, parameters).astype(np.int32)


class unemployment_benefit_months_drawn_counted(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "month"
    label = "已领取的月数（计入扣除；未填写时为 0）(months already drawn, as counted)"

    def formula(person, period, parameters):
        return months_drawn_counted(person, period).astype(np.int32)


class unemployment_benefit_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "month"
    label = "失业保险金尚可领取的月数（期限减已领月数；不符合条件为 0）(remaining benefit months)"
    reference = "000 三(一)3"

    def formula(person, period, parameters):
        eligible = eligibility(person, period, parameters).value
        left = np.maximum(entitled_months(person, period, parameters) - months_drawn_counted(person, period), 0)
        return np.where(eligible, left, 0).astype(np.int32)


class unemployment_benefit_monthly_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "失业保险金月标准，第1至12个月（分，含增发）(monthly benefit, months 1-12, fen)"
    reference = "000 三(一)4"

    def formula(person, period, parameters):
        first, _later, _c = amounts(person, period, parameters)
        return np.where(eligibility(person, period, parameters).value, first, 0)


class unemployment_benefit_monthly_amount_later_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "失业保险金月标准，第13至24个月（分，含增发）(monthly benefit, months 13-24, fen)"
    reference = "000 三(一)4"

    def formula(person, period, parameters):
        _first, later, _c = amounts(person, period, parameters)
        return np.where(eligibility(person, period, parameters).value, later, 0)


class unemployment_benefit_total_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "失业保险金尚可领取的总额（分）(total over the remaining benefit months, fen)"

    def formula(person, period, parameters):
        months = person("unemployment_benefit_months", period)
        first_months = core.param(parameters, period, "unemployment_insurance.rate.first_rate_months") or 12
        first = person("unemployment_benefit_monthly_amount_fen", period)
        later = person("unemployment_benefit_monthly_amount_later_fen", period)
        drawn = months_drawn_counted(person, period)
        n_first = np.minimum(months, np.maximum(first_months - drawn, 0))  # the months left at the first-year rate
        return (n_first * first.astype(np.int64) + (months - n_first) * later.astype(np.int64)).astype(np.int32)


class unemployment_benefit_may_extend_to_retirement(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "领取期满时距法定退休年龄不足1年，可续发至法定退休年龄 (may be extended until retirement)"
    reference = "000 三(一)3; 003 失业保险 六(四)2"

    def formula(person, period, parameters):
        limit = core.param(parameters, period, "unemployment_insurance.extension_to_retirement")
        if limit is None:
            return np.zeros(person.count, dtype=bool)
        months = person("unemployment_benefit_months", period)
        # from the birth date, or from an age given instead where every birth month it allows agrees
        near, basis = common.retirement_derived(person, period, lambda to_retirement: to_retirement - months < limit)
        eligible = eligibility(person, period, parameters).value
        return eligible & basis.known & near.astype(bool)


class unemployment_benefit_senior_uplift(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "增发20%：累计缴费满10年且男满50周岁、女满45周岁（确定满足）"
    reference = "000 三(一)4"

    def formula(person, period, parameters):
        return senior_uplift_applies(person, period, parameters).value


class unemployment_benefit_senior_uplift_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 增发20%的条件"

    def formula(person, period, parameters):
        return senior_uplift_applies(person, period, parameters).known


class unemployment_benefit_couple_uplift(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "增发8%：夫妻双方同时失业（确定满足）"
    reference = "000 三(一)4"

    def formula(person, period, parameters):
        return core.fact(person, "spouse_unemployed", period).value


class unemployment_benefit_couple_uplift_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 增发8%的条件"

    def formula(person, period, parameters):
        return core.fact(person, "spouse_unemployed", period).known
