"""临时生活补助 — policy ``temporary_living_allowance`` (000 三(四); 003 失业保险 七).

Window (``temporary_living_allowance.open``): 000 — applications until 2021-12-31; 003 — stops
(停保) between 2021-01-01 and 2022-12-31, but the allowance is abolished from 2022-08-01. So open
2021-01-01 … 2022-07-31, closed from 2022-08-01. Persons already receiving it then keep the
payments due (正在领取的继续享受应发的临时生活补助); that continuation is not a new eligibility and is
not modelled.
Conditions (``temporary_living_allowance_cond_<c>``): ``window``, ``rural_migrant_worker``
(失业农牧民工), ``ui_insured`` (参保), ``insured_less_than_one_year`` (``contribution_years`` < 1:
"不满1年"), ``contribution_stopped`` (停保 on or after 2021-01-01, not after the month),
``unemployed``, ``no_pension`` and ``no_stop_event`` (the stop cases of 000 三(四)5; 死亡 aside).
Amount: 3 months at the pooling area's urban 低保 standard (``general.urban_minimum_living_standard``),
which the sources do not give: while it has no value the amount "needs information".
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH
POLICY = "temporary_living_allowance"
STANDARD = "general.urban_minimum_living_standard"
TOLERANCE = 1e-6


def _insured_less_than_one_year(person, period, parameters) -> core.Tri:
    max_years = core.param(parameters, period, f"{POLICY}.max_contribution_years")
    if max_years is None:
        return core.Tri.unknown(f"parameters/{POLICY}/max_contribution_years", person.count)
    return core.check(person, "contribution_years", period, lambda y: y < max_years - TOLERANCE)


def _contribution_stopped(person, period, parameters) -> core.Tri:
    earliest = core.param(parameters, period, f"{POLICY}.earliest_contribution_stop")
    if earliest is None:
        return core.Tri.unknown(f"parameters/{POLICY}/earliest_contribution_stop", person.count)
    start, last_day = core.parse_date(earliest), core.period_last_day(period)
    return core.check(person, "ui_contribution_stop_date", period, lambda d: (d >= start) & (d <= last_day))


RULES = core.PolicyRules(
    POLICY,
    Person,
    {
        "window": ("在受理期内（2021-01-01起；2022-08-01起取消）", lambda p, t, params: core.window_open(params, t, POLICY, p.count)),
        "rural_migrant_worker": ("农牧民工", lambda p, t, _: core.fact(p, "rural_migrant_worker", t)),
        "ui_insured": ("参加失业保险（参保）", lambda p, t, _: core.fact(p, "ui_insured", t)),
        "insured_less_than_one_year": ("参保不满1年", _insured_less_than_one_year),
        "contribution_stopped": ("2021年1月1日后停保", _contribution_stopped),
        "unemployed": ("失业（未被用人单位招用）", lambda p, t, _: core.fact(p, "is_unemployed", t)),
        "no_pension": ("未享受城镇职工基本养老保险或城乡居民养老保险待遇", lambda p, t, _: ~core.fact(p, "receiving_pension", t)),
        "no_stop_event": ("无停发情形（应征服兵役、移居境外、被判刑收监执行）", lambda p, t, _: ~core.fact(p, "ui_stop_event", t)),
    },
    label="临时生活补助",
)


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


def monthly_amount_fen(parameters, period):
    """The urban 低保 standard in fen, or None while the sources give no value."""
    standard = core.param(parameters, period, STANDARD)
    return None if standard is None else int(core.round_fen(standard * 100))


def verdict(person, period, parameters) -> core.Verdict:
    n = person.count
    months = core.param(parameters, period, f"{POLICY}.months")
    computable = core.determined(
        core.parameter_known(monthly_amount_fen(parameters, period), STANDARD, n),
        core.parameter_known(months, f"{POLICY}.months", n),
    )
    return core.Verdict(eligibility(person, period, parameters), computable)


# --- verdict -----------------------------------------------------------------------------------
class temporary_living_allowance_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合申领临时生活补助条件 (definitely eligible)"
    reference = "000 三(四)1; 003 失业保险 七(一)"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class temporary_living_allowance_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 临时生活补助条件"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class temporary_living_allowance_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "临时生活补助：需要补充信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class temporary_living_allowance_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "临时生活补助：缺少的信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()


class temporary_living_allowance_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "month"
    label = "临时生活补助领取月数（0 unless eligible）"
    reference = "000 三(四)2; 003 失业保险 七(一)"

    def formula(person, period, parameters):
        months = core.param(parameters, period, f"{POLICY}.months") or 0
        return np.where(eligibility(person, period, parameters).value, months, 0)


class temporary_living_allowance_monthly_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "临时生活补助月标准（分）= 统筹地区城市最低生活保障标准（资料未给出时为 0 并需要补充信息）"
    reference = "000 三(四)3; 003 失业保险 七(三)"

    def formula(person, period, parameters):
        amount = monthly_amount_fen(parameters, period) or 0
        return np.where(eligibility(person, period, parameters).value, amount, 0)


class temporary_living_allowance_total_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "临时生活补助总额（分）"

    def formula(person, period, parameters):
        return person("temporary_living_allowance_monthly_amount_fen", period) * person("temporary_living_allowance_months", period)
