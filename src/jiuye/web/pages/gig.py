"""零工市场 for workers and job posters, phone-first: thin pages over jiuye.gig.

- /gig: the open odd jobs (newest first; names masked, no phones), filters by 旗县市 and 工种; for a
  logged-in citizen: their availability with the jobs that suit it (reasons in Chinese), their jobs,
  their matches. /gig/phones: the district 零工市场 lines from 003, with the table's source error.
- /gig/available, /gig/jobs/new: post availability / a job (login: a citizen or employer account).
- /gig/jobs/{id}: a job; apply; for its poster: applicants, suitable workers (invite), close.
- /gig/matches/{id}: one worker on one job: accept, decline, worked, paid, not paid; the other
  side's phone once both accepted.
- /my/gig (我的零工): the account's availability with the jobs that suit it, the jobs it took with
  both sides' confirmations and any wage-arrears report with its case, and (a household or an
  employer account) the jobs it posted with their workers (jiuye.gig.summary).
CSRF on every POST; errors re-render the form with what was typed, in Chinese, naming the field.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from jiuye.web.pages.common import CSRF, DB, Applicant, PageUser, render
from jiuye.web.pages.market_forms import PostedForm

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
DONE = {"worker": "已发布，合适的活会列在下面。", "job": "已发布。合适的工人列在下面，可以直接邀请。",
        "apply": "已报名，等雇主接受。双方都接受后才显示对方电话。", "invite": "已邀请，等工人接受。",
        "accept": "已接受。", "decline": "已谢绝。", "worked": "已确认上工。", "paid": "已确认工钱结清。",
        "unpaid": "已报告没拿到工钱：已转给当地就业服务中心（欠薪报告），他们会联系您。", "close": "已关闭。"}


def _error(request: Request, user, exc, status: int | None = None):
    code = status or getattr(exc, "status", 422)
    return render(request, "error.html", {"user": user, "status_code": code, "message": str(exc)}, status_code=code)


def _source() -> dict:
    from jiuye.gig.settings import settings

    return settings().source.model_dump()


@router.get("/gig")
def index(request: Request, s: DB, user: PageUser, district: str = "", occupation: str = "", done: str = ""):
    from jiuye.gig import matches, matching, posts
    from jiuye.gig.common import CaseError
    from jiuye.gig.settings import districts

    error, rows = None, []
    try:
        rows = [posts.job_view(s, j, full=False) for j in posts.board(s, district=district[:20] or None,
                                                                      occupation=occupation[:30] or None)]
    except CaseError as exc:
        error = str(exc)
    mine = None
    if user is not None and user.role == "applicant":
        workers = posts.my_workers(s, user)
        mine = {"workers": [{**posts.worker_view(w, full=True),
                             "suits": [{"job": posts.job_view(s, j, full=False), "reasons": r}
                                       for j, r in matching.jobs_for(s, w, 10)] if w.state == "open" else []}
                            for w in workers],
                "jobs": [posts.job_view(s, j, full=True) for j in posts.my_jobs(s, user)],
                "matches": [matches.view(s, user, m) for m in matches.mine(s, user)]}
    return render(request, "gig/index.html", {
        "user": user, "rows": rows, "district": district[:20], "occupation": occupation[:30], "districts": districts(),
        "error": error, "mine": mine, "notice": DONE.get(done), "source": _source()})


@router.get("/gig/phones")
def phones(request: Request, user: PageUser):
    from jiuye.gig.settings import phone_lines

    return render(request, "gig/phones.html", {"user": user, "d": phone_lines()})


@router.get("/my/gig")
def my_gig(request: Request, s: DB, user: Applicant):
    from jiuye.gig import summary

    return render(request, "gig/my.html", {"user": user, "g": summary.for_user(s, user)})


# --- posting -------------------------------------------------------------------------------------------
def _form(request: Request, user, kind: str, values: dict | None = None, error: str | None = None,
          field: str | None = None, status_code: int = 200):
    from jiuye.gig.common import today
    from jiuye.gig.settings import districts, towns

    v = {"district": "", "town": "", "phone": user.phone or "", **(values or {})}
    return render(request, "gig/form.html", {
        "user": user, "kind": kind, "v": v, "error": error, "field": field, "districts": districts(),
        "towns": sorted({t for ts in towns().values() for t in ts}), "today": today().isoformat()},
        status_code=status_code)


@router.get("/gig/available")
def worker_form(request: Request, user: Applicant):
    return _form(request, user, "worker", {"name": user.display_name})


@router.get("/gig/jobs/new")
def job_form(request: Request, user: Applicant):
    return _form(request, user, "job", {"pay_type": "day", "people_needed": "1"})


def _post(request: Request, s, user, kind: str, form):
    from jiuye.gig import posts
    from jiuye.gig.common import CaseError

    values = {k: str(v)[:200] for k, v in form.items() if k != "csrf_token"}
    try:
        if kind == "worker":
            posts.post_availability(s, user, values)
            return RedirectResponse("/gig?done=worker", status_code=303)
        j = posts.post_job(s, user, values)
        return RedirectResponse(f"/gig/jobs/{j.id}?done=job", status_code=303)
    except CaseError as exc:
        s.rollback()
        return _form(request, user, kind, values, str(exc), exc.extra.get("field"), exc.status)


@router.post("/gig/available", dependencies=[CSRF])
def worker_post(request: Request, s: DB, user: Applicant, form: PostedForm):
    return _post(request, s, user, "worker", form)


@router.post("/gig/jobs/new", dependencies=[CSRF])
def job_post(request: Request, s: DB, user: Applicant, form: PostedForm):
    return _post(request, s, user, "job", form)


# --- a job ------------------------------------------------------------------------------------------------
@router.get("/gig/jobs/{job_id}")
def job_page(request: Request, s: DB, user: PageUser, job_id: int, done: str = ""):
    from jiuye.gig import access, matches, matching, posts
    from jiuye.gig.common import CaseError

    try:
        j = posts.load_job(s, user, job_id)
    except CaseError as exc:
        return _error(request, user, exc)
    actor = access.actor_for(user)
    own = actor.kind == "citizen" and actor.user_id == j.poster_user_id
    ctx = {"user": user, "j": posts.job_view(s, j, full=own), "own": own, "notice": DONE.get(done),
           "can_apply": access.job(actor, "apply", j.state, district=j.district, poster_id=j.poster_user_id)}
    if own or access.covers(actor, j.district):
        ctx["applicants"] = [matches.view(s, user, m) for m in matches.applicants(s, user, job_id)]
    if own and j.state == "open":
        ctx["suitable"] = [{"w": posts.worker_view(w, full=False), "reasons": r} for w, r in matching.workers_for(s, j, 20)]
    return render(request, "gig/job.html", ctx)


@router.post("/gig/jobs/{job_id}/{action}", dependencies=[CSRF])
def job_act(request: Request, s: DB, user: Applicant, job_id: int, action: str, form: PostedForm):
    from jiuye.gig import matches, posts
    from jiuye.gig.common import CaseError

    try:
        if action == "apply":
            m = matches.apply(s, user, job_id)
            return RedirectResponse(f"/gig/matches/{m.id}?done=apply", status_code=303)
        if action == "invite":
            raw = str(form.get("worker_id") or "")
            matches.invite(s, user, job_id, int(raw) if raw.isdigit() else 0)
            return RedirectResponse(f"/gig/jobs/{job_id}?done=invite", status_code=303)
        if action == "close":
            posts.close_job(s, user, job_id)
            return RedirectResponse(f"/gig/jobs/{job_id}?done=close", status_code=303)
    except CaseError as exc:
        s.rollback()
        return _error(request, user, exc)
    return _error(request, user, ValueError("没有这个操作"), 404)


# --- a match ------------------------------------------------------------------------------------------------
@router.get("/gig/matches/{match_id}")
def match_page(request: Request, s: DB, user: Applicant, match_id: int, done: str = ""):
    from jiuye.gig import matches
    from jiuye.gig.common import CaseError

    try:
        m = matches.load(s, user, match_id)
    except CaseError as exc:
        return _error(request, user, exc)
    return render(request, "gig/match.html", {"user": user, "m": matches.view(s, user, m), "notice": DONE.get(done)})


@router.post("/gig/matches/{match_id}/{action}", dependencies=[CSRF])
def match_act(request: Request, s: DB, user: Applicant, match_id: int, action: str, form: PostedForm):
    from jiuye.gig import matches
    from jiuye.gig.common import CaseError

    try:
        matches.act(s, user, match_id, action, days=str(form.get("days") or "")[:4] or None,
                    note=str(form.get("note") or "")[:300] or None)
    except CaseError as exc:
        s.rollback()
        return _error(request, user, exc)
    return RedirectResponse(f"/gig/matches/{match_id}?done={action}", status_code=303)


__all__ = ["router"]
