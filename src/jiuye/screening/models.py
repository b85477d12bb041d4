"""The screening reply: Pydantic models, the contract of `jiuye screen --json` and POST /api/screen."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["eligible", "not_eligible", "needs_information", "window_closed"]


class SourceQuote(BaseModel):
    document: str | None = Field(default=None, description="资料编号：000（2021 百问百答）或 003（2022-09 手册）；官方网页等其他出处为 null")
    title: str | None = Field(default=None, description="出处的标题：资料的全称和日期，或官方文件的标题")
    section: str | None = Field(default=None, description="资料中的章节（问答编号）")
    quote: str | None = Field(default=None, description="原文（写出所用数字的那一句）；只指明章节时为 null")
    href: str | None = Field(default=None, description="官方出处的网址（资料以外的出处）")
    parameter: str | None = Field(default=None, description="规则参数路径（出处是该参数的依据时）")
    official: bool | None = Field(default=None, description="资料以外的出处：true 官方网站；false 转载（官方原文未找到）或工作人员录入")
    note: str | None = Field(default=None, description="资料以外的出处的说明：据转载，或由哪位工作人员何时在工作台录入")
    entered_by: str | None = Field(default=None, description="在工作台录入该数值的工作人员；不是录入的为 null")
    entered_at: str | None = Field(default=None, description="录入时间（北京时间）")


class ParameterSource(BaseModel):
    """Where a value used by a reason comes from, when it is not one of the two documents."""
    parameter: str = Field(description="规则参数路径")
    label: str = Field(description="参数的中文名称")
    value: float | int | None = Field(description="该日期适用的数值；资料没有给出时为 null")
    since: dt.date = Field(description="该数值的起始日期")
    text: str = Field(description="中文说明（已附在 text 之后）")
    title: str | None = Field(default=None, description="依据的文件或网页标题；工作人员录入的为其填写的依据")
    href: str | None = Field(default=None, description="网址")
    quote: str | None = Field(default=None, description="网页上载有该数值的原句")
    official: bool | None = Field(default=None, description="true：官方网站；false：转载（官方原文未找到）或工作人员录入")
    entered_by: str | None = Field(default=None, description="在工作台录入该数值的工作人员；不是录入的为 null")
    entered_at: str | None = Field(default=None, description="录入时间（北京时间）")


class Reason(BaseModel):
    condition: str | None = Field(default=None, description="规则中的条件名（<policy>_cond_<condition>）；说明性文字为 null")
    state: Literal["met", "not_met", "unknown", "info"] = Field(description="满足 / 不满足 / 不知道 / 说明")
    text: str = Field(description="中文说明，含所用数值、算式和出处（资料标题、章节、原文；或官方文件、转载、工作人员录入）")
    source: SourceQuote | None = Field(default=None, description="第一个出处（与 sources[0] 相同）")
    sources: list[SourceQuote] = Field(default=[], description="这句话的全部出处：条件的原文，以及每个数字所在的原文或参数的依据")
    references: list[ParameterSource] = Field(default=[], description="所用数值中不是出自两份资料的：公开文件（或转载）、工作人员录入，或资料没有给出")


class MissingFact(BaseModel):
    field: str = Field(description="情况表中的字段（可直接补充到 profile 中）")
    label: str = Field(description="中文名称")


class UnknownParameter(BaseModel):
    parameter: str = Field(description="规则参数路径")
    label: str = Field(description="资料没有给出该日期数值的参数")


class Figure(BaseModel):
    label: str
    value: float | int
    unit: str


class OnlineChannel(BaseModel):
    name: str
    url: str | None = None


class Channels(BaseModel):
    offline: list[str] = []
    online: list[OnlineChannel] = []


class Step(BaseModel):
    action: str
    office_level: str


class Contact(BaseModel):
    district: str
    office: str
    phone: str
    topic: str
    conflicting: bool = Field(description="同一旗县市同一事项，资料给出不止一个号码")
    documents: list[str]


class HowToApply(BaseModel):
    channels: Channels
    steps: list[Step] = []
    time_limits: list[str] = []
    contacts: list[Contact] = Field(description="所在旗县市（不知道时为盟本级）的咨询电话")
    hotline: str = "12333"
    note: str | None = None


class Check(BaseModel):
    text: str = Field(description="需要本人对照确认的条件（资料原文）")
    document: str | None = None


class WindowInfo(BaseModel):
    state: Literal["open", "closed", "not_yet_open", "no_window_stated"]
    start: dt.date | None = None
    end: dt.date | None = None
    kind: str | None = None
    document: str | None = None
    quote: str | None = None


class PolicyResult(BaseModel):
    policy: str = Field(description="政策编号")
    name: str = Field(description="名称")
    kind: Literal["computed", "eligibility", "service"] = Field(description="目录中的类型")
    computed: bool = Field(description="true：由规则计算；false：服务或信息事项，系统不作判断（status 为 needs_information 或 window_closed）")
    status: Status = Field(description="eligible 符合 / not_eligible 不符合 / needs_information 还需要信息 / window_closed 期限已过")
    amount: float | None = Field(default=None, description="金额（元，精确到分）；不知道或不适用时为 null（不是 0）")
    amount_fen: int | None = Field(default=None, description="同一金额，以分为单位的整数")
    amount_label: str | None = None
    unit: str | None = Field(default=None, description="金额单位，如 元/月、元、元/人/月")
    months: int | None = Field(default=None, description="可领取（或期限）月数，适用时给出")
    figures: list[Figure] = Field(default=[], description="其他数额（如第13至24个月标准、合计、利率）")
    reasons: list[Reason] = Field(description="每个条件满足 / 不满足 / 不知道的说明，含数值与原文")
    missing: list[MissingFact] = Field(description="能决定结果的、还不知道的情况（profile 字段）")
    unknown_parameters: list[UnknownParameter] = Field(default=[], description="资料没有给出该日期数值的规则参数")
    materials: list[str]
    how_to_apply: HowToApply
    checks_for_you: list[Check] = Field(description="需要本人对照确认的条件")
    window: WindowInfo


class ScreenResult(BaseModel):
    as_of: dt.date = Field(description="按哪一天判断")
    subject: Literal["person", "enterprise"]
    district: str | None = None
    summary: dict[str, int] = Field(description="各状态的政策数")
    results: list[PolicyResult] = Field(description="目录中每项政策一条")
