"""企业职工培训补贴 — policy ``enterprise_training_subsidy`` (000 五(一)14; 003 职业技能培训 (一) 1–10).

Two routes (one is enough):

1. Trainees — the enterprise's ``employee`` members, each checked cumulatively (``employee_helpers``):
   ``trainee_training`` (took a 岗前 / 在岗 / 转岗转业 / 特种作业和安全技能 training: 003 (一)1),
   ``trainee_certificate`` (obtained a certificate afterwards: 003 (一)4 "在取得职业资格证书（或职业技能等级
   证书、专项职业能力证书、特种作业操作证书、培训合格证书，下同）后"), ``trainee_case`` (one of the cases whose
   share the documents state), ``trainee_claims`` (fewer than 3 training subsidies this year) and
   ``trainee_not_same_level`` (not the same occupation and level twice) — 000 五(一)14.
   Share of the 补贴标准 per trainee (the most favourable case applies — 推定（资料未写明）):
     - 全额 (``full_share``): newly hired 就业重点群体 in 岗前培训 (003 (一)4); 困难企业 staff in 岗前 (含特种作业
       人员安全培训), 在岗, 转岗转业 training (003 (一)5); 在岗/转岗 training with a 技师 or 高级技师 certificate
       (003 (一)6); 高危行业 staff in 特种作业 and 安全技能 training, "按…A类职业（工种）补贴标准" (003 (一)7:
       no share is written; the A-class standard in full is 推定（资料未写明）);
     - 70 % (``reduced_share``): other new hires in 岗前培训 (003 (一)4); 在岗/转岗 training with a 初级工,
       中级工 or 高级工 certificate (003 (一)6).
   Other trainings (e.g. 在岗培训 with only a 培训合格证书 in an enterprise not in difficulty) are left to
   "按相关规定" (003 (一)1): no stated case, so not eligible on this route.
2. Annual safety training (``annual_safety_training``): 企业技能岗位职工参加年度安全技能培训，经安全生产行政管理
   部门验收合格 — 200 元 per participant per year to the enterprise (003 (一)6). The yearly cap of 000
   五(一)14 is per person and per subsidy claim; this yearly lump per participant is not counted against it
   (推定（资料未写明）). A known count of 0 participants is not a case (no subsidy of 0 元).

Amount: the trainee part is share × 补贴标准 per trainee; the 补贴标准 depends on the occupation in the
autonomous region's catalogue and the hours, which the documents do not reproduce: it is the input
``enterprise_training_standard_fen`` (set by the office), and while unknown the amount "needs
information" (the safety part is then a lower bound). Shares and the 200 元 are 003's (from 2022-09-01).
No acceptance window: 000 五(一)14's "政策执行期限" gives only the yearly cap, 003 gives no date.
"""
import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules import core
from jiuye.rules.entities import Enterprise, Person
from jiuye.rules.enums import CertificateLevel, EnterpriseTrainingType as T
from jiuye.rules.variables.enterprise import employee_helpers as staff

MONTH = DateUnit.MONTH
POLICY = "enterprise_training_subsidy"
FULL = f"{POLICY}.full_share"
REDUCED = f"{POLICY}.reduced_share"
SAFETY = f"{POLICY}.annual_safety_per_participant"
MAX_CLAIMS = f"{POLICY}.max_claims_per_year"
STANDARD = "enterprise_training_standard_fen"
WORKER_LEVELS = (CertificateLevel.junior, CertificateLevel.intermediate, CertificateLevel.senior)
TECHNICIAN_LEVELS = (CertificateLevel.technician, CertificateLevel.senior_technician)


def _employer_fact(person, name: str, period) -> core.Tri:
    """An input of the person's enterprise, for each person."""
    known = person.enterprise(f"{name}_known", period)
    return core.Tri(person.enterprise(name, period), known, {name: ~known})


def _type_is(person, period, *types) -> core.Tri:
    return core.check(person, "enterprise_training_type", period, lambda t: np.logical_or.reduce([t == x for x in types]))


def _level_in(person, period, levels) -> core.Tri:
    return core.check(person, "certificate_level", period, lambda lv: np.logical_or.reduce([lv == x for x in levels]))


def _cases(person, period) -> tuple[core.Tri, core.Tri]:
    """(全额 case, 70 % case) per person."""
    pre = _type_is(person, period, T.pre_job)
    post = _type_is(person, period, T.in_post, T.job_transfer)
    special = _type_is(person, period, T.special_operations)
    key_group = core.fact(person, "employment_key_group", period)
    difficulty = _employer_fact(person, "enterprise_in_difficulty", period)
    high_risk = _employer_fact(person, "high_risk_industry", period)
    full = core.any_of(
        pre & key_group,
        (pre | post | special) & difficulty,
        post & _level_in(person, period, TECHNICIAN_LEVELS),
        special & high_risk,
    )
    reduced = core.any_of(pre & ~key_group, post & _level_in(person, period, WORKER_LEVELS))
    return full, reduced


def _case(person, period, parameters) -> core.Tri:
    """Some stated case applies (全额 or 70 %); a new hire in 岗前培训 is one whatever the group."""
    full, reduced = core.memo(person, period, ("cases", POLICY), lambda: _cases(person, period))
    pre = _type_is(person, period, T.pre_job)
    return pre | full | reduced


def _claims(person, period, parameters) -> core.Tri:
    cap = core.param(parameters, period, MAX_CLAIMS)
    if cap is None:
        return core.Tri.unknown(f"parameters/{MAX_CLAIMS.replace('.', '/')}", person.count)
    return core.check(person, "training_claims_this_year", period, lambda c: c < cap)


def _person_conditions(person, period, parameters) -> dict[str, core.Tri]:
    return {
        "trainee_training": _type_is(person, period, T.pre_job, T.in_post, T.job_transfer, T.special_operations),
        "trainee_certificate": core.fact(person, "training_certificate_obtained", period),
        "trainee_case": _case(person, period, parameters),
        "trainee_claims": _claims(person, period, parameters),
        "trainee_not_same_level": ~core.fact(person, "training_same_occupation_level_claimed", period),
    }


person_conditions = staff.memoised(POLICY, _person_conditions)


def trainee_qualifies(person, period, parameters) -> core.Tri:
    return core.all_of(*person_conditions(person, period, parameters).values())


def _safety(enterprise, period, parameters) -> core.Tri:
    accepted = core.fact(enterprise, "annual_safety_training_accepted", period)
    count = core.read(enterprise, "annual_safety_training_participants", period)
    known = core.read(enterprise, "annual_safety_training_participants_known", period)
    not_zero = core.Tri(~(known & (count <= 0)), np.ones(enterprise.count, dtype=bool))  # a known 0 is no case
    return accepted & not_zero


TRAINEE_LABELS = {
    "trainee_training": "有职工参加企业组织的岗前、在岗、转岗转业或特种作业、安全技能培训",
    "trainee_certificate": "职工培训后取得相应证书",
    "trainee_case": "属于资料写明补贴比例的情形（新录用职工岗前培训；困难企业职工；在岗、转岗培训取得初级工以上职业资格证书；高危行业特种作业和安全技能培训）",
    "trainee_claims": "职工本年度享受培训补贴不超过3次",
    "trainee_not_same_level": "同一职业同一等级未享受过培训补贴",
}

RULES = core.PolicyRules(
    POLICY,
    Enterprise,
    {
        **staff.rule_conditions(POLICY, TRAINEE_LABELS, person_conditions),
        "annual_safety_training": ("企业技能岗位职工参加年度安全技能培训，经安全生产行政管理部门验收合格", _safety),
    },
    combine=lambda c: c["trainee_not_same_level"] | c["annual_safety_training"],
    label="企业职工培训补贴",
)


def eligibility(enterprise, period, parameters) -> core.Tri:
    return RULES.eligibility(enterprise, period, parameters)


# --- amounts -------------------------------------------------------------------------------------
def _merged(*maps: dict) -> dict:
    """Missing-information masks of several facts, OR-ed name by name."""
    out: dict = {}
    for m in maps:
        for k, v in m.items():
            out[k] = out[k] | v if k in out else v
    return out


def share(person, period, parameters) -> tuple[np.ndarray, core.Tri]:
    """(share of the 补贴标准, 'is it known?') per person; 0 where no case applies."""
    full, reduced = core.memo(person, period, ("cases", POLICY), lambda: _cases(person, period))
    n = person.count
    full_share, reduced_share = core.param(parameters, period, FULL), core.param(parameters, period, REDUCED)
    value = np.where(full.value, float(full_share or 0), np.where(reduced.value, float(reduced_share or 0), 0.0))
    known = full.value | (full.known & reduced.known)
    params_known = np.where(full.value, full_share is not None, np.where(reduced.value, reduced_share is not None, True))
    missing = {k: v & ~known for k, v in _merged(full.missing, reduced.missing).items()}
    if full_share is None:
        missing[f"parameters/{FULL.replace('.', '/')}"] = full.value
    if reduced_share is None:
        missing[f"parameters/{REDUCED.replace('.', '/')}"] = reduced.value & ~full.value
    ok = known & params_known
    return value, core.Tri(ok, ok, missing)


def _trainee_amounts(person, period, parameters) -> tuple[np.ndarray, core.Tri]:
    """(share × 补贴标准 in fen per qualifying trainee, 'is it computable?' per person)."""
    def compute():
        qualifies = trainee_qualifies(person, period, parameters)
        value, share_known = share(person, period, parameters)
        standard = core.read(person, STANDARD, period).astype(np.float64)
        standard_known = core.read(person, f"{STANDARD}_known", period)
        fen = np.where(qualifies.value & standard_known, core.round_fen(value * standard), 0)
        need = qualifies.value
        ok = ~need | (share_known.value & standard_known)
        missing = {k: v & need for k, v in share_known.missing.items()}
        missing[STANDARD] = need & ~standard_known
        # a trainee not yet known to qualify may still add to the amount
        missing = _merged(qualifies.missing, missing)
        ok = ok & qualifies.known
        return fen, core.Tri(ok, ok, missing)

    return core.memo(person, period, ("trainee_amounts", POLICY), compute)


def safety_part(enterprise, period, parameters) -> tuple[np.ndarray, core.Tri]:
    n = enterprise.count
    per = core.param(parameters, period, SAFETY)
    met = _safety(enterprise, period, parameters)
    count = core.read(enterprise, "annual_safety_training_participants", period).astype(np.int64)
    count_known = core.read(enterprise, "annual_safety_training_participants_known", period)
    fen = np.where(met.value & count_known, np.maximum(count, 0) * (core.yuan_to_fen(per) if per is not None else 0), 0)
    ok = met.known & (~met.value | (count_known & (per is not None)))
    missing = dict(met.missing)
    missing["annual_safety_training_participants"] = met.value & ~count_known
    missing[f"parameters/{SAFETY.replace('.', '/')}"] = met.value & (per is None)
    return fen.astype(np.int64), core.Tri(ok, ok, missing)


def verdict(enterprise, period, parameters) -> core.Verdict:
    def compute():
        _fen, trainees_ok = _trainee_amounts(enterprise.members, period, parameters)
        listed = enterprise.nb_persons(staff.ROLE) > 0
        trainees = staff.all_employees_known(enterprise, trainees_ok)
        trainees = core.Tri(trainees.value & listed, trainees.value & listed,
                            {**trainees.missing, staff.MISSING_EMPLOYEES: ~listed})
        _s, safety_ok = safety_part(enterprise, period, parameters)
        return core.Verdict(eligibility(enterprise, period, parameters), core.determined(trainees, safety_ok))

    return core.memo(enterprise, period, ("verdict", POLICY), compute)


# --- per trainee ---------------------------------------------------------------------------------
class enterprise_training_subsidy_trainee_qualifies(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "该职工计入企业职工培训补贴"

    def formula(person, period, parameters):
        return trainee_qualifies(person, period, parameters).value


class enterprise_training_subsidy_trainee_qualifies_known(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "是否已知: 该职工计入企业职工培训补贴"

    def formula(person, period, parameters):
        return trainee_qualifies(person, period, parameters).known


class enterprise_training_subsidy_trainee_share(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "/1"
    label = "该职工的补贴比例（补贴标准的全额为 1，70% 为 0.7；不计入或未知为 0）"
    reference = "003 职业技能培训 (一)4–7"

    def formula(person, period, parameters):
        value, known = share(person, period, parameters)
        return np.where(trainee_qualifies(person, period, parameters).value & known.value, value, 0.0)


# --- verdict -------------------------------------------------------------------------------------
class enterprise_training_subsidy_eligible(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "符合企业职工培训补贴条件 (definitely eligible)"
    reference = "000 五(一)14; 003 职业技能培训 (一)"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).value


class enterprise_training_subsidy_eligible_known(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "是否已知: 企业职工培训补贴条件"

    def formula(enterprise, period, parameters):
        return eligibility(enterprise, period, parameters).known


class enterprise_training_subsidy_needs_information(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    label = "企业职工培训补贴：需要补充信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).needs_information


class enterprise_training_subsidy_missing_information(Variable):
    value_type = str
    entity = Enterprise
    definition_period = MONTH
    label = "企业职工培训补贴：缺少的信息"

    def formula(enterprise, period, parameters):
        return verdict(enterprise, period, parameters).missing_text()


def _count_share(enterprise, period, parameters, path: str) -> np.ndarray:
    value = core.param(parameters, period, path)
    shares = enterprise.members("enterprise_training_subsidy_trainee_share", period)
    if value is None:
        return np.zeros(enterprise.count, dtype=np.int32)
    hit = np.abs(shares - float(value)) < 1e-9
    return staff.sum_employees(enterprise, (hit & (shares > 0)).astype(np.int32)).astype(np.int32)


class enterprise_training_subsidy_full_share_trainees(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    label = "按补贴标准全额补贴的职工人数"

    def formula(enterprise, period, parameters):
        return _count_share(enterprise, period, parameters, FULL)


class enterprise_training_subsidy_reduced_share_trainees(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    label = "按补贴标准的70%补贴的职工人数"

    def formula(enterprise, period, parameters):
        return _count_share(enterprise, period, parameters, REDUCED)


class enterprise_training_subsidy_trainees_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "职工培训补贴（分）= Σ 补贴比例 × 补贴标准（只计补贴标准已知的职工）"

    def formula(enterprise, period, parameters):
        fen, _ok = _trainee_amounts(enterprise.members, period, parameters)
        return staff.sum_employees(enterprise, fen)


class enterprise_training_subsidy_safety_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "年度安全技能培训补贴（分/年）= 人均200元 × 参加培训人数"
    reference = "003 职业技能培训 (一)6"

    def formula(enterprise, period, parameters):
        fen, _ok = safety_part(enterprise, period, parameters)
        return fen


class enterprise_training_subsidy_amount_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    unit = "currency-CNY-fen"
    label = "企业职工培训补贴合计（分；需要补充信息时为已能确定的部分）"

    def formula(enterprise, period, parameters):
        total = enterprise("enterprise_training_subsidy_trainees_fen", period) + enterprise("enterprise_training_subsidy_safety_fen", period)
        return np.where(eligibility(enterprise, period, parameters).value, total, 0)
