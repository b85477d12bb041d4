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


def _params(parameters, period):
    p = core.param(parameters, period, "startup_subsidy")
    if p is None or core.param(parameters, period, "startup_subsidy.amount") is None:
        return None
    return p


def _unknown(person) -> core.Tri:
    return core.Tri.unknown("parameters/startup_subsidy", person.count)


def _operating(person, period, months) -> core.Tri:
    """At least ``months`` whole months between registration and the month's last day."""
    operating = core.read(person, "business_operating_months", period)
    return core.based_on(core.knowns(person, period, "business_registration_date"), operating >= months)


def _general_group(person, period, parameters) -> core.Tri:
    """高校毕业生 (business registered < 2 years after leaving college), 就业困难人员 or 残疾人."""
    p = _params(parameters, period)
    if p is None:
        return _unknown(person)
    recent_graduate = common.graduated_within(
        person, period, p.graduate_years_since_leaving,
        reference_date=person("business_registration_date", period),
        reference_basis=core.knowns(person, period, "business_registration_date"),
    )
    return core.any_of(
        recent_graduate,
        core.fact(person, "hard_to_employ_certified", period),
        core.fact(person, "has_disability_certificate", period),
    )


def _general_operating(person, period, parameters) -> core.Tri:
    p = _params(parameters, period)
    return _unknown(person) if p is None else _operating(person, period, p.min_operating_months.general)


def _poverty_group(person, period, parameters) -> core.Tri:
    """脱贫劳动力 — in 000 (2021) only those who came home to start the business."""
    p = _params(parameters, period)
    if p is None:
        return _unknown(person)
    poverty = core.fact(person, "poverty_alleviated_labour", period)
    if p.poverty_alleviated_must_be_returnee:
        poverty = poverty & core.fact(person, "returning_home_founder", period)
    return poverty


def _poverty_operating(person, period, parameters) -> core.Tri:
    p = _params(parameters, period)
    return _unknown(person) if p is None else _operating(person, period, p.min_operating_months.poverty_alleviated_returnee)


def _combine(c: dict) -> core.Tri:
    general_route = c["general_group"] & c["general_operating"]
    poverty_route = c["poverty_group"] & c["poverty_operating"]
    return core.all_of(c["first_business"], c["operating_normally"], general_route | poverty_route)


RULES = core.PolicyRules(
    "startup_subsidy",
    Person,
    {
        "first_business": ("首次创办小微企业或从事个体经营", lambda p, t, _: core.fact(p, "is_first_business", t)),
        "operating_normally": ("自登记注册之日起正常运营", lambda p, t, _: core.fact(p, "business_operating_normally", t)),
        "general_group": ("高校毕业生（离校2年内创业）、就业困难人员或残疾人", _general_group),
        "general_operating": ("正常运营满12个月", _general_operating),
        "poverty_group": ("脱贫劳动力（000：返乡创业的）", _poverty_group),
        "poverty_operating": ("脱贫劳动力创业的运营月数（000：6个月；003：12个月）", _poverty_operating),
    },
    combine=_combine,
    label="一次性创业补贴",
)


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


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


class business_operating_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "month"
    label = "所创办企业或个体工商户自登记注册之日起的整月数（到当月最后一天）"

    def formula(person, period, parameters):
        registered = person("business_registration_date", period)
        return core.full_months_between(registered, core.period_last_day(period)).astype(np.int32)


class business_operating_months_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 运营月数"

    def formula(person, period, parameters):
        return person("business_registration_date_known", period)
