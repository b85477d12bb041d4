"""Training through the site and the JSON API (TestClient, SQLite, the demo providers and courses): a
citizen finds a course without an account, sees what the rules would give them, enrols (a bad voucher
names the field and keeps what was typed), registers a wish; a provider publishes, opens the class,
shows a code, the learner signs in on the phone page; the API answers 401/403/404/422 in Chinese,
masks IDs in lists, and never 500s on odd input."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from training_support import ELDER_CARE, training_db
from web_support import api_client as api, csrf, page_client


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from jiuye.web.app import create_app

    mp = pytest.MonkeyPatch()
    mp.setenv("JIUYE_NOW", "2026-03-02T09:00:00")
    mp.setenv("JIUYE_TODAY", "2026-03-02")
    with training_db(tmp_path_factory.mktemp("training_web")):
        yield create_app()
    mp.undo()


def client(app, username: str | None = None):
    return page_client(app, username, console=False)


def course_id(app, title=ELDER_CARE) -> int:
    rows = api(app).get("/api/training/courses", params={"limit": 100}).json()["courses"]
    return next(r["id"] for r in rows if r["title"] == title)


def test_find_courses_without_an_account(app):
    c = client(app)
    page = c.get("/training", params={"district": "乌兰浩特市"})
    assert page.status_code == 200 and ELDER_CARE in page.text and "SYB 创业培训班" not in page.text
    assert "上海" in page.text  # the voucher's source problem is said
    r = api(app).get("/api/training/courses", params={"kind": "syb"}).json()
    assert r["total"] == 1 and r["courses"][0]["kind_label"].startswith("SYB")
    bad = api(app).get("/api/training/courses", params={"district": "上海"})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "district"
    about = api(app).get("/api/training/about").json()
    assert about["open_class"]["days_before_start"] == 3 and "上海" in about["open_class"]["caveat"]
    assert about["course_kinds"]["online_startup"]["min_hours"] == 56


def test_a_citizen_sees_the_subsidies_and_enrols(app):
    cid = course_id(app)
    c = client(app, "zhangmin")
    page = c.get(f"/training/courses/{cid}")
    assert "结业合格后" in page.text and "职业技能培训补贴" in page.text
    bad = c.post(f"/training/courses/{cid}/enrol", data={"csrf_token": csrf(page.text), "voucher": "XAPX000",
                                                         "phone": "13900000009", "g_registered_unemployed": "1"})
    assert bad.status_code == 422 and "培训券" in bad.text and 'value="13900000009"' in bad.text
    ok = c.post(f"/training/courses/{cid}/enrol", data={"csrf_token": csrf(page.text), "g_registered_unemployed": "1"},
                follow_redirects=False)
    assert ok.status_code == 303
    again = api(app, "zhangmin").post(f"/api/training/courses/{cid}/enrol", json={})
    assert again.status_code == 409
    mine = api(app, "zhangmin").get("/api/training/my").json()
    assert mine["enrolments"][0]["course_id"] == cid
    learners = api(app, "pxjg_wlht").get(f"/api/training/courses/{cid}/learners").json()["learners"]
    assert learners and all("*" in x["id_number"] for x in learners) and "张敏" not in str(learners)
    assert api(app, "pxjg_zlt").get(f"/api/training/courses/{cid}/learners").status_code == 403


def test_provider_opens_shows_a_code_and_the_learner_signs_in(app, monkeypatch):
    cid = course_id(app)
    # a learner is needed to open the class: enrolled here, or already by the test above (under `pytest -n 2` the
    # two may run in different workers, each with its own database)
    enrol = api(app, "zhangmin").post(f"/api/training/courses/{cid}/enrol", json={})
    assert enrol.status_code in (200, 201, 409), enrol.text
    prov = client(app, "pxjg_wlht")
    home = prov.get("/training/provider")
    assert home.status_code == 200 and ELDER_CARE in home.text
    page = prov.get(f"/training/provider/courses/{cid}")
    r = prov.post(f"/training/provider/courses/{cid}/open", data={"csrf_token": csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    monkeypatch.setenv("JIUYE_NOW", "2026-03-12T08:30:00")
    monkeypatch.setenv("JIUYE_TODAY", "2026-03-12")
    page = prov.get(f"/training/provider/courses/{cid}")
    shown = prov.post(f"/training/provider/courses/{cid}/code", data={"csrf_token": csrf(page.text)})
    code = re.search(r'sign-code" aria-live="polite">(\d+)<', shown.text).group(1)
    learner = client(app, "zhangmin")
    form = learner.get(f"/training/courses/{cid}/sign-in")
    wrong = learner.post(f"/training/courses/{cid}/sign-in", data={"csrf_token": csrf(form.text), "code": "abc"})
    assert wrong.status_code == 422 and "签到码" in wrong.text
    ok = learner.post(f"/training/courses/{cid}/sign-in", data={"csrf_token": csrf(form.text), "code": code},
                      follow_redirects=False)
    assert ok.status_code == 303
    sheet = api(app, "pxjg_wlht").get(f"/api/training/courses/{cid}/sheet").json()["rows"]
    assert len(sheet) == 1 and sheet[0]["method"] == "签到码"
    csv = api(app, "pxjg_wlht").get(f"/api/training/courses/{cid}/sheet", params={"format": "csv"})
    assert csv.status_code == 200 and "签到表" in csv.content.decode("utf-8-sig")


def test_wish_from_the_phone_page_reaches_the_provider(app):
    c = client(app, "zhangmin")
    page = c.get("/training/my")
    r = c.post("/training/wishes", data={"csrf_token": csrf(page.text), "kind": "startup", "district": "乌兰浩特市",
                                         "phone": "13900000010", "note": "想开网店"}, follow_redirects=False)
    assert r.status_code == 303
    wishes = api(app, "pxjg_wlht").get("/api/training/wishes").json()["wishes"]
    w = next(x for x in wishes if x["note"] == "想开网店")
    assert w["phone"] != "13900000010"  # masked for the provider
    assert api(app, "pxjg_wlht").post(f"/api/training/wishes/{w['id']}/answer", json={"answer": "下周开课"}).status_code == 200


@pytest.mark.parametrize("path,body", [
    ("/api/training/courses/2147483647/enrol", {}),
    ("/api/training/courses/1/complete", {"results": [{"enrolment_id": 99999, "result": "passed"}]}),
    ("/api/training/vouchers", {"id_number": "1234", "name": "x"}),
    ("/api/training/courses", {"title": "x", "hours": 1, "days": 1, "start_on": "2026-01-01", "end_on": "2026-01-01",
                               "place": "x", "seats": 1}),
])
def test_odd_input_is_a_chinese_refusal_never_a_500(app, path, body):
    for who in (None, "zhangmin", "pxjg_wlht", "zx_wlht"):
        r = api(app, who).post(path, json=body)
        assert r.status_code in (401, 403, 404, 409, 422), (who, r.status_code, r.text[:200])
        assert re.search(r"[\u4e00-\u9fff]", r.text)


def test_vouchers_through_the_api_and_the_monthly_counts(app):
    from training_support import id_number

    r = api(app, "zx_wlht").post("/api/training/vouchers", json={"id_number": id_number(seq="888"), "name": "王五",
                                                                 "course_kind": "syb"})
    assert r.status_code == 201 and r.json()["label"].startswith("兴安盟职业培训券")
    assert "*" in r.json()["id_number"]
    stats = api(app, "zx_wlht").get("/api/training/vouchers/stats").json()
    assert stats["issued"] >= 1 and stats["months"]
    assert api(app, "pxjg_wlht").get("/api/training/vouchers/stats").status_code == 403
    _ = dt
