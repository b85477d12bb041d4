"""Pydantic contracts of the labour market's JSON API (jiuye.web.api_market). The bodies that carry a
post or a 求职登记 are built from the record contracts themselves (jiuye.market.records), so the API,
the pages, the spreadsheets and the matcher share one schema."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from jiuye.market.records import PostingRecord, SeekerRecord
from jiuye.web.api_cases import MAX_ID


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


def _fields(model, drop: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    out = {}
    for name, info in model.model_fields.items():
        if name in drop:
            continue
        if name in optional:
            out[name] = (info.annotation | None, Field(default=None, title=info.title))
        else:
            out[name] = (info.annotation, info)
    return out


# The post as an employer writes it: PostingRecord without its id, publication date and agency name
# (the account decides those); an employer's name comes from its account too (an agency names its client).
PostingIn = create_model("PostingIn", __config__=ConfigDict(extra="forbid", str_strip_whitespace=True),
                         **_fields(PostingRecord, ("id", "published_on", "agency_name"), ("employer_name",)),
                         submit=(bool, Field(default=False, description="保存后直接提交审核")))
PostingUpdateIn = create_model("PostingUpdateIn", __base__=PostingIn,
                               version=(int | None, Field(default=None, ge=0, le=MAX_ID, description="您看到的版本")))
# 求职登记: SeekerRecord without its id and registration date, plus, for staff at a window, who.
SeekerIn = create_model("SeekerIn", __config__=ConfigDict(extra="forbid", str_strip_whitespace=True),
                        **_fields(SeekerRecord, ("id", "registered_on")),
                        phone=(str | None, Field(default=None, max_length=20, description="接收通知的手机号")),
                        id_number=(str | None, Field(default=None, max_length=20, description="窗口登记：求职者身份证号")),
                        name=(str | None, Field(default=None, max_length=50, description="窗口登记：求职者姓名")),
                        district=(str | None, Field(default=None, max_length=20, description="窗口登记：受理的旗县市（盟中心可指定）")))
SeekerUpdateIn = create_model("SeekerUpdateIn", __config__=ConfigDict(extra="forbid", str_strip_whitespace=True),
                              **_fields(SeekerRecord, ("id", "registered_on")),
                              phone=(str | None, Field(default=None, max_length=20)),
                              notify_matches=(bool | None, Field(default=None, description="有新的匹配岗位时通知")),
                              version=(int | None, Field(default=None, ge=0, le=MAX_ID)))


class ReviewIn(BaseModel):
    decision: Literal["approve", "return"] = Field(description="approve 通过并公开；return 退回修改")
    note: str | None = Field(default=None, max_length=2000, description="退回须写理由；有提示而通过须写明提示为何不适用")
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class ReasonIn(BaseModel):
    reason: str | None = Field(default=None, max_length=500)


class EmployerIn(BaseModel):
    kind: Literal["employer", "agency"] = Field(default="employer", description="employer 用人单位；agency 人力资源服务机构")
    licence_no: str | None = Field(default=None, max_length=60, description="人力资源服务许可证编号（agency 必填）")
    contact_name: str | None = Field(default=None, max_length=50)
    phone: str | None = Field(default=None, max_length=20)


class EmployerSignupIn(EmployerIn):
    credit_code: str = Field(max_length=30, description="统一社会信用代码（GB 32100 校验）")
    name: str = Field(min_length=1, max_length=100, description="单位名称（与营业执照一致）")
    district: str = Field(max_length=20, description="单位所在旗县市")
    username: str = Field(pattern=r"^[A-Za-z0-9_.-]{3,30}$")
    password: str = Field(min_length=8, max_length=200)


class CloseIn(BaseModel):
    outcome: str = Field(description="found_job 已找到工作、self_employed 自主创业、flexible 灵活就业、further_study 升学参军培训、"
                                     "no_longer_seeking 不再求职、other 其他")
    note: str | None = Field(default=None, max_length=500)


class ApplyIn(BaseModel):
    posting_id: int = Field(ge=1, le=MAX_ID)
    seeker_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="工作人员推荐（职业介绍）时：求职登记编号")
    note: str | None = Field(default=None, max_length=1000)


class InviteIn(BaseModel):
    at: dt.datetime = Field(description="面试时间（不带时区按北京时间）")
    place: str = Field(min_length=1, max_length=200)
    note: str | None = Field(default=None, max_length=300)
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class DecideIn(BaseModel):
    outcome: Literal["hired", "rejected", "no_show"] = Field(description="hired 录用；rejected 未录用（须写原因）；no_show 未到")
    reason: str | None = Field(default=None, max_length=1000)
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class PhoneIn(BaseModel):
    phone: str = Field(max_length=20)


class PostingListOut(BaseModel):
    total: int
    postings: list[_Out]
