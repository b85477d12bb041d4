"""The staff console's dashboard: cases by procedure, state and district, deadlines, amounts — what the signed-in
member of staff may see — drawn with plotly.js served by this app (no CDN)."""
from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy import func, select

from jiuye.config import today
from jiuye.web.pages import jobs
from jiuye.web.pages.common import DB, Staff
from jiuye.web.pages.console import _page, yuan

router = APIRouter(prefix="/console", include_in_schema=False, default_response_class=HTMLResponse)


# --- dashboard ---------------------------------------------------------------------------------
def plotly_asset() -> tuple[Path, str]:
    """plotly.min.js as shipped inside the `plotly` Python package (pinned), and its version."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    from plotly.offline import get_plotlyjs_version

    return path, get_plotlyjs_version()


@router.get("/assets/plotly-{version}.min.js", response_class=FileResponse)
def plotly_js(version: str):
    """The chart library, served by this app (no CDN: the site runs inside a government network).
    The URL carries the version, so browsers may keep it for a year."""
    path, current = plotly_asset()
    if version != current or not path.exists():
        raise HTTPException(status_code=404, detail="没有这个版本的图表脚本")
    return FileResponse(path, media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})


def dashboard_data(s, me) -> dict:
    from jiuye.cases import roles, service
    from jiuye.cases.models import Case
    from jiuye.cases.procedures import get_procedures

    procs = get_procedures()
    day = today()
    vis = service.visibility(me)
    by_proc_state = s.execute(select(Case.procedure, Case.state, func.count(), func.sum(Case.amount_fen),
                                     func.count(Case.amount_fen)).where(vis).group_by(Case.procedure, Case.state)).all()
    by_policy: dict[str, int] = {}
    by_state: dict[str, int] = {}
    paid = pending = 0
    paid_n = pending_n = pending_unknown = 0
    for proc_id, state, n, total, known in by_proc_state:
        p = procs.get(proc_id)
        name = p.name if p else proc_id
        st = p.states.get(state) if p else None
        by_policy[name] = by_policy.get(name, 0) + n
        by_state[f"{name}：{p.state_label(state) if p else state}"] = n
        if st is not None and st.final and st.outcome == "paid":
            paid += int(total or 0)
            paid_n += n
        elif st is not None and not st.final:
            pending += int(total or 0)
            pending_n += known
            pending_unknown += n - known
    by_district = dict(s.execute(select(Case.district, func.count()).where(vis).group_by(Case.district)
                                 .order_by(Case.district)).all())
    overdue = dict(s.execute(select(Case.district, func.count()).where(
        vis, Case.final.is_(False), Case.due_on.is_not(None), Case.due_on < day).group_by(Case.district)
        .order_by(Case.district)).all())
    latest = next((j for j in jobs.list_jobs() if j.state == "done" and jobs.may_see(me, j)), None)
    batch = None
    if latest is not None:
        sm = latest.summary() or {}
        batch = {"job": latest, "as_of": sm.get("as_of"), "subject": latest.subject,
                 "districts": {d: {"eligible": v["eligible"], "needs_information": v["needs_information"],
                                   "total_fen": v["total_fen"], "accepted_rows": v["accepted_rows"],
                                   "amount_pending": v.get("amount_pending", 0)}
                               for d, v in (sm.get("districts") or {}).items()}}
    return {"as_of": day.isoformat(), "scope": "全盟" if me.role == "admin" else (me.district or ""),
            "role": roles.label(me.role),
            "by_policy": dict(sorted(by_policy.items(), key=lambda kv: -kv[1])), "by_state": by_state,
            "by_district": by_district, "overdue": overdue, "overdue_total": sum(overdue.values()),
            "money": {"paid_fen": paid, "paid_cases": paid_n, "pending_fen": pending, "pending_cases": pending_n,
                      "pending_unknown": pending_unknown},
            "batch": batch}


def _charts(d: dict) -> list[dict]:
    """Plotly figures (plain JSON: data + layout) for the dashboard."""
    def bar(x, y, name=None, horizontal=False, color="#a31515"):
        t = {"type": "bar", "marker": {"color": color}, "hovertemplate": "%{y}: %{x}<extra></extra>" if horizontal else None}
        if horizontal:
            t.update(x=list(y), y=list(x), orientation="h")
        else:
            t.update(x=list(x), y=list(y))
        if name:
            t["name"] = name
        return {k: v for k, v in t.items() if v is not None}

    def layout(title, horizontal=False, n=5, counts=(), **kw):
        lay = {"title": {"text": title}, "margin": {"l": 260 if horizontal else 60, "r": 20, "t": 50, "b": 80},
               "height": max(280, 28 * n + 120) if horizontal else 340, "font": {"size": 13}}
        if horizontal:
            lay["yaxis"] = {"autorange": "reversed", "automargin": True}
        if counts:  # whole numbers of cases: no 0.5 ticks
            axis = {"tickformat": ",d", "rangemode": "tozero", "dtick": max(1, -(-max(counts, default=1) // 8))}
            lay["xaxis" if horizontal else "yaxis"] = {**lay.get("xaxis" if horizontal else "yaxis", {}), **axis}
        lay.update(kw)
        return lay

    charts = [
        {"id": "by-policy", "data": [bar(d["by_policy"].keys(), d["by_policy"].values(), horizontal=True)],
         "layout": layout("各事项案件数", True, len(d["by_policy"]), d["by_policy"].values())},
        {"id": "by-state", "data": [bar(d["by_state"].keys(), d["by_state"].values(), horizontal=True, color="#37a")],
         "layout": layout("各状态案件数", True, len(d["by_state"]), d["by_state"].values())},
        {"id": "by-district", "data": [bar(d["by_district"].keys(), d["by_district"].values())],
         "layout": layout("各旗县市案件数", counts=d["by_district"].values())},
        {"id": "money", "data": [bar(["已发放", "办理中（金额已知）"],
                                     [d["money"]["paid_fen"] / 100, d["money"]["pending_fen"] / 100], color="#1b5e20")],
         "layout": layout("金额（元，按建案时的筛查金额）")},
        {"id": "overdue", "data": [bar(d["overdue"].keys(), d["overdue"].values(), color="#b26a00")],
         "layout": layout("逾期案件数（按旗县市）", counts=d["overdue"].values())},
    ]
    b = d.get("batch")
    if b:
        ds = b["districts"]
        charts.append({"id": "batch", "data": [
            bar(ds.keys(), [v["eligible"] for v in ds.values()], name="符合（人次）", color="#1b5e20"),
            bar(ds.keys(), [v["needs_information"] for v in ds.values()], name="还需要信息（人次）", color="#b26a00"),
        ], "layout": layout(f"最近一次名册筛查（{b['as_of']}）各旗县市结果", barmode="group")})
    return charts


@router.get("/dashboard")
def dashboard(request: Request, s: DB, me: Staff):
    d = dashboard_data(s, me)
    _path, version = plotly_asset()
    return _page(request, "console/dashboard.html", me, {
        "d": d, "charts_json": json.dumps(_charts(d), ensure_ascii=False).replace("</", "<\\/"),
        "plotly_src": f"/console/assets/plotly-{version}.min.js", "yuan": yuan})
