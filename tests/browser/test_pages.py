"""The pages that exist for every visitor, in a real browser: accessibility (axe-core, no serious or
critical violation), no horizontal scroll on a 360 px phone, nothing loaded from outside the app,
screenshots; staff login through the form; CSRF; the console closed to logged-out visitors."""
from __future__ import annotations

import re

import pytest

from browser_support import (DEMO_PASSWORD, DEMO_STAFF, assert_no_axe_violations, assert_no_external_requests,
                             assert_no_horizontal_scroll, login, shot)

# (path, screenshot name, text the page must show): the public pages that exist today.
PUBLIC = [
    ("/", "home", "政策目录"),
    ("/policies/unemployment_insurance_benefit", "policy", "失业保险金"),
    ("/login", "login", "登录"),
    ("/console/login", "console-login", "工作人员登录"),
    ("/fairs", "fairs", "招聘会与直播带岗"),
    ("/startup", "startup-library", "兴安盟创业项目库"),
    ("/startup/bases", "startup-bases", "全盟重点创业园孵化基地"),
    ("/ask?q=失业金申请条件是啥", "ask-sisters", "问一问"),  # issue 19: sister entries under the answer
    ("/ask?q=乌兰浩特有没有电焊的活", "ask-services", "问一问"),  # issue 19: a service's results beside the passages
]


@pytest.mark.parametrize("path,name,heading", PUBLIC, ids=[p[1] for p in PUBLIC])
def test_public_page_on_phone(phone, path, name, heading):
    resp = phone.goto(path)
    assert resp.status == 200
    assert heading in phone.inner_text("h1")
    assert phone.evaluate("document.documentElement.lang") == "zh-CN"
    assert_no_horizontal_scroll(phone)
    assert_no_axe_violations(phone)
    assert_no_external_requests(phone)
    shot(phone, f"{name}-phone")


@pytest.mark.parametrize("path,name,heading", PUBLIC[:2], ids=[p[1] for p in PUBLIC[:2]])
def test_public_page_on_desktop(desktop, path, name, heading):
    resp = desktop.goto(path)
    assert resp.status == 200
    assert heading in desktop.inner_text("h1")
    assert_no_axe_violations(desktop)
    assert_no_external_requests(desktop)
    shot(desktop, f"{name}-desktop")


def test_home_links_to_every_policy_page(phone):
    phone.goto("/")
    hrefs = phone.eval_on_selector_all("main a[href^='/policies/']", "els => els.map(e => e.getAttribute('href'))")
    assert "/policies/unemployment_insurance_benefit" in hrefs
    assert len(set(hrefs)) >= 47  # every policy of the spec's table is listed
    phone.click("main a[href='/policies/unemployment_insurance_benefit']")
    phone.wait_for_url("**/policies/unemployment_insurance_benefit")
    assert "失业保险金" in phone.inner_text("h1")


def test_unknown_policy_is_a_404_page_in_chinese(phone):
    resp = phone.goto("/policies/no_such_policy")
    assert resp.status == 404
    assert re.search(r"[\u4e00-\u9fff]", phone.inner_text("main"))
    assert_no_axe_violations(phone)


@pytest.mark.parametrize("path", ["/console", "/console/roster", "/console/dashboard", "/console/audit", "/console/window",
                                  "/console/parameters", "/console/fairs"])
def test_logged_out_visitor_cannot_reach_the_console(phone, path):
    """Every console page sends a logged-out visitor to the console login."""
    phone.goto(path)
    assert phone.url.endswith("/console/login?next=" + path.replace("/", "%2F")) or \
        phone.url.endswith("/console/login?next=" + path), phone.url
    assert "工作人员登录" in phone.inner_text("h1")


def test_staff_logs_in_through_the_form_and_out_again(desktop, live_server):
    login(desktop, DEMO_STAFF, DEMO_PASSWORD, "/console/login")
    assert desktop.url.endswith("/console"), desktop.url
    # The demo data was created on the server's first use of its fresh database.
    assert (live_server.var_dir / "jiuye.sqlite3").exists()
    header = desktop.inner_text("header")
    assert "退出" in header
    assert_no_axe_violations(desktop)
    assert_no_external_requests(desktop)
    shot(desktop, "console-queue-desktop")
    cookies = {c["name"]: c for c in desktop.context.cookies()}
    assert cookies["jiuye_session"]["httpOnly"]
    # Log out with the header's form (it carries the CSRF token): the console is closed again.
    with desktop.expect_navigation():
        desktop.click("header form[action='/logout'] button")
    desktop.goto("/console")
    assert "/console/login" in desktop.url


def test_wrong_password_is_refused_with_a_message(phone):
    phone.goto("/console/login")
    phone.fill("#username", DEMO_STAFF)
    phone.fill("#password", "not-the-password")
    with phone.expect_navigation() as nav:
        phone.click("main button[type=submit]")
    assert nav.value.status == 401
    alert = phone.inner_text("[role=alert]")
    assert re.search(r"[\u4e00-\u9fff]", alert)
    assert phone.input_value("#username") == DEMO_STAFF  # kept; the password is not
    assert phone.input_value("#password") == ""
    assert_no_axe_violations(phone)
    phone.goto("/console")
    assert "/console/login" in phone.url


@pytest.mark.parametrize("tamper", ["remove", "change"])
@pytest.mark.parametrize("path", ["/console/login", "/login"])
def test_login_form_without_its_csrf_token_is_refused(phone, path, tamper):
    """The right password is not enough: without the session's CSRF token the POST is a 403 and
    nobody is logged in."""
    phone.goto(path)
    phone.fill("#username", DEMO_STAFF)
    phone.fill("#password", DEMO_PASSWORD)
    if tamper == "remove":
        phone.eval_on_selector("input[name=csrf_token]", "el => el.remove()")
    else:
        # a different first character (the token may itself start with x: then 'x' + rest was the same token)
        good = phone.input_value("input[name=csrf_token]")
        phone.eval_on_selector("input[name=csrf_token]", "el => el.value = (el.value[0] === 'x' ? 'y' : 'x') + el.value.slice(1)")
        assert phone.input_value("input[name=csrf_token]") != good
    with phone.expect_navigation() as nav:
        phone.click("main button[type=submit]")
    assert nav.value.status == 403
    assert "CSRF" in phone.inner_text("body")
    phone.goto("/console")
    assert "/console/login" in phone.url


def test_every_form_on_the_public_pages_carries_a_csrf_token(phone, desktop):
    """Each POST form has the hidden csrf_token input (GET forms, like the district picker, need none)."""
    login(desktop)  # the console header has the logout form
    pages = [(phone, p) for p, _n, _h in PUBLIC] + [(desktop, "/console")]
    checked = 0
    for page, path in pages:
        page.goto(path)
        forms = page.eval_on_selector_all(
            "form", "fs => fs.map(f => [f.method, f.getAttribute('action'), !!f.querySelector('input[name=csrf_token]')])")
        for method, action, has_token in forms:
            if method.lower() == "post":
                checked += 1
                assert has_token, f"POST form {action} on {path} has no csrf_token"
    assert checked >= 3


def test_api_docs_render_with_nothing_from_outside(desktop):
    """/docs (Swagger UI) and /redoc (ReDoc) render the API from files this server serves, under a CSP
    without inline script: an intranet without internet sees them too (issue 13, item 7)."""
    resp = desktop.goto("/docs")
    assert resp.status == 200
    assert "接口文档" in desktop.title()
    summary = desktop.locator(".opblock-summary-path[data-path='/api/screen']")
    summary.wait_for()
    summary.click()  # open the operation: its parameters and responses render too
    desktop.locator(".opblock.is-open .responses-wrapper").first.wait_for()
    assert "/api/screen" in desktop.inner_text("#swagger-ui")
    assert_no_external_requests(desktop)

    resp = desktop.goto("/redoc")
    assert resp.status == 200
    desktop.get_by_text("/api/screen").first.wait_for(state="attached")
    assert "政策找人" in desktop.inner_text("redoc")
    assert_no_external_requests(desktop)


# 关怀模式 (issue 14, item 7): the pages an older citizen starts from, with the text their h1 shows.
CARE_PAGES = [("/", "政策目录"), ("/find", "政策找人"), ("/find?group=unemployed", "政策找人"),
              ("/policies/unemployment_insurance_benefit", "失业保险金"), ("/fairs", "招聘会与直播带岗")]


def test_care_mode_through_the_header_switch_on_phone(phone):
    """At 360 px: the header's 「关怀模式」 link (no JavaScript needed) turns on large text (≥ 18 px body),
    48 px buttons, fields and header links; the pages stay axe-clean, without horizontal scroll or outside
    requests; 「标准模式」 turns it off again. The choice is remembered (a cookie) from page to page."""
    phone.goto("/find")
    assert phone.evaluate("document.documentElement.className") == ""
    standard = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    with phone.expect_navigation():
        phone.click("header a.care-switch")
    assert phone.url.endswith("/find")
    for path, heading in CARE_PAGES:
        phone.goto(path)
        assert phone.evaluate("document.documentElement.className") == "care", path
        size = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 18 and size > standard, (path, size, standard)
        assert heading in phone.inner_text("h1")
        assert phone.inner_text("header a.care-switch").strip() == "标准模式"
        small = phone.evaluate("""() => [...document.querySelectorAll(
                'button, select, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), header a')]
            .filter(el => el.offsetParent !== null && el.getBoundingClientRect().height < 47.5)
            .map(el => el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 20)
                       + ' ' + Math.round(el.getBoundingClientRect().height))""")
        assert not small, f"touch targets under 48 px on {path}: {small}"
        assert_no_horizontal_scroll(phone)
        assert_no_axe_violations(phone)
        assert_no_external_requests(phone)
    phone.goto("/find")
    shot(phone, "find-care-phone")
    with phone.expect_navigation():
        phone.click("header a.care-switch")
    assert phone.url.endswith("/find")
    assert phone.evaluate("document.documentElement.className") == ""
    assert phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == standard
