"""零工市场 in a real browser (issue 16, item 2), a day labourer on a 360 px phone:

- The employer (xingan_food, on a phone too) posts two short jobs for a 瓦工 through the form.
- The worker (zhangmin, whose availability is in the demo data) opens /gig: both jobs are suggested
  with their reasons (工种相同, the same 街道); they take the first; no phone is shown yet. The employer
  accepts: each now sees the other's phone. Both confirm "worked", both confirm "paid".
- The employer invites the worker to the second job from its list of suitable workers; the worker
  accepts; both confirm "worked"; the worker says "没拿到工钱".
- Staff of 乌兰浩特市 (desktop) open /console/gig: the report is there with its case (the amount of the
  days worked), and the case page opens.
Every page passes axe-core, has no horizontal scroll at 360 px and loads nothing from outside.
"""
from __future__ import annotations

import datetime as dt
import re

from browser_support import assert_no_axe_violations, assert_no_external_requests, assert_no_horizontal_scroll, login
from conftest import PHONE, _page

TAG = "（浏览器测试）"


def check(page) -> None:
    if page.viewport_size["width"] <= 400:
        assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    assert_no_external_requests(page)


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def post_job(page, title: str, pay: str) -> str:
    page.goto("/gig/jobs/new")
    check(page)
    page.fill("#title", title)
    page.fill("#occupation", "瓦工")
    page.select_option("#district", "乌兰浩特市")
    page.fill("#town", "爱国街道")
    start = dt.date.fromisoformat(page.input_value("#start_on")) + dt.timedelta(days=2)  # the server's (pinned) today + 2
    page.fill("#start_on", start.isoformat())
    page.fill("#end_on", (start + dt.timedelta(days=1)).isoformat())
    page.fill("#pay", pay)
    page.fill("#phone", "13900000555")
    submit(page, "form[action='/gig/jobs/new'] button[type=submit]")
    assert "已发布" in page.content()
    return re.search(r"/gig/jobs/(\d+)", page.url).group(1)


def act(page, match_url: str, action: str) -> None:
    page.goto(match_url)
    check(page)
    submit(page, f"form[action='{match_url}/{action}'] button[type=submit]")


def test_day_labourer_finds_a_job_gets_paid_and_reports_an_unpaid_one(browser, server, phone, desktop):
    ctx, employer = _page(browser, server, **PHONE)
    try:
        login(employer, "xingan_food", path="/login")
        job1 = post_job(employer, "砌台阶" + TAG, "240")
        job2 = post_job(employer, "补墙面" + TAG, "210")

        worker = phone
        login(worker, "zhangmin", path="/login")
        worker.goto("/gig")
        check(worker)
        body = worker.inner_text("main")
        assert "砌台阶" + TAG in body and "工种相同" in body and "同在乌兰浩特市爱国街道" in body
        worker.click(f"a[href='/gig/jobs/{job1}']")
        worker.wait_for_url(f"**/gig/jobs/{job1}")
        check(worker)
        submit(worker, f"form[action='/gig/jobs/{job1}/apply'] button[type=submit]")
        m1 = re.search(r"/gig/matches/\d+", worker.url).group(0)
        assert "13900000555" not in worker.content() and "双方都接受后才显示对方电话" in worker.inner_text("main")

        act(employer, m1, "accept")
        assert "13900000101" in employer.inner_text("main")  # the worker's phone (demo availability)
        worker.goto(m1)
        assert "13900000555" in worker.inner_text("main")
        act(worker, m1, "worked")
        act(employer, m1, "worked")
        act(employer, m1, "paid")
        act(worker, m1, "paid")
        assert "工钱已结清" in worker.inner_text("main")

        employer.goto(f"/gig/jobs/{job2}")
        check(employer)
        submit(employer, f"form[action='/gig/jobs/{job2}/invite'] button[type=submit]")
        m2 = employer.get_attribute(f"a[href^='/gig/matches/']", "href")
        act(worker, m2, "accept")
        act(worker, m2, "worked")
        act(employer, m2, "worked")
        worker.goto(m2)
        worker.fill("#note", "干完了，雇主说过几天再给")
        submit(worker, f"form[action='{m2}/unpaid'] button[type=submit]")
        assert "已转为欠薪报告" in worker.inner_text("main")
        check(worker)
    finally:
        ctx.close()

    login(desktop, "zx_wlht")
    desktop.goto("/console/gig")
    check(desktop)
    text = desktop.inner_text("main")
    assert "补墙面" + TAG in text and "工人报告未拿到工钱" in text
    row = desktop.locator("tr", has_text="补墙面" + TAG)
    days = int(row.locator("td").nth(3).inner_text())
    assert f"{days * 210} 元" in row.inner_text()
    with desktop.expect_navigation():
        row.locator("a").click()
    assert "零工欠薪报告" in desktop.inner_text("main")
    check(desktop)


def test_gig_pages_on_a_phone(phone):
    """The board and the phone lines for anyone, and the worker's form, at 360 px."""
    phone.goto("/gig")
    check(phone)
    assert "正在招人的零工" in phone.inner_text("main")
    phone.goto("/gig/phones")
    check(phone)
    text = phone.inner_text("main")
    assert "科右后旗" in text and "推定，需核实" in text
    login(phone, "liqiang", path="/login")
    phone.goto("/gig/available")
    check(phone)
    phone.fill("#occupation", "火星采矿")
    phone.select_option("#district", "扎赉特旗")
    phone.fill("#daily_rate", "150")
    phone.fill("#phone", "13900000777")
    submit(phone, "form[action='/gig/available'] button[type=submit]")
    assert "没认出工种「火星采矿」" in phone.inner_text("main") and phone.input_value("#daily_rate") == "150"
    check(phone)
