"""技能提升补贴 — policies ``skill_upgrade_subsidy_employee`` (000 三(五); 003 失业保险 八(一)) and
``skill_upgrade_subsidy_unemployed`` (003 失业保险 八(二)).

Employee: an enterprise employee contributing to UI with at least 12 months of contributions.
Both documents attach their date to that 12-month condition, not to the policy ("累计缴纳失业保险费12个月
以上的（执行到2022年12月31日）"), so the employee's subsidy has no window: from 2023-01-01 the
contribution requirement is unknown (the documents do not give it) and the answer is 需要信息, not
期限已过. The unemployed group's date is its own condition ("申请时正在领取失业保险金（2022年12月31日前）")
and closes that group. Unemployed: in the window (003 only: 2022-09-01 … 2022-12-31),
receiving the UI benefit. Both: a 初级/中级/高级 certificate issued no more than 12 months before,
not already subsidised for the same occupation and level, fewer than 3 claims this year (003; 000
states no yearly cap). Amount 1000 / 1500 / 2000 元 by level.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Person
from jiuye.rules.enums import CertificateLevel

MONTH = DateUnit.MONTH
LEVELS = {CertificateLevel.junior: "junior", CertificateLevel.intermediate: "intermediate", CertificateLevel.senior: "senior"}


def _certificate_level(person, period, parameters) -> core.Tri:
    return core.check(person, "certificate_level", period, lambda lv: np.logical_or.reduce([lv == item for item in LEVELS]))


def _certificate_recent(person, period, parameters) -> core.Tri:
    """Issued no later than this month and less than claim_window_months before it."""
    window = core.param(parameters, period, "skill_upgrade_subsidy.claim_window_months")
    if window is None:
        return core.Tri.unknown("parameters/skill_upgrade_subsidy/claim_window_months", person.count)
    first_day, last_day = core.period_first_day(period), core.period_last_day(period)
    return core.check(
        person,
        "certificate_date",
        period,
        lambda d: (d <= last_day) & (core.full_months_between(d, first_day) < window),
    )


def _not_subsidised(person, period, parameters) -> core.Tri:
    return ~core.fact(person, "certificate_already_subsidised", period)


def _claims(person, period, parameters) -> core.Tri:
    max_claims = core.param(parameters, period, "skill_upgrade_subsidy.max_claims_per_year")
    if max_claims is None:  # no value = the documents state no yearly cap for that date
        return core.Tri.const(True, person.count)
    return core.check(person, "skill_subsidy_claims_this_year", period, lambda c: c < max_claims)


CERTIFICATE_CONDITIONS = {
    "certificate_level": ("取得初级（五级）、中级（四级）或高级（三级）职业资格证书或职业技能等级证书", _certificate_level),
    "certificate_recent": ("在证书核发之日起12个月内申请", _certificate_recent),
    "not_subsidised": ("同一职业（工种）同一等级未享受过技能提升补贴", _not_subsidised),
    "claims": ("本年度享受技能提升补贴未满3次（003）", _claims),
}


def certificate_conditions(person, period, parameters) -> core.Tri:
    """The certificate conditions both variants share."""
    return core.all_of(*(fn(person, period, parameters) for _label, fn in CERTIFICATE_CONDITIONS.values()))


def _contributed(person, period, parameters) -> core.Tri:
    min_months = core.param(parameters, period, "skill_upgrade_subsidy.min_ui_contribution_months")
    if min_months is None:
        return core.Tri.unknown("parameters/skill_upgrade_subsidy/min_ui_contribution_months", person.count)
    return core.check(person, "contribution_years", period, lambda y: y * 12 >= min_months - 1e-6)


EMPLOYEE = core.PolicyRules(
    "skill_upgrade_subsidy_employee",
    Person,
    {
        "employee": ("企业在职职工", lambda p, t, _: core.fact(p, "is_enterprise_employee", t)),
        "contributing": ("依法参加失业保险（申请期间正常缴费）", lambda p, t, _: core.fact(p, "ui_contributing_now", t)),
        "contribution": ("累计缴纳失业保险费12个月以上", _contributed),
        **CERTIFICATE_CONDITIONS,
    },
    label="参保职工技能提升补贴",
)

UNEMPLOYED = core.PolicyRules(
    "skill_upgrade_subsidy_unemployed",
    Person,
    {
        "window": ("在政策受理期内", lambda p, t, params: core.param_tri(params, t, "skill_upgrade_subsidy.unemployed_open", p.count)),
        "receiving_benefit": ("正在领取失业保险金", lambda p, t, _: core.fact(p, "receiving_ui_benefit", t)),
        **CERTIFICATE_CONDITIONS,
    },
    label="领取失业保险金人员技能提升补贴",
)


def employee_eligibility(person, period, parameters) -> core.Tri:
    return EMPLOYEE.eligibility(person, period, parameters)


def unemployed_eligibility(person, period, parameters) -> core.Tri:
    return UNEMPLOYED.eligibility(person, period, parameters)


def amount_fen(person, period, parameters):
    """(amount by certificate level in fen, computable Tri)."""
    level = person("certificate_level", period)
    amounts = core.param(parameters, period, "skill_upgrade_subsidy.amount")
    result = np.zeros(person.count, dtype=np.int32)
    if amounts is None:
        return result, core.Tri.unknown("parameters/skill_upgrade_subsidy/amount", person.count)
    for item, name in LEVELS.items():
        result[level == item] = core.yuan_to_fen(amounts[name])
    return result, core.Tri.const(True, person.count)


def _verdict(eligible: core.Tri, person, period, parameters) -> core.Verdict:
    _amount, computable = amount_fen(person, period, parameters)
    return core.Verdict(eligible, computable)


# --- employees -------------------------------------------------------------------------------
class skill_upgrade_subsidy_employee_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "参保职工符合技能提升补贴条件 (definitely eligible)"
    reference = "000 三(五)1; 003 失业保险 八(一)2"

    def formula(person, period, parameters):
        return employee_eligibility(person, period, parameters).value


class skill_upgrade_subsidy_employee_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 参保职工技能提升补贴条件"

    def formula(person, period, parameters):
        return employee_eligibility(person, period, parameters).known


class skill_upgrade_subsidy_employee_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "参保职工技能提升补贴：需要补充信息"

    def formula(person, period, parameters):
        return _verdict(employee_eligibility(person, period, parameters), person, period, parameters).needs_information


class skill_upgrade_subsidy_employee_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "参保职工技能提升补贴：缺少的信息"

    def formula(person, period, parameters):
        return _verdict(employee_eligibility(person, period, parameters), person, period, parameters).missing_text()


class skill_upgrade_subsidy_employee_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "参保职工技能提升补贴金额（分）"
    reference = "000 三(五)2; 003 失业保险 八(一)3"

    def formula(person, period, parameters):
        amount, _c = amount_fen(person, period, parameters)
        return np.where(employee_eligibility(person, period, parameters).value, amount, 0)


# --- persons receiving the UI benefit --------------------------------------------------------
class skill_upgrade_subsidy_unemployed_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "领取失业保险金人员符合技能提升补贴条件 (definitely eligible)"
    reference = "003 失业保险 八(二)2"

    def formula(person, period, parameters):
        return unemployed_eligibility(person, period, parameters).value


class skill_upgrade_subsidy_unemployed_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 领取失业保险金人员技能提升补贴条件"

    def formula(person, period, parameters):
        return unemployed_eligibility(person, period, parameters).known


class skill_upgrade_subsidy_unemployed_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "领取失业保险金人员技能提升补贴：需要补充信息"

    def formula(person, period, parameters):
        return _verdict(unemployed_eligibility(person, period, parameters), person, period, parameters).needs_information


class skill_upgrade_subsidy_unemployed_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "领取失业保险金人员技能提升补贴：缺少的信息"

    def formula(person, period, parameters):
        return _verdict(unemployed_eligibility(person, period, parameters), person, period, parameters).missing_text()


class skill_upgrade_subsidy_unemployed_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "领取失业保险金人员技能提升补贴金额（分）"
    reference = "003 失业保险 八(二)3"

    def formula(person, period, parameters):
        amount, _c = amount_fen(person, period, parameters)
        return np.where(unemployed_eligibility(person, period, parameters).value, amount, 0)
