"""Cases: procedures, working days, roles, the audit trail, attachments, 免申即享 — against BOTH
SQLite and PostgreSQL (a fresh schema per run, dropped afterwards; see cases_support.py)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from cases_support import configured, database
from jiuye.cases import service
from jiuye.cases.demo import DEMO_PASSWORD, ENTERPRISES, PEOPLE
from jiuye.cases.models import Case, CaseEvent, User
from jiuye.cases.workdays import HolidayDataError, WorkCalendar

ZHANG_ID = PEOPLE["zhangmin"][1]
STARTUP_PROFILE = {"district": "乌兰浩特市", "is_first_business": True, "hard_to_employ_certified": True,
                   "business_operating_normally": True, "business_registration_date": "2024-01-10",
                   "poverty_alleviated_labour": False}


# --- working days (no database) ----------------------------------------------------------------
def test_notice_from_the_friday_before_national_day_2025():
    cal = WorkCalendar()
    # 2025: 10-01..10-08 off; Sunday 09-28 and Saturday 10-11 are make-up workdays.
    d = cal.add_working_days(dt.date(2025, 9, 26), 3)  # Friday
    assert d.due == dt.date(2025, 9, 30) and not d.approximate and d.note is None  # Sun 28, Mon 29, Tue 30
    assert cal.add_working_days(dt.date(2025, 9, 26), 5).due == dt.date(2025, 10, 10)  # skips the whole holiday
    assert cal.add_working_days(dt.date(2025, 9, 30), 3).due == dt.date(2025, 10, 11)  # ends on the make-up Saturday
    # weekends only would have said 10-01, in the middle of the holiday
    assert dt.date(2025, 10, 1) != d.due


def test_notice_around_national_day_2026():
    cal = WorkCalendar()
    # 2026: Mid-Autumn 09-25..27, National Day 10-01..07; Friday 09-25 is itself a holiday.
    assert cal.add_working_days(dt.date(2026, 9, 25), 3).due == dt.date(2026, 9, 30)
    assert cal.add_working_days(dt.date(2026, 9, 30), 3).due == dt.date(2026, 10, 10)  # 10-08, 10-09, Sat 10-10
    assert cal.add_calendar_days(dt.date(2026, 9, 1), 30).due == dt.date(2026, 10, 8)  # 10-01 off -> next workday


def test_2027_counts_weekends_only_and_says_so(tmp_path):
    cal = WorkCalendar(tmp_path)  # no holiday file
    d = cal.add_working_days(dt.date(2027, 9, 30), 3)  # Thursday
    assert d.due == dt.date(2027, 10, 5) and d.approximate and d.unknown_years == (2027,)
    assert "2027" in d.note and "只扣除了周末" in d.note
    across = cal.add_working_days(dt.date(2026, 12, 30), 3)  # touches 2027: flagged too
    assert across.approximate and across.due == dt.date(2027, 1, 4)
    assert not cal.add_working_days(dt.date(2026, 12, 1), 3).approximate
    # staff add the year when the State Council publishes it
    (tmp_path / "holidays.yaml").write_text(
        "years:\n  2027:\n    source: 国务院办公厅关于2027年部分节假日安排的通知（测试用）\n"
        "    holidays:\n      - {name: 国庆节, from: 2027-10-01, to: 2027-10-07}\n    workdays: [2027-10-09]\n",
        encoding="utf-8")
    cal = WorkCalendar(tmp_path)
    d = cal.add_working_days(dt.date(2027, 9, 30), 3)
    assert d.due == dt.date(2027, 10, 11) and not d.approximate and d.note is None  # Fri 10-08, Sat 10-09, Mon 10-11


def test_bad_holiday_file_is_reported(tmp_path):
    (tmp_path / "h.yaml").write_text("years:\n  2027:\n    holidays: [2027-10-01]\n", encoding="utf-8")
    with pytest.raises(HolidayDataError, match="source"):
        WorkCalendar(tmp_path)
    (tmp_path / "h.yaml").write_text("years:\n  2027:\n    source: x\n    holidays: [2028-01-01]\n", encoding="utf-8")
    with pytest.raises(HolidayDataError, match="不在 2027 年"):
        WorkCalendar(tmp_path)


# --- procedures (data) -------------------------------------------------------------------------
def test_procedures_load_and_cover_the_documented_services():
    from jiuye.cases.procedures import get_procedures

    procs = get_procedures()  # validated against the catalogue and the source texts
    for pid in ("hard_to_employ_recognition", "flexible_employment_si_subsidy", "employment_registration_employer",
                "employment_registration_flexible", "startup_subsidy", "job_retention_refund"):
        assert pid in procs
    h = procs["hard_to_employ_recognition"]
    assert [h.states[s].role for s in ("submitted", "street_review", "notice", "center_review")] == ["社区", "街道", "街道", "旗县市中心"]
    assert h.states["notice"].time_limit.days == 3 and h.states["notice"].time_limit.day_type == "working"
    f = procs["flexible_employment_si_subsidy"]
    path = ["submitted", "street_review", "center_review", "hrss_approval", "finance_approval", "payment", "paid"]
    assert [f.states[s].role for s in path[:-1]] == ["社区", "街道", "旗县市中心", "人社局", "财政局", "旗县市中心"]
    assert procs["employment_registration_employer"].states["draft"].time_limit.days == 30
    assert procs["job_retention_refund"].no_application


def test_a_broken_procedure_file_is_refused(tmp_path):
    from jiuye.cases.procedures import ProcedureError, load_procedures

    (tmp_path / "x.yaml").write_text(
        "id: x\npolicy: startup_subsidy\nname: x\napplicant: person\nstart: a\n"
        "sources: [{document: '003', quote: 各地就业服务部门初审后报同级人社局审核、财政局审批拨付。}]\n"
        "states:\n  a: {label: A, role: 旗县市中心}\n  b: {label: B, final: true}\n"
        "transitions:\n  - {from: a, to: c, action: go}\n", encoding="utf-8")
    with pytest.raises(ProcedureError, match="未定义的状态「c」"):
        load_procedures(tmp_path)


# --- the database, both backends ---------------------------------------------------------------
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    with database(request.param, tmp) as url, configured(url, tmp) as engine:
        yield Env(request.param, url, engine)


class Env:
    def __init__(self, backend, url, engine):
        self.backend, self.url, self.engine = backend, url, engine
        self.tokens: dict[str, str] = {}

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def user(self, s: Session, username: str) -> User:
        return s.scalar(select(User).where(User.username == username))

    def token(self, client, username: str) -> dict:
        if username not in self.tokens:
            r = client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD})
            assert r.status_code == 200, r.text
            self.tokens[username] = r.json()["token"]
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def new_case(self, procedure="flexible_employment_si_subsidy", applicant="zhangmin", **kw) -> int:
        with self.session() as s:
            kw.setdefault("profile", {"district": "乌兰浩特市"})
            return service.create_case(s, self.user(s, applicant), procedure, **kw).id

    def move(self, case_id, username, to, comment="ok", version=None):
        with self.session() as s:
            return service.transition(s, self.user(s, username), case_id, to, comment=comment, expected_version=version)


@pytest.fixture(scope="module")
def client():
    from fastapi.testclient import TestClient

    from jiuye.web.app import create_app

    with TestClient(create_app()) as c:
        yield c


def test_migrations_fresh_and_existing(env, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from jiuye.store import db
    from jiuye.cases.models import Base

    assert db.current_revision(env.engine) == db.head_revision()
    assert db.upgrade(env.engine) == db.head_revision()  # existing database: nothing to do, no error
    names = set(inspect(env.engine).get_table_names())
    assert {"offices", "users", "people", "enterprises", "auth_tokens", "cases", "case_events", "attachments"} <= names
    with env.engine.connect() as conn:  # the models and the migrations describe the same schema
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert not [d for d in diffs if d[0] not in ("add_index", "remove_index")], diffs


def test_audit_trail_is_append_only(env):
    cid = env.new_case()
    with env.engine.connect() as conn:
        for sql in ("UPDATE case_events SET comment = 'changed' WHERE case_id = :c", "DELETE FROM case_events WHERE case_id = :c"):
            with pytest.raises(Exception, match="append-only"):
                with conn.begin():
                    conn.execute(text(sql), {"c": cid})
    with env.session() as s:
        assert s.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == cid)) == 1


def test_a_subsidy_travels_its_whole_procedure_through_the_api(env, client, monkeypatch):
    monkeypatch.setenv("JIUYE_TODAY", "2025-09-26")  # an applicant's application is screened as of today
    h = env.token(client, "zhangmin")
    r = client.post("/api/cases", headers=h, json={"procedure": "flexible_employment_si_subsidy",
                                                   "profile": {"district": "乌兰浩特市"}})
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["state"] == "submitted" and case["version"] == 1 and case["acting_role"] == "社区"
    assert case["screening_snapshot"]["as_of"] == "2025-09-26"
    steps = [("sq_wlht", "street_review"), ("jd_wlht", "center_review"), ("zx_wlht", "hrss_approval"),
             ("rsj_wlht", "finance_approval"), ("czj_wlht", "payment"), ("zx_wlht", "paid")]
    for who, to in steps:
        r = client.post(f"/api/cases/{case['id']}/transitions", headers=env.token(client, who),
                        json={"to": to, "comment": f"{who} 同意", "version": case["version"]})
        assert r.status_code == 200, (who, to, r.text)
        assert r.json()["version"] == case["version"] + 1
        case = r.json()
    assert case["final"] and case["outcome"] == "paid" and case["moves"] == []
    events = client.get(f"/api/cases/{case['id']}/events", headers=h).json()
    assert [e["to_state"] for e in events] == ["submitted"] + [to for _, to in steps]
    assert [e["from_state"] for e in events[1:]] == ["submitted"] + [to for _, to in steps[:-1]]
    assert all(e["who"] and e["at"] and e["comment"] for e in events)
    assert events[-1]["role"] == "旗县市中心" and events[-1]["transition_no"] == case["version"]


def test_moves_off_the_procedure_are_refused_with_a_message(env, client):
    cid = env.new_case()
    r = client.post(f"/api/cases/{cid}/transitions", headers=env.token(client, "sq_wlht"), json={"to": "paid"})
    assert r.status_code == 422
    msg = r.json()["detail"]["message"]
    assert "不能转为「补贴已发放」" in msg and "受理并提交街道初审" in msg and "street_review" in msg
    r = client.post(f"/api/cases/{cid}/transitions", headers=env.token(client, "sq_wlht"), json={"to": "nonsense"})
    assert r.status_code == 422 and "本流程没有这个状态" in r.json()["detail"]["message"]
    # a real step, but not this role's
    r = client.post(f"/api/cases/{cid}/transitions", headers=env.token(client, "jd_wlht"), json={"to": "street_review"})
    assert r.status_code == 403 and "由社区办理" in r.json()["detail"]["message"]
    # rejecting needs a reason
    r = client.post(f"/api/cases/{cid}/transitions", headers=env.token(client, "sq_wlht"), json={"to": "rejected"})
    assert r.status_code == 422 and "须填写意见" in r.json()["detail"]["message"]
    # a stale version
    r = client.post(f"/api/cases/{cid}/transitions", headers=env.token(client, "sq_wlht"),
                    json={"to": "street_review", "version": 7})
    assert r.status_code == 409 and "已被他人处理" in r.json()["detail"]["message"]
    with env.session() as s:
        assert s.get(Case, cid).version == 1  # nothing of this changed the case


def test_two_reviewers_at_once_exactly_one_wins(env):
    cases = [env.new_case() for _ in range(6)]
    for cid in cases:
        results: list = []
        barrier = threading.Barrier(2)

        def act(cid=cid, results=results, barrier=barrier):
            with env.session() as s:
                me = env.user(s, "sq_wlht")
                version = service.load_case(s, me, cid).version
                s.rollback()
                barrier.wait()
                try:
                    service.transition(s, me, cid, "street_review", comment="受理", expected_version=version)
                    results.append("ok")
                except service.Conflict as exc:
                    results.append(str(exc))

        threads = [threading.Thread(target=act) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(results, key=lambda r: r != "ok")[0] == "ok" and results.count("ok") == 1, results
        assert "已被他人处理" in next(r for r in results if r != "ok")
        with env.session() as s:
            assert s.get(Case, cid).version == 2
            assert s.scalar(select(func.count()).select_from(CaseEvent)
                            .where(CaseEvent.case_id == cid, CaseEvent.kind == "transition")) == 1


def test_a_failure_in_the_middle_of_a_transition_changes_nothing(env, monkeypatch):
    cid = env.new_case()
    env.move(cid, "sq_wlht", "street_review")
    original = service._record_event

    def record_then_fail(*args, **kwargs):
        original(*args, **kwargs)  # the case row is updated and the audit row written ...
        raise RuntimeError("disk full")  # ... then something breaks before the commit

    monkeypatch.setattr(service, "_record_event", record_then_fail)
    with pytest.raises(RuntimeError):
        env.move(cid, "jd_wlht", "center_review")
    monkeypatch.setattr(service, "_record_event", original)
    with env.session() as s:
        case = s.get(Case, cid)
        assert (case.state, case.version, case.assigned_office_id is not None) == ("street_review", 2, True)
        events = list(s.scalars(select(CaseEvent).where(CaseEvent.case_id == cid).order_by(CaseEvent.id)))
        assert [e.to_state for e in events] == ["submitted", "street_review"]
    assert env.move(cid, "jd_wlht", "center_review").version == 3  # and the case still works


def test_every_endpoint_as_the_wrong_user(env, client):
    from jiuye.web.api_cases import router

    own = env.token(client, "zhangmin")
    r = client.post("/api/cases", headers=own, json={"procedure": "flexible_employment_si_subsidy",
                                                     "profile": {"district": "乌兰浩特市"}})
    cid = r.json()["id"]
    r = client.post(f"/api/cases/{cid}/attachments", headers=own, data={"material": "其他材料"},
                    files={"file": ("a.pdf", b"%PDF-1.4 mine", "application/pdf")})
    aid = r.json()["id"]
    other_cid = env.new_case(applicant="liqiang", procedure="unemployment_registration", profile={"district": "扎赉特旗"})
    covered: set[tuple[str, str]] = set()

    def call(method, path, route, who, expect, **kw):
        covered.add((method, route))
        headers = env.token(client, who) if who else {}
        r = client.request(method, path, headers=headers, **kw)
        assert r.status_code in expect, (method, path, who, r.status_code, r.text)
        return r

    wrong = ["liqiang", "sq_zlt", "jd_zlt", "zx_zlt", "rsj_zlt", "czj_zlt", "mz"]  # other applicant, other districts
    for who in wrong:
        c = "/api/cases/{case_id}"
        call("GET", f"/api/cases/{cid}", c, who, {404})
        call("GET", f"/api/cases/{cid}/events", c + "/events", who, {404})
        call("POST", f"/api/cases/{cid}/transitions", c + "/transitions", who, {403, 404}, json={"to": "street_review"})
        call("GET", f"/api/cases/{cid}/attachments", c + "/attachments", who, {404})
        call("POST", f"/api/cases/{cid}/attachments", c + "/attachments", who, {403, 404}, data={"material": "其他材料"},
             files={"file": ("x.pdf", b"%PDF-1.4 not yours", "application/pdf")})
        call("GET", f"/api/cases/{cid}/attachments/{aid}", c + "/attachments/{attachment_id}", who, {404})
        listed = call("GET", "/api/cases", "/api/cases", who, {200}).json()
        assert cid not in [x["id"] for x in listed["cases"]]
        overdue = call("GET", "/api/cases/overdue", "/api/cases/overdue", who, {200}).json()
        assert cid not in [x["id"] for g in overdue["offices"] for x in g["cases"]]
        csv_text = call("GET", "/api/cases/export.csv", "/api/cases/export.csv", who, {200}).text
        assert f"\n{cid}," not in csv_text
    # the owner cannot reach into another applicant's case or attachment
    call("GET", f"/api/cases/{other_cid}", "/api/cases/{case_id}", "zhangmin", {404})
    call("GET", f"/api/cases/{other_cid}/attachments/{aid}", "/api/cases/{case_id}/attachments/{attachment_id}", "zhangmin", {404})
    # same district, wrong role: may see, may not act
    call("POST", f"/api/cases/{cid}/transitions", "/api/cases/{case_id}/transitions", "rsj_wlht", {403},
         json={"to": "street_review"})
    # creating: staff only in their own district; applicants only for themselves
    call("POST", "/api/cases", "/api/cases", "zx_zlt", {403},
         json={"procedure": "unemployment_registration", "district": "乌兰浩特市", "id_number": ZHANG_ID, "name": "张敏（演示）"})
    call("POST", "/api/cases", "/api/cases", "liqiang", {403},
         json={"procedure": "unemployment_registration", "id_number": ZHANG_ID, "profile": {"district": "乌兰浩特市"}})
    call("POST", "/api/cases", "/api/cases", "rsj_wlht", {403}, json={"procedure": "unemployment_registration"})
    # 免申即享 import: not for applicants; other districts' rows are skipped
    rows = [{"policy": "job_retention_refund", "status": "eligible", "amount": "100", "name": "测试企业",
             "credit_code": ENTERPRISES["xingan_food"][1], "district": "乌兰浩特市", "as_of": "2021-01-01"}]
    call("POST", "/api/cases/import-batch", "/api/cases/import-batch", "zhangmin", {403}, json={"rows": rows})
    rep = call("POST", "/api/cases/import-batch", "/api/cases/import-batch", "zx_zlt", {201}, json={"rows": rows}).json()
    assert rep["created"] == [] and "不在您的辖区" in rep["skipped"][0]["reason"]
    call("POST", "/api/cases/import-batch/file", "/api/cases/import-batch/file", "liqiang", {403},
         files={"file": ("b.json", json.dumps(rows).encode(), "application/json")})
    # accounts: only the admin adds users; no token, no data
    call("POST", "/api/users", "/api/users", "zx_wlht", {403},
         json={"username": "x1", "password": "long-enough", "role": "社区", "office_id": 1})
    # identity checks at the window: not by an applicant, not by a finance or 人社局 approver, not without a token
    from jiuye.cases.demo import PEOPLE
    for who, expected in (("liqiang", {403}), ("czj_wlht", {403}), ("rsj_wlht", {403}), (None, {401})):
        call("POST", "/api/users/zhangmin/verify-identity", "/api/users/{username}/verify-identity", who, expected,
             json={"id_number": PEOPLE["zhangmin"][1]})
    call("GET", "/api/me", "/api/me", None, {401})
    call("GET", "/api/procedures", "/api/procedures", None, {401})
    call("GET", "/api/procedures/startup_subsidy", "/api/procedures/{procedure_id}", None, {401})
    call("GET", "/api/offices", "/api/offices", None, {401})
    call("POST", "/api/auth/logout", "/api/auth/logout", None, {401})
    call("POST", "/api/auth/login", "/api/auth/login", None, {401}, json={"username": "zhangmin", "password": "wrong"})
    routes = {(m, r.path) for r in router.routes for m in r.methods}
    assert routes - covered == set(), f"endpoints not tried as the wrong user: {routes - covered}"


def test_notice_period_starting_the_friday_before_national_day(env, monkeypatch):
    monkeypatch.setenv("JIUYE_TODAY", "2025-09-26")  # Friday
    cid = env.new_case("hard_to_employ_recognition", profile={"district": "乌兰浩特市"})
    env.move(cid, "sq_wlht", "street_review")
    case = env.move(cid, "jd_wlht", "notice")
    assert case.due_on == dt.date(2025, 9, 30) and not case.due_approximate
    monkeypatch.setenv("JIUYE_TODAY", "2025-09-30")  # last day of the notice: too early to go on
    with pytest.raises(service.Invalid, match="2025-09-30"):
        env.move(cid, "jd_wlht", "center_review")
    monkeypatch.setenv("JIUYE_TODAY", "2025-10-09")
    assert env.move(cid, "jd_wlht", "center_review").state == "center_review"


def test_a_2027_deadline_counts_weekends_only_and_says_so_everywhere(env, client, monkeypatch, tmp_path):
    monkeypatch.setenv("JIUYE_TODAY", "2027-09-30")
    cid = env.new_case("hard_to_employ_recognition", profile={"district": "乌兰浩特市"})
    env.move(cid, "sq_wlht", "street_review")
    case = env.move(cid, "jd_wlht", "notice")
    assert case.due_on == dt.date(2027, 10, 5) and case.due_approximate and "2027" in case.due_note
    h = env.token(client, "jd_wlht")
    detail = client.get(f"/api/cases/{cid}", headers=h).json()
    assert detail["deadline"]["approximate"] and "只扣除了周末" in detail["deadline"]["note"]
    listed = {c["id"]: c for c in client.get("/api/cases", headers=h).json()["cases"]}
    assert listed[cid]["deadline"]["approximate"] and listed[cid]["deadline"]["note"]
    assert "只扣除了周末" in client.get("/api/cases/export.csv", headers=h).text
    monkeypatch.setenv("JIUYE_TODAY", "2027-10-06")
    overdue = client.get("/api/cases/overdue", headers=h).json()
    mine = [c for g in overdue["offices"] for c in g["cases"] if c["id"] == cid]
    assert mine and mine[0]["deadline"]["overdue"] and mine[0]["deadline"]["note"]
    # once the year is entered, the deadline is recounted and the warning goes
    (tmp_path / "holidays.yaml").write_text(
        "years:\n  2027:\n    source: 测试\n    holidays:\n      - {name: 国庆节, from: 2027-10-01, to: 2027-10-07}\n"
        "    workdays: [2027-10-09]\n", encoding="utf-8")
    from jiuye.cases import lifecycle  # where a state's deadline is counted

    monkeypatch.setattr(lifecycle, "default_calendar", lambda: WorkCalendar(tmp_path))
    with env.session() as s:
        assert service.refresh_deadlines(s) >= 1
        case = s.get(Case, cid)
        assert case.due_on == dt.date(2027, 10, 11) and not case.due_approximate and case.due_note is None


def test_registration_due_30_days_after_hiring_and_overdue_per_office(env, client, monkeypatch):
    monkeypatch.setenv("JIUYE_TODAY", "2025-09-20")
    with env.session() as s:
        firm = env.user(s, "xingan_food")
        case = service.create_case(s, firm, "employment_registration_employer", profile={"subject": "enterprise"},
                                   fields={"hire_date": "2025-09-01"})
        assert case.due_on == dt.date(2025, 10, 9)  # 10-01..10-08 off: the period runs to the next workday
        cid = case.id
        with pytest.raises(service.Invalid, match="录用"):
            service.create_case(s, firm, "employment_registration_employer", profile={"subject": "enterprise"})
    monkeypatch.setenv("JIUYE_TODAY", "2025-10-10")
    groups = client.get("/api/cases/overdue", headers=env.token(client, "zx_wlht")).json()["offices"]
    assert cid in [c["id"] for g in groups for c in g["cases"]]
    env.move(cid, "xingan_food", "submitted", comment="补办")
    with env.session() as s:
        submitted = s.get(Case, cid)
        assert submitted.due_on is None and submitted.assigned_office_id is not None
        office_id = submitted.assigned_office_id
    groups = client.get(f"/api/cases/overdue?office_id={office_id}", headers=env.token(client, "zx_wlht")).json()["offices"]
    assert cid not in [c["id"] for g in groups for c in g["cases"]]


def test_an_application_keeps_its_screening_as_it_was(env, client, monkeypatch):
    monkeypatch.setenv("JIUYE_TODAY", "2025-09-26")  # an applicant's application is screened as of today
    h = env.token(client, "zhangmin")
    r = client.post("/api/cases", headers=h, json={"procedure": "startup_subsidy", "profile": STARTUP_PROFILE})
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["screening"] == {"as_of": "2025-09-26", "status": "eligible", "amount": 5000.0, "amount_fen": 500000,
                              "unit": c["screening"]["unit"]}
    reasons = c["screening_snapshot"]["result"]["reasons"]
    assert any("20 个月" in x["text"] for x in reasons)  # computed on 2025-09-26, not today
    assert c["screening_snapshot"]["profile"]["business_registration_date"] == "2024-01-10"
    # not eligible: refused, with the reasons
    r = client.post("/api/cases", headers=h, json={"procedure": "startup_subsidy",
                                                   "profile": {"district": "乌兰浩特市", "is_first_business": False}})
    assert r.status_code == 422 and "不符合条件" in r.json()["detail"]["message"]
    r = client.post("/api/cases", headers=h, json={"procedure": "job_retention_refund"})
    assert r.status_code == 422 and "免申即享" in r.json()["detail"]["message"]


def test_id_numbers_are_validated_stored_once_and_masked(env, client, caplog):
    caplog.set_level(logging.DEBUG)
    h = env.token(client, "sq_wlht")
    from jiuye.idcard import check_char

    new_id = "15220119900101123" + check_char("15220119900101123")
    bad_id = new_id[:17] + ("0" if new_id[17] != "0" else "1")
    r = client.post("/api/cases", headers=h, json={"procedure": "flexible_employment_si_subsidy",
                                                   "id_number": bad_id, "name": "王五"})
    assert r.status_code == 422 and "校验码" in r.json()["detail"]["message"]
    r = client.post("/api/cases", headers=h, json={"procedure": "flexible_employment_si_subsidy", "id_number": new_id,
                                                   "name": "王五", "profile": {"id_number": new_id, "district": "乌兰浩特市"}})
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    r = client.post(f"/api/cases/{cid}/transitions", headers=h,
                    json={"to": "returned", "comment": f"请核对 {new_id} 的户口本"})
    texts = [json.dumps(client.get(f"/api/cases/{cid}", headers=h).json(), ensure_ascii=False),
             client.get("/api/cases", headers=h).text, client.get("/api/cases/export.csv", headers=h).text, r.text,
             caplog.text]
    for t in texts:
        assert new_id not in t
    masked = "152201********" + new_id[-4:]
    assert masked in texts[0] and f"请核对 {masked} 的户口本" in texts[0]
    with env.engine.connect() as conn:  # the number itself is in one row of one table, nowhere else
        hits = 0
        for table in ("people", "users", "cases", "case_events", "attachments", "enterprises", "offices"):
            for row in conn.execute(text(f"SELECT * FROM {table}")):
                hits += sum(new_id in str(v) for v in row)
        assert hits == 1


def test_attachments_limits_type_and_checksum(env, client, monkeypatch):
    h = env.token(client, "zhangmin")
    cid = env.new_case()
    pdf = b"%PDF-1.7\n" + b"x" * 2000
    r = client.post(f"/api/cases/{cid}/attachments", headers=h, data={"material": "当年缴费收据"},
                    files={"file": ("收据.pdf", pdf, "application/pdf")})
    assert r.status_code == 201, r.text
    att = r.json()
    assert att["sha256"] == hashlib.sha256(pdf).hexdigest() and att["size"] == len(pdf)
    from jiuye.config import attachments_dir

    path = attachments_dir() / att["sha256"][:2] / att["sha256"]
    assert path.read_bytes() == pdf
    got = client.get(f"/api/cases/{cid}/attachments/{att['id']}", headers=h)
    assert got.content == pdf and got.headers["x-checksum-sha256"] == att["sha256"]
    listing = client.get(f"/api/cases/{cid}/attachments", headers=h).json()
    assert {"name": "当年缴费收据", "attachments": 1} in listing["materials"]
    bad = [({"material": "当年缴费收据"}, ("a.exe", b"MZ\x90\x00", "application/pdf"), "只接受"),
           ({"material": "不在清单上的东西"}, ("a.pdf", pdf, "application/pdf"), "不在"),
           ({"material": "当年缴费收据"}, ("a.png", pdf, "image/png"), "不符")]
    for data, file, msg in bad:
        r = client.post(f"/api/cases/{cid}/attachments", headers=h, data=data, files={"file": file})
        assert r.status_code == 422 and msg in r.json()["detail"]["message"], r.text
    monkeypatch.setenv("JIUYE_ATTACHMENT_MAX_BYTES", "1000")
    r = client.post(f"/api/cases/{cid}/attachments", headers=h, data={"material": "当年缴费收据"},
                    files={"file": ("big.pdf", pdf, "application/pdf")})
    assert r.status_code == 422 and "上限" in r.json()["detail"]["message"]
    path.write_bytes(pdf + b"tampered")
    r = client.get(f"/api/cases/{cid}/attachments/{att['id']}", headers=h)
    assert r.status_code == 422 and "校验和不符" in r.json()["detail"]["message"]
    path.write_bytes(pdf)
    events = client.get(f"/api/cases/{cid}/events", headers=h).json()
    assert events[-1]["kind"] == "attachment" and events[-1]["data"]["sha256"] == att["sha256"]


def test_no_application_cases_come_from_a_batch_and_wait_for_staff(env, client):
    h = env.token(client, "zx_wlht")
    code = ENTERPRISES["xingan_food"][1]
    rows = [
        {"policy": "job_retention_refund", "status": "eligible", "amount": "8,640.00", "name": "兴安绿源食品有限公司（演示）",
         "credit_code": code, "district": "乌兰浩特", "as_of": "2022-06-30", "reasons": "足额缴费1年以上；不欠费"},
        {"policy": "job_retention_refund", "status": "not_eligible", "name": "甲", "credit_code": code, "district": "乌兰浩特市"},
        {"policy": "startup_subsidy", "status": "eligible", "name": "乙", "credit_code": code, "district": "乌兰浩特市"},
        {"policy": "job_retention_refund", "status": "eligible", "name": "丙", "credit_code": "91152201MA0000000X",
         "district": "乌兰浩特市"},
        {"results": [{"policy": "job_retention_refund", "status": "eligible", "amount_fen": 12000}],
         "profile": {"name": "丁（演示）", "credit_code": code, "district": "乌兰浩特市"}, "as_of": "2022-07-31"},
    ]
    r = client.post("/api/cases/import-batch", headers=h, json={"rows": rows, "source": "test.json"})
    assert r.status_code == 201, r.text
    rep = r.json()
    assert len(rep["created"]) == 2 and len(rep["skipped"]) == 2  # not eligible; bad credit code (startup row ignored)
    again = client.post("/api/cases/import-batch", headers=h, json={"rows": rows}).json()
    assert again["created"] == [] and again["existing"] == 2  # importing twice creates nothing twice
    cid = rep["created"][0]
    c = client.get(f"/api/cases/{cid}", headers=h).json()
    assert c["state"] == "pending_confirmation" and not c["final"] and c["channel"] == "batch"
    assert c["screening"]["amount_fen"] == 864000 and c["screening_snapshot"]["source"]["row"] == 1
    # nothing is paid without a person confirming first
    r = client.post(f"/api/cases/{cid}/transitions", headers=h, json={"to": "paid"})
    assert r.status_code == 422
    for to in ("confirmed", "paid"):
        r = client.post(f"/api/cases/{cid}/transitions", headers=h, json={"to": to, "comment": "核实无误"})
        assert r.status_code == 200, r.text
    from jiuye.cases.security import credit_code_with_check

    other = credit_code_with_check("91152201MA0CCC001")
    r = client.post("/api/cases/import-batch/file", headers=h,
                    files={"file": ("list.csv", "政策,结论,金额,单位名称,统一社会信用代码,旗县市\n"
                                                "job_retention_refund,符合,100,戊,%s,乌兰浩特市\n" % other, "text/csv")})
    assert r.status_code == 201 and len(r.json()["created"]) == 1
    # the results file of `jiuye batch` as it is (one row per enterprise and policy; `id` = credit code)
    third = credit_code_with_check("91152201MA0CCC002")
    out = [{"row": 1, "id": third, "district": "乌兰浩特市", "policy": "job_retention_refund", "policy_name": "稳岗返还",
            "status": "eligible", "amount": 1234.5, "amount_fen": 123450, "unit": "元", "months": None,
            "total_fen": 123450, "reason": "符合条件"},
           {"row": 2, "id": "152201********1234", "district": "乌兰浩特市", "policy": "job_retention_refund",
            "status": "eligible", "amount_fen": 1}]
    rep = client.post("/api/cases/import-batch", headers=h, json={"rows": out, "source": "results.csv"}).json()
    assert len(rep["created"]) == 1 and "已脱敏" in rep["skipped"][0]["reason"]



# --- tokens, the embedded default, the command line (SQLite) -----------------------------------
@pytest.fixture()
def sqlite_env(tmp_path):
    with configured(f"sqlite:///{tmp_path / 'cli.sqlite3'}", tmp_path, demo=True) as engine:
        yield engine


def test_tokens_expire_and_logout_revokes(sqlite_env, client):
    from jiuye.cases.models import AuthToken

    r = client.post("/api/auth/login", json={"username": "zx_wlht", "password": DEMO_PASSWORD})
    h = {"Authorization": f"Bearer {r.json()['token']}"}
    assert client.get("/api/me", headers=h).json()["role"] == "county_center"
    with Session(sqlite_env) as s:
        s.execute(AuthToken.__table__.update().values(expires_at=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)))
        s.commit()
    r = client.get("/api/me", headers=h)
    assert r.status_code == 401 and "过期" in r.json()["detail"]["message"]
    r = client.post("/api/auth/login", json={"username": "zx_wlht", "password": DEMO_PASSWORD})
    h = {"Authorization": f"Bearer {r.json()['token']}"}
    assert client.post("/api/auth/logout", headers=h).status_code == 200
    assert client.get("/api/me", headers=h).status_code == 401
    with Session(sqlite_env) as s:  # only digests are stored, never the token or the password
        assert all(len(t.token_hash) == 64 for t in s.scalars(select(AuthToken)))
        assert all(u.password_hash.startswith("$argon2id$") for u in s.scalars(select(User)))


def test_the_embedded_default_migrates_and_shows_demo_data(tmp_path, client, monkeypatch):
    from jiuye.store import db

    monkeypatch.delenv("JIUYE_DATABASE_URL", raising=False)
    monkeypatch.setenv("JIUYE_VAR_DIR", str(tmp_path / "var"))
    db.forget()
    try:
        r = client.post("/api/auth/login", json={"username": "zx_wlht", "password": DEMO_PASSWORD})
        assert r.status_code == 200
        cases = client.get("/api/cases", headers={"Authorization": f"Bearer {r.json()['token']}"}).json()
        assert cases["total"] >= 4 and (tmp_path / "var" / "jiuye.sqlite3").exists()
        # a configured database that was never migrated is not touched: 503 with what to do
        monkeypatch.setenv("JIUYE_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
        db.forget()
        r = client.post("/api/auth/login", json={"username": "x", "password": "y"})
        assert r.status_code == 503 and "jiuye db upgrade" in r.json()["detail"]["message"]
    finally:
        db.forget()


def test_command_line(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from jiuye.store import db
    from jiuye.cli import app

    monkeypatch.setenv("JIUYE_DATABASE_URL", f"sqlite:///{tmp_path / 'c.sqlite3'}")
    monkeypatch.setenv("JIUYE_ATTACHMENTS_DIR", str(tmp_path / "att"))
    monkeypatch.setenv("JIUYE_PASSWORD", DEMO_PASSWORD)
    monkeypatch.setenv("COLUMNS", "200")
    db.forget()
    run = CliRunner().invoke
    try:
        r = run(app, ["cases", "list", "--as", "admin"])
        assert r.exit_code == 2 and "jiuye db upgrade" in r.output
        r = run(app, ["db", "upgrade"])
        assert r.exit_code == 0 and f"（空库） → {db.head_revision()}" in r.output
        assert "已是最新版本" in run(app, ["db", "upgrade"]).output  # existing database
        r = run(app, ["demo-data"])
        assert r.exit_code == 0 and "zx_wlht" in r.output
        assert "已加载过" in run(app, ["demo-data"]).output
        r = run(app, ["cases", "list", "--as", "jd_wlht", "--json"])
        cases = json.loads(r.output)["cases"]
        notice = next(c for c in cases if c["state"] == "notice")
        assert PEOPLE["zhangmin"][1] not in r.output and "152201********" in r.output
        r = run(app, ["cases", "show", str(notice["id"]), "--as", "jd_wlht"])
        assert r.exit_code == 0 and "公示中" in r.output and "jiuye cases move" in r.output
        r = run(app, ["cases", "move", str(notice["id"]), "approved", "--as", "jd_wlht"])
        assert r.exit_code == 2 and "不能转为" in r.output
        flex = next(c for c in cases if c["state"] == "street_review")
        r = run(app, ["cases", "move", str(flex["id"]), "center_review", "--as", "jd_wlht", "-m", "初审通过",
                      "--version", str(flex["version"])])
        assert r.exit_code == 0 and "已转为「就业服务中心审核汇总」" in r.output, r.output
        r = run(app, ["cases", "move", str(flex["id"]), "hrss_approval", "--as", "zx_zlt"])
        assert r.exit_code == 2 and "没有编号" in r.output  # another district's case is invisible
        r = run(app, ["cases", "overdue", "--as", "zx_wlht", "--json"])
        assert r.exit_code == 0 and json.loads(r.output)["offices"]  # the demo registration is overdue
        r = run(app, ["cases", "list", "--as", "zhangmin", "--csv"])
        assert r.exit_code == 0 and "证件号（脱敏）" in r.output and PEOPLE["zhangmin"][1] not in r.output
        batch = tmp_path / "b.json"
        batch.write_text(json.dumps([{"policy": "job_retention_refund", "status": "符合", "amount": "10",
                                      "name": "甲（演示）", "credit_code": ENTERPRISES["xingan_food"][1],
                                      "district": "乌兰浩特市", "as_of": "2022-01-31"}], ensure_ascii=False), encoding="utf-8")
        r = run(app, ["cases", "import-batch", str(batch), "--as", "zx_wlht"])
        assert r.exit_code == 0 and "新建待确认案件 1 件" in r.output
        monkeypatch.setenv("JIUYE_PASSWORD", "wrong")
        assert run(app, ["cases", "list", "--as", "admin"]).exit_code == 2
    finally:
        db.forget()


def test_a_failed_login_with_an_id_number_as_user_name_logs_it_masked(tmp_path, caplog):
    import logging

    from jiuye.cases import service
    from jiuye.cases.demo import PEOPLE

    idn = PEOPLE["zhangmin"][1]
    with database("sqlite", tmp_path) as url, configured(url, tmp_path) as engine:
        from sqlalchemy.orm import Session
        with caplog.at_level(logging.INFO), Session(engine) as s:
            with pytest.raises(service.CaseError):
                service.login(s, idn, "wrong")
    assert caplog.text and idn not in caplog.text and idn[:6] in caplog.text
