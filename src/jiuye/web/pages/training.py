"""Training pages, phone-first, thin over jiuye.training:

- /training: find a course (district, occupation, kind, free), no account needed;
  /training/courses/{id}: the course, what the rules say the visitor would get on completion (logged-in
  citizen, as of today), and enrolment (groups, the league's voucher); /training/courses/{id}/sign-in:
  the one-time code (location only with consent, sent by the browser if it may);
- /training/my: enrolments, vouchers (shown on the phone), wishes, and the wish form;
- /training/provider (role 培训机构): its courses, publishing, open wishes to answer;
  /training/provider/courses/{id}: open the class, today's code, learners (masked) with flags,
  attendance by hand, completion (results and certificates → the subsidy cases open by themselves).
CSRF on every POST; errors re-render in Chinese with the field named.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from jiuye.web.pages.common import CSRF, DB, LoginRequired, PageUser, render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PAGE = 20


def _about() -> dict:
    from jiuye.training.settings import settings

    cfg = settings()
    return {"cfg": cfg, "kinds": {k: v.label for k, v in cfg.course_kinds.items()}}


async def _form(request: Request) -> dict[str, str]:
    """The posted form's text fields (awaited here, so the routes themselves run in a thread)."""
    form = await request.form()
    return {k: str(v)[:500] for k, v in form.items() if isinstance(v, str)}


FormData = Annotated[dict, Depends(_form)]


@router.get("/training")
def index(request: Request, s: DB, user: PageUser, q: str = "", district: str = "", kind: str = "", free: str = "",
          page: str = "1"):
    from jiuye.market import postings
    from jiuye.training import courses
    from jiuye.training.common import CaseError

    n = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
    error, total, rows = None, 0, []
    try:
        total, found = courses.search(s, q=q[:100], district=district[:20] or None, kind=kind[:20] or None,
                                      free_only=free == "1", limit=PAGE, offset=(n - 1) * PAGE)
        rows = [courses.view(c) for c in found]
    except CaseError as exc:
        error = str(exc)
    return render(request, "training/index.html", {
        "user": user, "rows": rows, "total": total, "page": n, "pages": max(1, -(-total // PAGE)), "q": q[:100],
        "district": district[:20], "kind": kind[:20], "free": free == "1", "districts": postings.league_districts(),
        "error": error, **_about()})


def _course_page(request, s, user, course_id: int, *, error=None, field=None, status_code=200, notice=None, v=None):
    from jiuye.cases.models import Person
    from jiuye.training import courses, eligibility, enrolment
    from jiuye.training.common import CaseError, clock
    from jiuye.training.eligibility import GROUP_FIELDS
    from jiuye.training.models import Enrolment

    try:
        c = courses.load(s, course_id)
    except CaseError:
        return render(request, "error.html", {"user": user, "status_code": 404, "message": "没有这门课程。"}, status_code=404)
    subsidies, mine = None, None
    if user is not None and user.role == "applicant" and user.person_id:
        person = s.get(Person, user.person_id)
        try:
            subsidies = eligibility.screen(s, c, id_number=person.id_number, groups={}, person_id=person.id,
                                           as_of=clock.today())
        except CaseError as exc:
            error = error or str(exc)
        e = s.query(Enrolment).filter(Enrolment.course_id == c.id, Enrolment.person_id == person.id).first()
        mine = enrolment.view(s, e, full=True) if e else None
    groups = list(GROUP_FIELDS.items())
    return render(request, "training/course.html", {
        "user": user, "c": courses.view(c), "subsidies": subsidies, "mine": mine, "groups": groups,
        "error": error, "field": field, "notice": notice, "v": v or {}, "today": clock.today().isoformat(), **_about()},
        status_code=status_code)


@router.get("/training/courses/{course_id}")
def course(request: Request, s: DB, user: PageUser, course_id: int, done: str = ""):
    notice = {"enrolled": "报名成功。开班前机构会联系您；开班后在本页签到。", "signed": "签到成功。"}.get(done)
    return _course_page(request, s, user, course_id, notice=notice)


def _need_citizen(request: Request, user) -> None:
    if user is None:
        raise LoginRequired("/login", str(request.url.path))


@router.post("/training/courses/{course_id}/enrol", dependencies=[CSRF])
def enrol(request: Request, s: DB, user: PageUser, course_id: int, form: FormData):
    from jiuye.training import enrolment
    from jiuye.training.common import CaseError
    from jiuye.training.eligibility import GROUP_FIELDS

    _need_citizen(request, user)
    groups = {g: True for g in GROUP_FIELDS if form.get(f"g_{g}") == "1"}
    try:
        enrolment.enrol(s, user, course_id, phone=form.get("phone") or None, voucher=form.get("voucher") or None,
                        groups=groups)
    except CaseError as exc:
        s.rollback()
        return _course_page(request, s, user, course_id, error=str(exc), field=exc.extra.get("field"),
                            status_code=exc.status, v=form)
    return RedirectResponse(f"/training/courses/{course_id}?done=enrolled", status_code=303)


@router.get("/training/courses/{course_id}/sign-in")
def sign_in_form(request: Request, s: DB, user: PageUser, course_id: int):
    _need_citizen(request, user)
    return _sign_page(request, s, user, course_id)


def _sign_page(request, s, user, course_id, *, error=None, status_code=200):
    from jiuye.training import courses
    from jiuye.training.common import CaseError

    try:
        c = courses.load(s, course_id)
    except CaseError:
        return render(request, "error.html", {"user": user, "status_code": 404, "message": "没有这门课程。"}, status_code=404)
    return render(request, "training/signin.html", {"user": user, "c": courses.view(c), "error": error, **_about()},
                  status_code=status_code)


@router.post("/training/courses/{course_id}/sign-in", dependencies=[CSRF])
def sign_in(request: Request, s: DB, user: PageUser, course_id: int, form: FormData):
    from jiuye.training import attendance
    from jiuye.training.common import CaseError

    _need_citizen(request, user)
    consent = form.get("consent") == "1"

    def num(name):
        try:
            return float(form.get(name) or "") if consent else None
        except ValueError:
            return None
    try:
        attendance.sign_in(s, user, course_id, form.get("code", ""), consent=consent, latitude=num("latitude"),
                           longitude=num("longitude"))
    except CaseError as exc:
        s.rollback()
        return _sign_page(request, s, user, course_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/training/courses/{course_id}?done=signed", status_code=303)


@router.get("/training/my")
def my(request: Request, s: DB, user: PageUser, done: str = ""):
    _need_citizen(request, user)
    return _my_page(request, s, user, notice={"wish": "培训意愿已登记，当地培训机构会答复您。"}.get(done))


def _my_page(request, s, user, *, error=None, field=None, status_code=200, notice=None, v=None):
    from jiuye.market import postings
    from jiuye.training import enrolment, vouchers, wishes

    ens = [enrolment.view(s, e, full=True) for e in enrolment.mine(s, user)]
    vs = [vouchers.view(s, x, full=True) for x in vouchers.mine(s, user)]
    ws = [wishes.view(s, w, full=True) for w in wishes.visible(s, user, state=None)] if user.role == "applicant" else []
    return render(request, "training/my.html", {
        "user": user, "enrolments": ens, "vouchers": vs, "wishes": ws, "error": error, "field": field, "notice": notice,
        "v": v or {}, "districts": postings.league_districts(), **_about()}, status_code=status_code)


@router.post("/training/wishes", dependencies=[CSRF])
def make_wish(request: Request, s: DB, user: PageUser, form: FormData):
    from jiuye.training import wishes
    from jiuye.training.common import CaseError

    _need_citizen(request, user)
    try:
        wishes.create(s, user, form)
    except CaseError as exc:
        s.rollback()
        return _my_page(request, s, user, error=str(exc), field=exc.extra.get("field"), status_code=exc.status, v=form)
    return RedirectResponse("/training/my?done=wish", status_code=303)


# --- the provider ----------------------------------------------------------------------------------
def provider_user(request: Request, user: PageUser) -> Any:
    if user is None or user.role != "training_provider":
        raise LoginRequired("/login", str(request.url.path))
    return user


Provider = Annotated[Any, Depends(provider_user)]
NOTICES = {"published": "课程已发布。", "opened": "已开班（开班反馈已完成）。", "code": "新的签到码已生成。",
           "marked": "已补记出勤。", "completed": "考核结果已录入；合格学员的补贴案件已由系统自动建案。", "answered": "已答复。"}


@router.get("/training/provider")
def provider_home(request: Request, s: DB, me: Provider, done: str = ""):
    return _provider_page(request, s, me, notice=NOTICES.get(done))


def _provider_page(request, s, me, *, error=None, field=None, status_code=200, notice=None, v=None):
    from jiuye.training import courses, providers, wishes
    from jiuye.training.common import provider_of

    p = provider_of(s, me)
    return render(request, "training/provider.html", {
        "user": me, "p": providers.view(p) if p else None, "reason": providers.last_reason(s, p) if p else None, "courses": [courses.view(c) for c in courses.mine(s, me)],
        "wishes": [wishes.view(s, w) for w in wishes.visible(s, me)] if p else [], "error": error, "field": field,
        "notice": notice, "v": v or {}, **_about()}, status_code=status_code)


@router.post("/training/provider/courses", dependencies=[CSRF])
def publish(request: Request, s: DB, me: Provider, form: FormData):
    from jiuye.training import courses
    from jiuye.training.common import CaseError

    data = dict(form)
    data["subsidised"] = form.get("subsidised") == "1"
    try:
        c = courses.publish(s, me, data)
    except CaseError as exc:
        s.rollback()
        return _provider_page(request, s, me, error=str(exc), field=exc.extra.get("field"), status_code=exc.status, v=form)
    return RedirectResponse(f"/training/provider/courses/{c.id}?done=published", status_code=303)


@router.post("/training/provider/wishes/{wish_id}", dependencies=[CSRF])
def answer(request: Request, s: DB, me: Provider, wish_id: int, form: FormData):
    from jiuye.training import wishes
    from jiuye.training.common import CaseError

    try:
        wishes.answer(s, me, wish_id, answer_text=form.get("answer", ""))
    except CaseError as exc:
        s.rollback()
        return _provider_page(request, s, me, error=str(exc), status_code=exc.status)
    return RedirectResponse("/training/provider?done=answered", status_code=303)


def _pcourse_page(request, s, me, course_id, *, error=None, status_code=200, notice=None, code=None):
    from jiuye.training import anomalies, attendance, courses, enrolment
    from jiuye.training.common import CaseError, clock

    try:
        c = courses.must(s, me, course_id, "learners")
        rows = enrolment.learners(s, me, course_id)
    except CaseError as exc:
        return render(request, "error.html", {"user": me, "status_code": exc.status if exc.status != 403 else 404,
                                              "message": str(exc)}, status_code=404)
    rule = _about()["cfg"].open_class
    return render(request, "training/provider_course.html", {
        "user": me, "c": courses.view(c), "code": code, "error": error, "notice": notice,
        "learners": [{**enrolment.view(s, e), "flags": anomalies.learner_flags(s, e)} for e in rows],
        "course_flags": anomalies.course_flags(s, c), "sheet": attendance.sheet_rows(s, c.id), "rule": rule,
        "today": clock.today().isoformat(), "certificates": __import__("jiuye.training.completion",
                                                                       fromlist=["x"]).CERTIFICATES, **_about()},
        status_code=status_code)


@router.get("/training/provider/courses/{course_id}")
def provider_course(request: Request, s: DB, me: Provider, course_id: int, done: str = ""):
    return _pcourse_page(request, s, me, course_id, notice=NOTICES.get(done))


@router.post("/training/provider/courses/{course_id}/{action}", dependencies=[CSRF])
def provider_action(request: Request, s: DB, me: Provider, course_id: int, action: str, form: FormData):
    from jiuye.training import attendance, completion, courses
    from jiuye.training.common import CaseError

    code = None
    try:
        if action == "open":
            courses.open_class(s, me, course_id)
            done = "opened"
        elif action == "code":
            code = attendance.new_code(s, me, course_id)
            return _pcourse_page(request, s, me, course_id, notice=NOTICES["code"], code=code.code)
        elif action == "mark":
            attendance.mark(s, me, course_id, int(form.get("enrolment_id") or 0) if (form.get("enrolment_id") or "").isdigit() else 0)
            done = "marked"
        elif action == "complete":
            results = []
            for key, value in form.items():
                if key.startswith("r_") and value in ("passed", "failed") and key[2:].isdigit():
                    eid = key[2:]
                    results.append({"enrolment_id": int(eid), "result": value,
                                    "certificate_kind": form.get(f"k_{eid}") or None,
                                    "certificate_no": form.get(f"n_{eid}") or None})
            completion.complete(s, me, course_id, results)
            done = "completed"
        else:
            return render(request, "error.html", {"user": me, "status_code": 404, "message": "没有这个操作。"}, status_code=404)
    except CaseError as exc:
        s.rollback()
        return _pcourse_page(request, s, me, course_id, error=str(exc), status_code=exc.status, code=code)
    return RedirectResponse(f"/training/provider/courses/{course_id}?done={done}", status_code=303)
