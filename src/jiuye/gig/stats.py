"""Per district: jobs posted, filled, the median time to fill (posting → the last place taken, in
hours), the share of jobs confirmed paid (of the jobs where work was confirmed by both sides, those
whose every worked match both sides confirmed paid), and wage-arrears reports. CSV export."""
from __future__ import annotations

import csv
import io
import statistics

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.gig.common import aware
from jiuye.gig.models import GigArrears, GigJob, GigMatch
from jiuye.gig.settings import districts

COLUMNS = [("district", "旗县市"), ("jobs", "发布零工"), ("filled", "已招满"), ("median_fill_hours", "招满用时中位数（小时）"),
           ("worked_jobs", "双方确认上工的零工"), ("paid_jobs", "全部确认结清的零工"), ("paid_share", "确认结清比例"),
           ("arrears", "欠薪报告"), ("arrears_open", "欠薪报告未办结")]


def table(s: Session, district: str | None = None) -> list[dict]:
    keys = [d for d in districts() if district is None or d == district]
    jobs = s.scalars(select(GigJob).where(GigJob.district.in_(keys))).all()
    matches = s.execute(select(GigMatch.job_id, GigMatch.state).join(GigJob, GigMatch.job_id == GigJob.id)
                        .where(GigJob.district.in_(keys))).all()
    by_job: dict[int, list[str]] = {}
    for job_id, state in matches:
        by_job.setdefault(job_id, []).append(state)
    arrears = s.execute(select(GigArrears.district, GigArrears.handled).where(GigArrears.district.in_(keys))).all()
    out = []
    for key in keys:
        mine = [j for j in jobs if j.district == key]
        hours = [(aware(j.filled_at) - aware(j.created_at)).total_seconds() / 3600 for j in mine if j.filled_at]
        worked = [j for j in mine if any(st in ("worked", "paid", "unpaid") for st in by_job.get(j.id, []))]
        paid = [j for j in worked
                if all(st == "paid" for st in by_job.get(j.id, []) if st in ("worked", "paid", "unpaid"))]
        ar = [h for d, h in arrears if d == key]
        out.append({"district": key, "jobs": len(mine), "filled": len(hours),
                    "median_fill_hours": round(statistics.median(hours), 1) if hours else None,
                    "worked_jobs": len(worked), "paid_jobs": len(paid),
                    "paid_share": round(len(paid) / len(worked), 3) if worked else None,
                    "arrears": len(ar), "arrears_open": sum(1 for h in ar if not h)})
    return out


def shown(row: dict) -> dict:
    """The row as people read it: 无数据 rather than an empty cell or 0 for what cannot be computed."""
    r = dict(row)
    r["median_fill_hours"] = "无数据" if row["median_fill_hours"] is None else f"{row['median_fill_hours']:g}"
    r["paid_share"] = "无数据" if row["paid_share"] is None else f"{row['paid_share'] * 100:.0f}%"
    return r


def to_csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([label for _, label in COLUMNS])
    for r in rows:
        r = shown(r)
        w.writerow([r[k] for k, _ in COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8
