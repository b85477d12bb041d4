"""The fair report: employers (booths approved, waiting, returned), posts shown, visitors (registered,
checked in), intentions, followed up in time, outcomes, hires and hires still working at 30 days; the
printable list of booths; the export of both as CSV or XLSX — the same rows (:func:`rows`), text cells
made inert for spreadsheets (jiuye.batch.safe_cells), Chinese headers."""
from __future__ import annotations

import csv
import io

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.fairs import access
from jiuye.fairs.booths import view as booth_view
from jiuye.fairs.common import actor_of, clock
from jiuye.fairs.fairs import get as get_fair, posts_of, view as fair_view
from jiuye.fairs.intentions import OUTCOMES
from jiuye.fairs.models import Booth, Intention, Visitor


def compute(s: Session, user: User, fair_id: int) -> dict:
    f = get_fair(s, fair_id)
    access.require(access.fair(actor_of(s, user), "report", f.state, district=f.district))

    def n(q) -> int:
        return s.scalar(q) or 0

    by_state = dict(s.execute(select(Booth.state, func.count()).where(Booth.fair_id == f.id).group_by(Booth.state)).all())
    visitors = n(select(func.count()).select_from(Visitor).where(Visitor.fair_id == f.id))
    checked = n(select(func.count()).select_from(Visitor).where(Visitor.fair_id == f.id, Visitor.checked_in_at.is_not(None)))
    rows = s.execute(select(Intention.state, Intention.outcome, Intention.followed_up_at, Intention.due_at,
                            Intention.still_working, Intention.check_due_on).where(Intention.fair_id == f.id)).all()
    outcomes = {k: 0 for k in OUTCOMES}
    in_time = 0
    for r in rows:
        if r.outcome:
            outcomes[r.outcome] += 1
        if r.followed_up_at is not None and clock.aware(r.followed_up_at) <= clock.aware(r.due_at):
            in_time += 1
    hired = outcomes["hired"]
    checked_30 = sum(1 for r in rows if r.outcome == "hired" and r.still_working is not None)
    working_30 = sum(1 for r in rows if r.outcome == "hired" and r.still_working)
    followed = sum(1 for r in rows if r.state == "followed_up")
    return {"fair": fair_view(f, s=s), "employers": by_state.get("approved", 0), "waiting": by_state.get("waiting", 0),
            "pending": by_state.get("pending", 0), "returned": by_state.get("returned", 0), "posts": len(posts_of(s, f)),
            "visitors": visitors, "checked_in": checked, "intentions": len(rows), "followed_up": followed,
            "in_time": in_time, "in_time_pct": round(100 * in_time / len(rows), 1) if rows else None,
            "outcomes": [{"code": k, "label": v, "count": outcomes[k]} for k, v in OUTCOMES.items()],
            "hired": hired, "checked_30": checked_30, "working_30": working_30,
            "working_30_pct": round(100 * working_30 / checked_30, 1) if checked_30 else None}


def booth_list(s: Session, user: User, fair_id: int) -> list[dict]:
    """Approved booths by number, for printing (and the door)."""
    from jiuye.fairs.booths import for_fair

    return [booth_view(b) for b in for_fair(s, user, fair_id, state="approved")]


SUMMARY = (("参会单位（已安排展位）", "employers"), ("候补单位", "waiting"), ("随会发布岗位", "posts"),
           ("预约求职者", "visitors"), ("入场签到", "checked_in"), ("意向", "intentions"), ("已回访", "followed_up"),
           ("按时回访", "in_time"), ("录用", "hired"), ("30 天在岗", "working_30"))
BOOTH_HEADER = ["展位号", "单位", "行业", "联系人", "电话", "岗位数"]


def rows(s: Session, user: User, fair_id: int) -> list[list]:
    """The export's rows: 项目 / 数值, an empty row, then the booth table (CSV and XLSX alike)."""
    from jiuye.batch.safe_cells import neutralise_row

    r = compute(s, user, fair_id)
    out: list[list] = [["项目", "数值"]] + [[label, r[key]] for label, key in SUMMARY] + [[], BOOTH_HEADER]
    for b in booth_list(s, user, fair_id):
        out.append([b["booth_no"], b["employer_name"], b["sector"], b["contact_name"], b["phone"], len(b["posting_ids"])])
    return [neutralise_row(row) for row in out]


def csv_text(s: Session, user: User, fair_id: int) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows(s, user, fair_id))
    return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 Chinese correctly


def xlsx_bytes(s: Session, user: User, fair_id: int) -> bytes:
    """The same rows as one worksheet 「招聘会报告」 (openpyxl); numbers stay numbers."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    data = rows(s, user, fair_id)
    wb = Workbook()
    ws = wb.active
    ws.title = "招聘会报告"
    for i, row in enumerate(data, start=1):
        for j, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=i, column=j, value=value)
            if isinstance(value, str):
                cell.data_type = TYPE_STRING  # never a formula, whatever it begins with
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 28
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
