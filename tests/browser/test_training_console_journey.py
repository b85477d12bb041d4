"""Training in the staff console and 创业培训补贴 end to end, in a real browser:

1. At desktop width (1280 px), the 乌兰浩特市 centre (zx_wlht) opens 职业培训 from the console's menu: two
   providers registered through the API wait for approval; it returns one with a reason (the reason is
   shown and the provider sees it on its own page) and approves the other; the courses page shows the
   district's courses with their counts; the voucher page issues a voucher and counts it in its month.
2. 创业培训 (免申即享): a 网络创业培训 class of 扎赉特旗职业技术学校 is run through the services on dates before
   the server's day, and 李强 (b. 1980, within 003's age limit) passes. The case opened by itself under
   data/procedures/entrepreneurship_training.yaml is taken to 补贴已支付 in the console by the roles the
   file names (旗县市中心, 人社局, 财政局 of 扎赉特旗); 李强 then sees it under 我的申请 on a 360 px phone.
Every page passes axe-core, loads nothing from outside and carries a csrf_token in each POST form."""
from __future__ import annotations

import datetime as dt
import re
import secrets

from playwright.sync_api import expect

from browser_support import DEMO_PASSWORD, login, page_checks
from jiuye.idcard import check_char
from test_procedures_journey import _move

RAW_CODES = re.compile(r"(?<![A-Za-z_])(pending|returned|approved|suspended|published|opened|vocational|"
                       r"entrepreneurship|online_startup|subsidised|training_institution|None)(?![A-Za-z_])")


def _api_register(page, name: str, tag: str) -> None:
    token = page.request.post("/api/auth/login", data={"username": "zx_wlht", "password": DEMO_PASSWORD}).json()["token"]
    r = page.request.post("/api/training/providers", headers={"Authorization": f"Bearer {token}"}, data={
        "name": name, "district": "乌兰浩特市", "phone": "0482" + f"{secrets.randbelow(10**7):07d}",
        "approvals": ["vocational"], "username": f"pxjg_b{tag}", "password": "browser-test-1"})
    assert r.status == 201, r.text()


def test_the_centre_approves_and_returns_providers_and_counts_vouchers_at_desktop_width(desktop):
    page = desktop
    tag = f"{secrets.randbelow(10**6):06d}"
    returned, approved = f"浏览器测试培训学校甲{tag}（演示）", f"浏览器测试培训学校乙{tag}（演示）"
    _api_register(page, returned, tag + "a")
    _api_register(page, approved, tag + "b")
    login(page, "zx_wlht", DEMO_PASSWORD)
    page.get_by_role("navigation", name="工作台导航").get_by_role("link", name="职业培训").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("职业培训：培训机构审批")
    expect(page.get_by_role("heading", name=returned)).to_be_visible()
    assert not RAW_CODES.search(page.inner_text("main"))
    page_checks(page, "training-console-desktop")

    section = page.get_by_role("region", name=returned, exact=True)
    section.get_by_label("退回原因（必填，机构会收到）").fill("缺少办学许可证复印件")
    with page.expect_navigation():
        section.get_by_role("button", name=f"退回补正：{returned}").click()
    expect(page.get_by_role("status")).to_contain_text("已退回")
    expect(page.get_by_role("region", name="已退回补正的培训机构")).to_contain_text("缺少办学许可证复印件")
    with page.expect_navigation():
        page.get_by_role("button", name=f"审批通过：{approved}").click()
    expect(page.get_by_role("status")).to_contain_text("已审批通过")
    expect(page.get_by_role("region", name="本地区的培训机构", exact=True)).to_contain_text(approved)
    page_checks(page, "training-console-decided-desktop")

    page.get_by_role("navigation", name="职业培训").get_by_role("link", name="课程").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("职业培训：课程")
    table = page.get_by_role("region", name="课程列表")
    expect(table).to_contain_text("养老护理员（初级）培训班（演示）")
    expect(table).not_to_contain_text("网络创业培训班")  # 扎赉特旗's: another district
    assert not RAW_CODES.search(page.inner_text("main"))
    page_checks(page, "training-console-courses-desktop")

    page.get_by_role("navigation", name="职业培训").get_by_role("link", name="职业培训券").click()
    first17 = "152201" + "19920305" + f"{secrets.randbelow(900) + 100:03d}"
    page.get_by_label("身份证号").fill(first17 + check_char(first17))
    page.get_by_label("姓名").fill("券测试")
    page.get_by_label("培训类别").select_option(label="SYB 创业培训（创办企业）")
    with page.expect_navigation():
        page.get_by_role("button", name="发放").click()
    expect(page.get_by_role("status")).to_contain_text("培训券已发放")
    expect(page.get_by_role("region", name="培训券按月统计")).to_contain_text("2026年11月")
    assert first17 not in page.content()
    assert not RAW_CODES.search(page.inner_text("main"))
    page_checks(page, "training-console-vouchers-desktop")
    page.context.clear_cookies()

    login(page, f"pxjg_b{tag}a", "browser-test-1", path="/login")
    expect(page.get_by_role("alert")).to_contain_text("缺少办学许可证复印件")


def _finish_startup_course(live_server, monkeypatch) -> int:
    """Run a 网络创业培训 class through the training services against the server's database, on dates
    before the server's pinned day; 李强 passes. Returns the id of the case that opened by itself."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from jiuye.cases.models import User
    from jiuye.training import attendance, completion, courses, enrolment

    monkeypatch.setenv("JIUYE_VAR_DIR", str(live_server.var_dir))  # attachments next to the server's
    for name in ("JIUYE_DATABASE_URL", "JIUYE_ATTACHMENTS_DIR"):
        monkeypatch.delenv(name, raising=False)

    def at(day: dt.date, hour: int, minute: int = 0) -> None:
        monkeypatch.setenv("JIUYE_NOW", dt.datetime.combine(day, dt.time(hour, minute)).isoformat())
        monkeypatch.setenv("JIUYE_TODAY", day.isoformat())

    start = dt.date.fromisoformat(live_server.today) - dt.timedelta(days=21)
    engine = create_engine(f"sqlite:///{live_server.var_dir / 'jiuye.sqlite3'}")
    try:
        with Session(engine, expire_on_commit=False) as s:
            prov = s.scalar(select(User).where(User.username == "pxjg_zlt"))
            li = s.scalar(select(User).where(User.username == "liqiang"))
            at(start - dt.timedelta(days=7), 9)
            c = courses.publish(s, prov, {
                "title": f"网络创业培训班（浏览器测试{secrets.randbelow(10**4):04d}）", "kind": "online_startup",
                "hours": 56, "days": 7, "start_on": start.isoformat(), "end_on": (start + dt.timedelta(days=6)).isoformat(),
                "place": "扎赉特旗音德尔镇（演示地址）", "seats": 30, "price_yuan": 0})
            e = enrolment.enrol(s, li, c.id, groups={"registered_unemployed": True})
            courses.open_class(s, prov, c.id)
            for n in range(7):
                at(start + dt.timedelta(days=n), 9)
                code = attendance.new_code(s, prov, c.id).code
                at(start + dt.timedelta(days=n), 9, 2)
                attendance.sign_in(s, li, c.id, code, consent=False)
            at(start + dt.timedelta(days=7), 10)
            rep = completion.complete(s, prov, c.id, [{"enrolment_id": e.id, "result": "passed",
                                                       "certificate_kind": "创业培训合格证书", "certificate_no": "ZLT-B-001"}])
    finally:
        engine.dispose()
    claim = next(x for x in rep["claims"] if x["policy"] == "entrepreneurship_training")
    assert claim["state"] == "opened" and claim["payee"] == "provider", claim
    return claim["case_id"]


def test_a_finished_startup_course_opens_its_case_and_the_offices_pay_it(browser, live_server, desktop, phone,
                                                                           monkeypatch):
    case_id = _finish_startup_course(live_server, monkeypatch)
    path = f"/my/cases/{case_id}"
    page = desktop
    course = [("zx_zlt", "受理并初审通过，报人社部门审核", "人社部门审核", "材料齐全（浏览器测试）"),
              ("rsj_zlt", "审核通过，开始公示", "公示中", "符合条件（浏览器测试）"),
              ("rsj_zlt", "公示无异议，报送财政部门", "财政部门复核", "公示期满无异议（浏览器测试）"),
              ("czj_zlt", "复核同意并支付", "补贴已支付", "已支付到培训机构账户（浏览器测试）")]
    who = None
    for username, action, to_label, comment in course:
        if username != who:
            page.context.clear_cookies()
            login(page, username, DEMO_PASSWORD)
            who = username
            page.goto(f"/console/cases/{case_id}")
            main = page.inner_text("main")
            assert "推定（资料未写明）" in main and "培训签到表" in main and "培训合格证书" in main
            page_checks(page, "training-startup-case-desktop" if username == "zx_zlt" else None)
        _move(page, path, action, to_label, comment)
    expect(page.locator("main")).to_contain_text("补贴已支付")

    login(phone, "liqiang", DEMO_PASSWORD, path="/login")
    phone.goto("/my")
    expect(phone.locator("main")).to_contain_text("创业培训补贴申领")
    phone.goto(path)
    expect(phone.locator("main")).to_contain_text("补贴已支付")
    page_checks(phone, "training-startup-paid-phone")
