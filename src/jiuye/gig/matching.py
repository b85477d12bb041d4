"""Matching by place and 工种, newest first, each suggestion with its reasons in plain Chinese.

A worker and a job match when their days overlap, their 工种 are the same 职业 or in the same 小类
of the 大典 (the market's classification), and the distance between their places (coordinates when
both gave them, else the same 苏木镇/街道, the same 旗县市, or the approximate district seats of
data/gig/gig.yaml) is within `matching.max_km`. Suggestions are ordered newest first, as the issue
asks; the distance and the 工种 are reasons, not a score that hides the order."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.gig.common import occupation_name, yuan
from jiuye.gig.models import GigJob, GigMatch, GigWorker
from jiuye.gig.settings import distance, settings
from jiuye.market.occupations import ancestor


def _place(x) -> dict:
    return {"district": x.district, "town": x.town, "lat": x.lat, "lon": x.lon}


def _overlap(a0: dt.date, a1: dt.date, b0: dt.date, b1: dt.date) -> tuple[dt.date, dt.date] | None:
    lo, hi = max(a0, b0), min(a1, b1)
    return (lo, hi) if lo <= hi else None


def reasons(w: GigWorker, j: GigJob) -> list[str] | None:
    """Why `w` suits `j`, in Chinese; None when they do not match."""
    days = _overlap(w.available_from, w.available_to, j.start_on, j.end_on)
    if days is None:
        return None
    if w.occupation_code == j.occupation_code:
        trade = f"工种相同：{occupation_name(j.occupation_code)}"
    else:
        small = ancestor(j.occupation_code, 3)
        if small is None or small != ancestor(w.occupation_code, 3):
            return None
        trade = f"工种相近：都属于「{occupation_name(small)}」"
    km, how, _approx = distance(_place(w), _place(j))
    if km is None or km > settings().matching.max_km:
        return None
    out = [trade, f"地点：{how}"]
    lo, hi = days
    n = (hi - lo).days + 1
    out.append(f"日期：{lo.month}月{lo.day}日" + (f"—{hi.month}月{hi.day}日" if n > 1 else "") + f"都有空（{n}天）")
    if j.pay_type == "day":
        if j.pay_fen >= w.daily_rate_fen:
            out.append(f"工钱：每天 {yuan(j.pay_fen)}，不低于期望的 {yuan(w.daily_rate_fen)}")
        else:
            out.append(f"工钱：每天 {yuan(j.pay_fen)}，比期望的 {yuan(w.daily_rate_fen)} 低")
    else:
        out.append(f"工钱按件：每{j.piece_unit} {yuan(j.pay_fen)}（期望日工资 {yuan(w.daily_rate_fen)}）")
    return out


def jobs_for(s: Session, w: GigWorker, limit: int | None = None) -> list[tuple[GigJob, list[str]]]:
    """Open jobs for a worker's availability (not their own), newest first."""
    limit = limit or settings().matching.limit
    q = (select(GigJob).where(GigJob.state == "open", GigJob.poster_user_id != w.user_id,
                              GigJob.end_on >= w.available_from, GigJob.start_on <= w.available_to)
         .order_by(GigJob.created_at.desc(), GigJob.id.desc()).limit(2000))
    out = []
    for j in s.scalars(q):
        r = reasons(w, j)
        if r is not None:
            out.append((j, r))
            if len(out) >= limit:
                break
    return out


def workers_for(s: Session, j: GigJob, limit: int | None = None) -> list[tuple[GigWorker, list[str]]]:
    """Open availabilities for a job (not the poster's own, not already matched), newest first."""
    limit = limit or settings().matching.limit
    already = select(GigMatch.worker_id).where(GigMatch.job_id == j.id)
    q = (select(GigWorker).where(GigWorker.state == "open", GigWorker.user_id != j.poster_user_id,
                                 GigWorker.available_to >= j.start_on, GigWorker.available_from <= j.end_on,
                                 GigWorker.id.not_in(already))
         .order_by(GigWorker.created_at.desc(), GigWorker.id.desc()).limit(2000))
    out = []
    for w in s.scalars(q):
        r = reasons(w, j)
        if r is not None:
            out.append((w, r))
            if len(out) >= limit:
                break
    return out
