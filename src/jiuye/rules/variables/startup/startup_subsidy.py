"""一次性创业补贴 — policy ``startup_subsidy`` (000 四(二); 003 一次性创业补贴, 高校毕业生④).

Eligible: first business (首次创办小微企业或从事个体经营), operating normally since registration, and
  - a college graduate who registered the business less than 2 years after leaving college, a
    certified hard-to-employ person, or a disabled person, operating ≥ 12 months; or
  - 脱贫劳动力: 000 (2021) only as 返乡创业人员 and after ≥ 6 months; 003 (2022-09) any 脱贫劳动力
    after ≥ 12 months.
Amount: 5000 元. No window is stated.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import common, core
from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH


def eligibility(person, period, parameters) -> core.Tri:
    n = person.count
    p = core.param(parameters, period, "startup_subsidy")
    if p is None or core.param(parameters, period, "startup_subsidy.amount") is None:
        return core.Tri.unknown("parameters/startup_subsidy", n)
    last_day = core.period_last_day(period)
    registered = person("business_registration_date", period)
    operating = core.full_months_between(registered, last_day)
    registration_known = core.knowns(person, period, "business_registration_date")
    operating_general = core.based_on(registration_known, operating >= p.min_operating_months.general)
    operating_poverty = core.based_on(registration_known, operating >= p.min_operating_months.poverty_alleviated_returnee)
    recent_graduate = common.graduated_within(
        person, period, p.graduate_years_since_leaving, reference_date=registered, reference_basis=registration_known
    )
    general_route = core.any_of(
        recent_graduate,
        core.fact(person, "hard_to_employ_certified", period),
        core.fact(person, "has_disability_certificate", period),
    ) & operating_general
    poverty = core.fact(person, "poverty_alleviated_labour", period)
    if p.poverty_alleviated_must_be_returnee:
        poverty = poverty & core.fact(person, "returning_home_founder", period)
    poverty_route = poverty & operating_poverty
    return core.all_of(
        core.fact(person, "is_first_business", period),
        core.fact(person, "business_operating_normally", period),
        general_route | poverty_route,
    )


def verdict(person, period, parameters) -> core.Verdict:
    return core.Verdict(eligibility(person, period, parameters))


class startup_subsidy_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合一次性创业补贴条件 (definitely eligible)"
    reference = "000 四(二)3; 003 一次性创业补贴"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class startup_subsidy_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 一次性创业补贴条件"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class startup_subsidy_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "一次性创业补贴：需要补充信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class startup_subsidy_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "一次性创业补贴：缺少的信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()


class startup_subsidy_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "一次性创业补贴金额（分）"
    reference = "000 四(二)4; 003 一次性创业补贴(三)"

    def formula(person, period, parameters):
        amount = core.param(parameters, period, "startup_subsidy.amount")
        fen = core.yuan_to_fen(amount) if amount is not None else 0
        return np.where(eligibility(person, period, parameters).value, fen, 0)
