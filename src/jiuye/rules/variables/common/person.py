"""Derived facts about a person used by several policies: age, retirement, working age, spouse,
local minimum wage. Each has a ``<name>_known`` companion defined here."""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Household, Person
from jiuye.rules.enums import District, Sex

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


def _retirement_basis(person, period) -> core.Tri:
    female = person("sex", period) == Sex.female
    basis = core.knowns(person, period, "birth_date", "sex")
    cadre_known = person("female_cadre_post_known", period)
    # the cadre track only matters for women
    needs_cadre = female & person("sex_known", period) & ~cadre_known
    return core.Tri(basis.value & ~needs_cadre, basis.known & ~needs_cadre, {**basis.missing, "female_cadre_post": needs_cadre})


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
        p = parameters(period).general.retirement
        female = person("sex", period) == Sex.female
        cadre = person("female_cadre_post", period)
        base_years = np.where(~female, p.base_age.male, np.where(cadre, p.base_age.female_cadre, p.base_age.female_worker))
        base = (base_years * 12).astype(np.int64)
        if not p.delay.enabled:
            return base
        d = p.delay
        first = core.month_index(core.parse_date(d.first_month))
        step = np.where(~female, d.step_months.male, np.where(cadre, d.step_months.female_cadre, d.step_months.female_worker))
        target = np.where(~female, d.target_age.male, np.where(cadre, d.target_age.female_cadre, d.target_age.female_worker))
        cap = ((target - base_years) * 12).astype(np.int64)
        original = core.month_index(person("birth_date", period)) + base
        delay = np.where(original >= first, np.minimum(cap, (original - first) // step + 1), 0)
        return base + delay


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
        return _retirement_basis(person, period).known


def retirement_tri(person, period, predicate) -> core.Tri:
    """A predicate on months_to_legal_retirement, with the precise missing inputs."""
    months = person("months_to_legal_retirement", period)
    return core.based_on(_retirement_basis(person, period), predicate(months))


def age_tri(person, period, predicate) -> core.Tri:
    return core.check(person, "age", period, predicate)


class in_legal_working_age(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "法定劳动年龄内（16周岁以上且未到法定退休年龄）"

    def formula(person, period, parameters):
        return working_age_tri(person, period, parameters).value


class in_legal_working_age_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 法定劳动年龄内"

    def formula(person, period, parameters):
        return working_age_tri(person, period, parameters).known


def working_age_tri(person, period, parameters) -> core.Tri:
    minimum = parameters(period).general.working_age_minimum
    return age_tri(person, period, lambda a: a >= minimum) & retirement_tri(person, period, lambda m: m > 0)


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
        value, _known = _spouse(person, period)
        return value


class spouse_unemployed_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 配偶同时失业"

    def formula(person, period, parameters):
        _value, known = _spouse(person, period)
        return known


def _spouse(person, period):
    household = person.household
    is_spouse = person.has_role(Household.SPOUSE)
    unemployed = person("is_unemployed", period)
    known = person("is_unemployed_known", period)
    couple = household.nb_persons(Household.SPOUSE) == 2
    others_unemployed = household.sum(unemployed & known, role=Household.SPOUSE)
    others_known = household.sum(known, role=Household.SPOUSE)
    own_unemployed = (unemployed & known).astype(int)
    other_unemployed = household.project(others_unemployed) - own_unemployed
    other_known = household.project(others_known) - known.astype(int)
    in_couple = is_spouse & household.project(couple)
    return in_couple & (other_unemployed > 0), in_couple & (other_known > 0)


def district_minimum_wage_yuan(person, period, parameters):
    """(monthly minimum wage in 元 for the person's district, known mask)."""
    tiers = core.param(parameters, period, "general.minimum_wage")
    district = person("district", period)
    amount = np.zeros(person.count, dtype=np.float64)
    known = np.zeros(person.count, dtype=bool)
    for item in District:
        if item == District.outside:
            continue
        tier = core.param(parameters, period, f"general.minimum_wage.district_tier.{item.name}")
        if tier is None or tiers is None:
            continue
        wage = core.param(parameters, period, f"general.minimum_wage.tier_{int(tier)}")
        if wage is None:
            continue
        mask = district == item
        amount[mask] = wage
        known[mask] = True
    return amount, known


class local_minimum_wage_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "本地区（所在旗县市）全日制月最低工资标准（分）"

    def formula(person, period, parameters):
        amount, known = district_minimum_wage_yuan(person, period, parameters)
        return core.round_fen(amount * 100)


class local_minimum_wage_fen_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 本地区最低工资标准 (needs district, and a value for that date)"

    def formula(person, period, parameters):
        _amount, known = district_minimum_wage_yuan(person, period, parameters)
        return known & person("district_known", period)
