"""What the station master's pages (/station, web.pages.dagong) and the staff console's (/console/dagong,
web.pages.dagong_console) both show: a 集体报名 group with its actions, and the 打工直通车 tables as a file."""
from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import RedirectResponse

from jiuye.web.pages.common import TABLE_MEDIA, render, table_file



def console_error(request: Request, me, exc, status_code: int | None = None):
    status = status_code or getattr(exc, "status", 422)
    return render(request, "console/message.html", {"user": me, "console": True, "message": str(exc),
                                                    "status_code": status}, status_code=status)


def period(start: str, end: str):
    from jiuye.platforms.common import Invalid

    try:
        return (dt.date.fromisoformat(start) if start else None, dt.date.fromisoformat(end) if end else None)
    except ValueError:
        raise Invalid("日期格式应为 YYYY-MM-DD", field="start") from None


def export_response(request: Request, s, me, fmt: str, start: str, end: str):
    from jiuye.platforms import tables
    from jiuye.platforms.common import CaseError

    if fmt not in TABLE_MEDIA:
        return console_error(request, me, ValueError("只能导出为 csv 或 xlsx"), 404)
    try:
        d = tables.compute(s, me, start=period(start, end)[0], end=period(start, end)[1])
    except CaseError as exc:
        return console_error(request, me, exc)
    return table_file(fmt, lambda path: tables.export(d, path), "打工直通车报表")



def group_page(request: Request, s, me, group_id: int, *, base: str, error=None, field=None, values=None,
               status_code=200, notice=None):
    from jiuye.platforms import access, groups, signups
    from jiuye.platforms.common import CaseError, actor_of

    try:
        g = groups.load(s, me, group_id)
    except CaseError as exc:
        return render(request, "error.html", {"user": me, "status_code": exc.status, "message": str(exc),
                                              "console": base.startswith("/console")}, status_code=exc.status)
    may = access.group(actor_of(s, me), "edit", g.state, district=g.station.district, station_id=g.station_id)[0]
    return render(request, "dagong/group.html", {
        "user": me, "g": groups.view(s, g, full=True, with_members=True), "may_edit": may, "base": base,
        "console": base.startswith("/console"), "error": error, "field": field, "notice": notice,
        "v": {"name": "", "phone": "", "client_token": signups.new_token(), **(values or {})}}, status_code=status_code)



def group_action(request: Request, s, me, group_id: int, action: str, base: str, name="", phone="", client_token=""):
    from jiuye.platforms import groups
    from jiuye.platforms.common import CaseError

    if action not in ("members", "depart", "cancel"):
        return render(request, "error.html", {"user": me, "status_code": 404, "message": "没有这个操作"}, status_code=404)
    try:
        if action == "members":
            groups.add_member(s, me, group_id, name=name, phone=phone, client_token=client_token or None)
        elif action == "depart":
            groups.depart(s, me, group_id)
        else:
            groups.cancel(s, me, group_id)
    except CaseError as exc:
        s.rollback()
        return group_page(request, s, me, group_id, base=base, error=str(exc), field=exc.extra.get("field"),
                          values={"name": name[:50], "phone": phone[:30]}, status_code=exc.status)
    done = {"members": "member", "depart": "group_departed", "cancel": "cancelled"}[action]
    return RedirectResponse(f"{base}/groups/{group_id}?done={done}", status_code=303)
