"""JSON API of 招聘会 and 直播带岗 (/api/fairs/…): the fairs (weekly on-site fair, staff fairs, live
streams) with their sources, pre-registration (no account), check-in at the door (staff), intentions
at a booth (staff or the booth's employer), their follow-up, and the fair report.

Thin routes over jiuye.fairs, which decides who may see and do what (jiuye.fairs.access): an object the
caller may not see answers 404, an action they may not take 403, bad input 422 naming the field.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path as PathParam, Query
from pydantic import BaseModel, ConfigDict, Field

from jiuye.web.api_cases import _REFUSALS, DB, MAX_ID, Me, _errors
from jiuye.web.api_market import MaybeMe
from jiuye.web.market_schemas import _Out

router = APIRouter(prefix="/api/fairs", tags=["fairs"], responses=_REFUSALS)
Id = Annotated[int, PathParam(ge=1, le=MAX_ID, description="编号")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RegisterIn(_In):
    name: str = Field(max_length=50, description="姓名")
    phone: str = Field(max_length=30, description="电话：11位手机号或带区号的座机")


class CheckInIn(_In):
    code: str = Field(max_length=200, description="签到码（8位，可带空格或横线），或扫描二维码得到的地址")


class IntentionIn(_In):
    code: str = Field(max_length=200, description="求职者的签到码或手机号")
    posting_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="本展位带来的岗位（可不填）")
    note: str | None = Field(default=None, max_length=500)


class FollowUpIn(_In):
    outcome: Literal["hired", "interview", "declined", "unreachable"] = Field(
        description="hired 已录用、interview 约了面试、declined 不合适、unreachable 联系不上")
    note: str | None = Field(default=None, max_length=500)
    hired_on: dt.date | None = Field(default=None, description="上岗日期（录用时；默认今天）")


@router.get("", response_model=_Out)
def list_fairs(s: DB, kind: Annotated[Literal["onsite", "online", "stream"] | None, Query()] = None,
               limit: Annotated[int, Query(ge=1, le=100)] = 30):
    """今后的招聘会和直播带岗（日期、时间、地点或平台、展位数、资料出处）。不需要登录。"""
    from jiuye.fairs import fairs

    with _errors():
        return {"fairs": [fairs.view(f, s=s) for f in fairs.upcoming(s, kind=kind, limit=limit)]}


@router.get("/{fair_id}", response_model=_Out)
def get_fair(fair_id: Id, s: DB):
    """一场招聘会：时间地点、展位、随会发布的岗位（直播带岗：推介岗位）。不需要登录。"""
    from jiuye.fairs import fairs

    with _errors():
        f = fairs.get(s, fair_id)
        return {**fairs.view(f, s=s), "posts": fairs.posts_of(s, f)}


@router.post("/{fair_id}/visitors", status_code=201, response_model=_Out)
def register(fair_id: Id, body: RegisterIn, s: DB, me: MaybeMe):
    """预约参会：留下姓名和电话，得到签到码（同一电话再次预约得到同一签到码，again=true）。"""
    from jiuye.fairs import visitors

    with _errors():
        v, created = visitors.register(s, me, fair_id, name=body.name, phone=body.phone)
        return {**visitors.view(v, full=True), "again": not created}


@router.post("/{fair_id}/check-in", response_model=_Out)
def check_in(fair_id: Id, body: CheckInIn, s: DB, me: Me):
    """入场签到（现场经办人员）：输入或扫描签到码。重复签到返回 first=false 和第一次的时间。"""
    from jiuye.fairs import visitors

    with _errors():
        v, first = visitors.check_in(s, me, fair_id, body.code)
        return {**visitors.view(v), "first": first}


@router.post("/booths/{booth_id}/intentions", status_code=201, response_model=_Out)
def record_intention(booth_id: Id, body: IntentionIn, s: DB, me: Me):
    """在展位记录意向（本展位的用人单位或现场经办人员）：次日 9:00 起生成 24 小时回访任务。"""
    from jiuye.fairs import intentions

    with _errors():
        i = intentions.record(s, me, booth_id, code=body.code, posting_id=body.posting_id, note=body.note or "")
        return intentions.view(i)


@router.get("/intentions/queue", response_model=_Out)
def queue(s: DB, me: Me, tab: Annotated[Literal["open", "waiting", "checks", "all"], Query()] = "open"):
    """回访任务，剩余时间最少的在前（用人单位：本单位展位的；经办人员：本地区的）。"""
    from jiuye.fairs import intentions

    with _errors():
        return {"intentions": [intentions.view(i) for i in intentions.queue(s, me, tab=tab)]}


@router.post("/intentions/{intention_id}/follow-up", response_model=_Out)
def follow_up(intention_id: Id, body: FollowUpIn, s: DB, me: Me):
    """记录意向的回访结果。"""
    from jiuye.fairs import intentions

    with _errors():
        return intentions.view(intentions.follow_up(s, me, intention_id, body.outcome, note=body.note or "",
                                                    hired_on=body.hired_on))


@router.get("/{fair_id}/report", response_model=_Out)
def report(fair_id: Id, s: DB, me: Me):
    """招聘会报告（经办人员）：参会单位、岗位、求职者、签到、意向、回访、录用、30 天在岗。"""
    from jiuye.fairs import report as rep

    with _errors():
        return rep.compute(s, me, fair_id)
