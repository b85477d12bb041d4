"""兴安打工直通车 in a real browser (issue 16, item 1), on a 360 px phone and on the desktop:

- (a) A worker with no account opens /dagong on a phone, picks a post, fills name and phone; the
  connection drops (the page says so) and the page is opened again: the draft is back, with the form's
  one-time key. They send it and see the receipt: the follow-up clock's end is the sign-up time plus the
  hours of data/platforms/dagong.yaml. Sending the same post again with the same phone is the same sign-up.
- (b) A station master (an account the centre opens in this test, for a station it adds to the registry)
  signs a herder up on their behalf and creates a group sign-up (a bus of workers) with two members.
- (c) Staff of the district open the follow-up queue: the sign-ups ordered by time left (the overdue one
  escalated to the centre first), the worker's sign-up there once; they record a contact attempt, the
  身份证号 (never shown whole), recommend, and mark 已上岗 (the 30-day visit falls due after the data file's days).
- (d) The station and district tables count exactly what (a)–(c) did: the station's row, and the
  district's row against the same row read before the journey.
Every page passes axe-core (no serious/critical), has no horizontal scroll at 360 px, loads nothing from
outside the app and carries a csrf_token in each POST form; `test_dagong_page_basics` checks every
打工直通车 page at both widths.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from jiuye.config import data_dir
from jiuye.idcard import check_char
from browser_support import DEMO_PASSWORD, login, page_checks

STAFF = "zx_wlht"  # 乌兰浩特市人力资源和就业服务中心: edits the district's stations, follows sign-ups up
DISTRICT = "乌兰浩特市"
POST_TITLE = "食品包装工"  # a demo post of 乌兰浩特市 (src/jiuye/market/demo.py)
SETTINGS = yaml.safe_load((data_dir() / "platforms" / "dagong.yaml").read_text(encoding="utf-8"))
HOURS = SETTINGS["follow_up"]["hours"]
VISIT_DAYS = SETTINGS["retention_visit"]["days"]
STATE: dict = {}  # what the journey made, for the later steps


def new_page(browser, base: str, **viewport):
    ctx = browser.new_context(base_url=base, locale="zh-CN", timezone_id="Asia/Shanghai", **viewport)
    page = ctx.new_page()
    page.requests, page.allowed_origin, page.console_errors = [], base, []
    page.on("request", lambda req: page.requests.append(req.url))
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    return ctx, page


def new_phone() -> str:
    return f"137{secrets.randbelow(10**8):08d}"


def masked(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:]


def table(page, caption: str) -> list[dict]:
    """The rows of the table with this caption, each as {column header: cell text}."""
    return page.evaluate("""(cap) => {
        const t = [...document.querySelectorAll('table')].find(t => t.caption && t.caption.textContent.trim() === cap);
        if (!t) return null;
        const head = [...t.tHead.rows[0].cells].map(c => c.textContent.trim());
        return [...t.tBodies[0].rows].map(r => Object.fromEntries([...r.cells].map((c, i) => [head[i], c.textContent.trim()])));
    }""", caption)


def seconds_left(text: str) -> int:
    """「还剩 5 小时 12 分」→ +312 min, 「已超时 3 分钟」→ -3 min (in seconds)."""
    m = re.search(r"(已超时|还剩)\s*(?:(\d+) 小时 )?(\d+) 分", text)
    assert m, f"no time left in {text!r}"
    minutes = int(m.group(2) or 0) * 60 + int(m.group(3))
    return (-1 if m.group(1) == "已超时" else 1) * minutes * 60


def station(browser, live_server) -> dict:
    """The centre (zx_wlht, desktop) adds a station to the registry and opens its master's account; the
    district's row of the tables is read first (the journey's counts are checked against it). Once per run."""
    if "station" in STATE:
        return STATE["station"]
    ctx, page = new_page(browser, live_server.url, viewport={"width": 1280, "height": 900})
    try:
        login(page, STAFF, DEMO_PASSWORD, "/console/login")
        page.goto("/console/dagong/tables")
        before = next(r for r in table(page, "各旗县市") if r["旗县市"] == DISTRICT)
        page.goto("/console/dagong/stations/new")
        name = "乌兰浩特市义勒力特镇测试嘎查工作站（测试）"  # the server's database is fresh for the session
        page.get_by_label("工作站名称").fill(name)
        page.get_by_label("旗县市").select_option(DISTRICT)
        page.get_by_label("苏木镇/街道").fill("义勒力特镇")
        page.get_by_label("嘎查/村/社区").fill("测试嘎查")
        page.get_by_label("站长姓名").fill("那仁")
        page.get_by_label("工作站电话").fill("13904820001")
        page_checks(page)
        with page.expect_navigation():
            page.get_by_role("button", name="保存").click()
        assert "工作站已保存" in page.inner_text("main"), page.inner_text("main")[:500]
        station_id = int(urlsplit(page.url).path.rsplit("/", 1)[1])
        code = re.search(r"编号 (\S+)", page.inner_text("main")).group(1)
        username = "zhanzhang_test"
        page.get_by_label("用户名").fill(username)
        page.get_by_label("初始密码（至少8位）").fill("station-pass-1")
        with page.expect_navigation():
            page.get_by_role("button", name="开通").click()
        assert "站长账号已开通" in page.inner_text("main"), page.inner_text("main")[:500]
    finally:
        ctx.close()
    STATE["station"] = {"id": station_id, "code": code, "name": name, "username": username,
                        "password": "station-pass-1", "district_before": before}
    return STATE["station"]


# --- (a) a worker signs up on a phone, with a dropped connection -------------------------------------------
def test_a_worker_signs_up_on_a_phone_and_the_draft_survives_a_dropped_connection(phone, browser, live_server):
    station(browser, live_server)
    page = phone
    page.goto("/dagong")
    expect(page.locator("main")).to_contain_text(f"{HOURS} 小时内")
    page_checks(page, "dagong-phone")
    card = page.locator("main li.result").filter(has_text=POST_TITLE).first
    with page.expect_navigation():
        card.get_by_role("link", name="报名").click()
    form_url = page.url
    assert POST_TITLE in page.inner_text("h1")
    name, tel = "其木格", new_phone()
    page.get_by_label("姓名").fill(name)
    page.get_by_label("电话").fill(tel)
    page.get_by_label("想说的话（可不填）").fill("会挤奶，想冬天出去干")
    token = page.input_value("input[name=client_token]")

    # The connection drops: the page says what was typed is kept; opening the page again fails.
    page.context.set_offline(True)
    expect(page.locator("[data-offline-note]")).to_be_visible()
    with pytest.raises(PlaywrightError):
        page.reload()
    # Back online, the worker opens the page again: a fresh form from the server, filled from the draft.
    page.context.set_offline(False)
    page.goto(form_url)
    expect(page.locator("[data-draft-note]")).to_be_visible()
    expect(page.get_by_label("姓名")).to_have_value(name)
    expect(page.get_by_label("电话")).to_have_value(tel)
    expect(page.get_by_label("想说的话（可不填）")).to_have_value("会挤奶，想冬天出去干")
    assert page.input_value("input[name=client_token]") == token, "the form's one-time key was not kept"
    expect(page.locator("[data-offline-note]")).to_be_hidden()
    page_checks(page, "dagong-form-phone")

    with page.expect_navigation():
        page.get_by_role("button", name="报名").click()
    assert urlsplit(page.url).path == "/dagong/done", page.inner_text("main")[:500]
    main = page.inner_text("main")
    assert "报名成功" in page.inner_text("h1") and POST_TITLE in main and masked(tel) in main
    created = dt.datetime.strptime(re.search(r"报名时间\s*(\d{4}-\d\d-\d\d \d\d:\d\d)", main).group(1), "%Y-%m-%d %H:%M")
    due = dt.datetime.strptime(re.search(r"客服会在\s*(\d{4}-\d\d-\d\d \d\d:\d\d)", main).group(1), "%Y-%m-%d %H:%M")
    assert due - created == dt.timedelta(hours=HOURS), (created, due)
    assert created.date().isoformat() == live_server.today  # the platform's date is the site's date
    page_checks(page, "dagong-done-phone")

    # The receipt cleared the draft: the form is empty again; the same phone for the same post is one sign-up.
    page.goto(form_url)
    expect(page.get_by_label("姓名")).to_have_value("")
    expect(page.locator("[data-draft-note]")).to_be_hidden()
    page.get_by_label("姓名").fill(name)
    page.get_by_label("电话").fill(tel)
    with page.expect_navigation():
        page.get_by_role("button", name="报名").click()
    assert "您已经报过这个岗位" in page.inner_text("h1")
    STATE["worker"] = {"name": name, "phone": tel, "created": created}


# --- (b) a station master signs people up and sends a bus --------------------------------------------------
def test_a_station_master_signs_up_on_behalf_and_creates_a_group(phone, browser, live_server):
    st = station(browser, live_server)
    page = phone
    login(page, st["username"], st["password"], "/login")
    assert urlsplit(page.url).path == "/station", page.url
    expect(page.locator("main")).to_contain_text(st["name"])
    herder = new_phone()
    post = page.locator("#posting_id option", has_text=POST_TITLE).first.get_attribute("value")
    page.get_by_label("岗位").select_option(post)
    page.get_by_label("姓名").fill("巴图")
    page.get_by_label("电话").fill(herder)
    with page.expect_navigation():
        page.get_by_role("button", name="代报名").click()
    assert "已代报名" in page.inner_text("main"), page.inner_text("main")[:500]
    row = page.locator("main table.data tbody tr").filter(has_text=masked(herder))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("已报名（待联系）")
    assert herder not in page.inner_text("main")  # the list masks the phone
    page_checks(page, "dagong-station-phone")

    with page.expect_navigation():
        page.get_by_role("link", name="新建集体报名").click()
    departure = dt.datetime.combine(dt.date.fromisoformat(live_server.today) + dt.timedelta(days=2), dt.time(7, 30))
    page.get_by_label("岗位").select_option(post)
    page.get_by_label("人数").fill("3")
    page.get_by_label("出发时间（北京时间）").fill(departure.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("出发地点").fill("义勒力特镇政府门前")
    page.get_by_label("带队人", exact=True).fill("那仁")
    page.get_by_label("带队人电话").fill("13904820001")
    page_checks(page)
    with page.expect_navigation():
        page.get_by_role("button", name="建立").click()
    assert "集体报名已建立" in page.inner_text("main"), page.inner_text("main")[:500]
    members = [("阿拉坦", new_phone()), ("朝鲁", new_phone())]
    for who, tel in members:
        page.get_by_label("姓名").fill(who)
        page.get_by_label("电话").fill(tel)
        with page.expect_navigation():
            page.get_by_role("button", name="添加").click()
        assert "已添加" in page.inner_text("main"), page.inner_text("main")[:500]
    facts = page.inner_text("main dl.kv")
    assert "计划 3 人，已报 2 人" in facts and departure.strftime("%Y-%m-%d %H:%M") in facts and "待出发" in facts
    for _who, tel in members:
        expect(page.locator("main table.data tbody tr").filter(has_text=masked(tel))).to_have_count(1)
    page_checks(page, "dagong-group-phone")
    STATE["station_signups"] = 3
    STATE["group_path"] = urlsplit(page.url).path


# --- (c) staff follow the worker up ------------------------------------------------------------------------
def test_staff_follow_up_by_time_left_contact_recommend_and_start(desktop, browser, live_server):
    if "worker" not in STATE:
        pytest.skip("the worker's sign-up (test a) did not run")
    worker = STATE["worker"]
    page = desktop
    login(page, STAFF, DEMO_PASSWORD, "/console/login")
    page.goto("/console/dagong")
    rows = page.locator("main table.data tbody tr")
    texts = [r.locator("td").nth(6).inner_text() for r in rows.all()]
    assert len(texts) >= 2
    left = [seconds_left(t) for t in texts]
    assert left == sorted(left), f"not ordered by time left: {texts}"
    assert left[0] < 0 and "已转交中心" in texts[0]  # the demo's overdue sign-up, escalated, comes first
    mine = rows.filter(has_text=masked(worker["phone"]))
    expect(mine).to_have_count(1)  # signed up twice from the phone: one sign-up
    assert worker["name"] not in page.inner_text("main")  # names are masked in the list
    assert HOURS * 3600 - 600 < seconds_left(mine.locator("td").nth(6).inner_text()) <= HOURS * 3600
    page_checks(page, "dagong-queue-desktop")
    with page.expect_navigation():
        mine.locator("a").first.click()
    signup_path = urlsplit(page.url).path
    expect(page.locator("main dl.kv")).to_contain_text(worker["phone"])  # the detail: whoever follows it up

    contact = page.locator("form[action$='/contact']")
    contact.get_by_label("方式").select_option(label="电话")
    contact.get_by_label("结果").select_option(label="已接通，完成对接")
    contact.get_by_label("记录", exact=True).fill("愿意去，下周一可出发")
    with page.expect_navigation():
        contact.get_by_role("button", name="记录").click()
    assert "已记录这次联系" in page.inner_text("main"), page.inner_text("main")[:500]
    expect(page.locator("main")).to_contain_text("联系记录（1）")
    expect(page.locator("main ul.plain").first).to_contain_text("愿意去，下周一可出发")
    expect(page.locator("main dl.kv")).to_contain_text("时限内")

    first17 = "152201" + "19880417" + f"{secrets.randbelow(900) + 100:03d}"
    idn = first17 + check_char(first17)
    page.get_by_label("身份证号", exact=True).fill(idn)
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert "已记录身份证号" in page.inner_text("main"), page.inner_text("main")[:500]
    assert idn not in page.content()

    with page.expect_navigation():
        page.get_by_role("button", name="已推荐").click()
    notice = page.locator("main p.notice").first.inner_text()
    assert notice.startswith("已推荐。"), page.inner_text("main")[:500]
    assert "未能" not in notice, notice  # the market part (求职登记 + 职业介绍) was done
    expect(page.locator("main dl.kv")).to_contain_text("已推荐给用人单位")

    today = page.get_by_label("上岗日期").input_value()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^已上岗")).click()
    assert "已记录上岗" in page.inner_text("main"), page.inner_text("main")[:500]
    facts = page.inner_text("main dl.kv")
    visit_on = (dt.date.fromisoformat(today) + dt.timedelta(days=VISIT_DAYS)).isoformat()
    assert "已上岗" in facts and f"{today}；在岗回访 {visit_on}" in facts, facts
    assert idn not in page.content()
    page_checks(page, "dagong-signup-desktop")
    STATE["signup_path"] = signup_path


# --- (d) the tables ------------------------------------------------------------------------------------
def _int(row: dict, col: str) -> int:
    return int(row[col])


def test_station_and_district_tables_count_the_journey(desktop, phone, browser, live_server):
    if not {"worker", "station_signups", "signup_path"} <= STATE.keys():
        pytest.skip("the journey (tests a–c) did not run")
    st = station(browser, live_server)
    page = desktop
    login(page, STAFF, DEMO_PASSWORD, "/console/login")
    page.goto("/console/dagong/tables")
    ours = [r for r in table(page, "各工作站") if r["工作站"] == st["name"]]
    assert len(ours) == 1, ours
    r = ours[0]
    assert (_int(r, "报名"), _int(r, "等待联系（24小时内）"), _int(r, "24小时内联系上"), _int(r, "已上岗")) == (3, 3, 0, 0), r
    assert r["24小时内联系率"] == "—"  # no clock decided yet at this station
    before = st["district_before"]
    after = next(x for x in table(page, "各旗县市") if x["旗县市"] == DISTRICT)
    delta = {k: _int(after, k) - _int(before, k) for k in ("报名", "等待联系（24小时内）", "24小时内联系上", "超时未联系",
                                                           "已上岗", "30天仍在岗")}
    # the worker (contacted in time, placed), the herder and the bus of two (waiting)
    assert delta == {"报名": 4, "等待联系（24小时内）": 3, "24小时内联系上": 1, "超时未联系": 0, "已上岗": 1,
                     "30天仍在岗": 0}, delta
    decided, in_time = _int(after, "时限已到或已联系"), _int(after, "24小时内联系上")
    assert after["24小时内联系率"] == f"{in_time / decided * 100:.1f}%"
    page_checks(page, "dagong-tables-desktop")

    # The station master's own table: their station only, the same counts.
    login(phone, st["username"], st["password"], "/login")
    phone.goto("/station/tables")
    rows = table(phone, "各工作站")
    assert [x["工作站"] for x in rows] == [st["name"]], rows
    assert _int(rows[0], "报名") == 3 and _int(rows[0], "已上岗") == 0
    page_checks(phone)


# --- every page of 打工直通车 at both widths ------------------------------------------------------------
PAGES = [  # (path or a key of STATE, who logs in: None, "master" or a staff account)
    ("/dagong", None), ("post_path", None), ("/station", "master"), ("/station/groups/new", "master"),
    ("group_path", "master"), ("/station/tables", "master"), ("/console/dagong", STAFF),
    ("signup_path", STAFF), ("/console/dagong/groups", STAFF), ("/console/dagong/stations", STAFF),
    ("/console/dagong/tables", STAFF),
]


@pytest.mark.parametrize("where,user", PAGES, ids=[p[0].strip("/").replace("/", "-") for p in PAGES])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_dagong_page_basics(request, browser, live_server, device, where, user):
    page = request.getfixturevalue(device)
    if where == "post_path":
        page.goto("/dagong")
        where = page.locator("main li.result a").first.get_attribute("href")
    path = STATE.get(where, where)
    if not path.startswith("/"):
        pytest.skip("the journey above did not run (it makes this page)")
    if user == "master":
        st = station(browser, live_server)
        login(page, st["username"], st["password"], "/login")
    elif user:
        login(page, user, DEMO_PASSWORD, "/console/login")
    resp = page.goto(path)
    assert resp.status == 200, f"{path}: {resp.status}"
    assert page.inner_text("h1").strip()
    page_checks(page)
