"""一次性吸纳就业补贴 — policy ``graduate_hiring_subsidy`` (003 高校毕业生① and 企业吸纳有鼓励; 003 only).

A small, medium or micro enterprise (中小微企业; ``enterprise_category`` medium/small/micro — social
organisations and units insured like them are not 中小微企业, an interpretation) that hired a college
graduate in the graduate's graduation year (毕业年度: the calendar year of ``college_leaving_date``
is that of ``hire_date``) and signed a labour contract of at least 1 year, gets 1500 元 per such
graduate. Not combined with 一次性扩岗补助 for the same graduate (003 失业保险 五; condition
``not_combined_with_job_expansion``). The graduates are the enterprise's ``employee`` members.

Conditions (``graduate_hiring_subsidy_cond_<c>``): ``in_force`` (the sources give the subsidy for
the date: from 2022-09-01; before, "needs information"), ``sme``, and, per employee and cumulatively
(see ``employee_helpers``): ``hired_graduate``, ``hired_in_graduation_year``,
``contract_at_least_one_year``, ``not_combined_with_job_expansion``. No window is stated. 003 adds
that the standard and procedure are set by the autonomous region.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Enterprise, Person
from jiuye.rules.enums import EnterpriseCategory
from jiuye.rules.variables.enterprise import employee_helpers as staff

MONTH = DateUnit.MONTH
POLICY = "graduate_hiring_subsidy"
AMOUNT = "other_subsidies.graduate_hiring_per_graduate"
SME = (EnterpriseCategory.medium, EnterpriseCategory.small, EnterpriseCategory.micro)


def _person_conditions(person, period, parameters) -> dict[str, core.Tri]:
    n = person.count
    min_months = core.param(parameters, period, f"{POLICY}.min_contract_months")
    last_day = core.period_last_day(period)
    basis = core.knowns(person, period, "hire_date", "college_leaving_date")
    hired, left = person("hire_date", period), person("college_leaving_date", period)
    same_year = core.month_index(hired) // 12 == core.month_index(left) // 12
    contract = (
        core.Tri.unknown(f"parameters/{POLICY}/min_contract_months", n)
        if min_months is None
        else core.check(person, "labour_contract_months", period, lambda m: m >= min_months)
    )
    return {
        "hired_graduate": core.fact(person, "college_graduate", period),
        "hired_in_graduation_year": core.based_on(basis, same_year & (hired <= last_day)),
        "contract_at_least_one_year": contract,
        "not_combined_with_job_expansion": ~core.fact(person, "job_expansion_subsidy_received", period),
    }


person_conditions = staff.memoised(POLICY, _person_conditions)


def graduate_qualifies(person, period, parameters) -> core.Tri:
    return core.all_of(*person_conditions(person, period, parameters).values())


def _sme(enterprise, period, parameters) -> core.Tri:
    return core.check(enterprise, "enterprise_category", period, lambda c: np.logical_or.reduce([c == item for item in SME]))


RULES = core.PolicyRules(
    POLICY,
    Enterprise,
    {
        "in_force": (
            "资料给出该日期的一次性吸纳就业补贴（003，2022-09-01起）",
            lambda e, t, p: core.parameter_known(core.param(p, t, AMOUNT), AMOUNT, e.count),
        ),
        "sme": ("中小微企业", _sme),
        **staff.rule_conditions(POLICY, {
            "hired_graduate": "招用了高校毕业生",
            "hired_in_graduation_year": "在毕业生的毕业年度招用",
            "contract_at_least_one_year": "与毕业生签订1年以上劳动合同",
            "not_combined_with_job_expansion": "未就该毕业生享受一次性扩岗补助（不重复享受）",
        }, person_conditions),
    },
    label="一次性吸纳就业补贴",
)


def eligibility(enterprise, period, parameters) -> core.Tri:
    return RULES.eligibility(enterprise, period, parameters)


def verdict(enterprise, period, parameters) -> core.Verdict:
    graduates = graduate_qualifies(enterprise.members, period, parameters)
    return core.Verdict(eligibility(enterprise, period, parameters), staff.all_employees_known(enterprise, graduates))


# --- per employee ------------------------------------------------------------------------------
class graduate_hiring_subsidy_employee_qualifies(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "该职工是本单位在其毕业年度招用、签订1年以上劳动合同、未享受扩岗补助的高校毕业生"

    def formula(person, period, parameters):
        return graduate_qualifies(person, period, parameters).value


class graduate_hiring_subsidy_employee_qualifies_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 该职工计入一次性吸纳就业补贴"

    def formula(person, period, parameters):
        return graduate_qualifies(person, period, parameters).known


# --- verdict -----------------------------------------------------------------------------------
class graduate_hiring_subsidy_eligible(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "符合一次性吸纳就业补贴条件 (definitely eligible)"
    reference = "003 高校毕业生①"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).value


class graduate_hiring_subsidy_eligible_known(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "是否已知: 一次性吸纳就业补贴条件"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).known


class graduate_hiring_subsidy_needs_information(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "一次性吸纳就业补贴：需要补充信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).needs_information


class graduate_hiring_subsidy_missing_information(Variable):
    value_type = str
    entity = Enterprise
    definition_period = MONTH
    label = "一次性吸纳就业补贴：缺少的信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).missing_text()


class graduate_hiring_subsidy_graduates(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    label = "计入一次性吸纳就业补贴的高校毕业生人数（0 unless eligible）"

    def formula(enterprise, period, parameters):
        count = staff.count_employees(enterprise, graduate_qualifies(enterprise.members, period, parameters))
        return np.where(eligibility(enterprise, period, parameters).value, count, 0)


class graduate_hiring_subsidy_per_graduate_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "一次性吸纳就业补贴标准（分/人）"
    reference = "003 高校毕业生①"

    def formula(enterprise, period, parameters):
        amount = core.param(parameters, period, AMOUNT)
        fen = core.yuan_to_fen(amount) if amount is not None else 0
        return np.where(eligibility(enterprise, period, parameters).value, fen, 0)


class graduate_hiring_subsidy_amount_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "一次性吸纳就业补贴总额（分）= 标准 × 符合条件的毕业生人数"

    def formula(enterprise, period, parameters):
        graduates = enterprise("graduate_hiring_subsidy_graduates", period)
        return graduates * enterprise("graduate_hiring_subsidy_per_graduate_fen", period)
