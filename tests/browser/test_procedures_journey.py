"""A new procedure end to end in the browser (issue 17): a citizen on a 360 px phone applies for 个人
创业担保贷款 from its policy page, and every role the procedure names decides its step in the console —
the 旗县市中心 accepts and reviews, refers the case to the 经办银行; the bank records its decision; the
财政局 records a 贴息 period; the bank records the repayment. The bank of another district cannot open
the case. The citizen then sees the final state on her case page. Every page passes the checks of
test_journeys (axe-core, 360 px without horizontal scroll, nothing from outside, csrf in POST forms).
"""
from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import expect

from browser_support import DEMO_PASSWORD, login, page_checks
from jiuye.config import data_dir
from jiuye.idcard import check_char
from test_journeys import register_and_apply

PROC = "startup_loan_individual"
DISTRICT = "乌兰浩特市"
# the demo's staff of 乌兰浩特市 by the role the procedure names (src/jiuye/cases/demo.py)
STAFF = {"旗县市中心": "zx_wlht", "经办银行": "yh_wlht", "财政局": "czj_wlht"}


def _spec() -> dict:
    return yaml.safe_load((data_dir() / "procedures" / f"{PROC}.yaml").read_text(encoding="utf-8"))


def _move(page, case_path: str, action: str, to_label: str, comment: str) -> None:
    page.goto(f"/console/cases/{case_path.rsplit('/', 1)[1]}")
    button = page.get_by_role("button", name=f"{action} → {to_label}", exact=True)
    form = page.locator("main form[action$='/move']").filter(has=button)
    expect(form).to_have_count(1)
    form.get_by_label(re.compile("^意见")).fill(comment)
    with page.expect_navigation():
        form.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("已办理")


def test_a_citizen_applies_for_a_startup_loan_and_each_role_decides_its_step(phone, browser, server):
    spec = _spec()
    states, moves = spec["states"], {t["action"]: t for t in spec["transitions"]}

    # 1. The policy page offers to apply; logged out, /apply leads to the login page, then 注册.
    phone.goto(f"/policies/{PROC}")
    page_checks(phone)
    with phone.expect_navigation():
        phone.locator(f"main a[href='/apply/{PROC}']").first.click()
    first17 = "152201" + "19900315" + f"{secrets.randbelow(900) + 100:03d}"
    case_path = register_and_apply(phone, f"loan{secrets.randbelow(10**6):06d}", "钱创业", first17 + check_char(first17),
                                   DISTRICT, PROC)
    assert states[spec["start"]]["label"] in phone.inner_text("main")
    page_checks(phone, "procedure-loan-applied-phone")

    # 2. Each step by its role, in the order of the usual course, on the console (the bank on a phone).
    course = [
        ("旗县市中心", "受理", "材料齐全，已受理（浏览器测试）"),
        ("旗县市中心", "审核通过，推荐经办银行", "借款人资格符合，推荐经办银行"),
        ("经办银行", "审贷通过，已放款（意见中写明金额、期限、利率和放款日期）", "放款20万元，期限3年，放款日期2026-11-20"),
        ("财政局", "记录本期贴息（写明结息期间和贴息金额）", "2026年第4季度贴息（金额待银行结息后核定）"),
        ("经办银行", "到期归还本金，贷款结清", "借款人已到期一次性归还本金"),
    ]
    contexts = {}
    for role, action, comment in course:
        t = moves[action]
        assert (t.get("by") or states[t["from"] if isinstance(t["from"], str) else t["from"][0]]["role"]) == role
        if role not in contexts:
            ctx = browser.new_context(base_url=server, locale="zh-CN", timezone_id="Asia/Shanghai",
                                      viewport={"width": 360, "height": 740} if role == "经办银行" else {"width": 1280, "height": 900})
            page = ctx.new_page()
            page.requests, page.allowed_origin = [], server
            page.on("request", lambda req, p=page: p.requests.append(req.url))
            login(page, STAFF[role], DEMO_PASSWORD, "/console/login")
            contexts[role] = (ctx, page)
        page = contexts[role][1]
        _move(page, case_path, action, states[t['to']]['label'], comment)
        dl = page.locator("main dl").first.inner_text()
        assert states[t["to"]]["label"] in dl, (action, dl)
        trail = page.locator("main table").filter(has_text="办理人").last.inner_text()
        assert comment in trail
    bank = contexts["经办银行"][1]
    page_checks(bank, "procedure-loan-bank-phone")
    # the bank's queue holds loan cases only
    bank.goto("/console?scope=all")
    assert urlsplit(bank.url).path == "/console"
    for ctx, _page in contexts.values():
        ctx.close()

    # 3. A bank of another district cannot open the case.
    ctx = browser.new_context(base_url=server, locale="zh-CN", viewport={"width": 1280, "height": 900})
    other = ctx.new_page()
    login(other, "yh_zlt", DEMO_PASSWORD, "/console/login")
    r = other.goto(f"/console/cases/{case_path.rsplit('/', 1)[1]}")
    assert r.status in (403, 404) and "钱创业" not in other.inner_text("main")
    ctx.close()

    # 4. The citizen sees the final state, at 360 px.
    phone.goto(case_path)
    assert states["repaid"]["label"] in phone.inner_text("main")
    page_checks(phone, "procedure-loan-done-phone")
