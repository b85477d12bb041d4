"""就业见习补贴 — policy ``youth_internship_subsidy`` (000 一(八); 003 高校毕业生⑥, 实践锻炼有见习).

Paid to the host unit for each eligible intern (a member of the enterprise with the role ``intern``):
a college graduate less than 2 years after leaving college who has not worked since, or an
unemployed young person aged 16-24. The placement lasts 3-12 months (paid for at most 12).
Monthly amount per intern: 50 % of the tier-1 minimum wage of the autonomous region, 60 % for
units that keep at least 50 % of their interns. The tier-1 minimum wage is known from 2021-12-01.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import common, core
from jiuye.rules.entities import Enterprise, Person

MONTH = DateUnit.MONTH
TOLERANCE = 1e-6


def participant_eligibility(person, period, parameters) -> core.Tri:
    return core.memo(person, period, "youth_internship_participant", lambda: _participant_eligibility(person, period, parameters))


def _participant_eligibility(person, period, parameters) -> core.Tri:
    p = core.param(parameters, period, "youth_internship.participants")
    if p is None:
        return core.Tri.unknown("parameters/youth_internship/participants", person.count)
    graduate = common.graduated_within(person, period, p.graduate_years_since_leaving) & ~core.fact(
        person, "employed_since_leaving_college", period
    )
    young_unemployed = common.age_tri(person, period, lambda a: (a >= p.min_age) & (a <= p.max_age)) & core.fact(
        person, "is_unemployed", period
    )
    return graduate | young_unemployed


def placement_ok(person, period, parameters) -> core.Tri:
    d = core.param(parameters, period, "youth_internship.duration_months")
    if d is None:
        return core.Tri.unknown("parameters/youth_internship/duration_months", person.count)
    return core.check(person, "internship_months", period, lambda m: m >= d.min)


class youth_internship_participant_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "属于见习人员范围（离校2年内未就业高校毕业生或16-24岁失业青年）"

    def formula(person, period, parameters):
        return participant_eligibility(person, period, parameters).value


class youth_internship_participant_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 属于见习人员范围"

    def formula(person, period, parameters):
        return participant_eligibility(person, period, parameters).known


def intern_tri(person, period, parameters) -> core.Tri:
    return core.memo(person, period, "youth_internship_intern",
                     lambda: participant_eligibility(person, period, parameters) & placement_ok(person, period, parameters))


MISSING_INTERNS = "interns"  # the missing-information name for "no intern listed"


def _has_eligible_intern(enterprise, period, parameters) -> core.Tri:
    """Some intern qualifies. A unit without any ``intern`` member is one whose interns were not
    described (an employer applying online: the interns are checked one by one at review), so the
    answer is unknown (missing ``interns``), not "no eligible intern" — as for employees
    (employee_helpers.any_employee)."""
    found = core.group_any(enterprise, intern_tri(enterprise.members, period, parameters), role=Enterprise.INTERN)
    listed = enterprise.nb_persons(Enterprise.INTERN) > 0
    return core.Tri(found.value, found.known & listed, {**found.missing, MISSING_INTERNS: ~listed})


RULES = core.PolicyRules(
    "youth_internship_subsidy",
    Enterprise,
    {
        "eligible_intern": (
            "接收了符合条件的见习人员（离校2年内未就业高校毕业生或16-24岁失业青年，见习满3个月）",
            _has_eligible_intern,
        ),
    },
    label="就业见习补贴",
)


def eligibility(enterprise, period, parameters) -> core.Tri:
    return RULES.eligibility(enterprise, period, parameters)


def monthly_rate(enterprise, period, parameters):
    """(subsidy share of the tier-1 minimum wage, computable Tri)."""
    r = core.param(parameters, period, "youth_internship.rate")
    n = enterprise.count
    if r is None:
        return np.zeros(n), core.Tri.unknown("parameters/youth_internship/rate", n)
    high = core.check(enterprise, "internship_retention_rate", period, lambda x: x >= r.retention_threshold - TOLERANCE)
    return np.where(high.value, r.high_retention, r.base), core.determined(high)


def monthly_per_intern(enterprise, period, parameters):
    rate, rate_known = monthly_rate(enterprise, period, parameters)
    tier_1 = core.param(parameters, period, "general.minimum_wage.tier_1")
    computable = core.determined(rate_known, core.parameter_known(tier_1, "general.minimum_wage.tier_1", enterprise.count))
    return core.round_fen((tier_1 or 0) * 100 * rate), computable


def verdict(enterprise, period, parameters) -> core.Verdict:
    return core.memo(enterprise, period, ("verdict", RULES.policy), lambda: _verdict(enterprise, period, parameters))


def _verdict(enterprise, period, parameters) -> core.Verdict:
    _amount, computable = monthly_per_intern(enterprise, period, parameters)
    interns = intern_tri(enterprise.members, period, parameters)
    # every intern's eligibility and months must be known to add up the total
    all_interns_known = enterprise.all(interns.known, role=Enterprise.INTERN)
    months_known = enterprise.all(enterprise.members("internship_months_known", period), role=Enterprise.INTERN)
    totals = core.amount_known(all_interns_known & months_known, "interns/internship_months_or_eligibility")
    return core.Verdict(eligibility(enterprise, period, parameters), core.determined(computable, totals))


class youth_internship_subsidy_eligible(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "见习单位有符合条件的见习人员 (definitely eligible)"
    reference = "000 一(八); 003 高校毕业生⑥"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).value


class youth_internship_subsidy_eligible_known(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "是否已知: 就业见习补贴条件"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).known


class youth_internship_subsidy_needs_information(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "就业见习补贴：需要补充信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).needs_information


class youth_internship_subsidy_missing_information(Variable):
    value_type = str
    entity = Enterprise
    definition_period = MONTH
    label = "就业见习补贴：缺少的信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).missing_text()


class youth_internship_subsidy_rate(Variable):
    value_type = float
    entity = Enterprise
    definition_period = MONTH
    unit = "/1"
    label = "见习补贴标准占一类地区最低工资标准的比例（50%，留用率达到50%以上的单位60%）"

    def formula(enterprise, period, parameters):
        rate, _known = monthly_rate(enterprise, period, parameters)
        return rate


class youth_internship_subsidy_monthly_per_intern_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "每名见习人员每月见习补贴（分）"
    reference = "000 一(八)"

    def formula(enterprise, period, parameters):
        amount, _c = monthly_per_intern(enterprise, period, parameters)
        return np.where(eligibility(enterprise, period, parameters).value, amount, 0)


class youth_internship_subsidy_paid_months(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "month"
    label = "计入见习补贴的见习月数之和（Σ 符合条件见习人员的见习月数，每人最多12个月）"

    def formula(enterprise, period, parameters):
        d = core.param(parameters, period, "youth_internship.duration_months")
        if d is None:
            return np.zeros(enterprise.count, dtype=np.int32)
        members = enterprise.members
        ok = intern_tri(members, period, parameters).value
        months = np.minimum(members("internship_months", period), d.max)
        return enterprise.sum(np.where(ok, months, 0), role=Enterprise.INTERN).astype(np.int32)


class youth_internship_subsidy_total_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "见习补贴总额（分）= Σ 符合条件见习人员的见习月数（最多12个月）× 每月补贴"

    def formula(enterprise, period, parameters):
        paid_months = enterprise("youth_internship_subsidy_paid_months", period)
        return paid_months * enterprise("youth_internship_subsidy_monthly_per_intern_fen", period)
