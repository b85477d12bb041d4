"""职业技能培训补贴 — policy ``vocational_training_subsidy`` (000 五(一); 003 职业技能培训).

Window: 000 until 2021-12-31; 003 (2022-09) describes it again without a deadline (open from
2022-09-01). The A/B/C standards and the 56-hour minimum (000 五(一)6) have no end date and apply
inside every window, like the 3-a-year cap: 000's "以上政策受理期限截至 2021 年 12 月 31 日" closes the
window of 五(一)1's policies, and 003 still pays "按照培训时间及培训补贴标准给予全额补贴" and cites
"自治区《重点产业需要目录》中A类职业（工种）补贴标准" (see data/parameters/vocational_training/index.yaml).
Eligible: obtained a certificate after the training; no monthly pension (不具有按月领取养老金资格);
in legal working age, or training for a shortage occupation (no age limit); the occupation is in
the A/B/C catalogue; at least 56 hours; fewer than 3 training subsidies this year and not the same
occupation and level twice.
Amount: below the base hours, pro rata (base amount × hours / base hours); at the base hours, the
base amount; above them the base amount plus an excess-hours part whose rate is not given
(the amount is then a lower bound and the policy "needs information").
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import common, core
from jiuye.rules.entities import Person
from jiuye.rules.enums import TrainingCategory

MONTH = DateUnit.MONTH
POLICY = "vocational_training"
CATEGORIES = {TrainingCategory.a: "a", TrainingCategory.b: "b", TrainingCategory.c: "c"}


def _hours(person, period, parameters) -> core.Tri:
    min_hours = core.param(parameters, period, "vocational_training.min_hours")
    if min_hours is None:
        return core.Tri.unknown("parameters/vocational_training/min_hours", person.count)
    return core.check(person, "training_hours", period, lambda h: h >= min_hours - 1e-9)


def _claims(person, period, parameters) -> core.Tri:
    max_claims = core.param(parameters, period, "vocational_training.max_claims_per_year")
    if max_claims is None:
        return core.Tri.unknown("parameters/vocational_training/max_claims_per_year", person.count)
    return core.check(person, "training_claims_this_year", period, lambda c: c < max_claims)


RULES = core.PolicyRules(
    "vocational_training_subsidy",
    Person,
    {
        "window": ("在政策受理期内", lambda p, t, params: core.window_open(params, t, POLICY, p.count)),
        "certificate": ("培训后取得相应证书", lambda p, t, _: core.fact(p, "training_certificate_obtained", t)),
        "no_pension": ("不具有按月领取养老金资格", lambda p, t, _: ~core.fact(p, "receiving_pension", t)),
        "age": (
            "在法定劳动年龄内（急需紧缺职业不受年龄限制）",
            lambda p, t, params: common.working_age_tri(p, t, params) | core.fact(p, "training_shortage_occupation", t),
        ),
        "catalogue": ("培训职业（工种）列入自治区重点产业需求目录（A/B/C 类）",
                      lambda p, t, _: core.check(p, "training_category", t, lambda c: c != TrainingCategory.none)),
        "hours": ("培训课时不少于56课时", _hours),
        "claims": ("本年度享受职业培训补贴不超过3次", _claims),
        "not_same_level": ("同一职业同一等级未享受过培训补贴",
                           lambda p, t, _: ~core.fact(p, "training_same_occupation_level_claimed", t)),
    },
    label="职业技能培训补贴",
)


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


def amount(person, period, parameters):
    """(amount in fen — a lower bound above the base hours —, computable Tri)."""
    n = person.count
    categories = core.param(parameters, period, "vocational_training.categories")
    if categories is None:
        return np.zeros(n, dtype=np.int32), core.Tri.unknown("parameters/vocational_training/categories", n)
    category = person("training_category", period)
    hours = person("training_hours", period).astype(np.float64)
    result = np.zeros(n, dtype=np.float64)
    above_base = np.zeros(n, dtype=bool)
    for item, name in CATEGORIES.items():
        mask = category == item
        base_amount = categories[name].base_amount * 100
        base_hours = categories[name].base_hours
        result[mask] = np.where(hours[mask] < base_hours, base_amount * hours[mask] / base_hours, base_amount)
        above_base[mask] = hours[mask] > base_hours + 1e-9
    computable = core.amount_known(~above_base, "parameters/vocational_training/excess_hour_rate") & core.determined(
        core.knowns(person, period, "training_category", "training_hours")
    )
    return core.round_fen(result), computable


def verdict(person, period, parameters) -> core.Verdict:
    def compute():
        _amount, computable = amount(person, period, parameters)
        return core.Verdict(eligibility(person, period, parameters), computable)

    return core.memo(person, period, ("verdict", POLICY), compute)


class vocational_training_subsidy_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合职业技能培训补贴条件 (definitely eligible)"
    reference = "000 五(一)1, 6, 7, 14"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class vocational_training_subsidy_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 职业技能培训补贴条件"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class vocational_training_subsidy_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "职业技能培训补贴：需要补充信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class vocational_training_subsidy_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "职业技能培训补贴：缺少的信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()


class vocational_training_subsidy_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "职业技能培训补贴金额（分；超出基本课时时为下限）"
    reference = "000 五(一)6"

    def formula(person, period, parameters):
        result, _c = amount(person, period, parameters)
        return np.where(eligibility(person, period, parameters).value, result, 0)
