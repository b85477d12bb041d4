"""Rule helpers shared by several policies (plain functions; the variables live in variables/)."""
import numpy as np

from jiuye.rules import core
from jiuye.rules.entities import Household
from jiuye.rules.enums import District, Sex


def retirement_inputs(person, period) -> core.Tri:
    """Known where months_to_legal_retirement can be computed from birth_date, sex and (for
    women) female_cadre_post; names the missing inputs."""
    female = person("sex", period) == Sex.female
    basis = core.knowns(person, period, "birth_date", "sex")
    cadre_known = person("female_cadre_post_known", period)
    needs_cadre = female & person("sex_known", period) & ~cadre_known  # only matters for women
    return core.Tri(basis.value & ~needs_cadre, basis.known & ~needs_cadre, {**basis.missing, "female_cadre_post": needs_cadre})


def retirement_basis(person, period) -> core.Tri:
    """Known where months_to_legal_retirement is known (computed, or given as an input together
    with months_to_legal_retirement_known); names the inputs that would make it known."""
    known = person("months_to_legal_retirement_known", period)
    detail = retirement_inputs(person, period)
    return core.Tri(known, known, detail.missing)


def retirement_tri(person, period, predicate) -> core.Tri:
    """A predicate on months_to_legal_retirement, with the precise missing inputs."""
    months = person("months_to_legal_retirement", period)
    return core.based_on(retirement_basis(person, period), predicate(months))


def age_tri(person, period, predicate) -> core.Tri:
    return core.check(person, "age", period, predicate)


def working_age_tri(person, period, parameters) -> core.Tri:
    minimum = parameters(period).general.working_age_minimum
    return age_tri(person, period, lambda a: a >= minimum) & retirement_tri(person, period, lambda m: m > 0)


def spouse(person, period):
    """(spouse unemployed, known): from the other person with the role spouse in the household.

    ``person.household`` is a projector: its aggregates come back per person."""
    household = person.household
    is_spouse = person.has_role(Household.SPOUSE)
    unemployed = person("is_unemployed", period)
    known = person("is_unemployed_known", period)
    couple = household.nb_persons(Household.SPOUSE) == 2
    other_unemployed = household.sum(unemployed & known, role=Household.SPOUSE) - (unemployed & known).astype(int)
    other_known = household.sum(known, role=Household.SPOUSE) - known.astype(int)
    in_couple = is_spouse & couple
    return in_couple & (other_unemployed > 0), in_couple & (other_known > 0)


def district_minimum_wage_yuan(person, period, parameters):
    """(monthly minimum wage in 元 for the person's district, known mask)."""
    district = person("district", period)
    amount = np.zeros(person.count, dtype=np.float64)
    known = np.zeros(person.count, dtype=bool)
    for item in District:
        if item == District.outside:
            continue
        tier = core.param(parameters, period, f"general.minimum_wage.district_tier.{item.name}")
        if tier is None:
            continue
        wage = core.param(parameters, period, f"general.minimum_wage.tier_{int(tier)}")
        if wage is None:
            continue
        mask = district == item
        amount[mask] = wage
        known[mask] = True
    return amount, known & person("district_known", period)


def graduated_within(person, period, years, reference_date=None, reference_basis: core.Tri | None = None) -> core.Tri:
    """A college graduate who left college less than ``years`` years before ``reference_date``
    (default: the month's first day) and not after it. ``reference_basis`` says where a reference
    date taken from an input is known."""
    when = core.period_first_day(period) if reference_date is None else reference_date
    left = person("college_leaving_date", period)
    elapsed = core.full_months_between(left, when)
    basis = core.knowns(person, period, "college_leaving_date")
    if reference_basis is not None:
        basis = basis & reference_basis
    recent = core.based_on(basis, (elapsed >= 0) & (elapsed < years * 12))
    return core.fact(person, "college_graduate", period) & recent
