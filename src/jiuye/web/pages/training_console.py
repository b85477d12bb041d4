"""职业培训 in the staff console (/console/training; thin routes over jiuye.training, staff login, CSRF on
POST; who may use them and what each sees: jiuye.training.access.console / covers):

- /console/training: providers waiting for approval (approve, or return with a reason the provider's
  account is told), those returned, the other providers of the area (suspend), and (旗县市中心, 盟中心) the
  form that registers a provider with its account (POST /console/training/providers);
- /console/training/courses: the area's courses by tab (招生中和已开班 / 已结业和已取消 / 全部) with seats,
  enrolled, completed, subsidy cases opened and the anomaly flags;
- /console/training/vouchers: 兴安盟职业培训券 issued / used / closed / expired per month and the use rate,
  and (旗县市中心, 盟中心) the form that issues one.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from jiuye.web.pages.common import CSRF, DB, Staff, render, staff_user
from jiuye.web.pages.market_forms import PostedForm

router = APIRouter(prefix="/console/training", include_in_schema=False, default_response_class=HTMLResponse)
STAFF = Depends(staff_user)
NOTICES = {"registered": "培训机构已登记：机构可用所设的账号登录，审批通过后才能发布课程（审批见上）。",
           "approve": "已审批通过，机构可以发布课程了。", "return": "已退回，机构账号会收到退回原因。", "suspend": "已暂停该机构。",
           "issued": "培训券已发放，持券人会收到消息。"}


def _page(request: Request, template: str, me, ctx: dict | None = None, status_code: int = 200):
    return render(request, template, {"user": me, "console": True, **(ctx or {})}, status_code=status_code)


def _refused(request: Request, me, exc):
    status = getattr(exc, "status", 422)
    return _page(request, "console/message.html", me, {"message": str(exc), "status_code": status}, status_code=status)


PROVIDER_FIELDS = ("name", "kind", "district", "credit_code", "address", "phone", "username")


def _home(request: Request, s, me, *, error=None, register_error=None, field=None, values=None, notice=None,
          status_code=200):
    from jiuye.training import console
    from jiuye.training.common import CaseError
    from jiuye.training.settings import settings
    from jiuye.welfare_posts.posts import districts

    try:
        rows = console.provider_rows(s, me)
    except CaseError as exc:
        return _refused(request, me, exc)
    cfg = settings()
    return _page(request, "training/console_home.html", me, {
        **rows, "scope": console.scope_label(s, me), "error": error, "register_error": register_error, "field": field,
        "notice": notice,
        "kinds": {k: v.label for k, v in cfg.provider_kinds.items()},
        "approval_kinds": {k: v.label for k, v in cfg.approvals.items()}, "districts": districts(),
        "v": values or {"kind": "training_institution", "district": me.district, "approvals": []}},
        status_code=status_code)


@router.get("")
def home(request: Request, s: DB, me: Staff, done: str = ""):
    return _home(request, s, me, notice=NOTICES.get(done))


@router.post("/providers", dependencies=[STAFF, CSRF])
def register_provider(request: Request, s: DB, me: Staff, form: PostedForm):
    """A centre registers a provider and opens its account (the same rules as POST /api/training/providers)."""
    from jiuye.training import console, providers
    from jiuye.training.common import CaseError

    values = {k: str(form.get(k) or "").strip()[:200] for k in PROVIDER_FIELDS}
    values["approvals"] = [str(a)[:24] for a in form.getlist("approvals")][:4]
    password = str(form.get("password") or "")[:200]
    try:
        console.require(s, me)
        data = {k: values[k] or None for k in ("name", "kind", "district", "credit_code", "address", "phone")}
        providers.register(s, me, {**data, "approvals": values["approvals"]}, username=values["username"],
                           password=password)
    except CaseError as exc:
        s.rollback()
        if getattr(exc, "status", 422) in (409, 422):
            return _home(request, s, me, register_error=str(exc), field=exc.extra.get("field"), values=values,
                         status_code=getattr(exc, "status", 422))
        return _refused(request, me, exc)
    return RedirectResponse("/console/training?done=registered", status_code=303)


@router.post("/providers/{provider_id}/decision", dependencies=[STAFF, CSRF])
def decide(request: Request, s: DB, me: Staff, provider_id: int, form: PostedForm):
    from jiuye.training import console, providers
    from jiuye.training.common import CaseError

    action = str(form.get("action") or "")[:10]
    try:
        console.require(s, me)
        providers.decide(s, me, provider_id, action, str(form.get("comment") or "")[:600] or None)
    except CaseError as exc:
        s.rollback()
        if getattr(exc, "status", 422) == 422:
            return _home(request, s, me, error=str(exc), status_code=422)
        return _refused(request, me, exc)
    return RedirectResponse(f"/console/training?done={action}", status_code=303)


@router.get("/courses")
def courses(request: Request, s: DB, me: Staff, tab: str = "current"):
    from jiuye.training import console
    from jiuye.training.common import CaseError

    tab = tab if tab in console.TABS else "current"
    try:
        rows = console.course_rows(s, me, tab)
    except CaseError as exc:
        return _refused(request, me, exc)
    return _page(request, "training/console_courses.html", me, {
        "rows": rows, "tab": tab, "tabs": console.TABS, "scope": console.scope_label(s, me)})


def _vouchers(request: Request, s, me, *, error=None, field=None, values=None, notice=None, status_code=200):
    from jiuye.training import access, console
    from jiuye.training.common import CaseError, actor_of
    from jiuye.training.settings import settings

    try:
        counts = console.voucher_counts(s, me)
    except CaseError as exc:
        return _refused(request, me, exc)
    cfg = settings()
    may_issue = access.voucher(actor_of(s, me), "issue", owner_person_id=0, district=me.district)[0]
    return _page(request, "training/console_vouchers.html", me, {
        "c": counts, "scope": console.scope_label(s, me), "may_issue": may_issue,
        "course_kinds": {k: v.label for k, v in cfg.course_kinds.items()}, "voucher_kinds": cfg.voucher.kinds,
        "v": values or {"course_kind": "vocational", "kind": "subsidised"}, "error": error, "field": field,
        "notice": notice}, status_code=status_code)


@router.get("/vouchers")
def voucher_page(request: Request, s: DB, me: Staff, done: str = ""):
    return _vouchers(request, s, me, notice=NOTICES.get(done))


@router.post("/vouchers", dependencies=[STAFF, CSRF])
def issue(request: Request, s: DB, me: Staff, form: PostedForm):
    from jiuye.training import console, vouchers
    from jiuye.training.common import CaseError

    values = {k: str(form.get(k) or "").strip()[:40] for k in ("id_number", "name", "course_kind", "kind")}
    try:
        console.require(s, me)
        vouchers.issue(s, me, id_number=values["id_number"], name=values["name"], course_kind=values["course_kind"],
                       kind=values["kind"] or "subsidised")
    except CaseError as exc:
        s.rollback()
        values["id_number"] = ""  # the 身份证号 is not written back into the page
        if getattr(exc, "status", 422) == 422:
            return _vouchers(request, s, me, error=str(exc), field=exc.extra.get("field"), values=values, status_code=422)
        return _refused(request, me, exc)
    return RedirectResponse("/console/training/vouchers?done=issued", status_code=303)
