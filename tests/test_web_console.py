"""The staff console (/console): login wall, queue by district, case page moves with the audit trail,
CSRF, roster upload → background batch → Excel downloads → 免申即享 cases, versioned parameter
edits, the dashboard's locally served chart library, labelled form fields.

A temporary SQLite database with the demo data, a temporary var/ (roster jobs) and a data dir
whose parameters/ is a copy (edits never touch the repository's data/)."""
from __future__ import annotations

import hashlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases_support import configured, database
from jiuye.cases.demo import DEMO_PASSWORD
from jiuye.cases.models import Case, CaseEvent, User
from jiuye.config import REPO_ROOT

ROSTER_AS_OF = "2022-06-15"  # 稳岗返还 is computable then (003's 5.5 % layoff-rate target)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("console")
    data = tmp / "data"
    data.mkdir()
    for entry in (REPO_ROOT / "data").iterdir():
        if entry.name == "parameters":
            shutil.copytree(entry, data / "parameters")
        else:
            (data / entry.name).symlink_to(entry)
    mp = pytest.MonkeyPatch()
    mp.setenv("JIUYE_DATA_DIR", str(data))
    mp.setenv("JIUYE_VAR_DIR", str(tmp / "var"))
    mp.setenv("JIUYE_SECRET_KEY", "console-test-secret")
    try:
        with database("sqlite", tmp) as url, configured(url, tmp) as engine:
            from fastapi.testclient import TestClient

            from jiuye.store.queue import running_consumer
            from jiuye.web.app import create_app

            app = create_app()
            with running_consumer():  # roster jobs run in the task queue's consumer (threads here)
                yield Env(engine, app, data, TestClient)
    finally:
        from jiuye.cases.parameters import reload_rules
        from jiuye.rules import PARAMETERS_DIR

        reload_rules(Path(PARAMETERS_DIR))  # the rules of this process read the repository's values again
        mp.undo()


class Env:
    def __init__(self, engine, app, data: Path, client_cls):
        self.engine, self.app, self.data, self.client_cls = engine, app, data, client_cls

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def client(self, username: str | None = None, login: str = "/console/login"):
        c = self.client_cls(self.app)
        if username:
            r = c.get(login)
            token = csrf_of(r.text)
            r = c.post(login, data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token,
                                    "next": "/console"}, follow_redirects=False)
            assert r.status_code == 303, r.text
        return c

    def user(self, username: str) -> User:
        with self.session() as s:
            return s.scalar(select(User).where(User.username == username))

    def events(self, case_id: int) -> list[CaseEvent]:
        with self.session() as s:
            return list(s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)))

    def case(self, case_id: int) -> Case:
        with self.session() as s:
            return s.get(Case, case_id)

    def case_in(self, procedure: str, state: str, district: str = "乌兰浩特市") -> Case:
        with self.session() as s:
            return s.scalar(select(Case).where(Case.procedure == procedure, Case.state == state,
                                               Case.district == district).order_by(Case.id))


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)


def no_redirects(c, method: str, url: str, **kw):
    return c.request(method, url, follow_redirects=False, **kw)


# --- the login wall ------------------------------------------------------------------------------
GETS = ["/console", "/console/cases/1", "/console/cases/1/attachments/1", "/console/roster",
        "/console/roster/0123456789abcdef", "/console/roster/0123456789abcdef/status",
        "/console/roster/0123456789abcdef/results.xlsx", "/console/dashboard", "/console/audit",
        "/console/parameters", "/console/parameters/job_retention_refund.refund_rate.sme"]
POSTS = ["/console/cases/1/move", "/console/cases/1/attachments", "/console/identity", "/console/roster", "/console/roster/0123456789abcdef/import",
         "/console/parameters/job_retention_refund.refund_rate.sme"]


def test_logged_out_visitor_is_sent_to_the_login_page(env):
    c = env.client()
    for url in GETS:
        r = no_redirects(c, "GET", url)
        assert r.status_code == 303 and r.headers["location"].startswith("/console/login?next="), (url, r.status_code)
    for url in POSTS:  # with or without a CSRF token: the login check comes first
        r = no_redirects(c, "POST", url, data={"to": "x", "version": "1", "value": "1"})
        assert r.status_code == 303 and r.headers["location"].startswith("/console/login"), (url, r.status_code)
    with env.session() as s:  # and nothing was changed by those POSTs
        assert s.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.actor_id.is_(None))) == 0
    r = c.get("/console/login")
    assert r.status_code == 200 and "工作人员登录" in r.text


def test_an_applicant_cannot_reach_the_console(env):
    c = env.client("zhangmin", login="/login")
    assert no_redirects(c, "GET", "/my").status_code in (200, 404)  # logged in on the citizen side
    for url in ("/console", "/console/dashboard", "/console/parameters"):
        r = no_redirects(c, "GET", url)
        assert r.status_code == 303 and r.headers["location"].startswith("/console/login"), url


def test_wrong_password_stays_on_the_login_page(env):
    c = env.client()
    token = csrf_of(c.get("/console/login").text)
    r = no_redirects(c, "POST", "/console/login", data={"username": "jd_wlht", "password": "nope", "csrf_token": token})
    assert r.status_code == 401 and "用户名或密码错误" in r.text
    assert no_redirects(c, "GET", "/console").status_code == 303


# --- queue ---------------------------------------------------------------------------------------
def test_queue_shows_my_districts_cases_i_may_act_on(env):
    street_case = env.case_in("flexible_employment_si_subsidy", "street_review")
    other = env.case_in("unemployment_registration", "submitted", district="扎赉特旗") or \
        next(iter(_cases_of("扎赉特旗", env)))
    c = env.client("jd_wlht")
    r = c.get("/console")
    assert r.status_code == 200
    assert f'href="/console/cases/{street_case.id}"' in r.text
    assert "152201" in r.text and "*" in r.text  # the 身份证号 is masked in the list
    assert re.search(r"\b152201\d{11}[\dX]\b", r.text) is None
    r_all = c.get("/console?scope=all")
    ids = set(map(int, re.findall(r'href="/console/cases/(\d+)"', r_all.text)))
    assert ids and all(env.case(i).district == "乌兰浩特市" for i in ids)
    assert other.id not in ids
    assert no_redirects(c, "GET", f"/console/cases/{other.id}").status_code == 404  # not revealed
    # the street's queue holds only cases with a move for the street
    mine = set(map(int, re.findall(r'href="/console/cases/(\d+)"', r.text)))
    assert street_case.id in mine and mine <= ids
    # filters
    r = c.get("/console?scope=all&procedure=job_retention_refund")
    got = set(map(int, re.findall(r'href="/console/cases/(\d+)"', r.text)))
    assert got and all(env.case(i).procedure == "job_retention_refund" for i in got)
    r = c.get("/console?procedure=nonsense")
    assert "未知的办理流程" in r.text


def _cases_of(district, env):
    with env.session() as s:
        return list(s.scalars(select(Case).where(Case.district == district)))


def test_overdue_cases_come_first(env):
    c = env.client("zx_wlht")
    r = c.get("/console?scope=all")
    rows = re.findall(r'<tr( class="overdue")?>\s*<td><a href="/console/cases/(\d+)"', r.text)
    flags = [bool(f) for f, _ in rows]
    assert any(flags), "the demo has an overdue 就业登记"
    assert flags == sorted(flags, reverse=True)  # every overdue row before every other


# --- case page and moves -------------------------------------------------------------------------
def test_case_page_and_a_move_with_the_audit_trail(env):
    case = env.case_in("flexible_employment_si_subsidy", "street_review")
    jd = env.client("jd_wlht")
    page = jd.get(f"/console/cases/{case.id}")
    assert page.status_code == 200
    for text in ("材料", "建案依据：筛查结果", "办理记录", "张敏（演示）"):
        assert text in page.text
    assert 'action="/console/cases/%d/move"' % case.id in page.text
    before = env.events(case.id)
    # a 社区 user sees the case but not the street's move, and cannot take it
    sq = env.client("sq_wlht")
    sq_page = sq.get(f"/console/cases/{case.id}")
    assert sq_page.status_code == 200 and f'action="/console/cases/{case.id}/move"' not in sq_page.text
    r = no_redirects(sq, "POST", f"/console/cases/{case.id}/move",
                     data={"to": "center_review", "version": case.version, "comment": "越权", "csrf_token": csrf_of(sq_page.text)})
    assert r.status_code == 403 and "街道" in r.text
    assert len(env.events(case.id)) == len(before) and env.case(case.id).state == "street_review"
    # CSRF missing: refused, nothing changes
    r = no_redirects(jd, "POST", f"/console/cases/{case.id}/move",
                     data={"to": "center_review", "version": case.version, "comment": "无令牌"})
    assert r.status_code == 403
    r = no_redirects(jd, "POST", f"/console/cases/{case.id}/move",
                     data={"to": "center_review", "version": case.version, "comment": "错令牌", "csrf_token": "x" * 43})
    assert r.status_code == 403
    assert len(env.events(case.id)) == len(before) and env.case(case.id).version == case.version
    # the street takes its move
    r = no_redirects(jd, "POST", f"/console/cases/{case.id}/move",
                     data={"to": "center_review", "version": case.version, "comment": "初审通过", "csrf_token": csrf_of(page.text)})
    assert r.status_code == 303 and r.headers["location"].startswith(f"/console/cases/{case.id}")
    after = env.events(case.id)
    assert len(after) == len(before) + 1
    last = after[-1]
    me = env.user("jd_wlht")
    assert (last.actor_id, last.actor_name, last.from_state, last.to_state, last.comment) == \
        (me.id, me.display_name, "street_review", "center_review", "初审通过")
    shown = jd.get(r.headers["location"]).text
    assert me.display_name in shown and "初审通过" in shown and "已办理" in shown
    # the same form again (stale version): a clear conflict, nothing changed
    r = no_redirects(jd, "POST", f"/console/cases/{case.id}/move",
                     data={"to": "center_review", "version": case.version, "comment": "再点一次", "csrf_token": csrf_of(page.text)})
    assert r.status_code == 409 and "已被他人处理" in r.text
    assert len(env.events(case.id)) == len(after)


def test_staff_upload_the_materials_brought_to_the_window(env):
    from jiuye.cases.models import Attachment

    from jiuye.cases import service

    with env.session() as s:  # a fresh application: its first step is the 社区's
        case = service.create_case(s, env.user("zhangmin"), "flexible_employment_si_subsidy",
                                   profile={"district": "乌兰浩特市"})
    pdf = b"%PDF-1.4\n% scanned at the window\n%%EOF\n"

    def attachments():
        with env.session() as s:
            return s.scalar(select(func.count()).select_from(Attachment).where(Attachment.case_id == case.id))

    before = attachments()
    # staff of another 旗县市 cannot see the case, let alone add to it
    other = env.client("sq_zlt")
    other_page = other.get("/console").text
    r = no_redirects(other, "POST", f"/console/cases/{case.id}/attachments", data={"material": "其他材料",
                     "csrf_token": csrf_of(other_page)}, files={"file": ("a.pdf", pdf, "application/pdf")})
    assert r.status_code == 404 and attachments() == before
    # the 社区 clerk does: a file that is not PDF/JPEG/PNG is refused, naming the reason; a PDF is kept
    jd = env.client("sq_wlht")
    page = jd.get(f"/console/cases/{case.id}").text
    assert f'action="/console/cases/{case.id}/attachments"' in page and '<label for="upload-file">' in page
    r = no_redirects(jd, "POST", f"/console/cases/{case.id}/attachments", data={"material": "其他材料"},
                     files={"file": ("a.pdf", pdf, "application/pdf")})
    assert r.status_code == 403 and attachments() == before  # no CSRF token
    r = no_redirects(jd, "POST", f"/console/cases/{case.id}/attachments",
                     data={"material": "其他材料", "csrf_token": csrf_of(page)},
                     files={"file": ("a.exe", b"MZ\x90\x00 not a scan", "application/octet-stream")})
    assert r.status_code == 422 and "未上传" in r.text and "PDF" in r.text and attachments() == before
    r = no_redirects(jd, "POST", f"/console/cases/{case.id}/attachments",
                     data={"material": "其他材料", "csrf_token": csrf_of(page)},
                     files={"file": ("scan.pdf", pdf, "application/pdf")})
    assert r.status_code == 303 and attachments() == before + 1
    shown = jd.get(r.headers["location"]).text
    assert "scan.pdf" in shown and "材料已上传" in shown


def test_a_required_comment_is_asked_for(env):
    case = env.case_in("job_retention_refund", "pending_confirmation")
    zx = env.client("zx_wlht")
    page = zx.get(f"/console/cases/{case.id}")
    assert "免申即享" in page.text and "核实不符合" in page.text
    r = no_redirects(zx, "POST", f"/console/cases/{case.id}/move",
                     data={"to": "excluded", "version": case.version, "comment": " ", "csrf_token": csrf_of(page.text)})
    assert r.status_code == 422 and "须填写意见" in r.text
    assert env.case(case.id).state == "pending_confirmation"


# --- roster ------------------------------------------------------------------------------------------
def _roster(tmp_path: Path, n: int = 200) -> Path:
    from jiuye.batch import synth
    from jiuye.batch.io import write_table

    table, _bad = synth.enterprises(n, seed=5, bad_share=0.05)
    return write_table(tmp_path / "单位名册.csv", table)


def _upload(c, path: Path, subject="enterprise", as_of=ROSTER_AS_OF, token=None):
    token = token or csrf_of(c.get("/console/roster").text)
    with open(path, "rb") as f:
        return no_redirects(c, "POST", "/console/roster", data={"subject": subject, "as_of": as_of, "csrf_token": token},
                            files={"file": (path.name, f, "text/csv")})


def _xlsx_rows(data: bytes) -> int:
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    return sum(sum(1 for _ in ws.iter_rows(min_row=2, values_only=True)) for ws in wb.worksheets)


def test_roster_upload_runs_in_the_background_and_offers_excel(env, tmp_path):
    from jiuye.web.pages import jobs

    zx = env.client("zx_wlht")
    r = _upload(zx, _roster(tmp_path))
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    job_id = url.rsplit("/", 1)[-1]
    page = zx.get(url)  # while running (or already done): a progress bar or the summary
    assert page.status_code == 200 and ("<progress" in page.text or "概况" in page.text)
    job = jobs.wait(job_id, timeout=180)
    assert job.state == "done", job.error
    st = zx.get(f"{url}/status").json()
    assert st["finished"] and st["percent"] == 100 and st["done_rows"] == 200
    page = zx.get(url).text
    s = job.summary()
    assert s["input_rows"] == 200 and s["rejected_rows"] > 0
    assert s["accepted_rows"] + s["rejected_rows"] == s["input_rows"]
    res = zx.get(f"{url}/results.xlsx")
    assert res.status_code == 200 and "spreadsheetml" in res.headers["content-type"]
    assert _xlsx_rows(res.content) == s["output_rows"]
    rej = zx.get(f"{url}/rejected.xlsx")
    assert _xlsx_rows(rej.content) == s["rejected_rows"]
    assert f">{s['input_rows']}<" in page and f">{s['rejected_rows']}<" in page
    assert "创建免申即享案件" in page
    # another district's staff cannot see the job
    assert env.client("jd_zlt").get(url).status_code == 404
    # 免申即享: the eligible rows of 乌兰浩特市 become cases waiting for confirmation
    n_before = _count(env, Case.channel == "batch")
    r = no_redirects(zx, "POST", f"{url}/import", data={"procedure": "job_retention_refund", "csrf_token": csrf_of(page)})
    assert r.status_code == 201, r.text
    created = list(map(int, re.findall(r'href="/console/cases/(\d+)"', r.text)))
    eligible_here = s["districts"]["乌兰浩特市"]["policies"]["job_retention_refund"]["eligible"]
    assert len(created) == eligible_here > 0
    assert _count(env, Case.channel == "batch") == n_before + len(created)
    for cid in created:
        case = env.case(cid)
        assert (case.district, case.state, case.screening_status) == ("乌兰浩特市", "pending_confirmation", "eligible")
        assert case.screening["source"]["sha256"] and job_id in case.screening["source"]["file"]
        assert not case.person_id and case.enterprise_id
    with env.session() as s_:
        names = {e.name for e in s_.scalars(select(__import__("jiuye.cases.models", fromlist=["Enterprise"]).Enterprise))}
    assert not any(n.startswith("（名单未列名称）") for n in names)  # names come from the roster
    # importing again creates nothing new
    r = no_redirects(zx, "POST", f"{url}/import", data={"procedure": "job_retention_refund", "csrf_token": csrf_of(page)})
    assert r.status_code == 201 and "新建待核实案件 0 件" in r.text
    assert _count(env, Case.channel == "batch") == n_before + len(created)
    # a 街道 user may see the result but not import
    jd_page = env.client("jd_wlht").get(url).text
    assert "创建免申即享案件" not in jd_page and "只有就业服务中心人员" in jd_page


def _count(env, *where) -> int:
    with env.session() as s:
        return s.scalar(select(func.count()).select_from(Case).where(*where))


def test_bad_roster_files_are_refused_with_the_batchs_message(env, tmp_path, monkeypatch):
    zx = env.client("zx_wlht")
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0 not really")
    r = _upload(zx, xls)
    assert r.status_code == 422 and "旧版 Excel" in r.text
    garbage = tmp_path / "broken.xlsx"
    garbage.write_bytes(b"PK not a workbook")
    r = _upload(zx, garbage)
    assert r.status_code == 422 and "不是有效的 Excel" in r.text
    r = _upload(zx, _roster(tmp_path, 5), as_of="2022/06/15")
    assert r.status_code == 422 and "评估日期" in r.text
    monkeypatch.setenv("JIUYE_ROSTER_MAX_BYTES", "200")
    r = _upload(zx, _roster(tmp_path, 50))
    assert r.status_code == 413 and "文件过大" in r.text


# --- dashboard ---------------------------------------------------------------------------------------
def test_dashboard_serves_its_chart_library_locally(env):
    zx = env.client("zx_wlht")
    r = zx.get("/console/dashboard")
    assert r.status_code == 200
    refs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert refs and not [u for u in refs if re.match(r"(?i)(https?:)?//", u)], refs
    assert not re.search(r"(?i)(src|href)\s*=\s*['\"]?\s*(https?:)?//", r.text)
    js = next(u for u in refs if "plotly" in u)
    assert js.startswith("/console/assets/plotly-")
    asset = zx.get(js)
    assert asset.status_code == 200 and "javascript" in asset.headers["content-type"]
    assert "immutable" in asset.headers["cache-control"] and len(asset.content) > 1_000_000
    import plotly

    shipped = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    assert hashlib.sha256(asset.content).digest() == hashlib.sha256(shipped).digest()
    assert zx.get("/console/assets/plotly-0.0.0.min.js").status_code == 404
    # numbers as tables under the charts, from the database
    with env.session() as s:
        n = s.scalar(select(func.count()).select_from(Case).where(Case.district == "乌兰浩特市"))
    by_district = re.search(r"各旗县市案件数.*?<td>乌兰浩特市</td><td class=\"n\">(\d+)</td>", r.text, re.S)
    assert by_district and int(by_district.group(1)) == n
    assert "扎赉特旗" not in re.search(r"各旗县市案件数.*?</table>", r.text, re.S).group(0)  # only my district
    for chart in ("chart-by-policy", "chart-by-state", "chart-by-district", "chart-money", "chart-overdue"):
        assert f'id="{chart}"' in r.text


# --- source audit ------------------------------------------------------------------------------------
def test_source_audit_page(env):
    from jiuye.knowledge.audit import audit
    from jiuye.knowledge.loader import get_knowledge
    import datetime as dt

    c = env.client("sq_wlht")
    r = c.get("/console/audit?as_of=2026-01-01")
    assert r.status_code == 200
    findings = audit(get_knowledge(), dt.date(2026, 1, 1))
    assert r.text.count('<section class="result"') == len(findings) > 10
    assert findings[0].title in r.text or findings[0].title.replace('"', "&#34;") in r.text
    assert "按 2026-01-01 判断" in r.text
    assert "应为 YYYY-MM-DD" in c.get("/console/audit?as_of=soon").text


# --- parameters --------------------------------------------------------------------------------------
PARAM = "job_retention_refund.layoff_rate_cap"


def test_parameter_edit_is_versioned_applied_and_restricted(env):
    from jiuye.cases.parameters import ParameterEdit
    from jiuye.rules import build_system

    yaml_file = env.data / "parameters" / "job_retention_refund" / "layoff_rate_cap.yaml"
    repo_file = REPO_ROOT / "data" / "parameters" / "job_retention_refund" / "layoff_rate_cap.yaml"
    repo_before = repo_file.read_bytes()
    tbs = build_system()
    assert tbs.parameters.job_retention_refund.layoff_rate_cap("2026-02-01") is None  # not given by the sources
    assert PARAM in _unknown_parameters_2026()
    # a 社区 user can read but not change
    sq = env.client("sq_wlht")
    page = sq.get(f"/console/parameters/{PARAM}")
    assert page.status_code == 200 and "只有" in page.text and 'name="value"' not in page.text
    before = yaml_file.read_bytes()
    r = no_redirects(sq, "POST", f"/console/parameters/{PARAM}", data={
        "value": "0.055", "start": "2026-01-01", "source": "测试", "csrf_token": csrf_of(page.text)})
    assert r.status_code == 403 and yaml_file.read_bytes() == before
    with env.session() as s:
        assert s.scalar(select(func.count()).select_from(ParameterEdit).where(ParameterEdit.parameter == PARAM)) == 0
    # the 盟中心 may; bad input names the field and changes nothing
    mz = env.client("mz")
    page = mz.get(f"/console/parameters/{PARAM}")
    assert 'name="value"' in page.text and '<label for="param-value">' in page.text
    token = csrf_of(page.text)
    for form, needle in (({"value": "五点五", "start": "2026-01-01", "source": "x"}, "不是数字"),
                         ({"value": "0.055", "start": "2026/01/01", "source": "x"}, "生效日期"),
                         ({"value": "0.055", "start": "2026-01-01", "source": "  "}, "依据"),
                         ({"value": "-1", "start": "2026-01-01", "source": "x"}, "负数")):
        r = no_redirects(mz, "POST", f"/console/parameters/{PARAM}", data={**form, "csrf_token": token})
        assert r.status_code == 422 and needle in r.text, (form, r.status_code)
        assert yaml_file.read_bytes() == before
    r = no_redirects(mz, "POST", f"/console/parameters/{PARAM}", data={"value": "0.055", "start": "2026-01-01"})
    assert r.status_code == 403 and yaml_file.read_bytes() == before  # no CSRF token
    # a good edit
    source = "2025年《政府工作报告》：城镇调查失业率5.5%左右（测试）"
    r = no_redirects(mz, "POST", f"/console/parameters/{PARAM}", data={
        "value": "0.055", "start": "2026-01-01", "source": source, "comment": "补上 2026 年目标", "csrf_token": token})
    assert r.status_code == 303, r.text
    with env.session() as s:
        rows = list(s.scalars(select(ParameterEdit).where(ParameterEdit.parameter == PARAM)))
    assert len(rows) == 1
    e = rows[0]
    mz_user = env.user("mz")
    assert (e.parameter, e.new_value, e.old_value, str(e.start), e.source, e.user_id, e.user_name) == \
        (PARAM, 0.055, None, "2026-01-01", source, mz_user.id, mz_user.display_name)
    assert e.sha256_before == hashlib.sha256(before).hexdigest() != e.sha256_after
    assert e.sha256_after == hashlib.sha256(yaml_file.read_bytes()).hexdigest()
    import yaml

    doc = yaml.safe_load(yaml_file.read_text(encoding="utf-8"))
    import datetime as dt

    values = doc["values"]
    assert values[dt.date(2026, 1, 1)]["value"] == 0.055
    assert values[dt.date(2026, 1, 1)]["metadata"]["reference"][0]["title"] == source
    assert values[dt.date(2022, 1, 1)]["value"] == 0.055 and values[dt.date(2023, 1, 1)] is None  # history kept
    assert repo_file.read_bytes() == repo_before  # the repository's data/ is untouched
    # applied in this process: the rules now have a value for 2026
    assert tbs.get_parameters_at_instant("2026-02-01").job_retention_refund.layoff_rate_cap == pytest.approx(0.055)
    assert tbs.parameters.job_retention_refund.layoff_rate_cap("2024-02-01") is None
    # and so does the screening: 稳岗返还 in 2026 no longer waits for this parameter
    assert PARAM not in _unknown_parameters_2026()
    # history page
    page = mz.get(r.headers["location"]).text
    assert "已保存" in page and mz_user.display_name in page and source in page and "补上 2026 年目标" in page
    assert PARAM in mz.get("/console/parameters").text
    # a yes/no switch is not editable here
    r = no_redirects(mz, "POST", "/console/parameters/job_retention_refund.excludes_zombie_and_polluters",
                     data={"value": "1", "start": "2026-01-01", "source": "x", "csrf_token": token})
    assert r.status_code in (404, 422)


def test_parameter_edit_in_a_file_with_merge_keys_changes_only_that_parameter(env):
    """district_tier.yaml shares one district's values with four others (YAML `<<: *tier3`)."""
    from jiuye.rules import build_system

    tier = "general.minimum_wage.district_tier"
    yaml_file = env.data / "parameters" / "general" / "minimum_wage" / "district_tier.yaml"
    mz = env.client("mz")
    token = csrf_of(mz.get(f"/console/parameters/{tier}.jalaid").text)
    r = no_redirects(mz, "POST", f"/console/parameters/{tier}.jalaid", data={
        "value": "2", "start": "2026-01-01", "source": "测试：扎赉特旗调整为二类地区", "csrf_token": token})
    assert r.status_code == 303, r.text
    p = build_system().parameters.general.minimum_wage.district_tier
    assert p.jalaid("2026-02-01") == 2 and isinstance(p.jalaid("2026-02-01"), int)
    assert p.tuquan("2026-02-01") is None and p.arxan("2026-02-01") is None  # their values as before
    assert p.tuquan("2025-01-01") == 3 == p.jalaid("2025-01-01") == p.arxan("2025-01-01")
    assert "2026-01-01" not in yaml_file.read_text(encoding="utf-8").split("tuquan:")[1]


def test_staff_enter_the_leagues_ui_base_in_the_console_and_find_names_them(env, monkeypatch):
    """Issue 14 item 3: no source gives 兴安盟's 统筹地区最低工资标准 after 2021-11; a 盟中心 staff
    member enters it (a gap of the sources, not the newest date) with its basis; /find then shows
    失业保险金 computed from it, naming the staff member and the basis; the console shows the entry."""
    from jiuye.web.pages.common import beijing_time

    path = "unemployment_insurance.pooling_minimum_wage"
    facts = {"group": "unemployed", "show": "1", "birth_date": "1985-03", "sex": "male", "district": "乌兰浩特市",
             "is_unemployed": "1", "registered_unemployed": "1", "involuntary_separation": "1",
             "contribution_years": "3", "job_seeking": "1", "receiving_pension": "0", "ui_stop_event": "0",
             "has_spouse": "0"}
    monkeypatch.setenv("JIUYE_TODAY", "2022-03-01")

    def ui_block(client) -> str:
        html = client.get("/find", params=facts).text
        m = re.search(r'<section class="result" id="p-unemployment_insurance_benefit">.*?</section>', html, re.S)
        assert m, "失业保险金 is not in the result"
        return re.sub(r"<[^>]+>", "", m.group(0))

    citizen = env.client()
    before = ui_block(citizen)
    assert "暂时算不出" in before and "须由工作人员在工作台录入" in before
    mz = env.client("mz")
    page = mz.get(f"/console/parameters/{path}")
    assert page.status_code == 200 and "资料未给出" in page.text and "2021-12-01" in page.text
    source = "兴安盟人社局关于调整失业保险金标准的通知（测试）"
    r = no_redirects(mz, "POST", f"/console/parameters/{path}", data={
        "value": "1910", "start": "2021-12-01", "source": source, "comment": "按乌兰浩特市标准",
        "csrf_token": csrf_of(page.text)})
    assert r.status_code == 303, r.text
    name = env.user("mz").display_name
    after = ui_block(citizen)
    assert "1,719.00 元/月" in after and "暂时算不出" not in after
    assert f"由工作人员{name}于" in after and source in after
    # the JSON API says the same, with the entry as structured data
    reply = citizen.post("/api/screen", json={"profile": {"subject": "person", "district": "乌兰浩特市",
                                                          "birth_date": "1985-03-01", "sex": "male",
                                                          "is_unemployed": True, "registered_unemployed": True,
                                                          "involuntary_separation": True, "contribution_years": 3,
                                                          "job_seeking": True, "receiving_pension": False,
                                                          "ui_stop_event": False, "has_spouse": False},
                                              "as_of": "2022-03-01"}).json()
    ui = next(x for x in reply["results"] if x["policy"] == "unemployment_insurance_benefit")
    assert ui["amount"] == 1719.0
    refs = [ref for reason in ui["reasons"] for ref in reason["references"]]
    assert [(x["parameter"], x["value"], x["entered_by"], x["title"]) for x in refs] == [(path, 1910, name, source)]
    # the console shows who entered it, in Beijing time
    shown = mz.get(f"/console/parameters/{path}").text
    assert f"工作人员 {name} 于" in shown and source in shown
    with env.session() as s:
        from jiuye.cases.parameters import ParameterEdit

        row = s.scalars(select(ParameterEdit).where(ParameterEdit.parameter == path)).one()
    assert beijing_time(row.at) in shown and refs[0]["entered_at"] == beijing_time(row.at)


def _unknown_parameters_2026() -> list[str]:
    import datetime as dt

    from jiuye.screening import default_screener

    firm = {"subject": "enterprise", "district": "乌兰浩特市", "enterprise_category": "small",
            "enterprise_ui_paid_years": 3, "ui_arrears": False, "on_dishonesty_list": False,
            "zombie_enterprise": False, "environmental_compliant": True, "layoff_count": 0,
            "insured_headcount": 40, "ui_contributions_last_year": 20000}
    res = default_screener().screen(firm, dt.date(2026, 3, 1))
    return [u.parameter for u in next(x for x in res.results if x.policy == "job_retention_refund").unknown_parameters]


def test_unknown_parameter_is_404(env):
    r = env.client("mz").get("/console/parameters/job_retention_refund.refund_rat")
    assert r.status_code == 404 and "refund_rate" in r.text


# --- labels ------------------------------------------------------------------------------------------
class _Fields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.labels, self.unlabelled = set(), set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            if not a.get("id"):
                self.unlabelled.append((tag, a.get("name")))
            else:
                self.ids.add(a["id"])


@pytest.mark.parametrize("username", ["zx_wlht", "mz"])
def test_every_form_field_has_a_label(env, username):
    c = env.client(username)
    case = env.case_in("job_retention_refund", "pending_confirmation")
    pages = ["/console", "/console/roster", "/console/audit", "/console/parameters", f"/console/parameters/{PARAM}",
             "/console/dashboard", "/console/login"]
    if username == "zx_wlht":  # (the 盟中心 sees 盟本级 cases only)
        pages.append(f"/console/cases/{case.id}")
    for url in pages:
        r = c.get(url)
        assert r.status_code == 200, url
        p = _Fields()
        p.feed(r.text)
        assert not p.unlabelled, (url, p.unlabelled)
        assert p.ids <= p.labels, (url, p.ids - p.labels)
        assert 'method="post"' not in r.text or r.text.count('method="post"') == r.text.count('name="csrf_token"'), url


def test_batch_reports_progress_after_each_chunk(tmp_path):
    """The hook behind the roster page's progress bar."""
    import datetime as dt

    from jiuye.batch import Options, run

    src = _roster(tmp_path, 50)
    seen: list[tuple[int, int | None]] = []
    out = run(Options(input=src, output=tmp_path / "r.parquet", as_of=dt.date(2022, 6, 15), subject="enterprise",
                      chunk_size=20, progress=False, chart=False, on_progress=lambda d, t: seen.append((d, t))))
    assert [d for d, _ in seen] == [20, 40, 50] == sorted(d for d, _ in seen)
    assert seen[-1][0] == out.summary["input_rows"] and all(t for _, t in seen)


def test_only_the_leagues_hrss_may_edit_parameters():
    """A 旗县市 人社局 does not set the league's rules; the league's 人社局 and centre do."""
    from jiuye.cases.models import User
    from jiuye.cases.parameters import may_edit

    assert may_edit(User(role="hrss", district="兴安盟"))
    assert not may_edit(User(role="hrss", district="乌兰浩特市"))
    assert may_edit(User(role="league_center", district="兴安盟")) and may_edit(User(role="admin"))
    assert not may_edit(User(role="community", district="兴安盟"))


def test_console_times_are_beijing_time():
    """Stored times are UTC; a staff member reads Beijing time (UTC+8), never 'UTC'."""
    import datetime as dt

    from jiuye.web.pages.common import beijing_time

    assert beijing_time("2026-12-06T01:38:00+00:00") == "2026-12-06 09:38"
    assert beijing_time(dt.datetime(2026, 12, 31, 20, 5, 7)) == "2027-01-01 04:05"  # naive = UTC (database)
    assert beijing_time("2026-12-31T20:05:07", seconds=True) == "2027-01-01 04:05:07"
    assert beijing_time(None) == ""
    templates = Path(__file__).resolve().parents[1] / "src" / "jiuye" / "web" / "templates"
    shown = [p.name for p in templates.rglob("*.html") if " UTC" in p.read_text(encoding="utf-8")]
    assert not shown, f"templates showing UTC times: {shown}"


def test_the_edit_form_names_the_gaps_staff_may_fill(env):
    page = env.client("mz").get("/console/parameters/unemployment_insurance.pooling_minimum_wage").text
    label = re.search(r'<label for="param-start">(.*?)</label>', page, re.S).group(1)
    assert "资料未给出数值的时段" in label and "2024-12-01" in label
