"""未签劳动合同终止劳动关系的经济补偿 — policy ``severance_compensation`` (003 农牧民工 Q13).

Due when there is a de facto labour relation without a written contract and the employer ends it:
one month's wage per full year of service (003); a remaining part of at least 6 months counts as
a year, a shorter one as half a month (《劳动合同法》第四十七条). For a worker earning over three times
the local average monthly wage the law caps wage and years, with a figure not in the sources:
"needs information".
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH


RULES = core.PolicyRules(
    "severance_compensation",
    Person,
    {
        "de_facto_relation": ("未签订劳动合同但形成事实劳动关系", lambda p, t, _: core.fact(p, "de_facto_labour_relation", t)),
        "employer_terminated": ("用人单位终止劳动关系", lambda p, t, _: core.fact(p, "employer_terminated", t)),
    },
    label="经济补偿",
)


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


def months_of_pay(person, period, parameters) -> np.ndarray:
    s = parameters(period).labour_law.severance
    service = person("months_of_service", period)
    years, rest = np.divmod(np.maximum(service, 0), 12)
    part = np.where(
        rest >= s.part_year.threshold_months,
        s.part_year.months_if_at_least_threshold,
        np.where(rest > 0, s.part_year.months_if_below_threshold, 0),
    )
    return years * s.months_per_full_year + part


def verdict(person, period, parameters) -> core.Verdict:
    high_earner = core.fact(person, "wage_above_three_times_local_average", period)
    capped_case = core.Tri(~high_earner.value, ~high_earner.value, {"parameters/general/local_average_monthly_wage": high_earner.value})
    computable = core.determined(core.knowns(person, period, "months_of_service", "monthly_wage_fen"), high_earner) & capped_case
    return core.Verdict(eligibility(person, period, parameters), computable)


class severance_compensation_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "用人单位应支付经济补偿（事实劳动关系被终止）"
    reference = "003 农牧民工 Q13"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class severance_compensation_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 应支付经济补偿"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class severance_compensation_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "经济补偿：需要补充信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class severance_compensation_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "经济补偿：缺少的信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()


class severance_compensation_months(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "month"
    label = "经济补偿月数（每满1年1个月；不满1年的部分按《劳动合同法》第四十七条）"

    def formula(person, period, parameters):
        ok = eligibility(person, period, parameters).value & person("months_of_service_known", period)
        return np.where(ok, months_of_pay(person, period, parameters), 0)


class severance_compensation_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "经济补偿金额（分）= 月工资 × 经济补偿月数"

    def formula(person, period, parameters):
        v = verdict(person, period, parameters)
        months = months_of_pay(person, period, parameters)
        wage = person("monthly_wage_fen", period).astype(np.float64)
        ok = v.eligible.value & v.computable.value
        return np.where(ok, core.round_fen(wage * months), 0)
