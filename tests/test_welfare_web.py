"""公益性岗位 through the site (TestClient, SQLite): the list without an account, 报名 (an ineligible
person sees why, 422 naming the field), the console (publish with errors naming the field, applicants
with masked IDs, 安排上岗, the monthly record), 我的公益性岗位 with the term's end and the months, and
no 500 for hostile input on any of the routes."""
from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from web_support import csrf, page_client
from welfare_support import market_db, publish, to_placement, user


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from jiuye.web.app import create_app

    mp = pytest.MonkeyPatch()
    mp.setenv("JIUYE_NOW", "2026-03-02T09:00:00")
    mp.setenv("JIUYE_TODAY", "2026-03-02")
    with market_db(tmp_path_factory.mktemp("welfare_web")) as engine:
        with Session(engine, expire_on_commit=False) as s:
            post = publish(s)
        app = create_app()
        app.state.test_engine, app.state.post_id = engine, post.id
        yield app
    mp.undo()


def test_list_and_post_without_an_account(app):
    c = page_client(app)
    page = c.get("/welfare")
    assert page.status_code == 200 and "社区保洁员" in page.text and "剩 <b>2</b> / 2" in page.text
    assert "线下报名" in page.text and "按城镇职工缴费的最低标准" in page.text and "没有给出缴费基数和金额" in page.text
    assert 'href="/welfare"' in page.text  # in the nav
    p = c.get(f"/welfare/posts/{app.state.post_id}")
    assert "登录后报名" in p.text and "三年" in p.text


def test_ineligible_citizen_is_told_why_then_signs_up_and_is_placed(app):
    c = page_client(app, "zhangmin")
    url = f"/welfare/posts/{app.state.post_id}"
    page = c.get(url)
    token = csrf(page.text)
    none = c.post(url + "/signup", data={"csrf_token": token})
    assert none.status_code == 422 and "请回答" in none.text and "has-error" in none.text
    no = c.post(url + "/signup", data={"csrf_token": token, "g_hard_to_employ_certified": "0", "phone": "13900000009"})
    assert no.status_code == 422 and "不符合" in no.text and "就业困难人员认定" in no.text and 'value="13900000009"' in no.text
    ok = c.post(url + "/signup", data={"csrf_token": token, "g_hard_to_employ_certified": "1"}, follow_redirects=True)
    assert ok.status_code == 200 and "报名成功" in ok.text and "已报名，待中心审核安排" in ok.text
    zx = page_client(app, "zx_wlht", console=True)
    console = zx.get("/console/welfare")
    assert "社区保洁员" in console.text and "发布公益性岗位" in console.text
    detail = zx.get(f"/console/welfare/posts/{app.state.post_id}")
    assert "先在案件页办理受理、审核" in detail.text and "张*" in detail.text and "*" in detail.text
    with Session(app.state.test_engine, expire_on_commit=False) as s:
        from jiuye.welfare_posts.models import WelfareSignup

        row = s.query(WelfareSignup).one()
        to_placement(s, row.case_id)
        signup_id = row.id
    detail = zx.get(f"/console/welfare/posts/{app.state.post_id}")
    placed = zx.post(f"/console/welfare/posts/{app.state.post_id}/place",
                     data={"csrf_token": csrf(detail.text), "signup": str(signup_id)}, follow_redirects=True)
    assert placed.status_code == 200 and "已安排上岗" in placed.text and 'id="places-left">1<' in placed.text
    bad = zx.post(f"/console/welfare/posts/{app.state.post_id}/month",
                  data={"csrf_token": csrf(detail.text), "signup": str(signup_id), "month": "2026-02"})
    assert bad.status_code == 422 and "早于上岗月份" in bad.text
    month = zx.post(f"/console/welfare/posts/{app.state.post_id}/month",
                    data={"csrf_token": csrf(detail.text), "signup": str(signup_id), "month": "2026-03"},
                    follow_redirects=True)
    assert "已记录本月补贴" in month.text
    mine = c.get("/my/welfare")
    assert "已上岗" in mine.text and "2029-03-02" in mine.text and "2026-03" in mine.text
    assert "没有给出该月" in mine.text  # 2026: the class of 乌兰浩特市 is not given from 2025-12-01


def test_console_publish_names_the_field(app):
    zx = page_client(app, "zx_wlht", console=True)
    page = zx.get("/console/welfare")
    r = zx.post("/console/welfare/posts", data={"csrf_token": csrf(page.text), "district": "乌兰浩特市",
                                                "post_type": "public_management", "title": "交通协管员", "unit": "交警大队",
                                                "place": "兴安南大路", "places": "-3", "start_on": "2026-03-02",
                                                "end_on": "2026-04-30", "contact": "0482-1234567"})
    assert r.status_code == 422 and "招收人数应在 1 到" in r.text and 'value="交通协管员"' in r.text
    other = page_client(app, "sq_wlht", console=True)
    assert "发布公益性岗位" not in other.get("/console/welfare").text
    # the form's limits reach the browser as attributes (an escaped 「maxlength=&#34;…&#34;」 had set none)
    inputs = re.findall(r"<input[^>]*>", page.text)
    assert inputs and not [i for i in inputs if "&#34;" in i or "&quot;" in i]
    assert re.search(r'<input[^>]*id="places"[^>]*min="1"', page.text)


@pytest.mark.parametrize("who,path", [
    (None, "/welfare?district=<script>&type=%00&page=-1"), (None, "/welfare?page=99999999999999999999"),
    (None, "/welfare/posts/abc"), (None, "/welfare/posts/-1"), (None, "/welfare/posts/99999999999999999999999"),
    (None, "/welfare/posts/%27%20OR%201=1"), ("zhangmin", "/my/welfare"), ("zx_wlht", "/console/welfare/posts/abc"),
    ("zx_zlt", "/console/welfare/posts/1"), ("zx_wlht", "/console/welfare/posts/0"), ("admin", "/console/welfare"),
])
def test_hostile_get_never_500(app, who, path):
    c = page_client(app, who, console=bool(who and who != "zhangmin"))
    r = c.get(path)
    assert r.status_code in (200, 403, 404, 422), (path, r.status_code)


@pytest.mark.parametrize("path,data", [
    ("/console/welfare/posts", {"places": "1e9", "start_on": "x" * 900, "district": "\x00"}),
    ("/console/welfare/posts", {"unknown": "1"}),
    ("/console/welfare/posts/1/place", {"signup": "abc"}), ("/console/welfare/posts/1/place", {"signup": "-5"}),
    ("/console/welfare/posts/abc/place", {"signup": "1"}), ("/console/welfare/posts/1/month", {"signup": "1", "month": "2026-99"}),
    ("/console/welfare/posts/1/month", {"signup": "1"}), ("/console/welfare/posts/1/close", {"reason": ""}),
    ("/console/welfare/posts/999999/close", {"reason": "x"}),
])
def test_hostile_console_posts_never_500(app, path, data):
    zx = page_client(app, "zx_zlt", console=True)  # another district's centre
    token = csrf(zx.get("/console/welfare").text)
    r = zx.post(path, data={"csrf_token": token, **data})
    assert r.status_code in (303, 403, 404, 422), (path, r.status_code, r.text[:300])
    assert "Traceback" not in r.text


def test_hostile_signup_never_500(app):
    c = page_client(app, "liqiang")
    token = csrf(c.get(f"/welfare/posts/{app.state.post_id}").text)
    for pid, data in (("abc", {}), ("99999", {"g_hard_to_employ_certified": "1"}),
                      (str(app.state.post_id), {"g_hard_to_employ_certified": "maybe", "phone": "x" * 400})):
        r = c.post(f"/welfare/posts/{pid}/signup", data={"csrf_token": token, **data})
        assert r.status_code in (404, 409, 422), (pid, r.status_code)
    assert page_client(app).post(f"/welfare/posts/{app.state.post_id}/signup", data={}).status_code == 403  # no CSRF
