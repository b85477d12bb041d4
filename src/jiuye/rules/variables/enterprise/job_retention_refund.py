"""失业保险稳岗返还 — policy ``job_retention_refund`` (000 三(六); 003 失业保险 三).

Eligible: UI paid in full for at least a year, no arrears, not on the dishonesty list, and last
year's layoff rate not above the national surveyed-unemployment target (2021 policy: 6 %, 2022: 5.5 %)
— not above 20 % for units with at most 30 insured; from 2022 also not a zombie enterprise and
compliant with local environmental policy. Refund: large enterprises 30 % (2021) / 50 % (2022), small
and medium ones and social organisations 60 % / 90 % of last year's UI contributions. From 2023 the
rates are not in the sources ("needs information").
Layoff rate = layoffs with UI benefit / average insured headcount (or give layoff_rate directly).
Rates are compared with a tolerance of 1e-6 (float32 inputs).
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Enterprise
from jiuye.rules.enums import EnterpriseCategory

MONTH = DateUnit.MONTH
TOLERANCE = 1e-6


class layoff_rate(Variable):
    value_type = float
    entity = Enterprise
    definition_period = MONTH
    unit = "/1"
    label = "上年度裁员率 = 解除、终止劳动关系并领取失业保险金人数 / 月平均参保职工人数"
    reference = "000 三(六)4"

    def formula(enterprise, period, parameters):
        count = enterprise("layoff_count", period).astype(np.float64)
        headcount = enterprise("insured_headcount", period).astype(np.float64)
        return np.divide(count, headcount, out=np.zeros_like(count), where=headcount > 0)


class layoff_rate_known(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "是否已知: 上年度裁员率"

    def formula(enterprise, period, parameters):
        return (
            enterprise("layoff_count_known", period)
            & enterprise("insured_headcount_known", period)
            & (enterprise("insured_headcount", period) > 0)
        )


def _params(parameters, period):
    target = core.param(parameters, period, "job_retention_refund.layoff_rate_cap")
    small = core.param(parameters, period, "job_retention_refund.small_firm")
    min_years = core.param(parameters, period, "job_retention_refund.min_paid_years")
    if target is None or small is None or min_years is None:
        return None
    return target, small, min_years


def _unknown(enterprise) -> core.Tri:
    return core.Tri.unknown("parameters/job_retention_refund/layoff_rate_cap", enterprise.count)


def _paid_years(enterprise, period, parameters) -> core.Tri:
    p = _params(parameters, period)
    if p is None:
        return _unknown(enterprise)
    return core.check(enterprise, "enterprise_ui_paid_years", period, lambda y: y >= p[2] - TOLERANCE)


def _layoffs(enterprise, period, parameters) -> core.Tri:
    """未裁员, or a layoff rate not above the target (not above 20 % for units with at most 30
    insured). No layoffs meets the condition whatever the target, even in a year with no value."""
    no_layoffs = core.check(enterprise, "layoff_rate", period, lambda r: r <= TOLERANCE)
    p = _params(parameters, period)
    if p is None:
        return core.any_of(no_layoffs, _unknown(enterprise))
    target, small, _ = p
    small_firm = core.check(enterprise, "insured_headcount", period, lambda h: h <= small.max_headcount)
    return core.any_of(
        no_layoffs,
        small_firm & core.check(enterprise, "layoff_rate", period, lambda r: r <= small.layoff_rate_cap + TOLERANCE),
        ~small_firm & core.check(enterprise, "layoff_rate", period, lambda r: r <= target + TOLERANCE),
    )


def _simple(make):
    def condition(enterprise, period, parameters) -> core.Tri:
        return _unknown(enterprise) if _params(parameters, period) is None else make(enterprise, period)
    return condition


def _from_2022(make):
    """A condition of the 2022 rules (``excludes_zombie_and_polluters``); met by definition before."""
    def condition(enterprise, period, parameters) -> core.Tri:
        if _params(parameters, period) is None:
            return _unknown(enterprise)
        if not core.param(parameters, period, "job_retention_refund.excludes_zombie_and_polluters"):
            return core.Tri.const(True, enterprise.count)
        return make(enterprise, period)
    return condition


RULES = core.PolicyRules(
    "job_retention_refund",
    Enterprise,
    {
        "paid_years": ("足额缴纳失业保险满1年", _paid_years),
        "no_arrears": ("不欠缴失业保险费", _simple(lambda e, t: ~core.fact(e, "ui_arrears", t))),
        "not_dishonest": ("未被列为失信惩戒对象", _simple(lambda e, t: ~core.fact(e, "on_dishonesty_list", t))),
        "layoffs": ("上年度裁员率不高于规定比例", _layoffs),
        "not_zombie": ("不是列入出清名单的僵尸企业（2022 起）", _from_2022(lambda e, t: ~core.fact(e, "zombie_enterprise", t))),
        "environmental": ("符合当地环保政策（2022 起）", _from_2022(lambda e, t: core.fact(e, "environmental_compliant", t))),
    },
    label="失业保险稳岗返还",
)


def eligibility(enterprise, period, parameters) -> core.Tri:
    return RULES.eligibility(enterprise, period, parameters)


def refund(enterprise, period, parameters):
    """(refund in fen, computable Tri)."""
    n = enterprise.count
    large = core.param(parameters, period, "job_retention_refund.refund_rate.large")
    sme = core.param(parameters, period, "job_retention_refund.refund_rate.sme")
    if large is None or sme is None:
        return np.zeros(n, dtype=np.int32), core.Tri.unknown("parameters/job_retention_refund/refund_rate", n)
    category = enterprise("enterprise_category", period)
    rate = np.where(category == EnterpriseCategory.large, large, sme)
    contributions = enterprise("ui_contributions_last_year_fen", period).astype(np.float64)
    computable = core.determined(core.knowns(enterprise, period, "enterprise_category", "ui_contributions_last_year_fen"))
    return core.round_fen(contributions * rate), computable


def verdict(enterprise, period, parameters) -> core.Verdict:
    _amount, computable = refund(enterprise, period, parameters)
    return core.Verdict(eligibility(enterprise, period, parameters), computable)


class job_retention_refund_eligible(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "符合失业保险稳岗返还条件 (definitely eligible)"
    reference = "000 三(六)1; 003 失业保险 三(一)(二)"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).value


class job_retention_refund_eligible_known(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "是否已知: 稳岗返还条件"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).known


class job_retention_refund_needs_information(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "稳岗返还：需要补充信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).needs_information


class job_retention_refund_missing_information(Variable):
    value_type = str
    entity = Enterprise
    definition_period = MONTH
    label = "稳岗返还：缺少的信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).missing_text()


class job_retention_refund_rate(Variable):
    value_type = float
    entity = Enterprise
    definition_period = MONTH
    unit = "/1"
    label = "稳岗返还比例（按企业规模，当年度规定）"

    def formula(enterprise, period, parameters):
        large = core.param(parameters, period, "job_retention_refund.refund_rate.large")
        sme = core.param(parameters, period, "job_retention_refund.refund_rate.sme")
        if large is None or sme is None:
            return np.zeros(enterprise.count)
        category = enterprise("enterprise_category", period)
        return np.where(category == EnterpriseCategory.large, large, sme)


class job_retention_refund_amount_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "稳岗返还金额（分）"
    reference = "000 三(六)2; 003 失业保险 三(一)"

    def formula(enterprise, period, parameters):
        amount, _c = refund(enterprise, period, parameters)
        return np.where(eligibility(enterprise, period, parameters).value, amount, 0)
