"""The labour market in the staff console (/console/market): the review queue and a post's review
(flags with the rules quoted; approve or return with a reason), 求职登记 of the district (masked
lists, registration at the window, 职业介绍), statistics with charts and CSV/XLSX export, the record of
messages sent. Thin routes over jiuye.market; staff login required (GET and POST), CSRF on POST.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jiuye.web.pages.common import CSRF, DB, Staff, core_staff_user, render, staff_user, table_file
from jiuye.web.pages.market_forms import PostedForm, choices, seeker_data, seeker_form_values

# the labour market is the employment offices' work: a partner (经办银行) is refused (403)
router = APIRouter(prefix="/console/market", include_in_schema=False, default_response_class=HTMLResponse,
                   dependencies=[Depends(core_staff_user)])
STAFF = Depends(staff_user)
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
NOTICES = {"approve": "岗位已通过审核并公开。符合条件的求职者稍后会收到新岗位通知。", "return": "岗位已退回单位修改。", "registered": "求职登记已办理。",
           "recommended": "已推荐（职业介绍），单位和求职者都会收到通知。", "confirmed": "已确认求职登记。",
           "closed": "求职登记已关闭。"}


def _page(request: Request, template: str, me, ctx: dict | None = None, status_code: int = 200):
    return render(request, template, {"user": me, "console": True, **(ctx or {})}, status_code=status_code)


def _error(request: Request, me, exc, status_code: int | None = None):
    status = status_code or getattr(exc, "status", 422)
    return _page(request, "console/message.html", me, {"message": str(exc), "status_code": status}, status_code=status)


@router.get("")
def queue(request: Request, s: DB, me: Staff, state: str = "pending"):
    from jiuye.market import access, postings, seekers
    from jiuye.market.common import CaseError, market_actor

    actor = market_actor(s, me)
    try:
        rows = postings.list_for(s, me, state=state or None, limit=300)
    except CaseError as exc:
        return _error(request, me, exc)
    return _page(request, "market/console_queue.html", me, {
        "rows": [postings.view(p, staff=True) for p in rows], "state": state, "states": postings.STATE_LABELS,
        "may_review": actor.role in access.REVIEW_ROLES, "scope": access.stats_scope(actor) or "全盟",
        "active_seekers": len(seekers.list_for(s, me, state="active", limit=100_000))})


@router.get("/posts/{posting_id}")
def post_page(request: Request, s: DB, me: Staff, posting_id: int, done: str = ""):
    return _post(request, s, me, posting_id, notice=NOTICES.get(done))


def _post(request: Request, s, me, posting_id: int, *, notice=None, error=None, status_code: int = 200):
    from jiuye.market import access, applications, postings
    from jiuye.market.common import CaseError, market_actor

    try:
        p = postings.load(s, me, posting_id, "applicants")
    except CaseError as exc:
        return _error(request, me, exc)
    actor = market_actor(s, me)
    may_review = access.posting(actor, "approve", p.state, owner_employer_id=p.employer_id,
                                scope_district=p.scope_district)
    return _page(request, "market/console_post.html", me, {
        "p": postings.view(p, detail=True, staff=True), "notice": notice, "error": error, "may_review": may_review,
        "apps": [applications.view(a) for a in applications.for_posting(s, me, p.id)],
        "verified": any(u.identity_verified_at for u in postings._employer_users(s, p.employer_id))},
        status_code=status_code)


@router.post("/posts/{posting_id}/review", dependencies=[STAFF, CSRF])
def review(request: Request, s: DB, me: Staff, posting_id: int, decision: Annotated[str, Form()] = "",
           note: Annotated[str, Form()] = "", version: Annotated[str, Form()] = ""):
    from jiuye.market import postings
    from jiuye.market.common import CaseError, NotFound

    try:
        postings.review_post(s, me, posting_id, decision, note, expected_version=int(version) if version.isdigit() else None)
    except NotFound as exc:
        return _error(request, me, exc)
    except CaseError as exc:
        s.rollback()
        return _post(request, s, me, posting_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/console/market/posts/{posting_id}?done={decision}", status_code=303)


# --- 求职登记 ---------------------------------------------------------------------------------------
@router.get("/seekers")
def seekers_list(request: Request, s: DB, me: Staff, state: str = "active"):
    from jiuye.market import seekers
    from jiuye.market.common import CaseError

    try:
        rows = seekers.list_for(s, me, state=state or None, limit=500)
    except CaseError as exc:
        return _error(request, me, exc)
    return _page(request, "market/console_seekers.html", me, {
        "rows": [seekers.view(sk) for sk in rows], "state": state, "states": seekers.STATE_LABELS})


def _register_page(request: Request, me, v: dict, *, error=None, status_code=200, person=None):
    return _page(request, "market/console_register.html", me, {"v": v, "c": choices(), "error": error,
                                                               "person": person or {}}, status_code=status_code)


@router.get("/seekers/new")
def register_form(request: Request, me: Staff):
    return _register_page(request, me, seeker_form_values(None))


@router.post("/seekers/new", dependencies=[STAFF, CSRF])
def register_submit(request: Request, s: DB, me: Staff, form: PostedForm):
    from jiuye.market import seekers
    from jiuye.market.common import CaseError

    data = seeker_data(form)
    person = {k: str(form.get(k) or "").strip() for k in ("name", "id_number", "phone")}
    try:
        sk = seekers.register(s, me, data, id_number=person["id_number"], name=person["name"],
                              phone=person["phone"] or None)
    except CaseError as exc:
        s.rollback()
        return _register_page(request, me, seeker_form_values(data), error=str(exc), person=person,
                              status_code=exc.status if exc.status in (403, 409) else 422)
    return RedirectResponse(f"/console/market/seekers/{sk.id}?done=registered", status_code=303)


@router.get("/seekers/{seeker_id}")
def seeker_page(request: Request, s: DB, me: Staff, seeker_id: int, done: str = ""):
    return _seeker(request, s, me, seeker_id, notice=NOTICES.get(done))


def _seeker(request: Request, s, me, seeker_id: int, *, notice=None, error=None, status_code: int = 200):
    from sqlalchemy import select

    from jiuye.market import applications, live, policies, postings, seekers
    from jiuye.market.common import CaseError
    from jiuye.market.models import Application

    try:
        sk = seekers.load(s, me, seeker_id)
    except CaseError as exc:
        return _error(request, me, exc)
    apps = s.scalars(select(Application).where(Application.seeker_id == sk.id).order_by(Application.id.desc())).all()
    matches, seeking = [], None
    if sk.state == "active":
        rec = seekers.record_of(sk)
        seeking = policies.for_seeker(rec, None, district=sk.district)  # the same whatever the post
        for p, _score, reasons in live.matches_for(s, rec, 10):  # 职业介绍 with 政策找人: what the hire could bring each side
            post = postings.record_of(p)
            matches.append({"p": postings.view(p), "reasons": reasons, "policies": {
                "employer": policies.for_employer(rec, post, district=policies.employer_district(p)),
                "seeker": policies.for_seeker(rec, post, district=sk.district, only_post=True)}})
    return _page(request, "market/console_seeker.html", me, {"seeking": seeking,
        "r": seekers.view(sk, detail=True, full_identity=True), "apps": [applications.view(a, as_seeker=True) for a in apps],
        "matches": matches, "notice": notice, "error": error,
        "outcomes": {k: v for k, v in seekers.OUTCOMES.items() if k != "hired_here"}}, status_code=status_code)


@router.post("/seekers/{seeker_id}/recommend", dependencies=[STAFF, CSRF])
def recommend(request: Request, s: DB, me: Staff, seeker_id: int, posting_id: Annotated[str, Form()] = "",
              note: Annotated[str, Form()] = ""):
    from jiuye.market import applications
    from jiuye.market.common import CaseError

    if not posting_id.strip().isdigit():
        return _seeker(request, s, me, seeker_id, error="请选择要推荐的岗位", status_code=422)
    try:
        applications.recommend(s, me, seeker_id, int(posting_id), note)
    except CaseError as exc:
        s.rollback()
        return _seeker(request, s, me, seeker_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/console/market/seekers/{seeker_id}?done=recommended", status_code=303)


@router.post("/seekers/{seeker_id}/confirm", dependencies=[STAFF, CSRF])
def confirm(request: Request, s: DB, me: Staff, seeker_id: int):
    return _seeker_act(request, s, me, seeker_id, "confirm")


@router.post("/seekers/{seeker_id}/close", dependencies=[STAFF, CSRF])
def close(request: Request, s: DB, me: Staff, seeker_id: int, outcome: Annotated[str, Form()] = "",
          note: Annotated[str, Form()] = ""):
    return _seeker_act(request, s, me, seeker_id, "close", outcome, note)


def _seeker_act(request: Request, s, me, seeker_id: int, what: str, outcome: str = "", note: str = ""):
    from jiuye.market import seekers
    from jiuye.market.common import CaseError

    try:
        if what == "confirm":
            seekers.confirm(s, me, seeker_id)
        else:
            seekers.close(s, me, seeker_id, outcome, note)
    except CaseError as exc:
        s.rollback()
        return _seeker(request, s, me, seeker_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/console/market/seekers/{seeker_id}?done={'confirmed' if what == 'confirm' else 'closed'}",
                            status_code=303)


# --- statistics and the outbox ---------------------------------------------------------------------
def _period(start: str, end: str) -> tuple[dt.date | None, dt.date | None]:
    from jiuye.market.common import Invalid

    try:
        return (dt.date.fromisoformat(start) if start else None, dt.date.fromisoformat(end) if end else None)
    except ValueError:
        raise Invalid("日期格式应为 YYYY-MM-DD", field="start") from None


@router.get("/stats")
def stats_page(request: Request, s: DB, me: Staff, start: str = "", end: str = ""):
    from jiuye.market import stats
    from jiuye.market.common import CaseError
    from jiuye.web.pages.market_charts import bars

    try:
        d = stats.compute(s, me, start=_period(start, end)[0], end=_period(start, end)[1])
    except CaseError as exc:
        return _error(request, me, exc)
    charts = [
        bars("各旗县市求职登记与招用人数", [(r["district"], r["seekers"], r["places"]) for r in d["by_district"]],
             ("求职登记", "招用人数")),
        bars("按月：求职登记与招用人数", [(r["month"], r["seekers"], r["places"]) for r in d["by_month"]],
             ("求职登记", "招用人数")),
        bars("按职业：求职登记与招用人数（前15）", [(r["occupation"], r["seekers"], r["places"]) for r in d["by_occupation"][:15]],
             ("求职登记", "招用人数")),
    ]
    return _page(request, "market/console_stats.html", me, {"d": d, "charts": charts, "start": start, "end": end,
                                                             "query": f"start={quote(start)}&end={quote(end)}"})


@router.get("/stats.{fmt}", response_class=Response)
def stats_export(request: Request, s: DB, me: Staff, fmt: str, start: str = "", end: str = ""):
    from jiuye.market import stats
    from jiuye.market.common import CaseError

    if fmt not in MEDIA:
        return _error(request, me, ValueError("只能导出为 csv 或 xlsx"), 404)
    try:
        d = stats.compute(s, me, start=_period(start, end)[0], end=_period(start, end)[1])
    except CaseError as exc:
        return _error(request, me, exc)
    return table_file(fmt, lambda path: stats.export(d, path), "供求统计")


@router.get("/outbox")
def outbox(request: Request, s: DB, me: Staff):
    from sqlalchemy import select

    from jiuye.market import notify
    from jiuye.market.models import OutboxMessage

    if me.role not in ("league_center", "admin"):  # messages are league-wide: not one district's
        return _error(request, me, ValueError("消息发送记录由盟中心或管理员查看"), 403)
    rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(300)).all()
    return _page(request, "market/console_outbox.html", me, {"rows": [notify.outbox_view(m) for m in rows]})


__all__ = ["router"]
