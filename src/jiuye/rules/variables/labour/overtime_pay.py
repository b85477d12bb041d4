"""加班工资 — policy ``overtime_pay`` (003 农牧民工 Q18; 《劳动法》第四十四条).

At least 150 % of the normal hourly wage for extended hours, 200 % for rest-day work without time
off in lieu, 300 % for statutory holidays. Applies when there are overtime hours.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH
HOURS = ("overtime_hours_extended", "overtime_hours_rest_day", "overtime_hours_public_holiday")


RULES = core.PolicyRules(
    "overtime_pay",
    Person,
    {"has_overtime": ("有延长工作时间、休息日或法定休假日加班",
                      lambda p, t, _: core.any_of(*(core.check(p, name, t, lambda h: h > 0) for name in HOURS)))},
    label="加班工资",
)


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


def verdict(person, period, parameters) -> core.Verdict:
    return core.Verdict(eligibility(person, period, parameters), core.determined(core.knowns(person, period, "hourly_wage_fen", *HOURS)))


class overtime_pay_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "有加班（应支付加班工资）"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class overtime_pay_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 有加班"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class overtime_pay_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "加班工资：需要补充信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class overtime_pay_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "加班工资：缺少的信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()


class overtime_pay_min_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "加班工资下限（分）= 小时工资 × (150% × 延长工时 + 200% × 休息日 + 300% × 法定休假日)"
    reference = "003 农牧民工 Q18"

    def formula(person, period, parameters):
        m = parameters(period).labour_law.overtime_multiplier
        wage = person("hourly_wage_fen", period).astype(np.float64)
        weighted = (
            m.extended_hours * person("overtime_hours_extended", period).astype(np.float64)
            + m.rest_day * person("overtime_hours_rest_day", period).astype(np.float64)
            + m.public_holiday * person("overtime_hours_public_holiday", period).astype(np.float64)
        )
        computable = verdict(person, period, parameters).computable.value
        return np.where(computable, core.round_fen(wage * weighted), 0)
