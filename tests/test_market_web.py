"""The labour market through the site and the JSON API (FastAPI TestClient, SQLite, the demo market):
employer posts → staff review → seeker finds and applies → interview → hired → statistics, on the
pages and on the API; CSRF; masked lists; bad input answered in Chinese, never a 500."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy.orm import Session

from jiuye.cases.demo import DEMO_PASSWORD
from market_support import market_db
from jiuye.config import today as beijing_today  # the league's today (Beijing), as the code uses

HTML = {"accept": "text/html"}
LATER = (beijing_today() + dt.timedelta(days=20)).isoformat()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from jiuye.market.demo import load_demo_market
    from jiuye.web.app import create_app

    tmp = tmp_path_factory.mktemp("market_web")
    with market_db(tmp) as engine:
        with Session(engine, expire_on_commit=False) as s:
            assert load_demo_market(s)["loaded"]
        yield create_app()


def csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no csrf token on the page"
    return m.group(1)


def client(app, username: str | None = None):
    from fastapi.testclient import TestClient

    c = TestClient(app, headers=HTML)
    if username:
        login = "/console/login" if username in ("zx_wlht", "sq_wlht", "mz", "zx_zlt") else "/login"
        r = c.post(login, data={"username": username, "password": DEMO_PASSWORD, "csrf_token": csrf(c.get(login).text)},
                   follow_redirects=False)
        assert r.status_code == 303, r.text[:500]
    return c


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def post_form(c, page_url: str, action: str, data: dict, **kw):
    return c.post(action, data={**data, "csrf_token": csrf(c.get(page_url).text)}, follow_redirects=False, **kw)


def test_the_whole_path_through_the_pages(app):
    firm, staff, zhang = client(app, "xingan_food"), client(app, "zx_wlht"), client(app, "zhangmin")
    r = post_form(firm, "/employer/posts/new", "/employer/posts/new", {
        "title": "网页测试理货员", "places": "1", "district": "乌兰浩特市", "wage_min": "3600", "wage_unit": "month",
        "social_insurance": "1", "requirements": "男士优先", "valid_through": LATER, "action": "submit"})
    assert r.status_code == 303
    pid = int(re.search(r"/employer/posts/(\d+)", r.headers["location"]).group(1))
    assert "待审核" in firm.get(f"/employer/posts/{pid}").text
    assert zhang.get(f"/jobs/{pid}").status_code == 404  # not public before review
    assert f"/console/market/posts/{pid}" in staff.get("/console/market").text
    page = staff.get(f"/console/market/posts/{pid}").text
    assert "性别限制" in page and "第二十七条" in page  # the flag quotes the rule
    r = post_form(staff, f"/console/market/posts/{pid}", f"/console/market/posts/{pid}/review", {"decision": "approve"})
    assert r.status_code == 422 and "写明" in r.text
    r = post_form(staff, f"/console/market/posts/{pid}", f"/console/market/posts/{pid}/review",
                  {"decision": "approve", "note": "单位已同意删除「男士优先」"})
    assert r.status_code == 303
    assert "网页测试理货员" in zhang.get("/jobs?q=理货员").text
    r = post_form(zhang, f"/jobs/{pid}", f"/jobs/{pid}/apply", {"note": "我想试试"})
    assert r.status_code == 303 and r.headers["location"].startswith("/my/jobs")
    assert "网页测试理货员" in zhang.get("/my/jobs").text
    page = firm.get(f"/employer/posts/{pid}").text
    aid = int(re.search(r"/employer/applications/(\d+)/invite", page).group(1))
    assert "张敏（演示）" in page and "152201" not in text(page)  # the applicant's name for the employer, no 身份证号
    when = (beijing_today() + dt.timedelta(days=1)).isoformat()
    r = post_form(firm, f"/employer/posts/{pid}", f"/employer/applications/{aid}/invite",
                  {"date": when, "time": "10:30", "place": "公司一楼"})
    assert r.status_code == 303
    msgs = zhang.get("/messages").text
    assert "面试邀请" in msgs and f"{when} 10:30" in msgs
    r = post_form(firm, f"/employer/posts/{pid}", f"/employer/applications/{aid}/decide", {"outcome": "hired"})
    assert r.status_code == 303
    mine = text(zhang.get("/my/jobs").text)
    assert "已录用" in mine and "经本平台录用" in mine
    stats = staff.get("/console/market/stats").text
    assert "<svg" in stats and "岗位满足率" in stats and "<script" not in stats.split("</header>")[1]
    xlsx = staff.get("/console/market/stats.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_csrf_and_roles_on_the_pages(app):
    zhang, firm = client(app, "zhangmin"), client(app, "xingan_food")
    r = zhang.post("/jobs/1/apply", data={"note": "x"}, follow_redirects=False)
    assert r.status_code == 403 and "CSRF" in r.text
    assert firm.get("/my/jobs").status_code == 403  # an employer account is no seeker
    assert zhang.get("/employer").status_code == 403
    assert client(app).get("/console/market", follow_redirects=False).status_code == 303  # staff login
    assert zhang.get("/console/market", follow_redirects=False).status_code == 303


def test_lists_mask_personal_data(app):
    from jiuye.market.demo import WINDOW_SEEKERS

    staff = client(app, "sq_wlht")
    page = staff.get("/console/market/seekers").text
    for name, idn, phone, _rec in WINDOW_SEEKERS:
        assert idn not in page and phone not in page
        if idn.startswith("152201"):
            assert name not in page and idn[:6] + "********" + idn[-4:] in page
    detail = staff.get("/console/market/seekers/3").text
    assert "********" in detail  # the 身份证号 stays masked on the detail page too


def test_window_registration_from_the_console(app):
    from jiuye.idcard import check_char

    staff = client(app, "sq_wlht")
    idn = "15220119950505" + "123"
    idn += check_char(idn)
    r = post_form(staff, "/console/market/seekers/new", "/console/market/seekers/new", {
        "name": "窗口新人", "id_number": idn, "phone": "13911112222", "desired_titles": "保安、门卫",
        "districts": "乌兰浩特市", "expected_wage": "3000", "expected_wage_unit": "month"})
    assert r.status_code == 303
    page = staff.get(r.headers["location"]).text
    assert "已办理" in page and "保安" in page and idn not in page
    r = post_form(staff, "/console/market/seekers/new", "/console/market/seekers/new", {
        "name": "窗口新人", "id_number": idn, "desired_titles": "保安"})
    assert r.status_code == 409  # one open registration per person
    r = post_form(staff, "/console/market/seekers/new", "/console/market/seekers/new", {
        "name": "错号", "id_number": "152201199505051230", "desired_titles": "保安"})
    assert r.status_code == 422 and "身份证号" in r.text


@pytest.mark.parametrize("path,status", [("/jobs?wage_min=abc", 422), ("/jobs/99999999999", 404), ("/jobs/0", 404),
                                         ("/jobs?district=火星", 422), ("/jobs?page=-5", 200)])
def test_bad_addresses_are_answered_in_chinese(app, path, status):
    r = client(app).get(path)
    assert r.status_code == status and "Traceback" not in r.text
    assert re.search(r"[\u4e00-\u9fff]", r.text)


def test_a_bad_post_form_names_the_field(app):
    firm = client(app, "xingan_food")
    r = post_form(firm, "/employer/posts/new", "/employer/posts/new", {
        "title": "x", "places": "很多", "district": "乌兰浩特市", "action": "submit"})
    assert r.status_code == 422 and "招用人数" in r.text
    r = post_form(firm, "/employer/posts/new", "/employer/posts/new", {
        "title": "x", "places": "1", "district": "乌兰浩特市", "wage_min": "5000", "wage_max": "100", "action": "draft"})
    assert r.status_code == 422 and "工资上限" in r.text


def test_import_page_reports_rows(app):
    firm = client(app, "xingan_food")
    data = "岗位名称,招用人数,工作地点,有效期至\n包装工,2,乌兰浩特市,{0}\n,1,乌兰浩特市,{0}\n".format(LATER).encode("gbk")
    r = firm.post("/employer/import", data={"csrf_token": csrf(firm.get("/employer/import").text), "submit": "1"},
                  files={"file": ("岗位.csv", data, "text/csv")})
    assert r.status_code == 200 and "导入 1 个岗位" in r.text and "第 3 行" in r.text
    r = firm.get("/employer/export.csv")
    assert r.status_code == 200 and "岗位名称" in r.content.decode("utf-8-sig")


# --- the JSON API ------------------------------------------------------------------------------------
def token(app, username, password=DEMO_PASSWORD):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        r = c.post("/api/auth/login", json={"username": username, "password": password})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}


def test_the_whole_path_through_the_api(app):
    from fastapi.testclient import TestClient
    from jiuye.cases.security import credit_code_with_check

    c = TestClient(app)
    code = credit_code_with_check("91152201MA0APX001")
    r = c.post("/api/market/employers/signup", json={"credit_code": code[:-1] + "0" if code[-1] != "0" else code[:-1] + "1",
                                                     "name": "接口测试公司", "district": "乌兰浩特市", "username": "api_firm",
                                                     "password": "secret-123"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "credit_code"
    r = c.post("/api/market/employers/signup", json={"credit_code": code, "name": "接口测试公司", "district": "乌兰浩特",
                                                     "username": "api_firm", "password": "secret-123", "kind": "agency",
                                                     "licence_no": "（蒙）人服证字第123号"})
    assert r.status_code == 201 and r.json()["kind"] == "agency"
    firm = token(app, "api_firm", "secret-123")
    body = {"title": "接口测试收银员", "employer_name": "某便利店", "places": 2, "district": "乌兰浩特市", "wage_min": 3000,
            "social_insurance": True, "valid_through": LATER, "submit": True}
    r = c.post("/api/market/postings", json=body, headers=firm)
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["state"] == "pending" and p["by_agency"] and any(f["rule"] == "account_unverified" for f in p["flags"])
    assert c.get(f"/api/market/postings/{p['id']}").status_code == 404  # not public yet
    r = c.post("/api/market/postings", json={**body, "title": ""}, headers=firm)
    assert r.status_code == 422
    staff = token(app, "zx_wlht")
    r = c.post(f"/api/market/postings/{p['id']}/review", json={"decision": "approve", "note": "已电话核实单位"}, headers=staff)
    assert r.status_code == 200 and r.json()["state"] == "published"
    assert any(x["id"] == p["id"] for x in c.get("/api/market/postings", params={"q": "收银"}).json()["postings"])
    seeker = token(app, "liqiang")  # his demo registration closed with a hire: he registers again
    r = c.post("/api/market/seekers", json={"desired_titles": ["收银员"], "districts": ["乌兰浩特市"], "expected_wage": 2800},
               headers=seeker)
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    matches = c.get(f"/api/market/seekers/{sid}/matches", headers=seeker).json()
    assert any(m["posting"]["id"] == p["id"] and m["reasons"] for m in matches)
    r = c.post("/api/market/applications", json={"posting_id": p["id"], "note": "有经验"}, headers=seeker)
    assert r.status_code == 201
    aid = r.json()["id"]
    assert c.post("/api/market/applications", json={"posting_id": p["id"]}, headers=seeker).status_code == 409
    other = token(app, "zhangmin")
    assert c.get(f"/api/market/applications/{aid}", headers=other).status_code == 404  # not hers
    assert c.get(f"/api/market/postings/{p['id']}/applications", headers=token(app, "xingan_food")).status_code == 403
    apps = c.get(f"/api/market/postings/{p['id']}/applications", headers=firm).json()
    assert apps[0]["seeker"]["id_number"] is None and apps[0]["seeker"]["name"] == "李强（演示）"
    at = dt.datetime.combine(beijing_today() + dt.timedelta(days=2), dt.time(9)).isoformat()
    r = c.post(f"/api/market/applications/{aid}/invite", json={"at": at, "place": "店里"}, headers=firm)
    assert r.status_code == 200 and r.json()["state"] == "interview"
    assert c.post(f"/api/market/applications/{aid}/decide", json={"outcome": "rejected"}, headers=firm).status_code == 422
    r = c.post(f"/api/market/applications/{aid}/decide", json={"outcome": "hired"}, headers=firm)
    assert r.status_code == 200 and r.json()["posting"]["places_left"] == 1
    assert c.get(f"/api/market/seekers/{sid}", headers=seeker).json()["state"] == "closed"
    kinds = [m["kind"] for m in c.get("/api/market/messages", headers=seeker).json()]
    assert {"interview", "application_result", "registration_closed"} <= set(kinds)
    st = c.get("/api/market/stats", headers=staff).json()
    assert st["totals"]["hires"] >= 1 and st["scope"] == "乌兰浩特市"
    assert c.get("/api/market/stats", headers=seeker).status_code == 403
    r = c.get("/api/market/stats/export", params={"format": "csv"}, headers=staff)
    assert r.status_code == 200 and "统计项" in r.content.decode("utf-8-sig")
    r = c.post("/api/market/postings/import", headers=firm, files={"file": ("p.csv", "岗位名称,用人单位名称,工作地点\n理货员,某超市,乌兰浩特市\n"
                                                                              .encode("utf-8"), "text/csv")})
    assert r.status_code == 201 and r.json()["accepted"] == 1
    assert c.get("/api/market/postings/export", params={"format": "xlsx"}, headers=firm).content[:2] == b"PK"


def test_a_search_with_nothing_found_offers_the_nearest_posts_and_says_what_was_let_go(app):
    """「乌兰浩特 电焊 八千以上」: no welding post pays that much, so the page lists the welding posts of
    乌兰浩特 found without the wage floor and says so; the kind of work is never let go of."""
    from jiuye.market import postings
    from jiuye.store.db import default_engine

    with Session(default_engine()) as s:
        exact, _ = postings.search(s, q="乌兰浩特 电焊 八千以上")
        _, without_wage = postings.search(s, q="乌兰浩特 电焊")
        relaxed, near = postings.search_nearby(s, q="乌兰浩特 电焊 八千以上")
        assert exact == 0 and without_wage, "the demo market should have welding posts in 乌兰浩特 below 8,000"
        assert relaxed == ["工资要求"]
        assert {p.id for p in near} == {p.id for p in without_wage}
        # nothing but words that name no work: nothing to let go of, so no 'nearby' list
        assert postings.search_nearby(s, q="宇航员") == ([], [])
    page = text(client(app).get("/jobs", params={"q": "乌兰浩特 电焊 八千以上"}).text)
    assert "共 0 个岗位" in page and "不限工资要求时找到的岗位" in page
    assert all(v["title"] in page for v in map(postings.view, without_wage))
