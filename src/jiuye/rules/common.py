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


def legal_retirement_age_months(person, period, params, cadre) -> np.ndarray:
    """Legal retirement age in months under the law in force (original 60 / 50 / 55; from 2025-01-01
    raised by one month every 4 (or 2) months of original retirement date, up to 63 / 55 / 58)."""
    p = params.general.retirement
    female = person("sex", period) == Sex.female
    cadre = np.asarray(cadre, dtype=bool)
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


def retirement_derived(person, period, fn):
    """(fn(months_to_legal_retirement), basis Tri): like retirement_basis, but also known for a
    woman whose post (worker or cadre) is unknown when fn gives the same result for both."""
    months = person("months_to_legal_retirement", period)
    values = np.asarray(fn(months))
    basis = retirement_basis(person, period)
    female = person("sex", period) == Sex.female
    only_post_unknown = (~basis.known & female & person("sex_known", period) & person("birth_date_known", period)
                         & ~person("female_cadre_post_known", period))
    if not only_post_unknown.any():
        return values, basis
    params = person.simulation.tax_benefit_system.get_parameters_at_instant(period.start)
    birth = core.month_index(person("birth_date", period))
    now = core.month_index(core.period_first_day(period))
    as_worker = np.asarray(fn(birth + legal_retirement_age_months(person, period, params, False) - now))
    as_cadre = np.asarray(fn(birth + legal_retirement_age_months(person, period, params, True) - now))
    settled = only_post_unknown & (as_worker == as_cadre)
    if not settled.any():
        return values, basis
    known = basis.known | settled
    return np.where(settled, as_worker, values), core.Tri(known, known, {k: m & ~settled for k, m in basis.missing.items()})


def retirement_tri(person, period, predicate) -> core.Tri:
    """A predicate on months_to_legal_retirement, with the precise missing inputs; decided for a
    woman of unknown post when it comes out the same at either retirement age."""
    values, basis = retirement_derived(person, period, predicate)
    return core.based_on(basis, values.astype(bool))


def below_retirement_tri(person, period, parameters) -> core.Tri:
    """Has not reached the legal retirement age this month.

    From birth date and sex (and, for women, the post) where known: months_to_legal_retirement > 0,
    under the law in force (the gradual raise from 2025-01-01 included). Otherwise from an age given
    instead of a birth date, where the age settles it whatever the birth month and the post: below
    the lowest age the person could retire at (60 men; 50 women workers / 55 cadres, 50 while the
    post is unknown) is below; at or above the highest (the original age before 2025; the raise's
    target age 63 / 55 / 58 from 2025) has reached it; in between the birth date is asked."""
    exact = retirement_tri(person, period, lambda m: m > 0)
    if exact.known.all():
        return exact
    p = parameters(period).general.retirement
    sex = person("sex", period)
    sex_known = person("sex_known", period)
    female = sex == Sex.female
    cadre = person("female_cadre_post", period)
    cadre_known = person("female_cadre_post_known", period)
    base = p.base_age
    if p.delay.enabled:
        top = p.delay.target_age
        top_male, top_worker, top_cadre = top.male, top.female_worker, top.female_cadre
    else:
        top_male, top_worker, top_cadre = base.male, base.female_worker, base.female_cadre
    low_female = np.where(cadre_known & cadre, base.female_cadre, base.female_worker)
    high_female = np.where(cadre_known, np.where(cadre, top_cadre, top_worker), max(top_worker, top_cadre))
    low = np.where(sex_known, np.where(female, low_female, base.male), min(base.male, base.female_worker, base.female_cadre))
    high = np.where(sex_known, np.where(female, high_female, top_male), max(top_male, top_worker, top_cadre))
    age = person("age", period)
    age_known = person("age_known", period)
    below = age_known & (age < low)
    reached = age_known & (age >= high)
    by_age = core.Tri(below, below | reached)
    settled = ~exact.known & by_age.known
    return core.Tri(np.where(exact.known, exact.value, by_age.value), exact.known | settled, exact.missing)


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
    amount, known, _tier, _missing = district_minimum_wage(person, period, parameters)
    return amount, known


def district_minimum_wage(person, period, parameters):
    """(monthly minimum wage in 元, known mask, class (0 unknown), what is missing) for the person's
    district. ``missing`` names, per district of a known district whose figure is not given for the
    date, the parameter lacking: its class (``parameters/general/minimum_wage/district_tier/<district>``)
    or the class's wage (``parameters/general/minimum_wage/tier_<n>``) — the parameter a staff
    member fills in the console."""
    district = person("district", period)
    given = person("district_known", period)
    amount = np.zeros(person.count, dtype=np.float64)
    known = np.zeros(person.count, dtype=bool)
    tiers = np.zeros(person.count, dtype=np.int32)
    missing: dict[str, np.ndarray] = {}
    for item in District:
        if item == District.outside:
            continue
        mask = (district == item) & given
        tier = core.param(parameters, period, f"general.minimum_wage.district_tier.{item.name}")
        if tier is None:
            missing[f"parameters/general/minimum_wage/district_tier/{item.name}"] = mask
            continue
        tiers[mask] = int(tier)
        wage = core.param(parameters, period, f"general.minimum_wage.tier_{int(tier)}")
        if wage is None:
            key = f"parameters/general/minimum_wage/tier_{int(tier)}"
            missing[key] = missing.get(key, np.zeros(person.count, dtype=bool)) | mask
            continue
        amount[mask] = wage
        known[mask] = True
    return amount, known & given, tiers, missing


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
