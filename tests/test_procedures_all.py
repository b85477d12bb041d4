"""Every procedure in data/procedures/, end to end (issue 17, item 1): each file's states rest on a
sentence of the documents or say that they assume; each is walked through the case service (SQLite,
the demo offices and users) along its usual course by the role each step names, with the deadlines
checked against an independent count; every other move is taken once by its role and refused to the
wrong one; and the citizen's /apply page shows the steps, with the assumptions marked.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import deque

import chinese_calendar
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases_support import configured
from jiuye.cases import roles, service
from jiuye.cases.models import Case, CaseEvent, User
from jiuye.cases.procedures import ProcedureError, get_procedures, load_procedures
from jiuye.knowledge.loader import get_knowledge

PROCS = get_procedures()
DISTRICT = "乌兰浩特市"
# the demo's users of 乌兰浩特市, by the role code they act in
STAFF = {"community": "sq_wlht", "street": "jd_wlht", "county_center": "zx_wlht", "hrss": "rsj_wlht",
         "finance": "czj_wlht", "bank": "yh_wlht"}
# someone in another district for every role: never allowed to act on a 乌兰浩特市 case
ELSEWHERE = {"community": "sq_zlt", "street": "jd_zlt", "county_center": "zx_zlt", "hrss": "rsj_zlt",
             "finance": "czj_zlt", "bank": "yh_zlt"}
APPLICANT = {"person": "zhangmin", "enterprise": "xingan_food"}
OTHER_APPLICANT = {"person": "liqiang", "enterprise": "zhangmin"}
# Where the rules refuse the usual demo applicant: 张敏 (b. 1975, a woman) is over 创业培训's age limit
# (003: "男不超过 60 周岁，女不超过 50 周岁"); 李强 (b. 1980, a man) is within it. (applicant, another one)
APPLICANT_OF = {"entrepreneurship_training": ("liqiang", "zhangmin")}


def applicant_of(proc) -> str:
    return APPLICANT_OF.get(proc.id, (APPLICANT[proc.applicant],))[0]


def other_applicant_of(proc) -> str:
    return APPLICANT_OF[proc.id][1] if proc.id in APPLICANT_OF else OTHER_APPLICANT[proc.applicant]
SUCCESS = ("approved", "paid", "done")

# What the issue lists (item 1): a procedure for each, or more than one (《就业创业证》 申领 / 更换 / 补发;
# 就业见习: the unit's subsidy and the young person's 报名).
REQUIRED = {
    "employment_card": 3, "employment_registration_employer": 1, "employment_registration_flexible": 1,
    "unemployment_registration": 1, "unemployment_insurance_benefit": 1, "unemployment_assistance": 1,
    "temporary_living_allowance": 1, "rural_worker_lump_sum_allowance": 1, "skill_upgrade_subsidy_employee": 1,
    "skill_upgrade_subsidy_unemployed": 1, "vocational_training_subsidy": 1, "training_living_allowance": 1,
    "startup_loan_individual": 1, "startup_loan_small_business": 1, "startup_subsidy": 1, "public_welfare_post": 1,
    "youth_internship_subsidy": 2, "enterprise_hard_to_employ_si_subsidy": 1, "graduate_hiring_subsidy": 1,
    "graduate_small_business_si_subsidy": 1, "job_expansion_subsidy": 1, "retention_training_subsidy": 1,
    "work_based_training_subsidy": 1, "apprenticeship_subsidy": 1, "enterprise_training_subsidy": 1,
    "labour_preparation_training": 1, "entrepreneurship_training": 1,
}

# Facts beyond the district where the minimal profile is refused by the screening (a unit without interns
# cannot ask for the 见习 subsidy): a 20-year-old unemployed intern, six months.
EXTRA_FACTS = {
    "youth_internship_subsidy": {"interns": [{"college_graduate": False, "birth_date": "2005-05-05",
                                              "is_unemployed": True, "internship_months": 6}]},
}

CN_DIGITS = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 12: "十二", 24: "两", 36: "三"}


# --- the files ---------------------------------------------------------------------------------
def test_every_listed_policy_has_its_procedures():
    by_policy: dict[str, list[str]] = {}
    for p in PROCS.values():
        by_policy.setdefault(p.policy, []).append(p.id)
    short = {pid: len(by_policy.get(pid, [])) for pid, n in REQUIRED.items() if len(by_policy.get(pid, [])) < n}
    assert not short, f"policies without (enough) procedures: {short}"
    card = {PROCS[x].name for x in by_policy["employment_card"]}
    assert card == {"《就业创业证》申领", "《就业创业证》更换", "《就业创业证》补发"}


def test_the_command_lists_every_procedure_with_its_source_sections():
    """`jiuye cases procedures`: every file, each with the sections of the documents its sources are in."""
    from typer.testing import CliRunner

    from jiuye.cli import app

    r = CliRunner().invoke(app, ["cases", "procedures"], env={"COLUMNS": "400"})
    assert r.exit_code == 0, r.output
    text = re.sub(r"\s+", "", r.output)  # the console may wrap long lines wherever its width says
    assert "未找到所在小节" not in text
    heads = {pid: text.index(f"命令中写：{pid}］") for pid in PROCS}  # the code to type, labelled as such
    kb = get_knowledge()
    for pid, start in heads.items():
        end = min([x for x in heads.values() if x > start] + [len(text)])
        block = text[start:end]
        for ref in PROCS[pid].sources:
            section = re.sub(r"\s+", "", kb.sections_of(ref.document, ref.quote)[0])
            assert "出处：" in block and section in block, (pid, section)


@pytest.mark.parametrize("pid", sorted(PROCS))
def test_each_staff_step_rests_on_a_sentence_or_says_it_assumes(pid):
    proc = PROCS[pid]
    bare = [name for name, st in proc.states.items()
            if not st.final and st.role_code != "applicant" and st.source is None and st.assumption is None]
    assert not bare, f"{pid}: states with neither a source sentence nor an assumption: {bare}"
    for name, st in proc.states.items():
        tl = st.time_limit
        if tl is None:
            continue
        if tl.source is None:  # a deadline the documents do not give: only as a marked assumption of the state
            assert st.assumption and "推定" in tl.text, f"{pid}.{name}: a time limit without its sentence or an assumption"
            continue
        # the number of days (or months) is the one the sentence states
        quote = tl.source.quote.replace(" ", "")
        stated = str(tl.days) if tl.day_type != "month" else None
        if tl.day_type == "month":
            years, months = divmod(tl.days, 12)
            stated = [f"{tl.days}个月", f"{tl.days}个月内"] + ([f"{CN_DIGITS.get(years, years)}年", f"{years}年"] if not months else [])
            assert any(x in quote for x in stated), (pid, name, tl.source.quote)
        else:
            assert re.search(rf"(?<!\d){stated}(?!\d)", quote), (pid, name, tl.source.quote)


@pytest.mark.parametrize("pid", sorted(PROCS))
def test_the_usual_course_ends_in_a_decision_for_the_applicant(pid):
    proc = PROCS[pid]
    path = proc.main_path()
    last = proc.states[path[-1]]
    assert last.final and last.outcome in SUCCESS, (pid, path)
    assert len(path) >= 2


def test_a_recurring_step_must_be_a_loop_and_a_loop_must_say_it_recurs(tmp_path):
    base = ("id: x\npolicy: startup_subsidy\nname: x\napplicant: person\nstart: a\n"
            "sources: [{document: '003', quote: 各地就业服务部门初审后报同级人社局审核、财政局审批拨付。}]\n"
            "states:\n  a: {label: A, role: 旗县市中心}\n  b: {label: B, final: true, outcome: paid}\n")
    (tmp_path / "x.yaml").write_text(base + "transitions:\n  - {from: a, to: a, action: 每月}\n"
                                     "  - {from: a, to: b, action: 完}\n", encoding="utf-8")
    with pytest.raises(ProcedureError, match="recurring"):
        load_procedures(tmp_path)
    (tmp_path / "x.yaml").write_text(base + "transitions:\n  - {from: a, to: b, action: 完, recurring: true}\n",
                                     encoding="utf-8")
    with pytest.raises(ProcedureError, match="同一个状态"):
        load_procedures(tmp_path)
    (tmp_path / "x.yaml").write_text(base + "transitions:\n  - {from: a, to: a, action: 每月, recurring: true}\n"
                                     "  - {from: a, to: b, action: 完}\n", encoding="utf-8")
    assert load_procedures(tmp_path)["x"].moves_from("a")[0].recurring


def test_materials_need_their_sentence_and_a_step_quote_is_checked_against_the_document(tmp_path):
    kb = get_knowledge()
    head = ("id: x\npolicy: startup_subsidy\nname: x\napplicant: person\nstart: a\n"
            "sources: [{document: '003', quote: 各地就业服务部门初审后报同级人社局审核、财政局审批拨付。}]\n")
    tail = "  b: {label: B, final: true, outcome: paid}\ntransitions:\n  - {from: a, to: b, action: 完}\n"
    (tmp_path / "x.yaml").write_text(head + "materials: [身份证]\nstates:\n  a: {label: A, role: 旗县市中心}\n" + tail,
                                     encoding="utf-8")
    with pytest.raises(ProcedureError, match="materials_sources"):
        load_procedures(tmp_path)
    (tmp_path / "x.yaml").write_text(
        head + "states:\n  a: {label: A, role: 旗县市中心, source: {document: '000', quote: 资料里没有这句话}}\n" + tail,
        encoding="utf-8")
    with pytest.raises(ProcedureError, match=r"x\.yaml.*状态「a」引文与000号资料原文不一致"):
        load_procedures(tmp_path, kb)
    # the format before this change (no source, no assumption, no materials_sources) still loads
    (tmp_path / "x.yaml").write_text(head + "states:\n  a: {label: A, role: 旗县市中心}\n" + tail, encoding="utf-8")
    assert load_procedures(tmp_path, kb)["x"].main_path() == ["a", "b"]


# --- independent counts of the deadlines -------------------------------------------------------------
UNKNOWN_YEARS: set[int] = set()


def _workday(d: dt.date) -> bool:
    """chinese_calendar's answer; for a year it does not know, Monday to Friday (and the year noted)."""
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:
        UNKNOWN_YEARS.add(d.year)
        return d.weekday() < 5


def _roll(d: dt.date) -> dt.date:
    while not _workday(d):
        d += dt.timedelta(days=1)
    return d


def expected_due(start: dt.date, days: int, day_type: str) -> tuple[dt.date, bool]:
    """(the last day, whether a year without holiday data was touched)."""
    UNKNOWN_YEARS.clear()
    if day_type == "working":  # the start day not counted; the N-th working day after it
        d, left = start, days
        while left:
            d += dt.timedelta(days=1)
            left -= _workday(d)
    elif day_type == "calendar":
        d = _roll(start + dt.timedelta(days=days))
    else:  # months: the corresponding day, else the month's last day (民法典第二百零二条)
        month0 = start.month - 1 + days
        year, month = start.year + month0 // 12, month0 % 12 + 1
        d = _roll(dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1])))
    return d, bool(UNKNOWN_YEARS)


def test_month_periods_end_on_the_corresponding_day_or_the_months_last():
    from jiuye.cases.workdays import WorkCalendar

    cal = WorkCalendar()
    d = cal.deadline(dt.date(2024, 1, 31), 1, "month")  # no 31 February: the month's last day (a Thursday)
    assert (d.due, d.approximate) == (dt.date(2024, 2, 29), False) == expected_due(dt.date(2024, 1, 31), 1, "month")
    d = cal.deadline(dt.date(2022, 10, 1), 36, "month")  # 2025-10-01 is National Day: after the holiday
    assert d.due == dt.date(2025, 10, 9) and not d.approximate
    assert cal.deadline(dt.date(2025, 3, 3), 36, "month").approximate  # 2028: holidays not known yet


# --- walking the procedures through the service ---------------------------------------------------------
def window_day(policy_id: str) -> dt.date:
    """A date on which the policy's catalogue window is open: 2026-11-24 if the documents state none,
    else ten days before the end of a window (the documents' windows ended long ago)."""
    p = get_knowledge().policies[policy_id]
    candidates = [dt.date(2026, 11, 24)] + [w.end - dt.timedelta(days=10) for w in p.windows if w.end]
    for day in candidates:
        if p.window_status(day)["state"] in ("open", "no_window_stated"):
            return day
    raise AssertionError(f"{policy_id}: no date with an open window among {candidates}")


def profile_for(proc) -> dict:
    base = {"district": DISTRICT} if proc.applicant == "person" else {"subject": "enterprise", "district": DISTRICT}
    return {**base, **EXTRA_FACTS.get(proc.id, {})}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("procedures")
    with configured(f"sqlite:///{tmp / 'procedures.sqlite3'}", tmp, demo=True) as eng:
        yield eng


class Walker:
    batches = 0

    def __init__(self, engine, monkeypatch, proc):
        self.engine, self.mp, self.proc = engine, monkeypatch, proc
        self.day = window_day(proc.policy)
        self.set_day(self.day)

    def set_day(self, day: dt.date) -> None:
        self.day = day
        self.mp.setenv("JIUYE_TODAY", day.isoformat())

    def user(self, s, username) -> User:
        return s.scalar(select(User).where(User.username == username))

    def actor_for(self, role_code: str) -> str:
        return applicant_of(self.proc) if role_code == "applicant" else STAFF[role_code]

    def create(self, snapshot=None) -> int:
        with Session(self.engine, expire_on_commit=False) as s:
            if self.proc.no_application and self.proc.applicant == "person":  # a report another service opens (零工欠薪)
                Walker.batches += 1
                u = self.user(s, applicant_of(self.proc))
                case = service.open_report(s, self.proc.id, district=DISTRICT, person_id=u.person_id,
                                           applicant_user_id=u.id, fields={}, summary="测试：未拿到工钱",
                                           dedupe_key=f"walker:{self.proc.id}:{Walker.batches}")
                s.commit()
                return case.id
            if self.proc.no_application:  # 免申即享: a batch row, confirmed by the centre
                from jiuye.cases.demo import ENTERPRISES

                name, code, _ = ENTERPRISES["xingan_food"]
                Walker.batches += 1  # one case per enterprise and screening date: a new date for each
                as_of = self.day - dt.timedelta(days=Walker.batches)
                rows = [{"policy": self.proc.policy, "status": "eligible", "amount": "100.00", "name": name,
                         "credit_code": code, "district": DISTRICT, "as_of": as_of.isoformat()}]
                rep = service.import_batch(s, self.user(s, "zx_wlht"), rows, procedure=self.proc.id, source="测试名单")
                assert rep["created"], rep
                return rep["created"][0]
            fields = {name: (self.day - dt.timedelta(days=3)).isoformat() for name in self.proc.fields}
            case = service.create_case(s, self.user(s, applicant_of(self.proc)), self.proc.id,
                                       profile=profile_for(self.proc), fields=fields, snapshot=snapshot)
            return case.id

    def case(self, cid) -> Case:
        with Session(self.engine, expire_on_commit=False) as s:
            return s.get(Case, cid)

    def check_deadline(self, cid) -> None:
        case = self.case(cid)
        tl = self.proc.states[case.state].time_limit
        if tl is None:
            assert case.due_on is None
            return
        start = dt.date.fromisoformat(case.fields[tl.from_field]) if tl.from_field else case.state_entered_on
        due, approximate = expected_due(start, tl.days, tl.day_type)
        assert (case.due_on, case.due_approximate) == (due, approximate), (self.proc.id, case.state, tl.text)
        if approximate:  # a year without holiday data: the case says so
            assert "只扣除了周末" in case.due_note

    def move(self, cid, to, username=None) -> Case:
        case = self.case(cid)
        move = self.proc.find_move(case.state, to)
        tl = self.proc.states[case.state].time_limit
        if tl is not None and tl.hold and not move.early and case.due_on and self.day <= case.due_on:
            self.set_day(case.due_on + dt.timedelta(days=1))  # a 公示 must run its course first
        with Session(self.engine, expire_on_commit=False) as s:
            who = self.user(s, username or self.actor_for(move.role))
            return service.transition(s, who, cid, to, comment=f"测试：{move.action}")

    def drive_to(self, cid, target) -> None:
        """Along the shortest path of moves from the case's state to `target`."""
        start = self.case(cid).state
        prev, todo = {start: None}, deque([start])
        while todo:
            here = todo.popleft()
            for m in self.proc.moves_from(here):
                if m.to not in prev:
                    prev[m.to] = here
                    todo.append(m.to)
        assert target in prev, (self.proc.id, start, target)
        path, x = [], target
        while x != start:
            path.append(x)
            x = prev[x]
        for to in reversed(path):
            self.move(cid, to)


@pytest.mark.parametrize("pid", sorted(PROCS))
def test_the_usual_course_end_to_end(pid, engine, monkeypatch):
    proc = PROCS[pid]
    w = Walker(engine, monkeypatch, proc)
    cid = w.create()
    path = proc.main_path()
    assert w.case(cid).state == path[0]
    w.check_deadline(cid)
    expected_roles = []
    for here, to in zip(path, path[1:]):
        for m in proc.moves_from(here):
            if m.recurring:  # a repeated step (按月发放, 按季贴息): twice, counted, nothing else changes
                before = w.case(cid)
                for n in (1, 2):
                    after = w.move(cid, here)
                    expected_roles.append(m.role)
                    assert (after.state, after.due_on, after.state_entered_on) == \
                        (before.state, before.due_on, before.state_entered_on)
                    with Session(engine) as s:
                        ev = s.scalars(select(CaseEvent).where(CaseEvent.case_id == cid).order_by(CaseEvent.id.desc())).first()
                        assert ev.data["count"] == n and ev.from_state == ev.to_state == here
        move = proc.find_move(here, to)
        expected_roles.append(move.role)
        case = w.move(cid, to)
        assert case.state == to
        w.check_deadline(cid)
    case = w.case(cid)
    assert case.final and proc.states[case.state].outcome in SUCCESS
    with Session(engine) as s:
        events = list(s.scalars(select(CaseEvent).where(CaseEvent.case_id == cid, CaseEvent.kind == "transition")
                                .order_by(CaseEvent.id)))
    assert [e.actor_role for e in events] == expected_roles


@pytest.mark.parametrize("pid", sorted(PROCS))
def test_every_move_by_its_role_and_never_by_another(pid, engine, monkeypatch):
    proc = PROCS[pid]
    w = Walker(engine, monkeypatch, proc)
    first = w.create()
    snapshot = None if proc.no_application else w.case(first).screening
    for t in proc.transitions:
        for here in t.from_:
            w.set_day(window_day(proc.policy))
            cid = w.create(snapshot)
            w.drive_to(cid, here)
            move = proc.find_move(here, t.to)
            version = w.case(cid).version
            # the wrong people: the same role in another district, every other role here, the applicant
            # (or, for the applicant's own step, another applicant), and the league centre
            wrong = [u for code, u in STAFF.items() if code != move.role] + ["mz"]
            if move.role == "applicant":
                wrong.append(other_applicant_of(proc))
            else:
                wrong += [ELSEWHERE[move.role], applicant_of(proc)]
            for username in wrong:
                with Session(engine, expire_on_commit=False) as s:
                    with pytest.raises((service.Forbidden, service.NotFound)):
                        service.transition(s, w.user(s, username), cid, t.to, comment="不该我办")
            assert w.case(cid).version == version
            case = w.move(cid, t.to)
            assert case.state == t.to and case.version == version + 1


def test_startup_training_refuses_the_usual_demo_applicant_for_her_age(engine, monkeypatch):
    """Why the walk of 创业培训 files as 李强: 张敏 (b. 1975-03-08, a woman) is over 50 on every date the
    walk uses, and the screening refuses her with 003's age sentence."""
    proc = PROCS["entrepreneurship_training"]
    monkeypatch.setenv("JIUYE_TODAY", window_day(proc.policy).isoformat())
    with Session(engine, expire_on_commit=False) as s:
        zhang = s.scalar(select(User).where(User.username == "zhangmin"))
        with pytest.raises(service.Invalid) as e:
            service.create_case(s, zhang, proc.id, profile={"district": DISTRICT})
        assert "不符合条件" in str(e.value) and "50" in str(e.value)


BANK_SEES = {  # the loan procedures' states from the referral on, written out here (not derived from the files)
    "startup_loan_individual": {"bank_review", "repaying", "repaid", "declined"},
    "startup_loan_small_business": {"bank_review", "repaying", "repaid", "declined"},
}
BANK_TABLE = [(pid, state) for pid in sorted(PROCS) for state in PROCS[pid].states]


@pytest.mark.parametrize("pid,state", BANK_TABLE, ids=[f"{p}-{s}" for p, s in BANK_TABLE])
def test_the_bank_access_table(pid, state, engine, monkeypatch):
    """经办银行 × every procedure × every state: its district's bank sees (list and open) a case only
    when it is a loan referred to it or past that; another district's bank never; the bank may move a
    case only where the file names it (checked move by move in test_every_move_by_its_role...)."""
    proc = PROCS[pid]
    w = Walker(engine, monkeypatch, proc)
    w.set_day(window_day(proc.policy))
    cid = w.create()
    w.drive_to(cid, state)
    assert w.case(cid).state == state
    expected = state in BANK_SEES.get(pid, set())
    with Session(engine) as s:
        bank = s.scalar(select(User).where(User.username == "yh_wlht"))
        _total, seen = service.list_cases(s, bank, limit=5000)
        assert (cid in {c.id for c in seen}) == expected
        if expected:
            assert service.load_case(s, bank, cid).id == cid
        else:
            with pytest.raises(service.NotFound):
                service.load_case(s, bank, cid)
        far = s.scalar(select(User).where(User.username == "yh_zlt"))
        with pytest.raises(service.NotFound):
            service.load_case(s, far, cid)
        for m in proc.moves_from(state):
            assert service.may_take(bank, w.case(cid), m.role)[0] == (m.role == "bank")
    assert roles.label("bank") == "经办银行"


# --- the citizen's pages ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def app(engine):
    from jiuye.web.app import create_app

    return create_app()


def _login(client, username):
    from jiuye.cases.demo import DEMO_PASSWORD

    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = client.post("/login", data={"csrf_token": token, "username": username, "password": DEMO_PASSWORD,
                                    "next": "/my"}, follow_redirects=False)
    assert r.status_code == 303


@pytest.mark.parametrize("pid", sorted(p for p in PROCS if not PROCS[p].no_application))
def test_the_apply_page_shows_the_steps_and_marks_what_is_assumed(pid, app, monkeypatch):
    from fastapi.testclient import TestClient

    proc = PROCS[pid]
    monkeypatch.setenv("JIUYE_TODAY", window_day(proc.policy).isoformat())
    with TestClient(app, headers={"accept": "text/html"}) as c:
        _login(c, applicant_of(proc))
        r = c.get(f"/apply/{pid}")
        assert r.status_code == 200, r.text[:500]
        text = r.text
        assert f"申请：{proc.name}" in text and f'action="/apply/{pid}"' in text and "提交后怎么办理" in text
        for name in proc.main_path():
            assert proc.states[name].label in text, (pid, name)
        for name, st in proc.states.items():
            if st.assumption and not st.final:
                assert "推定（资料未写明）" in text and st.assumption.split("；")[0][:20] in text, (pid, name)
            if st.source and name in proc.main_path():
                assert st.source.quote.replace("<", "&lt;")[:15] in text, (pid, name)
        # the policy's page offers every procedure of the policy
        page = c.get(f"/policies/{proc.policy}").text
        if get_knowledge().policies[proc.policy].window_status(window_day(proc.policy))["state"] != "closed":
            assert f'href="/apply/{pid}"' in page, pid


def test_find_offers_to_apply_online_for_each_policy_with_a_procedure(app, monkeypatch):
    """/find's rows carry 「在网上申请」 for the policies that can be applied for (not closed, not refused)."""
    from fastapi.testclient import TestClient

    from jiuye.screening import default_screener

    day = dt.date(2026, 11, 24)
    monkeypatch.setenv("JIUYE_TODAY", day.isoformat())
    with TestClient(app, headers={"accept": "text/html"}) as c:
        for subject, group in (("person", "job"), ("enterprise", "employer")):  # groups without preset facts
            html = c.get("/find", params={"group": group, "district": DISTRICT, "show": "1"}).text
            facts = {"district": DISTRICT} if subject == "person" else {"subject": "enterprise", "district": DISTRICT}
            open_ = {r.policy for r in default_screener().screen(facts, day).results
                     if r.status in ("eligible", "needs_information")}
            for policy in sorted({p.policy for p in PROCS.values() if p.applicant == subject and not p.no_application}):
                primary = sorted((p for p in PROCS.values() if p.policy == policy and p.applicant == subject),
                                 key=lambda p: (p.id != policy, p.id))[0]
                if policy in open_:
                    assert f'href="/apply/{primary.id}?' in html, (subject, policy)


def test_a_bank_works_its_loans_in_the_console_and_nothing_else(engine, app, monkeypatch):
    """The 经办银行 records its decision on a loan in the console; rosters and the labour market stay closed."""
    from fastapi.testclient import TestClient

    proc = PROCS["startup_loan_individual"]
    w = Walker(engine, monkeypatch, proc)
    cid = w.create()
    w.drive_to(cid, "bank_review")
    with TestClient(app, headers={"accept": "text/html"}) as c:
        page = c.get("/console/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        r = c.post("/console/login", data={"csrf_token": token, "username": "yh_wlht", "password": "jiuye-demo",
                                           "next": "/console"}, follow_redirects=False)
        assert r.status_code == 303
        queue = c.get("/console").text
        assert f"/console/cases/{cid}" in queue
        case = c.get(f"/console/cases/{cid}").text
        assert "审贷通过，已放款" in case and "推定（资料未写明）" in case
        token = re.search(r'name="csrf_token" value="([^"]+)"', case).group(1)
        r = c.post(f"/console/cases/{cid}/move", data={"csrf_token": token, "to": "repaying", "version": w.case(cid).version,
                                                       "comment": "放款 20 万元，期限 2 年"}, follow_redirects=False)
        assert r.status_code == 303 and w.case(cid).state == "repaying"
        assert c.get("/console/roster").status_code == 403 and 'href="/console/roster"' not in queue
        assert c.get("/console/market/seekers").status_code == 403
        assert c.get("/console/parameters").status_code == 200  # reading the rules parameters is open to all staff


def test_a_recipient_reports_re_employment_from_my_cases(engine, app, monkeypatch):
    """失业保险金 being paid: the recipient tells the office she is employed again (000: "应通知失业保险经办
    机构停发"), on her case page; the centre then confirms and stops the payments."""
    from fastapi.testclient import TestClient

    proc = PROCS["unemployment_insurance_benefit"]
    w = Walker(engine, monkeypatch, proc)
    cid = w.create()
    w.drive_to(cid, "paying")
    w.move(cid, "paying")  # one month recorded
    with TestClient(app, headers={"accept": "text/html"}) as c:
        _login(c, "zhangmin")
        page = c.get(f"/my/cases/{cid}").text
        assert "报告重新就业或其他停发情形" in page and "第 1 次" in page and "推定（资料未写明）" in page
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        r = c.post(f"/my/cases/{cid}/move", data={"csrf_token": token, "to": "stop_reported", "version": w.case(cid).version,
                                                  "comment": "2026年11月20日起在兴安绿源食品有限公司上班，已参保"},
                   follow_redirects=False)
        assert r.status_code == 303 and w.case(cid).state == "stop_reported"
    case = w.move(cid, "stopped")
    assert case.final and proc.states[case.state].outcome == "stopped"
