"""A small live demo market for `make serve` and `jiuye market demo`: three employers and a licensed
人力资源服务机构, a dozen posts in every state (one waiting for review with flags to see), a few
求职登记 (online and at the window), applications at each step and one hire — all through the
services, so the audit trail, the outbox and the statistics are real.

Everything is invented and marked （演示）; numbers pass their checksums only. Wages are examples
chosen for the demo, not statistics. Occupation codes are left to the classification (the bridge
resolves titles when it is installed). Idempotent: nothing is added when the demo market exists, or
when the cases' demo accounts are missing (a production database).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.demo import DEMO_PASSWORD, demo_id
from jiuye.cases.models import User
from jiuye.cases.security import credit_code_with_check
from jiuye.config import today
from jiuye.market import applications, employers, postings, seekers
from jiuye.market.models import Posting

EMPLOYERS = {  # username -> (name, credit code, district, kind, licence)
    "zhongcheng_hr": ("兴安盟众诚人力资源服务有限公司（演示）", credit_code_with_check("91152201MA0DEM010"), "乌兰浩特市",
                      "agency", "（蒙）人服证字〔2023〕第152201001号（演示）"),
    "hefeng_coop": ("扎赉特旗禾丰农牧业专业合作社（演示）", credit_code_with_check("93152223MA0DEM011"), "扎赉特旗",
                    "employer", None),
    "alide_build": ("科右前旗阿力得尔建筑工程有限公司（演示）", credit_code_with_check("91152221MA0DEM012"), "科右前旗",
                    "employer", None),
}
WINDOW_SEEKERS = [  # (name, 身份证号, phone, record)
    ("赵磊（演示）", demo_id("152201", "19980412", "131"), "13904820001",
     {"desired_titles": ["电焊工"], "districts": ["乌兰浩特市", "科右前旗"], "expected_wage": 4500,
      "education": "secondary_vocational", "certificates": ["焊工特种作业操作证"], "key_groups": ["youth"],
      "consent_to_employers": True}),
    ("孟根其其格（演示）", demo_id("152201", "20010923", "242"), "13904820002",
     {"desired_titles": ["收银员", "营业员"], "districts": ["乌兰浩特市"], "expected_wage": 2800,
      "education": "college", "key_groups": ["college_graduate"], "consent_to_employers": True}),
    ("刘海（演示）", demo_id("152223", "19780105", "351"), "13904820003",
     {"desired_titles": ["农机驾驶员", "司机"], "districts": ["扎赉特旗"], "expected_wage": 150,
      "expected_wage_unit": "day", "skills": ["拖拉机驾驶"], "certificates": ["C1驾驶证"],
      "key_groups": ["rural_migrant_worker"], "consent_to_employers": False}),
]


def _posts(day: dt.date) -> list[tuple[str, dict, str]]:
    """(publisher username, post, what to do with it)."""
    later = (day + dt.timedelta(days=40)).isoformat()
    soon = (day + dt.timedelta(days=6)).isoformat()
    base = {"social_insurance": True, "contract_type": "fixed", "valid_through": later}
    return [
        ("xingan_food", {**base, "title": "食品包装工", "places": 6, "district": "乌兰浩特市", "wage_min": 3200, "wage_max": 3800,
                         "duties": "生产线包装、装箱、贴标", "requirements": "身体健康，能适应倒班", "working_hours": "两班倒，每班8小时",
                         "benefits": "五险，工作餐，夜班补助", "address": "经济技术开发区（演示）", "contact": "人事部 0482-0000001（演示）"},
         "publish"),
        ("xingan_food", {**base, "title": "仓库管理员", "places": 1, "district": "乌兰浩特市", "wage_min": 3500, "wage_max": 4200,
                         "education_min": "senior", "duties": "出入库登记、盘点", "requirements": "会用电脑表格",
                         "contact": "人事部 0482-0000001（演示）"}, "publish"),
        ("xingan_food", {**base, "title": "电焊工", "places": 2, "district": "乌兰浩特市", "wage_min": 4500, "wage_max": 5500,
                         "required_certificates": ["焊工特种作业操作证"], "duties": "设备维修焊接",
                         "contact": "设备部 0482-0000002（演示）"}, "publish"),
        ("xingan_food", {**base, "title": "夜班保安", "places": 2, "district": "乌兰浩特市", "wage_min": 2000,
                         "requirements": "限男性，45岁以下，入职交押金500元", "social_insurance": None,
                         "contact": "行政部 0482-0000003（演示）"}, "submit"),
        ("zhongcheng_hr", {**base, "employer_name": "乌兰浩特市惠民超市（演示）", "title": "收银员", "places": 3,
                           "district": "乌兰浩特市", "wage_min": 2800, "wage_max": 3300, "education_min": "junior",
                           "working_hours": "早晚班轮换", "contact": "众诚人力 0482-0000010（演示）"}, "publish"),
        ("zhongcheng_hr", {**base, "employer_name": "阿尔山市某温泉酒店（演示）", "title": "客房服务员", "places": 4,
                           "district": "阿尔山市", "wage_min": 3000, "wage_max": 3600, "benefits": "包食宿",
                           "contact": "众诚人力 0482-0000010（演示）"}, "publish"),
        ("zhongcheng_hr", {**base, "employer_name": "天津某电子厂（演示）", "title": "电子装配工（劳务输出）", "places": 20,
                           "outside_league": True, "wage_min": 5000, "wage_max": 6500, "benefits": "包住，往返车费报销",
                           "contact": "众诚人力 0482-0000010（演示）"}, "publish"),
        ("hefeng_coop", {**base, "title": "农机驾驶员", "places": 3, "district": "扎赉特旗", "town": "音德尔镇",
                         "wage_min": 180, "wage_max": 220, "wage_unit": "day", "contract_type": "task",
                         "required_certificates": ["C1驾驶证"], "duties": "春播秋收农机作业", "valid_through": soon,
                         "contact": "合作社 0482-0000020（演示）"}, "publish"),
        ("hefeng_coop", {**base, "title": "养殖场饲养员", "places": 2, "district": "扎赉特旗", "wage_min": 3600,
                         "benefits": "包食宿", "contact": "合作社 0482-0000020（演示）"}, "publish"),
        ("alide_build", {**base, "title": "钢筋工", "places": 8, "district": "科右前旗", "wage_min": 250, "wage_max": 300,
                         "wage_unit": "day", "contract_type": "task", "contact": "项目部 0482-0000030（演示）"}, "publish"),
        ("alide_build", {**base, "title": "电焊工", "places": 2, "district": "科右前旗", "wage_min": 5000, "wage_max": 6000,
                         "required_certificates": ["焊工特种作业操作证"], "contact": "项目部 0482-0000030（演示）"}, "publish"),
        ("alide_build", {**base, "title": "资料员", "places": 1, "district": "科右前旗", "wage_min": 3000,
                         "requirements": "大专以上，乙肝两对半检查合格", "contact": "项目部 0482-0000030（演示）"}, "return"),
    ]


def _user(s: Session, username: str) -> User | None:
    return s.scalar(select(User).where(User.username == username))


def load_demo_market(s: Session) -> dict:
    """Add the demo market (see the module doc). Returns what was done."""
    if _user(s, "xingan_food") is None or _user(s, "zx_wlht") is None:
        return {"loaded": False, "reason": "演示账号不存在：未加载演示招聘数据"}
    if s.scalar(select(func.count()).select_from(Posting)):
        return {"loaded": False, "reason": "已有岗位：未加载演示招聘数据"}
    day = today()
    accounts = []
    employers.register(s, _user(s, "xingan_food"), kind="employer", contact_name="王经理（演示）", phone="13904820100")
    for username, (name, code, district, kind, licence) in EMPLOYERS.items():
        employers.register_with_account(s, credit_code=code, name=name, district=district, username=username,
                                        password=DEMO_PASSWORD, phone=None, kind=kind, licence_no=licence,
                                        contact_name="联系人（演示）", staff=_user(s, "zx_wlht"))
        accounts.append({"username": username, "role": "applicant", "name": name, "district": district})
    reviewer = {"乌兰浩特市": _user(s, "zx_wlht"), "扎赉特旗": _user(s, "zx_zlt")}
    league = _user(s, "mz")
    made: list[Posting] = []
    for username, data, what in _posts(day):
        p = postings.create(s, _user(s, username), data, submit=what != "draft")
        who = reviewer.get(p.scope_district) or league
        if what == "publish":
            note = "已核对" if any(f.get("level") == "flag" for f in p.flags) else None
            postings.review_post(s, who, p.id, "approve", note or "演示：审核通过")
        elif what == "return":
            postings.review_post(s, who, p.id, "return", "体检不得把乙肝检查作为录用条件，请删除后重新提交（演示）")
        made.append(p)
    # 求职登记: two online (the demo citizens), three at the window of 乌兰浩特市 / 扎赉特旗
    zhang, li = _user(s, "zhangmin"), _user(s, "liqiang")
    sk_zhang = seekers.register(s, zhang, {"desired_titles": ["收银员", "保洁员"], "districts": ["乌兰浩特市"],
                                           "expected_wage": 2600, "education": "junior",
                                           "key_groups": ["hard_to_employ"], "consent_to_employers": True},
                                phone="13904820101")
    sk_li = seekers.register(s, li, {"desired_titles": ["农机驾驶员"], "districts": ["扎赉特旗"], "expected_wage": 160,
                                     "expected_wage_unit": "day", "certificates": ["C1驾驶证"],
                                     "key_groups": ["rural_migrant_worker"]}, phone="13904820102")
    window = []
    for name, idn, phone, rec in WINDOW_SEEKERS:
        staff = _user(s, "sq_wlht") if idn.startswith("152201") else _user(s, "sq_zlt")
        window.append(seekers.register(s, staff, rec, id_number=idn, name=name, phone=phone))
    by_title = {(p.title, p.district): p for p in made}
    cashier = by_title[("收银员", "乌兰浩特市")]
    driver = by_title[("农机驾驶员", "扎赉特旗")]
    welder = by_title[("电焊工", "乌兰浩特市")]
    # zhangmin applied to the cashier post and was invited to an interview
    a1 = applications.apply(s, zhang, cashier.id, "有超市工作经验（演示）")
    applications.invite(s, _user(s, "zhongcheng_hr"), a1.id,
                        at=dt.datetime.combine(day + dt.timedelta(days=3), dt.time(9, 30)), place="众诚人力二楼面试室（演示）")
    # liqiang applied to the 农机驾驶员 post and was hired: his registration closes, a place is taken
    a2 = applications.apply(s, li, driver.id)
    applications.decide(s, _user(s, "hefeng_coop"), a2.id, "hired")
    # the window recommended 赵磊 to the welder post (职业介绍); 孟根其其格 applied for cashier and was turned down
    applications.recommend(s, _user(s, "sq_wlht"), window[0].id, welder.id, "持焊工证，有两年经验（演示）")
    a4 = applications.recommend(s, _user(s, "sq_wlht"), window[1].id, cashier.id)
    applications.decide(s, _user(s, "zhongcheng_hr"), a4.id, "rejected", "本次需要能上夜班的人员（演示）")
    return {"loaded": True, "password": DEMO_PASSWORD, "accounts": accounts, "postings": len(made),
            "seekers": 2 + len(window), "seekers_ids": [sk_zhang.id, sk_li.id] + [w.id for w in window]}
