"""Inputs about a person. Each has a generated companion ``<name>_known`` (default False).

Every MONTH input may also be given for a year (it is then the same for each month).
"""
from datetime import date

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules.entities import Person
from jiuye.rules.enums import CertificateLevel, District, Sex, TrainingCategory

MONTH = DateUnit.MONTH
ETERNITY = DateUnit.ETERNITY
NO_DATE = date(1970, 1, 1)


# --- identity ------------------------------------------------------------------------------
class sex(Variable):
    value_type = Enum
    possible_values = Sex
    default_value = Sex.male
    entity = Person
    definition_period = ETERNITY
    label = "性别 (sex)"


class birth_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = ETERNITY
    label = "出生日期 (birth date)"


class female_cadre_post(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "女性管理和专业技术岗位，原法定退休年龄55周岁 (female cadre track)"


class district(Variable):
    value_type = Enum
    possible_values = District
    default_value = District.outside
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "所在旗县市 (county-level area)"


class has_disability_certificate(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "残疾人（持有《中华人民共和国残疾人证》）"


class severe_disability(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "重度残疾"


class able_and_willing_to_work(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "有劳动能力和就业要求"


# --- employment status -------------------------------------------------------------------------
class is_unemployed(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "处于无业状态，未被用人单位招用 (not in work)"


class registered_unemployed(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "已办理失业登记 (registered as unemployed)"


class involuntary_separation(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "非因本人意愿中断就业 (lost the job involuntarily)"


class job_seeking(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "有求职要求 (wants to work)"


class receiving_pension(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "享受基本养老保险待遇（按月领取养老金）(receives a pension)"


class ui_stop_event(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "停发情形：应征服兵役、移居境外、被判刑收监执行，或无正当理由拒不接受介绍的工作或培训"


class hard_to_employ_certified(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "已认定为就业困难人员 (certified hard-to-employ)"


class is_enterprise_employee(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "企业在职职工 (employed by an enterprise)"


class flexibly_employed(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "灵活就业 (flexibly employed, registered as such)"


class pays_si_as_flexible_worker(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "以个人身份缴纳职工养老或医疗保险 (pays employee pension or medical insurance as an individual)"


class si_contributions_paid_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "currency-CNY-fen"
    label = "灵活就业人员实际缴纳的社会保险费（分）(social-insurance contributions paid, fen)"


# --- unemployment insurance --------------------------------------------------------------------
class contribution_years(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "year"
    label = "失业保险累计缴费年限（所在单位和本人按规定履行缴费义务）(cumulative UI contribution years)"


class ui_contributing_now(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "依法参加失业保险且申请期间正常缴费 (currently contributing to UI)"


class ui_insured(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "依法参加失业保险并缴纳过失业保险费 (insured, has contributed)"


class ui_contribution_stop_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "停保日期 (date UI contributions stopped)"


class receiving_ui_benefit(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "正在领取失业保险金 (currently receiving UI benefit)"


class ui_benefit_exhausted(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "领取失业保险金期满仍未就业 (UI benefit ran out, still unemployed)"


class ui_benefit_months_drawn(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "month"
    label = "本次已领取失业保险金的月数 (months of UI benefit already drawn in the current entitlement)"


class ui_benefit_end_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "失业保险待遇终止（期满）日期 (date the UI benefit ended)"


# --- certificates and training -----------------------------------------------------------------
class certificate_level(Variable):
    value_type = Enum
    possible_values = CertificateLevel
    default_value = CertificateLevel.none
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "新取得的职业资格证书或职业技能等级证书等级（可在全国联网查询系统查询）"


class certificate_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "证书核发日期 (certificate issue date)"


class certificate_already_subsidised(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "同一职业（工种）同一等级已享受过技能提升补贴"


class skill_subsidy_claims_this_year(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "本年度已享受技能提升补贴次数"


class training_category(Variable):
    value_type = Enum
    possible_values = TrainingCategory
    default_value = TrainingCategory.none
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "培训职业（工种）在自治区重点产业需求目录中的类别"


class training_hours(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "hour"
    label = "实际培训课时"


class training_certificate_obtained(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "培训后取得相应证书（职业资格、职业技能等级、专项职业能力、特种作业操作或培训合格证书）"


class training_claims_this_year(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "本年度已享受职业培训补贴次数"


class training_same_occupation_level_claimed(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "同一职业同一等级已享受过培训补贴"


class training_shortage_occupation(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "急需紧缺职业（健康照护师、养老护理员、家政服务员、育婴员、保育员），不受年龄限制"


class training_days(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "day"
    label = "培训天数"


class rural_school_leaver_trainee(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "两后生中的农村牧区学员"


class urban_dibao_household_member(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "城市低保家庭成员"


class rural_low_income(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "农村牧区低收入人口（003）"


class rural_labour_with_training_certificate(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "参加培训并取得培训合格证的农村牧区劳动力（000）"


# --- graduates -----------------------------------------------------------------------------
class college_graduate(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "高校毕业生 (college graduate)"


class college_leaving_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = ETERNITY
    label = "离校（毕业）日期 (date left college)"


class employed_since_leaving_college(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "离校后曾经就业 (has worked since leaving college)"


# --- start-ups -------------------------------------------------------------------------------
class poverty_alleviated_labour(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "脱贫劳动力（原建档立卡贫困劳动力 / 建档立卡贫困人口）"


class returning_home_founder(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "返乡创业人员（含返乡创业农民工）"


class is_first_business(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "首次创办小微企业或从事个体经营"


class business_registration_date(Variable):
    value_type = date
    default_value = NO_DATE
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "所创办企业或个体工商户登记注册日期"


class business_operating_normally(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "所创办企业或个体工商户自登记注册之日起正常运营"


class veteran(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "复员转业退役军人"


class released_prisoner(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "刑满释放人员"


class overcapacity_worker(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "化解过剩产能企业职工和失业人员"


class online_merchant(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "网络商户"


class rural_self_employed_farmer(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "农村自主创业农民"


class new_citizen(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "新市民（003 起为贷款对象）"


class has_other_loans(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "本人及其配偶有其他贷款（助学、扶贫、住房、购车贷款和5万元以下小额消费贷款除外）"


class self_employment_registered(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "已进行个体经营就业登记"


class business_in_xing_an(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "经营场所在兴安盟内"


class startup_partnership(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "与其他符合条件的借款人合伙创业"


class in_poverty_area(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "贷款适用贫困地区利率（LPR上浮250BP）"


# --- internship ------------------------------------------------------------------------------
class internship_months(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "month"
    label = "见习期限（月）"


# --- wages -----------------------------------------------------------------------------------
class hourly_wage_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "currency-CNY-fen"
    label = "正常工作时间小时工资（分）"


class overtime_hours_extended(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "hour"
    label = "延长工作时间（小时）"


class overtime_hours_rest_day(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "hour"
    label = "休息日工作且不能安排补休（小时）"


class overtime_hours_public_holiday(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "hour"
    label = "法定休假日工作（小时）"


class monthly_wage_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "currency-CNY-fen"
    label = "月工资（分），经济补偿的计算基数"


class months_of_service(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "month"
    label = "在本单位工作年限（月）"


class de_facto_labour_relation(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "未签订劳动合同但形成事实劳动关系"


class employer_terminated(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "用人单位终止劳动关系"


class wage_above_three_times_local_average(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "月工资高于本地区上年度职工月平均工资三倍"
