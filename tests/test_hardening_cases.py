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
    assert low == min(dates)
    assert high >= max(max(dates), dt.date.today()) + dt.timedelta(days=365)
    assert high < dt.date(2999, 1, 1)
    monkeypatch.setenv("JIUYE_AS_OF_YEARS_AHEAD", "0")
    assert supported_range()[1] == dt.date(max(max(dates), dt.date.today()).year, 12, 31)


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
