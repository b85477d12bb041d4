"""就业困难人员认定 — policy ``hard_to_employ_recognition`` (000 一(五)1; 003 就业服务 › 就业困难人员认定).

Whether a person may apply to be recognised as 就业困难人员: one of the six categories of
《内蒙古自治区就业困难人员认定办法》 as the documents give them, and from 2022-09-01 (003) the general
conditions before them. The categories are routes (one is enough); each condition is a named
condition of its own, quoted from its document, so a person learns which category fits and why, or
what is still missing. Where 000 and 003 differ, the dated switches of
``data/parameters/hard_to_employ_recognition`` say which text applies on the date (000 from
2021-01-01, 003 from 2022-09-01) and the screening sentences name the other document's text:

- general (003 only): 城镇常住人口; 法定劳动年龄内; 有劳动能力且有就业愿望; 已进行失业登记.
- 大龄失业人员: women 40+, men 50+ (an age settles it; the sex only where the age lies between);
  失业人员; 000: 城镇常住人口 and 缴纳城镇职工养老或医疗保险 1 年以上; 003: 参加城镇职工社会保险 1 年以上
  (the unemployment-insurance years count too) and 在常住地连续居住 6 个月以上.
- 残疾人员: holds the 《中华人民共和国残疾人证》.
- 零就业家庭成员: the household rule of ``variables/common/household.py`` (both documents' conditions).
- 失地农牧民: land requisitioned by a county-level government, all contracted land lost (000: the
  失地证明); 003 adds women 40+ / men 50+ and excludes those whose 征地补偿 per month is above the
  local 失业保险金 standard.
- 长期失业人员: 低保 (dibao_household_member); registered as unemployed without interruption for
  1 year or more (checked on the month's last day); women 35+, men 45+.
- 就业困难的高校毕业生: a college graduate who left 2 years ago or more (checked on the month's last
  day), never employed since, from a full-time college (000 "全日制高校毕业生"; 003 "高校毕业生主要指从全日制
  高等院校毕业的学生").

Not categories in these documents (so not routes here): 低保家庭成员 as such (only within 长期失业人员),
脱贫劳动力.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import common, core
from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH
POLICY = "hard_to_employ_recognition"


def _param(parameters, period, path: str):
    return core.param(parameters, period, f"{POLICY}.{path}")


def _unknown_param(person, path: str) -> core.Tri:
    return core.Tri.unknown(f"parameters/{POLICY}/{path.replace('.', '/')}", person.count)


def _when(switch: str, fn):
    """A condition that the documents ask for only where the boolean parameter ``switch`` is true on
    the date (met by definition elsewhere; the screening sentence is then not shown)."""
    def condition(person, period, parameters) -> core.Tri:
        on = _param(parameters, period, switch)
        if on is None:
            return _unknown_param(person, switch)
        if not on:
            return core.Tri.const(True, person.count)
        return fn(person, period, parameters)
    return condition


def _age(path: str):
    """女满X周岁、男满Y周岁 with the thresholds of ``<path>.female_min_age`` / ``male_min_age``."""
    def condition(person, period, parameters) -> core.Tri:
        female = _param(parameters, period, f"{path}.female_min_age")
        male = _param(parameters, period, f"{path}.male_min_age")
        if female is None or male is None:
            return _unknown_param(person, f"{path}.female_min_age")
        return common.age_threshold_tri(person, period, female, male)
    return condition


def _fact(name: str):
    return lambda person, period, _parameters: core.fact(person, name, period)


def _at_least_months_since(person, period, date_input: str, months: int) -> core.Tri:
    """At least ``months`` whole months from the date input to the month's last day (a dated
    condition holds for a month if it holds on some day of it)."""
    return core.check(person, date_input, period,
                      lambda d: core.full_months_between(d, core.period_last_day(period)) >= months)


# --- the conditions --------------------------------------------------------------------------------
def _older_insurance(person, period, parameters) -> core.Tri:
    years = _param(parameters, period, "older_unemployed.min_insurance_years")
    any_insurance = _param(parameters, period, "older_unemployed.any_employee_insurance")
    if years is None or any_insurance is None:
        return _unknown_param(person, "older_unemployed.min_insurance_years")
    pension_or_medical = core.check(person, "employee_si_years", period, lambda y: y >= years - 1e-9)
    if not any_insurance:
        return pension_or_medical
    # 003 "参加城镇职工社会保险": the unemployment-insurance years count as well
    return pension_or_medical | core.check(person, "contribution_years", period, lambda y: y >= years - 1e-9)


def _older_residence(person, period, parameters) -> core.Tri:
    months = _param(parameters, period, "older_unemployed.min_residence_months")
    if months is None:
        return _unknown_param(person, "older_unemployed.min_residence_months")
    return core.check(person, "local_residence_months", period, lambda m: m >= months)


def _long_term_registration(person, period, parameters) -> core.Tri:
    years = _param(parameters, period, "long_term_unemployed.min_registration_years")
    if years is None:
        return _unknown_param(person, "long_term_unemployed.min_registration_years")
    long_enough = _at_least_months_since(person, period, "unemployment_registration_date", int(round(years * 12)))
    registered = core.fact(person, "registered_unemployed", period)
    deregistered = registered.known & ~registered.value  # the registration date counts while registered
    return long_enough & core.Tri(~deregistered, np.ones(person.count, dtype=bool))


def _graduate_left(person, period, parameters) -> core.Tri:
    years = _param(parameters, period, "graduate.min_years_since_leaving")
    if years is None:
        return _unknown_param(person, "graduate.min_years_since_leaving")
    return core.fact(person, "college_graduate", period) & _at_least_months_since(
        person, period, "college_leaving_date", int(round(years * 12)))


def _registered(person, period, parameters) -> core.Tri:
    """已进行失业登记. A person in work is not registered: 000 一(四)4 lists 处于就业状态 among the cases
    where 不允许失业登记 (so a job, when known, settles it without asking)."""
    working = core.fact(person, "is_unemployed", period).false
    return core.fact(person, "registered_unemployed", period) & core.Tri(~working, np.ones(person.count, dtype=bool))


GENERAL = "general_conditions"

RULES_CONDITIONS = {
    # general conditions (003): all of them
    "urban_resident": ("城镇常住人口（003 总体条件）", _when(GENERAL, _fact("urban_resident"))),
    "working_age": ("法定劳动年龄内（003 总体条件）",
                    _when(GENERAL, lambda p, t, params: common.working_age_tri(p, t, params))),
    "able_and_willing": ("有劳动能力且有就业愿望（003 总体条件）", _when(GENERAL, _fact("able_and_willing_to_work"))),
    "registered": ("已进行失业登记（003 总体条件）", _when(GENERAL, _registered)),
    # 1 大龄失业人员
    "older_age": ("大龄失业人员：女满40周岁、男满50周岁", _age("older_unemployed")),
    "older_unemployed": ("大龄失业人员：处于失业状态", _fact("is_unemployed")),
    "older_urban_resident": ("大龄失业人员：城镇常住人口（000）",
                             _when("older_unemployed.urban_resident_in_category", _fact("urban_resident"))),
    "older_insurance": ("大龄失业人员：缴纳城镇职工养老或医疗保险（003：城镇职工社会保险）1年以上", _older_insurance),
    "older_residence": ("大龄失业人员：在常住地连续居住6个月以上（003）",
                        _when("older_unemployed.residence_required", _older_residence)),
    # 2 残疾人员
    "disabled": ("残疾人员：持有《中华人民共和国残疾人证》", _fact("has_disability_certificate")),
    # 3 零就业家庭成员
    "zero_employment": ("零就业家庭成员", _fact("zero_employment_household_member")),
    # 4 失地农牧民
    "landless": ("失地农牧民：被旗县级以上政府依法统一征地，完全失去原承包耕地或草场", _fact("land_requisitioned")),
    "landless_age": ("失地农牧民：女性年满40周岁、男性满50周岁（003）", _when("landless.age_required", _age("landless"))),
    "landless_compensation": ("失地农牧民：征地补偿月标准不高于当地失业保险金标准（003）",
                              _when("landless.compensation_exclusion",
                                    lambda p, t, _: ~core.fact(p, "land_compensation_above_ui_standard", t))),
    # 5 长期失业人员
    "long_term_dibao": ("长期失业人员：正在享受最低生活保障待遇（有低保）", _fact("dibao_household_member")),
    "long_term_registration": ("长期失业人员：连续失业登记1年以上", _long_term_registration),
    "long_term_age": ("长期失业人员：女满35周岁、男满45周岁", _age("long_term_unemployed")),
    # 6 就业困难的高校毕业生
    "graduate_left": ("就业困难的高校毕业生：离校2年及以上", _graduate_left),
    "graduate_never_worked": ("就业困难的高校毕业生：离校后从未就业",
                              lambda p, t, _: ~core.fact(p, "employed_since_leaving_college", t)),
    "graduate_full_time": ("就业困难的高校毕业生：全日制高等院校毕业", _fact("college_full_time")),
}

GENERAL_CONDITIONS = ("urban_resident", "working_age", "able_and_willing", "registered")
#: the six categories, in the documents' order: one is enough
CATEGORIES = {
    "older_unemployed": ("older_age", "older_unemployed", "older_urban_resident", "older_insurance", "older_residence"),
    "disabled": ("disabled",),
    "zero_employment": ("zero_employment",),
    "landless": ("landless", "landless_age", "landless_compensation"),
    "long_term_unemployed": ("long_term_dibao", "long_term_registration", "long_term_age"),
    "graduate": ("graduate_left", "graduate_never_worked", "graduate_full_time"),
}


def category_tris(conditions: dict[str, core.Tri]) -> dict[str, core.Tri]:
    return {name: core.all_of(*(conditions[c] for c in members)) for name, members in CATEGORIES.items()}


def _combine(conditions: dict[str, core.Tri]) -> core.Tri:
    general = core.all_of(*(conditions[c] for c in GENERAL_CONDITIONS))
    return general & core.any_of(*category_tris(conditions).values())


RULES = core.PolicyRules(POLICY, Person, RULES_CONDITIONS, combine=_combine, label="就业困难人员认定")


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


class hard_to_employ_recognition_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "可以申请认定为就业困难人员（属于六类人员之一并满足认定条件）"
    reference = "000 一(五)1; 003 就业困难人员认定(一)"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class hard_to_employ_recognition_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 可以申请认定为就业困难人员"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class hard_to_employ_recognition_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "就业困难人员认定：需要补充信息"

    def formula(person, period, parameters):
        return ~eligibility(person, period, parameters).known


class hard_to_employ_recognition_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "就业困难人员认定：缺少的信息"

    def formula(person, period, parameters):
        return core.Verdict(eligibility(person, period, parameters)).missing_text()


class hard_to_employ_recognition_categories(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "符合的就业困难人员类别（大龄失业人员、残疾人员、零就业家庭成员、失地农牧民、长期失业人员、就业困难的高校毕业生）"
    reference = "000 一(五)1; 003 就业困难人员认定(一)"

    def formula(person, period, parameters):
        tris = RULES.conditions_from_variables(person, period, parameters)
        out = np.full(person.count, "", dtype=object)
        for name, tri in category_tris(tris).items():
            label = CATEGORY_LABELS[name]
            out = np.where(tri.value, np.where(out == "", label, out + "、" + label), out)
        return out


CATEGORY_LABELS = {
    "older_unemployed": "大龄失业人员",
    "disabled": "残疾人员",
    "zero_employment": "零就业家庭成员",
    "landless": "失地农牧民",
    "long_term_unemployed": "长期失业人员",
    "graduate": "就业困难的高校毕业生",
}
