"""Pydantic contracts of 打工直通车's JSON API (jiuye.web.api_platforms)."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from jiuye.web.api_cases import MAX_ID


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SignupIn(_In):
    posting_id: int = Field(ge=1, le=MAX_ID, description="岗位编号（GET /api/dagong/posts）")
    name: str = Field(max_length=50, description="姓名")
    phone: str = Field(max_length=30, description="电话：11位手机号或带区号的座机")
    station: str | None = Field(default=None, max_length=40, description="工作站编号（在工作站终端上报名时）")
    station_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="站长代报名：本工作站（默认本站）")
    client_token: str | None = Field(default=None, max_length=64,
                                     description="表单的一次性编号（16–64位字母数字）：网络中断后重发同一编号，不会重复报名")
    note: str | None = Field(default=None, max_length=500, description="补充说明（可不填）")


class ContactIn(_In):
    result: str = Field(max_length=20, description="reached 已接通、no_answer 无人接听、busy 占线、switched_off 关机或停机、"
                                                   "wrong_number 号码有误、callback 要求稍后回电")
    channel: str = Field(default="phone", max_length=12, description="phone 电话、sms 短信、wechat 微信、visit 上门或到工作站")
    note: str | None = Field(default=None, max_length=500)
    version: int | None = Field(default=None, ge=0, le=MAX_ID, description="您看到的版本；已被他人处理时返回 409")


class IdentifyIn(_In):
    id_number: str = Field(max_length=20, description="身份证号（GB 11643 校验）")
    name: str | None = Field(default=None, max_length=50, description="与身份证一致的姓名（默认报名时的姓名）")
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class RecommendIn(_In):
    posting_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="推荐到的岗位（默认报名的岗位）")
    note: str | None = Field(default=None, max_length=500)
    to_market: bool = Field(default=True, description="已有身份证号时同时办理求职登记并推荐给用人单位（职业介绍）")
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class DepartIn(_In):
    at: dt.datetime | None = Field(default=None, description="出发时间（不带时区按北京时间；默认现在）")
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class StartIn(_In):
    started_on: dt.date = Field(description="上岗日期")
    note: str | None = Field(default=None, max_length=500)
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class VisitIn(_In):
    still_working: bool = Field(description="30天回访时是否仍在岗")
    note: str | None = Field(default=None, max_length=500)
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class CloseIn(_In):
    reason: str = Field(max_length=20, description="not_reachable 多次联系不上、declined 本人不再需要、not_suitable 岗位不合适、"
                                                   "not_hired 单位未录用、left_job 已离岗、duplicate 重复报名、other 其他（须写明）")
    note: str | None = Field(default=None, max_length=500)
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class NoteIn(_In):
    note: str | None = Field(default=None, max_length=500)


class StationIn(_In):
    name: str | None = Field(default=None, max_length=100, description="工作站名称")
    district: str | None = Field(default=None, max_length=20, description="旗县市（默认本人所在）")
    town: str | None = Field(default=None, max_length=50, description="苏木镇/街道")
    village: str | None = Field(default=None, max_length=50, description="嘎查/村/社区")
    master_name: str | None = Field(default=None, max_length=50, description="站长姓名")
    phone: str | None = Field(default=None, max_length=30, description="工作站电话")
    terminal: str | None = Field(default=None, max_length=100, description="终端设备")


class StationCreateIn(StationIn):
    code: str | None = Field(default=None, max_length=40, description="工作站编号（不填自动编号）")


class StationUpdateIn(StationIn):
    active: bool | None = Field(default=None, description="是否启用")
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class MasterIn(_In):
    username: str = Field(max_length=30, description="站长账号的用户名")
    password: str = Field(min_length=8, max_length=200, description="初始密码（至少8位）")
    display_name: str | None = Field(default=None, max_length=50, description="站长姓名（默认名录中的站长）")
    phone: str | None = Field(default=None, max_length=30)


class GroupIn(_In):
    station_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="工作站（站长默认本站）")
    posting_id: int = Field(ge=1, le=MAX_ID, description="去往的岗位")
    size: int = Field(ge=2, le=200, description="计划人数")
    departure_at: dt.datetime = Field(description="出发时间（不带时区按北京时间）")
    departure_place: str = Field(max_length=100, description="出发地点")
    escort_name: str = Field(max_length=50, description="带队人")
    escort_phone: str = Field(max_length=30, description="带队人电话")
    contact_name: str | None = Field(default=None, max_length=50, description="单位联系人")
    contact_phone: str | None = Field(default=None, max_length=30, description="单位联系人电话")
    note: str | None = Field(default=None, max_length=500)


class MemberIn(_In):
    name: str = Field(max_length=50)
    phone: str = Field(max_length=30)
    client_token: str | None = Field(default=None, max_length=64)
    note: str | None = Field(default=None, max_length=500)
