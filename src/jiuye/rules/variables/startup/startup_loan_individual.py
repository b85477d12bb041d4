"""个人创业担保贷款 — policy ``startup_loan_individual`` (000 四(一); 003 个人创业担保贷款).

Eligible: in one of the target groups (新市民 from 2022-09-01); neither the borrower nor the spouse
has another loan (apart from the exempt kinds); from 2022-09-01 also registered as self-employed and
doing business in 兴安盟. Loans from 2021-01-01 (the LPR-150BP rule); earlier dates are not covered.
Outputs: maximum amount (20万; with a partnership of qualifying borrowers up to 10 % more, i.e.
22万 per qualifying partner), maximum term (36 months), and the interest terms in basis points:
the borrower pays LPR − 150BP, the loan rate is LPR + 150BP (LPR + 250BP in poverty areas, 003),
the rest is the fiscal interest subsidy. The LPR is the parameter in force at the period unless
``startup_loan_lpr_bp`` (the LPR of the loan contract) is given.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Person

MONTH = DateUnit.MONTH

TARGET_GROUPS = [
    "registered_unemployed",  # 城镇登记失业人员
    "hard_to_employ_certified",  # 就业困难人员（含残疾人）
    "has_disability_certificate",
    "veteran",  # 复员转业退役军人
    "released_prisoner",  # 刑满释放人员
    "college_graduate",  # 高校毕业生（含大学生村官和留学回国学生）
    "overcapacity_worker",  # 化解过剩产能企业职工和失业人员
    "returning_home_founder",  # 返乡创业农民工
    "online_merchant",  # 网络商户
    "poverty_alleviated_labour",  # 建档立卡贫困人口
    "rural_self_employed_farmer",  # 农村自主创业农民
]


def _params(parameters, period):
    p = core.param(parameters, period, "startup_loan")
    if p is None or core.param(parameters, period, "startup_loan.borrower_rate_offset_bp") is None:
        return None
    return p


def _unknown(person) -> core.Tri:
    return core.Tri.unknown("parameters/startup_loan/borrower_rate_offset_bp", person.count)


def _target_group(person, period, parameters) -> core.Tri:
    p = _params(parameters, period)
    if p is None:
        return _unknown(person)
    groups = [core.fact(person, name, period) for name in TARGET_GROUPS]
    if p.requirements.new_citizens_eligible:
        groups.append(core.fact(person, "new_citizen", period))
    return core.any_of(*groups)


def _required(requirement: str, variable: str):
    """A fact the rules require only where ``startup_loan.requirements.<requirement>`` is true."""
    def condition(person, period, parameters) -> core.Tri:
        p = _params(parameters, period)
        if p is None:
            return _unknown(person)
        if not p.requirements[requirement]:
            return core.Tri.const(True, person.count)
        return core.fact(person, variable, period)
    return condition


def _no_other_loans(person, period, parameters) -> core.Tri:
    return _unknown(person) if _params(parameters, period) is None else ~core.fact(person, "has_other_loans", period)


RULES = core.PolicyRules(
    "startup_loan_individual",
    Person,
    {
        "target_group": ("属于创业担保贷款对象（城镇登记失业人员、就业困难人员、高校毕业生、返乡创业农民工等）", _target_group),
        "no_other_loans": ("本人及其配偶没有其他贷款（助学、扶贫、住房、购车和5万元以下小额消费贷款除外）", _no_other_loans),
        "self_employment_registered": ("已进行个体经营就业登记（003 起）", _required("self_employment_registration", "self_employment_registered")),
        "business_in_xing_an": ("经营场所在兴安盟内（003 起）", _required("business_in_xing_an", "business_in_xing_an")),
    },
    label="个人创业担保贷款",
)


def eligibility(person, period, parameters) -> core.Tri:
    return RULES.eligibility(person, period, parameters)


def lpr_tri(person, period) -> core.Tri:
    known = person("startup_loan_lpr_bp_known", period)
    return core.Tri(known, known, {"startup_loan_lpr_bp": ~known})


def verdict(person, period, parameters) -> core.Verdict:
    def compute():
        partnership = core.fact(person, "startup_partnership", period)
        return core.Verdict(eligibility(person, period, parameters), core.determined(partnership, lpr_tri(person, period)))

    return core.memo(person, period, ("verdict", RULES.policy), compute)


class startup_loan_individual_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合个人创业担保贷款条件 (definitely eligible)"
    reference = "000 四(一)3; 003 个人创业担保贷款(一)(二)"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).value


class startup_loan_individual_eligible_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 个人创业担保贷款条件"

    def formula(person, period, parameters):
        return eligibility(person, period, parameters).known


class startup_loan_individual_needs_information(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "个人创业担保贷款：需要补充信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).needs_information


class startup_loan_individual_missing_information(Variable):
    value_type = str
    entity = Person
    definition_period = MONTH
    label = "个人创业担保贷款：缺少的信息"

    def formula(person, period, parameters):
        return verdict(person, period, parameters).missing_text()


class startup_loan_max_amount_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "个人创业担保贷款最高额度（分；合伙创业为每名符合条件合伙人的额度）"
    reference = "000 四(一)4; 003 个人创业担保贷款(三)1"

    def formula(person, period, parameters):
        maximum = core.param(parameters, period, "startup_loan.individual_max")
        uplift = core.param(parameters, period, "startup_loan.partnership_uplift_rate") or 0
        if maximum is None:
            return np.zeros(person.count, dtype=np.int32)
        partnership = core.fact(person, "startup_partnership", period).value
        amount = core.round_fen(maximum * 100 * (1 + uplift * partnership))
        return np.where(eligibility(person, period, parameters).value, amount, 0)


class startup_loan_max_term_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "month"
    label = "个人创业担保贷款最长期限（月）"
    reference = "000 四(一)5; 003 个人创业担保贷款(三)2"

    def formula(person, period, parameters):
        term = core.param(parameters, period, "startup_loan.max_term_months.individual") or 0
        return np.where(eligibility(person, period, parameters).value, term, 0)


class startup_loan_lpr_bp(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "basis-point"
    label = "贷款适用的一年期LPR（基点）：默认为当月第一天的LPR，可输入贷款合同签订时的LPR"

    def formula(person, period, parameters):
        lpr = core.param(parameters, period, "general.lpr_one_year_bp")
        return np.full(person.count, lpr if lpr is not None else 0, dtype=np.int32)


class startup_loan_lpr_bp_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 贷款适用的LPR"

    def formula(person, period, parameters):
        return np.full(person.count, core.param(parameters, period, "general.lpr_one_year_bp") is not None)


class startup_loan_borrower_rate_bp(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "basis-point"
    label = "借款人承担的利率（基点）= LPR − 150BP"
    reference = "000 四(一)6; 003 个人创业担保贷款(四)2"

    def formula(person, period, parameters):
        offset = core.param(parameters, period, "startup_loan.borrower_rate_offset_bp")
        lpr = person("startup_loan_lpr_bp", period)
        known = person("startup_loan_lpr_bp_known", period) & (offset is not None)
        return np.where(known, lpr + (offset or 0), 0)


class borrower_interest_rate(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "percent"
    label = "借款人承担的年利率（%），由 startup_loan_borrower_rate_bp 换算，供展示"

    def formula(person, period, parameters):
        return person("startup_loan_borrower_rate_bp", period) / 100


class startup_loan_lending_rate_bp(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "basis-point"
    label = "贷款利率（基点）= LPR + 150BP（贫困地区 + 250BP）（003 起）"
    reference = "003 个人创业担保贷款(四)1"

    def formula(person, period, parameters):
        offsets = core.param(parameters, period, "startup_loan.lending_rate_offset_bp")
        if offsets is None:
            return np.zeros(person.count, dtype=np.int32)
        poor = person("in_poverty_area", period)
        known = person("startup_loan_lpr_bp_known", period) & person("in_poverty_area_known", period)
        rate = person("startup_loan_lpr_bp", period) + np.where(poor, offsets.poor_area, offsets.non_poor_area)
        return np.where(known, rate, 0)


class startup_loan_interest_subsidy_bp(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    unit = "basis-point"
    label = "财政贴息利率（基点）= 贷款利率 − 借款人承担利率（003 起）"
    reference = "003 个人创业担保贷款(四)2"

    def formula(person, period, parameters):
        lending = person("startup_loan_lending_rate_bp", period)
        borrower = person("startup_loan_borrower_rate_bp", period)
        return np.where((lending > 0) & (borrower > 0), lending - borrower, 0)
