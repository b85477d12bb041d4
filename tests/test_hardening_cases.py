"""Hardening (issue 13): dates outside the rules' range (item 2) and account abuse (item 3).

Item 2: an as_of before the earliest dated parameter value or years ahead is refused with the
supported range — 422 in the API, exit code 2 in the CLI, a Chinese page in the console — never a
500; an applicant cannot choose the date their application is screened on, staff can and it is
recorded. Item 3 is in the second half of the file.
"""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cases_support import configured, database
from jiuye.cases.demo import DEMO_PASSWORD
from jiuye.config import REPO_ROOT
from jiuye.config import today as beijing_today  # the league's today (Beijing), as the code uses

HOSTILE = ["0001-01-01", "1900-01-01", "9999-12-31", "2999-01-01"]


def parameter_dates_by_hand() -> list[dt.date]:
    """Every date key ('  2021-06-01:') in the parameter files, found by a regular expression."""
    out = []
    for path in (REPO_ROOT / "data" / "parameters").rglob("*.yaml"):
        out += [dt.date.fromisoformat(m) for m in re.findall(r"^\s+(\d{4}-\d\d-\d\d):", path.read_text("utf-8"), re.M)]
    return out


def test_the_supported_range_comes_from_the_parameter_data(monkeypatch):
    from jiuye.rules import supported_range

    dates = parameter_dates_by_hand()
    low, high = supported_range()
    declared = re.search(r"^  supported_from: (\d{4}-\d\d-\d\d)$",
                         (REPO_ROOT / "data" / "parameters" / "index.yaml").read_text("utf-8"), re.M)
    assert low == max(min(dates), dt.date.fromisoformat(declared.group(1)) if declared else min(dates))
    assert high >= max(max(dates), beijing_today()) + dt.timedelta(days=365)
    assert high < dt.date(2999, 1, 1)
    monkeypatch.setenv("JIUYE_AS_OF_YEARS_AHEAD", "0")
    assert supported_range()[1] == dt.date(max(max(dates), beijing_today()).year, 12, 31)


# --- the API --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def app_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hardening")
    mp = pytest.MonkeyPatch()
    mp.setenv("JIUYE_VAR_DIR", str(tmp / "var"))
    mp.setenv("JIUYE_SECRET_KEY", "hardening-secret")
    try:
        with database("sqlite", tmp) as url, configured(url, tmp) as engine:
            from fastapi.testclient import TestClient

            from jiuye.web.app import create_app

            yield engine, TestClient(create_app(), raise_server_exceptions=False)
    finally:
        mp.undo()


def _range_named(text: str) -> bool:
    from jiuye.rules import supported_range

    low, high = supported_range()
    return low.isoformat() in text and high.isoformat() in text and "至" in text


API_CALLS = {
    "screen": lambda c, d: c.post("/api/screen", json={"profile": {"district": "乌兰浩特市"}, "as_of": d}),
    "policies": lambda c, d: c.get("/api/policies", params={"as_of": d}),
    "policy": lambda c, d: c.get("/api/policies/startup_subsidy", params={"as_of": d}),
    "audit": lambda c, d: c.get("/api/audit", params={"as_of": d}),
    "ask": lambda c, d: c.get("/api/ask", params={"as_of": d, "q": "失业金能领几个月"}),
}


@pytest.mark.parametrize("day", HOSTILE)
@pytest.mark.parametrize("route", sorted(API_CALLS))
def test_api_refuses_an_as_of_outside_the_range_with_422(app_env, route, day):
    _engine, client = app_env
    r = API_CALLS[route](client, day)
    assert r.status_code == 422, (route, day, r.status_code, r.text[:300])
    item = r.json()["detail"][0]
    assert item["field"] == "as_of" and _range_named(item["message"]) and day in item["message"]
    assert "Traceback" not in r.text


@pytest.mark.parametrize("route", sorted(API_CALLS))
def test_api_answers_inside_the_range(app_env, route):
    _engine, client = app_env
    assert API_CALLS[route](client, "2022-06-15").status_code == 200


def _token(client, username: str) -> dict:
    r = client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def test_an_applicant_cannot_choose_the_screening_date_staff_can_and_it_is_recorded(app_env):
    from jiuye.cases.models import Case, CaseEvent
    from jiuye.config import today
    from sqlalchemy.orm import Session

    engine, client = app_env
    body = {"procedure": "flexible_employment_si_subsidy", "profile": {"district": "乌兰浩特市"}}
    own = _token(client, "zhangmin")
    for day in ["2022-06-15", *HOSTILE]:
        r = client.post("/api/cases", headers=own, json={**body, "as_of": day})
        assert r.status_code == 422 and r.json()["detail"]["field"] == "as_of", r.text
        assert "申请人的申请按今天" in r.json()["detail"]["message"]
    r = client.post("/api/cases", headers=own, json=body)  # no date: today
    assert r.status_code == 201, r.text
    assert r.json()["screening"]["as_of"] == today().isoformat()
    staff = _token(client, "sq_wlht")
    window = {**body, "name": "张敏（演示）"}
    from jiuye.cases.demo import PEOPLE

    window["id_number"] = PEOPLE["zhangmin"][1]
    for day in HOSTILE:
        r = client.post("/api/cases", headers=staff, json={**window, "as_of": day})
        assert r.status_code == 422 and r.json()["detail"]["field"] == "as_of" and _range_named(r.text), r.text
    r = client.post("/api/cases", headers=staff, json={**window, "as_of": "2024-03-01"})
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    with Session(engine) as s:
        case = s.get(Case, cid)
        created = s.scalar(select(CaseEvent).where(CaseEvent.case_id == cid, CaseEvent.kind == "created"))
        assert case.screening_as_of == dt.date(2024, 3, 1) and case.screening["as_of"] == "2024-03-01"
        assert created.data["as_of"] == "2024-03-01"


# --- the console ------------------------------------------------------------------------------------
def _console(client_cls, app, username: str):
    c = client_cls(app)
    page = c.get("/console/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = c.post("/console/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token,
                                       "next": "/console"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return c, token


@pytest.mark.parametrize("day", HOSTILE)
def test_console_roster_form_and_audit_page_refuse_the_date_in_chinese(app_env, day):
    _engine, client = app_env
    c, token = _console(type(client), client.app, "zx_wlht")
    r = c.get("/console/audit", params={"as_of": day})
    assert r.status_code == 422 and _range_named(r.text) and "Traceback" not in r.text
    r = c.post("/console/roster", data={"csrf_token": token, "subject": "person", "as_of": day},
               files={"file": ("r.csv", "身份证号,姓名\n".encode(), "text/csv")})
    assert r.status_code == 422 and "评估日期" in r.text and _range_named(r.text)


# --- the CLI ----------------------------------------------------------------------------------------
def _cli_calls(tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"district": "乌兰浩特市"}), encoding="utf-8")
    roster = tmp_path / "r.csv"
    roster.write_text("身份证号,姓名\n", encoding="utf-8")
    return {
        "screen": ["screen", str(profile)], "policies": ["policies"], "audit-sources": ["audit-sources"],
        "ask": ["ask", "失业金能领几个月"], "batch": ["batch", str(roster), "--out", str(tmp_path / "o.csv")],
    }


@pytest.mark.parametrize("day", HOSTILE)
def test_cli_exits_2_with_the_range(tmp_path, day):
    from jiuye.cli import app

    runner = CliRunner()
    for name, args in _cli_calls(tmp_path).items():
        r = runner.invoke(app, [*args, "--as-of", day])
        assert r.exit_code == 2, (name, r.exit_code, r.output[-400:])
        assert _range_named(r.output), (name, r.output[-400:])
        assert r.exception is None or isinstance(r.exception, SystemExit)


# === item 3: accounts ================================================================================
# Counters live in the database: two apps (as two worker processes would be) share them, on SQLite and
# on PostgreSQL alike.
@pytest.fixture(params=["sqlite", "postgresql"])
def two_workers(request, tmp_path, monkeypatch):
    monkeypatch.setenv("JIUYE_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("JIUYE_SECRET_KEY", "throttle-secret")
    with database(request.param, tmp_path) as url, configured(url, tmp_path) as engine:
        from fastapi.testclient import TestClient

        from jiuye.web.app import create_app

        a, b = create_app(), create_app()
        yield engine, (lambda app, addr="10.0.0.1": TestClient(app, client=(addr, 50000), raise_server_exceptions=False)), a, b


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _form_login(c, path: str, username: str, password: str):
    token = _csrf(c.get(path).text)
    return c.post(path, data={"username": username, "password": password, "csrf_token": token, "next": "/"},
                  follow_redirects=False)


def test_failed_logins_lock_the_account_on_every_login_route_across_workers(two_workers, monkeypatch):
    from jiuye.cases import accounts
    from jiuye.config import throttle_limit

    _engine, client, app_a, app_b = two_workers
    limit = throttle_limit("login_account")[0]
    api_a, api_b = client(app_a, "10.0.0.1"), client(app_b, "10.0.0.2")
    for i in range(limit):  # alternate workers and addresses: the count is shared
        c = api_a if i % 2 else api_b
        r = c.post("/api/auth/login", json={"username": "jd_wlht", "password": f"guess-{i}"})
        assert r.status_code == 401, r.text
    hashed = []
    real = accounts.verify_password  # where login hashes (patching a name login does not use would prove nothing)
    monkeypatch.setattr(accounts, "verify_password", lambda *a: hashed.append(1) or real(*a))
    r = api_a.post("/api/auth/login", json={"username": "jd_wlht", "password": DEMO_PASSWORD})  # even the right one
    assert r.status_code == 429, r.text
    assert 0 < int(r.headers["Retry-After"]) <= throttle_limit("login_account")[2]
    assert "登录失败次数过多" in r.json()["detail"]["message"] and "分钟后再试" in r.json()["detail"]["message"]
    for path in ("/login", "/console/login"):
        page = _form_login(client(app_b, "10.0.0.3"), path, "jd_wlht", DEMO_PASSWORD)
        assert page.status_code == 429 and "Retry-After" in page.headers and "登录失败次数过多" in page.text
    assert hashed == []  # refused before argon2 ran
    assert client(app_a, "10.0.0.9").post("/api/auth/login", json={"username": "nobody_here", "password": "x"}).status_code == 401
    assert hashed == [1]  # and the patch is where a login does hash: an unthrottled login was counted
    # other accounts are not affected; a success clears an account's failures
    ok = api_b.post("/api/auth/login", json={"username": "zx_wlht", "password": DEMO_PASSWORD})
    assert ok.status_code == 200


def test_failed_logins_from_one_address_are_limited(two_workers, monkeypatch):
    monkeypatch.setenv("JIUYE_THROTTLE_LOGIN_ADDRESS", "4/900/600")
    _engine, client, app_a, app_b = two_workers
    names = ["sq_wlht", "jd_wlht", "zx_wlht", "rsj_wlht"]
    for i, name in enumerate(names):  # one failure each: no account reaches its own limit
        c = client(app_a if i % 2 else app_b, "192.0.2.9")
        assert c.post("/api/auth/login", json={"username": name, "password": "wrong"}).status_code == 401
    r = _form_login(client(app_a, "192.0.2.9"), "/console/login", "czj_wlht", DEMO_PASSWORD)
    assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 600
    assert client(app_a, "192.0.2.10").post("/api/auth/login", json={"username": "czj_wlht",
                                                                     "password": DEMO_PASSWORD}).status_code == 200


def test_a_success_resets_the_account_count(two_workers):
    from jiuye.config import throttle_limit

    _engine, client, app_a, _b = two_workers
    c = client(app_a)
    limit = throttle_limit("login_account")[0]
    for _round in range(2):
        for _ in range(limit - 1):
            assert c.post("/api/auth/login", json={"username": "sq_wlht", "password": "nope"}).status_code == 401
        assert c.post("/api/auth/login", json={"username": "sq_wlht", "password": DEMO_PASSWORD}).status_code == 200


def _register(c, username: str, name: str, id_number: str):
    token = _csrf(c.get("/register").text)
    return c.post("/register", data={"csrf_token": token, "name": name, "id_number": id_number, "phone": "13912345678",
                                     "username": username, "password": "secret-pass-1", "password2": "secret-pass-1",
                                     "next": "/my"}, follow_redirects=False)


def _error_texts(html: str) -> list[str]:
    return re.findall(r'<p class="error"[^>]*>([^<]+)</p>', html)


def test_registration_does_not_tell_whether_or_to_whom_an_id_number_is_registered(two_workers):
    from jiuye.cases import service
    from jiuye.cases.demo import PEOPLE, demo_id
    from sqlalchemy.orm import Session

    engine, client, app_a, _b = two_workers
    taken = PEOPLE["zhangmin"][1]  # has an account
    on_file = demo_id("152201", "19900101", "331")  # filed at a window for 赵六, no account
    with Session(engine) as s:
        service.ensure_person(s, on_file, "赵六（演示）")
        s.commit()
    answers = []
    for i, (name, idn) in enumerate([("张敏（演示）", taken), ("别人", taken), ("别人", on_file)]):
        r = _register(client(app_a, f"198.51.100.{i}"), f"probe{i}", name, idn)
        assert r.status_code == 422
        answers.append(_error_texts(r.text))
    assert answers[0] == answers[1] == answers[2], answers
    text = " ".join(answers[0])
    assert "不能在网上注册" in text and "窗口" in text
    for leak in ("已经注册", "已登记", "另一姓名", "张敏", "赵六", "已存在"):
        assert leak not in text
    r = _register(client(app_a, "198.51.100.9"), "zhangmin", "新人", demo_id("152201", "19910101", "113"))
    assert r.status_code == 422 and "这个用户名不能使用" in r.text and "已存在" not in r.text


def test_registrations_and_applications_are_rate_limited_per_address_and_account(two_workers, monkeypatch):
    from jiuye.cases.demo import demo_id

    monkeypatch.setenv("JIUYE_THROTTLE_REGISTER_ADDRESS", "2/3600")
    monkeypatch.setenv("JIUYE_THROTTLE_APPLY_ACCOUNT", "2/3600")
    _engine, client, app_a, app_b = two_workers
    for i in range(2):
        r = _register(client(app_a if i else app_b, "203.0.113.5"), f"reg{i}", "孙测试", demo_id("152201", "19920101", f"{i}11"))
        assert r.status_code in (303, 422)
    r = _register(client(app_a, "203.0.113.5"), "reg9", "孙测试", demo_id("152201", "19920101", "911"))
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0 and "注册次数过多" in r.text
    assert _register(client(app_a, "203.0.113.6"), "reg8", "孙测试", demo_id("152201", "19920101", "811")).status_code == 303
    c = client(app_b, "203.0.113.7")
    h = {"Authorization": "Bearer " + c.post("/api/auth/login", json={"username": "zhangmin",
                                                                      "password": DEMO_PASSWORD}).json()["token"]}
    body = {"procedure": "flexible_employment_si_subsidy", "profile": {"district": "乌兰浩特市"}}
    codes = [client(app_a if i % 2 else app_b, f"203.0.113.{20 + i}").post("/api/cases", headers=h, json=body).status_code
             for i in range(3)]
    assert codes[:2] == [201, 201] and codes[2] == 429, codes


@pytest.mark.parametrize("field, value", [("sex", "male"), ("birth_date", "1980-01-01")])
def test_a_profile_contradicting_the_accounts_id_number_is_refused_naming_the_field(app_env, field, value):
    engine, client = app_env
    h = _token(client, "zhangmin")  # 152201 1975-03-08 …, a woman
    before = client.get("/api/cases", headers=h).json()["total"]
    r = client.post("/api/cases", headers=h, json={"procedure": "flexible_employment_si_subsidy",
                                                   "profile": {"district": "乌兰浩特市", field: value}})
    assert r.status_code == 422, r.text
    assert r.json()["detail"]["field"] == f"profile.{field}" and "身份证号" in r.json()["detail"]["message"]
    assert client.get("/api/cases", headers=h).json()["total"] == before


def test_today_is_the_date_in_beijing_whatever_the_servers_zone(monkeypatch):
    """From 16:00 to 24:00 UTC it is already tomorrow in Xing'an League: deadlines, as-of dates and closed
    windows count from the Beijing date, not the server's."""
    import datetime as _dt

    from jiuye import config

    monkeypatch.delenv("JIUYE_TODAY", raising=False)

    class Late(_dt.datetime):
        @classmethod
        def now(cls, tz=None):
            moment = _dt.datetime(2026, 12, 6, 17, 30, tzinfo=_dt.timezone.utc)
            return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)

    monkeypatch.setattr(config.dt, "datetime", Late)
    assert config.today() == _dt.date(2026, 12, 7)
    monkeypatch.setenv("JIUYE_TODAY", "2021-06-15")
    assert config.today() == _dt.date(2021, 6, 15)
