"""Every procedure in data/procedures/*.yaml, end to end in the browser (issue 17, done-when): one test
per file, so a new procedure file is walked without a change here.

For each procedure, on a server whose date lies inside the policy's window (`server_on`: the main
server's 2026-11-24 when the window is open then, else a date the catalogue gives):
1. the applicant applies on a 360 px phone at /apply/<procedure> — a citizen of 乌兰浩特市 (registered
   once per server, from the login page /apply leads to), the demo employer (xingan_food) for the
   enterprise procedures — choosing the district, filling the procedure's own fields by their Chinese
   labels; the apply page passes page_checks; the
   case page shows the start state, and a material is uploaded when the page offers it. The
   procedures nobody applies for (no_application) are opened by the service that opens them on the
   real path (零工欠薪: `open_report`, as the 零工 report does; 免申即享: `import_batch`, as the
   roster import does), on the server's database;
2. every step of the usual course (Procedure.main_path, repeated steps taken once) is taken by the
   role the file names — staff on a 1280 px console, each demo user logged in once per server; the
   applicant's own steps (补正后重新提交 once where the procedure has one, reports) on the phone; a
   公示 that must run its course first is let run by moving its due date back in the database (time
   is the one thing a browser cannot make pass);
3. at every staff step of the usual course, the same role of another district (404) and a role of the
   district that the step does not name (403/404) post the same move with their own session: refused,
   the case unchanged (and the other district cannot open the case page);
4. the applicant sees the final state, the decision and its reason on the phone (page_checks, no
   internal state names);
5. where the applicant has a step of her own off the usual course (报告重新就业或其他停发情形), a second
   case is walked through it to its end (已停发), and she sees that decision too.

Many registrations and applications come from one address here: the per-address counters of the
rate limits (jiuye.cases.throttle, tested in tests/test_hardening_*) are cleared before each.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import re
import secrets
import sqlite3
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from browser_support import DEMO_PASSWORD, login, page_checks
from jiuye.cases.demo import demo_id
from jiuye.cases.procedures import get_procedures
from jiuye.knowledge.loader import get_knowledge

PROCS = get_procedures()
DISTRICT = "乌兰浩特市"
PINNED, JOURNEY = "2026-11-24", "2021-06-01"  # conftest's PINNED_TODAY and JOURNEY_TODAY: servers that run anyway
STAFF = {"community": "sq_wlht", "street": "jd_wlht", "county_center": "zx_wlht", "hrss": "rsj_wlht",
         "finance": "czj_wlht", "bank": "yh_wlht"}  # the demo's staff of 乌兰浩特市 (src/jiuye/cases/demo.py)
ELSEWHERE = {k: v.replace("_wlht", "_zlt") for k, v in STAFF.items()}  # the same roles in 扎赉特旗
EMPLOYER = "xingan_food"  # the demo employer of 乌兰浩特市
PHONE = dict(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2)
DESKTOP = dict(viewport={"width": 1280, "height": 900})
TINY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
SEQ = itertools.count(1)


def walk_day(proc) -> str:
    """A date on which the policy's window is open: a server that runs anyway if possible, else ten
    days before the end of one of the catalogue's windows."""
    p = get_knowledge().policies[proc.policy]
    candidates = [PINNED, JOURNEY] + [(w.end - dt.timedelta(days=10)).isoformat() for w in p.windows if w.end]
    for day in candidates:
        if p.window_status(dt.date.fromisoformat(day))["state"] in ("open", "no_window_stated"):
            return day
    raise AssertionError(f"{proc.id}: no date with an open window among {candidates}")


class Site:
    """One server: its pages by user (logged in once), its database for what a browser cannot do."""

    def __init__(self, browser, info):
        self.browser, self.url, self.today, self.db = browser, info.url, info.today, info.var_dir / "jiuye.sqlite3"
        self.pages: dict[str, object] = {}
        self.tokens: dict[str, str] = {}
        self.citizen: tuple[str, object] | None = None  # (username, phone page): registered on first use
        self.showing: dict[int, tuple[int, int]] = {}  # id(page) -> (case, version) its page shows now

    def new_page(self, **args):
        ctx = self.browser.new_context(base_url=self.url, locale="zh-CN", timezone_id="Asia/Shanghai", **args)
        ctx.set_default_timeout(15_000)
        page = ctx.new_page()
        page.requests, page.allowed_origin, page.console_errors = [], self.url, []
        page.on("request", lambda req: page.requests.append(req.url))
        page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
        return page

    def as_user(self, username: str, phone: bool = False):
        """The page of a demo user (staff on the desktop console, the employer on a phone), logged in once."""
        if username not in self.pages:
            page = self.new_page(**(PHONE if phone else DESKTOP))
            login(page, username, DEMO_PASSWORD, "/login" if phone else "/console/login")
            self.tokens[username] = re.search(r'name="csrf_token" value="([^"]+)"', page.content()).group(1)
            self.pages[username] = page
        return self.pages[username]

    def sql(self, query: str, *args):
        with contextlib.closing(sqlite3.connect(self.db, timeout=10)) as con:
            rows = con.execute(query, args).fetchall()
            con.commit()
            return rows

    def case(self, cid: int) -> tuple[str, int]:
        return self.sql("SELECT state, version FROM cases WHERE id = ?", cid)[0]

    def clear_address_limits(self) -> None:
        self.sql("DELETE FROM throttle WHERE key LIKE 'register_address:%' OR key LIKE 'apply_%'")

    @contextlib.contextmanager
    def service(self):
        """A session of the cases service on this server's database, on the server's date."""
        from sqlalchemy import create_engine
        from sqlalchemy.orm import Session

        before = os.environ.get("JIUYE_TODAY")
        os.environ["JIUYE_TODAY"] = self.today
        engine = create_engine(f"sqlite:///{self.db}", connect_args={"timeout": 10})
        try:
            with Session(engine, expire_on_commit=False) as s:
                yield s
        finally:
            engine.dispose()
            if before is None:
                os.environ.pop("JIUYE_TODAY", None)
            else:
                os.environ["JIUYE_TODAY"] = before


@pytest.fixture(scope="module")
def sites(browser, server_on):
    made: dict[str, Site] = {}

    def get(day: str) -> Site:
        if day not in made:
            made[day] = Site(browser, server_on(day))
        return made[day]

    yield get
    for site in made.values():
        for page in list(site.pages.values()) + ([site.citizen[1]] if site.citizen else []):
            page.context.close()


# --- 1. the applicant ---------------------------------------------------------------------------------
def citizen(site: Site):
    """The server's citizen of 乌兰浩特市 (an ID number of 152201), registered on the phone on first use
    from the login page /apply leads to: (username, phone page)."""
    if site.citizen is None:
        n = next(SEQ)
        idn = demo_id("152201", f"{int(site.today[:4]) - 30}0611", f"{500 + n:03d}")
        username = f"pw{n}{secrets.token_hex(3)}"
        phone = site.new_page(**PHONE)
        phone.goto("/apply/unemployment_registration")
        assert "/login?next=" in phone.url, phone.url
        with phone.expect_navigation():
            phone.get_by_role("main").get_by_role("link", name="注册").click()
        for label, value in (("姓名", "程序走查"), ("身份证号", idn), ("手机号", "13912345678"), ("用户名", username),
                             ("密码（至少8位）", "walk-pass-1"), ("再输一次密码", "walk-pass-1")):
            phone.get_by_label(label).fill(value)
        site.clear_address_limits()
        with phone.expect_navigation():
            phone.get_by_role("button", name="注册").click()
        assert "/apply/unemployment_registration" in phone.url, phone.inner_text("main")[:500]
        site.citizen = (username, phone)
    return site.citizen


def apply_online(site: Site, proc, phone) -> int:
    """Fill and submit /apply/<procedure> on the phone; returns the case number."""
    assert f"/apply/{proc.id}" in phone.url, (phone.url, phone.inner_text("main")[:400])
    assert f"申请：{proc.name}" in phone.inner_text("h1")
    phone.get_by_label(re.compile("在哪个旗县市")).select_option(label=DISTRICT)
    day = dt.date.fromisoformat(site.today)
    for name, text in proc.fields.items():  # the procedure's own fields, found by their Chinese label
        field = phone.get_by_label(text, exact=True)
        field.fill((day - dt.timedelta(days=3)).isoformat() if name.endswith("_date") else f"浏览器测试：{text}"[:60])
    page_checks(phone)
    site.clear_address_limits()
    with phone.expect_navigation():
        phone.get_by_role("button", name="提交申请").click()
    path = urlsplit(phone.url).path
    assert re.fullmatch(r"/my/cases/\d+", path), f"{proc.id}: {phone.url}: {phone.inner_text('main')[:800]}"
    return int(path.rsplit("/", 1)[1])


def open_without_application(site: Site, proc, username: str) -> int:
    """A case nobody applies for, opened by the service the real path calls (see the module doc)."""
    from sqlalchemy import select

    from jiuye.cases import service
    from jiuye.cases.demo import ENTERPRISES
    from jiuye.cases.models import User

    with site.service() as s:
        applicant = s.scalar(select(User).where(User.username == username))
        if proc.applicant == "person":  # 零工欠薪: jiuye.gig.arrears opens it from the worker's report
            case = service.open_report(s, proc.id, district=DISTRICT, person_id=applicant.person_id,
                                       applicant_user_id=applicant.id, fields={"job_title": "浏览器测试：搬运"},
                                       summary="零工欠薪报告（浏览器测试）", dedupe_key=f"procwalk:{secrets.token_hex(6)}")
            s.commit()
            return case.id
        name, code, _ = ENTERPRISES[EMPLOYER]  # 免申即享: a row of a roster screening, imported by the centre
        as_of = dt.date.fromisoformat(site.today) - dt.timedelta(days=next(SEQ))  # one case per unit and date
        row = {"policy": proc.policy, "status": "eligible", "amount": "1000.00", "name": name, "credit_code": code,
               "district": DISTRICT, "as_of": as_of.isoformat()}
        centre = s.scalar(select(User).where(User.username == STAFF["county_center"]))
        report = service.import_batch(s, centre, [row], procedure=proc.id, source="浏览器测试名单", as_of=as_of)
        assert report["created"], report
        return report["created"][0]


def upload_a_material(phone, cid: int) -> None:
    form = phone.locator(f"main form[action='/my/cases/{cid}/attachments']")
    if not form.count():
        return
    form.locator("input[type=file]").set_input_files({"name": "材料.pdf", "mimeType": "application/pdf",
                                                      "buffer": TINY_PDF})
    with phone.expect_navigation():
        form.get_by_role("button", name="上传").click()
    expect(phone.get_by_role("status")).to_contain_text("材料已上传")


# --- 2. the steps -------------------------------------------------------------------------------------
def comment_for(move) -> str:
    return f"浏览器测试：{move.action}"[:120]


def let_the_notice_run(site: Site, proc, cid: int, move) -> None:
    """A 公示 that must run its course before the move: its due date moved back (see the module doc)."""
    tl = proc.states[move.from_state].time_limit
    if tl is not None and tl.hold and not move.early:
        yesterday = (dt.date.fromisoformat(site.today) - dt.timedelta(days=1)).isoformat()
        site.sql("UPDATE cases SET due_on = ? WHERE id = ?", yesterday, cid)


def take(site: Site, proc, cid: int, move, phone) -> None:
    """The move by its role: staff on the console, the applicant on the phone."""
    state, version = site.case(cid)
    assert state == move.from_state, (proc.id, state, move)
    let_the_notice_run(site, proc, cid, move)
    to_label = proc.states[move.to].label
    if move.role == "applicant":
        page, where = phone, f"/my/cases/{cid}"
        if site.showing.get(id(page)) != (cid, version):
            page.goto(where)
        form = page.locator(f"main form[action='{where}/move']").filter(has=page.locator(f"input[name=to][value='{move.to}']"))
        expect(form).to_have_count(1)
        form.locator("input[name=comment]").fill(comment_for(move))
        button = form.get_by_role("button", name=move.action, exact=True)
    else:
        page, where = site.as_user(STAFF[move.role]), f"/console/cases/{cid}"
        if site.showing.get(id(page)) != (cid, version):
            page.goto(where)
        button = page.get_by_role("button", name=f"{move.action} → {to_label}", exact=True)
        form = page.locator(f"main form[action='{where}/move']").filter(has=button)
        expect(form, f"{proc.id}: no 「{move.action}」 for {STAFF[move.role]} in 「{proc.states[state].label}」").to_have_count(1)
        form.locator("textarea").fill(comment_for(move))
    with page.expect_navigation():
        button.click()
    expect(page.get_by_role("status")).to_contain_text("已办理")
    assert site.case(cid) == (move.to, version + 1), (proc.id, move)
    site.showing[id(page)] = (cid, version + 1)  # the page after the move shows the case as it is now
    if move.role != "applicant":
        assert to_label in page.locator("main dl").first.inner_text()


def refused_to_others(site: Site, proc, cid: int, move, first: bool) -> None:
    """The same role of another district (404) and a role of this district the step does not name
    (403, or 404 where it may not even see the case) post the move with their own session: refused,
    the case as it was. The first time, the other district's user also cannot open the case page."""
    named = {m.role for m in proc.moves_from(move.from_state)}
    let_the_notice_run(site, proc, cid, move)  # refused for the role, not for the date
    before = site.case(cid)
    wrong = [(ELSEWHERE[move.role], (404,))] + [(STAFF[c], (403, 404)) for c in STAFF if c not in named][:1]
    for username, statuses in wrong:
        page = site.as_user(username)
        r = page.request.post(f"/console/cases/{cid}/move", form={
            "csrf_token": site.tokens[username], "to": move.to, "version": str(before[1]), "comment": "不该我办"},
            max_redirects=0)
        assert r.status in statuses, (proc.id, move.action, username, r.status, r.text()[:300])
        if first and statuses == (404,):
            assert page.goto(f"/console/cases/{cid}").status == 404
            site.showing.pop(id(page), None)
    assert site.case(cid) == before


def detour(proc, here: str, path: list[str]):
    """A step that hands the case back to the applicant (退回补正) and the applicant's step that returns
    it to the usual course, if the procedure has them here."""
    for out in proc.moves_from(here):
        st = proc.states[out.to]
        if st.role_code == "applicant" and not st.final:
            for back in proc.moves_from(out.to):
                if back.role == "applicant" and back.to in path and path.index(back.to) <= path.index(here) + 1:
                    return out, back
    return None


def applicant_branch(proc, path: list[str]):
    """The applicant's own step off the usual course (报告重新就业或其他停发情形), if the procedure has one:
    the first move by the applicant from a state of the usual course to a state outside it, neither a
    withdrawal nor the return of a 补正."""
    for here in path:
        for m in proc.moves_from(here):
            st = proc.states[m.to]
            if m.role == "applicant" and not m.recurring and m.to not in path and st.outcome != "withdrawn" \
                    and proc.states[here].role_code != "applicant" and not (st.role_code == "applicant"):
                return m
    return None


def open_case(site: Site, proc, username: str, phone) -> int:
    """1. The applicant applies (or the service opens the case); the case page shows the first step."""
    if proc.no_application:
        cid = open_without_application(site, proc, username)
    else:
        phone.goto(f"/apply/{proc.id}")
        cid = apply_online(site, proc, phone)
    phone.goto(f"/my/cases/{cid}")
    assert proc.states[proc.start].label in phone.inner_text("#step"), (proc.id, phone.inner_text("main")[:500])
    return cid


def walk(site: Site, proc, cid: int, phone, path: list[str], stop_at: str | None = None, checks: bool = True):
    """2. and 3. Along `path` (to its end, or to `stop_at`), each step by its role, repeated steps once;
    with `checks`, the wrong ones refused at every staff step and a 补正 round once. Returns the
    state reached and the last move."""
    state, checked, detoured, last = path[0], not checks, not checks, None
    while not proc.states[state].final and state != stop_at:
        for m in proc.moves_from(state):
            if m.recurring:  # 按月发放, 按季贴息 …: once
                take(site, proc, cid, m, phone)
        nxt = path[path.index(state) + 1]
        move = proc.find_move(state, nxt)
        if move.role != "applicant" and checks:
            refused_to_others(site, proc, cid, move, first=not checked)
            checked = True
        d = None if detoured or move.role == "applicant" else detour(proc, state, path)
        if d:
            for m in d:
                take(site, proc, cid, m, phone)
            detoured, state = True, d[1].to
            continue
        take(site, proc, cid, move, phone)
        state, last = nxt, move
    return state, last


def sees_the_decision(proc, phone, cid: int, state: str, last) -> None:
    """4. The applicant's case page: the final state, the decision with its reason, in Chinese."""
    phone.goto(f"/my/cases/{cid}")
    step = phone.inner_text("#step")
    assert proc.states[state].label in step and "已办结" in step, (proc.id, step)
    decision = phone.inner_text("#decision")
    assert proc.states[state].label in decision and comment_for(last) in decision, (proc.id, decision)
    text = phone.inner_text("main")
    leaked = [name for name in proc.states if re.search(rf"\b{name}\b", text)] + \
        [w for w in ("None", "Traceback", proc.id) if w in text]
    assert not leaked, f"{proc.id}: internal names on the applicant's page: {leaked}"
    page_checks(phone)


# --- the test -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("pid", sorted(PROCS))
def test_every_procedure_end_to_end(pid, sites):
    proc = PROCS[pid]
    site = sites(walk_day(proc))
    path = proc.main_path()
    username, phone = citizen(site) if proc.applicant == "person" else (EMPLOYER, site.as_user(EMPLOYER, phone=True))
    cid = open_case(site, proc, username, phone)
    upload_a_material(phone, cid)
    state, last = walk(site, proc, cid, phone, path)
    assert proc.states[state].outcome in ("approved", "paid", "done"), (pid, state)
    sees_the_decision(proc, phone, cid, state, last)

    # The applicant's own report off the usual course (停发: 重新就业), on a second case, to its end.
    branch = applicant_branch(proc, path)
    if branch is None:
        return
    cid = open_case(site, proc, username, phone)
    walk(site, proc, cid, phone, path, stop_at=branch.from_state, checks=False)
    take(site, proc, cid, branch, phone)
    state, last = branch.to, branch
    while not proc.states[state].final:  # the office closes it: the first staff move to a final state
        moves = [m for m in proc.moves_from(state) if m.role != "applicant" and not m.recurring]
        last = next((m for m in moves if proc.states[m.to].final), moves[0])
        take(site, proc, cid, last, phone)
        state = last.to
    sees_the_decision(proc, phone, cid, state, last)
