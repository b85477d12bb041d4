"""Who may touch a case: every role × every state of every procedure × every case action (view, move,
attach, download), through the API (/api/cases…), the console (/console/cases/…) and the citizen
pages (/my/cases/…). One app, one temporary SQLite file with the demo data.

The expected answer of each cell comes from this written rule and the procedure files read as plain
YAML (not from jiuye.cases):

1. Seeing. The admin sees every case, an applicant the cases they applied for, staff the cases of
   their own 旗县市. Whoever cannot see a case gets 404 for every action on it.
2. view, download: whoever sees the case.
3. move along a transition t out of state s: the role t names in `by:`, else the role of s (申请人 /
   用人单位 = the applicant who owns the case); staff only in their own 旗县市; never the admin.
4. attach: the case is not final and the user may take at least one move out of its current state
   (rule 3): whoever acts at the current step, or the applicant while the case waits for them.
5. The console is the staff's, the citizen pages the applicants': on the console anyone else is sent
   to its login page; on the citizen pages staff get 403 (这是群众申请页面); nothing is done.
"""
from __future__ import annotations

import datetime as dt

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases_support import configured, database
from jiuye.cases.demo import DEMO_PASSWORD
from jiuye.config import REPO_ROOT

DISTRICT = "乌兰浩特市"
# username -> (role as the procedure files name it, 旗县市); "owner" is the case's own applicant
USERS = {
    "owner": ("申请人", None),
    "liqiang": ("申请人", "扎赉特旗"),  # another applicant
    "sq_wlht": ("社区", DISTRICT),
    "jd_wlht": ("街道", DISTRICT),
    "zx_wlht": ("旗县市中心", DISTRICT),
    "rsj_wlht": ("人社局", DISTRICT),
    "czj_wlht": ("财政局", DISTRICT),
    "mz": ("盟中心", "兴安盟"),
    "sq_zlt": ("社区", "扎赉特旗"),  # staff of another 旗县市
    "admin": ("管理员", None),
}
STAFF = {"社区", "街道", "旗县市中心", "盟中心", "人社局", "财政局"}
APPLICANT_NAMES = {"申请人", "用人单位"}
PROCEDURES = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
              for p in sorted((REPO_ROOT / "data" / "procedures").glob("*.yaml"))}
PDF = b"%PDF-1.4\n% access table\n%%EOF\n"


# --- the written rule ------------------------------------------------------------------------------
def sees(user: str) -> bool:
    role, district = USERS[user]
    return user in ("admin", "owner") or (role in STAFF and district == DISTRICT)


def move_role(proc: dict, state: str, t: dict) -> str:
    name = t.get("by") or proc["states"][state]["role"]
    return "申请人" if name in APPLICANT_NAMES else name


def may_move(user: str, proc: dict, state: str, t: dict) -> bool:
    role, district = USERS[user]
    if not sees(user) or user == "admin":
        return False
    want = move_role(proc, state, t)
    return (user == "owner") if want == "申请人" else (role == want and district == DISTRICT)


def moves_out(proc: dict, state: str) -> list[dict]:
    return [t for t in proc["transitions"] if state in ([t["from"]] if isinstance(t["from"], str) else t["from"])]


def may_attach(user: str, proc: dict, state: str) -> bool:
    return not proc["states"][state].get("final") and any(may_move(user, proc, state, t) for t in moves_out(proc, state))


def cells(proc_id: str):
    """(state, action, target state or None, user, allowed) for every cell of one procedure."""
    proc = PROCEDURES[proc_id]
    for state in proc["states"]:
        final = bool(proc["states"][state].get("final"))
        targets = [(t["to"], t) for t in moves_out(proc, state)] or [(proc["start"], None)]
        for user in USERS:
            yield state, "view", None, user, sees(user)
            yield state, "download", None, user, sees(user)
            yield state, "attach", None, user, sees(user) and may_attach(user, proc, state)
            for to, t in targets:
                yield state, "move", to, user, (t is not None and not final and may_move(user, proc, state, t))


# --- the app and its cases ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("access")
    mp = pytest.MonkeyPatch()
    mp.setenv("JIUYE_VAR_DIR", str(tmp / "var"))
    mp.setenv("JIUYE_SECRET_KEY", "access-table-secret")
    try:
        with database("sqlite", tmp) as url, configured(url, tmp) as engine:
            from fastapi.testclient import TestClient

            from jiuye.web.app import create_app

            yield Env(engine, TestClient(create_app()))
    finally:
        mp.undo()


class Env:
    def __init__(self, engine, client):
        self.engine, self.client = engine, client
        self._tokens: dict[str, dict] = {}
        self._pages: dict[tuple[str, str], tuple] = {}

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def username(self, user: str, proc_id: str) -> str:
        if user != "owner":
            return user
        return "xingan_food" if PROCEDURES[proc_id]["applicant"] == "enterprise" else "zhangmin"

    def token(self, name: str) -> dict:
        if name not in self._tokens:
            r = self.client.post("/api/auth/login", json={"username": name, "password": DEMO_PASSWORD})
            assert r.status_code == 200, r.text
            self._tokens[name] = {"Authorization": f"Bearer {r.json()['token']}"}
        return self._tokens[name]

    def page_client(self, name: str, surface: str):
        """A logged-in browser (its own cookies) and its CSRF token."""
        from fastapi.testclient import TestClient

        from jiuye.cases import roles

        key = (name, surface)
        if key not in self._pages:
            c = TestClient(self.client.app)
            role = self.user(name).role
            login = "/console/login" if role in roles.STAFF_ROLES or role == "admin" else "/login"
            page = c.get(login).text
            r = c.post(login, data={"username": name, "password": DEMO_PASSWORD, "csrf_token": csrf_of(page),
                                    "next": "/"}, follow_redirects=False)
            assert r.status_code == 303, r.text
            self._pages[key] = (c, csrf_of(c.get(login).text))
        return self._pages[key]

    def user(self, name: str):
        from jiuye.cases.models import User

        with self.session() as s:
            return s.scalar(select(User).where(User.username == name))

    def new_case(self, proc_id: str, state: str) -> int:
        """A case of `proc_id` in `state` (entered 40 days ago: a 公示 hold has run out), owned by the
        procedure's demo applicant, with one attachment."""
        from jiuye.cases import service
        from jiuye.cases.attachments import store_bytes
        from jiuye.cases.models import Attachment, Case, utcnow
        from jiuye.cases.procedures import get_procedures
        from jiuye.config import today

        proc = get_procedures()[proc_id]
        owner = self.user(self.username("owner", proc_id))
        day = today() - dt.timedelta(days=40)
        with self.session() as s:
            case = Case(procedure=proc.id, policy=proc.policy, state=state, district=DISTRICT,
                        person_id=owner.person_id, enterprise_id=owner.enterprise_id if owner.person_id is None else None,
                        applicant_user_id=owner.id, created_by_id=owner.id, channel="online",
                        fields={f: day.isoformat() for f in proc.fields},
                        screening={"as_of": day.isoformat(), "kind": "test", "result": {"status": "eligible"}},
                        screening_as_of=day, screening_status="eligible", created_at=utcnow(), state_entered_on=day,
                        due_approximate=False, final=False)
            service._enter_state(s, case, proc, state, day)
            s.add(case)
            s.flush()
            digest, rel = store_bytes(PDF)
            s.add(Attachment(case_id=case.id, material="其他材料", filename="a.pdf", content_type="application/pdf",
                             size=len(PDF), sha256=digest, storage_path=rel, uploaded_by_id=owner.id))
            s.commit()
            return case.id

    def snapshot(self, case_id: int) -> tuple:
        from jiuye.cases.models import Attachment, Case

        with self.engine.connect() as conn:  # (version, state, attachments, the first attachment's id)
            return tuple(conn.execute(
                select(Case.version, Case.state, func.count(Attachment.id), func.min(Attachment.id))
                .outerjoin(Attachment, Attachment.case_id == Case.id).where(Case.id == case_id)
                .group_by(Case.id, Case.version, Case.state)).one())


def csrf_of(html: str) -> str:
    import re

    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)


# --- one request per cell ----------------------------------------------------------------------------
def api_call(env: Env, name: str, action: str, case_id: int, version: int, aid: int, to: str | None):
    h = env.token(name)
    c = env.client
    if action == "view":
        return c.get(f"/api/cases/{case_id}", headers=h)
    if action == "download":
        return c.get(f"/api/cases/{case_id}/attachments/{aid}", headers=h)
    if action == "attach":
        return c.post(f"/api/cases/{case_id}/attachments", headers=h, data={"material": "其他材料"},
                      files={"file": ("b.pdf", PDF + b"x", "application/pdf")})
    return c.post(f"/api/cases/{case_id}/transitions", headers=h,
                  json={"to": to, "comment": "表格测试意见", "version": version})


def page_call(prefix: str, surface: str):
    def call(env: Env, name: str, action: str, case_id: int, version: int, aid: int, to: str | None):
        c, csrf = env.page_client(name, surface)
        base = f"{prefix}/cases/{case_id}"
        if action == "view":
            return c.get(base, follow_redirects=False)
        if action == "download":
            return c.get(f"{base}/attachments/{aid}", follow_redirects=False)
        if action == "attach":
            return c.post(f"{base}/attachments", data={"material": "其他材料", "csrf_token": csrf},
                          files={"file": ("b.pdf", PDF + b"x", "application/pdf")}, follow_redirects=False)
        return c.post(f"{base}/move", data={"to": to, "version": str(version), "comment": "表格测试意见",
                                            "csrf_token": csrf}, follow_redirects=False)
    return call


SURFACES = {
    "api": (api_call, lambda user: True),
    "console": (page_call("/console", "console"), lambda user: USERS[user][0] in STAFF | {"管理员"}),
    "citizen": (page_call("/my", "citizen"), lambda user: USERS[user][0] == "申请人"),
}


def allowed_status(surface: str, action: str, status: int, location: str) -> bool:
    if surface == "api":
        return status == (201 if action == "attach" else 200)
    if action in ("view", "download"):
        return status == 200
    return status == 303 and "login" not in location  # done: back to the case page


@pytest.mark.parametrize("proc_id", sorted(PROCEDURES))
@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_every_role_state_and_action(env, surface, proc_id):
    call, on_surface = SURFACES[surface]
    wrong: list[str] = []
    cases: dict[str, tuple[int, tuple]] = {}  # state -> (a fresh case in it, its snapshot)
    count = 0
    for state, action, to, user, allowed in cells(proc_id):
        expected = allowed and on_surface(user)
        if state not in cases:
            cid = env.new_case(proc_id, state)
            cases[state] = (cid, env.snapshot(cid))
        cid, before = cases[state]  # read after the case was made or last acted on: nothing changed since
        r = call(env, env.username(user, proc_id), action, cid, before[0], before[3], to)
        after = env.snapshot(cid) if action in ("move", "attach") else before
        count += 1
        got = allowed_status(surface, action, r.status_code, r.headers.get("location", ""))
        changed = after[:3] != before[:3]
        ok = got == expected and changed == (expected and action in ("move", "attach"))
        if ok and not expected:
            if not on_surface(user):  # rule 5
                ok = (r.status_code == 303 and "login" in r.headers.get("location", "") if surface == "console"
                      else r.status_code == 403)
            elif not sees(user):  # rule 1
                ok = r.status_code == 404
            else:
                ok = r.status_code in (403, 422)
        if ok and surface == "api" and r.status_code >= 400:
            ok = "message" in r.text or "detail" in r.text
        if not ok:
            wrong.append(f"{state} {action}{'→' + to if to else ''} by {user}: expected "
                         f"{'allow' if expected else 'deny'}, got {r.status_code} (changed: {changed}) {r.text[:160]!r}")
        if changed:
            del cases[state]  # the next cell of this state gets a fresh case
        else:
            cases[state] = (cid, after)
    assert count >= len(PROCEDURES[proc_id]["states"]) * len(USERS) * 4
    assert not wrong, f"{len(wrong)} of {count} cells wrong:\n" + "\n".join(wrong[:40])
