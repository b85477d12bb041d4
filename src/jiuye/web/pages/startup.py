"""创业服务 pages (phone-first, no JS needed): thin over jiuye.startup.

- /startup: the 创业项目库 (published projects, filtered by 类别、合作方式、旗县市、投资额), the bases, one's own.
- /startup/projects/{id}: a project, the advantages of a project in the library (quoted with their
  source), the founder's 意向 form, and the prefilled 一次性创业补贴 / 创业担保贷款 applications.
- /startup/projects/new: a project owner submits a project (staff for an owner: the API or the CLI).
- /startup/bases: the catalogue (003) with each base's figures counted from the records;
  /startup/bases/{key}/apply: the application to enter (创业计划书 upload).
- /startup/applications/{id}: one page for the founder (decision, tenancy, prefilled applications),
  an assigned reviewer (conflict-of-interest declaration, then the score) and the centre (reviewers,
  decision, exit).
- /console/startup: staff's to-do (projects to review, interests to follow up, applications).
CSRF on every POST; a refusal re-renders the page with the message in Chinese (nothing half-saved)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from jiuye.web.pages.common import CSRF, DB, PageUser, render
from jiuye.web.pages.market_forms import PostedForm

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PAGE = 20


def _cfg():
    from jiuye.startup.settings import startup

    return startup()


def _error(request, user, status: int, message: str):
    return render(request, "error.html", {"user": user, "status_code": status, "message": message}, status_code=status)


def _login(request: Request):
    from urllib.parse import quote

    return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)


def _int(v: str, lo: int, hi: int) -> int | None:
    v = (v or "").strip()
    return int(v) if v.isdigit() and lo <= int(v) <= hi else None


@router.get("/startup")
def index(request: Request, s: DB, user: PageUser, sector: str = "", mode: str = "", district: str = "",
          max_investment: str = "", page: str = "1"):
    from jiuye.startup import projects
    from jiuye.startup.common import CaseError, districts

    cfg = _cfg()
    n = _int(page, 1, 9999) or 1
    cap = _int(max_investment.replace(",", ""), 0, 100_000_000)
    error, total, rows = None, 0, []
    try:
        total, found = projects.browse(s, sector=sector[:30] or None, mode=mode[:30] or None,
                                       district=district[:20] or None, max_investment=cap, limit=PAGE,
                                       offset=(n - 1) * PAGE)
        rows = [projects.view(p) for p in found]
    except CaseError as exc:
        error = str(exc)
    return render(request, "startup/index.html", {
        "user": user, "rows": rows, "total": total, "page": n, "pages": max(1, -(-total // PAGE)), "cfg": cfg,
        "f": {"sector": sector[:30], "mode": mode[:30], "district": district[:20],
              "max_investment": "" if cap is None else str(cap)},
        "districts": districts(), "error": error})


def _project_page(request, s, user, project_id: int, *, error=None, notice=None, status_code=200):
    from jiuye.startup import access, prefill, projects
    from jiuye.startup.common import CaseError

    try:
        p = projects.load(s, user, project_id)
    except CaseError as exc:
        return _error(request, user, exc.status, str(exc))
    actor = access.actor_for(user)
    full = (actor.kind == "citizen" and actor.user_id == p.owner_id) or access.covers(actor, p.district)
    may_interest = access.project(actor, "interest", p.state, district=p.district, owner_id=p.owner_id)[0]
    return render(request, "startup/project.html", {
        "user": user, "p": projects.view(p, full=full), "adv": projects.advantages(), "may_interest": may_interest,
        "offers": prefill.offers(s, p) if user is not None and user.role == "applicant" else [],
        "may_review": access.project(actor, "review", p.state, district=p.district, owner_id=p.owner_id)[0],
        "error": error, "notice": notice}, status_code=status_code)


@router.get("/startup/projects/new")
def new_project(request: Request, s: DB, user: PageUser):
    from jiuye.startup.common import districts

    if user is None:
        return _login(request)
    return render(request, "startup/project_form.html", {"user": user, "cfg": _cfg(), "districts": districts(),
                                                         "v": {"contact_phone": user.phone or ""}})


@router.post("/startup/projects/new", dependencies=[CSRF])
def create_project(request: Request, s: DB, user: PageUser, form: PostedForm):
    from jiuye.startup import projects
    from jiuye.startup.common import CaseError, districts

    if user is None:
        return _login(request)
    names = ("title", "mode", "sector", "district", "place", "investment_yuan", "offer", "description",
             "contact_name", "contact_phone")
    v = {k: str(form.get(k) or "")[:2000] for k in names}
    try:
        p = projects.create(s, user, v, submit=form.get("draft") != "1")
    except CaseError as exc:
        s.rollback()
        return render(request, "startup/project_form.html", {
            "user": user, "cfg": _cfg(), "districts": districts(), "v": v, "error": str(exc),
            "field": exc.extra.get("field")}, status_code=exc.status)
    return RedirectResponse(f"/startup/projects/{p.id}?done=1", status_code=303)


@router.get("/startup/projects/{project_id}")
def project(request: Request, s: DB, user: PageUser, project_id: int, done: str = ""):
    return _project_page(request, s, user, project_id, notice={"1": "已提交，就业服务中心审核后发布。",
                                                               "i": "已收到您的意向，工作人员会联系您。",
                                                               "r": "已办理。"}.get(done))


@router.post("/startup/projects/{project_id}/interest", dependencies=[CSRF])
def interest(request: Request, s: DB, user: PageUser, project_id: int, form: PostedForm):
    from jiuye.startup import projects
    from jiuye.startup.common import CaseError

    if user is None:
        return _login(request)
    try:
        projects.express_interest(s, user, project_id, phone=str(form.get("phone") or "")[:30],
                                  note=str(form.get("note") or "")[:300])
    except CaseError as exc:
        s.rollback()
        return _project_page(request, s, user, project_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/startup/projects/{project_id}?done=i", status_code=303)


@router.post("/startup/projects/{project_id}/review", dependencies=[CSRF])
def review(request: Request, s: DB, user: PageUser, project_id: int, form: PostedForm):
    from jiuye.startup import projects
    from jiuye.startup.common import CaseError

    if user is None:
        return _login(request)
    try:
        projects.review(s, user, project_id, publish=form.get("publish") == "1", reason=str(form.get("reason") or "")[:300])
    except CaseError as exc:
        s.rollback()
        return _project_page(request, s, user, project_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/startup/projects/{project_id}?done=r", status_code=303)


@router.get("/startup/bases")
def bases(request: Request, s: DB, user: PageUser):
    from jiuye.startup import incubation

    cfg = _cfg()
    return render(request, "startup/bases.html", {
        "user": user, "bases": [(b, incubation.figures(s, b.id)) for b in cfg.bases], "inc": cfg.incubation,
        "levels": cfg.levels})


def _apply_page(request, s, user, base_key: str, *, v=None, error=None, field=None, status_code=200):
    from jiuye.startup import projects

    b = _cfg().base(base_key)
    if b is None:
        return _error(request, user, 404, "目录中没有这个基地")
    mine = [p for p in projects.browse(s, limit=100)[1]] if user is not None else []
    return render(request, "startup/apply.html", {
        "user": user, "b": b, "inc": _cfg().incubation, "v": v or {"first_business": "1", "months_requested": "36"},
        "projects": [(p.id, p.title) for p in mine], "error": error, "field": field}, status_code=status_code)


@router.get("/startup/bases/{base_key}/apply")
def apply_form(request: Request, s: DB, user: PageUser, base_key: str, project: str = ""):
    if user is None:
        return _login(request)
    if user.role != "applicant":
        return _error(request, user, 403, "入驻申请由创业者本人用个人账号提交。")
    return _apply_page(request, s, user, base_key[:40], v={"first_business": "1", "months_requested": "36",
                                                           "project_id": project[:10]})


@router.post("/startup/bases/{base_key}/apply", dependencies=[CSRF])
def apply_submit(request: Request, s: DB, user: PageUser, base_key: str, form: PostedForm):
    from jiuye.startup import incubation
    from jiuye.startup.common import CaseError

    if user is None:
        return _login(request)
    names = ("business_name", "plan_summary", "business_registration_date", "planned_jobs", "months_requested",
             "project_id", "first_business", "has_employment_card", "has_training_certificate")
    v = {k: str(form.get(k) or "")[:2000] for k in names}
    upload = form.get("plan")
    plan = None
    if upload is not None and hasattr(upload, "file"):
        from jiuye.cases.attachments import max_bytes

        blob = upload.file.read(max_bytes() + 1)
        plan = (upload.filename or "plan", blob) if blob else None
    try:
        a = incubation.apply(s, user, {**v, "base": base_key[:40]}, plan=plan)
    except CaseError as exc:
        s.rollback()
        return _apply_page(request, s, user, base_key[:40], v=v, error=str(exc), field=exc.extra.get("field"),
                           status_code=exc.status)
    return RedirectResponse(f"/startup/applications/{a.id}?done=1", status_code=303)


def _application_page(request, s, user, app_id: int, *, error=None, notice=None, status_code=200):
    from jiuye.cases.models import User
    from jiuye.startup import access, incubation, prefill
    from jiuye.startup.common import CaseError

    if user is None:
        return _login(request)
    try:
        a = incubation.load(s, user, app_id)
    except CaseError as exc:
        return _error(request, user, exc.status, str(exc))
    rule = lambda action: incubation._rule(s, user, a, action)[0]  # noqa: E731
    d = incubation.view(s, user, a)
    candidates = []
    if rule("assign"):
        assigned = {r["reviewer_id"] for r in d["reviews"]}
        from sqlalchemy import select

        candidates = [(u.id, u.display_name or u.username) for u in s.scalars(
            select(User).where(User.role.in_(access.VIEW_ROLES), User.active.is_(True), User.id != user.id)
            .order_by(User.id)).all() if u.id not in assigned]
    mine = next((r for r in d["reviews"] if r["mine"]), None)
    return render(request, "startup/application.html", {
        "user": user, "a": d, "mine": mine, "candidates": candidates, "may": {k: rule(k) for k in access.APPLICATION_ACTIONS},
        "offers": prefill.offers(s, a) if a.founder_id == user.id and a.state == "admitted" else [],
        "exit_kinds": incubation.EXIT_KINDS, "rule": _cfg().incubation.review, "error": error, "notice": notice},
        status_code=status_code)


@router.get("/startup/applications/{app_id}")
def application(request: Request, s: DB, user: PageUser, app_id: int, done: str = ""):
    return _application_page(request, s, user, app_id, notice="已办理。" if done else None)


@router.get("/startup/reviews/{app_id}")
def review_link(app_id: int):
    return RedirectResponse(f"/startup/applications/{app_id}", status_code=303)


@router.post("/startup/applications/{app_id}/{action}", dependencies=[CSRF])
def act(request: Request, s: DB, user: PageUser, app_id: int, action: str, form: PostedForm):
    from jiuye.startup import incubation
    from jiuye.startup.common import CaseError

    if user is None:
        return _login(request)
    f = {k: str(form.get(k) or "")[:500] for k in form.keys() if k != "reviewers"}
    try:
        if action == "declare":
            incubation.declare(s, user, app_id, conflict=f.get("conflict") == "1", note=f.get("note"))
        elif action == "score":
            incubation.score(s, user, app_id, value=f.get("score"), comment=f.get("comment"))
        elif action == "assign":
            ids = [int(x) for x in form.getlist("reviewers") if str(x).isdigit() and len(str(x)) < 10]
            incubation.assign(s, user, app_id, ids)
        elif action == "decide":
            incubation.decide(s, user, app_id, admit=f.get("admit") == "1", reason=f.get("reason"),
                              entry_date=f.get("entry_date") or None)
        elif action == "exit":
            incubation.record_exit(s, user, app_id, exit_date=f.get("exit_date"), kind=f.get("kind"),
                                   jobs_created=f.get("jobs_created"))
        else:
            return _error(request, user, 404, "没有这个操作")
    except CaseError as exc:
        s.rollback()
        return _application_page(request, s, user, app_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/startup/applications/{app_id}?done=1", status_code=303)


@router.get("/startup/mine")
def mine(request: Request, s: DB, user: PageUser):
    from jiuye.startup import incubation, projects

    if user is None:
        return _login(request)
    return render(request, "startup/mine.html", {
        "user": user, "projects": [projects.view(p, full=True) for p in projects.mine(s, user)],
        "interests": [projects.interest_view(i, p, full=True) for i, p in projects.my_interests(s, user)],
        "applications": [incubation.view(s, user, a) for a in incubation.mine(s, user)]})


@router.get("/console/startup")
def console(request: Request, s: DB, user: PageUser):
    from jiuye.cases import roles
    from jiuye.startup import incubation, projects

    if user is None or user.role not in roles.STAFF_ROLES + ("admin",):
        from urllib.parse import quote

        return RedirectResponse(f"/console/login?next={quote('/console/startup')}", status_code=303)
    return render(request, "startup/console.html", {
        "user": user, "console": True, "projects": [projects.view(p, full=True) for p in projects.queue(s, user)],
        "interests": [projects.interest_view(i, p, full=True) for i, p in projects.interests_to_follow(s, user)],
        "applications": [incubation.view(s, user, a) for a in incubation.queue(s, user)]})


@router.post("/console/startup/interests/{interest_id}", dependencies=[CSRF])
def follow_up(request: Request, s: DB, user: PageUser, interest_id: int, form: PostedForm):
    from jiuye.startup import projects
    from jiuye.startup.common import CaseError

    if user is None:
        return _login(request)
    try:
        projects.follow_up(s, user, interest_id, result=str(form.get("result") or "")[:300], close=form.get("close") == "1")
    except CaseError as exc:
        s.rollback()
        return _error(request, user, exc.status, str(exc))
    return RedirectResponse("/console/startup", status_code=303)
