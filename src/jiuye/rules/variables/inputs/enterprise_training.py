"""Inputs of 企业职工培训补贴 (enterprise_training_subsidy): about each trainee (the enterprise's
``employee`` members) and about the enterprise. Companions ``<name>_known`` are generated."""
from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from jiuye.rules.entities import Enterprise, Person
from jiuye.rules.enums import EnterpriseTrainingType

MONTH = DateUnit.MONTH


# --- each trainee -------------------------------------------------------------------------------
class enterprise_training_type(Variable):
    value_type = Enum
    possible_values = EnterpriseTrainingType
    default_value = EnterpriseTrainingType.none
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "参加的企业职工培训类型（岗前、在岗、转岗转业、特种作业和安全技能）"


class employment_key_group(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "属于就业重点群体（农村牧区转移就业劳动者、新生代农民工、两后生、下岗失业人员、退役军人、就业困难人员、残疾人）"


class enterprise_training_standard_fen(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "currency-CNY-fen"
    label = "补贴标准（按自治区目录，由人社部门核定）"
    documentation = "该职工本次培训的补贴标准（每人每次），按培训职业（工种）在自治区目录中的类别和培训课时，由人社部门核定；资料没有收录该目录。"


# --- the enterprise -----------------------------------------------------------------------------
class enterprise_in_difficulty(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "属于困难企业"


class high_risk_industry(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "属于化工、矿山等高危行业企业"


class annual_safety_training_accepted(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "企业技能岗位职工参加了年度安全技能培训，并经安全生产行政管理部门验收合格"


class annual_safety_training_participants(Variable):
    value_type = int
    entity = Enterprise
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "参加年度安全技能培训（验收合格）的技能岗位职工人数"
