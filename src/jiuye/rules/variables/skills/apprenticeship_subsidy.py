"""企业新型学徒制培训补贴 — policy ``apprenticeship_subsidy`` (000 五(一)12; 003 职业技能培训 (一)10).

Paid to the enterprise, 6000 元 per apprentice per year. The apprentices are the enterprise's
``employee`` members with ``in_new_apprenticeship``. Per apprentice (checked cumulatively, see
``employee_helpers``): ``apprentice`` (in a 企业新型学徒制 programme of the enterprise);
``contract`` (labour contract of at least 1 year, or, for a newly hired dispatched worker, a
dispatch agreement of at least 2 years — "以上" includes the bound); ``training_agreement`` (the
enterprise signed a training agreement with the apprentice: "企业应与学徒签订培训协议");
``certificate`` (003, from 2022-09-01 only: the apprentice obtained an intermediate or senior
certificate — 技师 and 高级技师 are accepted too, an interpretation; 000 has no such condition).
The programme lasts 1-2 years (3 in special cases); the documents do not say how a multi-year
programme is paid, so the rules give the yearly amount. No window ("现阶段").
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Enterprise, Person
from jiuye.rules.enums import CertificateLevel
from jiuye.rules.variables.enterprise import employee_helpers as staff

MONTH = DateUnit.MONTH
POLICY = "apprenticeship_subsidy"
AMOUNT = "other_subsidies.apprenticeship_per_year"
CERTIFICATES = (
    CertificateLevel.intermediate,
    CertificateLevel.senior,
    CertificateLevel.technician,
    CertificateLevel.senior_technician,
)


def _person_conditions(person, period, parameters) -> dict[str, core.Tri]:
    n = person.count
    contract_months = core.param(parameters, period, f"{POLICY}.min_contract_months")
    dispatch_months = core.param(parameters, period, f"{POLICY}.min_dispatch_agreement_months")
    if contract_months is None or dispatch_months is None:
        contract = core.Tri.unknown(f"parameters/{POLICY}/min_contract_months", n)
    else:
        contract = core.any_of(
            core.check(person, "labour_contract_months", period, lambda m: m >= contract_months),
            core.check(person, "labour_dispatch_agreement_months", period, lambda m: m >= dispatch_months),
        )
    requires_certificate = core.param(parameters, period, f"{POLICY}.requires_certificate")
    if requires_certificate is None:
        certificate = core.Tri.unknown(f"parameters/{POLICY}/requires_certificate", n)
    elif requires_certificate:
        certificate = core.check(
            person, "certificate_level", period, lambda lv: np.logical_or.reduce([lv == item for item in CERTIFICATES])
        )
    else:
        certificate = core.Tri.const(True, n)
    return {
        "apprentice": core.fact(person, "in_new_apprenticeship", period),
        "contract": contract,
        "training_agreement": core.fact(person, "apprenticeship_agreement_signed", period),
        "certificate": certificate,
    }


person_conditions = staff.memoised(POLICY, _person_conditions)


def apprentice_qualifies(person, period, parameters) -> core.Tri:
    return core.all_of(*person_conditions(person, period, parameters).values())


RULES = core.PolicyRules(
    POLICY,
    Enterprise,
    staff.rule_conditions(POLICY, {
        "apprentice": "有职工参加本企业组织的企业新型学徒制培训",
        "contract": "学徒签订一年以上劳动合同（或新录用劳务派遣人员签订2年以上劳务派遣协议）",
        "training_agreement": "企业与学徒签订培训协议",
        "certificate": "学徒取得中、高级职业资格或技能等级证书（003 起；000 无此条件）",
    }, person_conditions),
    label="企业新型学徒制培训补贴",
)


def eligibility(enterprise, period, parameters) -> core.Tri:
    return RULES.eligibility(enterprise, period, parameters)


def verdict(enterprise, period, parameters) -> core.Verdict:
    n = enterprise.count
    amount = core.param(parameters, period, AMOUNT)
    apprentices = apprentice_qualifies(enterprise.members, period, parameters)
    computable = core.determined(core.parameter_known(amount, AMOUNT, n), staff.all_employees_known(enterprise, apprentices))
    return core.Verdict(eligibility(enterprise, period, parameters), computable)


# --- per employee ------------------------------------------------------------------------------
class apprenticeship_subsidy_employee_qualifies(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "该职工是符合补贴条件的新型学徒"

    def formula(person, period, parameters):
        return apprentice_qualifies(person, period, parameters).value


class apprenticeship_subsidy_employee_qualifies_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 该职工计入新型学徒制培训补贴"

    def formula(person, period, parameters):
        return apprentice_qualifies(person, period, parameters).known


# --- verdict -----------------------------------------------------------------------------------
class apprenticeship_subsidy_eligible(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "符合企业新型学徒制培训补贴条件 (definitely eligible)"
    reference = "000 五(一)12; 003 职业技能培训 (一)10"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).value


class apprenticeship_subsidy_eligible_known(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "是否已知: 企业新型学徒制培训补贴条件"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).known


class apprenticeship_subsidy_needs_information(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "企业新型学徒制培训补贴：需要补充信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).needs_information


class apprenticeship_subsidy_missing_information(Variable):
    value_type = str
    entity = Enterprise
    definition_period = MONTH
    label = "企业新型学徒制培训补贴：缺少的信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).missing_text()


class apprenticeship_subsidy_apprentices(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    label = "计入补贴的学徒人数（0 unless eligible）"

    def formula(enterprise, period, parameters):
        count = staff.count_employees(enterprise, apprentice_qualifies(enterprise.members, period, parameters))
        return np.where(eligibility(enterprise, period, parameters).value, count, 0)


class apprenticeship_subsidy_per_apprentice_per_year_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "新型学徒制培训补贴标准（分/学徒/年）"
    reference = "000 五(一)12; 003 职业技能培训 (一)10"

    def formula(enterprise, period, parameters):
        amount = core.param(parameters, period, AMOUNT)
        fen = core.yuan_to_fen(amount) if amount is not None else 0
        return np.where(eligibility(enterprise, period, parameters).value, fen, 0)


class apprenticeship_subsidy_amount_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "新型学徒制培训补贴每年金额（分）= 标准 × 学徒人数，支付到企业"

    def formula(enterprise, period, parameters):
        apprentices = enterprise("apprenticeship_subsidy_apprentices", period)
        return apprentices * enterprise("apprenticeship_subsidy_per_apprentice_per_year_fen", period)
