"""Inputs about a household (同一家庭户口). Companions ``<name>_known`` are generated."""
from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules.entities import Household


class urban_household_registration(Variable):
    value_type = bool
    entity = Household
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    label = "城镇户籍（城镇居民家庭）"


class household_business_or_investment_income(Variable):
    value_type = bool
    entity = Household
    definition_period = DateUnit.MONTH
    set_input = set_input_dispatch_by_period
    label = "家庭有经营性、投资性收入"
