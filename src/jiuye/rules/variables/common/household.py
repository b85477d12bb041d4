"""零就业家庭 (zero-employment household), computed from its members."""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Household, Person


def zero_employment_tri(household, period, parameters) -> core.Tri:
    """000: 城镇户籍，同一家庭户口内有2名及以上共同生活成员，法定劳动年龄内均进行失业登记;
    003 adds: 有劳动能力和就业要求的成员, 且无经营性、投资性收入的城镇居民家庭.

    Each member in working age, able and willing to work, must be registered unemployed; there
    must be at least one such member.
    """
    members = household.members
    in_age_value = members("in_legal_working_age", period)
    in_age_known = members("in_legal_working_age_known", period)
    able = members("able_and_willing_to_work", period)
    able_known = members("able_and_willing_to_work_known", period)
    registered = members("registered_unemployed", period)
    registered_known = members("registered_unemployed_known", period)

    # per member: concerned = in working age AND able/willing (three-valued)
    concerned_value = in_age_value & in_age_known & able & able_known
    concerned_false = (in_age_known & ~in_age_value) | (able_known & ~able)
    # per member: "concerned implies registered"
    ok_value = concerned_false | (registered & registered_known)
    ok_false = concerned_value & registered_known & ~registered

    all_ok_value = household.all(ok_value)
    any_not_ok = household.any(ok_false)
    some_concerned = household.any(concerned_value)
    none_concerned = household.all(concerned_false)

    n_members = household.nb_persons()
    size_ok = core.Tri(n_members >= 2, np.ones(household.count, dtype=bool))

    members_rule = core.Tri(
        all_ok_value & some_concerned,
        (all_ok_value & (some_concerned | none_concerned)) | any_not_ok | none_concerned,
        {"members/registered_unemployed,able_and_willing_to_work,birth_date": np.ones(household.count, dtype=bool)},
    )
    urban = core.fact(household, "urban_household_registration", period)
    no_income = ~core.fact(household, "household_business_or_investment_income", period)
    return core.all_of(size_ok, members_rule, urban, no_income)


class zero_employment_household(Variable):
    value_type = bool
    entity = Household
    definition_period = DateUnit.MONTH
    label = "零就业家庭 (zero-employment household)"

    def formula(household, period, parameters):
        return zero_employment_tri(household, period, parameters).value


class zero_employment_household_known(Variable):
    value_type = bool
    entity = Household
    definition_period = DateUnit.MONTH
    label = "是否已知: 零就业家庭"

    def formula(household, period, parameters):
        return zero_employment_tri(household, period, parameters).known


class zero_employment_household_member(Variable):
    value_type = bool
    entity = Person
    definition_period = DateUnit.MONTH
    label = "零就业家庭成员 (member of a zero-employment household)"

    def formula(person, period, parameters):
        return person.household("zero_employment_household", period)


class zero_employment_household_member_known(Variable):
    value_type = bool
    entity = Person
    definition_period = DateUnit.MONTH
    label = "是否已知: 零就业家庭成员"

    def formula(person, period, parameters):
        return person.household("zero_employment_household_known", period)
