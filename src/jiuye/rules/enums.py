"""Enumerations used by input variables."""
from __future__ import annotations

from openfisca_core.indexed_enums import Enum


class Sex(Enum):
    male = "男 (male)"
    female = "女 (female)"


class District(Enum):
    """兴安盟's six county-level areas, and anywhere else."""

    ulanhot = "乌兰浩特市"
    arxan = "阿尔山市"
    horqin_right_front = "科尔沁右翼前旗（科右前旗）"
    horqin_right_middle = "科尔沁右翼中旗（科右中旗）"
    jalaid = "扎赉特旗"
    tuquan = "突泉县"
    outside = "兴安盟以外"


class CertificateLevel(Enum):
    """职业资格证书或职业技能等级证书的等级."""

    none = "无证书"
    junior = "初级（五级）"
    intermediate = "中级（四级）"
    senior = "高级（三级）"
    technician = "技师（二级）"
    senior_technician = "高级技师（一级）"


class TrainingCategory(Enum):
    """自治区重点产业需求目录中职业（工种）的类别."""

    none = "不在目录内"
    a = "A 类"
    b = "B 类"
    c = "C 类"


class EnterpriseCategory(Enum):
    """企业规模划型, or a unit that the rules treat like a small firm."""

    large = "大型企业"
    medium = "中型企业"
    small = "小型企业"
    micro = "微型企业"
    social_organisation = "社会团体、基金会、社会服务机构、律师事务所、会计师事务所、以单位形式参保的个体工商户"


class EnterpriseTrainingType(Enum):
    """企业组织职工参加的培训 (003 职业技能培训 (一) 1, 4–7)."""

    none = "未参加企业组织的培训"
    pre_job = "岗前培训（新录用职工）"
    in_post = "在岗培训、岗位技能提升培训"
    job_transfer = "转岗转业培训"
    special_operations = "特种作业人员培训、安全技能培训"
