"""Issue 13, probed by hand against the running server after the five hardening branches were merged:
what still failed (a 500, English a user sees, a wrong field name), one test per finding.

- /openfisca/calculate: a deeply nested body (RecursionError) and a body not sent as JSON (openfisca's
  own handler crashed) were 500s; Flask's 404/405 pages were English HTML.
- a JSON key holding a lone surrogate: the 422 itself could not be encoded (500).
- malformed JSON was reported as 字段「11」 (a character offset) with "JSON decode error"; a body that
  is not an object, a datetime for a date, NaN: English messages.
- an as_of between the earliest parameter (1978, a retirement age) and the policy values (2021) was
  inside the "supported range" but screening failed: API 422 without the range, staff case creation
  500, `jiuye screen` a traceback.
- ids past 64 bits in the pages' addresses (/console/cases/…, /my/cases/…): OverflowError, 500.
- a page form with a field of the wrong type answered raw JSON to the browser.
- an applicant without a district: 「未知的旗县市「None」」.
- HEAD on any GET route (/healthz included): 405; Starlette's 404/405 words in English.
- NUL in the address: reported as the field 「(body)」.
- a multipart body on a route that takes no file had the 20 MB upload limit.
"""
from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from cases_support import configured
from jiuye.cases.demo import DEMO_PASSWORD

HTML = {"accept": "text/html"}
HUGE = "99999999999999999999"  # past 64 bits: SQLite's driver raises OverflowError
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("probe")
    mp = pytest.MonkeyPatch()
    mp.setenv("JIUYE_VAR_DIR", str(tmp / "var"))
    mp.setenv("JIUYE_SECRET_KEY", "probe-secret")
    try:
        with configured(f"sqlite:///{tmp / 'p.sqlite3'}", tmp, demo=True):
            from jiuye.web.app import create_app

            yield create_app()
    finally:
        mp.undo()


@pytest.fixture()
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _token(client, username: str) -> dict:
    r = client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def _page_login(client, username: str, path: str) -> str:
    """Log in through the form at `path`; the session's CSRF token."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path, headers=HTML).text).group(1)
    r = client.post(path, data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token},
                    headers=HTML, follow_redirects=False)
    assert r.status_code == 303, r.text
    return token


def _clean(r) -> None:
    assert r.status_code < 500, (r.status_code, r.text[:300])
    for leak in ("Traceback", "site-packages", "/work/"):
        assert leak not in r.text


# --- /openfisca -------------------------------------------------------------------------------------
def test_openfisca_calculate_refuses_deeply_nested_json_without_500(client):
    r = client.post("/openfisca/calculate", content=b"[" * 100_000 + b"]" * 100_000,
                    headers={"content-type": "application/json"})
    _clean(r)
    assert r.status_code == 400 and CJK.search(r.json()["error"])


@pytest.mark.parametrize("ctype", ["text/plain", None, "multipart/form-data; boundary=x", "application/xml"])
def test_openfisca_calculate_refuses_a_body_not_sent_as_json_415(client, ctype):
    headers = {"content-type": ctype} if ctype else {}
    r = client.post("/openfisca/calculate", content=b'{"persons": {"a": {}}}', headers=headers)
    _clean(r)
    assert r.status_code == 415 and "application/json" in r.json()["error"]


def test_openfisca_unknown_address_method_and_bad_json_answer_in_chinese(client):
    r = client.get("/openfisca/no-such-endpoint")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
    assert CJK.search(r.json()["error"])
    r = client.put("/openfisca/calculate")
    assert r.status_code == 405 and CJK.search(r.json()["error"])
    r = client.post("/openfisca/calculate", content=b'{"persons":', headers={"content-type": "application/json"})
    assert r.status_code == 400 and CJK.search(r.json()["error"])


# --- bodies and their messages ---------------------------------------------------------------------
def test_a_json_key_with_a_lone_surrogate_is_422_not_500(client):
    r = client.post("/api/screen", content=b'{"profile": {"\\udfff": 1}}', headers={"content-type": "application/json"})
    _clean(r)
    assert r.status_code == 422
    item = r.json()["detail"][0]
    assert item["field"].startswith("profile.") and CJK.search(item["message"])


def test_malformed_json_is_named_as_the_body_in_chinese(client):
    r = client.post("/api/screen", content=b'{"profile":', headers={"content-type": "application/json"})
    assert r.status_code == 422
    item = r.json()["detail"][0]
    assert item["field"] == "(body)" and "JSON" in item["message"] and "第 12 个字符" in item["message"]
    assert "decode error" not in item["message"]


@pytest.mark.parametrize("body, headers, field", [
    (b'{"profile": {}}', {"content-type": "text/plain"}, "(body)"),  # not parsed as JSON: not an object
    (b'{"profile": {}, "as_of": -1}', {"content-type": "application/json"}, "as_of"),  # a datetime, not a date
    (b'{"profile": {"monthly_wage": "Infinity"}}', {"content-type": "application/json"}, "profile.monthly_wage"),
])
def test_validation_messages_are_chinese(client, body, headers, field):
    r = client.post("/api/screen", content=body, headers=headers)
    assert r.status_code == 422, r.text
    items = [i for i in r.json()["detail"] if i["field"] == field]
    assert items, r.text
    text = items[0]["message"]
    assert CJK.search(text.split("：", 1)[1]) and "Input should" not in text and "Datetimes" not in text


def test_a_long_question_is_refused_in_chinese(client):
    r = client.get("/api/ask", params={"q": "失" * 5001})
    assert r.status_code == 422
    assert "最多 5000 个字符" in r.json()["detail"][0]["message"]


def test_a_multipart_body_on_a_route_without_upload_has_the_json_limit(client):
    body = b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + b"a" * 400_000 + b"\r\n--x--\r\n"
    r = client.post("/api/screen", content=body, headers={"content-type": "multipart/form-data; boundary=x"})
    assert r.status_code == 413 and "256 KB" in r.json()["detail"]["message"]


def test_nul_in_the_address_names_the_address(client):
    r = client.get("/api/policies/a%00b")
    assert r.status_code == 422
    item = r.json()["detail"][0]
    assert item["field"] == "(path)" and "请求地址" in item["message"]


# --- dates -------------------------------------------------------------------------------------------
def test_the_supported_range_starts_when_the_policy_values_do():
    """Every date the range admits can be screened: its first day works, the day before is refused."""
    import datetime as dt

    from jiuye.rules import supported_range
    from jiuye.screening import default_screener
    from jiuye.rules.period import AsOfOutOfRange

    low, _high = supported_range()
    default_screener().screen({"age": 30, "district": "乌兰浩特市"}, low)
    with pytest.raises(AsOfOutOfRange):
        default_screener().screen({"age": 30}, low - dt.timedelta(days=1))


def test_an_as_of_before_the_policy_values_is_refused_with_the_range(client):
    from jiuye.rules.period import range_text

    r = client.post("/api/screen", json={"profile": {"age": 30}, "as_of": "2000-01-01"})
    assert r.status_code == 422 and range_text() in r.json()["detail"][0]["message"]
    staff = _token(client, "sq_wlht")
    r = client.post("/api/cases", headers=staff, json={
        "procedure": "hard_to_employ_recognition", "id_number": "152201199001011231", "name": "钱七",
        "profile": {}, "as_of": "2000-01-01"})
    _clean(r)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "as_of"


def test_the_cli_refuses_an_as_of_before_the_policy_values_with_exit_code_2(tmp_path):
    from jiuye.cli import app

    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"age": 30}), encoding="utf-8")
    r = CliRunner().invoke(app, ["screen", str(profile), "--as-of", "2000-01-01"])
    assert r.exit_code == 2, r.output
    assert "2021-01-01" in r.output and "Traceback" not in r.output


# --- page addresses and forms -----------------------------------------------------------------------
def test_huge_ids_in_console_addresses_are_404_not_500(client):
    token = _page_login(client, "jd_wlht", "/console/login")
    for r in [client.get(f"/console/cases/{HUGE}", headers=HTML),
              client.get(f"/console/cases/1/attachments/{HUGE}", headers=HTML),
              client.post(f"/console/cases/{HUGE}/move", data={"to": "center_review", "version": "1", "csrf_token": token},
                          headers=HTML),
              client.post(f"/console/cases/{HUGE}/attachments", data={"material": "其他材料", "csrf_token": token},
                          files={"file": ("a.pdf", b"%PDF-1.4 x", "application/pdf")}, headers=HTML)]:
        _clean(r)
        assert r.status_code == 404 and "没有编号为" in r.text


def test_huge_ids_in_the_applicants_addresses_are_404_not_500(client):
    token = _page_login(client, "zhangmin", "/login")
    for r in [client.get(f"/my/cases/{HUGE}", headers=HTML),
              client.get(f"/my/cases/1/attachments/{HUGE}", headers=HTML),
              client.post(f"/my/cases/{HUGE}/move", data={"to": "withdrawn", "version": "1", "csrf_token": token},
                          headers=HTML)]:
        _clean(r)
        assert r.status_code == 404


def test_a_page_form_with_a_wrong_type_answers_a_chinese_page_not_json(client):
    token = _page_login(client, "jd_wlht", "/console/login")
    r = client.post("/console/cases/1/move", data={"to": "center_review", "version": "abc", "csrf_token": token},
                    headers=HTML)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "version" in r.text and "应为整数" in r.text


def test_an_applicant_without_a_district_is_asked_for_it(client):
    r = client.post("/api/cases", headers=_token(client, "liqiang"),
                    json={"procedure": "hard_to_employ_recognition", "profile": {}})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail["field"] == "district" and "None" not in detail["message"] and "旗县市" in detail["message"]


# --- HTTP --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/healthz", "/livez", "/api/policies", "/policies", "/openfisca/spec"])
def test_head_is_answered_like_get_without_a_body(client, path):
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["x-content-type-options"] == "nosniff"


def test_starlettes_own_404_and_405_are_chinese(client):
    r = client.get("/api/no-such-thing")
    assert r.status_code == 404 and CJK.search(r.json()["detail"]["message"])
    r = client.delete("/api/policies")
    assert r.status_code == 405 and CJK.search(r.json()["detail"]["message"])
    r = client.delete("/policies", headers=HTML)
    assert r.status_code == 405 and "Method Not Allowed" not in r.text and CJK.search(r.text)


@pytest.mark.parametrize("subject, field, value", [
    ("enterprise", "revenue_drop_rate", 1e308),
    ("enterprise", "revenue_drop_rate", 1.5),
    ("enterprise", "pooling_area_ui_fund_reserve_years", "Infinity"),
    ("person", "training_hours", "NaN"),
    ("person", "contribution_years", "Infinity"),
    ("person", "overtime_hours_rest_day", 1e308),
])
def test_absurd_numbers_in_numeric_inputs_are_refused_naming_the_field(client, subject, field, value):
    """1e308, Infinity and NaN (JSON as Python reads it) or a share above 1 are typing accidents: 422
    naming the field, not a verdict computed from them."""
    raw = json.dumps({"as_of": "2021-06-15", "profile": {"subject": subject, "district": "乌兰浩特市"}})
    literal = value if isinstance(value, str) else repr(value)
    raw = raw.replace('"district"', f'"{field}": {literal}, "district"', 1)
    r = client.post("/api/screen", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text[:300]
    assert any(d["field"] == f"profile.{field}" for d in r.json()["detail"]), r.text[:300]


def test_a_bad_id_number_of_an_employee_is_422_naming_the_row(client):
    """Found by Schemathesis: an enterprise's employee with a two-character 身份证号 raised inside the
    consistency checks (500). Now: 422 naming employees.<n>.id_number."""
    r = client.post("/api/screen", json={"as_of": "2021-06-15", "profile": {
        "subject": "enterprise", "district": "乌兰浩特市", "employees": [{"id_number": "12"}]}})
    assert r.status_code == 422, r.text[:300]
    assert any(d["field"] == "profile.employees.0.id_number" for d in r.json()["detail"]), r.text[:300]
