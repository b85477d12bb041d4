"""一次性留工培训补助 — policy ``retention_training_subsidy`` (003 失业保险 四; 003 only).

Condition ``window``: 2022-01-01 … 2022-12-31 (``other_subsidies.retention_training.open``; no value
before 2022, closed from 2023). Two routes (condition ``qualifying_situation``):
  - the pooling area had at least one medium/high-risk epidemic area in 2022 and the unit is
    temporarily unable to operate normally because of the epidemic (enterprises; social
    organisations, foundations, social-service bodies, law and accounting firms and 个体工商户
    insured as units 参照实施, so any ``enterprise_category``);
  - the pooling area had none, and the enterprise is in one of the 5 industries 餐饮、零售、旅游、民航、
    公路水路铁路运输.
Also: the pooling area's UI fund reserve last year covered at least 2 years (``fund_reserve``;
"2年以上" includes 2), not on the dishonesty blacklist, not a zombie enterprise being cleared,
compliant with local environmental policy (``not_on_dishonesty_list``, ``not_zombie``,
``environmental_compliant``).
Amount: 500 元 per insured employee (``insured_employees``; 003 also writes 每名参保人员 for the
second route — the same count is used).
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Enterprise

MONTH = DateUnit.MONTH
POLICY = "retention_training_subsidy"
AMOUNT = "other_subsidies.retention_training.per_insured"
TOLERANCE = 1e-6


def _situation(enterprise, period, parameters) -> core.Tri:
    risk_area = core.fact(enterprise, "pooling_area_had_risk_area", period)
    return core.any_of(
        risk_area & core.fact(enterprise, "epidemic_operations_suspended", period),
        ~risk_area & core.fact(enterprise, "in_retention_training_industries", period),
    )


def _fund_reserve(enterprise, period, parameters) -> core.Tri:
    min_years = core.param(parameters, period, f"{POLICY}.min_fund_reserve_years")
    if min_years is None:
        return core.Tri.unknown(f"parameters/{POLICY}/min_fund_reserve_years", enterprise.count)
    return core.check(enterprise, "pooling_area_ui_fund_reserve_years", period, lambda y: y >= min_years - TOLERANCE)


RULES = core.PolicyRules(
    POLICY,
    Enterprise,
    {
        "window": (
            "在实施期内（2022年1月1日至12月31日）",
            lambda e, t, p: core.param_tri(p, t, "other_subsidies.retention_training.open", e.count),
        ),
        "qualifying_situation": ("统筹地区出现中高风险地区且因疫情暂时无法正常生产经营，或未出现而属于5个行业", _situation),
        "fund_reserve": ("统筹地区上年度失业保险基金滚存结余备付期限在2年以上", _fund_reserve),
        "not_on_dishonesty_list": ("未列入严重违法失信黑名单", lambda e, t, _: ~core.fact(e, "on_dishonesty_list", t)),
        "not_zombie": ("未列入出清名单僵尸企业", lambda e, t, _: ~core.fact(e, "zombie_enterprise", t)),
        "environmental_compliant": ("符合当地环保政策", lambda e, t, _: core.fact(e, "environmental_compliant", t)),
    },
    label="一次性留工培训补助",
)


def eligibility(enterprise, period, parameters) -> core.Tri:
    return RULES.eligibility(enterprise, period, parameters)


def verdict(enterprise, period, parameters) -> core.Verdict:
    n = enterprise.count
    amount = core.param(parameters, period, AMOUNT)
    computable = core.determined(
        core.parameter_known(amount, AMOUNT, n), core.knowns(enterprise, period, "insured_employees")
    )
    return core.Verdict(eligibility(enterprise, period, parameters), computable)


# --- verdict -----------------------------------------------------------------------------------
class retention_training_subsidy_eligible(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "符合一次性留工培训补助条件 (definitely eligible)"
    reference = "003 失业保险 四"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).value


class retention_training_subsidy_eligible_known(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "是否已知: 一次性留工培训补助条件"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).known


class retention_training_subsidy_needs_information(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "一次性留工培训补助：需要补充信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).needs_information


class retention_training_subsidy_missing_information(Variable):
    value_type = str
    entity = Enterprise
    definition_period = MONTH
    label = "一次性留工培训补助：缺少的信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).missing_text()


class retention_training_subsidy_amount_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "一次性留工培训补助金额（分）= 500元 × 参保职工人数"
    reference = "003 失业保险 四(一)"

    def formula(enterprise, period, parameters):
        amount = core.param(parameters, period, AMOUNT)
        if amount is None:
            return np.zeros(enterprise.count, dtype=np.int32)
        count, known = core.known_value(enterprise, "insured_employees", period)
        count = np.where(known, np.maximum(count, 0), 0).astype(np.int64)
        total = count * core.yuan_to_fen(amount)
        return np.where(eligibility(enterprise, period, parameters).value, total, 0).astype(np.int32)
