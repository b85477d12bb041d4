"""兴安打工直通车 for citizens and station masters: thin pages over jiuye.platforms.

- /dagong: the open posts, phone-first (small pages, large fields, no account). At a station's
  terminal the address carries the station (?station=CODE). /dagong/posts/{id}: name and phone; the
  form keeps itself in the browser while it is typed (static/dagong-draft.js), and its one-time key
  makes a second send the same sign-up. /dagong/done: the receipt and the 24-hour promise, with its source.
- /station: the station master (role station_master, login at /login): 站长代报名, their station's
  sign-ups (masked in the list), group sign-ups (a bus of workers), departures, the station's table.
CSRF on every POST; errors re-render the form with what was typed (nothing lost), in Chinese.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from jiuye.web.pages.common import CSRF, DB, LoginRequired, PageUser, render
from jiuye.web.pages.dagong_shared import export_response, group_action, group_page
from jiuye.web.pages.market_forms import PostedForm

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PAGE = 20


def _basis() -> dict:
    from jiuye.platforms.settings import dagong, follow_up_basis

    return {"hours": dagong().follow_up.hours, "basis": follow_up_basis()}


def _station_of(s, code: str | None):
    from jiuye.platforms import stations

    st = stations.by_code(s, code)
    return stations.view(st) if st is not None else None


@router.get("/dagong")
def index(request: Request, s: DB, user: PageUser, q: str = "", district: str = "", station: str = "", page: str = "1"):
    from jiuye.market import postings
    from jiuye.market.common import CaseError

    n = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
    error, total, rows = None, 0, []
    try:
        total, found = postings.search(s, q=q[:200], district=district[:20] or None, limit=PAGE, offset=(n - 1) * PAGE)
        rows = [postings.view(p) for p in found if p.places_left > 0]
    except CaseError as exc:
        error = str(exc)
    return render(request, "dagong/index.html", {
        "user": user, "rows": rows, "total": total, "page": n, "pages": max(1, -(-total // PAGE)), "q": q[:200],
        "district": district[:20], "districts": postings.league_districts(), "station": _station_of(s, station),
        "station_code": station[:40], "error": error, **_basis()})


def _form_page(request: Request, s, user, posting_id: int, *, station: str = "", values: dict | None = None,
               error: str | None = None, field: str | None = None, status_code: int = 200):
    from jiuye.market import postings
    from jiuye.market.common import CaseError
    from jiuye.platforms import signups

    try:
        p = postings.load(s, None, posting_id)
    except CaseError:
        return render(request, "error.html", {"user": user, "status_code": 404,
                                              "message": "没有这个岗位，或它已停止招聘。请回到「打工直通车」重新选择。"},
                      status_code=404)
    v = {"name": "", "phone": "", "note": "", "client_token": signups.new_token(), **(values or {})}
    return render(request, "dagong/form.html", {
        "user": user, "p": postings.view(p, detail=True), "v": v, "station": _station_of(s, station),
        "station_code": station[:40], "error": error, "field": field, **_basis()}, status_code=status_code)


@router.get("/dagong/posts/{posting_id}")
def form(request: Request, s: DB, user: PageUser, posting_id: int, station: str = ""):
    return _form_page(request, s, user, posting_id, station=station)


@router.post("/dagong/posts/{posting_id}", dependencies=[CSRF])
def submit(request: Request, s: DB, user: PageUser, posting_id: int, name: Annotated[str, Form()] = "",
           phone: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
           client_token: Annotated[str, Form()] = "", station: Annotated[str, Form()] = ""):
    from jiuye.cases import throttle
    from jiuye.platforms import signups
    from jiuye.platforms.common import CaseError

    values = {"name": name[:50], "phone": phone[:30], "note": note[:500], "client_token": client_token[:64]}
    try:
        su, _created = signups.create(s, user, posting_id=posting_id, name=name, phone=phone, note=note,
                                      client_token=client_token or None, station_code=station or None,
                                      address=throttle.address_of(request))
    except CaseError as exc:
        s.rollback()
        if exc.extra.get("field") == "client_token":
            values["client_token"] = signups.new_token()
        return _form_page(request, s, user, posting_id, station=station, values=values, error=str(exc),
                          field=exc.extra.get("field"), status_code=exc.status)
    if not client_token or su.client_token != client_token:  # already signed up for this post (another form)
        return render(request, "dagong/done.html", {"user": user, "r": signups.view(su), "again": True,
                                                    "draft_key": f"dagong-{posting_id}", **_basis()})
    return RedirectResponse(f"/dagong/done?t={su.client_token}", status_code=303)


@router.get("/dagong/done")
def done(request: Request, s: DB, user: PageUser, t: str = ""):
    from jiuye.platforms import signups

    su = signups.by_token(s, t)
    if su is None:
        return render(request, "error.html", {"user": user, "status_code": 404,
                                              "message": "没有找到这次报名。请回到「打工直通车」重新报名。"}, status_code=404)
    return render(request, "dagong/done.html", {"user": user, "r": signups.view(su), "again": False,
                                                "draft_key": f"dagong-{su.posting_id}", **_basis()})


# --- the station master -------------------------------------------------------------------------------
def master_user(request: Request, user: PageUser) -> Any:
    if user is None or user.role != "station_master":
        raise LoginRequired("/login", str(request.url.path))
    return user


Master = Annotated[Any, Depends(master_user)]
MASTER = Depends(master_user)
NOTICES = {"signed": "已代报名，客服将在24小时内联系本人。", "withdrawn": "报名已撤回。", "departed": "已记录出发。",
           "group": "集体报名已建立，请逐一添加人员。", "member": "已添加。", "group_departed": "已记录这批人员出发。",
           "cancelled": "集体报名已取消。"}


def _home(request: Request, s, me, *, values=None, error=None, field=None, status_code=200, notice=None):
    from jiuye.market import postings
    from jiuye.platforms import groups, signups, stations

    st = stations.station_of_master(s, me)
    _total, open_posts = postings.search(s, limit=200)
    total, rows = signups.queue(s, me, tab="all", limit=100)
    return render(request, "dagong/station_home.html", {
        "user": me, "st": stations.view(st, full=True) if st else None,
        "posts": [postings.view(p) for p in open_posts if p.places_left > 0],
        "rows": [signups.view(r) for r in rows], "total": total, "counts": signups.tab_counts(s, me),
        "groups": [groups.view(s, g) for g in groups.list_for(s, me, limit=50)],
        "v": {"posting_id": "", "name": "", "phone": "", "note": "", "client_token": signups.new_token(), **(values or {})},
        "error": error, "field": field, "notice": notice, **_basis()}, status_code=status_code)


@router.get("/station")
def station_home(request: Request, s: DB, me: Master, done: str = ""):
    return _home(request, s, me, notice=NOTICES.get(done))


@router.post("/station/signups", dependencies=[MASTER, CSRF])
def station_sign_up(request: Request, s: DB, me: Master, posting_id: Annotated[str, Form()] = "",
                    name: Annotated[str, Form()] = "", phone: Annotated[str, Form()] = "",
                    note: Annotated[str, Form()] = "", client_token: Annotated[str, Form()] = ""):
    from jiuye.platforms import signups
    from jiuye.platforms.common import CaseError

    values = {"posting_id": posting_id[:12], "name": name[:50], "phone": phone[:30], "note": note[:500],
              "client_token": client_token[:64]}
    try:
        signups.create(s, me, posting_id=posting_id, name=name, phone=phone, note=note,
                       client_token=client_token or None)
    except CaseError as exc:
        s.rollback()
        return _home(request, s, me, values=values, error=str(exc), field=exc.extra.get("field"),
                     status_code=exc.status)
    return RedirectResponse("/station?done=signed", status_code=303)


def _signup_page(request: Request, s, me, signup_id: int, *, error=None, status_code=200, notice=None):
    from jiuye.platforms import signups
    from jiuye.platforms.common import CaseError

    try:
        su = signups.load(s, me, signup_id)
    except CaseError as exc:
        return render(request, "error.html", {"user": me, "status_code": exc.status, "message": str(exc)},
                      status_code=exc.status)
    return render(request, "dagong/station_signup.html", {"user": me, "r": signups.view(su, full=True),
                                                          "error": error, "notice": notice, **_basis()},
                  status_code=status_code)


@router.get("/station/signups/{signup_id}")
def station_signup(request: Request, s: DB, me: Master, signup_id: int, done: str = ""):
    return _signup_page(request, s, me, signup_id, notice=NOTICES.get(done))


@router.post("/station/signups/{signup_id}/{action}", dependencies=[MASTER, CSRF])
def station_signup_act(request: Request, s: DB, me: Master, signup_id: int, action: str,
                       note: Annotated[str, Form()] = ""):
    from jiuye.platforms import followup
    from jiuye.platforms.common import CaseError

    if action not in ("withdraw", "depart"):
        return render(request, "error.html", {"user": me, "status_code": 404, "message": "没有这个操作"}, status_code=404)
    try:
        if action == "withdraw":
            followup.withdraw(s, me, signup_id, note=note)
        else:
            followup.depart(s, me, signup_id)
    except CaseError as exc:
        s.rollback()
        return _signup_page(request, s, me, signup_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/station/signups/{signup_id}?done={'withdrawn' if action == 'withdraw' else 'departed'}",
                            status_code=303)


# --- groups (the station master's; staff see them in the console) -------------------------------------------


def _group_form(request: Request, s, me, *, values=None, error=None, field=None, status_code=200):
    from jiuye.market import postings

    _total, open_posts = postings.search(s, limit=200)
    return render(request, "dagong/group_new.html", {
        "user": me, "posts": [postings.view(p) for p in open_posts if p.places_left > 0], "v": values or {},
        "error": error, "field": field}, status_code=status_code)


@router.get("/station/groups/new")
def group_new(request: Request, s: DB, me: Master):
    return _group_form(request, s, me)


@router.post("/station/groups", dependencies=[MASTER, CSRF])
def group_create(request: Request, s: DB, me: Master, form: PostedForm):
    from jiuye.platforms import groups
    from jiuye.platforms.common import CaseError

    keys = ("posting_id", "size", "departure_at", "departure_place", "escort_name", "escort_phone", "contact_name",
            "contact_phone", "note")
    v = {k: str(form.get(k) or "")[:500] for k in keys}
    try:
        g = groups.create(s, me, station_id=None, posting_id=v["posting_id"] or 0, size=v["size"],
                          departure_at=v["departure_at"].replace("T", " "), departure_place=v["departure_place"],
                          escort_name=v["escort_name"], escort_phone=v["escort_phone"], contact_name=v["contact_name"],
                          contact_phone=v["contact_phone"], note=v["note"])
    except CaseError as exc:
        s.rollback()
        return _group_form(request, s, me, values=v, error=str(exc), field=exc.extra.get("field"), status_code=exc.status)
    return RedirectResponse(f"/station/groups/{g.id}?done=group", status_code=303)


@router.get("/station/groups/{group_id}")
def group_view(request: Request, s: DB, me: Master, group_id: int, done: str = ""):
    return group_page(request, s, me, group_id, base="/station", notice=NOTICES.get(done))


@router.post("/station/groups/{group_id}/{action}", dependencies=[MASTER, CSRF])
def group_act(request: Request, s: DB, me: Master, group_id: int, action: str, name: Annotated[str, Form()] = "",
              phone: Annotated[str, Form()] = "", client_token: Annotated[str, Form()] = ""):
    return group_action(request, s, me, group_id, action, "/station", name, phone, client_token)




@router.get("/station/tables")
def station_tables(request: Request, s: DB, me: Master):
    from jiuye.platforms import tables

    return render(request, "dagong/tables.html", {"user": me, "d": tables.compute(s, me), "export": "/station/tables",
                                                  "console": False, "start": "", "end": ""})


@router.get("/station/tables.{fmt}")
def station_tables_export(request: Request, s: DB, me: Master, fmt: str):
    return export_response(request, s, me, fmt, "", "")


__all__ = ["router"]
