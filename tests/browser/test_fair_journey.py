"""招聘会 in a real browser (issue 16, item 3), on a 360 px phone, against the demo server (its weekly
fairs made from data/fairs/fairs.yaml on first use):

- (a) A seeker with no account opens /fairs on a phone, opens the next weekly fair at 盟民生大厦一层,
  pre-registers with name and phone and gets the check-in code with its QR (an inline SVG made by the
  server). Staff of the 盟中心 (the weekly fair is theirs) open the door page on a phone, type the code
  as read aloud (lower case, with a space) and the seeker is checked in; a second time says so.
- (b) An employer (兴安绿源食品, the demo employer of 乌兰浩特市) opens 招聘会展位 on a phone, applies for a
  booth at the same fair with the three materials uploaded and one of its posts; a missing material is
  refused with the field named and what was typed kept. The 盟中心 approves it in the console; the
  employer's booth page shows the booth number, and the employer records an intention for the seeker
  of (a) by the code; the intention is listed with its follow-up time (the day after the fair, 09:00).
Every page passes axe-core (no serious/critical), has no horizontal scroll at 360 px, loads nothing from
outside the app, and every POST form carries a csrf_token.
"""
from __future__ import annotations

import re
import secrets

from browser_support import (DEMO_PASSWORD, assert_no_axe_violations, assert_no_external_requests,
                             assert_no_horizontal_scroll, login, shot)

PDF = b"%PDF-1.4\n% browser test material\n%%EOF\n"
STATE: dict = {}


def page_checks(page, name: str | None = None) -> None:
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    assert_no_external_requests(page)
    forms = page.eval_on_selector_all(
        "form", "fs => fs.map(f => [f.method, f.getAttribute('action'), !!f.querySelector('input[name=csrf_token]')])")
    for method, action, has_token in forms:
        assert method.lower() != "post" or has_token, f"POST form {action} on {page.url} has no csrf_token"
    if name:
        shot(page, name)


def phone_page(browser, base: str):
    ctx = browser.new_context(base_url=base, locale="zh-CN", timezone_id="Asia/Shanghai",
                              viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.requests, page.allowed_origin = [], base
    page.on("request", lambda req: page.requests.append(req.url))
    return ctx, page


def test_a_seeker_pre_registers_and_is_checked_in_at_the_door(browser, server):
    ctx, page = phone_page(browser, server)
    page.goto("/fairs")
    assert "盟民生大厦一层" in page.inner_text("main") and "每周五上午9:00-11:30" in page.inner_text("main")
    page_checks(page, "fairs-phone")
    links = page.eval_on_selector_all("main a.button[href^='/fairs/']", "els => els.map(e => e.getAttribute('href'))")
    assert links, "no weekly fair on /fairs"
    for href in links:  # the next one not over yet
        page.goto(href)
        if page.locator("form[action$='/register']").count():
            break
    STATE["fair"] = int(page.url.rstrip("/").rsplit("/", 1)[1])
    assert "盟民生大厦一层" in page.inner_text("main")
    page_checks(page, "fair-phone")
    phone = f"137{secrets.randbelow(10**8):08d}"
    page.fill("#name", "乌日娜")
    page.fill("#phone", phone)
    with page.expect_navigation():
        page.click("form[action$='/register'] button[type=submit]")
    assert "/fairs/pass/" in page.url
    code = page.url.rsplit("/", 1)[1]
    assert re.fullmatch(r"[A-Z0-9]{8}", code)
    assert page.locator(".qr svg").count() == 1
    assert code[:4] in page.inner_text("[data-code]")
    page_checks(page, "fair-pass-phone")
    STATE["code"] = code
    ctx.close()
    # the door: the 盟中心 on a phone
    ctx, door = phone_page(browser, server)
    login(door, "mz", DEMO_PASSWORD, "/console/login")
    door.goto(f"/console/fairs/{STATE['fair']}/door")
    page_checks(door)
    before = int(door.inner_text("[data-checked]"))
    door.fill("#code", f"{code[:4].lower()} {code[4:].lower()}")
    with door.expect_navigation():
        door.click("form[action$='/door'] button[type=submit]")
    result = door.inner_text("[data-result]")
    assert "签到成功" in result and "乌日娜" in result and phone not in result  # the phone masked
    assert int(door.inner_text("[data-checked]")) == before + 1
    page_checks(door, "fair-door-phone")
    door.goto(f"/console/fairs/{STATE['fair']}/door?code={code}")  # as the QR opens it
    assert door.input_value("#code") == code
    with door.expect_navigation():
        door.click("form[action$='/door'] button[type=submit]")
    assert "无需重复签到" in door.inner_text("[data-result]")
    ctx.close()


def test_an_employer_applies_for_a_booth_and_records_an_intention(browser, server):
    assert STATE.get("code"), "runs after the seeker's test"
    ctx, page = phone_page(browser, server)
    login(page, "xingan_food", DEMO_PASSWORD, "/login")
    page.goto("/employer/fairs")
    page_checks(page, "employer-fairs-phone")
    page.goto(f"/employer/fairs/{STATE['fair']}/apply")
    page_checks(page)
    page.fill("#sector", "食品加工")
    page.fill("#contact_name", "王经理")
    page.fill("#phone", "13800000001")
    page.locator("input[name=posting_ids]").first.check()
    page.set_input_files("#file_licence", {"name": "licence.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.set_input_files("#file_legal_id", {"name": "legal_id.pdf", "mimeType": "application/pdf", "buffer": PDF})
    with page.expect_navigation():
        page.click("form[action$='/apply'] button[type=submit]")
    assert "招聘会申请表" in page.inner_text("[role=alert]")
    assert page.input_value("#contact_name") == "王经理" and page.input_value("#sector") == "食品加工"
    page_checks(page)
    page.locator("input[name=posting_ids]").first.check()
    for field in ("licence", "legal_id", "form"):
        page.set_input_files(f"#file_{field}", {"name": f"{field}.pdf", "mimeType": "application/pdf", "buffer": PDF})
    with page.expect_navigation():
        page.click("form[action$='/apply'] button[type=submit]")
    assert "/employer/fairs/booths/" in page.url and "待审核" in page.inner_text("main")
    booth_url = page.url.split("?")[0]
    booth_id = int(booth_url.rsplit("/", 1)[1])
    page_checks(page, "employer-booth-pending-phone")
    # the 盟中心 approves it in the console
    sctx, staff = phone_page(browser, server)
    login(staff, "mz", DEMO_PASSWORD, "/console/login")
    staff.goto(f"/console/fairs/{STATE['fair']}")
    page_checks(staff, "console-fair-phone")
    with staff.expect_navigation():
        staff.click(f"form[action='/console/fairs/booths/{booth_id}/approve'] button[type=submit]")
    assert "已审核" in staff.inner_text("[role=status]")
    sctx.close()
    # the employer's booth: its number, and an intention for the seeker of the first test
    page.goto(booth_url)
    assert "已安排展位" in page.inner_text("main") and "展位号" in page.inner_text("main")
    page.fill("#code", STATE["code"])
    page.select_option("#posting_id", index=1)
    with page.expect_navigation():
        page.click("form[action$='/intentions'] button[type=submit]")
    assert "已记录意向" in page.inner_text("[role=status]")
    main = page.inner_text("main")
    assert "乌*娜" in main or "乌日娜" in main
    assert re.search(r"回访：\d{4}-\d{2}-\d{2} 09:00 起", main)
    page_checks(page, "employer-booth-intention-phone")
    ctx.close()
