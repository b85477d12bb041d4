"""The labour market for citizens: find a job (/jobs, a post's page), 求职登记 and my applications
(/my/jobs), messages (/messages). Phone-first pages; thin routes over jiuye.market (the services
decide who may do what). Every POST carries the session's CSRF token, checked before any work.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from jiuye.web.pages.common import CSRF, DB, PageUser, render
from jiuye.web.pages.market_forms import PostedForm, choices, seeker_data, seeker_form_values

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PAGE_SIZE = 20
NOTICES = {"applied": "已投递。单位答复后会在「消息」里通知您。", "registered": "求职登记已提交。",
           "saved": "求职登记已保存。", "confirmed": "已确认，求职登记继续有效。", "closed": "求职登记已关闭。祝工作顺利！",
           "withdrawn": "已撤回申请。", "optout": "这个手机号已退订短信通知（站内消息照常）。", "optin": "已恢复短信通知。",
           "read": "已全部标为已读。"}


def _error(request: Request, user, exc, status: int | None = None):
    status = status or getattr(exc, "status", 422)
    return render(request, "error.html", {"user": user, "status_code": status, "message": str(exc)}, status_code=status)


def _login(request: Request):
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


def _seeker_or_refuse(request: Request, user):
    """None when `user` is a person's account; else the page that says why not."""
    if user is None:
        return _login(request)
    if user.role != "applicant" or not user.person_id:
        return render(request, "error.html", {"user": user, "status_code": 403, "message":
                      "求职登记和投递岗位请用个人账号。单位请到「单位招聘」；工作人员为群众登记请用工作台。"}, status_code=403)
    return None


# --- find a job --------------------------------------------------------------------------------
@router.get("/jobs")
def jobs(request: Request, s: DB, user: PageUser, q: str = "", district: str = "", wage_min: str = "", page: int = 1):
    from jiuye.market import postings
    from jiuye.market.common import CaseError

    q = q.strip()[:200]
    ctx = {"user": user, "q": q, "district": district, "wage_min": wage_min, "districts": choices()["districts"],
           "title": "找工作"}
    wage = None
    if wage_min.strip():
        try:
            wage = float(wage_min.replace(",", "").replace("元", ""))
        except ValueError:
            ctx["error"] = "「月薪不低于」应为数字（元），如 3000"
    page = max(1, min(page, 1000))
    try:
        total, rows = postings.search(s, q=q, district=district or None, wage_min=wage, limit=PAGE_SIZE,
                                      offset=(page - 1) * PAGE_SIZE)
    except CaseError as exc:
        ctx["error"] = str(exc)
        total, rows = 0, []
    ctx.update(rows=[postings.view(p) for p in rows], total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)))
    if not total and not ctx.get("error"):
        relaxed, near = postings.search_nearby(s, q=q, district=district or None, wage_min=wage)
        ctx.update(relaxed=relaxed, nearby=[postings.view(p) for p in near])
    return render(request, "market/jobs.html", ctx, status_code=422 if ctx.get("error") else 200)


@router.get("/jobs/{posting_id}")
def job(request: Request, s: DB, user: PageUser, posting_id: int):
    return _job_page(request, s, user, posting_id)


def _job_page(request: Request, s, user, posting_id: int, error: str | None = None, status_code: int = 200):
    from jiuye.market import postings, seekers
    from jiuye.market.common import CaseError, market_actor
    from jiuye.market.models import Application

    try:
        p = postings.load(s, user, posting_id)
    except CaseError as exc:
        return _error(request, user, exc)
    actor = market_actor(s, user)
    ctx = {"user": user, "p": postings.view(p, detail=True), "actor": actor.kind, "error": error}
    if actor.kind == "seeker":
        sk = seekers.current(s, user)
        ctx["registration"] = seekers.view(sk) if sk else None
        if sk is not None and sk.state != "closed":
            from jiuye.market import policies

            ctx["policies"] = policies.for_seeker(seekers.record_of(sk), postings.record_of(p), district=sk.district)
        if sk is not None:
            from sqlalchemy import select

            a = s.scalar(select(Application).where(Application.posting_id == p.id, Application.seeker_id == sk.id))
            ctx["applied"] = a
            if a is not None:
                from jiuye.market.applications import STATE_LABELS

                ctx["applied_label"] = STATE_LABELS[a.state]
    return render(request, "market/job.html", ctx, status_code=status_code)


@router.post("/jobs/{posting_id}/apply", dependencies=[CSRF])
def job_apply(request: Request, s: DB, user: PageUser, posting_id: int, note: Annotated[str, Form()] = ""):
    from jiuye.market import applications
    from jiuye.market.common import CaseError, NotFound

    refused = _seeker_or_refuse(request, user)
    if refused is not None:
        return refused
    try:
        applications.apply(s, user, posting_id, note)
    except NotFound as exc:
        return _error(request, user, exc)
    except CaseError as exc:
        s.rollback()
        return _job_page(request, s, user, posting_id, str(exc), exc.status)
    return RedirectResponse("/my/jobs?done=applied", status_code=303)


# --- 求职登记 and my applications -------------------------------------------------------------------
@router.get("/my/jobs")
def my_jobs(request: Request, s: DB, user: PageUser, done: str = ""):
    from jiuye.market import applications, live, postings, seekers

    refused = _seeker_or_refuse(request, user)
    if refused is not None:
        return refused
    sk = seekers.current(s, user)
    ctx = {"user": user, "notice": NOTICES.get(done), "outcomes": {k: v for k, v in seekers.OUTCOMES.items()
                                                                    if k != "hired_here"}}
    ctx["registration"] = seekers.view(sk, detail=True, full_identity=True) if sk else None
    ctx["applications"] = [applications.view(a, as_seeker=True) for a in applications.for_seeker(s, user)]
    ctx["matches"] = []
    if sk is not None and sk.state == "active":
        from jiuye.market import policies

        rec = seekers.record_of(sk)
        ctx["policies"] = policies.for_seeker(rec, None, district=sk.district)  # seeking a job: the same for every post
        for post, _score, reasons in live.matches_for(s, rec, 5):
            ctx["matches"].append({"p": postings.view(post), "reasons": reasons, "policies": policies.for_seeker(
                rec, postings.record_of(post), district=sk.district, only_post=True)})
    return render(request, "market/my_jobs.html", ctx)


def _register_page(request: Request, user, values: dict, *, error: str | None = None, field: str | None = None,
                   editing: bool = False, status_code: int = 200, phone: str = "", notify_matches: bool = True):
    return render(request, "market/register.html", {"user": user, "v": values, "error": error, "field": field,
                                                    "editing": editing, "c": choices(), "phone": phone,
                                                    "notify_matches": notify_matches}, status_code=status_code)


@router.get("/my/jobs/register")
def register_form(request: Request, s: DB, user: PageUser):
    from jiuye.market import seekers

    refused = _seeker_or_refuse(request, user)
    if refused is not None:
        return refused
    sk = seekers.current(s, user)
    if sk is not None and sk.state == "active":
        return _register_page(request, user, seeker_form_values(sk.record), editing=True, phone=sk.phone or "",
                              notify_matches=sk.notify_matches)
    return _register_page(request, user, seeker_form_values(None), phone=user.phone or "")


@router.post("/my/jobs/register", dependencies=[CSRF])
def register_submit(request: Request, s: DB, user: PageUser, form: PostedForm):
    from jiuye.market import seekers
    from jiuye.market.common import CaseError

    refused = _seeker_or_refuse(request, user)
    if refused is not None:
        return refused
    data = seeker_data(form)
    phone = str(form.get("phone") or "").strip()
    notify_matches = form.get("notify_matches") == "1"
    sk = seekers.current(s, user)
    editing = sk is not None and sk.state == "active"
    try:
        if editing:
            seekers.update(s, user, sk.id, data, phone=phone, notify_matches=notify_matches)
        else:
            sk = seekers.register(s, user, data, phone=phone or None)
            if not notify_matches:
                seekers.update(s, user, sk.id, data, notify_matches=False)
    except CaseError as exc:
        s.rollback()
        return _register_page(request, user, seeker_form_values(data), error=str(exc), field=exc.extra.get("field"),
                              editing=editing, status_code=exc.status if exc.status in (403, 409) else 422,
                              phone=phone, notify_matches=notify_matches)
    return RedirectResponse(f"/my/jobs?done={'saved' if editing else 'registered'}", status_code=303)


@router.post("/my/jobs/{seeker_id}/confirm", dependencies=[CSRF])
def confirm(request: Request, s: DB, user: PageUser, seeker_id: int):
    from jiuye.market import seekers
    from jiuye.market.common import CaseError

    refused = _seeker_or_refuse(request, user)
    if refused is not None:
        return refused
    try:
        seekers.confirm(s, user, seeker_id)
    except CaseError as exc:
        return _error(request, user, exc)
    return RedirectResponse("/my/jobs?done=confirmed", status_code=303)


@router.post("/my/jobs/{seeker_id}/close", dependencies=[CSRF])
def close(request: Request, s: DB, user: PageUser, seeker_id: int, outcome: Annotated[str, Form()] = "",
          note: Annotated[str, Form()] = ""):
    from jiuye.market import seekers
    from jiuye.market.common import CaseError

    refused = _seeker_or_refuse(request, user)
    if refused is not None:
        return refused
    try:
        seekers.close(s, user, seeker_id, outcome, note)
    except CaseError as exc:
        return _error(request, user, exc)
    return RedirectResponse("/my/jobs?done=closed", status_code=303)


@router.post("/my/applications/{application_id}/withdraw", dependencies=[CSRF])
def withdraw(request: Request, s: DB, user: PageUser, application_id: int):
    from jiuye.market import applications
    from jiuye.market.common import CaseError

    refused = _seeker_or_refuse(request, user)
    if refused is not None:
        return refused
    try:
        applications.withdraw(s, user, application_id)
    except CaseError as exc:
        return _error(request, user, exc)
    return RedirectResponse("/my/jobs?done=withdrawn", status_code=303)


# --- messages ------------------------------------------------------------------------------------
@router.get("/messages")
def messages(request: Request, s: DB, user: PageUser, done: str = ""):
    from jiuye.market import notify

    if user is None:
        return _login(request)
    return render(request, "market/messages.html", {
        "user": user, "rows": notify.inbox(s, user), "notice": NOTICES.get(done), "phone": user.phone or "",
        "opted_out": notify.opted_out(s, user.phone), "title": "消息"})


@router.post("/messages/read", dependencies=[CSRF])
def messages_read(request: Request, s: DB, user: PageUser):
    from jiuye.market import notify

    if user is None:
        return _login(request)
    notify.mark_read(s, user)
    return RedirectResponse("/messages?done=read", status_code=303)


@router.post("/messages/sms", dependencies=[CSRF])
def messages_sms(request: Request, s: DB, user: PageUser, phone: Annotated[str, Form()] = "",
                 action: Annotated[str, Form()] = "optout"):
    from jiuye.market import notify
    from jiuye.market.common import CaseError

    if user is None:
        return _login(request)
    try:
        if action == "optin":
            notify.opt_in(s, phone)
        else:
            notify.opt_out(s, phone, user)
    except CaseError as exc:
        return _error(request, user, exc)
    return RedirectResponse(f"/messages?done={'optin' if action == 'optin' else 'optout'}", status_code=303)


__all__ = ["router"]
