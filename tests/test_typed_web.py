"""Issue 14, items 4 and 5 on the citizen site: answers typed as people type them (十二年, 2021年6月15日,
烏蘭浩特市) are read and echoed on /find; registration asks the district (defaulting from the 身份证号);
every online application path, with everything the page says may stay empty left empty, either creates
a case or names the one field it needs — never a 500 or 「None」."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases_support import configured
from jiuye.config import data_dir
from test_web_citizen import Page, counts, csrf_of, new_client, new_credit_code, register, register_employer, valid_id

TODAY = "2026-11-24"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("typed")
    with configured(f"sqlite:///{tmp / 'typed.sqlite3'}", tmp, demo=True) as engine:
        yield engine


@pytest.fixture(scope="module")
def app(db):
    from jiuye.web.app import create_app

    return create_app()


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setenv("JIUYE_TODAY", TODAY)
    for name in ("REGISTER_ADDRESS", "APPLY_ACCOUNT", "APPLY_ADDRESS"):  # many accounts from one test client
        monkeypatch.setenv(f"JIUYE_THROTTLE_{name}", "1000/3600")


# --- /find: typed answers -----------------------------------------------------------------------------
def test_find_reads_chinese_numerals_and_dates_and_says_how(app):
    params = {"group": "unemployed", "contribution_years": "十二年", "ui_insured": "1",
              "ui_contribution_stop_date": "2021年6月15日", "district": "烏蘭浩特市"}
    with new_client(app) as c:
        r = c.get("/find", params=params)
        assert r.status_code == 200, Page(r.text).text[:600]
        page = Page(r.text)
        assert "「失业保险一共交了几年？」：「十二年」已按 12 年理解" in page.text
        assert "「失业保险停保日期」：「2021年6月15日」已按 2021-06-15 理解" in page.text
        assert "「烏蘭浩特市」已按 乌兰浩特市理解" in page.text
        # the next step carries the values as understood (and echoes nothing again)
        hidden = {f["name"]: f["value"] for f in page.form("/find")["fields"] if f["type"] == "hidden"}
        assert hidden["contribution_years"] == "12" and hidden["ui_contribution_stop_date"] == "2021-06-15"
        assert hidden["district"] == "乌兰浩特市"
        again = Page(c.get("/find", params={**hidden, "group": "unemployed"}).text)
        assert "已按" not in again.text
        # the result page shows the echo too
        result = Page(c.get("/find", params={**params, "show": "1"}).text)
        assert "「十二年」已按 12 年理解" in result.text


@pytest.mark.parametrize("field,raw,expected", [
    ("contribution_years", "很多年", "「失业保险一共交了几年？」：「很多年」不是数字"),
    ("ui_contribution_stop_date", "去年六月", "「失业保险停保日期」：「去年六月」不是日期"),
    ("district", "呼和浩特", "「您在哪个旗县市？」：「呼和浩特」不是兴安盟的旗县市"),
])
def test_find_names_the_question_whose_answer_it_cannot_read(app, field, raw, expected):
    with new_client(app) as c:
        r = c.get("/find", params={"group": "unemployed", "ui_insured": "1", field: raw})
        assert r.status_code == 422
        assert expected in Page(r.text).text


# --- registration asks the district -------------------------------------------------------------------
def _user(db, username):
    from jiuye.cases.models import User

    with Session(db) as s:
        return s.scalar(select(User).where(User.username == username))


def test_registration_defaults_the_district_from_the_id_number_and_takes_a_typed_one(app, db):
    with new_client(app) as c:
        page = Page(c.get("/register").text)
        select_ = next(f for f in page.form("/register")["fields"] if f["name"] == "district")
        assert select_["options"][0][0] == ""  # optional
        assert register(c, "reg_front", "赵前旗", valid_id("152221", "19800101", "011")).status_code == 303
    assert _user(db, "reg_front").district == "科右前旗"
    with new_client(app) as c:
        page = Page(c.get("/register").text)
        r = c.post("/register", data={"csrf_token": csrf_of(page), "name": "钱外地", "district": "扎旗",
                                      "id_number": valid_id("110105", "19800101", "021"), "phone": "13912345678",
                                      "username": "reg_chosen", "password": "secret-pass-1",
                                      "password2": "secret-pass-1", "next": "/my"}, follow_redirects=False)
        assert r.status_code == 303, Page(r.text).text[:500]
    assert _user(db, "reg_chosen").district == "扎赉特旗"
    with new_client(app) as c:
        assert register(c, "reg_beijing", "孙北京", valid_id("110105", "19800101", "031")).status_code == 303
    assert _user(db, "reg_beijing").district is None  # asked again when applying


# --- every apply path, with what may stay empty left empty ---------------------------------------------
def _procedures() -> dict[str, dict]:
    out = {}
    for p in sorted(Path(data_dir(), "procedures").glob("*.yaml")):
        d = yaml.safe_load(p.read_text(encoding="utf-8"))
        if not d.get("no_application"):
            out[p.stem] = d
    return out


def _field_value(proc: dict, name: str) -> str:
    """A procedure's own field filled from its own data: a date typed as people write it (the day
    before the test's today), any other field with the field's own description."""
    return "2026年11月2日" if name.endswith("_date") else proc.get("fields", {}).get(name, name)


def _as_a_browser_submits(page: Page, action: str, fill_fields: bool = True) -> dict:
    """The form as submitted untouched: hidden values, selects at their selected option, radios at
    the checked one (不知道), text left as it is; the procedure's own required fields (field_*)
    filled from the procedure's data when `fill_fields`."""
    proc = _procedures().get(action.rsplit("/", 1)[1], {})
    data: dict[str, str] = {}
    for f in page.form(action)["fields"]:
        name = f["name"]
        if not name:
            continue
        if f["tag"] == "select":
            data[name] = next((v for v, sel in f["options"] if sel), f["options"][0][0] if f["options"] else "")
        elif f["type"] == "radio":
            if f["checked"]:
                data[name] = f["value"]
        elif name.startswith("field_"):
            data[name] = _field_value(proc, name[len("field_"):]) if fill_fields else ""
        else:
            data[name] = f["value"]
    return data


def _assert_no_dead_end(r):
    assert r.status_code != 500
    assert "None" not in Page(r.text).text and "Traceback" not in r.text


PROCS = _procedures()
PERSON_PROCS = [k for k, d in PROCS.items() if d["applicant"] == "person"]
EMPLOYER_PROCS = [k for k, d in PROCS.items() if d["applicant"] == "enterprise"]


def _expected(proc: str, profile: dict) -> tuple[str, str]:
    """What filing `proc` with `profile` must give, decided from the catalogue and the screening
    (not from the page): ("closed", the window's end as the page writes it), ("refused", the first
    reason the screening gives) or ("filed", "")."""
    from jiuye.knowledge.loader import get_knowledge
    from jiuye.screening import screen

    policy = PROCS[proc]["policy"]
    w = get_knowledge().policies[policy].window_status(dt.date.fromisoformat(TODAY))
    if w["state"] == "closed":
        end = w["window"].end
        return "closed", f"{end.year}年{end.month}月{end.day}日 截止"
    r = next(x for x in screen(profile, TODAY).results if x.policy == policy)
    if r.status == "not_eligible":
        return "refused", next(x.text for x in r.reasons if x.state == "not_met")
    assert r.status != "window_closed", f"{proc}: the rules say closed, the catalogue {w['state']}"
    return "filed", ""


def _assert_outcome(db, r, before, expected: tuple[str, str]) -> int | None:
    """The reply is the expected one: a case filed (303 to it), or a 422 that says why in Chinese —
    the closed window with its end date, or 不符合条件 with the reason — and nothing saved."""
    from jiuye.cases.models import Case

    _assert_no_dead_end(r)
    kind, detail = expected
    text = Page(r.text).text
    if kind == "filed":
        assert r.status_code == 303, text[:800]
        assert counts(db)[1] == before[1] + 1
        with Session(db) as s:
            return s.get(Case, int(r.headers["location"].split("?")[0].rsplit("/", 1)[1])).id
    assert r.status_code == 422, text[:800]
    assert counts(db) == before
    if kind == "closed":
        assert "受理期限已过，不能建案" in text and detail in text, text[:800]
    else:
        assert "不符合条件，不能建案" in text and detail in text, text[:800]
    return None


def _person_id(proc: str, base: int) -> str:
    return valid_id("152222" if base < 200 else "110105", "19850301", f"{base + sorted(PROCS).index(proc):03d}")


def test_the_procedures_under_test_are_every_online_one():
    assert len(PERSON_PROCS) >= 4 and len(EMPLOYER_PROCS) >= 2
    assert set(PERSON_PROCS) | set(EMPLOYER_PROCS) == {k for k, d in PROCS.items() if not d.get("no_application")}
    assert "job_retention_refund" not in PERSON_PROCS + EMPLOYER_PROCS  # 免申即享
    # both outcomes of a minimal profile are exercised: some procedures file a case, some refuse on a
    # closed window (the refusal on the facts: test_a_person_whose_facts_exclude_her_is_refused_with_the_reason)
    kinds = {_expected(p, {"district": "科右中旗"})[0] for p in PERSON_PROCS}
    kinds |= {_expected(p, {"district": "科右中旗", "subject": "enterprise"})[0] for p in EMPLOYER_PROCS}
    assert {"filed", "closed"} <= kinds
    # an employer may apply for the 见习 subsidy without listing its interns (checked one by one at review)
    assert _expected("youth_internship_subsidy", {"district": "科右中旗", "subject": "enterprise"})[0] == "filed"


def test_a_person_whose_facts_exclude_her_is_refused_with_the_reason(app, db):
    """She says she works (现在没有工作: 否) and applies for 失业保险金: 422, 不符合条件 with the rules'
    reason, nothing saved."""
    proc = "unemployment_insurance_benefit"
    idn = _person_id(proc, 150)
    with new_client(app) as c:
        assert register(c, "r_works", "冯在职", idn).status_code == 303
        page = Page(c.get(f"/apply/{proc}", params={"is_unemployed": "0"}).text)
        data = _as_a_browser_submits(page, f"/apply/{proc}")
        assert data.get("is_unemployed") == "0"
        before = counts(db)
        r = c.post(f"/apply/{proc}", data=data, follow_redirects=False)
        expected = _expected(proc, {"district": "科右中旗", "id_number": idn, "is_unemployed": False})
        assert expected[0] == "refused"
        _assert_outcome(db, r, before, expected)


@pytest.mark.parametrize("proc", PERSON_PROCS)
def test_a_person_whose_id_number_gives_the_district_applies_leaving_everything_optional_empty(app, db, proc):
    from jiuye.cases.models import Case

    idn = _person_id(proc, 100)
    with new_client(app) as c:
        user = f"p_{proc}"[:30]
        assert register(c, user, "周申请", idn).status_code == 303
        page = Page(c.get(f"/apply/{proc}").text)
        assert "科右中旗" in page.text and "不对请改" in page.text  # how the district was found, shown
        before = counts(db)
        r = c.post(f"/apply/{proc}", data=_as_a_browser_submits(page, f"/apply/{proc}"), follow_redirects=False)
        case_id = _assert_outcome(db, r, before, _expected(proc, {"district": "科右中旗", "id_number": idn}))
        if case_id is not None:
            with Session(db) as s:
                assert s.get(Case, case_id).district == "科右中旗"


@pytest.mark.parametrize("proc", PERSON_PROCS)
def test_without_a_district_the_apply_page_asks_for_it_by_name_and_then_files(app, db, proc):
    idn = _person_id(proc, 300)
    with new_client(app) as c:
        user = f"q_{proc}"[:30]
        assert register(c, user, "吴外地", idn).status_code == 303
        page = Page(c.get(f"/apply/{proc}").text)
        data = _as_a_browser_submits(page, f"/apply/{proc}")
        assert data["district"] == ""
        before = counts(db)
        r = c.post(f"/apply/{proc}", data=data, follow_redirects=False)
        _assert_no_dead_end(r)
        assert r.status_code == 422
        assert "「您在哪个旗县市？」：请选择所在的旗县市" in Page(r.text).text
        assert counts(db) == before
        r = c.post(f"/apply/{proc}", data={**data, "district": "烏蘭浩特市"}, follow_redirects=False)
        _assert_outcome(db, r, before, _expected(proc, {"district": "乌兰浩特市", "id_number": idn}))


@pytest.mark.parametrize("proc", EMPLOYER_PROCS)
def test_an_employer_applies_with_its_registered_district(app, db, proc):
    with new_client(app) as c:
        code = new_credit_code(f"MA0T{sorted(PROCS).index(proc):04d}X")
        assert register_employer(c, f"e_{proc}"[:30], f"{proc}测试有限公司", code, district="突泉县").status_code == 303
        page = Page(c.get(f"/apply/{proc}").text)
        data = _as_a_browser_submits(page, f"/apply/{proc}")
        assert data["district"] == "突泉县"
        before = counts(db)
        r = c.post(f"/apply/{proc}", data=data, follow_redirects=False)
        _assert_outcome(db, r, before, _expected(proc, {"district": "突泉县", "subject": "enterprise"}))


def test_a_required_procedure_field_left_empty_or_mistyped_is_named(app, db):
    proc, field = "employment_registration_flexible", "实现就业（自主创业、灵活就业）的日期"
    with new_client(app) as c:
        assert register(c, "f_empty", "郑灵活", valid_id("152201", "19900101", "301")).status_code == 303
        page = Page(c.get(f"/apply/{proc}").text)
        before = counts(db)
        r = c.post(f"/apply/{proc}", data=_as_a_browser_submits(page, f"/apply/{proc}", fill_fields=False),
                   follow_redirects=False)
        _assert_no_dead_end(r)
        assert r.status_code == 422 and f"请填写「{field}」" in Page(r.text).text
        r = c.post(f"/apply/{proc}", data={**_as_a_browser_submits(page, f"/apply/{proc}"),
                                           "field_employment_date": "明年"}, follow_redirects=False)
        assert r.status_code == 422 and f"「{field}」：「明年」不是日期" in Page(r.text).text
        assert counts(db) == before


def test_a_student_gives_an_expected_graduation_date_in_the_future(app):
    """在读的应届生 answers with the expected date (next summer): accepted and used, not refused as
    「晚于今天」; a date absurdly far ahead is still refused, naming the question."""
    today = dt.date.fromisoformat(TODAY)
    next_summer = dt.date(today.year + 1, 6, 30).isoformat()
    with new_client(app) as c:
        r = c.get("/find", params={"group": "graduate", "college_leaving_date": next_summer, "show": "1"})
        assert r.status_code == 200, Page(r.text).text[:600]
        assert "晚于今天" not in Page(r.text).text
        far = dt.date(today.year + 20, 6, 30).isoformat()
        r = c.get("/find", params={"group": "graduate", "college_leaving_date": far})
        assert r.status_code == 422 and "您离校（毕业）的日期" in Page(r.text).text
