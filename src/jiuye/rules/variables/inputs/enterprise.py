"""Inputs about an enterprise or other insured unit. Companions ``<name>_known`` are generated."""
from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules.entities import Enterprise
from jiuye.rules.enums import EnterpriseCategory

MONTH = DateUnit.MONTH


class enterprise_category(Variable):
    value_type = Enum
    possible_values = EnterpriseCategory
    default_value = EnterpriseCategory.large
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "企业规模划型 (size class, or social organisation treated as a small firm)"


class enterprise_ui_paid_years(Variable):
    value_type = float
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "year"
    label = "失业保险足额缴纳年限 (years of full UI contributions)"


class ui_arrears(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "欠缴失业保险费 (owes UI contributions)"


class on_dishonesty_list(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "被列为失信惩戒对象／列入严重违法失信黑名单"


class zombie_enterprise(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "列入出清名单的僵尸企业"


class environmental_compliant(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "符合当地环保政策"


class layoff_count(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "上年度解除、终止劳动关系并领取失业保险金人数"


class insured_headcount(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "上年度月平均参保职工人数 (average insured headcount)"


class ui_contributions_last_year_fen(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "currency-CNY-fen"
    label = "企业及其职工上年度实际缴纳失业保险费（分）"


class internship_retention_rate(Variable):
    value_type = float
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "/1"
    label = "见习人员见习期满留用率 (share of interns kept on)"


class current_employees(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "现有在职职工人数"


class new_qualifying_hires(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "当年新招用符合创业担保贷款申请条件的人员数量（签订1年以上劳动合同并缴纳社会保险费）"


class serious_violation_record(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "有拖欠职工工资、欠缴社会保险费等严重违法违规信用记录"
