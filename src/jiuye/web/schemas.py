"""Pydantic models of the API's replies: the contract published in the OpenAPI document."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class WindowOut(BaseModel):
    state: Literal["open", "closed", "not_yet_open", "no_window_stated"] = Field(
        description="期限状态：受理中 / 已截止 / 未开始 / 资料未载明期限")
    start: str | None = None
    end: str | None = None
    kind: str | None = None
    document: str | None = None
    quote: str | None = None


class PolicySummaryOut(BaseModel):
    id: str
    name: str = Field(description="名称")
    for_: list[str] = Field(alias="for", description="对象：person 个人 / enterprise 单位")
    kind: str = Field(description="computed 可计算 / eligibility 资格判断 / service 服务事项")
    target_groups: list[str]
    gives: str
    window: WindowOut
    warnings: int = Field(description="资料核查提示条数")


class PolicyListOut(BaseModel):
    as_of: str
    count: int
    policies: list[PolicySummaryOut]


class ContactSourceOut(BaseModel):
    document: str
    table: str
    section: str


class ContactOut(BaseModel):
    district: str
    office: str
    topic: str
    topic_label: str
    phone: str
    sources: list[ContactSourceOut]
    conflicting: bool = Field(description="同一旗县市同一事项，资料给出不止一个号码")
    not_in_league: bool
    newest_document: str


class ContactsOut(BaseModel):
    district: str | None
    topic: str | None
    contacts: list[ContactOut]
    hotline: dict[str, str]


class FindingOut(BaseModel):
    id: str
    kind: str
    severity: str
    title: str
    explanation: str
    policies: list[str]
    quotes: list[dict[str, Any]]
    computed: bool


class AuditOut(BaseModel):
    as_of: str
    count: int
    findings: list[FindingOut]


class PolicyDetailOut(BaseModel):
    """A catalogue entry with its window as of the date, audit warnings, contacts and Q&A ids."""
    model_config = {"extra": "allow"}
    id: str
    name: str
    as_of: str
    window: WindowOut
    warnings: list[FindingOut]
    contacts: list[ContactOut]
    entries: list[str]


class EntryOut(BaseModel):
    id: str
    document: str
    date: str
    kind: str
    section: str
    number: int | None
    question: str
    answer: str
    tags: list[str]
    policies: list[str]


class ErrorOut(BaseModel):
    field: str
    value: str
    message: str
    suggestions: list[str]


class ErrorReplyOut(BaseModel):
    """404 / 422 of the catalogue routes: an unknown name, with the nearest known ones."""
    detail: ErrorOut


class MessageOut(BaseModel):
    """The detail of a refusal: a Chinese message, often the field it concerns and more (e.g. the moves allowed)."""
    model_config = {"extra": "allow"}
    message: str = Field(description="中文说明")
    field: str | None = Field(default=None, description="涉及的字段")


class MessageReplyOut(BaseModel):
    detail: MessageOut


class AnswerOut(BaseModel):
    id: str
    question: str
    text: str = Field(description="原文（已清理换行、页码）")
    document: str
    document_title: str
    section: str
    date: str
    score: float
    policies: list[str]
    figures: list[str] = Field(description="原文中的要点数字")
    stale: bool = Field(description="相关政策的期限在 as_of 之前已结束")
    stale_reason: str | None


class ReferralSourceOut(BaseModel):
    basis: str = Field(description="documents：资料原文；public_knowledge：公开信息（不在两份资料中）")
    basis_label: str
    document: str | None = None
    quote: str | None = None
    note: str | None = None


class ReferralOut(BaseModel):
    """Where to ask when the documents do not answer (data/ask/referrals.yaml)."""
    id: str
    name: str
    phone: str | None = None
    sources: list[ReferralSourceOut]
    contacts: list[ContactOut] = Field(default_factory=list, description="资料所印的、所在旗县市的对口电话")


class SisterOut(BaseModel):
    """Another aspect of the top answer's policy (申请条件 → 申请材料、办理流程、标准、期限 …)."""
    aspect: str = Field(description="方面：定义、条件、材料、办理、线上、标准、期限、停发")
    label: str = Field(description="给用户看的名称，如「申请材料」")
    id: str = Field(description="条目编号：GET /api/entries/{id}；网页 /ask?entry={id}")
    question: str
    section: str
    document: str


class RelatedOut(BaseModel):
    """A passage of the policy asked about, when the documents do not state the detail asked (reason detail_not_stated)."""
    id: str = Field(description="条目编号：GET /api/entries/{id}；网页 /ask?entry={id}")
    question: str
    section: str
    document: str


class ServiceItemOut(BaseModel):
    title: str
    detail: str
    url: str = Field(description="本站链接，如 /jobs/12")


class ServiceOut(BaseModel):
    """Live results of a service the question asks for (岗位、打工直通车、零工、招聘会、培训、创业项目)."""
    intent: str = Field(description="jobs 招聘岗位；dagong 打工直通车；gig 零工市场；fairs 招聘会；training 培训课程；startup 创业项目")
    label: str
    query: str = Field(description="去掉问法后用来查找的词，如「电焊」")
    live: bool = Field(description="true：下面是该服务的实时结果；false：该服务尚未接入，只给链接")
    items: list[ServiceItemOut]
    url: str = Field(description="该服务的页面（带查找词）")
    link_label: str
    message: str | None = None


class AskOut(BaseModel):
    query: str
    as_of: str
    found: bool = Field(description="false：资料中没有找到，见 message、referrals 与 hotlines")
    answers: list[AnswerOut]
    contacts: list[ContactOut]
    hotlines: list[dict[str, str]]
    notes: list[str]
    corrections: list[dict[str, str]] = Field(default_factory=list,
                                              description="同音纠错：as_typed（原文）→ term（按此领域词检索）")
    message: str | None = None
    reason: str | None = Field(default=None, description="拒答原因：empty 空问题；symbols_only 只有表情或符号；"
                               "not_chinese 不是中文（见 script）；out_of_scope_topic 资料外话题（见 topic）；"
                               "out_of_scope_learnt 资料外分类器判为资料外、问题点到的话题（见 topic）；"
                               "low_confidence 资料中没有找到能回答的内容；detail_not_stated 找到了所问的政策，"
                               "但资料没有写明所问的细节（见 detail、related、contacts）")
    script: str | None = Field(default=None, description="not_chinese 时识别出的文字：mongolian 蒙古文、cyrillic 西里尔字母、"
                               "latin 拼音或外文字母、other 其他文字")
    topic: str | None = Field(default=None, description="out_of_scope_topic、out_of_scope_learnt 时的话题")
    detail: str | None = Field(default=None, description="detail_not_stated 时资料没有写明的细节，如「办理、审批或到账要多长时间」")
    related: list[RelatedOut] = Field(default_factory=list, description="detail_not_stated 时：资料中关于这项政策的原文条目；资料外话题拒答而问题也点到资料中的事项（身份证丢了…就业创业证）时：资料中关于该事项的条目")
    referrals: list[ReferralOut] = Field(default_factory=list, description="拒答时建议咨询的机构和电话，注明依据")
    district: str | None = Field(default=None, description="按哪个旗县市回答（所选，或问题中提到的）")
    services: list[ServiceOut] = Field(default_factory=list, description="问题要找岗位、招聘会、零工、培训或创业项目时，"
                                       "相关服务的实时结果和链接（与资料原文并列）")
    sisters: list[SisterOut] = Field(default_factory=list, description="第一条回答所属政策的其他方面（条件、材料、流程、标准、期限…），"
                                     "一点即达：答得不准时也能找到")


# --- screening (政策找人) ------------------------------------------------------------------------
import datetime as _dt  # noqa: E402

from typing import Annotated  # noqa: E402

from pydantic import AfterValidator, ConfigDict  # noqa: E402

from jiuye.screening.models import ScreenResult  # noqa: E402,F401 - the reply of POST /api/screen
from jiuye.screening.profile import Profile  # noqa: E402


def valid_as_of(day: _dt.date | None) -> _dt.date | None:
    """An as_of inside jiuye.rules' supported range (else a 422 naming the range)."""
    from pydantic_core import PydanticCustomError

    from jiuye.rules.period import AsOfOutOfRange, check_as_of

    if day is None:
        return None
    try:
        return check_as_of(day)
    except AsOfOutOfRange as exc:
        raise PydanticCustomError("as_of_range", str(exc)) from None


AsOfField = Annotated[_dt.date | None, AfterValidator(valid_as_of)]


class ScreenRequest(BaseModel):
    """POST /api/screen: a profile (person or enterprise) and the date to judge on."""
    model_config = ConfigDict(extra="forbid")
    profile: Profile
    as_of: AsOfField = Field(default=None, description="按哪一天判断（YYYY-MM-DD，默认今天；须在规则覆盖的日期范围内）")


class FieldErrorOut(BaseModel):
    loc: list[str | int] = Field(description="出错位置，如 [\"body\", \"profile\", \"birth_date\"]")
    field: str = Field(description="出错的字段（profile 内的路径，如 birth_date、household.members.0.sex）")
    msg: str
    message: str = Field(description="中文说明，含字段名")
    type: str


class ValidationErrorOut(BaseModel):
    detail: list[FieldErrorOut]


class UnprocessableOut(BaseModel):
    """422: the request's fields (a list, each naming its field), or one refusal naming the field."""
    detail: list[FieldErrorOut] | MessageOut

