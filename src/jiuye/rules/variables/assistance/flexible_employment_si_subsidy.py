"""灵活就业人员社会保险补贴 — policy ``flexible_employment_si_subsidy`` (000 一(六); 003 就业服务, 高校毕业生②).

Eligible: flexibly employed and paying employee pension or medical insurance as an individual, and
either a certified hard-to-employ person, or a college graduate less than 2 years after leaving
college who has not worked since. Term (at first approval = the period): hard-to-employ 3 years,
until retirement when less than 5 years from it; graduates 2 years. Cap: 2/3 of the contributions
actually paid (003; 000 gives no cap, so before 2022-09-01 the cap "needs information").
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import common, core
from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH


def _max_months(parameters, period):
    return core.param(parameters, period, "flexible_employment_si_subsidy.max_months")


def _unknown(person) -> core.Tri:
    return core.Tri.unknown("parameters/flexible_employment_si_subsidy/max_months", person.count)


def _with_params(make):
    def condition(person, period, parameters) -> core.Tri:
        p = _max_months(parameters, period)
        return _unknown(person) if p is None else make(person, period, p)
    return condition


def _recent_graduate(person, period, p) -> core.Tri:
    return common.graduated_within(person, period, p.graduate_years_since_leaving) & ~core.fact(
        person, "employed_since_leaving_college", period
    )


RULES = core.PolicyRules(
    "flexible_employment_si_subsidy",
    Person,
    {
        "flexibly_employed": ("灵活就业", _with_params(lambda p, t, _: core.fact(p, "flexibly_employed", t))),
        "pays_si": ("以个人身份缴纳职工基本养老或医疗保险", _with_params(lambda p, t, _: core.fact(p, "pays_si_as_flexible_worker", t))),
        "hard_to_employ": ("经认定的就业困难人员", _with_params(lambda p, t, _: core.fact(p, "hard_to_employ_certified", t))),
        "recent_graduate": ("离校2年内未就业的高校毕业生", _with_params(_recent_graduate)),
    },
    combine=lambda c: c["flexibly_employed"] & c["pays_si"] & (c["hard_to_employ"] | c["recent_graduate"]),
    label="灵活就业社会保险补贴",
)


def routes(person, period, parameters):
    """(hard-to-employ route, graduate route), each including "flexibly employed and paying"."""
    c = RULES.conditions_from_variables(person, period, parameters)
    paying = c["flexibly_employed"] & c["pays_si"]
    return c["hard_to_employ"] & paying, c["recent_graduate"] & paying


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


def term(person, period, parameters):
    """(maximum months, computable Tri)."""
    n = person.count
    p = core.param(parameters, period, "flexible_employment_si_subsidy.max_months")
    if p is None:
        return np.zeros(n, dtype=np.int32), core.Tri.unknown("parameters/flexible_employment_si_subsidy/max_months", n)
    hard_to_employ, graduate = routes(person, period, parameters)
    hte_months, retirement = common.retirement_derived(
        person, period, lambda m: np.where(m < p.near_retirement_months, np.maximum(m, 0), p.hard_to_employ))
    months = np.maximum(np.where(hard_to_employ.value, hte_months, 0), np.where(graduate.value, p.graduate, 0))
    # hard-to-employ: needs the retirement date, and the graduate route only if it could be longer;
    # graduate only: the hard-to-employ route could still be longer, so it must be known.
    graduate_irrelevant = core.Tri.const(True, n)
    hte_case = retirement & core.Tri.where(
        retirement.value & (hte_months >= p.graduate), graduate_irrelevant, core.determined(graduate)
    )
    graduate_case = core.determined(hard_to_employ)
    computable = core.Tri.where(hard_to_employ.value, hte_case, core.Tri.where(graduate.value, graduate_case, graduate_irrelevant))
    return months.astype(np.int32), computable


def cap(person, period, parameters):
    """(cap in fen, computable Tri)."""
    n = person.count
    numerator = core.param(parameters, period, "flexible_employment_si_subsidy.cap.numerator")
    denominator = core.param(parameters, period, "flexible_employment_si_subsidy.cap.denominator")
    if numerator is None or denominator is None:
        return np.zeros(n, dtype=np.int32), core.Tri.unknown("parameters/flexible_employment_si_subsidy/cap", n)
    paid = person("si_contributions_paid_fen", period).astype(np.int64)
    return core.floor_fen(paid * numerator / denominator), core.determined(core.knowns(person, period, "si_contributions_paid_fen"))


def verdict(person, period, parameters) -> core.Verdict:
    return core.memo(person, period, ("verdict", RULES.policy), lambda: _verdict(person, period, parameters))


def _verdict(person, period, parameters) -> core.Verdict:
    _m, term_known = term(person, period, parameters)
    _c, cap_known = cap(person, period, parameters)
    return core.Verdict(eligibility(person, period, parameters), core.determined(term_known, cap_known))


class flexible_employment_si_subsidy_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合灵活就业社会保险补贴条件 (definitely eligible)"
    reference = "000 一(六)1; 003 灵活就业的就业困难人员社会保险补贴; 003 高校毕业生②"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class flexible_employment_si_subsidy_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 灵活就业社会保险补贴条件"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class flexible_employment_si_subsidy_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "灵活就业社会保险补贴：需要补充信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class flexible_employment_si_subsidy_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "灵活就业社会保险补贴：缺少的信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()


class flexible_employment_si_subsidy_max_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "month"
    label = "灵活就业社会保险补贴最长期限（月）"
    reference = "000 一(六)2; 003 (四) 补贴期限; 003 高校毕业生②"

    def formula(person, period, parameters):
        months, computable = term(person, period, parameters)
        return np.where(eligibility(person, period, parameters).value & computable.value, months, 0)


class flexible_employment_si_subsidy_cap_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "灵活就业社会保险补贴上限（分）= 实际缴费 × 2/3（向下取整到分）"
    reference = "003 (三) 补贴标准"

    def formula(person, period, parameters):
        amount, computable = cap(person, period, parameters)
        return np.where(eligibility(person, period, parameters).value & computable.value, amount, 0)
