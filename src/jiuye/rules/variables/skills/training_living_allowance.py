"""培训期间生活费补贴 — policy ``training_living_allowance`` (000 五(一)4; 003 培训期间生活费补贴).

Window: 000 until 2021-12-31; 003 lists it again without a deadline (open from 2022-09-01).
Groups: 000 — 贫困劳动力、就业困难人员、零就业家庭成员、两后生中的农村牧区学员、城市低保家庭成员, and
农村牧区劳动力 who obtained a training certificate; 003 — 脱贫人口、农村牧区低收入人口、就业困难人员、
零就业家庭成员、两后生中的农村牧区学员、城市低保家庭成员. 100 元 per training day.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH
POLICY = "training_living_allowance"


def _target_group(person, period, parameters) -> core.Tri:
    groups = [
        core.fact(person, "poverty_alleviated_labour", period),
        core.fact(person, "hard_to_employ_certified", period),
        core.fact(person, "zero_employment_household_member", period),
        core.fact(person, "rural_school_leaver_trainee", period),
        core.fact(person, "urban_dibao_household_member", period),
    ]
    for extra in ("rural_labour_with_training_certificate", "rural_low_income"):  # groups only one document lists
        if core.param(parameters, period, f"training_living_allowance.groups.{extra}"):
            groups.append(core.fact(person, extra, period))
    return core.any_of(*groups)


RULES = core.PolicyRules(
    POLICY,
    Person,
    {
        "window": ("在政策受理期内", lambda p, t, params: core.window_open(params, t, POLICY, p.count)),
        "target_group": ("属于补贴对象（脱贫劳动力、就业困难人员、零就业家庭成员、两后生中的农村牧区学员、城市低保家庭成员等）",
                         _target_group),
        "training_days": ("参加了培训（有培训天数）", lambda p, t, _: core.check(p, "training_days", t, lambda d: d > 0)),
    },
    label="培训期间生活费补贴",
)


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


def verdict(person, period, parameters) -> core.Verdict:
    per_day = core.param(parameters, period, "training_living_allowance.per_day")
    computable = core.parameter_known(per_day, "training_living_allowance.per_day", person.count)
    return core.Verdict(eligibility(person, period, parameters), computable)


class training_living_allowance_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合培训期间生活费补贴条件 (definitely eligible)"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class training_living_allowance_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 培训期间生活费补贴条件"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class training_living_allowance_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "培训期间生活费补贴：需要补充信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class training_living_allowance_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "培训期间生活费补贴：缺少的信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()


class training_living_allowance_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "培训期间生活费补贴金额（分）= 100元 × 培训天数"

    def formula(person, period, parameters):
        per_day = core.param(parameters, period, "training_living_allowance.per_day") or 0
        days = person("training_days", period)
        eligible = eligibility(person, period, parameters).value
        return np.where(eligible, core.round_fen(per_day * 100 * days.astype(np.float64)), 0)
