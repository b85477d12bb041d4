"""招聘会 in the staff console (/console/fairs; thin routes over jiuye.fairs, staff login, CSRF on POST):

- /console/fairs: the fairs of the staff member's area (the weekly fair and live streams made from the
  data, and a form for a new fair), booth applications waiting for a decision (soonest fair first) and
  the intention follow-up queue's counts.
- /console/fairs/{id}: one fair: its booths by state with approve / return, the live stream's featured
  posts, the audit trail; links to the door, the report, the printable booth list and the CSV export.
- /console/fairs/{id}/door: the check-in page for a phone at the door: the code typed, or the QR scanned
  with the phone's camera (it opens this page with the code filled in); walk-ins registered here.
- /console/fairs/intentions: the follow-up tasks by time left; one intention's page: outcome, 30-day check.
"""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jiuye.web.pages.common import CSRF, DB, Staff, render, staff_user
from jiuye.web.pages.market_forms import PostedForm

router = APIRouter(prefix="/console/fairs", include_in_schema=False, default_response_class=HTMLResponse)
STAFF = Depends(staff_user)
NOTICES = {"created": "招聘会已建立。", "schedule": "已排出今后几周的招聘会和直播。", "approved": "已审核。",
           "returned": "已退回，单位会收到原因。", "featured": "已加入本期推介岗位。", "cancelled": "招聘会已取消。",
           "followed": "已记录回访结果。", "checked": "已记录 30 天在岗回访。", "intention": "已记录意向。"}
TABS = {"open": "待回访", "waiting": "次日生成", "checks": "30 天在岗回访", "all": "全部"}


def _page(request: Request, template: str, me, ctx: dict | None = None, status_code: int = 200):
    return render(request, template, {"user": me, "console": True, **(ctx or {})}, status_code=status_code)


def _error(request: Request, me, exc):
    status = getattr(exc, "status", 422)
    return _page(request, "console/message.html", me, {"message": str(exc), "status_code": status}, status_code=status)


def _home(request: Request, s, me, *, error=None, field=None, values=None, notice=None, status_code=200):
    from jiuye.fairs import booths, fairs, intentions
    from jiuye.fairs.settings import fairs as settings

    rows = [fairs.view(f, s=s) for f in fairs.for_staff(s, me, days_back=14)]
    return _page(request, "fairs/console_home.html", me, {
        "rows": rows, "pending": [{**booths.view(b), "fair": fairs.view(b.fair)} for b in booths.queue(s, me)],
        "open_count": len(intentions.queue(s, me, tab="open", limit=10_000)), "platforms": settings().online_platforms,
        "modes": fairs.MODE_LABELS, "v": {"kind": "onsite", "booths": "30", "start": "09:00", "end": "11:30", **(values or {})},
        "error": error, "field": field, "notice": notice}, status_code=status_code)


@router.get("")
def home(request: Request, s: DB, me: Staff, done: str = ""):
    return _home(request, s, me, notice=NOTICES.get(done))


@router.post("", dependencies=[STAFF, CSRF])
def create(request: Request, s: DB, me: Staff, form: PostedForm):
    from jiuye.fairs import fairs
    from jiuye.fairs.common import CaseError

    data = {k: str(form.get(k) or "")[:200] for k in ("name", "kind", "held_on", "start", "end", "place", "platform",
                                                       "booths", "assign_mode", "note")}
    try:
        f = fairs.create(s, me, data)
    except CaseError as exc:
        s.rollback()
        return _home(request, s, me, error=str(exc), field=exc.extra.get("field"), values=data, status_code=exc.status)
    return RedirectResponse(f"/console/fairs/{f.id}?done=created", status_code=303)


@router.post("/schedule", dependencies=[STAFF, CSRF])
def schedule(request: Request, s: DB, me: Staff):
    from jiuye.fairs import access, fairs
    from jiuye.fairs.common import actor_of

    ok, why = access.fair(actor_of(s, me), "edit", "open", district="兴安盟")
    if not ok:
        return _page(request, "console/message.html", me, {"message": why, "status_code": 403}, status_code=403)
    fairs.ensure_schedule(s)
    return RedirectResponse("/console/fairs?done=schedule", status_code=303)


def _fair(request: Request, s, me, fair_id: int, *, error=None, notice=None, status_code=200):
    from sqlalchemy import select

    from jiuye.fairs import access, booths, fairs
    from jiuye.fairs.common import EVENT_LABELS, CaseError, actor_of, clock
    from jiuye.fairs.models import FairEvent

    try:
        f = fairs.get(s, fair_id)
    except CaseError as exc:
        return _error(request, me, exc)
    actor = actor_of(s, me)
    if not (access.covers(actor, f.district) or actor.kind == "admin"):
        return _page(request, "console/message.html", me, {"message": "没有这场招聘会（或您无权查看）", "status_code": 404},
                     status_code=404)
    events = s.scalars(select(FairEvent).where(FairEvent.fair_id == f.id).order_by(FairEvent.id.desc()).limit(50)).all()
    may = {a: access.fair(actor, a, f.state, district=f.district, kind=f.kind)[0] for a in ("edit", "check_in", "report")}
    return _page(request, "fairs/console_fair.html", me, {
        "f": fairs.view(f, s=s), "booths": [booths.view(b) for b in booths.for_fair(s, me, f.id)], "may": may,
        "may_decide": access.covers(actor, f.district, access.DECIDE_ROLES), "posts": fairs.posts_of(s, f),
        "events": [{"at": clock.show(e.at), "label": EVENT_LABELS.get(e.kind, "其他"), "comment": e.comment or ""} for e in events],
        "error": error, "notice": notice}, status_code=status_code)


@router.get("/{fair_id}")
def fair(request: Request, s: DB, me: Staff, fair_id: int, done: str = ""):
    return _fair(request, s, me, fair_id, notice=NOTICES.get(done))


@router.post("/{fair_id}/cancel", dependencies=[STAFF, CSRF])
def cancel(request: Request, s: DB, me: Staff, fair_id: int, reason: Annotated[str, Form()] = ""):
    from jiuye.fairs import fairs
    from jiuye.fairs.common import CaseError

    try:
        fairs.cancel(s, me, fair_id, reason)
    except CaseError as exc:
        s.rollback()
        return _fair(request, s, me, fair_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/console/fairs/{fair_id}?done=cancelled", status_code=303)


@router.post("/{fair_id}/feature", dependencies=[STAFF, CSRF])
def feature(request: Request, s: DB, me: Staff, fair_id: int, posting_id: Annotated[str, Form()] = ""):
    from jiuye.fairs import fairs
    from jiuye.fairs.common import CaseError, Invalid

    try:
        if not posting_id.strip().isdigit() or len(posting_id.strip()) > 9:
            raise Invalid("请填写岗位编号（数字）", field="posting_id")
        fairs.feature(s, me, fair_id, int(posting_id))
    except CaseError as exc:
        s.rollback()
        return _fair(request, s, me, fair_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/console/fairs/{fair_id}?done=featured", status_code=303)


@router.post("/booths/{booth_id}/{action}", dependencies=[STAFF, CSRF])
def decide(request: Request, s: DB, me: Staff, booth_id: int, action: str, form: PostedForm):
    from jiuye.fairs import booths
    from jiuye.fairs.common import CaseError, Invalid

    reason, number = str(form.get("reason") or ""), str(form.get("booth_no") or "").strip()
    try:
        b = booths.load(s, me, booth_id)
        if action == "approve":
            if number and (not number.isdigit() or len(number) > 4):
                raise Invalid("展位号应为数字", field="booth_no")
            booths.approve(s, me, booth_id, booth_no=int(number) if number else None)
        elif action == "return":
            booths.return_(s, me, booth_id, reason)
        else:
            raise Invalid("未知的操作", field="action")
    except CaseError as exc:
        s.rollback()
        return _error(request, me, exc)
    return RedirectResponse(f"/console/fairs/{b.fair_id}?done={'approved' if action == 'approve' else 'returned'}",
                            status_code=303)


@router.get("/booths/{booth_id}/materials/{code}")
def material(request: Request, s: DB, me: Staff, booth_id: int, code: str):
    from jiuye.fairs import booths
    from jiuye.fairs.common import CaseError

    try:
        m, data = booths.material(s, me, booth_id, code[:20])
    except CaseError as exc:
        return _error(request, me, exc)
    return Response(data, media_type=m["type"], headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(m['name'])}"})


# --- the door --------------------------------------------------------------------------------------------
def _door(request: Request, s, me, fair_id: int, *, code: str = "", result=None, error=None, field=None, status_code=200):
    from jiuye.fairs import access, fairs, visitors
    from jiuye.fairs.common import CaseError, actor_of

    try:
        f = fairs.get(s, fair_id)
    except CaseError as exc:
        return _error(request, me, exc)
    ok, why = access.fair(actor_of(s, me), "check_in", f.state, district=f.district, kind=f.kind)
    if not ok:
        return _page(request, "console/message.html", me, {"message": why, "status_code": 403}, status_code=403)
    return _page(request, "fairs/console_door.html", me, {
        "f": fairs.view(f, s=s), "code": visitors.normalise_code(code)[:16], "result": result, "error": error, "field": field,
        "checked": visitors.checked_in_count(s, f.id)}, status_code=status_code)


@router.get("/{fair_id}/door")
def door(request: Request, s: DB, me: Staff, fair_id: int, code: str = ""):
    return _door(request, s, me, fair_id, code=code[:200])


@router.post("/{fair_id}/door", dependencies=[STAFF, CSRF])
def door_check_in(request: Request, s: DB, me: Staff, fair_id: int, code: Annotated[str, Form()] = ""):
    from jiuye.fairs import visitors
    from jiuye.fairs.common import CaseError

    try:
        v, first = visitors.check_in(s, me, fair_id, code[:200])
    except CaseError as exc:
        s.rollback()
        return _door(request, s, me, fair_id, code=code[:200], error=str(exc), field=exc.extra.get("field"),
                     status_code=exc.status)
    # the name whole (to compare with the 身份证 shown at the door), the phone masked
    return _door(request, s, me, fair_id, result={**visitors.view(v), "name": v.name, "first": first})


@router.post("/{fair_id}/walk-in", dependencies=[STAFF, CSRF])
def walk_in(request: Request, s: DB, me: Staff, fair_id: int, name: Annotated[str, Form()] = "",
            phone: Annotated[str, Form()] = ""):
    from jiuye.fairs import visitors
    from jiuye.fairs.common import CaseError

    try:
        v = visitors.walk_in(s, me, fair_id, name=name, phone=phone)
    except CaseError as exc:
        s.rollback()
        return _door(request, s, me, fair_id, error=str(exc), field=exc.extra.get("field"), status_code=exc.status)
    return _door(request, s, me, fair_id, result={**visitors.view(v), "name": v.name, "code": v.code, "first": True,
                                                  "walk_in": True})


@router.post("/booths/{booth_id}/intentions/new", dependencies=[STAFF, CSRF])
def record(request: Request, s: DB, me: Staff, booth_id: int, code: Annotated[str, Form()] = "",
           note: Annotated[str, Form()] = ""):
    from jiuye.fairs import intentions
    from jiuye.fairs.common import CaseError

    try:
        i = intentions.record(s, me, booth_id, code=code[:200], note=note)
    except CaseError as exc:
        s.rollback()
        return _error(request, me, exc)
    return RedirectResponse(f"/console/fairs/intentions/{i.id}?done=intention", status_code=303)


# --- reports and the follow-up queue ------------------------------------------------------------------
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/{fair_id}/report")
def report(request: Request, s: DB, me: Staff, fair_id: int, format: str = ""):
    from jiuye.fairs import report as rep
    from jiuye.fairs.common import CaseError

    try:
        if format == "csv":
            return Response(rep.csv_text(s, me, fair_id), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f"attachment; filename=fair-{fair_id}-report.csv"})
        if format == "xlsx":
            return Response(rep.xlsx_bytes(s, me, fair_id), media_type=XLSX,
                            headers={"Content-Disposition": f"attachment; filename=fair-{fair_id}-report.xlsx"})
        r = rep.compute(s, me, fair_id)
        rows = rep.booth_list(s, me, fair_id)
    except CaseError as exc:
        return _error(request, me, exc)
    return _page(request, "fairs/console_report.html", me, {"r": r, "rows": rows})


@router.get("/{fair_id}/booths/print")
def print_booths(request: Request, s: DB, me: Staff, fair_id: int):
    from jiuye.fairs import report as rep
    from jiuye.fairs.common import CaseError

    try:
        r = rep.compute(s, me, fair_id)
        rows = rep.booth_list(s, me, fair_id)
    except CaseError as exc:
        return _error(request, me, exc)
    return _page(request, "fairs/console_print.html", me, {"f": r["fair"], "rows": rows})


@router.get("/intentions/queue")
def queue(request: Request, s: DB, me: Staff, tab: str = "open"):
    from jiuye.fairs import intentions

    tab = tab if tab in TABS else "open"
    rows = [intentions.view(i) for i in intentions.queue(s, me, tab=tab)]
    return _page(request, "fairs/console_queue.html", me, {"rows": rows, "tab": tab, "tabs": TABS})


@router.get("/intentions/{intention_id}")
def intention(request: Request, s: DB, me: Staff, intention_id: int, done: str = ""):
    from jiuye.fairs import access, intentions
    from jiuye.fairs.common import CaseError, actor_of

    try:
        i = intentions.load(s, me, intention_id)
    except CaseError as exc:
        return _error(request, me, exc)
    actor = actor_of(s, me)
    ids = intentions._ids(i)
    may = {a: access.intention(actor, a, i.state, **ids)[0] for a in ("follow_up", "check_30")}
    return _page(request, "fairs/console_intention.html", me, {
        "i": intentions.view(i, full=may["follow_up"] or may["check_30"]), "may": may, "outcomes": intentions.OUTCOMES,
        "notice": NOTICES.get(done), "market_note": intentions.market_note(s, i)})


@router.post("/intentions/{intention_id}/{action}", dependencies=[STAFF, CSRF])
def intention_act(request: Request, s: DB, me: Staff, intention_id: int, action: str, form: PostedForm):
    from jiuye.fairs import intentions
    from jiuye.fairs.common import CaseError, Invalid
    from jiuye.fairs.fairs import _date

    try:
        if action == "follow-up":
            hired = str(form.get("hired_on") or "").strip()
            intentions.follow_up(s, me, intention_id, str(form.get("outcome") or ""), note=str(form.get("note") or ""),
                                 hired_on=_date(hired, "hired_on") if hired else None)
            done = "followed"
        elif action == "check-30":
            intentions.check_30(s, me, intention_id, str(form.get("still_working") or "") == "1")
            done = "checked"
        else:
            raise Invalid("未知的操作", field="action")
    except CaseError as exc:
        s.rollback()
        return _error(request, me, exc)
    return RedirectResponse(f"/console/fairs/intentions/{intention_id}?done={done}", status_code=303)
