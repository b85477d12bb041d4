"""JSON API of 零工市场 (/api/gig/…): the open jobs and the district phone lines without an account;
posting availability and jobs, matching with reasons, apply / invite, the match workflow (accept,
decline, worked, paid, not paid) for citizens and employers; the per-district table (CSV) and the
wage-arrears reports for staff.

Thin routes over jiuye.gig, which decides who may see and do what (jiuye.gig.access): an object the
caller may not see answers 404, an action they may not take 403, bad input 422 naming the field.
Phones appear only in a match both sides accepted, and only to its two sides.
"""
from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path as PathParam, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from jiuye.web.api_cases import _CONFLICT, _REFUSALS, DB, MAX_ID, Me, _errors
from jiuye.web.api_market import MaybeMe
from jiuye.web.market_schemas import _Out

router = APIRouter(prefix="/api/gig", tags=["gig"], responses=_REFUSALS)
Id = Annotated[int, PathParam(ge=1, le=MAX_ID, description="编号")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Place(_In):
    district: str = Field(max_length=20, description="旗县市（data/districts.yaml 的名称或常用简称）")
    town: str | None = Field(default=None, max_length=30, description="苏木镇/街道（可不填）")
    lat: float | None = Field(default=None, ge=-90, le=90, description="纬度（手机定位，可不填）")
    lon: float | None = Field(default=None, ge=-180, le=180, description="经度（可不填）")
    phone: str | None = Field(default=None, max_length=30, description="电话（默认账号的电话）；双方都接受后才给对方看")
    note: str | None = Field(default=None, max_length=200)


class WorkerIn(_Place):
    occupation: str = Field(max_length=30, description="能干什么活，口语即可：瓦工、电焊、开挖掘机的")
    available_from: str = Field(max_length=10, description="哪天起有空（YYYY-MM-DD）")
    available_to: str | None = Field(default=None, max_length=10, description="到哪天（默认同一天）")
    daily_rate: str = Field(max_length=12, description="期望每天工钱（元）")
    name: str | None = Field(default=None, max_length=30, description="姓名（默认账号的姓名）")


class JobIn(_Place):
    title: str = Field(max_length=50, description="干什么活")
    occupation: str | None = Field(default=None, max_length=30, description="工种（默认按 title 认）")
    start_on: str = Field(max_length=10, description="开始日期（YYYY-MM-DD）")
    end_on: str | None = Field(default=None, max_length=10, description="结束日期（默认同一天）")
    pay_type: Literal["day", "piece"] = Field(default="day", description="day 按天，piece 按件")
    pay: str = Field(max_length=12, description="工钱（元）：按天为每天，按件为每件")
    piece_unit: str | None = Field(default=None, max_length=10, description="按件的单位：亩、件、车")
    people_needed: int = Field(default=1, ge=1, le=200, description="要几个人")


class InviteIn(_In):
    worker_id: int = Field(ge=1, le=MAX_ID, description="接活信息编号（GET /api/gig/jobs/{id}/workers）")


class ActIn(_In):
    days: int | None = Field(default=None, ge=1, le=90, description="上工天数（确认上工时，工人填）")
    note: str | None = Field(default=None, max_length=300, description="说明（报告没拿到工钱时）")


@router.get("/jobs", response_model=_Out)
def board(s: DB, district: Annotated[str | None, Query(max_length=20)] = None,
          occupation: Annotated[str | None, Query(max_length=30, description="工种，口语即可")] = None):
    """正在招人的零工，最新的在前（发布人为个人时姓名打码；不含电话）。不需要登录。"""
    from jiuye.gig import posts

    with _errors():
        return {"jobs": [posts.job_view(s, j, full=False) for j in posts.board(s, district=district, occupation=occupation)]}


@router.get("/phones", response_model=_Out)
def phones():
    """各旗县市零工市场咨询电话（003 表照印 + 行名错位的推定，需盟中心核实；表中不属兴安盟的一行单列）。"""
    from jiuye.gig.settings import phone_lines

    return phone_lines()


@router.post("/workers", status_code=201, response_model=_Out)
def post_worker(body: WorkerIn, s: DB, me: Me):
    """发布我能干的活（个人账号）。"""
    from jiuye.gig import posts

    with _errors():
        return posts.worker_view(posts.post_availability(s, me, body.model_dump()), full=True)


@router.get("/workers/{worker_id}/jobs", response_model=_Out)
def jobs_for(worker_id: Id, s: DB, me: Me):
    """适合这条接活信息的零工（本人或当地经办人员），最新的在前，附理由。"""
    from jiuye.gig import matching, posts

    with _errors():
        w = posts.load_worker(s, me, worker_id)
        return {"jobs": [{**posts.job_view(s, j, full=False), "reasons": r} for j, r in matching.jobs_for(s, w)]}


@router.post("/jobs", status_code=201, response_model=_Out)
def post_job(body: JobIn, s: DB, me: Me):
    """发布零工（单位账号或个人账号：家里找人干活也可以）。"""
    from jiuye.gig import posts

    with _errors():
        data = body.model_dump()
        data["people_needed"] = str(data["people_needed"])
        return posts.job_view(s, posts.post_job(s, me, data), full=True)


@router.get("/jobs/{job_id}", response_model=_Out)
def job(job_id: Id, s: DB, me: MaybeMe):
    from jiuye.gig import posts

    with _errors():
        j = posts.load_job(s, me, job_id)
        return posts.job_view(s, j, full=me is not None and me.id == j.poster_user_id)


@router.get("/jobs/{job_id}/applicants", response_model=_Out)
def applicants(job_id: Id, s: DB, me: Me):
    """这条活的报名和邀请：只有发布人和当地经办人员能看。"""
    from jiuye.gig import matches

    with _errors():
        return {"matches": [matches.view(s, me, m) for m in matches.applicants(s, me, job_id)]}


@router.get("/jobs/{job_id}/workers", response_model=_Out)
def workers_for(job_id: Id, s: DB, me: Me):
    """适合这条活的工人（只有发布人能看；姓名打码、不含电话），最新的在前，附理由。"""
    from jiuye.gig import access, matching, posts

    with _errors():
        j = posts.load_job(s, me, job_id, "invite")
        access.require(access.job(access.actor_for(me), "invite", j.state, district=j.district, poster_id=j.poster_user_id))
        return {"workers": [{**posts.worker_view(w, full=False), "reasons": r} for w, r in matching.workers_for(s, j)]}


@router.post("/jobs/{job_id}/apply", status_code=201, response_model=_Out, responses=_CONFLICT)
def apply(job_id: Id, s: DB, me: Me):
    """报名这条活（用本人发布的、日期重合的接活信息）。"""
    from jiuye.gig import matches

    with _errors():
        return matches.view(s, me, matches.apply(s, me, job_id))


@router.post("/jobs/{job_id}/invite", status_code=201, response_model=_Out, responses=_CONFLICT)
def invite(job_id: Id, body: InviteIn, s: DB, me: Me):
    from jiuye.gig import matches

    with _errors():
        return matches.view(s, me, matches.invite(s, me, job_id, body.worker_id))


@router.post("/jobs/{job_id}/close", response_model=_Out)
def close(job_id: Id, s: DB, me: Me):
    from jiuye.gig import posts

    with _errors():
        return posts.job_view(s, posts.close_job(s, me, job_id), full=True)


@router.get("/matches", response_model=_Out)
def my_matches(s: DB, me: Me):
    from jiuye.gig import matches

    with _errors():
        return {"matches": [matches.view(s, me, m) for m in matches.mine(s, me)]}


@router.get("/matches/{match_id}", response_model=_Out)
def match(match_id: Id, s: DB, me: Me):
    from jiuye.gig import matches

    with _errors():
        return matches.view(s, me, matches.load(s, me, match_id))


@router.post("/matches/{match_id}/{action}", response_model=_Out, responses=_CONFLICT)
def act(match_id: Id, action: Literal["accept", "decline", "worked", "paid", "unpaid"], body: ActIn, s: DB, me: Me):
    """accept 接受、decline 谢绝、worked 确认上工、paid 确认工钱结清、unpaid 报告没拿到工钱（只限工人：转欠薪报告）。"""
    from jiuye.gig import matches

    with _errors():
        m = matches.act(s, me, match_id, action, days=body.days, note=body.note)
        return matches.view(s, me, m)


@router.get("/stats", response_model=_Out)
def stats(s: DB, me: Me):
    """各旗县市：招满用时中位数、确认结清比例、欠薪报告（经办人员，按辖区）。"""
    from jiuye.gig import access, arrears, stats as st

    with _errors():
        a = access.actor_for(me)
        access.require(access.stats(a))
        district = access.scope(a)
        return {"rows": st.table(s, district), "arrears": [arrears.view(s, x) for x in arrears.listing(s, district)]}


@router.get("/stats.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def stats_csv(s: DB, me: Me):
    from jiuye.gig import access, stats as st

    with _errors():
        a = access.actor_for(me)
        access.require(access.stats(a))
        data = st.to_csv(st.table(s, access.scope(a)))
    return Response(data, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote('零工市场统计.csv')}"})
