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


def retirement_age_months_for(p, female, cadre, birth_month) -> np.ndarray:
    """Legal retirement age in months for the given sex, post and birth month (``core.month_index``),
    under the retirement parameters ``p`` in force: original 60 / 50 / 55; from 2025-01-01 raised by
    one month every 4 (or 2) months of original retirement date, up to 63 / 55 / 58."""
    female = np.asarray(female, dtype=bool)
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
    original = np.asarray(birth_month, dtype=np.int64) + base
    delay = np.where(original >= first, np.minimum(cap, (original - first) // step + 1), 0)
    return base + delay


def legal_retirement_age_months(person, period, params, cadre) -> np.ndarray:
    """Legal retirement age in months under the law in force, from the person's birth date and sex."""
    female = person("sex", period) == Sex.female
    return retirement_age_months_for(params.general.retirement, female, cadre, core.month_index(person("birth_date", period)))


#: (female, cadre) of the three retirement tracks: men, women workers (50), women cadres (55)
TRACKS = ((False, False), (True, False), (True, True))
#: an age in whole years leaves the birth month open among 13 consecutive months
AGE_BIRTH_MONTHS = 13


def retirement_derived(person, period, fn):
    """(fn(months_to_legal_retirement), basis Tri) — known where the value of ``fn`` is settled.

    Exactly from birth date, sex and (for women) the post where all are known. Otherwise, where the
    birth date or an age given instead of it is known, ``fn`` is evaluated for every birth month
    the facts allow (the birth month itself; for an age in whole years, the 13 months it spans) and
    every retirement track still possible (men; women workers; women cadres), and is settled where
    all give the same value — e.g. a man of 30 is far from retirement whatever his birth month; a
    woman of 52 in 2021 has reached 50 but not 55, so only her post is asked. Where the value still
    differs, the missing facts are exactly those that make it differ: the birth date (the exact
    month matters: retirement falls in the birth month, and the raise from 2025 depends on it), the
    sex, the post."""
    months = person("months_to_legal_retirement", period)
    values = np.asarray(fn(months))
    basis = retirement_basis(person, period)
    if basis.known.all():
        return values, basis
    candidates = core.memo(person, period, "retirement_candidates", lambda: _retirement_candidates(person, period, basis))
    if candidates is None:
        return values, basis
    open_, birth_known, sex_known, cadre_known, possible, candidate_months = candidates
    n = person.count
    grid = np.asarray(fn(candidate_months), dtype=np.float64)
    grid = np.broadcast_to(grid, candidate_months.shape)
    allowed = np.broadcast_to(possible, grid.shape)
    lo = np.where(allowed, grid, np.inf)
    hi = np.where(allowed, grid, -np.inf)
    settled = open_ & (lo.min(axis=(0, 1)) == hi.max(axis=(0, 1)))
    # which unknowns make the value differ (where it is not settled)
    birth_matters = ~birth_known & (possible & (lo.min(axis=0) != hi.max(axis=0))).any(axis=0)
    diff = lambda a, b: (possible[a] & possible[b] & (grid[:, a] != grid[:, b]).any(axis=0))  # noqa: E731
    sex_matters = ~sex_known & (diff(0, 1) | diff(0, 2))
    post_matters = ~cadre_known & diff(1, 2)
    unsettled = open_ & ~settled
    missing = {k: m & ~open_ for k, m in basis.missing.items()}
    birth_matters |= ~birth_known & ~sex_matters & ~post_matters  # (never seen: a difference nobody explains)
    for name, mask in (("birth_date", birth_matters), ("sex", sex_matters), ("female_cadre_post", post_matters)):
        missing[name] = missing.get(name, np.zeros(n, dtype=bool)) | (unsettled & mask)
    first_possible = np.argmax(possible, axis=0)
    settled_value = grid[0, first_possible, np.arange(n)].astype(values.dtype)
    known = basis.known | settled
    return np.where(settled, settled_value, values), core.Tri(known, known, missing)


def _retirement_candidates(person, period, basis: core.Tri):
    """What retirement_derived tries, computed once per simulation and month: (open, birth_known,
    sex_known, cadre_known, possible tracks (track, person), months to retirement (birth month,
    track, person)) — or None where nobody has a birth date or an age to try."""
    birth_known = person("birth_date_known", period)
    age_known = person("age_known", period)
    open_ = ~basis.known & (birth_known | age_known)
    if not open_.any():
        return None
    n = person.count
    p = person.simulation.tax_benefit_system.get_parameters_at_instant(period.start).general.retirement
    now = core.month_index(core.period_first_day(period))
    sex_known = person("sex_known", period)
    female = person("sex", period) == Sex.female
    cadre_known = person("female_cadre_post_known", period)
    cadre = person("female_cadre_post", period)
    latest = np.where(birth_known, core.month_index(person("birth_date", period)), now - 12 * person("age", period).astype(np.int64))
    spread = np.where(birth_known, 0, AGE_BIRTH_MONTHS - 1)
    possible = np.stack([
        ~sex_known | ~female,
        (~sex_known | female) & (~cadre_known | ~cadre),
        (~sex_known | female) & (~cadre_known | cadre),
    ])  # (track, person)
    span = AGE_BIRTH_MONTHS if (open_ & ~birth_known).any() else 1  # birth dates known: one month each
    months = np.empty((span, len(TRACKS), n), dtype=np.int64)
    for k in range(span):
        birth = latest - np.minimum(k, spread)
        for t, (fem, cad) in enumerate(TRACKS):
            months[k, t] = birth + retirement_age_months_for(p, np.full(n, fem), np.full(n, cad), birth) - now
    return open_, birth_known, sex_known, cadre_known, possible, months


def retirement_tri(person, period, predicate) -> core.Tri:
    """A predicate on months_to_legal_retirement, with the precise missing inputs; decided wherever
    the facts known (an age instead of the birth date, an unknown post) settle it."""
    values, basis = retirement_derived(person, period, predicate)
    return core.based_on(basis, values.astype(bool))


def below_retirement_tri(person, period, parameters) -> core.Tri:
    """Has not reached the legal retirement age this month (months_to_legal_retirement > 0), under
    the law in force (the gradual raise from 2025-01-01 included). From the birth date, or from an
    age given instead of it where the age settles it whatever the birth month (and, while unknown,
    the sex and the post); otherwise the birth date is asked: the exact month matters."""
    return retirement_tri(person, period, lambda m: m > 0)


def age_threshold_tri(person, period, female_min, male_min) -> core.Tri:
    """Aged at least ``female_min`` (women) or ``male_min`` (men): 女满X周岁、男满Y周岁. Settled by the
    age alone, whatever the sex, when it is at least both thresholds or below both."""
    age_known = person("age_known", period)
    sex_known = person("sex_known", period)
    age = person("age", period)
    female = person("sex", period) == Sex.female
    threshold = np.where(female, female_min, male_min)
    exact = age_known & sex_known
    above_both = age_known & (age >= max(female_min, male_min))
    below_both = age_known & (age < min(female_min, male_min))
    value = (exact & (age >= threshold)) | above_both
    known = exact | above_both | below_both
    return core.Tri(value, known, {"age": ~age_known, "sex": age_known & ~sex_known})


def age_tri(person, period, predicate) -> core.Tri:
    return core.check(person, "age", period, predicate)


def working_age_tri(person, period, parameters) -> core.Tri:
    """In legal working age: at least the minimum working age (16) and below the legal retirement
    age — both settled by an age given instead of the birth date wherever it is enough."""
    minimum = parameters(period).general.working_age_minimum
    return age_tri(person, period, lambda a: a >= minimum) & below_retirement_tri(person, period, parameters)


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
