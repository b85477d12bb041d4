"""零工市场 in the staff console (/console/gig): per district, the median time to fill and the share
of jobs confirmed paid (CSV export), and the wage-arrears reports with their cases (worked in the
cases console, /console/cases/{id}). Staff login; each sees their district, the 盟中心 and 人社局 the
league."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jiuye.web.pages.common import DB, Staff, render

router = APIRouter(prefix="/console/gig", include_in_schema=False, default_response_class=HTMLResponse)


def _scope(me):
    from jiuye.gig import access

    a = access.actor_for(me)
    access.require(access.stats(a))
    return access.scope(a)


@router.get("")
def console(request: Request, s: DB, me: Staff):
    from jiuye.gig import arrears, stats
    from jiuye.gig.common import CaseError

    try:
        district = _scope(me)
    except CaseError as exc:
        return render(request, "console/message.html", {"user": me, "console": True, "message": str(exc),
                                                       "status_code": exc.status}, status_code=exc.status)
    rows = [stats.shown(r) for r in stats.table(s, district)]
    return render(request, "gig/console.html", {
        "user": me, "console": True, "rows": rows, "columns": stats.COLUMNS[1:],
        "scope": district or "全盟", "arrears": [arrears.view(s, a) for a in arrears.listing(s, district)]})


@router.get("/table.csv", response_class=Response)
def export(request: Request, s: DB, me: Staff):
    from jiuye.gig import stats
    from jiuye.gig.common import CaseError

    try:
        district = _scope(me)
    except CaseError as exc:
        return render(request, "console/message.html", {"user": me, "console": True, "message": str(exc),
                                                       "status_code": exc.status}, status_code=exc.status)
    return Response(stats.to_csv(stats.table(s, district)), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote('零工市场统计.csv')}"})


__all__ = ["router"]
