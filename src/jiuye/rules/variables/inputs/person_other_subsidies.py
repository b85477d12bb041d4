"""Inputs about a person needed by the graduate, hiring, apprenticeship, rural-worker and
labour-preparation policies. Each has a generated companion ``<name>_known`` (default False).

Facts about an employee's job (hire date, contract, social insurance paid by the unit, subsidies
already received for them) describe the person's job with the enterprise of which the person is an
``employee`` member in the simulation.
"""
from datetime import date

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH
ETERNITY = DateUnit.ETERNITY
NO_DATE = date(1970, 1, 1)


# --- graduates: 求职创业补贴 ---------------------------------------------------------------------
class actively_seeking_job_or_startup(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "有就业创业意愿并积极求职创业"


class dibao_household_member(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "低保家庭成员（城市或农村牧区最低生活保障家庭）"


class poor_disabled_household_member(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "贫困残疾人家庭成员"


class extreme_poverty_person(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "特困人员（特困救助供养人员）"


class national_student_loan(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "获得国家助学贷款"


class secondary_vocational_graduate(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "中等职业学校（含技工院校）毕业生（含毕业学年的在校生）"


class secondary_vocational_leaving_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = ETERNITY
    label = "中等职业学校（含技工院校）毕业（离校）日期，可为预计日期"


# --- an employee's job with the enterprise ---------------------------------------------------------
class hire_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "被本单位招用（吸纳就业）的日期"


class labour_contract_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "month"
    label = "与本单位签订的劳动合同期限（月）；未签订为 0，无固定期限劳动合同填 999"


class labour_dispatch_agreement_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "month"
    label = "新录用劳务派遣人员与企业签订的劳务派遣协议期限（月）；不是劳务派遣人员为 0"


class employed_before_hire_since_leaving_college(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "离校后、被本单位招用前曾经就业"


class employer_pays_si(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "本单位为其缴纳社会保险费"


class employer_si_contributions_paid_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "currency-CNY-fen"
    label = "本单位为其实际缴纳的基本养老、基本医疗和失业保险费（不含个人应缴部分，分）"


class graduate_hiring_subsidy_received(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "本单位已就招用该毕业生享受一次性吸纳就业补贴"


class job_expansion_subsidy_received(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "本单位已就招用该毕业生享受一次性扩岗补助"


# --- apprentices -------------------------------------------------------------------------------
class in_new_apprenticeship(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "参加本单位组织的企业新型学徒制培训（学徒）"


class apprenticeship_agreement_signed(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "企业已与该学徒签订培训协议（明确培训目标、内容与期限、质量考核标准）"


# --- rural migrant workers ---------------------------------------------------------------------
class rural_migrant_worker(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "农牧民工（被用人单位招用的农牧民合同制工人）"


class employer_paid_ui_in_full(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "（原）用人单位已为其足额缴纳失业保险费"


class labour_contract_ended(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "提前解除劳动合同或劳动合同期满未续订"


# --- labour-preparation training ---------------------------------------------------------------
class junior_secondary_leaver(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "城乡未继续升学的应届初中毕业生"


class in_labour_preparation_training(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "参加劳动预备制培训"
