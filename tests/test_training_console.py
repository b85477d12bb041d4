"""The staff console's training pages (/console/training): every role × every action AS A TABLE, written
out by hand from the rules of issue 18 (the centre of the provider's district or the 盟中心 approves,
returns with a reason, suspends; centres issue vouchers; staff who read training see the pages, each in
their area; 财政局 and the bank have no part; providers and citizens are sent to the console login; the
admin reads and does not act) — through real requests (TestClient, SQLite, the demo data). Then what the
pages show: the area's scope, a return's reason reaching the provider, the counts and flags, and no raw
codes or whole 身份证号."""
from __future__ import annotations

import itertools
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from training_support import ELDER_CARE, SYB, course_of, id_number, learner, training_db, user
from web_support import csrf, page_client, text

# role -> (username, logs in at the console)
ROLES = {
    "anonymous": (None, False), "citizen": ("zhangmin", False), "provider": ("pxjg_wlht", False),
    "community": ("sq_wlht", True), "street": ("jd_wlht", True), "centre": ("zx_wlht", True),
    "centre_other_district": ("zx_zlt", True), "league_centre": ("mz", True), "hrss": ("rsj_wlht", True),
    "finance": ("czj_wlht", True), "bank": ("yh_wlht", True), "admin": ("admin", True),
}
TO_LOGIN = {"anonymous", "citizen", "provider"}
READERS = {"community", "street", "centre", "centre_other_district", "league_centre", "hrss", "admin"}
# the expected answer of each action on a provider of 乌兰浩特市 (or, for issue, in the user's own district):
# "ok" (done, 303 back to the page), "login" (303 to the console login), or the refusal's status code
DECIDERS = {"centre", "league_centre"}


def expected(role: str, action: str):
    if role in TO_LOGIN:
        return "login"
    if action in ("home", "courses", "vouchers"):
        return "ok" if role in READERS else 403
    if action in ("approve", "return", "suspend"):
        if role in DECIDERS:
            return "ok"
        return 404 if role == "centre_other_district" else 403  # cannot even see another district's provider
    if action in ("issue", "register"):  # in the user's own district
        return "ok" if role in DECIDERS | {"centre_other_district"} else 403
    raise AssertionError(action)


ACTIONS = ("home", "courses", "vouchers", "approve", "return", "suspend", "issue", "register")
STATE_BEFORE = {"approve": "pending", "return": "pending", "suspend": "approved"}
STATE_AFTER = {"approve": "approved", "return": "returned", "suspend": "suspended"}


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from jiuye.web.app import create_app

    mp = pytest.MonkeyPatch()
    mp.setenv("JIUYE_NOW", "2026-03-02T09:00:00")
    mp.setenv("JIUYE_TODAY", "2026-03-02")
    with training_db(tmp_path_factory.mktemp("training_console")) as engine:
        yield engine, create_app()
    mp.undo()


@pytest.fixture(scope="module")
def clients(env):
    _engine, app = env
    return {role: page_client(app, name, console=console) for role, (name, console) in ROLES.items()}


COUNTER = itertools.count(1)


def new_provider(engine, state: str, district: str = "乌兰浩特市") -> int:
    from jiuye.cases.demo import DEMO_PASSWORD
    from jiuye.training import providers

    n = next(COUNTER)
    centre = "zx_wlht" if district == "乌兰浩特市" else "zx_zlt"
    with Session(engine, expire_on_commit=False) as s:
        p = providers.register(s, user(s, centre), {"name": f"测试培训学校{n}（演示）", "district": district,
                                                     "phone": f"138000{n:05d}", "approvals": ["vocational"]},
                               username=f"pxjg_t{n}", password=DEMO_PASSWORD)
        if state == "approved":
            providers.decide(s, user(s, centre), p.id, "approve")
        return p.id


def _provider_by_name(s, name: str):
    from sqlalchemy import select

    from jiuye.training.models import Provider

    return s.scalar(select(Provider).where(Provider.name == name))


def provider_state(engine, pid: int) -> str:
    from jiuye.training.models import Provider

    with Session(engine) as s:
        return s.get(Provider, pid).state


@pytest.mark.parametrize("role,action", list(itertools.product(ROLES, ACTIONS)))
def test_every_role_and_action(env, clients, role, action):
    engine, _app = env
    c = clients[role]
    want = expected(role, action)
    if action in ("home", "courses", "vouchers"):
        r = c.get({"home": "/console/training", "courses": "/console/training/courses",
                   "vouchers": "/console/training/vouchers"}[action], follow_redirects=False)
        if want == "ok":
            assert r.status_code == 200, (role, action, r.status_code)
        elif want == "login":
            assert r.status_code == 303 and r.headers["location"].startswith("/console/login"), (role, action)
        else:
            assert r.status_code == want, (role, action, r.status_code)
            assert re.search("[\u4e00-\u9fff]", text(r.text))
        return
    token = csrf(c.get("/console/training/vouchers" if role not in TO_LOGIN else "/login").text)
    if action == "issue":
        form = {"csrf_token": token, "id_number": id_number("19920101", f"{next(COUNTER) + 100:03d}"), "name": "测试券",
                "course_kind": "vocational", "kind": "subsidised"}
        r = c.post("/console/training/vouchers", data=form, follow_redirects=False)
        before = after = None
    elif action == "register":
        n = next(COUNTER)
        name = f"登记测试学校{n}（演示）"
        form = {"csrf_token": token, "name": name, "kind": "training_institution", "phone": f"139000{n:05d}",
                "approvals": ["vocational", "entrepreneurship"], "username": f"pxjg_form{n}", "password": "kaiban-2026"}
        r = c.post("/console/training/providers", data=form, follow_redirects=False)
        with Session(engine) as s:
            before, after = None, _provider_by_name(s, name)
        if want == "ok":
            assert after is not None and after.state == "pending" and sorted(after.approvals) == ["entrepreneurship", "vocational"]
        else:
            assert after is None  # nothing registered
            after = None
    else:
        pid = new_provider(engine, STATE_BEFORE[action])
        before = provider_state(engine, pid)
        r = c.post(f"/console/training/providers/{pid}/decision",
                   data={"csrf_token": token, "action": action, "comment": "测试：材料不全"}, follow_redirects=False)
        after = provider_state(engine, pid)
    if want == "ok":
        assert r.status_code == 303 and "done=" in r.headers["location"], (role, action, r.status_code, text(r.text)[:300])
        if before is not None:
            assert after == STATE_AFTER[action]
        return
    if want == "login":
        assert r.status_code == 303 and r.headers["location"].startswith("/console/login"), (role, action)
    else:
        assert r.status_code == want, (role, action, r.status_code, text(r.text)[:300])
    assert after == before  # nothing changed


def test_a_return_needs_a_reason_and_the_provider_is_told(env, clients):
    from jiuye.market.models import OutboxMessage

    engine, app = env
    pid = new_provider(engine, "pending")
    c = clients["centre"]
    page = c.get("/console/training")
    assert "测试培训学校" in page.text and "待审批的培训机构" in page.text
    r = c.post(f"/console/training/providers/{pid}/decision", data={"csrf_token": csrf(page.text), "action": "return",
                                                                    "comment": "  "})
    assert r.status_code == 422 and "退回原因" in text(r.text) and provider_state(engine, pid) == "pending"
    r = c.post(f"/console/training/providers/{pid}/decision", data={"csrf_token": csrf(page.text), "action": "return",
                                                                    "comment": "缺少办学许可证复印件"}, follow_redirects=False)
    assert r.status_code == 303 and provider_state(engine, pid) == "returned"
    home = text(c.get("/console/training").text)
    assert "已退回补正" in home and "缺少办学许可证复印件" in home
    with Session(engine) as s:
        from jiuye.training.models import Provider

        p = s.get(Provider, pid)
        msg = s.scalars(select(OutboxMessage).where(OutboxMessage.user_id == p.user_id)).all()
        assert any("缺少办学许可证复印件" in m.body for m in msg)
        username = s.get(__import__("jiuye.cases.models", fromlist=["User"]).User, p.user_id).username
    own = page_client(app, username).get("/training/provider")
    assert "缺少办学许可证复印件" in text(own.text)
    # corrected: approved from 已退回补正
    r = c.post(f"/console/training/providers/{pid}/decision", data={"csrf_token": csrf(page.text), "action": "approve"},
               follow_redirects=False)
    assert r.status_code == 303 and provider_state(engine, pid) == "approved"


def test_each_sees_their_area_and_the_league_sees_all(env, clients):
    engine, _app = env
    zlt = new_provider(engine, "pending", district="扎赉特旗")
    with Session(engine) as s:
        from jiuye.training.models import Provider

        name = s.get(Provider, zlt).name
    assert name not in clients["centre"].get("/console/training").text
    assert name in clients["centre_other_district"].get("/console/training").text
    league = clients["league_centre"].get("/console/training").text
    assert name in league and "范围：全盟" in text(league)
    courses_w = text(clients["centre"].get("/console/training/courses").text)
    assert ELDER_CARE in courses_w and "网络创业培训班" not in courses_w and "范围：乌兰浩特市" in courses_w
    assert "网络创业培训班" in text(clients["league_centre"].get("/console/training/courses").text)
    assert "网络创业培训班" in text(clients["centre_other_district"].get("/console/training/courses").text)


def test_courses_show_counts_and_flags_and_vouchers_count_by_month(env, clients):
    from jiuye.training import enrolment

    engine, _app = env
    with Session(engine, expire_on_commit=False) as s:
        u = learner(s, "tcon1", seq="811")
        enrolment.enrol(s, u, course_of(s, ELDER_CARE).id)
        enrolment.enrol(s, u, course_of(s, SYB).id)  # dates overlap: a learner flag
        idn = u.person.id_number
    page = text(clients["league_centre"].get("/console/training/courses").text)
    assert "1 名学员有异常提示" in page and "招生中" in page
    row = page.split(ELDER_CARE, 1)[1][:200]
    assert re.search(r"\b1 / 40\b", row), row
    closed = text(clients["league_centre"].get("/console/training/courses?tab=closed").text)
    assert "这一类没有课程" in closed
    v = clients["centre"].get("/console/training/vouchers")
    r = clients["centre"].post("/console/training/vouchers", data={
        "csrf_token": csrf(v.text), "id_number": idn, "name": "学员tcon1", "course_kind": "syb", "kind": "subsidised"},
        follow_redirects=False)
    assert r.status_code == 303
    page = text(clients["centre"].get("/console/training/vouchers").text)
    assert "2026年3月" in page and "上海" in page and "使用率" in page
    bad = clients["centre"].post("/console/training/vouchers", data={
        "csrf_token": csrf(v.text), "id_number": "123", "name": "某人", "course_kind": "syb", "kind": "subsidised"})
    assert bad.status_code == 422 and "身份证号" in text(bad.text)


CODES = ("pending", "returned", "approved", "suspended", "published", "opened", "finished", "vocational",
         "entrepreneurship", "online_startup", "subsidised", "sign_in_only", "training_institution", "None")


@pytest.mark.parametrize("path", ["/console/training", "/console/training/courses?tab=all", "/console/training/vouchers"])
def test_the_pages_show_no_raw_codes_or_whole_id_numbers(env, clients, path):
    engine, _app = env
    page = clients["league_centre"].get(path).text
    shown = text(page)
    assert not [c for c in CODES if re.search(rf"(?<![A-Za-z_]){c}(?![A-Za-z_])", shown)], path
    assert not re.search(r"\d{17}[\dX]", shown)


def test_a_centre_registers_a_provider_from_the_console_and_bad_input_keeps_nothing(env, clients):
    """The form the leftover note asked for: a centre registers a provider and opens its account in the browser;
    a bad field is named in Chinese, the typed values stay, and nothing is saved."""
    engine, app = env
    c = clients["centre"]
    page = c.get("/console/training")
    assert "登记培训机构" in page.text and 'action="/console/training/providers#register"' in page.text
    assert "登记培训机构" not in clients["street"].get("/console/training").text  # only a centre registers
    inputs = re.findall(r"<input[^>]*>", page.text)  # the limits are attributes, not escaped text
    assert not [i for i in inputs if "&#34;" in i] and re.search(r'id="pv_name"[^>]*maxlength="100" required', page.text)
    good = {"csrf_token": csrf(page.text), "name": "兴安盟表单测试职业技能培训学校（演示）", "kind": "training_institution",
            "phone": "0482-8888001", "approvals": ["vocational"], "username": "pxjg_formtest", "password": "kaiban-2026"}
    for change, field_words in [({"password": "short"}, "初始密码"), ({"username": "有汉字"}, "用户名"),
                                ({"approvals": []}, "培训资质"), ({"name": ""}, "机构名称"), ({"phone": ""}, "电话")]:
        r = c.post("/console/training/providers", data={**good, **change}, follow_redirects=False)
        assert r.status_code == 422 and field_words in text(r.text), (change, text(r.text)[:300])
        assert 'id="register-error"' in r.text  # the message stands above the form, not only at the top of the page
        assert "兴安盟表单测试职业技能培训学校" in r.text or change == {"name": ""}  # what was typed stays
        with Session(engine) as s:
            assert _provider_by_name(s, good["name"]) is None
    r = c.post("/console/training/providers", data=good, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/training?done=registered"
    home = c.get(r.headers["location"])
    assert "培训机构已登记" in text(home.text) and good["name"] in home.text
    again = c.post("/console/training/providers", data={**good, "username": "pxjg_formtest2"}, follow_redirects=False)
    assert again.status_code == 409 and "已登记" in text(again.text)
    from fastapi.testclient import TestClient

    provider = TestClient(app, headers={"Accept": "text/html"})
    login = provider.post("/login", data={"username": "pxjg_formtest", "password": "kaiban-2026",
                                          "csrf_token": csrf(provider.get("/login").text)}, follow_redirects=False)
    assert login.status_code == 303  # the account works
    assert "兴安盟表单测试职业技能培训学校" in provider.get("/training/provider").text
