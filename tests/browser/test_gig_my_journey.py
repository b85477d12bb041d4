"""我的零工 (/my/gig) in a real browser, both sides on a 360 px phone (the leftover of issue 16):

- The employer (xingan_food) posts a short job; the worker (zhangmin, demo availability) applies from
  the job's page; the employer accepts; both confirm "worked"; the worker says "没拿到工钱".
- The worker opens 我的 → 我的零工: their availability with the jobs that suit it, the job with both
  sides' confirmations, and the wage-arrears report with a link to its case, which opens.
- The employer opens 我的零工: 本单位发布的零工 with the job's counts and the worker's report.
Every page passes axe-core, has no horizontal scroll at 360 px and loads nothing from outside.
"""
from __future__ import annotations

import re

from browser_support import login
from conftest import PHONE, _page
from test_gig_journey import act, check, post_job, submit

TAG = "（我的零工测试）"


def test_my_gig_for_the_worker_and_the_employer(browser, server, phone):
    ctx, employer = _page(browser, server, **PHONE)
    try:
        login(employer, "xingan_food", path="/login")
        job = post_job(employer, "抹灰" + TAG, "230")

        worker = phone
        login(worker, "zhangmin", path="/login")
        worker.goto(f"/gig/jobs/{job}")
        submit(worker, f"form[action='/gig/jobs/{job}/apply'] button[type=submit]")
        m = re.search(r"/gig/matches/\d+", worker.url).group(0)
        act(employer, m, "accept")
        act(worker, m, "worked")
        act(employer, m, "worked")
        worker.goto(m)
        submit(worker, f"form[action='{m}/unpaid'] button[type=submit]")

        worker.goto("/my")
        with worker.expect_navigation():
            worker.click("a[href='/my/gig']")
        check(worker)
        main = worker.inner_text("main")
        assert "我的零工" in main and "我能干的活" in main and "合适的活" in main
        section = worker.locator("section", has_text="抹灰" + TAG)
        body = section.inner_text()
        assert "工人 ✓" in body and "雇主 ✓" in body and "未拿到工钱" in body and "欠薪报告" in body
        with worker.expect_navigation():
            section.locator("a", has_text="查看办理进度").click()
        assert "零工欠薪报告" in worker.inner_text("main")
        check(worker)

        employer.goto("/my/gig")
        check(employer)
        main = employer.inner_text("main")
        assert "本单位发布的零工" in main and "我接的活" not in main
        mine = employer.locator("section", has_text="抹灰" + TAG).inner_text()
        assert "已上工 1" in mine and "工人报告没拿到工钱 1" in mine
        assert "工人报告没拿到工钱" in main and "查看办理进度" not in main
    finally:
        ctx.close()
