"""Inputs about a person's skills: certificates, training taken and subsidies claimed for it, the
households some training subsidies name, and college graduation. Each has a generated companion
``<name>_known`` (default False). Every MONTH input may also be given for a year."""

from datetime import date

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules.entities import Person
from jiuye.rules.enums import CertificateLevel, TrainingCategory

MONTH = DateUnit.MONTH
ETERNITY = DateUnit.ETERNITY
NO_DATE = date(1970, 1, 1)


# --- certificates and training -----------------------------------------------------------------
class certificate_level(Variable):
    value_type = Enum
    possible_values = CertificateLevel
    default_value = CertificateLevel.none
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "新取得的职业资格证书或职业技能等级证书等级（可在全国联网查询系统查询）"


class certificate_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "证书核发日期 (certificate issue date)"


class certificate_already_subsidised(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "同一职业（工种）同一等级已享受过技能提升补贴"


class skill_subsidy_claims_this_year(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "本年度已享受技能提升补贴次数"


class training_category(Variable):
    value_type = Enum
    possible_values = TrainingCategory
    default_value = TrainingCategory.none
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "培训职业（工种）在自治区重点产业需求目录中的类别"


class training_hours(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "hour"
    label = "实际培训课时"


class training_certificate_obtained(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "培训后取得相应证书（职业资格、职业技能等级、专项职业能力、特种作业操作或培训合格证书）"


class training_claims_this_year(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "本年度已享受职业培训补贴次数"


class training_same_occupation_level_claimed(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "同一职业同一等级已享受过培训补贴"


class training_shortage_occupation(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "急需紧缺职业（健康照护师、养老护理员、家政服务员、育婴员、保育员），不受年龄限制"


class training_days(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "day"
    label = "培训天数"


class rural_school_leaver_trainee(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "两后生中的农村牧区学员"


class urban_dibao_household_member(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "城市低保家庭成员"


class rural_low_income(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "农村牧区低收入人口（003）"


class rural_labour_with_training_certificate(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "参加培训并取得培训合格证的农村牧区劳动力（000）"


# --- graduates -----------------------------------------------------------------------------
class college_graduate(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "高校毕业生 (college graduate)"


class college_leaving_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = ETERNITY
    label = "离校（毕业）日期 (date left college)"


class employed_since_leaving_college(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "离校后曾经就业 (has worked since leaving college)"
