"""Inputs about a person needed by 就业困难人员认定 (hard_to_employ_recognition) and not by another
policy. Each has a generated companion ``<name>_known`` (default False)."""
from datetime import date

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH
NO_DATE = date(1970, 1, 1)


class urban_resident(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "城镇常住人口（在城镇常住）"


class local_residence_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "month"
    label = "在常住地连续居住的月数"


class employee_si_years(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "year"
    label = "缴纳城镇职工养老或医疗保险的累计年限"


class unemployment_registration_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "本次失业登记的日期（连续登记至今）"


class land_requisitioned(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "失地农牧民：依法被旗县级以上政府统一征地，完全失去原承包耕地或草场（有失地证明）"


class land_compensation_above_ui_standard(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "正在享受的征地补偿月标准高于当地失业保险金标准"


class college_full_time(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "从全日制高等院校毕业"
