"""JSON API of training (/api/training/…): courses (find without an account), providers and their
approval, publishing, enrolment with the league's voucher, opening a class, sign-in codes and
sign-in, the attendance sheet, completion (which opens the subsidy cases), wishes, vouchers, the
provider table. Thin routes over jiuye.training, which decides who may see and do what
(jiuye.training.access): 404 for what one may not see, 403 for what one may not do, 409 for a
conflict, 422 naming the field. Names, phones and 身份证号 are masked in lists."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path as PathParam, Query
from fastapi.responses import Response

from jiuye.web.api_cases import _CONFLICT, _REFUSALS, DB, MAX_ID, Me, _errors
from jiuye.web.api_market import MaybeMe
from jiuye.web.market_schemas import _Out
from jiuye.web.training_schemas import (
    AnswerIn, CompleteIn, CourseIn, DecisionIn, EnrolIn, MarkIn, ProviderIn, SignInIn, VoucherIn, WishIn,
)

router = APIRouter(prefix="/api/training", tags=["training"], responses=_REFUSALS)
Id = Annotated[int, PathParam(ge=1, le=MAX_ID, description="编号")]


@router.get("/about", response_model=_Out)
def about():
    """培训的规则与依据：开班反馈时限（原文及其适用性说明）、培训类别（SYB/IYB/网络创业的天数与课时）、补贴付给谁、培训券（本系统电子券及资料问题）。不需要登录。"""
    from jiuye.training.settings import settings

    cfg = settings()
    return {"open_class": cfg.open_class.model_dump(), "course_kinds": {k: v.model_dump() for k, v in cfg.course_kinds.items()},
            "payee": cfg.payee.model_dump(), "voucher": cfg.voucher.model_dump(), "levels": cfg.levels,
            "categories": {k: v.label for k, v in cfg.categories.items()}, "categories_note": cfg.categories_note,
            "approvals_note": cfg.approvals_note, "anomalies": cfg.anomalies.model_dump()}


@router.get("/courses", response_model=_Out)
def find_courses(s: DB, q: Annotated[str, Query(max_length=100)] = "",
                 district: Annotated[str | None, Query(max_length=20)] = None,
                 occupation: Annotated[str | None, Query(max_length=20, description="职业编码或名称")] = None,
                 kind: Annotated[str | None, Query(max_length=20)] = None,
                 start_from: dt.date | None = None, start_to: dt.date | None = None, free: bool = False,
                 limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Annotated[int, Query(ge=0, le=100_000)] = 0):
    """可以报名的课程（招生中或已开班、未结业），开班早的在前。不需要登录。"""
    from jiuye.training import courses

    with _errors():
        total, rows = courses.search(s, q=q, district=district, occupation=occupation, kind=kind, start_from=start_from,
                                     start_to=start_to, free_only=free, limit=limit, offset=offset)
        return {"total": total, "courses": [courses.view(c) for c in rows]}


@router.get("/courses/{course_id}", response_model=_Out)
def get_course(course_id: Id, s: DB, me: MaybeMe):
    """一门课程；登录的个人另见：按今天的政策，结业合格后可获得哪些补贴（由规则筛查）。"""
    from jiuye.cases.models import Person
    from jiuye.training import courses, eligibility
    from jiuye.training.common import clock

    with _errors():
        c = courses.load(s, course_id)
        out = courses.view(c)
        if me is not None and me.role == "applicant" and me.person_id:
            person = s.get(Person, me.person_id)
            out["subsidies_for_me"] = [{k: v for k, v in r.items() if k != "snapshot"} for r in eligibility.screen(
                s, c, id_number=person.id_number, groups={}, person_id=person.id, as_of=clock.today())]
            out["as_of"] = clock.today().isoformat()
        return out


@router.post("/courses", status_code=201, response_model=_Out)
def publish_course(body: CourseIn, s: DB, me: Me):
    """培训机构发布课程。"""
    from jiuye.training import courses

    with _errors():
        return courses.view(courses.publish(s, me, body.model_dump(mode="json")))


@router.post("/courses/{course_id}/open", response_model=_Out)
def open_class(course_id: Id, s: DB, me: Me):
    """开班反馈（须在开班 3 天前；依据与适用性说明见 /about）。"""
    from jiuye.training import courses

    with _errors():
        return courses.view(courses.open_class(s, me, course_id))


@router.post("/courses/{course_id}/enrol", status_code=201, response_model=_Out, responses=_CONFLICT)
def enrol(course_id: Id, body: EnrolIn, s: DB, me: Me):
    """报名：个人为本人报名；培训机构为持身份证来报名的人代为报名。出示培训券时在此核验。"""
    from jiuye.training import enrolment

    with _errors():
        e = enrolment.enrol(s, me, course_id, phone=body.phone, voucher=body.voucher, id_number=body.id_number,
                            name=body.name, groups=body.groups.model_dump(exclude_none=True) if body.groups else None)
        return enrolment.view(s, e)


@router.post("/courses/{course_id}/codes", status_code=201, response_model=_Out)
def new_code(course_id: Id, s: DB, me: Me):
    """培训机构生成今天的签到码（在课堂上显示）。"""
    from jiuye.training import attendance
    from jiuye.training.common import clock

    with _errors():
        sc = attendance.new_code(s, me, course_id)
        return {"code": sc.code, "day": sc.day.isoformat(), "expires_at": clock.aware(sc.expires_at).isoformat()}


@router.post("/courses/{course_id}/sign-in", response_model=_Out)
def sign_in(course_id: Id, body: SignInIn, s: DB, me: Me):
    """学员用课堂上的签到码签到（位置仅在本人同意时记录）。重复签到返回第一次的记录。"""
    from jiuye.training import attendance
    from jiuye.training.common import clock

    with _errors():
        row, new = attendance.sign_in(s, me, course_id, body.code, consent=body.consent, latitude=body.latitude,
                                      longitude=body.longitude)
        return {"day": row.day.isoformat(), "at": clock.aware(row.at).isoformat(), "new": new}


@router.post("/courses/{course_id}/attendance", response_model=_Out)
def mark(course_id: Id, body: MarkIn, s: DB, me: Me):
    """培训机构补记一名学员的出勤（留痕）。"""
    from jiuye.training import attendance

    with _errors():
        row = attendance.mark(s, me, course_id, body.enrolment_id, body.day)
        return {"day": row.day.isoformat(), "method": row.method}


@router.get("/courses/{course_id}/learners", response_model=_Out)
def learners(course_id: Id, s: DB, me: Me):
    """本机构课程的学员（姓名、电话、身份证号已遮挡）及异常提示。"""
    from jiuye.training import anomalies, enrolment

    with _errors():
        rows = enrolment.learners(s, me, course_id)
        return {"learners": [{**enrolment.view(s, e), "flags": anomalies.learner_flags(s, e)} for e in rows],
                "course_flags": anomalies.course_flags(s, rows[0].course) if rows else []}


@router.get("/courses/{course_id}/sheet", response_model=_Out)
def sheet(course_id: Id, s: DB, me: Me, format: Annotated[str, Query(pattern="^(json|csv)$")] = "json"):
    """签到表（存档证据）；format=csv 下载。"""
    from jiuye.training import attendance, courses

    with _errors():
        rows = attendance.sheet(s, me, course_id)
        if format == "csv":
            return Response(attendance.sheet_csv(rows, courses.load(s, course_id)), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="sheet-{course_id}.csv"'})
        return {"rows": rows}


@router.post("/courses/{course_id}/complete", response_model=_Out)
def complete(course_id: Id, body: CompleteIn, s: DB, me: Me):
    """培训机构录入考核结果和证书；合格者的补贴案件由系统自动建案（免申即享）。"""
    from jiuye.training import completion

    with _errors():
        return completion.complete(s, me, course_id, [r.model_dump() for r in body.results])


@router.get("/my", response_model=_Out)
def mine(s: DB, me: Me):
    """本人的报名、培训券和培训意愿。"""
    from jiuye.training import enrolment, vouchers, wishes

    with _errors():
        return {"enrolments": [enrolment.view(s, e, full=True) for e in enrolment.mine(s, me)],
                "vouchers": [vouchers.view(s, v, full=True) for v in vouchers.mine(s, me)],
                "wishes": [wishes.view(s, w, full=True) for w in wishes.visible(s, me, state=None)]
                if me.role == "applicant" else []}


@router.post("/wishes", status_code=201, response_model=_Out)
def make_wish(body: WishIn, s: DB, me: Me):
    """登记就业培训意愿 / 创业培训意愿，由当地培训机构答复。"""
    from jiuye.training import wishes

    with _errors():
        return wishes.view(s, wishes.create(s, me, body.model_dump()), full=True)


@router.get("/wishes", response_model=_Out)
def list_wishes(s: DB, me: Me, state: Annotated[str | None, Query(pattern="^(open|answered|closed)$")] = "open"):
    """培训意愿：个人看自己的；培训机构看本地区待答复的（电话已遮挡）；经办人员看本地区的。"""
    from jiuye.training import wishes

    with _errors():
        return {"wishes": [wishes.view(s, w, full=me.role == "applicant") for w in wishes.visible(s, me, state=state)]}


@router.post("/wishes/{wish_id}/answer", response_model=_Out)
def answer_wish(wish_id: Id, body: AnswerIn, s: DB, me: Me):
    """培训机构答复培训意愿（可推荐本机构的课程）；本人收到消息。"""
    from jiuye.training import wishes

    with _errors():
        return wishes.view(s, wishes.answer(s, me, wish_id, answer_text=body.answer, course_id=body.course_id))


@router.get("/providers", response_model=_Out)
def list_providers(s: DB, me: Me):
    """培训机构（经办人员看本地区的；机构看自己的）。"""
    from jiuye.training import providers

    with _errors():
        return {"providers": [providers.view(p) for p in providers.listing(s, me)]}


@router.post("/providers", status_code=201, response_model=_Out, responses=_CONFLICT)
def register_provider(body: ProviderIn, s: DB, me: Me):
    """旗县市就业服务中心（或盟中心）登记培训机构并开通机构账号；审批后才能开课。"""
    from jiuye.training import providers

    with _errors():
        data = body.model_dump(exclude={"username", "password"})
        return providers.view(providers.register(s, me, data, username=body.username, password=body.password))


@router.post("/providers/{provider_id}/decision", response_model=_Out)
def decide(provider_id: Id, body: DecisionIn, s: DB, me: Me):
    """审批通过、退回补正（须写原因）或暂停培训机构。"""
    from jiuye.training import providers

    with _errors():
        return providers.view(providers.decide(s, me, provider_id, body.action, body.comment))


@router.post("/vouchers", status_code=201, response_model=_Out)
def issue_voucher(body: VoucherIn, s: DB, me: Me):
    """发放兴安盟职业培训券（本系统电子券）。"""
    from jiuye.training import vouchers

    with _errors():
        return vouchers.view(s, vouchers.issue(s, me, id_number=body.id_number, name=body.name,
                                               course_kind=body.course_kind, kind=body.kind))


@router.get("/vouchers/stats", response_model=_Out)
def voucher_stats(s: DB, me: Me):
    """培训券每月发放、使用、核销数和使用率（本地区）。"""
    from jiuye.training import vouchers

    with _errors():
        return vouchers.monthly(s, me)


@router.get("/table", response_model=_Out)
def table(s: DB, me: Me):
    """培训机构统计表：报名、结业、取证、结业后就业（劳动力市场记录）、补贴建案与拨付。"""
    from jiuye.training import tables

    with _errors():
        return tables.compute(s, me)
