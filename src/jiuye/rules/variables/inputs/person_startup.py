"""Inputs about a person who starts a business (start-up loans and subsidies): who the founder is and
the business. Each has a generated companion ``<name>_known`` (default False). Every MONTH input may also
be given for a year."""

from datetime import date

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH
NO_DATE = date(1970, 1, 1)


# --- start-ups -------------------------------------------------------------------------------
class poverty_alleviated_labour(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "脱贫劳动力（原建档立卡贫困劳动力 / 建档立卡贫困人口）"


class returning_home_founder(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "返乡创业人员（含返乡创业农民工）"


class is_first_business(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "首次创办小微企业或从事个体经营"


class business_registration_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "所创办企业或个体工商户登记注册日期"


class business_operating_normally(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "所创办企业或个体工商户自登记注册之日起正常运营"


class veteran(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "复员转业退役军人"


class released_prisoner(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "刑满释放人员"


class overcapacity_worker(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "化解过剩产能企业职工和失业人员"


class online_merchant(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "网络商户"


class rural_self_employed_farmer(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "农村自主创业农民"


class new_citizen(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "新市民（003 起为贷款对象）"


class has_other_loans(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "本人及其配偶有其他贷款（助学、扶贫、住房、购车贷款和5万元以下小额消费贷款除外）"


class self_employment_registered(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "已进行个体经营就业登记"


class business_in_xing_an(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "经营场所在兴安盟内"


class startup_partnership(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "与其他符合条件的借款人合伙创业"


class in_poverty_area(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "贷款适用贫困地区利率（LPR上浮250BP）"
