"""农牧民合同制工人一次性生活补助 — policy ``rural_worker_lump_sum_allowance`` (000 三(三); 000 only).

Window (``rural_worker_lump_sum_allowance.open``): applications until 2021-12-31; 003 does not
mention the allowance, so it is closed from 2022-01-01.
Conditions (``rural_worker_lump_sum_allowance_cond_<c>``): ``window``, ``rural_contract_worker``
(``rural_migrant_worker``: 企业招用的农牧民合同制工人, who pay no UI contribution themselves),
``service_at_least_one_year`` (连续工作满1年: ``months_of_service`` ≥ 12 with the same employer),
``employer_paid_ui_in_full``, ``contract_ended`` (提前解除劳动合同或劳动合同期满未续订),
``registered_unemployed`` (需要办理失业登记).
Months: 2 for 1 full year of continuous work, 1 more for each further full year, at most 12
(1 year → 2, 2 → 3, …, 11 years or more → 12).
Amount per month: the pooling area's unemployment-insurance benefit standard; the documents do not
say which one, so the month 1-12 standard is used (2021: 1404.00 元 = 90 % × 1560 元). That base has
no value from 2021-12-01 (see ``unemployment_insurance.pooling_minimum_wage``): amounts then "need
information".
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH
POLICY = "rural_worker_lump_sum_allowance"
BASE = "unemployment_insurance.pooling_minimum_wage"


def _service(person, period, parameters) -> core.Tri:
    m = core.param(parameters, period, f"{POLICY}.months")
    if m is None:
        return core.Tri.unknown(f"parameters/{POLICY}/months", person.count)
    return core.check(person, "months_of_service", period, lambda s: s >= m.min_service_years * 12)


RULES = core.PolicyRules(
    POLICY,
    Person,
    {
        "window": ("在受理期限内（截至2021年12月31日）", lambda p, t, params: core.window_open(params, t, POLICY, p.count)),
        "rural_contract_worker": ("企业招用的农牧民合同制工人（个人不缴费）", lambda p, t, _: core.fact(p, "rural_migrant_worker", t)),
        "service_at_least_one_year": ("连续工作满1年", _service),
        "employer_paid_ui_in_full": ("本企业已足额缴纳失业保险费", lambda p, t, _: core.fact(p, "employer_paid_ui_in_full", t)),
        "contract_ended": ("提前解除劳动合同或劳动合同期满未续订", lambda p, t, _: core.fact(p, "labour_contract_ended", t)),
        "registered_unemployed": ("已办理失业登记", lambda p, t, _: core.fact(p, "registered_unemployed", t)),
    },
    label="农牧民合同制工人一次性生活补助",
)


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


def months_due(person, period, parameters) -> np.ndarray:
    """Months of allowance for the full years of continuous work (0 below the minimum)."""
    m = core.param(parameters, period, f"{POLICY}.months")
    if m is None:
        return np.zeros(person.count, dtype=np.int32)
    years = np.floor_divide(np.maximum(person("months_of_service", period), 0), 12)
    months = m.months_at_min_service + (years - m.min_service_years) * m.months_per_additional_year
    return np.where(years >= m.min_service_years, np.minimum(months, m.max_months), 0).astype(np.int32)


def monthly_standard_fen(parameters, period):
    """The month 1-12 UI benefit standard in fen, or None if not given for the date."""
    base = core.param(parameters, period, BASE)
    rate = core.param(parameters, period, "unemployment_insurance.rate.months_1_12")
    if base is None or rate is None:
        return None
    return int(core.round_fen(base * 100 * rate))


def verdict(person, period, parameters) -> core.Verdict:
    n = person.count
    computable = core.determined(
        core.parameter_known(monthly_standard_fen(parameters, period), BASE, n),
        core.parameter_known(core.param(parameters, period, f"{POLICY}.months"), f"{POLICY}.months", n),
    )
    return core.Verdict(eligibility(person, period, parameters), computable)


# --- verdict -----------------------------------------------------------------------------------
class rural_worker_lump_sum_allowance_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合申领农牧民合同制工人一次性生活补助条件 (definitely eligible)"
    reference = "000 三(三)1"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class rural_worker_lump_sum_allowance_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 一次性生活补助条件"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class rural_worker_lump_sum_allowance_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "农牧民合同制工人一次性生活补助：需要补充信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class rural_worker_lump_sum_allowance_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "农牧民合同制工人一次性生活补助：缺少的信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()


class rural_worker_lump_sum_allowance_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "month"
    label = "一次性生活补助月数（连续工作满1年2个月，每增加1年加1个月，最高12个月；0 unless eligible）"
    reference = "000 三(三)2"

    def formula(person, period, parameters):
        months = months_due(person, period, parameters)
        return np.where(eligibility(person, period, parameters).value, months, 0)


class rural_worker_lump_sum_allowance_monthly_standard_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "一次性生活补助月标准（分）= 统筹地区第1至12个月失业保险金标准"
    reference = "000 三(三)3"

    def formula(person, period, parameters):
        standard = monthly_standard_fen(parameters, period) or 0
        return np.where(eligibility(person, period, parameters).value, standard, 0)


class rural_worker_lump_sum_allowance_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "一次性生活补助总额（分）= 月数 × 月标准"

    def formula(person, period, parameters):
        months = person("rural_worker_lump_sum_allowance_months", period)
        return months * person("rural_worker_lump_sum_allowance_monthly_standard_fen", period)
