"""Inputs about a person: identity, employment status and unemployment insurance. Each has a generated companion
``<name>_known`` (default False). Skills and graduation are in person_training.py, start-ups in person_startup.py,
wages and the labour relation in person_work.py.

Every MONTH input may also be given for a year (it is then the same for each month).
"""
from datetime import date

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules.entities import Person
from jiuye.rules.enums import District, Sex

MONTH = DateUnit.MONTH
ETERNITY = DateUnit.ETERNITY
NO_DATE = date(1970, 1, 1)


# --- identity ------------------------------------------------------------------------------
class sex(Variable):
    value_type = Enum
    possible_values = Sex
    default_value = Sex.male
    entity = Person
    definition_period = ETERNITY
    label = "性别 (sex)"


class birth_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = ETERNITY
    label = "出生日期 (birth date)"


class female_cadre_post(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "女性管理和专业技术岗位，原法定退休年龄55周岁 (female cadre track)"


class district(Variable):
    value_type = Enum
    possible_values = District
    default_value = District.outside
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "所在旗县市 (county-level area)"


class has_disability_certificate(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "残疾人（持有《中华人民共和国残疾人证》）"


class severe_disability(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "重度残疾"


class able_and_willing_to_work(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "有劳动能力和就业要求"


# --- employment status -------------------------------------------------------------------------
class is_unemployed(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "处于无业状态，未被用人单位招用 (not in work)"


class registered_unemployed(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "已办理失业登记 (registered as unemployed)"


class involuntary_separation(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "非因本人意愿中断就业 (lost the job involuntarily)"


class job_seeking(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "有求职要求 (wants to work)"


class receiving_pension(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "享受基本养老保险待遇（按月领取养老金）(receives a pension)"


class ui_stop_event(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "停发情形：应征服兵役、移居境外、被判刑收监执行，或无正当理由拒不接受介绍的工作或培训"


class hard_to_employ_certified(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "已认定为就业困难人员 (certified hard-to-employ)"


class is_enterprise_employee(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "企业在职职工 (employed by an enterprise)"


class flexibly_employed(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "灵活就业 (flexibly employed, registered as such)"


class pays_si_as_flexible_worker(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "以个人身份缴纳职工养老或医疗保险 (pays employee pension or medical insurance as an individual)"


class si_contributions_paid_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "currency-CNY-fen"
    label = "灵活就业人员实际缴纳的社会保险费（分）(social-insurance contributions paid, fen)"


# --- unemployment insurance --------------------------------------------------------------------
class contribution_years(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "year"
    label = "失业保险累计缴费年限（所在单位和本人按规定履行缴费义务）(cumulative UI contribution years)"


class ui_contributing_now(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "依法参加失业保险且申请期间正常缴费 (currently contributing to UI)"


class ui_insured(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "依法参加失业保险并缴纳过失业保险费 (insured, has contributed)"


class ui_contribution_stop_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "停保日期 (date UI contributions stopped)"


class receiving_ui_benefit(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "正在领取失业保险金 (currently receiving UI benefit)"


class ui_benefit_exhausted(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "领取失业保险金期满仍未就业 (UI benefit ran out, still unemployed)"


class ui_benefit_months_drawn(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "month"
    label = "本次已领取失业保险金的月数 (months of UI benefit already drawn in the current entitlement)"


class ui_benefit_end_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "失业保险待遇终止（期满）日期 (date the UI benefit ended)"
