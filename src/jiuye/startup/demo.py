"""Demo data of 创业服务 (on top of the cases' demo accounts): projects of the demo firm (two published,
one waiting for review), a founder's interest, an application to a base under review by two
reviewers (jd_wlht, rsj_wlht; the centre zx_wlht decides), and an admitted and graduated tenancy
so the base's figures have something to count. Every name is marked （演示）."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.startup import incubation, projects
from jiuye.startup.models import Project, Tenancy

PROJECTS = [
    {"title": "草原奶茶连锁加盟（演示）", "mode": "franchise", "sector": "catering_tourism", "district": "乌兰浩特市",
     "place": "乌兰浩特市兴安北大路（演示）", "investment_yuan": 80000, "offer": "品牌授权、原料配送、7天门店培训（演示）",
     "description": "蒙式奶茶门店，店面30平方米即可经营（演示）。", "contact_name": "王经理", "contact_phone": "13800000001"},
    {"title": "牛肉干加工合作（演示）", "mode": "investment", "sector": "agri_processing", "district": "扎赉特旗",
     "place": "扎赉特旗音德尔镇（演示）", "investment_yuan": 300000, "offer": "加工工艺、销售渠道（演示）",
     "description": "风干牛肉干加工，合作方负责包销（演示）。", "contact_name": "王经理", "contact_phone": "13800000001"},
    {"title": "农村电商代办点（演示）", "mode": "self_run", "sector": "online", "district": "乌兰浩特市",
     "place": "乌兰浩特市义勒力特镇（演示）", "investment_yuan": 20000, "offer": "网店开设指导（演示）",
     "description": "代收代发、网上代购（演示）。", "contact_name": "王经理", "contact_phone": "13800000001"},
]


def _user(s: Session, username: str) -> User | None:
    return s.scalar(select(User).where(User.username == username))


def load_demo_startup(s: Session) -> dict:
    names = ("xingan_food", "zhangmin", "zx_wlht", "zx_zlt", "jd_wlht", "rsj_wlht")
    users = {n: _user(s, n) for n in names}
    if any(u is None for u in users.values()):
        return {"loaded": False, "reason": "演示账号不存在：未加载创业服务演示数据"}
    if s.scalar(select(func.count()).select_from(Project)):
        return {"loaded": False, "reason": "已有创业项目：未加载创业服务演示数据"}
    firm, zhang = users["xingan_food"], users["zhangmin"]
    made = [projects.create(s, firm, p) for p in PROJECTS]
    projects.review(s, users["zx_wlht"], made[0].id, publish=True)
    projects.review(s, users["zx_zlt"], made[1].id, publish=True)
    for p in made:
        s.get(Project, p.id).demo = True
    s.commit()
    projects.express_interest(s, zhang, made[0].id, phone="13904820001", note="想了解加盟费用（演示）")
    # an earlier founder: admitted, then graduated (the base's figures count it)
    registered = (incubation.today() - dt.timedelta(days=900)).isoformat()  # relative: servers pin other dates
    old = incubation.apply(s, zhang, {"base": "wlht-dianzishangwu", "business_name": "敏姐网店（演示）",
                                      "plan_summary": "网店销售本地特产（演示）", "first_business": "1",
                                      "business_registration_date": registered, "planned_jobs": "3",
                                      "months_requested": "24", "has_employment_card": "1"})
    incubation.assign(s, users["zx_wlht"], old.id, [users["jd_wlht"].id, users["rsj_wlht"].id])
    for r in ("jd_wlht", "rsj_wlht"):
        incubation.declare(s, users[r], old.id, conflict=False)
        incubation.score(s, users[r], old.id, value=82, comment="计划可行（演示）")
    entered = (incubation.today() - dt.timedelta(days=800)).isoformat()
    incubation.decide(s, users["zx_wlht"], old.id, admit=True, reason="评审平均82分，计划可行（演示）", entry_date=entered)
    t = s.scalar(select(Tenancy).where(Tenancy.application_id == old.id))
    incubation.record_exit(s, users["zx_wlht"], old.id, exit_date=(t.planned_exit_on - dt.timedelta(days=10)).isoformat(),
                           kind="graduated", jobs_created=4)
    # a new application under review
    new = incubation.apply(s, zhang, {"base": "wlht-dianzishangwu", "business_name": "敏姐奶茶（演示）",
                                      "plan_summary": "加盟草原奶茶，门店设在基地临街铺面（演示）", "first_business": "0",
                                      "planned_jobs": "2", "months_requested": "36", "project_id": str(made[0].id),
                                      "has_training_certificate": "1"})
    incubation.assign(s, users["zx_wlht"], new.id, [users["jd_wlht"].id, users["rsj_wlht"].id])
    return {"loaded": True, "projects": len(made), "applications": 2}
