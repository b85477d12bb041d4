"""JSON API of 兴安打工直通车 (/api/dagong/…): open posts and sign-up without an account, the staff
follow-up (queue by time left, contact attempts, 身份证号, 推荐, 出发, 上岗, 30-day visit, close), group
sign-ups, the station registry, and the station / district tables with CSV/XLSX export.

Thin routes over jiuye.platforms, which decides who may see and do what (jiuye.platforms.access):
an object the caller may not see answers 404, an action they may not take 403, a stale version 409,
bad input 422 naming the field. Names and phones are masked in lists; the 身份证号 never appears whole.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Path as PathParam, Query, Request
from fastapi.responses import JSONResponse, Response

from jiuye.web.api_cases import _CONFLICT, _REFUSALS, _THROTTLED, DB, MAX_ID, Me, _errors
from jiuye.web.api_market import MaybeMe
from jiuye.web.dagong_schemas import (
    CloseIn, ContactIn, DepartIn, GroupIn, IdentifyIn, MasterIn, MemberIn, NoteIn, RecommendIn, SignupIn,
    StartIn, StationCreateIn, StationUpdateIn, VisitIn,
)
from jiuye.web.market_schemas import _Out

router = APIRouter(prefix="/api/dagong", tags=["dagong"], responses=_REFUSALS)
Id = Annotated[int, PathParam(ge=1, le=MAX_ID, description="编号")]
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _full(s, me, su) -> bool:
    """The detail of a sign-up shows the name and phone to whoever may act on it (or made it)."""
    from jiuye.platforms import access
    from jiuye.platforms.common import actor_of

    actor = actor_of(s, me)
    return access.signup(actor, "contact", "signed_up", district=su.district, station_id=su.station_id)[0] or (
        actor.kind == "station_master" and actor.station_id == su.station_id)


def _signup_out(s, me, su) -> dict:
    from jiuye.platforms import signups

    return signups.view(su, full=_full(s, me, su))


@router.get("/about", response_model=_Out)
def about():
    """打工直通车的服务承诺与依据：24 小时内联系（原文引用）、是否按工作时间计、30 天在岗回访、工作站数量。不需要登录。"""
    from jiuye.platforms import stations
    from jiuye.platforms.settings import dagong, follow_up_basis

    cfg = dagong()
    return {"follow_up_hours": cfg.follow_up.hours, "follow_up_basis": follow_up_basis(),
            "working_hours": None if cfg.follow_up.working_hours is None else
            {"start": cfg.follow_up.working_hours.start.isoformat(), "end": cfg.follow_up.working_hours.end.isoformat()},
            "retention_visit_days": cfg.retention_visit.days, "retention_visit_source": cfg.retention_visit.source,
            "stations_declared": stations.declared(), "contact_results": {k: v.label for k, v in cfg.contact_results.items()},
            "contact_channels": cfg.contact_channels, "close_reasons": cfg.close_reasons}


@router.get("/posts", response_model=_Out)
def open_posts(s: DB, q: Annotated[str, Query(max_length=200, description="口语即可，如「扎赉特 饲养员」")] = "",
               district: Annotated[str | None, Query(max_length=20)] = None,
               limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Annotated[int, Query(ge=0, le=100_000)] = 0):
    """可以报名的岗位（已审核公开、未过有效期、还有名额），最新的在前。不需要登录。"""
    from jiuye.market import postings

    with _errors():
        total, rows = postings.search(s, q=q, district=district, limit=limit, offset=offset)
        return {"total": total, "posts": [postings.view(p) for p in rows if p.places_left > 0]}


_AGAIN = {200: {"model": _Out, "description": "同一表单（或同一电话、同一岗位）已报过名：返回原来的报名，again=true"}}


@router.post("/signups", status_code=201, response_model=_Out, responses={**_THROTTLED, **_CONFLICT, **_AGAIN})
def sign_up(body: SignupIn, s: DB, me: MaybeMe, request: Request):
    """报名：选岗位，留下姓名和电话（不需要账号、不需要身份证号）。开始计时：客服在 24 小时内联系。
    同一 client_token（或同一电话、同一岗位）再次提交返回原来的报名（200，again=true），不会重复。"""
    from jiuye.cases import throttle
    from jiuye.platforms import signups

    with _errors():
        su, created = signups.create(s, me, posting_id=body.posting_id, name=body.name, phone=body.phone,
                                     station_id=body.station_id, station_code=body.station,
                                     client_token=body.client_token, note=body.note,
                                     address=throttle.address_of(request))
        out = {**signups.view(su), "again": not created}
    return out if created else JSONResponse(status_code=200, content=out)


@router.get("/signups", response_model=_Out)
def queue(s: DB, me: Me, tab: Annotated[Literal["contact", "open", "visit", "done", "all"], Query(
        description="contact 待联系（按剩余时间，超时的在前）、open 跟进中、visit 待回访、done 已结束、all 全部")] = "contact",
          station_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
          limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0):
    """报名队列（本人负责的范围：站长本站，工作人员本旗县市，盟中心全盟）；姓名和电话脱敏。"""
    from jiuye.platforms import signups

    with _errors():
        total, rows = signups.queue(s, me, tab=tab, station_id=station_id, limit=limit, offset=offset)
        return {"total": total, "counts": signups.tab_counts(s, me), "overdue": signups.overdue_count(s, me),
                "signups": [signups.view(r) for r in rows]}


@router.get("/signups/{signup_id}", response_model=_Out)
def get_signup(signup_id: Id, s: DB, me: Me):
    """一条报名的详情、联系记录和经过。"""
    from jiuye.platforms import followup, signups
    from jiuye.platforms.settings import dagong, result_label

    with _errors():
        su = signups.load(s, me, signup_id)
        chans = dagong().contact_channels
        return {**_signup_out(s, me, su), "contacts": [
            {"at": a.at.isoformat() if a.at else None, "channel_label": chans.get(a.channel, ""),
             "result": a.result, "result_label": result_label(a.result), "note": a.note}
            for a in followup.attempts(s, me, su.id)]}


def _act(s, me, fn):
    from jiuye.platforms import signups

    with _errors():
        su = fn()
        return _signup_out(s, me, su if hasattr(su, "state") else signups.load(s, me, su.signup_id))


@router.post("/signups/{signup_id}/contacts", response_model=_Out, responses=_CONFLICT)
def contact(signup_id: Id, body: ContactIn, s: DB, me: Me):
    """记录一次联系（每次都记录）；第一次「已接通」停止计时（已联系）。"""
    from jiuye.platforms import followup

    return _act(s, me, lambda: followup.contact(s, me, signup_id, result=body.result, channel=body.channel,
                                                note=body.note, expected_version=body.version))


@router.post("/signups/{signup_id}/identify", response_model=_Out, responses=_CONFLICT)
def identify(signup_id: Id, body: IdentifyIn, s: DB, me: Me):
    """记录身份证号（工作人员电话或到站核实后）。"""
    from jiuye.platforms import followup

    return _act(s, me, lambda: followup.identify(s, me, signup_id, body.id_number, name=body.name,
                                                 expected_version=body.version))


@router.post("/signups/{signup_id}/recommend", response_model=_Out, responses=_CONFLICT)
def recommend(signup_id: Id, body: RecommendIn, s: DB, me: Me):
    """已推荐；有身份证号时同时办理求职登记并推荐给用人单位（职业介绍）。market_note 说明未能办理的原因。"""
    from jiuye.platforms import followup

    with _errors():
        su, note = followup.recommend(s, me, signup_id, posting_id=body.posting_id, note=body.note,
                                      to_market=body.to_market, expected_version=body.version)
        return {**_signup_out(s, me, su), "market_note": note}


@router.post("/signups/{signup_id}/depart", response_model=_Out, responses=_CONFLICT)
def depart(signup_id: Id, body: DepartIn, s: DB, me: Me):
    """已出发（站长或工作人员）。"""
    from jiuye.platforms import followup

    return _act(s, me, lambda: followup.depart(s, me, signup_id, at=body.at, expected_version=body.version))


@router.post("/signups/{signup_id}/start", response_model=_Out, responses=_CONFLICT)
def start(signup_id: Id, body: StartIn, s: DB, me: Me):
    """已上岗（上岗日期）；30 天后回访。"""
    from jiuye.platforms import followup

    return _act(s, me, lambda: followup.start(s, me, signup_id, started_on=body.started_on, note=body.note,
                                              expected_version=body.version))


@router.post("/signups/{signup_id}/visit", response_model=_Out, responses=_CONFLICT)
def visit(signup_id: Id, body: VisitIn, s: DB, me: Me):
    """30 天在岗回访（回访日期之前 409）。"""
    from jiuye.platforms import followup

    return _act(s, me, lambda: followup.visit(s, me, signup_id, still_working=body.still_working, note=body.note,
                                              expected_version=body.version))


@router.post("/signups/{signup_id}/close", response_model=_Out, responses=_CONFLICT)
def close(signup_id: Id, body: CloseIn, s: DB, me: Me):
    """结束报名（写明原因）。"""
    from jiuye.platforms import followup

    return _act(s, me, lambda: followup.close(s, me, signup_id, reason=body.reason, note=body.note,
                                              expected_version=body.version))


@router.post("/signups/{signup_id}/withdraw", response_model=_Out)
def withdraw(signup_id: Id, body: NoteIn, s: DB, me: Me):
    """站长撤回尚未被联系的报名（本人改变主意）。"""
    from jiuye.platforms import followup

    return _act(s, me, lambda: followup.withdraw(s, me, signup_id, note=body.note))


# --- groups ---------------------------------------------------------------------------------------
@router.get("/groups", response_model=list[_Out])
def list_groups(s: DB, me: Me):
    """集体报名（站长本站，工作人员本旗县市）。"""
    from jiuye.platforms import groups

    with _errors():
        return [groups.view(s, g) for g in groups.list_for(s, me)]


@router.post("/groups", status_code=201, response_model=_Out, responses=_CONFLICT)
def create_group(body: GroupIn, s: DB, me: Me):
    """集体报名：一个工作站送一车人到同一个用人单位（人数、出发时间地点、带队人、单位联系人）。"""
    from jiuye.platforms import groups

    with _errors():
        g = groups.create(s, me, **body.model_dump())
        return groups.view(s, g, full=True, with_members=True)


@router.get("/groups/{group_id}", response_model=_Out)
def get_group(group_id: Id, s: DB, me: Me):
    from jiuye.platforms import groups

    with _errors():
        return groups.view(s, groups.load(s, me, group_id), full=True, with_members=True)


@router.post("/groups/{group_id}/members", status_code=201, response_model=_Out, responses={**_CONFLICT, **_AGAIN})
def add_member(group_id: Id, body: MemberIn, s: DB, me: Me):
    """为这批人员加一人（一条报名，各自计时）。"""
    from jiuye.platforms import groups, signups

    with _errors():
        su, created = groups.add_member(s, me, group_id, name=body.name, phone=body.phone,
                                        client_token=body.client_token, note=body.note)
        out = {**signups.view(su), "again": not created}
    return out if created else JSONResponse(status_code=200, content=out)


@router.post("/groups/{group_id}/depart", response_model=_Out)
def depart_group(group_id: Id, s: DB, me: Me):
    """这批人员已出发：已推荐的成员记为已出发，其余列出。"""
    from jiuye.platforms import groups

    with _errors():
        return groups.depart(s, me, group_id)


@router.post("/groups/{group_id}/cancel", response_model=_Out)
def cancel_group(group_id: Id, body: NoteIn, s: DB, me: Me):
    from jiuye.platforms import groups

    with _errors():
        return groups.view(s, groups.cancel(s, me, group_id, body.note))


# --- stations -------------------------------------------------------------------------------------
@router.get("/stations", response_model=_Out)
def list_stations(s: DB, me: Me, district: Annotated[str | None, Query(max_length=20)] = None):
    """工作站名录（本人范围内），并与资料所称的数量（400 个）对照。"""
    from jiuye.platforms import stations

    with _errors():
        rows = stations.list_for(s, me, district=district)
        return {"declared": stations.declared(), "count": len(rows), "stations": [stations.view(x) for x in rows]}


@router.post("/stations", status_code=201, response_model=_Out, responses=_CONFLICT)
def create_station(body: StationCreateIn, s: DB, me: Me):
    """新增工作站（旗县市中心、盟中心）。"""
    from jiuye.platforms import stations

    with _errors():
        data = body.model_dump(exclude={"code"}, exclude_unset=True)
        return stations.view(stations.create(s, me, data, code=body.code), full=True)


@router.get("/stations/{station_id}", response_model=_Out)
def get_station(station_id: Id, s: DB, me: Me):
    from jiuye.platforms import access, stations
    from jiuye.platforms.common import actor_of

    with _errors():
        st = stations.load(s, me, station_id)
        ok = access.station(actor_of(s, me), "edit", "active", district=st.district, station_id=st.id)[0]
        return stations.view(st, full=ok or actor_of(s, me).station_id == st.id)


@router.put("/stations/{station_id}", response_model=_Out, responses=_CONFLICT)
def update_station(station_id: Id, body: StationUpdateIn, s: DB, me: Me):
    """修改工作站（旗县市中心、盟中心）；active=false 停用。"""
    from jiuye.platforms import stations

    with _errors():
        data = body.model_dump(exclude={"active", "version"}, exclude_unset=True)
        return stations.view(stations.update(s, me, station_id, data, active=body.active,
                                             expected_version=body.version), full=True)


@router.post("/stations/{station_id}/master", status_code=201, response_model=_Out, responses=_CONFLICT)
def open_master(station_id: Id, body: MasterIn, s: DB, me: Me):
    """开通站长账号（每站一个）。"""
    from jiuye.platforms import stations

    with _errors():
        u = stations.open_master_account(s, me, station_id, username=body.username, password=body.password,
                                         display_name=body.display_name, phone=body.phone)
        return {"username": u.username, "role_label": "打工直通车站长", "district": u.district}


# --- tables ---------------------------------------------------------------------------------------
def _report_dates(start: dt.date | None, end: dt.date | None) -> None:
    """A report period within 2000–2100 (a date such as 0001-01-01 is refused, not computed)."""
    for name, day in (("start", start), ("end", end)):
        if day is not None and not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
            from jiuye.cases.errors import Invalid

            with _errors():  # the API's documented 422 shape: {"detail": {"message": …, "field": …}}
                raise Invalid(f"「{name}」：报表日期须在 2000-01-01 到 2100-12-31 之间", field=name)


@router.get("/tables", response_model=_Out)
def tables(s: DB, me: Me, start: dt.date | None = None, end: dt.date | None = None):
    """工作站和旗县市报表：报名、24小时内联系率、上岗、30天仍在岗。"""
    from jiuye.platforms import tables as t

    _report_dates(start, end)
    with _errors():
        d = t.compute(s, me, start=start, end=end)
        d["columns"] = [{"key": k, "label": v} for k, v in d["columns"]]
        return d


@router.get("/tables/export", response_class=Response,
            responses={200: {"content": {MEDIA["csv"]: {}, MEDIA["xlsx"]: {}}, "description": "CSV（UTF-8 BOM）或 XLSX"}})
def tables_export(s: DB, me: Me, format: Literal["csv", "xlsx"] = "xlsx", start: dt.date | None = None,
                  end: dt.date | None = None):
    from urllib.parse import quote

    from jiuye.platforms import tables as t

    _report_dates(start, end)
    with _errors(), tempfile.TemporaryDirectory(prefix="jiuye-dagong-") as tmp:
        data = t.export(t.compute(s, me, start=start, end=end), Path(tmp) / f"t.{format}").read_bytes()
    name = quote(f"打工直通车报表.{format}")
    return Response(data, media_type=MEDIA[format], headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})
