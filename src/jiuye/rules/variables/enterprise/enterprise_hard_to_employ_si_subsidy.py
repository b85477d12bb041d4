"""企业吸纳就业困难人员社会保险补贴 — policy ``enterprise_hard_to_employ_si_subsidy`` (003 就业服务;
000 一(五)5 names it without a standard).

A unit that employs certified hard-to-employ persons and pays their social insurance (the
enterprise's ``employee`` members). Conditions (``enterprise_hard_to_employ_si_subsidy_cond_<c>``,
checked cumulatively per employee, see ``employee_helpers``): ``hard_to_employ_employee``,
``pays_si``. (003's graduate guide names units hiring graduates who had never worked 2 years or more
after leaving college — 就业困难的高校毕业生, category 6 of 就业困难人员认定; they count once certified.)
Per employee:
  - term: at most 3 years; until retirement when retirement is less than 5 years away (at the first
    approval, taken to be the month asked about) — the same 就业困难人员社会保险补贴期限 as
    ``flexible_employment_si_subsidy.max_months`` (000 一(六)2, 003), whose parameters are used;
  - cap: 2/3 of the basic pension, medical and unemployment insurance the unit actually paid for the
    employee, excluding the employee's own share (``employer_si_contributions_paid_fen``), rounded
    down to the fen; given by 003 only, so before 2022-09-01 the cap "needs information".
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import common, core
from jiuye.rules.entities import Enterprise, Person
from jiuye.rules.variables.enterprise import employee_helpers as staff

MONTH = DateUnit.MONTH
POLICY = "enterprise_hard_to_employ_si_subsidy"
TERM = "flexible_employment_si_subsidy.max_months"


def _person_conditions(person, period, parameters) -> dict[str, core.Tri]:
    return {
        "hard_to_employ_employee": core.fact(person, "hard_to_employ_certified", period),
        "pays_si": core.fact(person, "employer_pays_si", period),
    }


person_conditions = staff.memoised(POLICY, _person_conditions)


def employee_qualifies(person, period, parameters) -> core.Tri:
    return core.all_of(*person_conditions(person, period, parameters).values())


def employee_term(person, period, parameters):
    """(maximum months per employee, computable Tri)."""
    n = person.count
    p = core.param(parameters, period, TERM)
    if p is None:
        return np.zeros(n, dtype=np.int32), core.Tri.unknown(f"parameters/{TERM.replace('.', '/')}", n)
    months, basis = common.retirement_derived(
        person, period, lambda m: np.where(m < p.near_retirement_months, np.maximum(m, 0), p.hard_to_employ))
    return months.astype(np.int32), basis


def employee_cap(person, period, parameters):
    """(cap per employee in fen, computable Tri)."""
    n = person.count
    numerator = core.param(parameters, period, f"{POLICY}.cap.numerator")
    denominator = core.param(parameters, period, f"{POLICY}.cap.denominator")
    if numerator is None or denominator is None:
        return np.zeros(n, dtype=np.int32), core.Tri.unknown(f"parameters/{POLICY}/cap", n)
    paid = np.maximum(person("employer_si_contributions_paid_fen", period).astype(np.int64), 0)
    return core.floor_fen(paid * numerator / denominator), core.determined(core.knowns(person, period, "employer_si_contributions_paid_fen"))


def employee_computable(person, period, parameters) -> core.Tri:
    """Term and cap known — only needed for qualifying employees."""
    _m, term_known = employee_term(person, period, parameters)
    _c, cap_known = employee_cap(person, period, parameters)
    qualifies = employee_qualifies(person, period, parameters)
    needed = core.determined(term_known, cap_known)
    return core.Tri.where(qualifies.value, needed, core.Tri.const(True, person.count))


RULES = core.PolicyRules(
    POLICY,
    Enterprise,
    staff.rule_conditions(POLICY, {
        "hard_to_employ_employee": "招用了就业困难人员",
        "pays_si": "为招用的就业困难人员缴纳社会保险费",
    }, person_conditions),
    label="企业吸纳就业困难人员社会保险补贴",
)


def eligibility(enterprise, period, parameters) -> core.Tri:
    return RULES.eligibility(enterprise, period, parameters)


def verdict(enterprise, period, parameters) -> core.Verdict:
    members = enterprise.members
    qualifies = employee_qualifies(members, period, parameters)
    details = employee_computable(members, period, parameters)
    computable = core.determined(
        staff.all_employees_known(enterprise, qualifies),
        staff.all_employees_known(enterprise, core.Tri(details.value, details.value, details.missing)),
    )
    return core.Verdict(eligibility(enterprise, period, parameters), computable)


# --- per employee ------------------------------------------------------------------------------
class enterprise_hard_to_employ_si_subsidy_employee_qualifies(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "该职工是单位为其缴纳社会保险费的就业困难人员"

    def formula(person, period, parameters):
        return employee_qualifies(person, period, parameters).value


class enterprise_hard_to_employ_si_subsidy_employee_qualifies_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 该职工计入企业吸纳就业困难人员社会保险补贴"

    def formula(person, period, parameters):
        return employee_qualifies(person, period, parameters).known


class enterprise_hard_to_employ_si_subsidy_employee_max_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "month"
    label = "该职工的社会保险补贴最长期限（月）：3年；距法定退休年龄不足5年的至退休（0 unless qualifying and known）"
    reference = "003 就业服务 企业吸纳就业困难人员社会保险补贴申请 (四)"

    def formula(person, period, parameters):
        months, known = employee_term(person, period, parameters)
        return np.where(employee_qualifies(person, period, parameters).value & known.value, months, 0)


class enterprise_hard_to_employ_si_subsidy_employee_cap_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "该职工的社会保险补贴上限（分）= 单位实际缴费 × 2/3（向下取整到分）"
    reference = "003 就业服务 企业吸纳就业困难人员社会保险补贴申请 (三)"

    def formula(person, period, parameters):
        amount, known = employee_cap(person, period, parameters)
        return np.where(employee_qualifies(person, period, parameters).value & known.value, amount, 0)


# --- verdict -----------------------------------------------------------------------------------
class enterprise_hard_to_employ_si_subsidy_eligible(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "符合企业吸纳就业困难人员社会保险补贴条件 (definitely eligible)"
    reference = "000 一(五)5; 003 就业服务 企业吸纳就业困难人员社会保险补贴申请"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).value


class enterprise_hard_to_employ_si_subsidy_eligible_known(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "是否已知: 企业吸纳就业困难人员社会保险补贴条件"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).known


class enterprise_hard_to_employ_si_subsidy_needs_information(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "企业吸纳就业困难人员社会保险补贴：需要补充信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).needs_information


class enterprise_hard_to_employ_si_subsidy_missing_information(Variable):
    value_type = str
    entity = Enterprise
    definition_period = MONTH
    label = "企业吸纳就业困难人员社会保险补贴：缺少的信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).missing_text()


class enterprise_hard_to_employ_si_subsidy_employees(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    label = "计入补贴的就业困难人员人数（0 unless eligible）"

    def formula(enterprise, period, parameters):
        count = staff.count_employees(enterprise, employee_qualifies(enterprise.members, period, parameters))
        return np.where(eligibility(enterprise, period, parameters).value, count, 0)


class enterprise_hard_to_employ_si_subsidy_paid_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "计入补贴的就业困难人员，单位实际缴纳的社会保险费合计（分，不含个人部分）"

    def formula(enterprise, period, parameters):
        members = enterprise.members
        paid = np.maximum(members("employer_si_contributions_paid_fen", period).astype(np.int64), 0)
        counted = np.where(employee_qualifies(members, period, parameters).value, paid, 0)
        total = staff.sum_employees(enterprise, counted)
        return np.where(eligibility(enterprise, period, parameters).value, total, 0).astype(np.int32)


class enterprise_hard_to_employ_si_subsidy_cap_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "社会保险补贴上限合计（分）= Σ 各就业困难人员的上限"

    def formula(enterprise, period, parameters):
        caps = enterprise.members("enterprise_hard_to_employ_si_subsidy_employee_cap_fen", period).astype(np.int64)
        total = staff.sum_employees(enterprise, caps)
        return np.where(eligibility(enterprise, period, parameters).value, total, 0).astype(np.int32)
