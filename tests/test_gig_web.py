"""零工市场 through the site and the JSON API (TestClient, SQLite, the demo accounts): posting with a
bad field keeps what was typed, matching with reasons, phones only after both accepted, worked / paid,
an unpaid day becoming a report the district's staff see in the console (and its CSV), the phone
lines page with the 003 table's error, and the API's refusals."""
from __future__ import annotations

import re

import pytest

from gig_support import day, market_db
from web_support import api_client as api, csrf, page_client, text

STAFF = {"zx_wlht", "mz", "zx_zlt"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from jiuye.web.app import create_app

    with market_db(tmp_path_factory.mktemp("gig_web")):
        yield create_app()


def client(app, username: str | None = None):
    return page_client(app, username, console=username in STAFF)


def test_phone_lines_page_surfaces_the_table_error(app):
    t = text(client(app).get("/gig/phones").text)
    assert "科右后旗" in t and "需兴安盟人力资源和就业服务中心（盟中心）核实" in t
    kyqq = t[t.index("科右前旗 "):t.index("科右中旗 ")]
    assert "推定的零工市场电话： 0482-8398586" in kyqq and "请不要用它联系科右前旗" in kyqq
    body = api(app).get("/api/gig/phones").json()
    aes = next(d for d in body["districts"] if d["district"] == "阿尔山市")
    assert [p["phone"] for p in aes["inferred"]] == ["0482-2773006"] and not aes["usable"]
    assert body["outside"][0]["phone"] == "0482-4121037"


def test_end_to_end_pages(app):
    worker, emp, centre, other = client(app, "zhangmin"), client(app, "xingan_food"), client(app, "zx_wlht"), client(app, "zx_zlt")
    # anonymous: the form asks to log in
    assert client(app).get("/gig/available", follow_redirects=False).status_code == 303
    # a bad field keeps what was typed and names the problem
    page = worker.get("/gig/available").text
    r = worker.post("/gig/available", data={"csrf_token": csrf(page), "name": "张敏", "occupation": "瓦工", "district": "乌兰浩特市",
                                            "town": "爱国街道", "available_from": day(1), "available_to": day(4),
                                            "daily_rate": "两百", "phone": "13900000011"})
    assert r.status_code == 422 and "期望日工资应为数字" in r.text and 'value="爱国街道"' in r.text
    r = worker.post("/gig/available", data={"csrf_token": csrf(page), "name": "张敏", "occupation": "瓦工", "district": "乌兰浩特市",
                                            "town": "爱国街道", "available_from": day(1), "available_to": day(4),
                                            "daily_rate": "200", "phone": "13900000011"}, follow_redirects=False)
    assert r.status_code == 303
    page = emp.get("/gig/jobs/new").text
    r = emp.post("/gig/jobs/new", data={"csrf_token": csrf(page), "title": "砌院墙", "occupation": "瓦工", "district": "乌兰浩特市",
                                        "town": "爱国街道", "start_on": day(2), "end_on": day(3), "pay_type": "day",
                                        "pay": "220", "people_needed": "1", "phone": "13900000022"}, follow_redirects=False)
    assert r.status_code == 303
    job_url = r.headers["location"].split("?")[0]
    # the worker sees it suggested with reasons, applies; no phone yet
    home = text(worker.get("/gig").text)
    assert "砌院墙" in home and "工种相同" in home and "同在乌兰浩特市爱国街道" in home
    r = worker.post(f"{job_url}/apply", data={"csrf_token": csrf(worker.get(job_url).text)}, follow_redirects=False)
    match_url = r.headers["location"].split("?")[0]
    assert "13900000022" not in worker.get(match_url).text
    # the employer sees the applicant on their job; another employer-less citizen cannot
    assert "等对方确认" in text(emp.get(job_url).text)
    assert client(app, "liqiang").get(match_url).status_code == 404
    emp.post(f"{match_url}/accept", data={"csrf_token": csrf(emp.get(match_url).text)})
    assert "13900000022" in worker.get(match_url).text and "13900000011" in emp.get(match_url).text
    worker.post(f"{match_url}/worked", data={"csrf_token": csrf(worker.get(match_url).text), "days": "2"})
    emp.post(f"{match_url}/worked", data={"csrf_token": csrf(emp.get(match_url).text)})
    r = worker.post(f"{match_url}/unpaid", data={"csrf_token": csrf(worker.get(match_url).text), "note": "没给钱"})
    assert "已转为欠薪报告" in text(r.text)
    # the district centre sees the report with its case; another district's centre does not
    console = text(centre.get("/console/gig").text)
    assert "欠薪报告" in console and "工人报告未拿到工钱" in console and "440 元" in console
    assert "砌院墙" not in text(other.get("/console/gig").text)
    case_id = re.search(r'href="/console/cases/(\d+)"', centre.get("/console/gig").text).group(1)
    assert "零工欠薪报告" in centre.get(f"/console/cases/{case_id}").text
    csv_text = centre.get("/console/gig/table.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("旗县市,发布零工") and "乌兰浩特市,1,1," in csv_text
    assert client(app, "zhangmin").get("/console/gig", follow_redirects=False).status_code == 303


def test_api_refusals_and_shapes(app):
    a = api(app)
    assert a.get("/api/gig/jobs").status_code == 200
    assert a.post("/api/gig/jobs", json={}).status_code in (401, 422)
    w = api(app, "liqiang")
    r = w.post("/api/gig/workers", json={"occupation": "火星采矿", "district": "扎赉特旗", "available_from": day(1),
                                        "daily_rate": "150", "phone": "13900000033"})
    assert r.status_code == 422 and "工种" in r.text
    r = w.post("/api/gig/workers", json={"occupation": "保洁", "district": "扎赉特旗", "available_from": day(1),
                                        "daily_rate": "150", "phone": "13900000033"})
    assert r.status_code == 201, r.text
    assert w.get("/api/gig/stats").status_code == 403
    assert api(app, "mz").get("/api/gig/stats").status_code == 200
    assert w.get("/api/gig/matches/999999").status_code == 404
