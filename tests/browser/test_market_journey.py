"""The labour market in a real browser (issue 15), on a 360 px phone and on the desktop:

- A new citizen registers, makes a 求职登记 as a 高校毕业生, searches /jobs in colloquial words, opens
  the post (which lists the benefits tied to seeking and taking the job) and applies.
- The employer (demo account xingan_food) sees the application with the 政策找人 panel: what hiring
  this graduate could bring, the standard as the parameter files give it on the server's date (read
  here from data/parameters, not from the code), invites to an interview and records 录用.
- The seeker sees 已录用 on /my/jobs, the registration closed as 经本平台录用.
Every page passes axe-core (no serious/critical), has no horizontal scroll at 360 px, loads nothing
from outside the app and carries a csrf_token in each POST form. `test_market_page_basics` gives the
other market pages (the employer's and the staff's) the same checks at both widths.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from jiuye.config import data_dir
from jiuye.idcard import check_char
from browser_support import DEMO_PASSWORD, login, page_checks

EMPLOYER = "xingan_food"  # 兴安绿源食品有限公司（演示）: publishes 仓库管理员 in the demo market
QUERY = "乌兰浩特 管仓库的活 三千五以上"  # colloquial: the place, "the warehouse job", a wage
POST_TITLE = "仓库管理员"
LEFT_COLLEGE = "2026-07-01"  # this year's graduate on the server's pinned date (2026-11-24)
STATE = {}  # what the journey made, for the page basics that need it


def standard_on(file: str, day: dt.date) -> float | None:
    """The value in force on `day` of data/parameters/<file>.yaml."""
    spec = yaml.safe_load((data_dir() / "parameters" / f"{file}.yaml").read_text(encoding="utf-8"))
    current = None
    for start, v in sorted((dt.date.fromisoformat(str(k)), v) for k, v in spec["values"].items()):
        if start <= day:
            current = v["value"] if isinstance(v, dict) else v
    return current


def new_id_number(birth: str = "20030512") -> str:
    first17 = "152201" + birth + f"{secrets.randbelow(900) + 100:03d}"
    return first17 + check_char(first17)


def _register_seeker(page, username: str, name: str, id_number: str) -> None:
    """From /my/jobs/register while logged out: 注册 → the 求职登记 form → submitted."""
    page.goto("/my/jobs/register")
    assert "/login?next=" in page.url, page.url
    page.get_by_role("main").get_by_role("link", name="注册").click()
    page.wait_for_url(re.compile(r"/register\?next="))
    page.get_by_label("姓名").fill(name)
    page.get_by_label("身份证号").fill(id_number)
    page.get_by_label("手机号").fill("13912345670")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码（至少8位）").fill("market-pass-1")
    page.get_by_label("再输一次密码").fill("market-pass-1")
    with page.expect_navigation():
        page.get_by_role("button", name="注册").click()
    assert urlsplit(page.url).path == "/my/jobs/register", page.inner_text("main")[:500]
    page_checks(page)
    page.get_by_label("想做的工作").fill("仓库管理员、会计")
    page.get_by_role("group", name="愿意工作的旗县市").get_by_label("乌兰浩特市", exact=True).check()
    page.get_by_label("学历").select_option(label="本科")
    page.get_by_role("group", name="您属于").get_by_label("高校毕业生", exact=True).check()
    page.get_by_label("离校（毕业）日期").fill(LEFT_COLLEGE)
    with page.expect_navigation():
        page.get_by_role("button", name="提交求职登记").click()
    assert urlsplit(page.url).path == "/my/jobs" and "求职登记已提交" in page.inner_text("main"), page.inner_text("main")[:500]


def test_seeker_applies_the_employer_sees_the_subsidy_and_hires(phone, browser, live_server):
    day = dt.date.fromisoformat(live_server.today)
    standard = standard_on("other_subsidies/graduate_hiring_per_graduate", day)
    assert standard, "the parameter files give no 一次性吸纳就业补贴 on the server's date"
    seeker = phone
    idn = new_id_number()
    _register_seeker(seeker, f"market{secrets.randbelow(10**6):06d}", "高毕业", idn)
    page_checks(seeker)

    # 1. Search in colloquial words: the post is found, and what was understood is used.
    seeker.goto("/jobs")
    seeker.get_by_label("想找什么工作").fill(QUERY)
    with seeker.expect_navigation():
        seeker.get_by_role("button", name="搜索").click()
    cards = seeker.locator("main li.result")
    expect(cards.filter(has_text=POST_TITLE).first).to_be_visible()
    assert cards.count() >= 1 and all("乌兰浩特市" in t for t in cards.all_inner_texts())
    page_checks(seeker, "market-jobs-phone")

    # 2. The post page: the 简章, and the benefits tied to seeking and taking the job.
    with seeker.expect_navigation():
        cards.filter(has_text=POST_TITLE).first.locator("a").first.click()
    assert POST_TITLE in seeker.inner_text("h1")
    post_path = urlsplit(seeker.url).path
    panel = seeker.locator("#policies")
    expect(panel).to_contain_text("求职、上岗相关")
    page_checks(seeker, "market-job-phone")

    # 3. Apply.
    seeker.get_by_label("给单位留言").fill("今年毕业，学过仓储管理")
    with seeker.expect_navigation():
        seeker.get_by_role("button", name="投递这个岗位").click()
    assert urlsplit(seeker.url).path == "/my/jobs" and "已投递" in seeker.inner_text("main")
    row = seeker.locator("main li.result").filter(has_text=POST_TITLE).filter(has_text="状态")  # 我的投递
    expect(row).to_contain_text("已投递")
    assert idn not in seeker.content()

    # 4. The employer, on the desktop: the application with the 政策找人 panel.
    ctx = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
                              viewport={"width": 1280, "height": 900})
    firm = ctx.new_page()
    firm.requests, firm.allowed_origin, firm.console_errors = [], live_server.url, []
    firm.on("request", lambda req: firm.requests.append(req.url))
    firm.on("console", lambda msg: firm.console_errors.append(msg.text) if msg.type == "error" else None)
    try:
        login(firm, EMPLOYER, DEMO_PASSWORD, "/login")
        firm.goto("/employer")
        with firm.expect_navigation():
            firm.locator("main a", has_text=POST_TITLE).first.click()
        employer_path = urlsplit(firm.url).path
        applicant = firm.locator("main div.result").filter(has_text="高毕业")  # an applicant's name is shown
        expect(applicant).to_be_visible()
        policy_panel = applicant.locator("section.policy-panel")
        expect(policy_panel).to_contain_text("招用此人，单位可能享受的政策")
        benefit = policy_panel.locator("li.benefit").filter(has_text="一次性吸纳就业补贴")
        expect(benefit).to_contain_text(f"{standard:,.0f} 元")  # the rules' standard on the day, with its source
        expect(benefit).to_contain_text("可能")
        expect(benefit).to_contain_text("企业规模划型")  # what the employer still has to confirm
        assert benefit.locator("a[href='/policies/graduate_hiring_subsidy']").count() == 1
        text = firm.inner_text("main")
        assert idn not in firm.content() and "2003-05-12" not in text  # no 身份证号, no birth date
        page_checks(firm, "market-employer-post-desktop")

        # 5. Invite to an interview, then record 录用.
        applicant.locator("summary", has_text="邀请面试").click()
        applicant.get_by_label("日期").fill((day + dt.timedelta(days=3)).isoformat())
        applicant.get_by_label("地点").fill("公司二楼人事部")
        with firm.expect_navigation():
            applicant.get_by_role("button", name="发送面试邀请").click()
        assert "已发出面试邀请" in firm.inner_text("main")
        applicant = firm.locator("main div.result").filter(has_text="高毕业")
        expect(applicant).to_contain_text("已邀请面试")
        applicant.locator("summary", has_text="记录结果").click()
        applicant.get_by_label("录用", exact=True).check()
        with firm.expect_navigation():
            applicant.get_by_role("button", name="保存结果").click()
        assert "已记录结果" in firm.inner_text("main")
        expect(firm.locator("main div.result").filter(has_text="高毕业")).to_contain_text("已录用")
        page_checks(firm)
    finally:
        ctx.close()

    # 6. The seeker sees the result on /my/jobs; the registration is closed with the hire.
    seeker.goto("/my/jobs")
    row = seeker.locator("main li.result").filter(has_text=POST_TITLE).filter(has_text="状态")
    expect(row).to_contain_text("已录用")
    expect(seeker.locator("main dl.kv")).to_contain_text("经本平台录用")
    page_checks(seeker, "market-my-jobs-phone")
    STATE.update(post_path=post_path, employer_path=employer_path)


# (path or a key of STATE, who logs in, screenshot name or None)
PAGES = [
    ("/jobs", None, None),
    ("employer_path", EMPLOYER, "market-employer-post"),
    ("/employer", EMPLOYER, None),
    ("/console/market", "zx_wlht", None),
    ("/console/market/seekers", "zx_wlht", None),
]


@pytest.mark.parametrize("where,user,name", PAGES, ids=[p[0].strip("/").replace("/", "-") or "jobs" for p in PAGES])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_market_page_basics(request, device, where, user, name):
    page = request.getfixturevalue(device)
    path = STATE.get(where, where)
    if not path.startswith("/"):
        pytest.skip("the journey above did not run (it makes this page)")
    if user:
        login(page, user, DEMO_PASSWORD, "/console/login" if user.startswith("zx_") else "/login")
    resp = page.goto(path)
    assert resp.status == 200, f"{path}: {resp.status}"
    assert page.inner_text("h1").strip()
    page_checks(page, f"{name}-{device}" if name and device == "phone" else None)


def test_staff_recommend_with_what_the_hire_could_bring(desktop, live_server):
    """职业介绍 in the console: beside each post that fits a graduate of the demo (孟根其其格, registered at
    the window), what the hire could bring the employer, with the rules' standard on the server's date."""
    day = dt.date.fromisoformat(live_server.today)
    standard = standard_on("other_subsidies/graduate_hiring_per_graduate", day)
    page = desktop
    login(page, "zx_wlht", DEMO_PASSWORD, "/console/login")
    page.goto("/console/market/seekers")
    row = page.locator("main tr").filter(has_text="孟")
    with page.expect_navigation():
        row.locator("a").first.click()
    assert "求职登记" in page.inner_text("h1")
    offer = page.locator("main section.policy-panel").filter(has_text="单位招用此人可能享受").first
    expect(offer).to_contain_text("一次性吸纳就业补贴")
    expect(offer).to_contain_text(f"{standard:,.0f} 元")
    page_checks(page, "market-console-seeker-desktop")
