"""创业服务 through the site and the JSON API (TestClient, SQLite, the demo accounts and the startup
demo): a founder browses the library, filters, expresses interest, applies to a base with a plan
upload; the centre assigns reviewers, each reviewer declares (a conflict bars scoring) and scores,
the centre decides; the founder then opens the prefilled 一次性创业补贴 application; the API answers
with masked contacts and 404 for what one may not see; odd input is never a 500; no raw codes."""
from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from market_support import market_db
from web_support import api_client as api, csrf, page_client, text

STAFF = {"zx_wlht", "jd_wlht", "rsj_wlht", "sq_wlht", "zx_zlt", "mz"}
PDF = b"%PDF-1.4\n% a business plan\n"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from jiuye.startup.demo import load_demo_startup
    from jiuye.web.app import create_app

    with market_db(tmp_path_factory.mktemp("startup_web")) as engine:
        with Session(engine, expire_on_commit=False) as s:
            assert load_demo_startup(s)["loaded"]
        yield create_app()


def client(app, username: str | None = None):
    return page_client(app, username, console=username in STAFF)


def test_founder_reviewers_and_centre_end_to_end(app):
    anon = client(app)
    page = anon.get("/startup?district=乌兰浩特市&max_investment=100000").text
    assert "草原奶茶连锁加盟" in page and "牛肉干加工合作" not in page  # 扎赉特旗, 300000 元
    pid = int(re.search(r'href="/startup/projects/(\d+)"><b>草原奶茶', page).group(1))
    detail = text(anon.get(f"/startup/projects/{pid}").text)
    assert "优先享受创业担保贷款扶持" in detail and "003" not in detail.split("原文")[0][-3:]
    assert "13800000001" not in detail and "138****0001" in detail  # masked for the public
    # a founder (李强: no interest yet) expresses interest
    li = client(app, "liqiang")
    form = li.get(f"/startup/projects/{pid}").text
    r = li.post(f"/startup/projects/{pid}/interest", data={"phone": "139", "csrf_token": csrf(form)})
    assert r.status_code == 422 and "电话号码" in r.text
    r = li.post(f"/startup/projects/{pid}/interest", data={"phone": "13904821234", "note": "想加盟",
                                                           "csrf_token": csrf(form)}, follow_redirects=False)
    assert r.status_code == 303
    assert "已收到您的意向" in li.get(r.headers["location"]).text
    zx = client(app, "zx_wlht")
    console = zx.get("/console/startup").text
    assert "13904821234" in console and "想加盟" in console
    # the founder applies to a base: a bad period is refused naming it, nothing saved
    url = "/startup/bases/wlht-dianzishangwu/apply"
    form = li.get(url).text
    data = {"business_name": "强哥奶茶", "plan_summary": "门店加盟", "first_business": "1", "planned_jobs": "2",
            "months_requested": "48", "business_registration_date": "2025-03-01", "csrf_token": csrf(form)}
    r = li.post(url, data=data, files={"plan": ("plan.pdf", PDF, "application/pdf")})
    assert r.status_code == 422 and "3年" in r.text and "强哥奶茶" in r.text
    r = li.post(url, data={**data, "months_requested": "36"}, files={"plan": ("plan.pdf", PDF, "application/pdf")},
                follow_redirects=False)
    assert r.status_code == 303
    app_url = r.headers["location"].split("?")[0]
    assert "已提交，待指派评审" in li.get(app_url).text
    # a reviewer not yet assigned sees nothing
    jd, rsj, sq = client(app, "jd_wlht"), client(app, "rsj_wlht"), client(app, "sq_wlht")
    assert jd.get(app_url).status_code == 404
    page = zx.get(app_url).text
    ids = dict((name, uid) for uid, name in re.findall(r'name="reviewers" value="(\d+)"> ([^<]+)</label>', page))
    jd_id, rsj_id, sq_id = ids["和平街道劳动保障所经办人"], ids["乌兰浩特市人社局审批人"], ids["和平街道新城社区（演示）经办人"]
    assert "乌兰浩特市人力资源和就业服务中心经办人" not in ids  # the one who decides is not offered as a reviewer
    r = zx.post(f"{app_url}/assign", data={"reviewers": [jd_id], "csrf_token": csrf(page)})
    assert r.status_code == 422 and "至少指派 2 名评审" in r.text
    r = zx.post(f"{app_url}/assign", data={"reviewers": [jd_id, rsj_id], "csrf_token": csrf(page)}, follow_redirects=False)
    assert r.status_code == 303
    # reviewer 1 declares a conflict: no score form, a score is refused
    page = jd.get(app_url).text
    assert "声明利益冲突" in page and 'action="' + app_url + '/score"' not in page
    jd.post(f"{app_url}/declare", data={"conflict": "1", "note": "是我表弟", "csrf_token": csrf(page)})
    r = jd.post(f"{app_url}/score", data={"score": "90", "comment": "好", "csrf_token": csrf(page)})
    assert r.status_code == 403 and "利益冲突" in r.text
    # reviewer 2 scores; the reviewer's page shows only their own review
    page = rsj.get(app_url).text
    rsj.post(f"{app_url}/declare", data={"conflict": "0", "csrf_token": csrf(page)})
    page = rsj.get(app_url).text
    rsj.post(f"{app_url}/score", data={"score": "75", "comment": "可行", "csrf_token": csrf(page)})
    assert "我的评审" in (mine := text(rsj.get(app_url).text)) and "是我表弟" not in mine and "评审 1" not in mine
    # one valid score is not enough: the centre adds a third reviewer
    page = zx.get(app_url).text
    r = zx.post(f"{app_url}/decide", data={"admit": "1", "reason": "好", "csrf_token": csrf(page)})
    assert r.status_code == 422 and "还需要 1 名" in r.text
    zx.post(f"{app_url}/assign", data={"reviewers": [sq_id], "csrf_token": csrf(page)})
    page = sq.get(app_url).text
    sq.post(f"{app_url}/declare", data={"conflict": "0", "csrf_token": csrf(page)})
    sq.post(f"{app_url}/score", data={"score": "85", "comment": "很好", "csrf_token": csrf(sq.get(app_url).text)})
    page = zx.get(app_url).text
    assert "平均 80.0 分" in text(page)
    r = zx.post(f"{app_url}/decide", data={"admit": "1", "reason": "平均80分，计划可行", "csrf_token": csrf(page)},
                follow_redirects=False)
    assert r.status_code == 303
    # the founder sees the decision, the tenancy and the prefilled 一次性创业补贴 application
    page = li.get(app_url).text
    assert "准予入驻" in page and "平均80分，计划可行" in page and "入驻，计划" in text(page)
    link = re.search(r'href="(/apply/startup_subsidy\?[^"]+)"', page).group(1).replace("&amp;", "&")
    assert "is_first_business=1" in link and "business_registration_date=2025-03-01" in link
    form = li.get(link)
    assert form.status_code == 200 and "一次性创业补贴" in form.text
    # the base's figures count the new tenant
    bases = text(anon.get("/startup/bases").text)
    assert re.search(r"兴安盟电子商务创业孵化基地.*?在孵 1 户 · 累计入驻 2 户 · 毕业 1 户", bases)


def test_owner_submits_and_centre_returns_with_a_reason(app):
    firm, zx = client(app, "xingan_food"), client(app, "zx_wlht")
    form = firm.get("/startup/projects/new").text
    data = {"title": "手工皮具", "mode": "self_run", "sector": "heritage_culture", "district": "乌兰浩特市",
            "place": "乌兰浩特市五一路", "investment_yuan": "很多", "offer": "手艺传授", "description": "蒙古族皮具",
            "contact_name": "王经理", "contact_phone": "13800000001", "csrf_token": csrf(form)}
    r = firm.post("/startup/projects/new", data=data)
    assert r.status_code == 422 and "所需投资" in r.text and "手工皮具" in r.text
    r = firm.post("/startup/projects/new", data={**data, "investment_yuan": "30000"}, follow_redirects=False)
    url = r.headers["location"].split("?")[0]
    assert client(app).get(url).status_code == 404  # not public before review
    page = zx.get(url).text
    r = zx.post(f"{url}/review", data={"publish": "0", "reason": "", "csrf_token": csrf(page)})
    assert r.status_code == 422 and "退回原因" in r.text
    zx.post(f"{url}/review", data={"publish": "0", "reason": "请补充经营场地面积", "csrf_token": csrf(page)})
    assert "请补充经营场地面积" in firm.get("/startup/mine").text


def test_the_api(app):
    anon, li, jd = api(app), api(app, "liqiang"), api(app, "jd_wlht")
    about = anon.get("/api/startup/about").json()
    assert about["modes"]["franchise"] == "连锁加盟" and about["incubation"]["period_years"] == 3
    r = anon.get("/api/startup/projects", params={"sector": "catering_tourism"}).json()
    assert r["total"] >= 1 and all("****" in p["contact_phone"] for p in r["projects"])
    assert anon.get("/api/startup/projects", params={"sector": "nope"}).status_code == 422
    b = anon.get("/api/startup/bases").json()["bases"]
    assert len(b) == 15 and all("figures" in x for x in b)
    r = li.post("/api/startup/applications", json={"base": "aes-zhumeng", "business_name": "x", "plan_summary": "y",
                                                    "months_requested": 12})
    assert r.status_code == 201
    aid = r.json()["id"]
    assert jd.get(f"/api/startup/applications/{aid}").status_code == 404
    offers = li.get(f"/api/startup/applications/{aid}").json()["applications"]
    assert {o["procedure"] for o in offers} >= {"startup_subsidy", "startup_loan_individual"}
    assert anon.post("/api/startup/projects", json={}).status_code in (401, 422)


@pytest.mark.parametrize("url", ["/startup?max_investment=abc&page=-1", "/startup?sector=%00", "/startup/projects/0",
                                 "/startup/projects/99999999999", "/startup/applications/99999999999",
                                 "/startup/bases/nope/apply", "/api/startup/projects/99999999999",
                                 "/api/startup/projects?max_investment=-1", "/console/startup"])
def test_odd_input_is_never_a_500(app, url):
    r = client(app, "zx_wlht").get(url)
    assert r.status_code < 500, (url, r.status_code)
    assert "Traceback" not in r.text and "/work/" not in r.text


def test_pages_show_no_raw_codes(app):
    from jiuye.startup import access
    from jiuye.startup.settings import startup
    from test_console_labels import raw_codes_in, visible_text

    codes = (set(access.PROJECT_STATES) | set(access.APPLICATION_STATES) | set(access.INTEREST_STATES)
             | set(startup().modes) | set(startup().sectors))
    pages = [("zhangmin", "/startup"), ("zhangmin", "/startup/mine"), ("zhangmin", "/startup/bases"),
             ("zx_wlht", "/console/startup"), ("jd_wlht", "/console/startup")]
    found = {}
    for who, url in pages:
        c = client(app, who)
        r = c.get(url)
        assert r.status_code == 200, url
        more = set(re.findall(r'href="(/startup/(?:projects|applications)/\d+)"', r.text))
        for u in [url, *more]:
            bad = raw_codes_in(visible_text(c.get(u).text), codes)
            if bad:
                found[u] = sorted(bad)
    assert not found, found
