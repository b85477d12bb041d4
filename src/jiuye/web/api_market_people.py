"""JSON API of the labour market, the people's side (/api/market/…): 求职登记 (register, confirm, close, matches),
applications (apply, 职业介绍, interview, outcome), messages and SMS opt-out. Posts, employers and statistics are in
api_market.py, whose router this one sits beside; the same rules hold (jiuye.market decides who may see and do
what: 404 for what the caller may not see, 403 for what they may not do, 409 for a stale version, 422 naming the
field; 身份证号 masked in every answer)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from jiuye.web.api_cases import _CONFLICT, _REFUSALS, DB, MAX_ID, Me, _errors
from jiuye.web.api_market import Id, _data
from jiuye.web.market_schemas import (
    ApplyIn, CloseIn, DecideIn, InviteIn, PhoneIn, SeekerIn, SeekerUpdateIn, _Out,
)

router = APIRouter(prefix="/api/market", tags=["market"], responses=_REFUSALS)


# --- 求职登记 -------------------------------------------------------------------------------------
@router.post("/seekers", status_code=201, response_model=_Out, responses=_CONFLICT)
def register_seeker(body: SeekerIn, s: DB, me: Me):  # type: ignore[valid-type]
    """求职登记：个人账号登记本人；工作人员窗口登记（须填身份证号和姓名）。"""
    from jiuye.market import seekers

    with _errors():
        sk = seekers.register(s, me, _data(body, ("phone", "id_number", "name", "district")), id_number=body.id_number,
                              name=body.name, phone=body.phone, district=body.district)
        return seekers.view(sk, detail=True, full_identity=True)


@router.get("/seekers", response_model=list[_Out])
def list_seekers(s: DB, me: Me, state: Annotated[str | None, Query(max_length=20)] = None):
    """个人：本人的登记；工作人员：本旗县市的（脱敏）；单位：投递过本单位岗位的、或同意单位查看的（不含身份证号）。"""
    from jiuye.market import seekers
    from jiuye.market.common import market_actor

    with _errors():
        actor = market_actor(s, me)
        if actor.kind == "seeker":
            return [seekers.view(sk, full_identity=True) for sk in seekers.mine(s, me)]
        return [seekers.view(sk, employer=actor.kind == "employer") for sk in seekers.list_for(s, me, state=state)]


@router.get("/seekers/{seeker_id}", response_model=_Out)
def get_seeker(seeker_id: Id, s: DB, me: Me):
    from jiuye.market import seekers
    from jiuye.market.common import market_actor

    with _errors():
        sk = seekers.load(s, me, seeker_id)
        actor = market_actor(s, me)
        if actor.kind == "employer":
            return seekers.view(sk, detail=True, employer=True)
        return seekers.view(sk, detail=True, full_identity=actor.kind in ("seeker", "staff"))


@router.put("/seekers/{seeker_id}", response_model=_Out, responses=_CONFLICT)
def update_seeker(seeker_id: Id, body: SeekerUpdateIn, s: DB, me: Me):  # type: ignore[valid-type]
    from jiuye.market import seekers

    with _errors():
        sk = seekers.update(s, me, seeker_id, _data(body, ("phone", "notify_matches")), phone=body.phone,
                            notify_matches=body.notify_matches, expected_version=body.version)
        return seekers.view(sk, detail=True, full_identity=True)


@router.post("/seekers/{seeker_id}/confirm", response_model=_Out)
def confirm_seeker(seeker_id: Id, s: DB, me: Me):
    """确认仍在找工作：登记再延长一个有效期（已过期的也可重新确认）。"""
    from jiuye.market import seekers

    with _errors():
        return seekers.view(seekers.confirm(s, me, seeker_id), full_identity=True)


@router.post("/seekers/{seeker_id}/close", response_model=_Out)
def close_seeker(seeker_id: Id, body: CloseIn, s: DB, me: Me):
    """「找到工作了」等：关闭登记并记录结果。"""
    from jiuye.market import seekers

    with _errors():
        return seekers.view(seekers.close(s, me, seeker_id, body.outcome, body.note), full_identity=True)


@router.get("/seekers/{seeker_id}/matches", response_model=list[_Out])
def seeker_matches(seeker_id: Id, s: DB, me: Me, top: Annotated[int, Query(ge=1, le=50)] = 10):
    """适合这条求职登记的公开岗位（在全部公开岗位中匹配），附理由。求职者看自己的，工作人员看本地的，单位看投递过本单位岗位或
    同意查看的。"""
    from jiuye.market import live, postings, seekers

    with _errors():
        sk = seekers.load(s, me, seeker_id)
        return [{"posting": postings.view(p), "score": score, "reasons": reasons}
                for p, score, reasons in live.matches_for(s, seekers.record_of(sk), top)]


# --- applications ----------------------------------------------------------------------------
@router.post("/applications", status_code=201, response_model=_Out, responses=_CONFLICT)
def create_application(body: ApplyIn, s: DB, me: Me):
    """求职者投递岗位；工作人员带 seeker_id 时为职业介绍（推荐）。"""
    from jiuye.market import applications

    with _errors():
        if body.seeker_id is not None:
            a = applications.recommend(s, me, body.seeker_id, body.posting_id, body.note)
        else:
            a = applications.apply(s, me, body.posting_id, body.note)
        return applications.view(a, as_seeker=body.seeker_id is None)


@router.get("/applications", response_model=list[_Out])
def my_applications(s: DB, me: Me):
    """求职者本人的投递（含面试邀请和结果）。"""
    from jiuye.market import applications

    with _errors():
        return [applications.view(a, as_seeker=True) for a in applications.for_seeker(s, me)]


@router.get("/applications/{application_id}", response_model=_Out)
def get_application(application_id: Id, s: DB, me: Me):
    from jiuye.market import applications
    from jiuye.market.common import market_actor

    with _errors():
        a = applications.load(s, me, application_id)
        kind = market_actor(s, me).kind
        return applications.view(a, as_employer=kind == "employer", as_seeker=kind == "seeker")


@router.post("/applications/{application_id}/invite", response_model=_Out, responses=_CONFLICT)
def invite(application_id: Id, body: InviteIn, s: DB, me: Me):
    """邀请面试（发布单位）：时间、地点；求职者收到通知。"""
    from jiuye.market import applications

    with _errors():
        return applications.view(applications.invite(s, me, application_id, at=body.at, place=body.place, note=body.note,
                                                     expected_version=body.version), as_employer=True)


@router.post("/applications/{application_id}/decide", response_model=_Out, responses=_CONFLICT)
def decide(application_id: Id, body: DecideIn, s: DB, me: Me):
    """记录结果（发布单位）：录用时岗位名额减一、求职登记关闭、统计随之更新。"""
    from jiuye.market import applications

    with _errors():
        return applications.view(applications.decide(s, me, application_id, body.outcome, body.reason,
                                                     expected_version=body.version), as_employer=True)


@router.post("/applications/{application_id}/withdraw", response_model=_Out)
def withdraw_application(application_id: Id, s: DB, me: Me):
    from jiuye.market import applications

    with _errors():
        return applications.view(applications.withdraw(s, me, application_id), as_seeker=True)


# --- messages -------------------------------------------------------------------------------------
@router.get("/messages", response_model=list[_Out])
def messages(s: DB, me: Me):
    """站内消息（最新的在前）。"""
    from jiuye.market import notify

    return notify.inbox(s, me)


@router.post("/messages/read")
def messages_read(s: DB, me: Me, message_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None):
    """标为已读：一条（message_id）或全部。"""
    from jiuye.market import notify

    with _errors():
        return {"marked": notify.mark_read(s, me, message_id)}


@router.post("/sms/optout")
def sms_optout(body: PhoneIn, s: DB, me: Me):
    """退订短信通知（站内消息照常）。"""
    from jiuye.market import notify

    with _errors():
        notify.opt_out(s, body.phone, me)
        return {"ok": True}


@router.post("/sms/optin")
def sms_optin(body: PhoneIn, s: DB, me: Me):
    from jiuye.market import notify

    with _errors():
        notify.opt_in(s, body.phone)
        return {"ok": True}
