"""失业补助金 — policy ``unemployment_assistance`` (000 三(二); 003 失业保险 七).

Window: 2021-01-01 to 2022-12-31 (000 until 2021-12-31, extended by 003); closed from 2023-01-01.
Eligible, inside the window, when not in work, without pension and without a stop event, and either
  (a) the UI benefit ran out (期满) in or after the termination month 2020-12 and still unemployed, or
  (b) insured, contributions stopped (停保) on/after 2021-01-01, and not eligible for the UI benefit.
Amount: 80 % of the pooling area's month-1-12 UI standard (2021: 1404.00 × 80 % = 1123.20 元), 6 months.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH
POLICY = "unemployment_assistance"


def _dates(parameters, period):
    end_from = core.param(parameters, period, "unemployment_assistance.earliest_dates.earliest_benefit_end")
    stop_from = core.param(parameters, period, "unemployment_assistance.earliest_dates.earliest_contribution_stop")
    if end_from is None or stop_from is None:
        return None
    return core.parse_date(end_from), core.parse_date(stop_from)


def _benefit_ran_out(person, period, parameters) -> core.Tri:
    """(a) 领取失业保险金期满 (in or after the termination month 2020-12) 仍未就业."""
    dates = _dates(parameters, period)
    if dates is None:
        return core.Tri.unknown("parameters/unemployment_assistance/earliest_dates", person.count)
    end_from, last_day = dates[0], core.period_last_day(period)
    return core.fact(person, "ui_benefit_exhausted", period) & core.check(
        person, "ui_benefit_end_date", period, lambda d: (d >= end_from) & (d <= last_day)
    )


def _stopped_not_eligible(person, period, parameters) -> core.Tri:
    """(b) 参保、2021-01-01 后停保，且不符合领取失业保险金条件."""
    dates = _dates(parameters, period)
    if dates is None:
        return core.Tri.unknown("parameters/unemployment_assistance/earliest_dates", person.count)
    stop_from, last_day = dates[1], core.period_last_day(period)
    return core.all_of(
        core.fact(person, "ui_insured", period),
        core.check(person, "ui_contribution_stop_date", period, lambda d: (d >= stop_from) & (d <= last_day)),
        ~core.fact(person, "unemployment_insurance_benefit_eligible", period),
    )


def _combine(c: dict) -> core.Tri:
    return core.all_of(c["window"], c["benefit_ran_out"] | c["stopped_not_eligible"], c["not_working"], c["no_pension"], c["no_stop_event"])


RULES = core.PolicyRules(
    POLICY,
    Person,
    {
        "window": ("在政策实施（受理）期内", lambda p, t, params: core.window_open(params, t, POLICY, p.count)),
        "benefit_ran_out": ("领取失业保险金期满仍未就业", _benefit_ran_out),
        "stopped_not_eligible": ("参保后停保且不符合领取失业保险金条件", _stopped_not_eligible),
        "not_working": ("处于失业状态（未重新就业）", lambda p, t, _: core.fact(p, "is_unemployed", t)),
        "no_pension": ("未享受养老保险待遇", lambda p, t, _: ~core.fact(p, "receiving_pension", t)),
        "no_stop_event": ("没有停发情形", lambda p, t, _: ~core.fact(p, "ui_stop_event", t)),
    },
    combine=_combine,
    label="失业补助金",
)


def eligibility(person, period, parameters) -> core.Tri:
    """Inside the window, not in work, no pension, no stop event, and route (a) or (b)."""
    return RULES.eligibility(person, period, parameters)


def monthly_amount_fen(parameters, period):
    """80 % of the month-1-12 UI standard (itself rounded to the fen), or None."""
    from_ui = core.param(parameters, period, "unemployment_insurance.pooling_minimum_wage")
    rate_ui = core.param(parameters, period, "unemployment_insurance.rate.months_1_12")
    rate = core.param(parameters, period, "unemployment_assistance.rate_of_ui_standard")
    if from_ui is None or rate_ui is None or rate is None:
        return None
    standard = int(core.round_fen(from_ui * 100 * rate_ui))
    return int(core.round_fen(standard * rate))


def verdict(person, period, parameters) -> core.Verdict:
    def compute():
        amount = monthly_amount_fen(parameters, period)
        computable = core.parameter_known(amount, "unemployment_insurance.pooling_minimum_wage", person.count)
        return core.Verdict(eligibility(person, period, parameters), computable)

    return core.memo(person, period, ("verdict", POLICY), compute)


class unemployment_assistance_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合申领失业补助金条件 (definitely eligible for unemployment assistance)"
    reference = "000 三(二)1; 003 失业保险 七(一)"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class unemployment_assistance_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 符合申领失业补助金条件"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class unemployment_assistance_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "失业补助金：需要补充信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class unemployment_assistance_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "失业补助金：缺少的信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()


class unemployment_assistance_monthly_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "失业补助金月标准（分）(monthly amount, fen; 0 unless eligible)"
    reference = "000 三(二)3; 003 失业保险 七(三)"

    def formula(person, period, parameters):
        amount = monthly_amount_fen(parameters, period) or 0
        return np.where(eligibility(person, period, parameters).value, amount, 0)


class unemployment_assistance_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "month"
    label = "失业补助金领取月数 (months; 0 unless eligible)"
    reference = "000 三(二)2; 003 失业保险 七(一)"

    def formula(person, period, parameters):
        months = core.param(parameters, period, "unemployment_assistance.months") or 0
        return np.where(eligibility(person, period, parameters).value, months, 0)


class unemployment_assistance_total_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "失业补助金总额（分）"

    def formula(person, period, parameters):
        return person("unemployment_assistance_monthly_amount_fen", period) * person("unemployment_assistance_months", period)
