"""The account's own 零工 in one place (我的零工, /my/gig): as a worker — the availability posted, the
open jobs that suit it (with the reasons), every job taken or offered with both sides' confirmations
(accepted, worked, paid) and any wage-arrears report with its case; as a job poster (a household, or
an employer account) — the jobs posted with how many applied / are agreed / worked / paid, what waits
for the poster, and the reports of unpaid wages against those jobs.

Only the account's own rows (availability by its user id, jobs by poster, matches where it is a side);
the match views come from jiuye.gig.matches.view, so names and phones follow the same rule as on
the match page (a phone only once both sides accepted).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.gig import matches, matching, posts
from jiuye.gig.arrears import view as arrears_view
from jiuye.gig.models import GigArrears, GigMatch

SUITS_PER_AVAILABILITY = 5
CONFIRM_ACTIONS = ("accept", "worked", "paid")


def _todo(m: dict) -> list[str]:
    """What the account can do now on a match (labels of its allowed actions, 'not paid' left out)."""
    return [a["label"] for a in m["actions"] if a["allowed"] and a["action"] in CONFIRM_ACTIONS]


def _arrears(s: Session, match_ids: list[int]) -> dict[int, GigArrears]:
    if not match_ids:
        return {}
    rows = s.scalars(select(GigArrears).where(GigArrears.match_id.in_(match_ids))).all()
    return {a.match_id: a for a in rows}


def for_user(s: Session, user: User) -> dict:
    """Everything 我的零工 shows (see the module doc)."""
    workers = []
    for w in posts.my_workers(s, user):
        suits = matching.jobs_for(s, w, SUITS_PER_AVAILABILITY) if w.state == "open" else []
        workers.append({**posts.worker_view(w, full=True),
                        "suits": [{"job": posts.job_view(s, j, full=False), "reasons": r} for j, r in suits]})
    mine: list[GigMatch] = matches.mine(s, user)
    reports = _arrears(s, [m.id for m in mine])
    as_worker, as_poster = [], []
    for m in mine:
        v = matches.view(s, user, m)
        v["todo"] = _todo(v)
        a = reports.get(m.id)
        v["arrears"] = arrears_view(s, a) if a is not None else None
        (as_worker if v["side"] == "worker" else as_poster).append(v)
    by_job: dict[int, list[dict]] = {}
    for v in as_poster:
        by_job.setdefault(v["job"]["id"], []).append(v)
    jobs = []
    for j in posts.my_jobs(s, user):
        ms = by_job.get(j.id, [])
        jobs.append({**posts.job_view(s, j, full=True), "matches": ms,
                     "counts": {"proposed": sum(m["state"] == "proposed" for m in ms),
                                "agreed": sum(m["state"] in ("accepted", "worked", "paid", "unpaid") for m in ms),
                                "worked": sum(m["state"] in ("worked", "paid", "unpaid") for m in ms),
                                "paid": sum(m["state"] == "paid" for m in ms),
                                "unpaid": sum(m["state"] == "unpaid" for m in ms)},
                     "todo": sum(bool(m["todo"]) for m in ms)})
    return {
        "employer": bool(user.enterprise_id),
        "workers": workers,
        "as_worker": as_worker,
        "jobs": jobs,
        "my_arrears": [v["arrears"] for v in as_worker if v["arrears"]],
        "against_my_jobs": [{**v["arrears"], "case_id": None} for v in as_poster if v["arrears"]],
        "totals": {"availability_open": sum(w["state"] == "open" for w in workers),
                   "suits": sum(len(w["suits"]) for w in workers),
                   "todo": sum(bool(v["todo"]) for v in as_worker + as_poster),
                   "worked": sum(v["state"] in ("worked", "paid", "unpaid") for v in as_worker),
                   "paid": sum(v["state"] == "paid" for v in as_worker),
                   "unpaid": sum(v["state"] == "unpaid" for v in as_worker),
                   "jobs_open": sum(j["state"] == "open" for j in jobs)},
    }
