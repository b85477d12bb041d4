"""以工代训补贴 — policy ``work_based_training_subsidy`` (000 五(一)13; 000 only).

Conditions (``work_based_training_subsidy_cond_<c>``):
  - ``window``: until 2021-12-31 (``other_subsidies.work_based_training.open``; closed from 2022-01-01);
  - ``qualifying_situation``: one of
      (1) until 2021-06-30 only ("此条政策为 2020 年 6 月－2021 年 6 月人社部出台政策规定"): a small,
          medium or micro enterprise that hired hard-to-employ persons, members of zero-employment
          households, graduates within 2 years of leaving college or registered unemployed persons
          and trains them on the job; or stopped work because of the epidemic; or is in 住宿餐饮、
          文化旅游、交通运输、批发零售;
      (3) affected by the epidemic in 2021 but still paying wages and social insurance, with 2021
          monthly revenue down at least 70 % ("70%以上") on the same period of 2019 or 2020;
  - ``si_paid_in_region``: pays social insurance in the autonomous region ((2) "按规定缴纳社会保险费";
    (4) units registered outside the region whose staff work and are insured in it apply where
    insured);
  - ``months_remaining``: fewer than 6 months already subsidised ((2) "2021 年以前未申请或累计不足
    6个月"; "补贴期限累计不超过 6 个月");
  - ``has_trainees``: at least one person trained on the job this month.
(2) also names enterprises registered in the region before 2021-04-30; as it is joined by "以及" to
the first group it is read as a further group, not as a restriction, and is not checked.
Amount: 600 元 per trainee per month, for at most 6 months in total (the months not yet claimed).
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Enterprise
from jiuye.rules.enums import EnterpriseCategory

MONTH = DateUnit.MONTH
POLICY = "work_based_training_subsidy"
BASE = "other_subsidies.work_based_training"
SME = (EnterpriseCategory.medium, EnterpriseCategory.small, EnterpriseCategory.micro)
TOLERANCE = 1e-6


def qualifying_situation(enterprise, period, parameters) -> core.Tri:
    n = enterprise.count
    sme_open = core.param(parameters, period, f"{POLICY}.sme_routes_open")
    min_drop = core.param(parameters, period, f"{POLICY}.min_revenue_drop_rate")
    if sme_open is None or min_drop is None:
        return core.Tri.unknown(f"parameters/{POLICY}", n)
    routes = []
    if sme_open:
        sme = core.check(enterprise, "enterprise_category", period, lambda c: np.logical_or.reduce([c == item for item in SME]))
        routes.append(
            sme
            & core.any_of(
                core.fact(enterprise, "hired_key_groups_for_training", period),
                core.fact(enterprise, "epidemic_operations_suspended", period),
                core.fact(enterprise, "in_work_based_training_industries", period),
            )
        )
    routes.append(
        core.fact(enterprise, "pays_wages_and_si_despite_epidemic", period)
        & core.check(enterprise, "revenue_drop_rate", period, lambda r: r >= min_drop - TOLERANCE)
    )
    return core.any_of(*routes)


def _months_remaining(enterprise, period, parameters) -> core.Tri:
    max_months = core.param(parameters, period, f"{BASE}.max_months")
    if max_months is None:
        return core.Tri.unknown(f"parameters/{BASE.replace('.', '/')}/max_months", enterprise.count)
    return core.check(enterprise, "work_based_training_months_claimed", period, lambda m: m < max_months)


RULES = core.PolicyRules(
    POLICY,
    Enterprise,
    {
        "window": ("在以工代训受理期限内（截至2021年12月31日）", lambda e, t, p: core.param_tri(p, t, f"{BASE}.open", e.count)),
        "qualifying_situation": (
            "属于以工代训实施范围（中小微企业扩围对象至2021年6月；或2021年受疫情影响仍发工资缴社保且营业收入下降70%以上）",
            qualifying_situation,
        ),
        "si_paid_in_region": ("在自治区范围内按规定缴纳社会保险费", lambda e, t, _: core.fact(e, "si_paid_in_region", t)),
        "months_remaining": ("已享受以工代训补贴累计不足6个月", _months_remaining),
        "has_trainees": ("当月实际开展以工代训", lambda e, t, _: core.check(e, "work_based_trainees", t, lambda n: n > 0)),
    },
    label="以工代训补贴",
)


def eligibility(enterprise, period, parameters) -> core.Tri:
    return RULES.eligibility(enterprise, period, parameters)


def verdict(enterprise, period, parameters) -> core.Verdict:
    n = enterprise.count
    per_month = core.param(parameters, period, f"{BASE}.per_month")
    computable = core.determined(
        core.parameter_known(per_month, f"{BASE}.per_month", n),
        core.knowns(enterprise, period, "work_based_trainees", "work_based_training_months_claimed"),
    )
    return core.Verdict(eligibility(enterprise, period, parameters), computable)


# --- verdict -----------------------------------------------------------------------------------
class work_based_training_subsidy_eligible(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "符合以工代训补贴条件 (definitely eligible)"
    reference = "000 五(一)13"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).value


class work_based_training_subsidy_eligible_known(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "是否已知: 以工代训补贴条件"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).known


class work_based_training_subsidy_needs_information(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "以工代训补贴：需要补充信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).needs_information


class work_based_training_subsidy_missing_information(Variable):
    value_type = str
    entity = Enterprise
    definition_period = MONTH
    label = "以工代训补贴：缺少的信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).missing_text()


class work_based_training_subsidy_monthly_amount_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "以工代训补贴当月金额（分）= 600元 × 以工代训人数"
    reference = "000 五(一)13"

    def formula(enterprise, period, parameters):
        per_month = core.param(parameters, period, f"{BASE}.per_month")
        if per_month is None:
            return np.zeros(enterprise.count, dtype=np.int32)
        trainees, known = core.known_value(enterprise, "work_based_trainees", period)
        trainees = np.where(known, np.maximum(trainees, 0), 0).astype(np.int64)
        amount = trainees * core.yuan_to_fen(per_month)
        return np.where(eligibility(enterprise, period, parameters).value, amount, 0).astype(np.int32)


class work_based_training_subsidy_remaining_months(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "month"
    label = "以工代训补贴尚可享受的月数（累计不超过6个月）"
    reference = "000 五(一)13"

    def formula(enterprise, period, parameters):
        max_months = core.param(parameters, period, f"{BASE}.max_months")
        if max_months is None:
            return np.zeros(enterprise.count, dtype=np.int32)
        claimed = enterprise("work_based_training_months_claimed", period)
        remaining = np.clip(max_months - claimed, 0, max_months)
        return np.where(eligibility(enterprise, period, parameters).value, remaining, 0).astype(np.int32)


class work_based_training_subsidy_max_total_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "以工代训补贴最多还可领取的金额（分）= 当月金额 × 尚可享受的月数（人数不变时）"

    def formula(enterprise, period, parameters):
        monthly = enterprise("work_based_training_subsidy_monthly_amount_fen", period).astype(np.int64)
        months = enterprise("work_based_training_subsidy_remaining_months", period)
        return (monthly * months).astype(np.int32)
