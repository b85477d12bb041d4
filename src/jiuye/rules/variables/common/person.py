"""Derived facts about a person used by several policies: age, retirement, working age, spouse,
local minimum wage. Each has a ``<name>_known`` companion defined here."""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import common, core
from jiuye.rules.entities import Person
from jiuye.rules.enums import Sex

MONTH = DateUnit.MONTH


class age(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "year"
    label = "年龄（周岁，按当月第一天）(age in whole years on the first day of the month)"
    documentation = "Computed from birth_date; may also be given directly as an input (then give age_known too)."

    def formula(person, period, parameters):
        return core.full_years_between(person("birth_date", period), core.period_first_day(period))


class age_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 年龄"

    def formula(person, period, parameters):
        return person("birth_date_known", period)


class legal_retirement_age_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "month"
    label = "法定退休年龄（月龄）(legal retirement age in months, under the law in force this month)"
    documentation = (
        "Original age 60 (men) / 50 (women workers) / 55 (women cadres); from 2025-01-01 raised by one "
        "month every 4 (or 2) months of original retirement date, up to 63 / 55 / 58."
    )

    def formula(person, period, parameters):
        return common.legal_retirement_age_months(person, period, parameters(period), person("female_cadre_post", period))


class months_to_legal_retirement(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "month"
    label = "距法定退休年龄的月数（按当月计）(months until legal retirement)"

    def formula(person, period, parameters):
        reach = core.month_index(person("birth_date", period)) + person("legal_retirement_age_months", period)
        return reach - core.month_index(core.period_first_day(period))


class months_to_legal_retirement_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 距法定退休年龄的月数 (needs birth_date, sex and, for women, female_cadre_post)"

    def formula(person, period, parameters):
        return common.retirement_inputs(person, period).known


class in_legal_working_age(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "法定劳动年龄内（16周岁以上且未到法定退休年龄）"

    def formula(person, period, parameters):
        return common.working_age_tri(person, period, parameters).value


class in_legal_working_age_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 法定劳动年龄内"

    def formula(person, period, parameters):
        return common.working_age_tri(person, period, parameters).known


class spouse_unemployed(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "配偶同时失业（夫妻双方同时失业）(the spouse is unemployed too)"
    documentation = (
        "From the household: the other person with the role spouse is_unemployed. May be given "
        "directly as an input (with spouse_unemployed_known), e.g. when the spouse is not in the "
        "simulation; a person without a spouse answers False (known)."
    )

    def formula(person, period, parameters):
        value, _known = common.spouse(person, period)
        return value


class spouse_unemployed_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 配偶同时失业"

    def formula(person, period, parameters):
        _value, known = common.spouse(person, period)
        return known


class local_minimum_wage_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "本地区（所在旗县市）全日制月最低工资标准（分）"

    def formula(person, period, parameters):
        amount, known = common.district_minimum_wage_yuan(person, period, parameters)
        return core.round_fen(amount * 100)


class local_minimum_wage_fen_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 本地区最低工资标准 (needs district, and a value for that date)"

    def formula(person, period, parameters):
        _amount, known = common.district_minimum_wage_yuan(person, period, parameters)
        return known
