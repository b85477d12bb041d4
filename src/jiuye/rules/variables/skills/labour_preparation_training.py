"""劳动预备制培训（生活费补贴）— policy ``labour_preparation_training`` (003 职业技能培训 (四); 003 only).

城乡未继续升学的应届初中毕业生 who take part in 劳动预备制培训 get the training subsidy "按规定" (no
figure: not computed); the rural trainees and trainees from urban 低保 families among them also get
a living allowance of 1500 元 per person (每人人均1500元; paid once per trainee — 003 does not say per
year or per course). The policy's computed part, and so its eligibility here, is that living
allowance.
Conditions (``labour_preparation_training_cond_<c>``): ``in_force`` (the sources give it for the
date: from 2022-09-01; before, "needs information"), ``junior_secondary_leaver``, ``in_training``,
``rural_or_urban_dibao`` (``rural_school_leaver_trainee`` — 两后生中的农村牧区学员 — or
``urban_dibao_household_member``). Whether it combines with 培训期间生活费补贴 (100 元/天) is not said.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH
POLICY = "labour_preparation_training"
AMOUNT = f"{POLICY}.living_allowance"


RULES = core.PolicyRules(
    POLICY,
    Person,
    {
        "in_force": (
            "资料给出该日期的劳动预备制培训生活费补贴（003，2022-09-01起）",
            lambda p, t, params: core.parameter_known(core.param(params, t, AMOUNT), AMOUNT, p.count),
        ),
        "junior_secondary_leaver": ("城乡未继续升学的应届初中毕业生", lambda p, t, _: core.fact(p, "junior_secondary_leaver", t)),
        "in_training": ("参加劳动预备制培训", lambda p, t, _: core.fact(p, "in_labour_preparation_training", t)),
        "rural_or_urban_dibao": (
            "农村学员或城市低保家庭学员",
            lambda p, t, _: core.any_of(
                core.fact(p, "rural_school_leaver_trainee", t), core.fact(p, "urban_dibao_household_member", t)
            ),
        ),
    },
    label="劳动预备制培训生活费补贴",
)


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


def verdict(person, period, parameters) -> core.Verdict:
    return core.Verdict(eligibility(person, period, parameters))


# --- verdict -----------------------------------------------------------------------------------
class labour_preparation_training_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合劳动预备制培训生活费补贴条件 (definitely eligible)"
    reference = "003 职业技能培训 (四)"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class labour_preparation_training_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 劳动预备制培训生活费补贴条件"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class labour_preparation_training_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "劳动预备制培训生活费补贴：需要补充信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class labour_preparation_training_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "劳动预备制培训生活费补贴：缺少的信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()


class labour_preparation_training_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "劳动预备制培训生活费补贴（分/人）"
    reference = "003 职业技能培训 (四)"

    def formula(person, period, parameters):
        amount = core.param(parameters, period, AMOUNT)
        fen = core.yuan_to_fen(amount) if amount is not None else 0
        return np.where(eligibility(person, period, parameters).value, fen, 0)
