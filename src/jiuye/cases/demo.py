"""`jiuye demo-data`: a few offices, users and cases, so that `make serve` shows something real.

Idempotent: nothing is added when the demo users exist already. Every demo account's password is
DEMO_PASSWORD; the people and enterprises are invented (their numbers pass the checksums only).
Never load this into a production database.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases import service
from jiuye.cases.models import Office, User
from jiuye.cases.security import credit_code_with_check
from jiuye.config import today
from jiuye.idcard import check_char

DEMO_PASSWORD = "jiuye-demo"
CENTRES = {
    "兴安盟": "兴安盟人力资源和就业服务中心",
    "乌兰浩特市": "乌兰浩特市人力资源和就业服务中心",
    "阿尔山市": "阿尔山市人力资源和就业服务中心",
    "科右前旗": "科右前旗人力资源和就业服务中心",
    "科右中旗": "科右中旗人力资源和就业服务中心",
    "扎赉特旗": "扎赉特旗人力资源和就业服务中心",
    "突泉县": "突泉县人力资源和就业服务中心",
}
# district -> (street, community) for the two districts that get front-line offices in the demo
FRONT_LINE = {"乌兰浩特市": ("和平街道劳动保障所", "和平街道新城社区（演示）"),
              "扎赉特旗": ("音德尔镇劳动保障所", "音德尔镇团结社区（演示）")}


def demo_id(region: str, birth: str, seq: str) -> str:
    first = region + birth + seq
    return first + check_char(first)


PEOPLE = {  # username -> (display name, 身份证号, district)
    "zhangmin": ("张敏（演示）", demo_id("152201", "19750308", "102"), "乌兰浩特市"),
    "liqiang": ("李强（演示）", demo_id("152223", "19800515", "215"), "扎赉特旗"),
}
ENTERPRISES = {  # username -> (enterprise name, 统一社会信用代码, district)
    "xingan_food": ("兴安绿源食品有限公司（演示）", credit_code_with_check("91152201MA0DEM001"), "乌兰浩特市"),
}
BATCH = [  # 免申即享 rows, as a batch screening would give them
    {"policy": "job_retention_refund", "status": "eligible", "amount": "8640.00", "name": "兴安绿源食品有限公司（演示）",
     "credit_code": credit_code_with_check("91152201MA0DEM001"), "district": "乌兰浩特市",
     "reasons": "失业保险足额缴纳1年以上且不欠费；上年度未裁员；中小微企业按上年度实际缴纳失业保险费的90%返还"},
    {"policy": "job_retention_refund", "status": "eligible", "amount": "3120.00", "name": "乌兰浩特市晨光印刷厂（演示）",
     "credit_code": credit_code_with_check("92152201MA0DEM002"), "district": "乌兰浩特市",
     "reasons": "失业保险足额缴纳1年以上且不欠费；中小微企业按上年度实际缴纳失业保险费的90%返还"},
    {"policy": "job_retention_refund", "status": "not_eligible", "amount": "", "name": "兴安某建材公司（演示）",
     "credit_code": credit_code_with_check("91152201MA0DEM003"), "district": "乌兰浩特市",
     "reasons": "失业保险欠费"},
]


def _offices(s: Session) -> dict[str, Office]:
    made: dict[str, Office] = {}

    def add(name, level, district, parent=None):
        o = Office(name=name, level=level, district=district, parent_id=parent.id if parent else None)
        s.add(o)
        s.flush()
        made[name] = o
        return o

    for district, centre in CENTRES.items():
        add(centre, "league_center" if district == "兴安盟" else "county_center", district)
        prefix = district if district != "兴安盟" else "兴安盟"
        add(f"{prefix}人力资源和社会保障局", "hrss", district)
        add(f"{prefix}财政局", "finance", district)
    for district, (street, community) in FRONT_LINE.items():
        st = add(street, "street", district, made[CENTRES[district]])
        add(community, "community", district, st)
        add(f"{district}创业担保贷款经办银行（演示）", "bank", district)
    return made


def load_demo_data(s: Session, *, only_if_empty: bool = False) -> dict:
    """Add the demo offices, users and cases. Returns what was done (and the accounts)."""
    from jiuye.cases import tracking

    with tracking.quiet():  # seeded cases: no messages to the demo accounts
        return _load_demo_data(s, only_if_empty=only_if_empty)


def load_demo_if_empty(s: Session) -> dict:
    """The embedded database's first use (entry point `jiuye.demo`): the demo data unless it has users."""
    return load_demo_data(s, only_if_empty=True)


def _load_demo_data(s: Session, *, only_if_empty: bool = False) -> dict:
    if only_if_empty and s.scalar(select(func.count()).select_from(User)):
        return {"loaded": False, "reason": "数据库中已有用户，未加载演示数据"}
    if s.scalar(select(User.id).where(User.username == "admin")) is not None:
        return {"loaded": False, "reason": "演示数据已加载过"}
    offices = _offices(s)
    accounts = []

    def user(username, role, name, office=None, district=None, person=None, enterprise=None):
        u = service.create_user(s, username, DEMO_PASSWORD, role, display_name=name, office=office, district=district,
                                person=person, enterprise=enterprise, commit=False)
        accounts.append({"username": username, "role": role, "name": name, "district": u.district})
        return u

    admin = user("admin", "admin", "系统管理员")
    staff = {}
    for district in FRONT_LINE:
        tag = {"乌兰浩特市": "wlht", "扎赉特旗": "zlt"}[district]
        street, community = FRONT_LINE[district]
        staff[("community", district)] = user(f"sq_{tag}", "community", f"{community}经办人", offices[community])
        staff[("street", district)] = user(f"jd_{tag}", "street", f"{street}经办人", offices[street])
        staff[("county_center", district)] = user(f"zx_{tag}", "county_center", f"{CENTRES[district]}经办人",
                                                  offices[CENTRES[district]])
        staff[("hrss", district)] = user(f"rsj_{tag}", "hrss", f"{district}人社局审批人", offices[f"{district}人力资源和社会保障局"])
        staff[("finance", district)] = user(f"czj_{tag}", "finance", f"{district}财政局审批人", offices[f"{district}财政局"])
        staff[("bank", district)] = user(f"yh_{tag}", "bank", f"{district}创业担保贷款经办银行信贷员",
                                         offices[f"{district}创业担保贷款经办银行（演示）"])
    user("mz", "league_center", "兴安盟人力资源和就业服务中心经办人", offices[CENTRES["兴安盟"]])
    people = {}
    for username, (name, idn, district) in PEOPLE.items():
        p = service.ensure_person(s, idn, name)
        people[username] = user(username, "applicant", name, person=p)
    for username, (name, code, district) in ENTERPRISES.items():
        e = service.ensure_enterprise(s, code, name, district)
        people[username] = user(username, "applicant", name, enterprise=e)
    s.commit()

    day = today()
    w = "乌兰浩特市"
    zhang, li, firm = people["zhangmin"], people["liqiang"], people["xingan_food"]
    community = offices[FRONT_LINE[w][1]]
    # 1. 就业困难人员认定: accepted by the 社区, reviewed by the 街道, now in its 3-working-day notice
    c1 = service.create_case(s, zhang, "hard_to_employ_recognition", office_id=community.id, profile={
        "district": w, "birth_date": "1975-03-08", "sex": "female", "is_unemployed": True,
        "registered_unemployed": True, "contribution_years": 6}, as_of=day)
    service.transition(s, staff[("community", w)], c1.id, "street_review", comment="材料齐全，已受理")
    service.transition(s, staff[("street", w)], c1.id, "notice", comment="初审通过：大龄失业人员，公示3个工作日")
    # 2. 灵活就业社保补贴: with the 街道
    c2 = service.create_case(s, zhang, "flexible_employment_si_subsidy", office_id=community.id,
                             profile={"district": w}, as_of=day)
    service.transition(s, staff[("community", w)], c2.id, "street_review", comment="已受理")
    # 3. 就业登记: hired 40 days ago and not yet filed -> overdue
    service.create_case(s, firm, "employment_registration_employer", profile={"subject": "enterprise", "district": w},
                        fields={"hire_date": (day - dt.timedelta(days=40)).isoformat()}, as_of=day)
    # 4. 失业登记 in another district
    service.create_case(s, li, "unemployment_registration", profile={"district": "扎赉特旗"}, as_of=day)
    # 5. 稳岗返还, 免申即享: two enterprises from a batch result, waiting for the centre to confirm
    report = service.import_batch(s, staff[("county_center", w)], BATCH, source="演示批量筛查结果", as_of=day)
    return {"loaded": True, "password": DEMO_PASSWORD, "accounts": accounts, "batch": report,
            "admin_id": admin.id}
