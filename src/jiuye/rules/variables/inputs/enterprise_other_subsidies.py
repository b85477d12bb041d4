"""Inputs about an enterprise needed by 一次性留工培训补助 and 以工代训补贴. Companions
``<name>_known`` are generated."""
from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules.entities import Enterprise

MONTH = DateUnit.MONTH


# --- epidemic situation ---------------------------------------------------------------------------
class pooling_area_had_risk_area(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "所在统筹地区2022年累计出现1个（含）以上中高风险疫情地区"


class epidemic_operations_suspended(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "因疫情影响暂时无法正常生产经营（生产经营暂时困难导致停工停业）"


class in_retention_training_industries(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "属于餐饮、零售、旅游、民航、公路水路铁路运输5个行业"


class pooling_area_ui_fund_reserve_years(Variable):
    value_type = float
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "year"
    label = "所在统筹地区上年度失业保险基金滚存结余备付期限（年）"


class insured_employees(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "参保职工人数（按每名参保职工计发的补助）"


# --- 以工代训 ------------------------------------------------------------------------------------
class work_based_trainees(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "当月实际开展以工代训人数"


class work_based_training_months_claimed(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "month"
    label = "已享受以工代训补贴的累计月数（未申请过为 0）"


class hired_key_groups_for_training(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "吸纳就业困难人员、零就业家庭成员、离校两年内高校毕业生、登记失业人员就业，并开展以工代训"


class in_work_based_training_industries(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "属于受疫情影响较大的住宿餐饮、文化旅游、交通运输、批发零售行业"


class pays_wages_and_si_despite_epidemic(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "2021年受疫情影响但仍为职工发放工资并缴纳社会保险费"


class revenue_drop_rate(Variable):
    value_type = float
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "/1"
    label = "2021年度企业月营业收入较2019年度或2020年度同期的下降比例（两者取较大者）"


class si_paid_in_region(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "在自治区范围内按规定缴纳社会保险费（含区外注册、职工在区内工作并在区内参保的企业）"
