"""JSON API of 创业服务 (/api/startup/…): the 创业项目库 (browse without an account; submit, review,
interest, follow-up), the catalogue of 孵化基地 with figures computed from the records, applications to
enter a base with their review (conflict-of-interest declaration, scores), decision and tenancy, and
the prefilled 一次性创业补贴 / 创业担保贷款 applications a project or a tenancy opens.

Thin routes over jiuye.startup (who may: jiuye.startup.access): an object the caller may not see
answers 404, an action they may not take 403, bad input 422 naming the field."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path as PathParam, Query

from jiuye.web.api_cases import _CONFLICT, _REFUSALS, DB, MAX_ID, Me, _errors
from jiuye.web.api_market import MaybeMe
from jiuye.web.market_schemas import _Out
from jiuye.web.startup_schemas import (
    ApplicationIn, AssignIn, DecideIn, DeclareIn, ExitIn, FollowUpIn, InterestIn, ProjectIn, ReviewIn, ScoreIn,
)

router = APIRouter(prefix="/api/startup", tags=["startup"], responses=_REFUSALS)
Id = Annotated[int, PathParam(ge=1, le=MAX_ID, description="编号")]


def _full(s, me, p) -> bool:
    from jiuye.startup import access

    actor = access.actor_for(me)
    return (actor.kind == "citizen" and actor.user_id == p.owner_id) or access.covers(actor, p.district)


@router.get("/about", response_model=_Out)
def about():
    """创业项目库的合作方式、项目类别、入库优惠（原文引用）和孵化基地入驻的规则（孵化周期、材料、评审）。不需要登录。"""
    from jiuye.startup.projects import advantages
    from jiuye.startup.settings import startup

    cfg = startup()
    return {"library": cfg.library.model_dump(), "modes": cfg.modes, "sectors": cfg.sectors,
            "advantages": advantages(), "incubation": cfg.incubation.model_dump(),
            "interest_follow_up": cfg.interest_follow_up.model_dump()}


@router.get("/projects", response_model=_Out)
def browse(s: DB, sector: Annotated[str | None, Query(max_length=30)] = None,
           mode: Annotated[str | None, Query(max_length=30)] = None,
           district: Annotated[str | None, Query(max_length=20)] = None,
           min_investment: Annotated[int | None, Query(ge=0, le=100_000_000)] = None,
           max_investment: Annotated[int | None, Query(ge=0, le=100_000_000)] = None,
           limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Annotated[int, Query(ge=0, le=100_000)] = 0):
    """已发布的创业项目，最新的在前；按类别、合作方式、旗县市、投资额筛选。不需要登录；联系人脱敏。"""
    from jiuye.startup import projects

    with _errors():
        total, rows = projects.browse(s, sector=sector, mode=mode, district=district, min_investment=min_investment,
                                      max_investment=max_investment, limit=limit, offset=offset)
        return {"total": total, "projects": [projects.view(p) for p in rows]}


@router.post("/projects", status_code=201, response_model=_Out)
def submit(body: ProjectIn, s: DB, me: Me):
    """项目方提交项目（或存草稿）；社区、街道、就业服务中心可为本旗县市的项目方代为填报（owner：项目方账号）。"""
    from jiuye.startup import projects

    with _errors():
        p = projects.create(s, me, body.model_dump(exclude={"submit", "owner"}), submit=body.submit,
                            owner=projects.owner_account(s, me, body.owner))
        return projects.view(p, full=True)


@router.get("/projects/mine", response_model=_Out)
def my_projects(s: DB, me: Me):
    """本人提交的项目（含退回原因）。"""
    from jiuye.startup import projects

    return {"projects": [projects.view(p, full=True) for p in projects.mine(s, me)]}


@router.get("/projects/review", response_model=_Out)
def review_queue(s: DB, me: Me):
    """待本人审核的项目（就业服务中心，本旗县市）。"""
    from jiuye.startup import projects

    return {"projects": [projects.view(p, full=True) for p in projects.queue(s, me)]}


@router.get("/projects/{project_id}", response_model=_Out)
def project(project_id: Id, s: DB, me: MaybeMe):
    """一个项目、它带来的优惠（原文引用）和预填好的补贴、贷款申请。"""
    from jiuye.startup import prefill, projects

    with _errors():
        p = projects.load(s, me, project_id)
        return {**projects.view(p, full=_full(s, me, p)), "advantages": projects.advantages(),
                "applications": prefill.offers(s, p)}


@router.put("/projects/{project_id}", response_model=_Out, responses=_CONFLICT)
def edit(project_id: Id, body: ProjectIn, s: DB, me: Me):
    """修改草稿或退回的项目（并重新提交）。"""
    from jiuye.startup import projects

    with _errors():
        return projects.view(projects.update(s, me, project_id, body.model_dump(exclude={"submit", "owner"}),
                                             submit=body.submit),
                             full=True)


@router.post("/projects/{project_id}/review", response_model=_Out, responses=_CONFLICT)
def review(project_id: Id, body: ReviewIn, s: DB, me: Me):
    """发布，或退回修改（写明原因）。"""
    from jiuye.startup import projects

    with _errors():
        return projects.view(projects.review(s, me, project_id, publish=body.publish, reason=body.reason), full=True)


@router.post("/projects/{project_id}/withdraw", response_model=_Out, responses=_CONFLICT)
def withdraw(project_id: Id, s: DB, me: Me):
    """撤下项目（项目方或就业服务中心）。"""
    from jiuye.startup import projects

    with _errors():
        return projects.view(projects.withdraw(s, me, project_id), full=True)


@router.post("/projects/{project_id}/interest", status_code=201, response_model=_Out)
def interest(project_id: Id, body: InterestIn, s: DB, me: Me):
    """表达意向：就业服务部门在期限内联系您对接。"""
    from jiuye.startup import projects

    with _errors():
        it = projects.express_interest(s, me, project_id, phone=body.phone, note=body.note)
        return projects.interest_view(it, projects.load(s, me, project_id), full=True)


@router.get("/interests", response_model=_Out)
def interests(s: DB, me: Me):
    """工作人员：待跟进的意向（按期限）；个人：本人的意向。"""
    from jiuye.startup import projects

    rows = projects.my_interests(s, me) if me.role == "applicant" else projects.interests_to_follow(s, me)
    return {"interests": [projects.interest_view(i, p, full=True) for i, p in rows]}


@router.post("/interests/{interest_id}/follow-up", response_model=_Out)
def follow_up(interest_id: Id, body: FollowUpIn, s: DB, me: Me):
    """记录跟进结果（第一次记录即为已联系）。"""
    from jiuye.startup import projects
    from jiuye.startup.models import Project

    with _errors():
        it = projects.follow_up(s, me, interest_id, result=body.result, close=body.close)
        return projects.interest_view(it, s.get(Project, it.project_id), full=True)


@router.get("/bases", response_model=_Out)
def bases(s: DB):
    """全盟重点创业园孵化基地目录（名称、类别、电话、出处）和各基地按入驻记录统计的数字。不需要登录。"""
    from jiuye.startup import incubation
    from jiuye.startup.settings import startup

    return {"bases": [{**b.model_dump(), "figures": incubation.figures(s, b.id)} for b in startup().bases]}


@router.post("/applications", status_code=201, response_model=_Out)
def apply(body: ApplicationIn, s: DB, me: Me):
    """申请入驻孵化基地（创业计划书文件请在网页上上传）。"""
    from jiuye.startup import incubation

    data = body.model_dump()
    for k in ("has_employment_card", "has_training_certificate", "first_business"):
        data[k] = "1" if data[k] else "0"
    with _errors():
        return incubation.view(s, me, incubation.apply(s, me, data))


@router.get("/applications", response_model=_Out)
def applications(s: DB, me: Me):
    """个人：本人的申请；工作人员：待办（本中心的申请、指派给本人评审的申请）。"""
    from jiuye.startup import incubation

    rows = incubation.mine(s, me) if me.role == "applicant" else incubation.queue(s, me)
    return {"applications": [incubation.view(s, me, a) for a in rows]}


@router.get("/applications/{app_id}", response_model=_Out)
def application(app_id: Id, s: DB, me: Me):
    """一份入驻申请：材料、评审（评审只看到本人的）、决定、入驻，以及入驻后可预填的补贴、贷款申请。"""
    from jiuye.startup import incubation, prefill

    with _errors():
        a = incubation.load(s, me, app_id)
        out = incubation.view(s, me, a)
        if a.founder_id == me.id:
            out["applications"] = prefill.offers(s, a)
        return out


@router.post("/applications/{app_id}/reviewers", response_model=_Out)
def assign(app_id: Id, body: AssignIn, s: DB, me: Me):
    """指派评审（至少 2 名；作决定的人不能当评审）。"""
    from jiuye.startup import incubation

    with _errors():
        incubation.assign(s, me, app_id, body.reviewers)
        return incubation.view(s, me, incubation.load(s, me, app_id))


@router.post("/applications/{app_id}/declaration", response_model=_Out)
def declare(app_id: Id, body: DeclareIn, s: DB, me: Me):
    """评审声明是否存在利益冲突（评分前必须声明；声明冲突后不能评分）。"""
    from jiuye.startup import incubation

    with _errors():
        incubation.declare(s, me, app_id, conflict=body.conflict, note=body.note)
        return incubation.view(s, me, incubation.load(s, me, app_id))


@router.post("/applications/{app_id}/score", response_model=_Out)
def score(app_id: Id, body: ScoreIn, s: DB, me: Me):
    """评审评分和意见。"""
    from jiuye.startup import incubation

    with _errors():
        incubation.score(s, me, app_id, value=body.score, comment=body.comment)
        return incubation.view(s, me, incubation.load(s, me, app_id))


@router.post("/applications/{app_id}/decision", response_model=_Out)
def decide(app_id: Id, body: DecideIn, s: DB, me: Me):
    """作出决定（注明日期和理由）；准予入驻时登记入驻。"""
    from jiuye.startup import incubation

    with _errors():
        incubation.decide(s, me, app_id, admit=body.admit, reason=body.reason, entry_date=body.entry_date)
        return incubation.view(s, me, incubation.load(s, me, app_id))


@router.post("/applications/{app_id}/exit", response_model=_Out)
def record_exit(app_id: Id, body: ExitIn, s: DB, me: Me):
    """登记退出（孵化期满毕业或提前退出）和带动就业人数。"""
    from jiuye.startup import incubation

    with _errors():
        incubation.record_exit(s, me, app_id, exit_date=body.exit_date, kind=body.kind, jobs_created=body.jobs_created)
        return incubation.view(s, me, incubation.load(s, me, app_id))
