"""Inputs about a person's work: an internship's months, wages, overtime and the labour relation (the
labour-law questions). Each has a generated companion ``<name>_known`` (default False). Every MONTH input
may also be given for a year."""

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH


# --- internship ------------------------------------------------------------------------------
class internship_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "month"
    label = "见习期限（月）"


# --- wages -----------------------------------------------------------------------------------
class hourly_wage_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "currency-CNY-fen"
    label = "正常工作时间小时工资（分）"


class overtime_hours_extended(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "hour"
    label = "延长工作时间（小时）"


class overtime_hours_rest_day(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "hour"
    label = "休息日工作且不能安排补休（小时）"


class overtime_hours_public_holiday(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "hour"
    label = "法定休假日工作（小时）"


class monthly_wage_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "currency-CNY-fen"
    label = "月工资（分），经济补偿的计算基数"


class months_of_service(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "month"
    label = "在本单位工作年限（月）"


class de_facto_labour_relation(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "未签订劳动合同但形成事实劳动关系"


class employer_terminated(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "用人单位终止劳动关系"


class wage_above_three_times_local_average(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "月工资高于本地区上年度职工月平均工资三倍"
