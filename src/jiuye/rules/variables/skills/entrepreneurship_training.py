"""创业培训 (SYB / IYB / 网络创业) — policy ``entrepreneurship_training`` (000 五(二); 003 创业培训).

An eligibility item: may the person take a subsidised (free) start-up training course? 003 gives the
conditions from 2022-09 (before, the rules need information: 000 names the groups but not the ages):
- ``in_force``: the sources give the age range for the date (003, from 2022-09-01);
- ``age_minimum``: "16 周岁以上" (general.working_age_minimum, quoted from the same sentence of 003);
- ``age_maximum``: "男不超过 60 周岁，女不超过 50 周岁" (entrepreneurship_training.age_maximum_*);
- ``target_group``: one of 003's groups that "可免费参加培训" (those the profile can tell);
- ``iyb_licence``: for IYB only, "取得营业执照时间不足两年" (entrepreneurship_training.iyb_licence_max_years);
- ``not_repeated``: 000 "创业培训补贴对象一年内不得就同一等级创业培训重复享受补贴".
Inputs of its own: ``startup_training_iyb`` (the course is IYB) and
``startup_training_same_level_claimed`` (a subsidy for the same level of 创业培训 within the year).
"""
import numpy as np
from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import common, core
from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH
POLICY = "entrepreneurship_training"


class startup_training_iyb(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "参加的是 IYB 改善企业培训"


class startup_training_same_level_claimed(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "一年内已就同一等级创业培训享受过补贴"


def _max_param(params, t):
    male = core.param(params, t, f"{POLICY}.age_maximum_male")
    female = core.param(params, t, f"{POLICY}.age_maximum_female")
    return male, female


def _in_force(p, t, params) -> core.Tri:
    male, female = _max_param(params, t)
    return core.parameter_known(None if male is None or female is None else male,
                                f"{POLICY}.age_maximum_male", p.count)


def _age_minimum(p, t, params) -> core.Tri:
    minimum = core.param(params, t, "general.working_age_minimum")
    return common.age_tri(p, t, lambda a: a >= minimum)


def _age_maximum(p, t, params) -> core.Tri:
    male, female = _max_param(params, t)
    if male is None or female is None:
        return core.Tri.unknown(f"parameters/{POLICY}/age_maximum_male", p.count)
    # 不超过 N 周岁 = not (aged at least N + 1)
    return ~common.age_threshold_tri(p, t, female + 1, male + 1)


def _recent_graduate(p, t) -> core.Tri:
    first = core.period_first_day(t)
    recent = core.check(p, "college_leaving_date", t, lambda d: d >= first - np.timedelta64(730, "D"))
    return core.fact(p, "college_graduate", t) & recent & ~core.fact(p, "employed_since_leaving_college", t)


def _target_group(p, t, _params) -> core.Tri:
    return core.any_of(
        core.fact(p, "poverty_alleviated_labour", t),
        core.fact(p, "rural_low_income", t),
        core.fact(p, "junior_secondary_leaver", t),
        core.fact(p, "registered_unemployed", t),
        core.fact(p, "veteran", t),
        core.fact(p, "flexibly_employed", t),
        core.fact(p, "hard_to_employ_certified", t),
        core.fact(p, "has_disability_certificate", t),
        core.fact(p, "released_prisoner", t),
        core.fact(p, "returning_home_founder", t),
        _recent_graduate(p, t),
    )


def _iyb_licence(p, t, params) -> core.Tri:
    years = core.param(params, t, f"{POLICY}.iyb_licence_max_years")
    iyb = core.fact(p, "startup_training_iyb", t)
    if years is None:
        return ~iyb | core.Tri.unknown(f"parameters/{POLICY}/iyb_licence_max_years", p.count)
    first = core.period_first_day(t)
    recent = core.check(p, "business_registration_date", t,
                        lambda d: (d > first - np.timedelta64(int(round(365.25 * years)), "D")) & (d <= first))
    return ~iyb | recent


RULES = core.PolicyRules(
    POLICY,
    Person,
    {
        "in_force": ("资料给出该日期的创业培训对象条件（003，2022-09-01起）", _in_force),
        "age_minimum": ("16 周岁以上", _age_minimum),
        "age_maximum": ("男不超过 60 周岁，女不超过 50 周岁", _age_maximum),
        "target_group": ("属于可免费参加创业培训的重点群体", _target_group),
        "iyb_licence": ("IYB 培训：取得营业执照时间不足两年", _iyb_licence),
        "not_repeated": ("一年内未就同一等级创业培训享受过补贴",
                         lambda p, t, _: ~core.fact(p, "startup_training_same_level_claimed", t)),
    },
    label="创业培训",
)


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


def verdict(person, period, parameters) -> core.Verdict:
    return core.Verdict(eligibility(person, period, parameters))


class entrepreneurship_training_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "可免费参加创业培训并按规定享受补贴 (definitely eligible)"
    reference = "003 创业培训 › 培训对象; 000 五(二)2"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class entrepreneurship_training_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 创业培训条件"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class entrepreneurship_training_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "创业培训：需要补充信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class entrepreneurship_training_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "创业培训：缺少的信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()
