"""打工直通车 in the staff console (/console/dagong): the follow-up queue ordered by time left (overdue
and escalated first), a sign-up's page (contact attempts, 身份证号, 推荐, 出发, 上岗, 30-day visit,
close), group sign-ups, the station registry (the centre edits it, opens station master accounts),
and the station / district tables with CSV/XLSX export. Thin routes over jiuye.platforms; staff
login required, CSRF on POST.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jiuye.web.pages.common import CSRF, DB, Staff, render, staff_user
from jiuye.web.pages.dagong_shared import console_error as _error, export_response, group_action, group_page
from jiuye.web.pages.dagong_shared import period as _period
from jiuye.web.pages.market_forms import PostedForm

router = APIRouter(prefix="/console/dagong", include_in_schema=False, default_response_class=HTMLResponse)
STAFF = Depends(staff_user)
NOTICES = {"contact": "已记录这次联系。", "identify": "已记录身份证号。", "recommend": "已推荐。", "depart": "已记录出发。",
           "start": "已记录上岗，30天后回访。", "visit": "已记录在岗回访。", "close": "报名已结束。",
           "station": "工作站已保存。", "master": "站长账号已开通。", "group_departed": "已记录这批人员出发。",
           "member": "已添加。", "cancelled": "集体报名已取消。"}
PAGE = 100


def _page(request: Request, template: str, me, ctx: dict | None = None, status_code: int = 200):
    return render(request, template, {"user": me, "console": True, **(ctx or {})}, status_code=status_code)


@router.get("")
def queue(request: Request, s: DB, me: Staff, tab: str = "contact", page: str = "1"):
    from jiuye.platforms import signups
    from jiuye.platforms.common import CaseError
    from jiuye.platforms.settings import follow_up_basis

    n = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    try:
        total, rows = signups.queue(s, me, tab=tab, limit=PAGE, offset=(n - 1) * PAGE)
    except CaseError as exc:
        return _error(request, me, exc)
    return _page(request, "dagong/console_queue.html", me, {
        "rows": [signups.view(r) for r in rows], "total": total, "tab": tab, "tabs": signups.TABS,
        "counts": signups.tab_counts(s, me), "overdue": signups.overdue_count(s, me), "page": n,
        "pages": max(1, -(-total // PAGE)), "basis": follow_up_basis()})


def _signup(request: Request, s, me, signup_id: int, *, error=None, field=None, status_code=200, notice=None):
    from jiuye.market import postings
    from jiuye.platforms import access, clock, followup, signups
    from jiuye.platforms.common import CaseError, actor_of
    from jiuye.platforms.models import PlatformEvent
    from jiuye.platforms.settings import dagong, follow_up_basis, result_label
    from sqlalchemy import select

    try:
        su = signups.load(s, me, signup_id)
    except CaseError as exc:
        return _error(request, me, exc)
    actor = actor_of(s, me)
    may = {a: access.signup(actor, a, su.state, district=su.district, station_id=su.station_id)[0]
           for a in access.SIGNUP_ACTIONS}
    cfg = dagong()
    _total, open_posts = postings.search(s, limit=200) if may["recommend"] else (0, [])
    events = s.scalars(select(PlatformEvent).where(PlatformEvent.signup_id == su.id).order_by(PlatformEvent.id)).all()
    from jiuye.platforms.labels import EVENT_LABELS

    return _page(request, "dagong/console_signup.html", me, {
        "r": signups.view(su, full=may["contact"]), "may": may, "error": error, "field": field, "notice": notice,
        "attempts": [{"at": a.at, "channel": cfg.contact_channels.get(a.channel, ""), "result": result_label(a.result),
                      "note": a.note} for a in followup.attempts(s, me, su.id)],
        "events": [{"at": e.at, "label": EVENT_LABELS.get(e.kind, "其他"), "comment": e.comment} for e in events],
        "results": {k: v.label for k, v in cfg.contact_results.items()}, "channels": cfg.contact_channels,
        "reasons": cfg.close_reasons, "posts": [postings.view(p) for p in open_posts if p.places_left > 0],
        "today": clock.today().isoformat(), "basis": follow_up_basis(),
        "visit_days": cfg.retention_visit.days}, status_code=status_code)


@router.get("/signups/{signup_id}")
def signup_page(request: Request, s: DB, me: Staff, signup_id: int, done: str = ""):
    return _signup(request, s, me, signup_id, notice=NOTICES.get(done))


def _int(v: str | None) -> int | None:
    return int(v) if v and v.strip().isdigit() and len(v.strip()) < 10 else None


@router.post("/signups/{signup_id}/{action}", dependencies=[STAFF, CSRF])
def signup_act(request: Request, s: DB, me: Staff, signup_id: int, action: str, form: PostedForm):
    from jiuye.platforms import followup
    from jiuye.platforms.common import CaseError, Invalid

    f = {k: str(form.get(k) or "") for k in ("result", "channel", "note", "id_number", "name", "posting_id",
                                              "started_on", "still_working", "reason", "version", "to_market")}
    version = _int(f["version"])
    try:
        if action == "contact":
            followup.contact(s, me, signup_id, result=f["result"], channel=f["channel"] or "phone", note=f["note"],
                             expected_version=version)
        elif action == "identify":
            followup.identify(s, me, signup_id, f["id_number"], name=f["name"] or None, expected_version=version)
        elif action == "recommend":
            _su, warning = followup.recommend(s, me, signup_id, posting_id=_int(f["posting_id"]), note=f["note"],
                                              to_market=f["to_market"] != "0", expected_version=version)
            if warning:
                return _signup(request, s, me, signup_id, notice=f"已推荐。{warning}")
        elif action == "depart":
            followup.depart(s, me, signup_id, expected_version=version)
        elif action == "start":
            try:
                day = dt.date.fromisoformat(f["started_on"])
            except ValueError:
                raise Invalid("上岗日期格式应为 YYYY-MM-DD", field="started_on") from None
            followup.start(s, me, signup_id, started_on=day, note=f["note"], expected_version=version)
        elif action == "visit":
            if f["still_working"] not in ("1", "0"):
                raise Invalid("请选择回访时是否仍在岗", field="still_working")
            followup.visit(s, me, signup_id, still_working=f["still_working"] == "1", note=f["note"],
                           expected_version=version)
        elif action == "close":
            followup.close(s, me, signup_id, reason=f["reason"], note=f["note"], expected_version=version)
        else:
            return _error(request, me, ValueError("没有这个操作"), 404)
    except CaseError as exc:
        s.rollback()
        return _signup(request, s, me, signup_id, error=str(exc), field=exc.extra.get("field"), status_code=exc.status)
    return RedirectResponse(f"/console/dagong/signups/{signup_id}?done={action}", status_code=303)


# --- groups ---------------------------------------------------------------------------------------
@router.get("/groups")
def groups_list(request: Request, s: DB, me: Staff):
    from jiuye.platforms import groups

    return _page(request, "dagong/console_groups.html", me, {"rows": [groups.view(s, g) for g in groups.list_for(s, me)]})


@router.get("/groups/{group_id}")
def group_view(request: Request, s: DB, me: Staff, group_id: int, done: str = ""):
    return group_page(request, s, me, group_id, base="/console/dagong", notice=NOTICES.get(done))


@router.post("/groups/{group_id}/{action}", dependencies=[STAFF, CSRF])
def group_act(request: Request, s: DB, me: Staff, group_id: int, action: str, name: Annotated[str, Form()] = "",
              phone: Annotated[str, Form()] = "", client_token: Annotated[str, Form()] = ""):
    return group_action(request, s, me, group_id, action, "/console/dagong", name, phone, client_token)


# --- stations -------------------------------------------------------------------------------------
@router.get("/stations")
def stations_list(request: Request, s: DB, me: Staff, done: str = ""):
    from jiuye.platforms import access, stations
    from jiuye.platforms.common import actor_of

    rows = stations.list_for(s, me)
    counts = stations.counts(s, [x.id for x in rows])
    actor = actor_of(s, me)
    return _page(request, "dagong/console_stations.html", me, {
        "rows": [{**stations.view(x), "signups": counts.get(x.id, 0)} for x in rows], "declared": stations.declared(),
        "may_create": access.create_station(actor, me.district or "")[0], "notice": NOTICES.get(done)})


def _station_form(request: Request, s, me, st=None, *, values=None, error=None, field=None, status_code=200, notice=None):
    from jiuye.market.postings import league_districts
    from jiuye.platforms import stations

    v = stations.view(st, full=True) if st is not None else {"district": me.district if me.district != "兴安盟" else ""}
    return _page(request, "dagong/console_station.html", me, {
        "st": v if st is not None else None, "v": {**v, **(values or {})}, "labels": stations.LABELS,
        "districts": ["兴安盟", *league_districts()], "error": error, "field": field, "notice": notice},
        status_code=status_code)


@router.get("/stations/new")
def station_new(request: Request, s: DB, me: Staff):
    return _station_form(request, s, me)


FIELDS = ("name", "district", "town", "village", "master_name", "phone", "terminal")


@router.post("/stations/new", dependencies=[STAFF, CSRF])
def station_create(request: Request, s: DB, me: Staff, form: PostedForm):
    from jiuye.platforms import stations
    from jiuye.platforms.common import CaseError

    v = {k: str(form.get(k) or "")[:100] for k in FIELDS}
    try:
        st = stations.create(s, me, v, code=str(form.get("code") or "") or None)
    except CaseError as exc:
        s.rollback()
        return _station_form(request, s, me, values=v, error=str(exc), field=exc.extra.get("field"), status_code=exc.status)
    return RedirectResponse(f"/console/dagong/stations/{st.id}?done=station", status_code=303)


@router.get("/stations/{station_id}")
def station_page(request: Request, s: DB, me: Staff, station_id: int, done: str = ""):
    from jiuye.platforms import stations
    from jiuye.platforms.common import CaseError

    try:
        st = stations.load(s, me, station_id, "edit")
    except CaseError as exc:
        return _error(request, me, exc)
    return _station_form(request, s, me, st, notice=NOTICES.get(done))


@router.post("/stations/{station_id}", dependencies=[STAFF, CSRF])
def station_save(request: Request, s: DB, me: Staff, station_id: int, form: PostedForm):
    from jiuye.platforms import stations
    from jiuye.platforms.common import CaseError

    v = {k: str(form.get(k) or "")[:100] for k in FIELDS}
    try:
        stations.update(s, me, station_id, v, active=str(form.get("active") or "1") == "1",
                        expected_version=_int(str(form.get("version") or "")))
    except CaseError as exc:
        s.rollback()
        try:
            st = stations.load(s, me, station_id, "edit")
        except CaseError as exc2:
            return _error(request, me, exc2)
        return _station_form(request, s, me, st, values=v, error=str(exc), field=exc.extra.get("field"),
                             status_code=exc.status)
    return RedirectResponse(f"/console/dagong/stations/{station_id}?done=station", status_code=303)


@router.post("/stations/{station_id}/master", dependencies=[STAFF, CSRF])
def station_master(request: Request, s: DB, me: Staff, station_id: int, username: Annotated[str, Form()] = "",
                   password: Annotated[str, Form()] = "", display_name: Annotated[str, Form()] = ""):
    from jiuye.platforms import stations
    from jiuye.platforms.common import CaseError

    try:
        stations.open_master_account(s, me, station_id, username=username.strip(), password=password,
                                     display_name=display_name or None)
    except CaseError as exc:
        s.rollback()
        try:
            st = stations.load(s, me, station_id, "edit")
        except CaseError as exc2:
            return _error(request, me, exc2)
        return _station_form(request, s, me, st, error=str(exc), field=exc.extra.get("field"), status_code=exc.status)
    return RedirectResponse(f"/console/dagong/stations/{station_id}?done=master", status_code=303)


# --- tables ---------------------------------------------------------------------------------------


@router.get("/tables")
def tables_page(request: Request, s: DB, me: Staff, start: str = "", end: str = ""):
    from jiuye.platforms import tables
    from jiuye.platforms.common import CaseError

    try:
        d = tables.compute(s, me, start=_period(start, end)[0], end=_period(start, end)[1])
    except CaseError as exc:
        return _error(request, me, exc)
    return _page(request, "dagong/tables.html", me, {"d": d, "export": "/console/dagong/tables", "start": start,
                                                     "end": end, "query": f"start={quote(start)}&end={quote(end)}"})




@router.get("/tables.{fmt}", response_class=Response)
def tables_export(request: Request, s: DB, me: Staff, fmt: str, start: str = "", end: str = ""):
    return export_response(request, s, me, fmt, start, end)


__all__ = ["router"]
