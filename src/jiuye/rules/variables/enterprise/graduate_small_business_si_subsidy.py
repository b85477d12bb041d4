"""小微企业招用高校毕业生社会保险补贴 — policy ``graduate_small_business_si_subsidy`` (003 高校毕业生②
and 企业吸纳有鼓励; 003 only).

A small or micro enterprise (``enterprise_category`` small/micro) that hired a college graduate
less than 2 years after the graduate left college, who had not worked since leaving college
before this hire, signed a labour contract of at least 1 year and pays the graduate's social
insurance, gets a social-insurance subsidy for at most 1 year, excluding the graduate's own share,
paid after the contributions (先缴后补). The graduates are the enterprise's ``employee`` members.

Conditions (``graduate_small_business_si_subsidy_cond_<c>``): ``in_force`` (the sources give the
subsidy for the date: from 2022-09-01), ``small_or_micro``, and per employee, cumulatively:
``hired_graduate``, ``left_college_within_two_years`` (hire date less than 2 years after
``college_leaving_date``), ``not_employed_before_hire``, ``contract_at_least_one_year``, ``pays_si``.
The documents give no rate or amount for this subsidy (only the term and that the graduate's own
share is excluded), so the rules compute the term, not an amount. No window is stated.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Enterprise, Person
from jiuye.rules.enums import EnterpriseCategory
from jiuye.rules.variables.enterprise import employee_helpers as staff

MONTH = DateUnit.MONTH
POLICY = "graduate_small_business_si_subsidy"
SMALL = (EnterpriseCategory.small, EnterpriseCategory.micro)


def _person_conditions(person, period, parameters) -> dict[str, core.Tri]:
    n = person.count
    c = core.param(parameters, period, f"{POLICY}.conditions")
    if c is None:
        unknown = core.Tri.unknown(f"parameters/{POLICY}/conditions", n)
        recent = contract = unknown
    else:
        last_day = core.period_last_day(period)
        hired, left = person("hire_date", period), person("college_leaving_date", period)
        elapsed = core.full_months_between(left, hired)
        basis = core.knowns(person, period, "hire_date", "college_leaving_date")
        recent = core.based_on(basis, (elapsed >= 0) & (elapsed < c.graduate_years_since_leaving * 12) & (hired <= last_day))
        contract = core.check(person, "labour_contract_months", period, lambda m: m >= c.min_contract_months)
    return {
        "hired_graduate": core.fact(person, "college_graduate", period),
        "left_college_within_two_years": recent,
        "not_employed_before_hire": ~core.fact(person, "employed_before_hire_since_leaving_college", period),
        "contract_at_least_one_year": contract,
        "pays_si": core.fact(person, "employer_pays_si", period),
    }


person_conditions = staff.memoised(POLICY, _person_conditions)


def graduate_qualifies(person, period, parameters) -> core.Tri:
    return core.all_of(*person_conditions(person, period, parameters).values())


def _in_force(enterprise, period, parameters) -> core.Tri:
    return core.parameter_known(core.param(parameters, period, f"{POLICY}.max_months"), f"{POLICY}.max_months", enterprise.count)


def _small(enterprise, period, parameters) -> core.Tri:
    return core.check(enterprise, "enterprise_category", period, lambda c: np.logical_or.reduce([c == item for item in SMALL]))


RULES = core.PolicyRules(
    POLICY,
    Enterprise,
    {
        "in_force": ("资料给出该日期的小微企业招用高校毕业生社会保险补贴（003，2022-09-01起）", _in_force),
        "small_or_micro": ("小微企业", _small),
        **staff.rule_conditions(POLICY, {
            "hired_graduate": "招用了高校毕业生",
            "left_college_within_two_years": "招用时毕业生离校2年内",
            "not_employed_before_hire": "毕业生离校后、招用前未就业",
            "contract_at_least_one_year": "与毕业生签订1年以上劳动合同",
            "pays_si": "为毕业生缴纳社会保险费",
        }, person_conditions),
    },
    label="小微企业招用高校毕业生社会保险补贴",
)


def eligibility(enterprise, period, parameters) -> core.Tri:
    return RULES.eligibility(enterprise, period, parameters)


def verdict(enterprise, period, parameters) -> core.Verdict:
    graduates = graduate_qualifies(enterprise.members, period, parameters)
    return core.Verdict(eligibility(enterprise, period, parameters), staff.all_employees_known(enterprise, graduates))


# --- per employee ------------------------------------------------------------------------------
class graduate_small_business_si_subsidy_employee_qualifies(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "该职工是离校2年内未就业、签订1年以上劳动合同并由单位缴纳社会保险费的高校毕业生"

    def formula(person, period, parameters):
        return graduate_qualifies(person, period, parameters).value


class graduate_small_business_si_subsidy_employee_qualifies_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 该职工计入小微企业招用高校毕业生社会保险补贴"

    def formula(person, period, parameters):
        return graduate_qualifies(person, period, parameters).known


# --- verdict -----------------------------------------------------------------------------------
class graduate_small_business_si_subsidy_eligible(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "符合小微企业招用高校毕业生社会保险补贴条件 (definitely eligible)"
    reference = "003 高校毕业生②"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).value


class graduate_small_business_si_subsidy_eligible_known(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "是否已知: 小微企业招用高校毕业生社会保险补贴条件"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).known


class graduate_small_business_si_subsidy_needs_information(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "小微企业招用高校毕业生社会保险补贴：需要补充信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).needs_information


class graduate_small_business_si_subsidy_missing_information(Variable):
    value_type = str
    entity = Enterprise
    definition_period = MONTH
    label = "小微企业招用高校毕业生社会保险补贴：缺少的信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).missing_text()


class graduate_small_business_si_subsidy_graduates(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    label = "计入补贴的高校毕业生人数（0 unless eligible）"

    def formula(enterprise, period, parameters):
        count = staff.count_employees(enterprise, graduate_qualifies(enterprise.members, period, parameters))
        return np.where(eligibility(enterprise, period, parameters).value, count, 0)


class graduate_small_business_si_subsidy_max_months(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "month"
    label = "社会保险补贴最长期限（月）：最长不超过1年（0 unless eligible）"
    reference = "003 高校毕业生②"

    def formula(enterprise, period, parameters):
        months = core.param(parameters, period, f"{POLICY}.max_months") or 0
        return np.where(eligibility(enterprise, period, parameters).value, months, 0)
