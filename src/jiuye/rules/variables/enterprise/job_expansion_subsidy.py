"""一次性扩岗补助 — policy ``job_expansion_subsidy`` (003 失业保险 五; 003 only).

An enterprise (any size; 以企业方式参保的个体工商户 too) that between 2022-01-01 and 2022-12-31 hired a
college graduate whose graduation year is 2022, signed a labour contract with them and enrolled them
in unemployment insurance gets 1500 元 per such graduate, unless it received 一次性吸纳就业补贴 for
that graduate (不重复享受). Window: 实施期限到2022年底 (``other_subsidies.job_expansion.open``: open in
2022, closed from 2023-01-01, no value before 2022). The graduates are the ``employee`` members.

Conditions (``job_expansion_subsidy_cond_<c>``): ``window``, and per employee, cumulatively:
``hired_graduate``, ``graduation_year`` (the year of ``college_leaving_date`` is 2022),
``hired_in_period`` (``hire_date`` in 2022 and not after the month), ``labour_contract_signed``
(``labour_contract_months`` > 0), ``ui_insured``, ``not_combined_with_hiring_subsidy``.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Enterprise, Person
from jiuye.rules.variables.enterprise import employee_helpers as staff

MONTH = DateUnit.MONTH
POLICY = "job_expansion_subsidy"
AMOUNT = "other_subsidies.job_expansion.per_graduate"


def _person_conditions(person, period, parameters) -> dict[str, core.Tri]:
    n = person.count
    hiring = core.param(parameters, period, f"{POLICY}.hiring")
    if hiring is None:
        unknown = core.Tri.unknown(f"parameters/{POLICY}/hiring", n)
        graduation_year = hired_in_period = unknown
    else:
        year = int(hiring.graduation_year)
        start, end = core.parse_date(hiring.hired_from), core.parse_date(hiring.hired_to)
        last_day = core.period_last_day(period)
        graduation_year = core.check(person, "college_leaving_date", period, lambda d: core.month_index(d) // 12 == year)
        hired_in_period = core.check(
            person, "hire_date", period, lambda d: (d >= start) & (d <= end) & (d <= last_day)
        )
    return {
        "hired_graduate": core.fact(person, "college_graduate", period),
        "graduation_year": graduation_year,
        "hired_in_period": hired_in_period,
        "labour_contract_signed": core.check(person, "labour_contract_months", period, lambda m: m > 0),
        "ui_insured": core.fact(person, "ui_insured", period),
        "not_combined_with_hiring_subsidy": ~core.fact(person, "graduate_hiring_subsidy_received", period),
    }


person_conditions = staff.memoised(POLICY, _person_conditions)


def graduate_qualifies(person, period, parameters) -> core.Tri:
    return core.all_of(*person_conditions(person, period, parameters).values())


RULES = core.PolicyRules(
    POLICY,
    Enterprise,
    {
        "window": (
            "在实施期限内（到2022年底）",
            lambda e, t, p: core.param_tri(p, t, "other_subsidies.job_expansion.open", e.count),
        ),
        **staff.rule_conditions(POLICY, {
            "hired_graduate": "招用了高校毕业生",
            "graduation_year": "毕业生的毕业年度为2022年",
            "hired_in_period": "于2022年1月1日至12月31日招用",
            "labour_contract_signed": "与毕业生签订劳动合同",
            "ui_insured": "毕业生参加失业保险",
            "not_combined_with_hiring_subsidy": "未就该毕业生享受一次性吸纳就业补贴（不重复享受）",
        }, person_conditions),
    },
    label="一次性扩岗补助",
)


def eligibility(enterprise, period, parameters) -> core.Tri:
    return RULES.eligibility(enterprise, period, parameters)


def verdict(enterprise, period, parameters) -> core.Verdict:
    n = enterprise.count
    amount = core.param(parameters, period, AMOUNT)
    graduates = graduate_qualifies(enterprise.members, period, parameters)
    computable = core.determined(core.parameter_known(amount, AMOUNT, n), staff.all_employees_known(enterprise, graduates))
    return core.Verdict(eligibility(enterprise, period, parameters), computable)


# --- per employee ------------------------------------------------------------------------------
class job_expansion_subsidy_employee_qualifies(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "该职工是2022年招用的2022届高校毕业生，签订劳动合同并参加失业保险，未享受吸纳就业补贴"

    def formula(person, period, parameters):
        return graduate_qualifies(person, period, parameters).value


class job_expansion_subsidy_employee_qualifies_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 该职工计入一次性扩岗补助"

    def formula(person, period, parameters):
        return graduate_qualifies(person, period, parameters).known


# --- verdict -----------------------------------------------------------------------------------
class job_expansion_subsidy_eligible(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "符合一次性扩岗补助条件 (definitely eligible)"
    reference = "003 失业保险 五"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).value


class job_expansion_subsidy_eligible_known(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "是否已知: 一次性扩岗补助条件"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).known


class job_expansion_subsidy_needs_information(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "一次性扩岗补助：需要补充信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).needs_information


class job_expansion_subsidy_missing_information(Variable):
    value_type = str
    entity = Enterprise
    definition_period = MONTH
    label = "一次性扩岗补助：缺少的信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).missing_text()


class job_expansion_subsidy_graduates(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    label = "计入一次性扩岗补助的高校毕业生人数（0 unless eligible）"

    def formula(enterprise, period, parameters):
        count = staff.count_employees(enterprise, graduate_qualifies(enterprise.members, period, parameters))
        return np.where(eligibility(enterprise, period, parameters).value, count, 0)


class job_expansion_subsidy_per_graduate_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "一次性扩岗补助标准（分/人）"
    reference = "003 失业保险 五(一)"

    def formula(enterprise, period, parameters):
        amount = core.param(parameters, period, AMOUNT)
        fen = core.yuan_to_fen(amount) if amount is not None else 0
        return np.where(eligibility(enterprise, period, parameters).value, fen, 0)


class job_expansion_subsidy_amount_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "一次性扩岗补助总额（分）= 标准 × 符合条件的毕业生人数"

    def formula(enterprise, period, parameters):
        graduates = enterprise("job_expansion_subsidy_graduates", period)
        return graduates * enterprise("job_expansion_subsidy_per_graduate_fen", period)
