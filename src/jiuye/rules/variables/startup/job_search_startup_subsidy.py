"""求职创业补贴 — policy ``job_search_startup_subsidy`` (000 一(九); 003 高校毕业生⑦).

Conditions (``job_search_startup_subsidy_cond_<c>``):
  - ``graduation_period``: the month falls in the graduate's graduation period — 000: 毕业年度, the
    calendar year of ``college_leaving_date``; 003 (from 2022-09-01): 毕业学年, the school year
    (1 September – 31 August, an interpretation) that contains the leaving date, which may be an
    expected date. 003 also admits 中等职业学校（含技工院校）毕业生 (``secondary_vocational_graduate``
    with ``secondary_vocational_leaving_date``); 000 only college graduates.
  - ``target_group``: from a 低保 family (urban or rural), a 贫困残疾人 family, a 建档立卡贫困 family
    (``poverty_alleviated_labour``, "脱贫劳动力（原建档立卡贫困劳动力 / 建档立卡贫困人口）"), a 特困人员,
    disabled (``has_disability_certificate``), or holding a national student loan.
  - ``seeking_job_or_startup``: 有就业创业意愿并积极求职创业.
Amount: 1500 元 (000 "每人每年", 003 "一次性"; the rules give one payment of 1500 元). No window is
stated. The school applies on the graduate's behalf (procedure, not a condition).
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH
POLICY = "job_search_startup_subsidy"
SCHOOL_YEAR_FIRST_MONTH = 9  # a school year runs from September to August (interpretation)


def _calendar_year(dates) -> np.ndarray:
    return core.month_index(dates) // 12


def _school_year(dates) -> np.ndarray:
    months = core.month_index(dates)
    year, month = months // 12, months % 12 + 1
    return np.where(month >= SCHOOL_YEAR_FIRST_MONTH, year, year - 1)


def graduation_period(person, period, parameters) -> core.Tri:
    n = person.count
    school_year = core.param(parameters, period, f"{POLICY}.school_year")
    vocational = core.param(parameters, period, f"{POLICY}.secondary_vocational_graduates")
    if school_year is None or vocational is None:
        return core.Tri.unknown(f"parameters/{POLICY}", n)
    year_of = _school_year if school_year else _calendar_year
    now = year_of(core.period_first_day(period))
    routes = [
        core.fact(person, "college_graduate", period)
        & core.check(person, "college_leaving_date", period, lambda d: year_of(d) == now)
    ]
    if vocational:
        routes.append(
            core.fact(person, "secondary_vocational_graduate", period)
            & core.check(person, "secondary_vocational_leaving_date", period, lambda d: year_of(d) == now)
        )
    return core.any_of(*routes)


def target_group(person, period, parameters) -> core.Tri:
    return core.any_of(
        core.fact(person, "dibao_household_member", period),
        core.fact(person, "poor_disabled_household_member", period),
        core.fact(person, "poverty_alleviated_labour", period),
        core.fact(person, "extreme_poverty_person", period),
        core.fact(person, "has_disability_certificate", period),
        core.fact(person, "national_student_loan", period),
    )


RULES = core.PolicyRules(
    POLICY,
    Person,
    {
        "graduation_period": ("处于毕业年度（000）／毕业学年（003）的高校毕业生（003 含中职毕业生）", graduation_period),
        "target_group": ("低保家庭、贫困残疾人家庭、建档立卡贫困家庭、特困人员，或残疾、获得国家助学贷款", target_group),
        "seeking_job_or_startup": (
            "有就业创业意愿并积极求职创业",
            lambda p, t, _: core.fact(p, "actively_seeking_job_or_startup", t),
        ),
    },
    label="求职创业补贴",
)


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


def verdict(person, period, parameters) -> core.Verdict:
    amount = core.param(parameters, period, "other_subsidies.job_search_startup")
    computable = core.parameter_known(amount, "other_subsidies.job_search_startup", person.count)
    return core.Verdict(eligibility(person, period, parameters), computable)


# --- verdict -----------------------------------------------------------------------------------
class job_search_startup_subsidy_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合求职创业补贴条件 (definitely eligible)"
    reference = "000 一(九); 003 高校毕业生⑦"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class job_search_startup_subsidy_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 求职创业补贴条件"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class job_search_startup_subsidy_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "求职创业补贴：需要补充信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class job_search_startup_subsidy_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "求职创业补贴：缺少的信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()


class job_search_startup_subsidy_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "求职创业补贴金额（分）"
    reference = "000 一(九); 003 高校毕业生⑦"

    def formula(person, period, parameters):
        amount = core.param(parameters, period, "other_subsidies.job_search_startup")
        fen = core.yuan_to_fen(amount) if amount is not None else 0
        return np.where(eligibility(person, period, parameters).value, fen, 0)
