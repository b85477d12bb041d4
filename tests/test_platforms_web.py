"""打工直通车 through the site and the JSON API (FastAPI TestClient, SQLite, the demo market and
stations): a worker at a station's terminal signs up with name and phone (no account; a bad field
keeps what was typed; the same form sent twice is one sign-up), a station master signs people up and
sends a bus, staff follow up in the console (contact, 身份证号, 推荐, 上岗, the visit), the tables and
their export; masked lists, CSRF, no 500 for odd input, nothing personal in the log."""
from __future__ import annotations

import io
import logging
import re

import pytest

from platforms_support import WLHT, dagong_db
from web_support import api_client as api, csrf, page_client, text

STAFF = {"zx_wlht", "sq_wlht", "mz", "zx_zlt", "rsj_wlht", "czj_wlht"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from jiuye.web.app import create_app

    with dagong_db(tmp_path_factory.mktemp("dagong_web")):
        yield create_app()


def client(app, username: str | None = None):
    return page_client(app, username, console=username in STAFF)


def first_post(c, station: str = WLHT, title: str = "食品包装工") -> int:
    page = c.get(f"/dagong?station={station}").text
    m = re.search(r'href="/dagong/posts/(\d+)\?station=[^"]+"><b>' + title, page)
    assert m, "no post on the page"
    return int(m.group(1))


def test_a_worker_signs_up_at_a_terminal(app, caplog):
    c = client(app)
    page = c.get(f"/dagong?station={WLHT}").text
    assert "乌兰浩特市葛根庙镇打工直通车工作站（演示）" in page and "24 小时内" in page and "《兴安盟现行就业政策百问百答》" in page
    pid = first_post(c)
    form = c.get(f"/dagong/posts/{pid}?station={WLHT}").text
    assert 'data-draft="dagong-' in form and '<script src="/static/dagong-draft.js" defer></script>' in form
    assert "<script>" not in form and "身份证号" in form  # no inline script; the ID number is not asked
    token = re.search(r'name="client_token" value="([^"]+)"', form).group(1)
    data = {"name": "额尔敦", "phone": "139", "note": "会开拖拉机", "client_token": token, "station": WLHT,
            "csrf_token": csrf(form)}
    with caplog.at_level(logging.DEBUG, logger="jiuye"):
        r = c.post(f"/dagong/posts/{pid}", data=data, follow_redirects=False)
        assert r.status_code == 422 and "11位手机号" in r.text
        assert 'value="额尔敦"' in r.text and "会开拖拉机" in r.text and f'value="{token}"' in r.text  # nothing lost
        r = c.post(f"/dagong/posts/{pid}", data={**data, "phone": "13904827777"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/dagong/done?t={token}"
        again = c.post(f"/dagong/posts/{pid}", data={**data, "phone": "13904827777"}, follow_redirects=False)
        assert again.headers["location"] == r.headers["location"]  # the same form: the same sign-up
    done = c.get(r.headers["location"]).text
    assert "报名成功" in done and "额*敦" in done and "139****7777" in done and f'data-draft-clear="dagong-{pid}"' in done
    assert "13904827777" not in caplog.text and "额尔敦" not in caplog.text
    zx = api(app, "zx_wlht")
    rows = [x for x in zx.get("/api/dagong/signups", params={"tab": "contact"}).json()["signups"]
            if x["phone"] == "139****7777"]
    assert len(rows) == 1 and rows[0]["channel_label"] == "工作站终端报名" and rows[0]["station_name"].startswith("乌兰浩特市葛根庙镇")


def test_without_csrf_nothing_is_saved(app):
    c = client(app)
    pid = first_post(c)
    r = c.post(f"/dagong/posts/{pid}", data={"name": "张三", "phone": "13904820000"}, follow_redirects=False)
    assert r.status_code == 403


def test_a_station_master_signs_up_and_sends_a_bus(app):
    c = client(app, "zhanzhang_wlht")
    home = c.get("/station").text
    assert "乌兰浩特市葛根庙镇打工直通车工作站（演示）" in home and "为群众报名" in home
    assert 'data-draft="station-signup"' in home
    pid = re.search(r'<option value="(\d+)"[^>]*>食品包装工', home).group(1)
    token = re.search(r'name="client_token" value="([^"]+)"', home).group(1)
    r = c.post("/station/signups", data={"posting_id": pid, "name": "乌云其木格", "phone": "13904826666",
                                         "client_token": token, "csrf_token": csrf(home)}, follow_redirects=False)
    assert r.status_code == 303
    home = c.get("/station?done=signed").text
    assert "已代报名" in home and "乌***格" in home and "乌云其木格" not in home and "13904826666" not in home
    sid = int(re.search(r'href="/station/signups/(\d+)">[^<]*</a></td><td><a href="/station/signups/\d+">乌\*\*\*格', home).group(1))
    detail = c.get(f"/station/signups/{sid}").text
    assert "乌云其木格" in detail and "13904826666" in detail
    other = client(app, "zhanzhang_zlt")
    assert other.get(f"/station/signups/{sid}").status_code == 404
    assert client(app, "zhangmin").get("/station", follow_redirects=False).status_code == 303  # not a station master
    # withdraw (nobody called yet)
    r = c.post(f"/station/signups/{sid}/withdraw", data={"note": "改主意了", "csrf_token": csrf(detail)}, follow_redirects=False)
    assert r.status_code == 303 and "已结束" in c.get(f"/station/signups/{sid}").text
    # a group
    form = c.get("/station/groups/new").text
    r = c.post("/station/groups", data={"posting_id": pid, "size": "2", "departure_at": "2099-01-01T08:00",
                                        "departure_place": "葛根庙镇政府", "escort_name": "刘站长", "escort_phone": "13904829004",
                                        "csrf_token": csrf(form)}, follow_redirects=False)
    assert r.status_code == 303
    gpage = c.get(r.headers["location"]).text
    gid = int(re.search(r"/station/groups/(\d+)", r.headers["location"]).group(1))
    assert "集体报名已建立" in gpage and "刘站长" in gpage
    r = c.post(f"/station/groups/{gid}/members", data={"name": "巴图", "phone": "1390482", "csrf_token": csrf(gpage)},
               follow_redirects=False)
    assert r.status_code == 422 and 'value="巴图"' in r.text
    r = c.post(f"/station/groups/{gid}/members", data={"name": "巴图", "phone": "13904826001", "csrf_token": csrf(gpage)},
               follow_redirects=False)
    assert r.status_code == 303 and "巴*" in c.get(f"/station/groups/{gid}").text
    r = c.post(f"/station/groups/{gid}/nonsense", data={"csrf_token": csrf(gpage)})
    assert r.status_code == 404


def test_staff_follow_up_in_the_console(app):
    staff, master = client(app, "sq_wlht"), client(app, "zhanzhang_wlht")
    home = master.get("/station").text
    pid = re.search(r'<option value="(\d+)"[^>]*>食品包装工', home).group(1)
    master.post("/station/signups", data={"posting_id": pid, "name": "包金山", "phone": "13904825555",
                                          "csrf_token": csrf(home)})
    queue = staff.get("/console/dagong").text
    assert "还剩 23 小时" in queue or "还剩 24 小时" in queue
    assert "包*山" in queue and "13904825555" not in queue
    sid = re.search(r'href="/console/dagong/signups/(\d+)">包\*山', queue).group(1)
    page = staff.get(f"/console/dagong/signups/{sid}").text
    assert "包金山" in page and "记录联系" in page
    url = f"/console/dagong/signups/{sid}"

    def act(action, **data):
        return staff.post(f"{url}/{action}", data={**data, "csrf_token": csrf(staff.get(url).text)}, follow_redirects=False)

    assert act("contact", result="no_answer", channel="phone").status_code == 303
    assert act("contact", result="reached", channel="phone", note="愿意去").status_code == 303
    page = staff.get(url).text
    assert "无人接听" in page and "已接通" in page and "共联系 2 次" in page and "时限内" in page
    r = act("identify", id_number="152201199001011234")
    assert r.status_code == 422 and "身份证号无效" in r.text and "152201199001011234" not in r.text
    from jiuye.idcard import check_char

    idn = "15220119900101123"
    idn += check_char(idn)
    assert act("identify", id_number=idn).status_code == 303
    r = act("recommend", note="推荐")
    assert r.status_code == 303
    page = staff.get(url).text
    assert "已推荐给用人单位" in page and idn not in page
    assert act("start", started_on="2000-01-01").status_code == 422  # before the sign-up
    assert act("start", started_on="").status_code == 422
    import datetime as dt

    from jiuye.platforms import clock

    assert act("start", started_on=clock.today().isoformat()).status_code == 303
    r = act("visit", still_working="1")
    assert r.status_code == 409 and "回访日期未到" in r.text
    assert act("close", reason="other").status_code == 422
    assert act("nonsense").status_code == 404
    tables = staff.get("/console/dagong/tables").text
    assert "24小时内联系率" in tables and "乌兰浩特市葛根庙镇打工直通车工作站（演示）" in tables
    csv = staff.get("/console/dagong/tables.csv")
    assert csv.status_code == 200 and "24小时内联系上" in csv.content.decode("utf-8-sig")
    xlsx = staff.get("/console/dagong/tables.xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.content)).active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["类别", "旗县市", "工作站"] and "30天在岗率" in header
    assert dt  # noqa


def test_the_centre_edits_the_registry(app):
    zx, sq = client(app, "zx_wlht"), client(app, "sq_wlht")
    page = zx.get("/console/dagong/stations").text
    assert "资料称全盟有 400 个" in text(page) and "演示" in page
    form = zx.get("/console/dagong/stations/new").text
    r = zx.post("/console/dagong/stations/new", data={"name": "", "district": "乌兰浩特市", "csrf_token": csrf(form)},
                follow_redirects=False)
    assert r.status_code == 422 and "工作站名称" in r.text
    r = zx.post("/console/dagong/stations/new", data={"name": "义勒力特镇某嘎查工作站", "district": "乌兰浩特市",
                                                       "town": "义勒力特镇", "phone": "0482-1234567", "csrf_token": csrf(form)},
                follow_redirects=False)
    assert r.status_code == 303
    url = r.headers["location"].split("?")[0]
    page = zx.get(url).text
    assert "义勒力特镇某嘎查工作站" in page and "开通站长账号" in page and "工作台" in page
    r = zx.post(f"{url}/master", data={"username": "zz_ylt", "password": "short", "csrf_token": csrf(page)})
    assert r.status_code == 422 and "至少8位" in r.text
    r = zx.post(f"{url}/master", data={"username": "zz_ylt", "password": "long-enough-1", "display_name": "张站长",
                                       "csrf_token": csrf(page)}, follow_redirects=False)
    assert r.status_code == 303 and "站长账号已开通" in zx.get(r.headers["location"]).text
    assert sq.get(url).status_code == 403  # a 社区 clerk reads the registry, does not edit it
    assert client(app, "zx_zlt").get(url).status_code == 404  # another district's station


def test_the_api(app):
    anon = api(app)
    posts = anon.get("/api/dagong/posts").json()
    pid = next(p["id"] for p in posts["posts"] if p["title"] == "食品包装工")
    assert anon.get("/api/dagong/about").json()["follow_up_hours"] == 24
    r = anon.post("/api/dagong/signups", json={"posting_id": pid, "name": "王五", "phone": "13904824444",
                                                "client_token": "api-token-0000000001"})
    assert r.status_code == 201 and r.json()["name"] == "王*" and r.json()["state_label"] == "已报名（待联系）"
    again = anon.post("/api/dagong/signups", json={"posting_id": pid, "name": "王五", "phone": "13904824444",
                                                    "client_token": "api-token-0000000001"})
    assert again.status_code == 200 and again.json()["again"] and again.json()["id"] == r.json()["id"]
    bad = anon.post("/api/dagong/signups", json={"posting_id": pid, "name": "王五", "phone": "abc"})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "phone"
    assert anon.post("/api/dagong/signups", json={"posting_id": 0, "name": "x", "phone": "1"}).status_code == 422
    assert anon.get("/api/dagong/signups").status_code == 401
    sid = r.json()["id"]
    zx, zlt, master = api(app, "zx_wlht"), api(app, "zx_zlt"), api(app, "zhanzhang_wlht")
    assert zlt.get(f"/api/dagong/signups/{sid}").status_code == 404
    assert master.get(f"/api/dagong/signups/{sid}").status_code == 404  # not signed up at their station
    d = zx.get(f"/api/dagong/signups/{sid}").json()
    assert d["name"] == "王五" and d["phone"] == "13904824444" and d["contacts"] == []
    assert zx.post(f"/api/dagong/signups/{sid}/contacts", json={"result": "bogus"}).status_code == 422
    r = zx.post(f"/api/dagong/signups/{sid}/contacts", json={"result": "reached", "version": 999})
    assert r.status_code == 409
    r = zx.post(f"/api/dagong/signups/{sid}/contacts", json={"result": "reached", "note": "好"})
    assert r.status_code == 200 and r.json()["state"] == "contacted" and r.json()["contacted_in_time"] is True
    assert zlt.post(f"/api/dagong/signups/{sid}/contacts", json={"result": "reached"}).status_code == 404
    assert master.post(f"/api/dagong/signups/{sid}/withdraw", json={}).status_code == 404
    r = zx.post(f"/api/dagong/signups/{sid}/recommend", json={})
    assert r.status_code == 200 and "身份证号" in r.json()["market_note"]
    t = zx.get("/api/dagong/tables").json()
    assert t["totals"]["signups"] >= 1 and {c["key"] for c in t["columns"]} >= {"in_time_rate", "retention_rate"}
    x = zx.get("/api/dagong/tables/export", params={"format": "csv"})
    import csv

    table = list(csv.reader(io.StringIO(x.content.decode("utf-8-sig"))))
    assert x.status_code == 200 and table[0][:3] == ["类别", "旗县市", "工作站"]
    total = next(r for r in table if r[0] == "合计")
    assert total[1] == "乌兰浩特市" and int(total[3]) == t["totals"]["signups"]
    st = zx.get("/api/dagong/stations").json()
    assert st["declared"]["count"] == 400 and all(x["district"] == "乌兰浩特市" for x in st["stations"])
    assert api(app, "zhangmin").get("/api/dagong/tables").status_code == 403
    assert api(app, "admin").post(f"/api/dagong/signups/{sid}/close", json={"reason": "declined"}).status_code == 403


@pytest.mark.parametrize("url", ["/dagong/posts/abc", "/dagong/posts/99999999999999", "/dagong/posts/0",
                                 "/dagong?page=-1&district=%00", "/dagong/done?t=../../x", "/console/dagong/signups/0",
                                 "/console/dagong?tab=bogus", "/console/dagong/tables?start=2026-13-01",
                                 "/console/dagong/stations/99999999999", "/console/dagong/tables.pdf",
                                 "/api/dagong/signups/99999999999", "/api/dagong/posts?limit=0"])
def test_odd_input_is_never_a_500(app, url):
    c = client(app, "zx_wlht")
    r = c.get(url)
    assert r.status_code < 500, (url, r.status_code)
    assert "Traceback" not in r.text and "/work/" not in r.text


def test_pages_show_no_raw_codes(app):
    """No state, channel, result, reason or role code is visible text on any 打工直通车 page."""
    from jiuye.cases import roles
    from jiuye.platforms import access, signups
    from jiuye.platforms.settings import dagong
    from test_console_labels import raw_codes_in, visible_text

    cfg = dagong()
    codes = (set(access.SIGNUP_STATES) | set(signups.CHANNEL_LABELS) | set(cfg.contact_results) | set(cfg.contact_channels)
             | set(cfg.close_reasons) | set(access.GROUP_STATES) | set(access.STATION_STATES) | set(roles.ROLES)
             | set(signups.TABS))
    zx, master, anon = client(app, "zx_wlht"), client(app, "zhanzhang_wlht"), client(app)
    queue = zx.get("/console/dagong?tab=all").text
    pages = {("zx", f"/console/dagong?tab={t}") for t in signups.TABS}
    pages |= {("zx", u) for u in set(re.findall(r'href="(/console/dagong/signups/\d+)"', queue))}
    stations_page = zx.get("/console/dagong/stations").text
    pages |= {("zx", u) for u in set(re.findall(r'href="(/console/dagong/stations/\d+)"', stations_page))}
    pages |= {("zx", "/console/dagong/stations"), ("zx", "/console/dagong/stations/new"), ("zx", "/console/dagong/groups"),
              ("zx", "/console/dagong/tables"), ("master", "/station"), ("master", "/station/tables"),
              ("master", "/station/groups/new"), ("anon", "/dagong"), ("anon", f"/dagong?station={WLHT}")}
    home = master.get("/station").text
    pages |= {("master", u) for u in set(re.findall(r'href="(/station/(?:signups|groups)/\d+)"', home))}
    pid = first_post(anon)
    pages.add(("anon", f"/dagong/posts/{pid}"))
    who = {"zx": zx, "master": master, "anon": anon}
    found = {}
    for name, url in sorted(pages):
        r = who[name].get(url)
        assert r.status_code == 200, url
        bad = raw_codes_in(visible_text(r.text), codes)
        if bad:
            found[url] = sorted(bad)
    assert len(pages) > 15 and not found, found


def test_the_tables_scroll_sideways_by_keyboard_too(app):
    """The station / district tables are wider than a phone: their scrolling wrapper holds no link or
    field, so it must take the keyboard focus itself and be named (axe-core scrollable-region-focusable,
    found by tests/browser/test_dagong_journey.py at 360 px)."""
    for who, url in (("zx_wlht", "/console/dagong/tables"), ("zhanzhang_wlht", "/station/tables")):
        html = client(app, who).get(url).text
        wraps = re.findall(r'<div class="table-wrap"([^>]*)>(.*?)</div>', html, re.S)
        assert len(wraps) == 2, url
        for attrs, inner in wraps:
            assert "<a " not in inner and "<input" not in inner  # nothing inside to focus
            assert 'tabindex="0"' in attrs and 'role="region"' in attrs and re.search(r'aria-label="[^"]+"', attrs), attrs


def test_report_dates_out_of_range_are_refused_not_a_server_error():
    """Found by Schemathesis: /api/dagong/tables?start=0001-01-01 answered 500."""
    from jiuye.web.api_platforms import _report_dates
    import datetime as dt
    from fastapi import HTTPException

    with pytest.raises(HTTPException) as exc:
        _report_dates(dt.date(1, 1, 1), None)
    assert exc.value.status_code == 422 and exc.value.detail["field"] == "start" and "2000-01-01" in exc.value.detail["message"]
    _report_dates(dt.date(2024, 1, 1), dt.date(2024, 12, 31))  # an ordinary period passes
