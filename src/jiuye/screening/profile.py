"""The facts of one person or one enterprise that screening takes: the published profile schema.

A profile is partial by design: a field that is not given is *unknown*, never false, and the rules
answer "needs information" where it matters. Every field has a Chinese ``title`` (and most a
``description``); unknown fields are an error naming the field (``extra="forbid"``).

Two variants, told apart by ``subject`` (default ``person``):

- :class:`PersonProfile` — an applicant, with optional household facts (spouse, 同一户口的成员);
- :class:`EnterpriseProfile` — an employer, with optional interns (见习人员).

Checks that need the evaluation date (born after it, a certificate dated after it …) are made by
:func:`check_profile`; :func:`parse_profile` runs both kinds and raises :class:`ProfileError`
naming each bad field (jiuye.screening.checks).

Each plain field maps to one input variable of the rules (``FIELDS``; money in 元 becomes fen,
the LPR in % becomes basis points). Inputs of the rules that no curated field covers (e.g. added by
a newer policy file) are added to the model automatically, titled with the variable's label.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Callable, Literal, Union

from openfisca_core.periods import DateUnit
from pydantic import (
    BaseModel, ConfigDict, Discriminator, Field, Tag, TypeAdapter, create_model, field_validator,
)

from jiuye.idcard import InvalidIdNumber, parse_id_number
from jiuye.knowledge.labels import chinese_part, labels
from jiuye.rules import build_system

# ---------------------------------------------------------------------------------------------
# Vocabulary

#: district key -> the rules' District enum item (兴安盟 本级 has no county: its minimum wage is unknown)
RULES_DISTRICT = {
    "乌兰浩特市": "ulanhot", "阿尔山市": "arxan", "科右前旗": "horqin_right_front",
    "科右中旗": "horqin_right_middle", "扎赉特旗": "jalaid", "突泉县": "tuquan",
}

Sex = Literal["male", "female"]
CertificateLevel = Literal["none", "junior", "intermediate", "senior", "technician", "senior_technician"]
TrainingCategory = Literal["none", "a", "b", "c"]
EnterpriseCategory = Literal["large", "medium", "small", "micro", "social_organisation"]

# The rules hold integers (counts, amounts in fen) as 32-bit numbers: a larger value is refused here,
# naming the field, instead of failing inside the simulation (found by tests/test_schemathesis.py).
RULES_INT_MAX = 2**31 - 1
NonNegInt = Annotated[int, Field(ge=0, le=RULES_INT_MAX)]
Years = Annotated[float, Field(ge=0, le=80, allow_inf_nan=False)]
Money = Annotated[Decimal, Field(ge=0, le=Decimal(RULES_INT_MAX) / 100, max_digits=14, decimal_places=2)]
Hours = Annotated[float, Field(ge=0, le=10000, allow_inf_nan=False)]

# Caps on every list (422 naming the field beyond them), so one request cannot hold the server:
# a household registration (户口) of more than 20 other members does not occur in practice; an
# application for 见习补贴 or 扩岗补助 names that year's interns / new hires, for which 500 is far
# above the league's enterprises (a larger list goes through the roster screening, jiuye batch).
# 500 employees and 500 interns screen in about 0.5 s and fit the 256 KiB body limit.
MAX_HOUSEHOLD_MEMBERS = 20
MAX_INTERNS = 500
MAX_EMPLOYEES = 500


def F(title: str, description: str | None = None, **kw) -> Any:  # noqa: N802 - a field factory
    """An optional field (default None = unknown) with its Chinese title."""
    return Field(default=None, title=title, description=description, **kw)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# ---------------------------------------------------------------------------------------------
# Shared validators


def _check_id(v: str | None) -> str | None:
    if v is None:
        return v
    try:
        return parse_id_number(v).number
    except InvalidIdNumber as exc:
        raise ValueError(f"身份证号无效：{exc}") from None


def _check_district(v: str | None) -> str | None:
    if v is None:
        return v
    from jiuye.screening import typed  # traditional characters, 兴安盟… prefixes, full names

    return typed.district(str(v), typed.district_names())


DISTRICT_DESCRIPTION = "兴安盟的旗县市或盟本级：乌兰浩特市、阿尔山市、科右前旗、科右中旗、扎赉特旗、突泉县、兴安盟（也可用常见叫法，如 科尔沁右翼中旗、扎旗）"


# ---------------------------------------------------------------------------------------------
# Household and interns


class HouseholdMember(Strict):
    """同一家庭户口内共同生活的另一名成员（用于零就业家庭、夫妻同时失业）。"""

    relation: Literal["spouse", "other"] = Field(default="other", title="与申请人的关系",
                                                 description="spouse 配偶 / other 其他共同生活成员")
    id_number: str | None = F("身份证号")
    sex: Sex | None = F("性别", "male 男 / female 女")
    birth_date: dt.date | None = F("出生日期")
    female_cadre_post: bool | None = F("女性管理或专业技术岗位（原法定退休年龄55周岁）")
    able_and_willing_to_work: bool | None = F("有劳动能力和就业要求")
    registered_unemployed: bool | None = F("已办理失业登记")
    is_unemployed: bool | None = F("目前没有工作（处于失业状态）")

    @field_validator("id_number")
    @classmethod
    def _valid_id_number(cls, v):
        return _check_id(v)


class Household(Strict):
    """家庭（同一家庭户口）情况。"""

    urban_registration: bool | None = F("城镇户籍（城镇居民家庭）")
    business_or_investment_income: bool | None = F("家庭有经营性、投资性收入")
    members: Annotated[list[HouseholdMember], Field(max_length=MAX_HOUSEHOLD_MEMBERS)] | None = F(
        "同一户口内共同生活的其他成员",
        "不含申请人本人。列出全部成员时，系统据此判断是否零就业家庭；配偶（relation: spouse）是否失业决定失业保险金 8% 的增发。",
    )


class Intern(Strict):
    """一名见习人员。"""

    id_number: str | None = F("身份证号")
    sex: Sex | None = F("性别")
    birth_date: dt.date | None = F("出生日期")
    age: Annotated[int, Field(ge=0, le=120)] | None = F("年龄（周岁）", "不知道出生日期时填写")
    college_graduate: bool | None = F("高校毕业生")
    college_leaving_date: dt.date | None = F("离校（毕业）日期")
    employed_since_leaving_college: bool | None = F("离校后曾经就业")
    is_unemployed: bool | None = F("见习前处于失业状态")
    internship_months: Annotated[int, Field(ge=0, le=60)] | None = F("见习期限（月）")

    @field_validator("id_number")
    @classmethod
    def _valid_id_number(cls, v):
        return _check_id(v)


# ---------------------------------------------------------------------------------------------
# Person


class PersonBase(Strict):
    """一个人的情况。只填知道的；没填的视为「不知道」，不会当作「否」。"""

    subject: Literal["person"] = Field(default="person", title="对象", description="person：个人")
    # --- identity
    id_number: str | None = F("身份证号", "18位居民身份证号码（GB 11643，含校验码）；可推出出生日期和性别")
    sex: Sex | None = F("性别", "male 男 / female 女")
    birth_date: dt.date | None = F("出生日期", "YYYY-MM-DD")
    age: Annotated[int, Field(ge=0, le=120)] | None = F("年龄（周岁）", "不知道出生日期时填写")
    female_cadre_post: bool | None = F("女性管理或专业技术岗位", "原法定退休年龄为55周岁的女性（其余女职工50周岁）")
    district: str | None = F("所在旗县市", DISTRICT_DESCRIPTION, examples=["扎赉特旗"])
    has_disability_certificate: bool | None = F("持有《中华人民共和国残疾人证》")
    severe_disability: bool | None = F("重度残疾")
    able_and_willing_to_work: bool | None = F("有劳动能力和就业要求")
    # --- employment
    is_unemployed: bool | None = F("目前没有工作（处于失业状态）", "未被用人单位招用，也未从事个体经营等")
    registered_unemployed: bool | None = F("已办理失业登记")
    involuntary_separation: bool | None = F("非因本人意愿中断就业", "如被解除劳动合同、劳动合同到期用人单位不续签等")
    job_seeking: bool | None = F("有求职要求")
    receiving_pension: bool | None = F("已按月领取基本养老金（享受基本养老保险待遇）")
    ui_stop_event: bool | None = F("有失业保险待遇停发情形", "应征服兵役、移居境外、被判刑收监执行，或无正当理由拒不接受介绍的工作或培训")
    hard_to_employ_certified: bool | None = F("已被认定为就业困难人员")
    is_enterprise_employee: bool | None = F("企业在职职工")
    flexibly_employed: bool | None = F("灵活就业（已办理灵活就业登记）")
    pays_si_as_flexible_worker: bool | None = F("以个人身份缴纳职工基本养老或医疗保险")
    si_contributions_paid: Money | None = F("以灵活就业人员身份实际缴纳的社会保险费（元）")
    # --- unemployment insurance
    contribution_years: Years | None = F("失业保险累计缴费年限（年）", "所在单位和本人按规定履行缴费义务的累计年数，可有小数，如 1.5")
    ui_contributing_now: bool | None = F("正在参加失业保险并正常缴费")
    ui_insured: bool | None = F("参加过失业保险并缴纳过失业保险费")
    ui_contribution_stop_date: dt.date | None = F("失业保险停保日期")
    receiving_ui_benefit: bool | None = F("正在领取失业保险金")
    ui_benefit_exhausted: bool | None = F("失业保险金已领取期满，仍未就业")
    ui_benefit_end_date: dt.date | None = F("失业保险待遇终止（期满）日期")
    ui_benefit_months_drawn: NonNegInt | None = F("本次已领取失业保险金的月数", "正在领取的，填已经领了几个月；还没有开始领取填 0")
    # --- certificates and training
    certificate_level: CertificateLevel | None = F(
        "新取得的职业资格证书或职业技能等级证书等级",
        "none 无 / junior 初级（五级）/ intermediate 中级（四级）/ senior 高级（三级）/ technician 技师（二级）/ senior_technician 高级技师（一级）",
    )
    certificate_date: dt.date | None = F("证书核发日期")
    certificate_already_subsidised: bool | None = F("同一职业（工种）同一等级已享受过技能提升补贴")
    skill_subsidy_claims_this_year: NonNegInt | None = F("本年度已享受技能提升补贴的次数")
    training_category: TrainingCategory | None = F("培训职业（工种）在自治区重点产业需求目录中的类别", "a / b / c；none 不在目录内")
    training_hours: Hours | None = F("实际培训课时")
    training_certificate_obtained: bool | None = F("培训后取得了相应证书", "职业资格、职业技能等级、专项职业能力、特种作业操作或培训合格证书")
    training_claims_this_year: NonNegInt | None = F("本年度已享受职业培训补贴的次数")
    training_same_occupation_level_claimed: bool | None = F("同一职业同一等级已享受过培训补贴")
    training_shortage_occupation: bool | None = F("培训的是急需紧缺职业", "健康照护师、养老护理员、家政服务员、育婴员、保育员（不受年龄限制）")
    training_days: NonNegInt | None = F("培训天数")
    rural_school_leaver_trainee: bool | None = F("两后生中的农村牧区学员")
    urban_dibao_household_member: bool | None = F("城市低保家庭成员")
    rural_low_income: bool | None = F("农村牧区低收入人口")
    rural_labour_with_training_certificate: bool | None = F("参加培训并取得培训合格证的农村牧区劳动力")
    # --- graduates
    college_graduate: bool | None = F("高校毕业生")
    college_leaving_date: dt.date | None = F("离校（毕业）日期", "已毕业的填离校日期；还在读的（毕业年度/毕业学年的应届生）填预计毕业日期，可以晚于评估日期")
    employed_since_leaving_college: bool | None = F("离校后曾经就业")
    # --- 就业困难人员认定
    urban_resident: bool | None = F("城镇常住人口（平时住在城镇）", "看常住的地方，不看户口所在地")
    local_residence_months: Annotated[int, Field(ge=0, le=1200)] | None = F("在常住地连续居住的月数")
    employee_si_years: Years | None = F("缴纳城镇职工养老或医疗保险的累计年限（年）", "可有小数，如 1.5")
    unemployment_registration_date: dt.date | None = F("本次失业登记的日期", "连续登记至今的这次失业登记的日期（见《就业创业证》）")
    land_requisitioned: bool | None = F("失地农牧民：被旗县级以上政府依法统一征地，完全失去原承包耕地或草场",
                                        "有县级以上政府开具的失地证明（土地征用证明）")
    land_compensation_above_ui_standard: bool | None = F("正在享受的征地补偿月标准高于当地失业保险金标准")
    college_full_time: bool | None = F("从全日制高等院校毕业")
    # --- start-ups
    poverty_alleviated_labour: bool | None = F("脱贫劳动力（原建档立卡贫困劳动力）")
    returning_home_founder: bool | None = F("返乡创业人员（含返乡创业农民工）")
    is_first_business: bool | None = F("首次创办小微企业或从事个体经营")
    business_registration_date: dt.date | None = F("所创办企业或个体工商户的登记注册日期")
    business_operating_normally: bool | None = F("所创办企业或个体工商户自登记注册之日起正常运营")
    veteran: bool | None = F("复员转业退役军人")
    released_prisoner: bool | None = F("刑满释放人员")
    overcapacity_worker: bool | None = F("化解过剩产能企业职工或失业人员")
    online_merchant: bool | None = F("网络商户")
    rural_self_employed_farmer: bool | None = F("农村自主创业农民")
    new_citizen: bool | None = F("新市民")
    has_other_loans: bool | None = F("本人或配偶有其他贷款", "助学、扶贫、住房、购车贷款和5万元以下小额消费贷款除外")
    self_employment_registered: bool | None = F("已进行个体经营就业登记")
    business_in_xing_an: bool | None = F("经营场所在兴安盟内")
    startup_partnership: bool | None = F("与其他符合条件的人合伙创业")
    in_poverty_area: bool | None = F("贷款适用贫困地区利率（LPR 上浮 250BP）")
    loan_lpr_percent: Annotated[Decimal, Field(ge=0, le=20, decimal_places=2)] | None = F(
        "贷款合同签订时的一年期LPR（%）", "如 3.65；不填则用评估日期当月的LPR")
    # --- wages and labour relations
    hourly_wage: Money | None = F("正常工作时间的小时工资（元）")
    overtime_hours_extended: Hours | None = F("工作日延长工作时间（小时）")
    overtime_hours_rest_day: Hours | None = F("休息日工作且未安排补休（小时）")
    overtime_hours_public_holiday: Hours | None = F("法定休假日工作（小时）")
    monthly_wage: Money | None = F("月工资（元）", "计算经济补偿的基数")
    months_of_service: Annotated[int, Field(ge=0, le=1200)] | None = F("在本单位工作的月数")
    de_facto_labour_relation: bool | None = F("未签书面劳动合同但形成了事实劳动关系")
    employer_terminated: bool | None = F("用人单位终止了劳动关系")
    wage_above_three_times_local_average: bool | None = F("月工资高于本地区上年度职工月平均工资三倍")
    # --- household
    has_spouse: bool | None = F("有配偶（已婚）")
    spouse_unemployed: bool | None = F("配偶同时失业", "夫妻双方同时失业的，失业保险金每人增发8%")
    household: Household | None = F("家庭（同一户口）情况")

    @field_validator("id_number")
    @classmethod
    def _valid_id_number(cls, v):
        return _check_id(v)
    @field_validator("district")
    @classmethod
    def _valid_district(cls, v):
        return _check_district(v)


# ---------------------------------------------------------------------------------------------
# Enterprise


class EnterpriseBase(Strict):
    """一个用人单位的情况。只填知道的；没填的视为「不知道」。"""

    subject: Literal["enterprise"] = Field(title="对象", description="enterprise：用人单位")
    district: str | None = F("所在旗县市", DISTRICT_DESCRIPTION)
    enterprise_category: EnterpriseCategory | None = F(
        "企业规模划型",
        "large 大型 / medium 中型 / small 小型 / micro 微型 / social_organisation 社会团体、基金会、社会服务机构、律师事务所、会计师事务所、以单位形式参保的个体工商户",
    )
    enterprise_ui_paid_years: Years | None = F("足额缴纳失业保险的年限（年）")
    ui_arrears: bool | None = F("欠缴失业保险费")
    on_dishonesty_list: bool | None = F("被列为失信惩戒对象（严重违法失信名单）")
    zombie_enterprise: bool | None = F("列入出清名单的僵尸企业")
    environmental_compliant: bool | None = F("符合当地环保政策")
    layoff_count: NonNegInt | None = F("上年度解除、终止劳动关系并领取失业保险金的人数")
    insured_headcount: NonNegInt | None = F("上年度月平均参保职工人数")
    ui_contributions_last_year: Money | None = F("企业及其职工上年度实际缴纳的失业保险费（元）")
    internship_retention_rate: Annotated[float, Field(ge=0, le=1)] | None = F("见习期满留用率（0–1）", "如 0.5 表示留用一半")
    current_employees: NonNegInt | None = F("现有在职职工人数")
    new_qualifying_hires: NonNegInt | None = F("当年新招用符合创业担保贷款申请条件的人数", "签订1年以上劳动合同并缴纳社会保险费")
    serious_violation_record: bool | None = F("有拖欠职工工资、欠缴社会保险费等严重违法违规信用记录")
    interns: Annotated[list[Intern], Field(max_length=MAX_INTERNS)] | None = F(
        "见习人员", "就业见习补贴按每名符合条件的见习人员计算")
    employees: Annotated[list[EnterpriseEmployee], Field(max_length=MAX_EMPLOYEES)] | None = F(  # noqa: F821 - defined below
        "职工（与政策相关的新招用人员等）", "每人一项；字段与个人情况相同（规则中的个人输入项），只填知道的")

    @field_validator("district")
    @classmethod
    def _valid_district(cls, v):
        return _check_district(v)


# ---------------------------------------------------------------------------------------------
# Mapping to the rules' inputs


@dataclass(frozen=True)
class FieldMap:
    variable: str
    convert: Callable[[Any], Any] = lambda v: v


def _fen(v) -> int:
    return int((Decimal(str(v)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _bp(v) -> int:
    return int((Decimal(str(v)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


PERSON_FIELDS: dict[str, FieldMap] = {
    name: FieldMap(name) for name in (
        "sex birth_date age female_cadre_post has_disability_certificate severe_disability able_and_willing_to_work "
        "is_unemployed registered_unemployed involuntary_separation job_seeking receiving_pension ui_stop_event "
        "hard_to_employ_certified is_enterprise_employee flexibly_employed pays_si_as_flexible_worker contribution_years "
        "ui_contributing_now ui_insured ui_contribution_stop_date receiving_ui_benefit ui_benefit_exhausted ui_benefit_end_date ui_benefit_months_drawn "
        "certificate_level certificate_date certificate_already_subsidised skill_subsidy_claims_this_year training_category "
        "training_hours training_certificate_obtained training_claims_this_year training_same_occupation_level_claimed "
        "training_shortage_occupation training_days rural_school_leaver_trainee urban_dibao_household_member rural_low_income "
        "rural_labour_with_training_certificate college_graduate college_leaving_date employed_since_leaving_college "
        "poverty_alleviated_labour returning_home_founder is_first_business business_registration_date "
        "business_operating_normally veteran released_prisoner overcapacity_worker online_merchant rural_self_employed_farmer "
        "new_citizen has_other_loans self_employment_registered business_in_xing_an startup_partnership in_poverty_area "
        "overtime_hours_extended overtime_hours_rest_day overtime_hours_public_holiday months_of_service "
        "de_facto_labour_relation employer_terminated wage_above_three_times_local_average spouse_unemployed "
        "urban_resident local_residence_months employee_si_years unemployment_registration_date land_requisitioned "
        "land_compensation_above_ui_standard college_full_time"
    ).split()
} | {
    "district": FieldMap("district", lambda v: RULES_DISTRICT.get(v)),
    "si_contributions_paid": FieldMap("si_contributions_paid_fen", _fen),
    "hourly_wage": FieldMap("hourly_wage_fen", _fen),
    "monthly_wage": FieldMap("monthly_wage_fen", _fen),
    "loan_lpr_percent": FieldMap("startup_loan_lpr_bp", _bp),
}
HOUSEHOLD_FIELDS = {
    "urban_registration": FieldMap("urban_household_registration"),
    "business_or_investment_income": FieldMap("household_business_or_investment_income"),
}
MEMBER_FIELDS = {n: FieldMap(n) for n in ("sex", "birth_date", "female_cadre_post", "able_and_willing_to_work",
                                          "registered_unemployed", "is_unemployed")}
INTERN_FIELDS = {n: FieldMap(n) for n in ("sex", "birth_date", "age", "college_graduate", "college_leaving_date",
                                          "employed_since_leaving_college", "is_unemployed", "internship_months")}
ENTERPRISE_FIELDS = {
    name: FieldMap(name) for name in (
        "enterprise_category enterprise_ui_paid_years ui_arrears on_dishonesty_list zombie_enterprise environmental_compliant "
        "layoff_count insured_headcount internship_retention_rate current_employees new_qualifying_hires serious_violation_record"
    ).split()
} | {"ui_contributions_last_year": FieldMap("ui_contributions_last_year_fen", _fen)}

# Person inputs that only make sense for somebody else in the simulation (an enterprise's intern).
NOT_PERSON_PROFILE_INPUTS = {"internship_months"}


def _auto_float(name: str) -> Any:
    """A plausible range for a numeric rules input without a curated field, read from its name: a rate
    or share 0–1, years 0–100, hours 0–10,000, anything else 0–10⁹; never infinite or NaN (1e308 or
    Infinity is a typing accident, not a fact about a person or a firm)."""
    if name.endswith(("_rate", "_share", "_ratio")):
        return Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
    if name.endswith("_years"):
        return Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
    if "_hours" in name:
        return Hours
    return Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]


def _auto_fields(entity_key: str, covered: set[str]) -> dict[str, tuple[Any, Any]]:
    """Optional fields for the rules' inputs of ``entity_key`` that no curated field covers."""
    tbs = build_system()
    fields: dict[str, tuple[Any, Any]] = {}
    for name, variable in sorted(tbs.variables.items()):
        if (variable.entity.key != entity_key or name.endswith("_known") or not variable.is_input_variable()
                or name in covered or name in NOT_PERSON_PROFILE_INPUTS):
            continue
        vt = variable.value_type
        if vt is bool:
            typ: Any = bool
        elif vt is int:
            typ = NonNegInt
        elif vt is float:
            typ = _auto_float(name)
        elif vt is dt.date:
            typ = dt.date
        elif vt is str:
            typ = str
        elif getattr(variable, "possible_values", None) is not None:
            typ = Literal[tuple(item.name for item in variable.possible_values)]  # type: ignore[misc]
        else:
            continue
        title = labels().name_document_codes(chinese_part(variable.label or "")) or name
        unit = "（分）" if name.endswith("_fen") and "（分）" not in title else ""
        fields[name] = (typ | None, Field(default=None, title=f"{title}{unit}",
                                          description=f"规则输入 {name}（自动加入）"))
    return fields


def _covered(fields: dict[str, FieldMap]) -> set[str]:
    return {m.variable for m in fields.values()}


EnterpriseEmployee = create_model(
    "EnterpriseEmployee", __base__=Strict, __doc__="用人单位的一名职工（如新招用的高校毕业生、就业困难人员）。",
    id_number=(str | None, Field(default=None, title="身份证号")),
    **{name: spec for name, spec in _auto_fields("person", set()).items()},
)
EnterpriseBase.model_rebuild(_types_namespace={"EnterpriseEmployee": EnterpriseEmployee})
EMPLOYEE_FIELDS = {name: FieldMap(name) for name in EnterpriseEmployee.model_fields if name != "id_number"}

PersonProfile = create_model(
    "PersonProfile", __base__=PersonBase, __doc__=PersonBase.__doc__,
    **_auto_fields("person", _covered(PERSON_FIELDS) | _covered(MEMBER_FIELDS) | _covered(INTERN_FIELDS)),
)
EnterpriseProfile = create_model(
    "EnterpriseProfile", __base__=EnterpriseBase, __doc__=EnterpriseBase.__doc__,
    **_auto_fields("enterprise", _covered(ENTERPRISE_FIELDS)),
)
AUTO_PERSON_FIELDS = set(PersonProfile.model_fields) - set(PersonBase.model_fields)
AUTO_ENTERPRISE_FIELDS = set(EnterpriseProfile.model_fields) - set(EnterpriseBase.model_fields)
for _name in AUTO_PERSON_FIELDS:
    PERSON_FIELDS[_name] = FieldMap(_name)
for _name in AUTO_ENTERPRISE_FIELDS:
    ENTERPRISE_FIELDS[_name] = FieldMap(_name)


def _subject_of(value: Any) -> str:
    if isinstance(value, dict):
        return value.get("subject", "person")
    return getattr(value, "subject", "person")


Profile = Annotated[
    Union[Annotated[PersonProfile, Tag("person")], Annotated[EnterpriseProfile, Tag("enterprise")]],  # type: ignore[valid-type]
    Discriminator(_subject_of),
    Field(title="情况（个人或用人单位）", description="subject 为 person（默认）或 enterprise；只填知道的，没填的视为不知道"),
]
ProfileAdapter: TypeAdapter = TypeAdapter(Profile)


def profile_json_schema() -> dict:
    """The JSON Schema of a profile, with Chinese titles."""
    schema = ProfileAdapter.json_schema()
    schema.setdefault("title", "情况（个人或用人单位）")
    return schema


def inputs_for_period(variable_name: str, month: str) -> str:
    """The period to give an input for: ETERNITY variables take any, others the month."""
    variable = build_system().variables[variable_name]
    if variable.definition_period == DateUnit.ETERNITY:
        return "ETERNITY"
    if variable.definition_period == DateUnit.YEAR:
        return month[:4]
    return month


__all__ = [
    "EnterpriseProfile", "Household", "HouseholdMember", "Intern", "PersonProfile", "Profile", "ProfileAdapter",
    "inputs_for_period", "profile_json_schema",
]
