"""Pydantic models of the data files (format: docs/data-format.md).

`extra="forbid"` everywhere: a misspelt field in a YAML file is an error on load, not a silently
ignored value.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

DocCode = Literal["000", "003"]
Subject = Literal["person", "enterprise"]
PolicyKind = Literal["computed", "eligibility", "service"]
OfficeLevel = Literal[
    "申请人", "用人单位", "社区", "街道", "旗县市中心", "盟中心", "人社局", "财政局", "经办机构",
    "税务", "学校", "培训机构", "银行", "其他",
]

# The two source documents. The date is the document's own (000 gives only a year).
DOCUMENTS: dict[str, dict[str, str]] = {
    "000": {
        "file": "000_f9cc2ab8b6bd2920.txt",
        "title": "兴安盟现行就业政策百问百答",
        "date": "2021",
        "as_of": "2021-12-31",
    },
    "003": {
        "file": "003_d37aea6342dd24c9.txt",
        "title": "兴安盟人力资源和就业服务中心政策宣传手册",
        "date": "2022-09",
        "as_of": "2022-09-30",
    },
}
FILE_TO_CODE = {v["file"]: k for k, v in DOCUMENTS.items()}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# --- policies -------------------------------------------------------------------------------
class Source(Strict):
    document: DocCode
    section: str
    quote: str = Field(min_length=2)


class Condition(Strict):
    text: str
    document: DocCode | None = None
    checked_by: Literal["system", "person"] = "person"


class OnlineChannel(Strict):
    name: str
    url: str | None = None


class Channels(Strict):
    offline: list[str] = []
    online: list[OnlineChannel] = []


class Step(Strict):
    action: str
    office_level: OfficeLevel


class TimeLimit(Strict):
    text: str
    days: int | None = Field(default=None, ge=0)
    day_type: Literal["working", "calendar", "month"] | None = None


CANCELLED = "取消"  # in Window.kind: the window ends the day before the policy was abolished (取消前的受理期限)


class Window(Strict):
    start: dt.date | None = None
    end: dt.date | None = None
    kind: str
    document: DocCode
    quote: str

    def is_closed(self, as_of: dt.date) -> bool:
        return self.end is not None and self.end < as_of

    def is_open(self, as_of: dt.date) -> bool:
        return (self.start is None or self.start <= as_of) and not self.is_closed(as_of)


class Amount(Strict):
    label: str
    text: str
    document: DocCode | None = None


class Participant(Strict):
    """Someone a policy is not paid to but who takes part in it (the young person in 就业见习, whose
    unit receives the subsidy): screening a profile of this subject says so, with the quote, and
    points to the participant's own procedure instead of answering 不适用."""
    subject: Subject
    text: str
    source: Source


class Policy(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    for_: list[Subject] = Field(alias="for", min_length=1)
    kind: PolicyKind
    target_groups: list[str] = []
    gives: str
    conditions: list[Condition] = []
    materials: list[str] = []
    channels: Channels = Channels()
    steps: list[Step] = []
    time_limits: list[TimeLimit] = []
    windows: list[Window] = []
    contact_topic: str
    amounts: list[Amount] = []
    sources: list[Source] = Field(min_length=1)
    participant: Participant | None = None
    notes: list[str] = []

    def window_status(self, as_of: dt.date) -> dict:
        """Open, closed or not yet open on ``as_of``, and the window that decides it.

        A window whose kind names 取消 (the policy abolished) closes the policy after its end whatever the
        other windows say. Otherwise the policy is open where some window holds the date (a later
        document may list it again after an earlier deadline: 003 reopening 000's training
        subsidies from 2022-09-01); not yet open before every window's start; closed after its
        windows (the last one that ended decides)."""
        if not self.windows:
            return {"state": "no_window_stated"}
        abolished = [w for w in self.windows if CANCELLED in w.kind and w.is_closed(as_of)]
        if abolished:
            return {"state": "closed", "window": min(abolished, key=lambda w: w.end)}
        spans = [w for w in self.windows if CANCELLED not in w.kind] or list(self.windows)
        holding = [w for w in spans if w.is_open(as_of)]
        if holding:
            return {"state": "open", "window": max(holding, key=lambda w: (w.start or dt.date.min, w.end or dt.date.max))}
        ended = [w for w in spans if w.is_closed(as_of)]
        if ended:
            return {"state": "closed", "window": max(ended, key=lambda w: w.end)}
        return {"state": "not_yet_open", "window": min(spans, key=lambda w: w.start or dt.date.min)}


# --- knowledge-base entries (Q&As and brochure sections) -------------------------------------
class Entry(Strict):
    id: str = Field(pattern=r"^(000|003)-[0-9a-z-]+$")
    document: str
    date: str
    kind: Literal["qa", "section", "contacts"]
    section: str
    number: int | None = None
    question: str = Field(min_length=1)
    answer: str = Field(min_length=1)
    tags: list[str] = []
    policies: list[str] = []

    @field_validator("document")
    @classmethod
    def _known_document(cls, v: str) -> str:
        if v not in FILE_TO_CODE:
            raise ValueError(f"unknown document {v!r}; expected one of {sorted(FILE_TO_CODE)}")
        return v

    @property
    def doc_code(self) -> str:
        return FILE_TO_CODE[self.document]


# --- contacts ------------------------------------------------------------------------------
class District(Strict):
    key: str
    level: Literal["盟本级", "旗县市"]
    aliases: list[str] = []
    codes: list[str] = []  # GB/T 2260 county codes (the first six digits of a 身份证号 issued there)


class Office(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    name: str
    district: str
    address: str | None = None


class ContactRow(BaseModel):
    model_config = ConfigDict(extra="allow")
    office: str
    district: str
    phone: str = Field(pattern=r"^(0482-\d{7}|1\d{10}|\d{5,})$")
    as_printed: str | None = None
    not_in_league: bool = False


class ContactTable(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    document: DocCode
    section: str
    title: str
    topic: str
    rows: list[ContactRow] = Field(min_length=1)


class Topic(BaseModel):
    model_config = ConfigDict(extra="allow")
    label: str
    policies: list[str] = []


class Contacts(BaseModel):
    model_config = ConfigDict(extra="allow")
    offices: list[Office]
    tables: list[ContactTable]
    topics: dict[str, Topic]



# --- 兴安打工直通车 (data/dagong_express.yaml) -------------------------------------------------
class DagongFact(Strict):
    key: str
    label: str
    value: str | int | dict[str, list[str]]
    unit: str | None = None
    count: int | None = None
    hours: int | None = None
    sources: list[Source] = Field(min_length=1)
    note: str | None = None


class DagongSignupWay(Strict):
    key: str
    label: str
    how: str
    account: str | None = None
    sources: list[Source] = Field(min_length=1)


class DagongExpress(Strict):
    """The 打工直通车 file: every fact with its verbatim quotes; the phones are in contacts.yaml."""
    policy: str
    name: str
    wechat_account: str
    contact_topic: str
    contact_tables: list[str] = Field(min_length=1)
    summary: dict[str, str | int | list[str]] = {}
    facts: list[DagongFact] = Field(min_length=1)
    signup_ways: list[DagongSignupWay] = Field(min_length=1)
    differences: list[str] = []

    def fact(self, key: str) -> DagongFact:
        return next(f for f in self.facts if f.key == key)

# --- source audit --------------------------------------------------------------------------
class Quote(Strict):
    document: DocCode
    section: str | None = None
    quote: str


class Finding(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    kind: str
    severity: Literal["high", "medium", "low"]
    title: str
    explanation: str
    policies: list[str] = []
    quotes: list[Quote] = []
    computed: bool = False  # True when found by code from the data, False when curated by hand
