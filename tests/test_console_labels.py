"""The console speaks Chinese (issue 14): no raw code (screening status, channel, roster job state,
audit finding kind, severity, roster rejection reason, procedure state, role, parameter unit …)
appears as visible text on any console page rendered with the demo data; every code the program
can produce has a name in data/web/labels.yaml; roster totals never say 0.00 元 for amounts that
are still unknown.

The codes are read from the program itself (the Status literal, the sources that assign a job
state or a case channel, the validator's reasons, the audit's findings, the procedures, roles and
parameter units), so a code added later without a Chinese name fails here."""
from __future__ import annotations

import datetime as dt
import re
import typing
from html.parser import HTMLParser
from pathlib import Path

import pytest

from test_web_console import _upload, csrf_of, env  # noqa: F401 - the console's demo environment fixture

SRC = Path(__file__).resolve().parents[1] / "src" / "jiuye"


# --- the codes, from their sources -----------------------------------------------------------------
def _statuses() -> set[str]:
    from jiuye.screening.models import Status

    return set(typing.get_args(Status))


def _channels() -> set[str]:
    text = (SRC / "cases" / "service.py").read_text(encoding="utf-8")
    found = set(re.findall(r'channel="(\w+)"', text))
    for a, b in re.findall(r'channel="(\w+)" if [^,]*? else "(\w+)"', text):
        found |= {a, b}
    return found


def _job_states() -> set[str]:
    text = (SRC / "store" / "jobs.py").read_text(encoding="utf-8")
    found = set(re.findall(r'job\.state(?:, [\w.]+)*\s*=\s*"(\w+)"', text))
    found |= set(re.findall(r'job\.state == "(\w+)"', text))
    m = re.search(r"UNFINISHED = \(([^)]*)\)", text)
    found |= set(re.findall(r'"(\w+)"', m.group(1)))
    return found


def _rejection_kinds() -> tuple[set[str], set[str]]:
    """(plain kinds, prefixes of per-column kinds such as invalid:birth_date)."""
    text = (SRC / "batch" / "validate.py").read_text(encoding="utf-8")
    plain = set(re.findall(r'reasons\.add\(\s*"(\w+)"', text))
    prefixes = set(re.findall(r'reasons\.add\(\s*f"(\w+):\{', text))
    compute = (SRC / "batch" / "compute.py").read_text(encoding="utf-8")
    plain |= set(re.findall(r'stats\["reasons"\]\["(\w+)"\]', compute))
    return plain, prefixes


def _audit_kinds() -> set[str]:
    from jiuye.knowledge.audit import audit
    from jiuye.knowledge.loader import get_knowledge

    kinds: set[str] = set()
    kb = get_knowledge()  # the curated findings (data/audit/findings.yaml) and the computed ones
    for day in (dt.date(2021, 6, 15), dt.date(2022, 6, 15), dt.date(2026, 1, 1)):
        kinds |= {f.kind for f in audit(kb, day)}
    kinds |= set(re.findall(r'kind="(\w+)"', (SRC / "knowledge" / "audit.py").read_text(encoding="utf-8")))
    return kinds


def known_codes() -> set[str]:
    from jiuye.cases import roles
    from jiuye.cases.procedures import get_procedures
    from jiuye.rules.parameter_meta import units

    codes = _statuses() | _channels() | _job_states() | _audit_kinds() | {"high", "medium", "low"}
    plain, _prefixes = _rejection_kinds()
    codes |= plain | {"person", "enterprise"}
    for p in get_procedures().values():
        codes |= set(p.states)
    codes |= set(roles.ROLES)
    codes |= {u for u in units() if re.search(r"[a-z]", u)}
    codes |= {"total", "total_fen", "amount_pending", "pending_because", "currency-CNY-fen"}
    return codes


def test_every_code_has_a_chinese_name():
    from jiuye.web.labels import CJK, labels

    lab = labels()
    assert _statuses() <= set(lab.screening_status)
    assert _channels() and _channels() <= set(lab.channel)
    assert _job_states() and _job_states() <= set(lab.roster_state)
    assert _audit_kinds() <= set(lab.audit_kind)
    plain, prefixes = _rejection_kinds()
    assert {"sex_mismatch", "invalid_key", "malformed_row"} <= plain
    assert plain <= set(lab.rejection), plain - set(lab.rejection)
    assert prefixes and prefixes <= set(lab.rejection_field)
    # a per-column kind names the column in Chinese
    from jiuye.batch.columns import field_specs

    titles = {n: s.title for n, s in field_specs("person").items()}
    shown = lab.rejection_label("invalid:birth_date", titles)
    assert "birth_date" not in shown and CJK.search(shown)


def test_a_label_without_chinese_is_refused_on_load(tmp_path, monkeypatch):
    import shutil

    import yaml

    from jiuye.config import REPO_ROOT
    from jiuye.web import labels as L

    data = tmp_path / "data"
    (data / "web").mkdir(parents=True)
    raw = yaml.safe_load((REPO_ROOT / "data" / "web" / "labels.yaml").read_text(encoding="utf-8"))
    raw["severity"]["high"] = "high"
    (data / "web" / "labels.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("JIUYE_DATA_DIR", str(data))
    L.labels.cache_clear()
    try:
        with pytest.raises(ValueError, match="不含汉字"):
            L.labels()
    finally:
        L.labels.cache_clear()
        shutil.rmtree(data)


# --- visible text ------------------------------------------------------------------------------------
class _Visible(HTMLParser):
    """Text a reader sees: not scripts, styles, <code> (identifiers shown on purpose: a parameter's
    path, a file name) or <cite> (a cited source's own title, in its own language), plus the
    title/aria-label/placeholder attributes."""

    SKIP = {"script", "style", "code", "cite"}

    def __init__(self):
        super().__init__()
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1
        for k, v in attrs:
            if k in ("title", "aria-label", "placeholder") and v:
                self.parts.append(v)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    p = _Visible()
    p.feed(html)
    return " ".join(p.parts)


def raw_codes_in(text: str, codes: set[str]) -> set[str]:
    return {c for c in codes if re.search(r"(?<![A-Za-z0-9_\-/])" + re.escape(c) + r"(?![A-Za-z0-9_\-])", text)}


def _person_roster(tmp_path: Path) -> Path:
    from jiuye.batch import synth
    from jiuye.batch.io import write_table

    table, _bad = synth.persons(120, seed=7, as_of=dt.date(2022, 6, 15), bad_share=0.2)
    return write_table(tmp_path / "人员名册.csv", table)


def test_console_pages_show_no_raw_codes(env, tmp_path):  # noqa: F811 - the imported fixture
    from sqlalchemy import select

    from jiuye.cases.models import Case
    from jiuye.web.pages import jobs

    codes = known_codes()
    assert {"window_closed", "sex_mismatch", "invalid_key", "conflict", "currency-CNY", "total"} <= codes
    zx = env.client("zx_wlht")
    r = _upload(zx, _person_roster(tmp_path), subject="person", as_of="2022-06-15")
    assert r.status_code == 303, r.text
    job_url = r.headers["location"]
    job = jobs.wait(job_url.rsplit("/", 1)[-1], timeout=180)
    assert job.state == "done", job.error
    assert job.summary()["rejection_reasons"], "the roster has rows that fail the checks"
    with env.session() as s:
        cases = list(s.scalars(select(Case).where(Case.district == "乌兰浩特市").order_by(Case.id)))
    picked = {}
    for c in cases:  # one case per procedure and channel
        picked.setdefault((c.procedure, c.channel), c.id)
    with_fields = next((c.id for c in cases if c.fields), None)
    pages = ["/console", "/console?scope=all", "/console/roster", job_url, "/console/dashboard",
             "/console/audit", "/console/audit?as_of=2026-01-01", "/console/parameters",
             "/console/parameters/job_retention_refund.refund_rate.sme",
             "/console/parameters/unemployment_insurance_benefit.minimum_wage"]
    pages += [f"/console/cases/{cid}" for cid in picked.values()]
    if with_fields:
        pages.append(f"/console/cases/{with_fields}")
    found = {}
    for url in pages:
        resp = zx.get(url)
        if resp.status_code == 404 and "/parameters/" in url:
            continue
        assert resp.status_code == 200, url
        bad = raw_codes_in(visible_text(resp.text), codes)
        if bad:
            found[url] = sorted(bad)
        if "/parameters" in url:  # the data's English glosses for developers are not shown
            english = re.findall(r"\((?:[A-Za-z][\w\-]*[ ,;]+){2,}[^()]*\)", visible_text(resp.text))
            if english:
                found[url + " (English)"] = english[:3]
    assert not found, found
    # the rejection reasons are listed by their Chinese names
    page = visible_text(zx.get(job_url).text)
    assert "性别与身份证号不符" in page or "身份证号（统一社会信用代码）无效" in page


def test_chinese_part_of_a_glossed_text():
    from jiuye.web.labels import chinese_part

    assert chinese_part("一年期贷款市场报价利率 LPR（基点）(one-year loan prime rate, basis points)") == \
        "一年期贷款市场报价利率 LPR（基点）"
    assert chinese_part("以工代训补贴 (work-based training subsidy, policy x); amount, months and window are y") == "以工代训补贴"
    assert chinese_part("通用参数 (values the documents rely on) › 法定退休年龄 (legal retirement age)") == "通用参数 › 法定退休年龄"
    assert chinese_part("only English") == "only English"  # nothing Chinese to keep: shown as it is


def test_roster_totals_say_how_many_amounts_are_pending(env, tmp_path):  # noqa: F811
    """A district or policy whose eligible rows have no amount yet (here 失业保险金 in 2022: the
    minimum wage the rules need is not in the data) shows how many and why, never 0.00 元."""
    from jiuye.web.pages import jobs

    zx = env.client("zx_wlht")
    r = _upload(zx, _person_roster(tmp_path), subject="person", as_of="2022-06-15")
    url = r.headers["location"]
    job = jobs.wait(url.rsplit("/", 1)[-1], timeout=180)
    assert job.state == "done", job.error
    s = job.summary()
    ui = s["policies"]["unemployment_insurance_benefit"]
    assert ui["eligible"] and ui["amount_pending"] == ui["eligible"] - ui["amount_known"] > 0
    assert sum(ui["pending_because"].values()) >= ui["amount_pending"]
    zero_but_pending = [d for d, v in s["districts"].items() if v["total_fen"] == 0 and v["amount_pending"]]
    assert zero_but_pending, "the roster has a district whose only amounts are pending"
    html = zx.get(url).text
    for page in (html, zx.get("/console/dashboard").text):
        rows = {m.group(1): m.group(0) for m in re.finditer(r"<tr><td>([^<]+)</td>.*?</tr>", page, re.S)}
        for d in zero_but_pending:
            assert "0.00 元" not in rows[d] and f"{s['districts'][d]['amount_pending']} 项金额待定" in rows[d], rows[d]
    policy_row = next(m.group(0) for m in re.finditer(r"<tr><td>([^<]+)</td>.*?</tr>", html, re.S)
                      if m.group(1) == ui["name"])
    assert f"{ui['amount_pending']} 项金额待定" in policy_row and "还需要：" in policy_row
    assert "最低工资" in policy_row  # why: what the rules lack
