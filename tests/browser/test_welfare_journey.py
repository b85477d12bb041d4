"""公益性岗位 in a real browser, a citizen on a 360 px phone and the centre on the console:

- zhangmin finds 社区保洁员 (a demo post of 乌兰浩特市) from the nav without logging in, logs in, first
  answers 否 to 已被认定为就业困难人员 and is told why she cannot sign up (the field marked), then
  answers 是 and signs up;
- the centre (zx_wlht) takes the case's 受理 and 审核通过 steps on the case page, then on the post's
  page places her (one place fewer) and records the month's subsidy;
- zhangmin sees under 我的公益性岗位 her post, 已上岗, the date her term ends and the month recorded.
Every page passes axe-core, has no horizontal scroll at 360 px, loads nothing from outside and carries
a csrf_token in each POST form."""
from __future__ import annotations

import re

import yaml
from playwright.sync_api import expect

from browser_support import DEMO_PASSWORD, login, page_checks
from jiuye.config import data_dir

POST = "社区保洁员"


def _labels() -> tuple[dict, dict]:
    spec = yaml.safe_load((data_dir() / "procedures" / "public_welfare_post.yaml").read_text(encoding="utf-8"))
    return spec["states"], {t["action"]: t for t in spec["transitions"]}


def _move(page, case_id: str, action: str, to_label: str, comment: str) -> None:
    page.goto(f"/console/cases/{case_id}")
    button = page.get_by_role("button", name=f"{action} → {to_label}", exact=True)
    form = page.locator("main form[action$='/move']").filter(has=button)
    expect(form).to_have_count(1)
    form.get_by_label(re.compile("^意见")).fill(comment)
    with page.expect_navigation():
        form.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("已办理")


def test_citizen_signs_up_centre_places_her_she_sees_term_and_months(phone, browser, server):
    states, moves = _labels()
    page = phone
    page.goto("/")
    page.locator("nav.top").get_by_role("link", name="公益性岗位").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("公益性岗位")
    page_checks(page, "welfare-list-phone")
    page.get_by_role("link", name=POST).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(POST)
    post_path = "/" + page.url.split("/", 3)[3]
    post_id = post_path.rstrip("/").rsplit("/", 1)[1]
    page_checks(page)
    login(page, "zhangmin", DEMO_PASSWORD, path=f"/login?next={post_path}")
    expect(page.get_by_role("heading", name="报名")).to_be_visible()
    page.get_by_role("radio", name="否").check()
    page.get_by_role("button", name="报名").click()
    expect(page.get_by_role("alert")).to_contain_text("不符合")
    expect(page.get_by_role("alert")).to_contain_text("就业困难人员")
    expect(page.get_by_role("radio", name="否")).to_be_checked()
    page_checks(page, "welfare-signup-refused-phone")
    page.get_by_role("radio", name="是").check()
    page.get_by_role("button", name="报名").click()
    expect(page.get_by_role("status")).to_contain_text("报名成功")
    expect(page.locator("#my-signup")).to_contain_text("已报名")
    page_checks(page)
    page.goto("/my/welfare")
    case_id = page.locator("main a[href^='/my/cases/']").first.get_attribute("href").rsplit("/", 1)[1]

    ctx = browser.new_context(base_url=server, locale="zh-CN", timezone_id="Asia/Shanghai",
                              viewport={"width": 1280, "height": 900})
    staff = ctx.new_page()
    staff.requests, staff.allowed_origin = [], server
    staff.on("request", lambda req: staff.requests.append(req.url))
    login(staff, "zx_wlht", DEMO_PASSWORD, "/console/login")
    for action, comment in (("受理报名", "已核验身份证和认定材料（浏览器测试）"), ("审核通过（经认定的就业困难人员）", "经认定的就业困难人员")):
        _move(staff, case_id, action, states[moves[action]["to"]]["label"], comment)
    staff.goto("/console/welfare")
    row = staff.locator("main table tr").filter(has_text=POST).first
    before = int(row.locator("td.left").inner_text())
    staff.goto(f"/console/welfare/posts/{post_id}")
    page_checks(staff, "welfare-console-post")
    applicant = staff.locator("main tr").filter(has_text="张*")
    with staff.expect_navigation():
        applicant.get_by_role("button", name="安排上岗").click()
    expect(staff.get_by_role("status")).to_contain_text("已安排上岗")
    expect(staff.locator("#places-left")).to_have_text(str(before - 1))
    applicant = staff.locator("main tr").filter(has_text="张*")
    applicant.get_by_label("月份").fill("2026-11")
    with staff.expect_navigation():
        applicant.get_by_role("button", name="记录本月补贴").click()
    expect(staff.get_by_role("status")).to_contain_text("已记录本月补贴")
    ctx.close()

    page.goto("/my/welfare")
    mine = page.locator("main li.result").filter(has_text=POST)
    expect(mine.locator(".state")).to_have_text("已上岗")
    expect(mine.locator(".term-end")).to_have_text(re.compile(r"^20\d\d-\d\d-\d\d$"))
    expect(mine.locator("table.months")).to_contain_text("2026-11")
    page_checks(page, "welfare-my-phone")
