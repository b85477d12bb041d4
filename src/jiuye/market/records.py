"""The two record contracts of the labour market: a job seeker (求职登记) and a post (招用人员简章).

One schema for every path: the pages and the API validate with it, the database stores it, the
spreadsheet import/export and `jiuye match` read and write it (`jiuye schema seeker` /
`jiuye schema posting` print the JSON Schema), and the matcher ranks over it. Money is in 元;
a wage has its unit (月 or 日). Places are a 旗县市 (data/districts.yaml, aliases accepted by the
loaders) and optionally a 苏木镇/街道. Occupations are codes of the national classification
(国家职业分类大典, data/market/occupations*) or, before resolution, the title the person typed.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Education = Literal["none", "primary", "junior", "senior", "secondary_vocational", "college", "bachelor", "master",
                    "doctor"]
EDUCATION_LABELS = {"none": "不限", "primary": "小学", "junior": "初中", "senior": "高中",
                    "secondary_vocational": "中专/技校", "college": "大专", "bachelor": "本科", "master": "硕士",
                    "doctor": "博士"}
WageUnit = Literal["month", "day", "piece", "hour"]
WAGE_UNIT_LABELS = {"month": "元/月", "day": "元/日", "piece": "元/件", "hour": "元/小时"}
KeyGroup = Literal["college_graduate", "hard_to_employ", "rural_migrant_worker", "veteran", "disabled",
                   "poverty_alleviated", "unemployed", "youth"]
KEY_GROUP_LABELS = {"college_graduate": "高校毕业生", "hard_to_employ": "就业困难人员",
                    "rural_migrant_worker": "农牧民工", "veteran": "退役军人", "disabled": "残疾人",
                    "poverty_alleviated": "脱贫劳动力", "unemployed": "失业人员", "youth": "青年"}
ContractType = Literal["fixed", "open_ended", "task", "part_time", "dispatch", "internship"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SeekerRecord(_Record):
    """求职登记: what a job seeker wants and brings. Personal identity (name, 身份证号, phone) is kept
    by the market service beside the record, masked in every list; the matcher never needs it."""
    id: str = Field(min_length=1, max_length=64, title="求职登记编号")
    desired_titles: list[str] = Field(default=[], max_length=10, title="想做的工作（自己的说法）")
    desired_occupations: list[str] = Field(default=[], max_length=10, title="想做的职业（大典编码）")
    districts: list[str] = Field(default=[], max_length=10, title="愿意工作的旗县市（空=不限）")
    towns: list[str] = Field(default=[], max_length=20, title="愿意工作的苏木镇/街道")
    willing_outside_league: bool = Field(default=False, title="是否愿意到盟外工作")
    expected_wage: float | None = Field(default=None, ge=0, le=1_000_000, title="期望工资（元）")
    expected_wage_unit: WageUnit = Field(default="month", title="期望工资单位")
    education: Education | None = Field(default=None, title="学历")
    skills: list[str] = Field(default=[], max_length=30, title="技能")
    certificates: list[str] = Field(default=[], max_length=20, title="证书（职业资格、技能等级、驾驶证等）")
    available_from: dt.date | None = Field(default=None, title="可以上岗的日期")
    birth_date: dt.date | None = Field(default=None, title="出生日期（只用于法定最低就业年龄和岗位年龄要求）")
    key_groups: list[KeyGroup] = Field(default=[], title="重点群体")
    college_leaving_date: dt.date | None = Field(
        default=None, title="离校（毕业）日期（高校毕业生填写；在读的填预计日期，用于政策找人）")
    consent_to_employers: bool = Field(default=False, title="是否同意用人单位查看本人求职信息")
    registered_on: dt.date | None = Field(default=None, title="登记日期")


class PostingRecord(_Record):
    """招用人员简章: one post of an employer (or of a licensed 人力资源服务机构 for a client)."""
    id: str = Field(min_length=1, max_length=64, title="岗位编号")
    employer_name: str = Field(min_length=1, max_length=200, title="用人单位名称")
    credit_code: str | None = Field(default=None, title="统一社会信用代码")
    agency_name: str | None = Field(default=None, max_length=200, title="代招的人力资源服务机构")
    title: str = Field(min_length=1, max_length=100, title="岗位名称")
    occupation_code: str | None = Field(default=None, title="职业（大典编码）")
    places: int = Field(default=1, ge=1, le=10_000, title="招用人数")
    duties: str = Field(default="", max_length=4000, title="工作内容")
    requirements: str = Field(default="", max_length=4000, title="任职要求")
    education_min: Education | None = Field(default=None, title="最低学历")
    required_certificates: list[str] = Field(default=[], max_length=10, title="必须持有的证书")
    min_age: int | None = Field(default=None, ge=16, le=100, title="最低年龄")
    max_age: int | None = Field(default=None, ge=16, le=100, title="最高年龄")
    wage_min: float | None = Field(default=None, ge=0, le=1_000_000, title="工资下限（元）")
    wage_max: float | None = Field(default=None, ge=0, le=1_000_000, title="工资上限（元）")
    wage_unit: WageUnit = Field(default="month", title="工资单位")
    working_hours: str = Field(default="", max_length=200, title="工作时间")
    social_insurance: bool | None = Field(default=None, title="是否缴纳社会保险")
    benefits: str = Field(default="", max_length=1000, title="福利待遇")
    district: str | None = Field(default=None, title="工作地点（旗县市）；盟外岗位为空")
    town: str | None = Field(default=None, max_length=50, title="苏木镇/街道")
    address: str = Field(default="", max_length=300, title="详细地址")
    outside_league: bool = Field(default=False, title="盟外岗位（劳务输出）")
    contract_type: ContractType | None = Field(default=None, title="用工形式")
    valid_through: dt.date | None = Field(default=None, title="有效期至")
    contact: str = Field(default="", max_length=100, title="联系人及电话")
    published_on: dt.date | None = Field(default=None, title="发布日期")
