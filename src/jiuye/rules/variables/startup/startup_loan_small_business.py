"""小微企业创业担保贷款 — policy ``startup_loan_small_business`` (000 四(一); 003 小微企业创业担保贷款).

Eligible: a small or micro enterprise whose new qualifying hires this year (with 1-year contracts
and social insurance) reach 15 % of its current staff (8 % above 100 staff); from 2022-09-01 also
no record of serious violations. Up to 300万 for up to 24 months; borrower pays LPR − 150BP.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Enterprise
from jiuye.rules.enums import EnterpriseCategory

MONTH = DateUnit.MONTH


def _params(parameters, period):
    p = core.param(parameters, period, "startup_loan")
    if p is None or core.param(parameters, period, "startup_loan.borrower_rate_offset_bp") is None:
        return None
    return p


def _unknown(enterprise) -> core.Tri:
    return core.Tri.unknown("parameters/startup_loan/borrower_rate_offset_bp", enterprise.count)


def _small(enterprise, period, parameters) -> core.Tri:
    if _params(parameters, period) is None:
        return _unknown(enterprise)
    return core.check(
        enterprise, "enterprise_category", period, lambda c: (c == EnterpriseCategory.small) | (c == EnterpriseCategory.micro)
    )


def _hiring(enterprise, period, parameters) -> core.Tri:
    """New qualifying hires reach 15 % of the current staff (8 % above 100 staff)."""
    p = _params(parameters, period)
    if p is None:
        return _unknown(enterprise)
    ratio = p.hiring_ratio
    staff = enterprise("current_employees", period)
    hires = enterprise("new_qualifying_hires", period)
    needed = np.where(staff > ratio.headcount_threshold, ratio.over_threshold, ratio.general)
    return core.based_on(
        core.knowns(enterprise, period, "current_employees", "new_qualifying_hires"),
        (staff > 0) & (hires >= needed * staff - 1e-9),
    )


def _no_violation(enterprise, period, parameters) -> core.Tri:
    p = _params(parameters, period)
    if p is None:
        return _unknown(enterprise)
    if not p.requirements.small_business_no_violation_record:
        return core.Tri.const(True, enterprise.count)
    return ~core.fact(enterprise, "serious_violation_record", period)


RULES = core.PolicyRules(
    "startup_loan_small_business",
    Enterprise,
    {
        "small_or_micro": ("小型或微型企业", _small),
        "hiring": ("当年新招用符合条件人员达到现有在职职工的15%（超过100人的企业8%）", _hiring),
        "no_violation": ("无拖欠职工工资、欠缴社会保险费等严重违法违规信用记录（003 起）", _no_violation),
    },
    label="小微企业创业担保贷款",
)


def eligibility(enterprise, period, parameters) -> core.Tri:
    return RULES.eligibility(enterprise, period, parameters)


def verdict(enterprise, period, parameters) -> core.Verdict:
    lpr = core.param(parameters, period, "general.lpr_one_year_bp")
    return core.Verdict(eligibility(enterprise, period, parameters), core.parameter_known(lpr, "general.lpr_one_year_bp", enterprise.count))


class startup_loan_small_business_eligible(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "符合小微企业创业担保贷款条件 (definitely eligible)"
    reference = "000 四(一)3; 003 小微企业创业担保贷款(二)"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).value


class startup_loan_small_business_eligible_known(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "是否已知: 小微企业创业担保贷款条件"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).known


class startup_loan_small_business_needs_information(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "小微企业创业担保贷款：需要补充信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).needs_information


class startup_loan_small_business_missing_information(Variable):
    value_type = str
    entity = Enterprise
    definition_period = MONTH
    label = "小微企业创业担保贷款：缺少的信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).missing_text()


class small_business_loan_max_amount_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "小微企业创业担保贷款最高额度（分）"
    reference = "000 四(一)4; 003 小微企业创业担保贷款(三)"

    def formula(enterprise, period, parameters):
        maximum = core.param(parameters, period, "startup_loan.small_business_max")
        fen = core.yuan_to_fen(maximum) if maximum is not None else 0
        return np.where(eligibility(enterprise, period, parameters).value, fen, 0)


class small_business_loan_max_term_months(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "month"
    label = "小微企业创业担保贷款最长期限（月）"

    def formula(enterprise, period, parameters):
        term = core.param(parameters, period, "startup_loan.max_term_months.small_business") or 0
        return np.where(eligibility(enterprise, period, parameters).value, term, 0)


class small_business_loan_borrower_rate_bp(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "basis-point"
    label = "借款企业承担的利率（基点）= 当月LPR − 150BP"

    def formula(enterprise, period, parameters):
        lpr = core.param(parameters, period, "general.lpr_one_year_bp")
        offset = core.param(parameters, period, "startup_loan.borrower_rate_offset_bp")
        value = lpr + offset if lpr is not None and offset is not None else 0
        return np.full(enterprise.count, value, dtype=np.int32)
