"""The citizen site (issue 7), through FastAPI's TestClient against a temporary SQLite database with
the demo data: search, 政策找人, policies and contacts, register → apply → my cases, CSRF, labels,
and nothing loaded from outside the app."""
from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases_support import configured
from jiuye.cases.demo import DEMO_PASSWORD, PEOPLE
from jiuye.config import data_dir
from jiuye.idcard import check_char

HTML = {"accept": "text/html"}


# --- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("citizen")
    with configured(f"sqlite:///{tmp / 'citizen.sqlite3'}", tmp, demo=True) as engine:
        yield engine


@pytest.fixture(scope="module")
def app(db):
    from jiuye.web.app import create_app

    return create_app()


def new_client(app):
    from fastapi.testclient import TestClient

    return TestClient(app, headers=HTML)


@pytest.fixture()
def client(app):
    with new_client(app) as c:
        yield c


# --- HTML helpers ----------------------------------------------------------------------------------
class Page(HTMLParser):
    """The parts of a page the tests look at: forms and their fields, labels, links, resources."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.fields: list[dict] = []  # every input/select/textarea, with the form it is in
        self.labels_for: set[str] = set()
        self.links: list[str] = []
        self.resources: list[tuple[str, str]] = []  # (tag, url) of what the browser would load
        self.text_parts: list[str] = []
        self._form = None
        self._select = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action"), "fields": []}
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea"):
            f = {"tag": tag, "type": (a.get("type") or "text").lower(), "name": a.get("name"), "id": a.get("id"),
                 "value": a.get("value") or "", "checked": "checked" in a, "options": []}
            self.fields.append(f)
            if self._form is not None:
                self._form["fields"].append(f)
            if tag == "select":
                self._select = f
        elif tag == "option" and self._select is not None:
            self._select["options"].append((a.get("value") or "", "selected" in a))
        elif tag == "label" and a.get("for"):
            self.labels_for.add(a["for"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.resources.append((tag, a["src"]))
        if tag == "link" and a.get("href"):
            self.resources.append((tag, a["href"]))
        if tag == "object" and a.get("data"):
            self.resources.append((tag, a["data"]))
        if a.get("style") and "url(" in a["style"]:
            self.resources.append((tag, a["style"]))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "select":
            self._select = None

    def handle_data(self, data):
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text_parts))

    def form(self, action_prefix: str) -> dict:
        for f in self.forms:
            if (f["action"] or "").startswith(action_prefix):
                return f
        raise AssertionError(f"no form posting to {action_prefix}; forms: {[f['action'] for f in self.forms]}")

    def field_value(self, name: str) -> str | None:
        for f in self.fields:
            if f["name"] == name:
                return f["value"]
        return None


def csrf_of(page: Page) -> str:
    token = page.field_value("csrf_token")
    assert token, "page has no csrf_token"
    return token


def section(html: str, heading_start: str) -> str:
    """The HTML from the <h2> starting with `heading_start` to the next <h2>."""
    m = re.search(r"<h2[^>]*>" + re.escape(heading_start) + r".*?(?=<h2|\Z)", html, re.S)
    assert m, f"no section {heading_start}"
    return m.group(0)


def valid_id(region: str, birth: str, seq: str) -> str:
    first17 = region + birth + seq
    return first17 + check_char(first17)


# --- independent derivations from the rule parameters (data/parameters) ---------------------------------
def _value_on(values: dict, day: dt.date):
    dated = sorted((dt.date.fromisoformat(str(k)), v) for k, v in values.items())
    current = None
    for start, v in dated:
        if start <= day:
            current = v["value"] if isinstance(v, dict) else v
    return current


def expected_ui_benefit(years: float, day: dt.date) -> tuple[float | None, int]:
    """失业保险金 per month (months 1-12) and months, from the parameter files: 统筹地区最低工资标准
    × 90%, months from the contribution-years table (000 三(一)3 and 4)."""
    folder = data_dir() / "parameters" / "unemployment_insurance"
    wage = _value_on(yaml.safe_load((folder / "pooling_minimum_wage.yaml").read_text(encoding="utf-8"))["values"], day)
    rate = _value_on(yaml.safe_load((folder / "rate.yaml").read_text(encoding="utf-8"))["months_1_12"]["values"], day)
    table = yaml.safe_load((folder / "benefit_months.yaml").read_text(encoding="utf-8"))["brackets"]
    months = 0
    for b in table:
        if years >= _value_on(b["threshold"], day):
            months = _value_on(b["amount"], day)
    return (None if wage is None else round(wage * rate, 2)), months


UNEMPLOYED = {  # one concrete person: laid off, 3 years of contributions, registered, looking for work
    "birth_date": "1985-03", "sex": "male",  # below the legal retirement age (a condition of 失业保险金)
    "district": "扎赉特旗", "is_unemployed": "1", "registered_unemployed": "1", "involuntary_separation": "1",
    "contribution_years": "3", "job_seeking": "1", "receiving_pension": "0", "ui_stop_event": "0", "has_spouse": "0",
}


def walk_questionnaire(client, group: str, facts: dict[str, str], max_steps: int = 8) -> tuple[str, list[list[str]]]:
    """Answer /find step by step as a person with `facts` would (anything else: 不知道), until every
    fact has been asked; then ask for the result. Returns (result page HTML, questions per step)."""
    r = client.get(f"/find?group={group}")
    steps: list[list[str]] = []
    for _ in range(max_steps):
        assert r.status_code == 200, r.text[:500]
        page = Page(r.text)
        form = page.form("/find")
        params: list[tuple[str, str]] = []
        asked = []
        for f in form["fields"]:
            if not f["name"] or f["name"] == "csrf_token":
                continue
            if f["type"] == "hidden":
                params.append((f["name"], f["value"]))
            elif f["name"] not in asked:
                asked.append(f["name"])
        assert asked, "a questionnaire step without questions"
        assert "id_number" not in asked and "name" not in asked
        assert form["method"] == ("post" if "id_card" in asked else "get")  # a 身份证号 never goes into an address
        steps.append(asked)
        for name in asked:
            params.append((name, facts.get(name, "")))
        keys = {k for k, _ in params}
        done = set(facts) <= keys
        if done:
            params.append(("show", "1"))
        if form["method"] == "post":
            r = client.post("/find", data=dict(params), follow_redirects=False)
            assert r.status_code == 303 and "id_card=1" not in r.headers["location"] or not facts.get("id_card")
            assert (facts.get("id_card") or "§") not in r.headers["location"]
            r = client.get(r.headers["location"])
        else:
            r = client.get("/find", params=params)
        if done:
            assert r.status_code == 200
            return r.text, steps
        if "您可以享受的政策" in r.text:  # no question left that matters
            return r.text, steps
    raise AssertionError(f"the facts {sorted(set(facts))} were not all asked within {max_steps} steps: {steps}")


# --- search ------------------------------------------------------------------------------------------
def test_search_shows_the_cited_answer(client, kb):
    r = client.get("/ask", params={"q": "失业金能领几个月", "district": "扎赉特旗"})
    assert r.status_code == 200
    page = Page(r.text)
    # the answer quotes the 000 Q&A on 失业保险金 periods verbatim, with its document, section and date
    entry = next(e for e in kb.entries if e.question.startswith("失业保险金享受期限"))
    first_sentence = entry.answer.split("；")[0]
    assert first_sentence in page.text
    assert "兴安盟现行就业政策百问百答" in page.text and "（2021）" in page.text and entry.section in page.text
    assert "24个月" in page.text  # a key figure
    # the district's 失业保险 phone, as a tel: link
    phones = {c["phone"] for c in kb_contacts(kb, "扎赉特旗", "失业保险")}
    assert phones and any(f"tel:{p}" in page.links for p in phones)
    assert "资料中没有找到" not in page.text


def kb_contacts(kb, district, topic):
    from jiuye.knowledge.catalogue import find_contacts

    return find_contacts(kb, district=district, topic=topic)


def test_search_warns_when_the_answer_is_about_a_closed_window(client):
    r = client.get("/ask", params={"q": "失业补助金领取期限"})
    page = Page(r.text)
    assert "失业补助金" in page.text
    assert "已于 2022-12-31 结束" in page.text  # the stale-window warning of the answer


def test_out_of_scope_question_is_refused_honestly_with_hotlines(client):
    r = client.get("/ask", params={"q": "今天天气怎么样"})
    assert r.status_code == 200
    page = Page(r.text)
    assert "资料中没有找到" in page.text
    assert "tel:12333" in page.links
    assert 'class="result"' not in r.text  # no answer is made up


def test_home_has_the_search_box_and_the_group_entries(client):
    page = Page(client.get("/").text)
    search = page.form("/ask")
    assert search["method"] == "get" and any(f["name"] == "q" for f in search["fields"])
    for key in ("job", "unemployed", "founder", "training", "employer", "graduate", "migrant", "hard_to_employ"):
        assert f"/find?group={key}" in page.links and f"/policies?group={key}" in page.links
    for label in ("您想办什么", "找工作", "领失业保险金", "创业", "参加培训", "单位招人", "高校毕业生", "农牧民工",
                  "就业困难人员"):
        assert label in page.text


# --- 政策找人 ------------------------------------------------------------------------------------------
def test_questionnaire_gives_the_unemployment_benefit_amount(client, monkeypatch):
    """A laid-off person with 3 years of contributions, on a date the documents give the base for."""
    day = dt.date(2021, 6, 1)
    monkeypatch.setenv("JIUYE_TODAY", day.isoformat())
    per_month, months = expected_ui_benefit(3, day)
    assert per_month is not None and months > 0
    html, steps = walk_questionnaire(client, "unemployed", UNEMPLOYED)
    assert len(steps) <= 4, steps  # what matters for the unemployed is asked first
    assert steps[0][0] == "id_card" and "district" in steps[1]  # 身份证号 not given: its three facts are asked
    eligible = section(html, "可以享受")
    block = re.search(r'<section class="result" id="p-unemployment_insurance_benefit">.*?</section>', eligible, re.S)
    assert block, "失业保险金 is not among 可以享受"
    text = Page(block.group(0)).text
    assert f"{per_month:,.2f} 元/月" in text
    assert f"可享受 {months} 个月" in text
    assert "《百问百答》" in text or "《政策手册》" in text  # why: the reasons cite the documents (by their names)
    assert "身份证或二代社会保障卡" in text  # what to bring
    phones = {c["phone"] for c in kb_contacts_for("扎赉特旗", "失业保险")}
    assert any(p in text for p in phones)  # whom to call in 扎赉特旗


def test_questionnaire_asks_the_months_already_drawn_and_deducts_them(client, monkeypatch):
    """Receiving the benefit now: /find asks how many months were drawn; 8 months (3 years) − 5 = 3."""
    monkeypatch.setenv("JIUYE_TODAY", "2021-06-01")
    facts = {**UNEMPLOYED, "receiving_ui_benefit": "1", "ui_benefit_months_drawn": "5"}
    html, steps = walk_questionnaire(client, "unemployed", facts)
    asked = [q for step in steps for q in step]
    assert asked.index("receiving_ui_benefit") < asked.index("ui_benefit_months_drawn")
    block = re.search(r'<section class="result" id="p-unemployment_insurance_benefit">.*?</section>',
                      section(html, "可以享受"), re.S)
    assert block, "失业保险金 is not among 可以享受"
    text = Page(block.group(0)).text
    assert "可享受 3 个月" in text and "8 − 5 = 3 个月" in text


def kb_contacts_for(district, topic):
    from jiuye.knowledge.catalogue import find_contacts
    from jiuye.knowledge.loader import get_knowledge

    return find_contacts(get_knowledge(), district=district, topic=topic)


def test_an_unknown_amount_is_never_shown_as_zero(client, monkeypatch):
    """After 2021-11 the documents do not give the league's base: eligible, months known, amount not."""
    day = dt.date(2026, 11, 24)
    monkeypatch.setenv("JIUYE_TODAY", day.isoformat())
    per_month, months = expected_ui_benefit(3, day)
    assert per_month is None
    r = client.get("/find", params={**UNEMPLOYED, "group": "unemployed", "show": "1"})
    block = re.search(r'<section class="result" id="p-unemployment_insurance_benefit">.*?</section>',
                      section(r.text, "可以享受"), re.S)
    assert block
    text = Page(block.group(0)).text
    assert "金额：暂时算不出" in text and f"可享受 {months} 个月" in text
    assert not re.search(r"(?<![\d,.])0(\.00)? 元", text)


def test_results_group_closed_windows_and_not_eligible_with_reasons(client, monkeypatch):
    monkeypatch.setenv("JIUYE_TODAY", "2026-11-24")
    r = client.get("/find", params={**UNEMPLOYED, "group": "unemployed", "show": "1"})
    closed = Page(section(r.text, "已截止")).text
    assert "失业补助金" in closed and "已于 2022-12-31 结束" in closed and "现在不受理" in closed
    assert "失业补助金" not in Page(section(r.text, "可以享受")).text
    r = client.get("/find", params={"group": "unemployed", "district": "乌兰浩特市", "is_unemployed": "0",
                                    "receiving_pension": "1", "show": "1"})
    not_eligible = Page(section(r.text, "不符合")).text
    assert "失业保险金" in not_eligible  # with the reason the rules give
    maybe = Page(section(r.text, "补充信息后可能可以享受")).text
    assert "还需要知道" in maybe


def test_birth_month_on_an_age_limit_is_not_guessed(client, monkeypatch):
    """Born in the month the person turns 50: the 20% uplift depends on the day, which is not asked."""
    from jiuye.screening import default_screener

    day = dt.date(2021, 6, 15)
    monkeypatch.setenv("JIUYE_TODAY", day.isoformat())
    facts = {**UNEMPLOYED, "contribution_years": "10", "sex": "male", "birth_date": "1971-06", "group": "unemployed"}
    # independently: on the first and on the last day of that month the rules disagree
    profile = {k: v for k, v in facts.items() if k not in ("group", "birth_date")}
    profile = {k: (v == "1" if v in ("0", "1") else v) for k, v in profile.items()}
    profile["contribution_years"] = 10
    amounts = {d: next(x.amount for x in default_screener().screen({**profile, "birth_date": d}, day).results
                       if x.policy == "unemployment_insurance_benefit") for d in ("1971-06-01", "1971-06-30")}
    assert amounts["1971-06-01"] != amounts["1971-06-30"]
    r = client.get("/find", params={**facts, "show": "1"})
    assert "p-unemployment_insurance_benefit" not in section(r.text, "可以享受")
    maybe = Page(section(r.text, "补充信息后可能可以享受")).text
    assert "失业保险金" in maybe and "哪一天" in maybe


def test_share_link_holds_no_name_and_no_id_number(client):
    idn = valid_id("152201", "19850308", "102")
    r = client.get("/find", params={**UNEMPLOYED, "group": "unemployed", "birth_date": "1985-03", "name": "王小明",
                                    "id_number": idn, "phone": "13800000000", "show": "1"})
    assert r.status_code == 200
    page = Page(r.text)
    share = page.field_value("share-link") or next(f["value"] for f in page.fields if f["id"] == "share-link")
    assert share.startswith("/find?")
    every_url = [share] + page.links
    for url in every_url:
        for secret in (idn, quote(idn), "王小明", quote("王小明"), "13800000000", "19850308"):
            assert secret not in url, url
    assert idn not in r.text and "王小明" not in r.text
    query = dict(parse_qsl(urlsplit(share).query))
    assert query["birth_date"] == "1985-03"  # year and month only
    assert {"id_number", "name", "phone"}.isdisjoint(query)
    # the shared link gives the same result
    again = client.get(share)
    assert section(again.text, "可以享受") == section(r.text, "可以享受")


def test_a_full_birth_date_or_a_bad_answer_is_refused_naming_the_question(client):
    r = client.get("/find", params={"group": "unemployed", "district": "扎赉特旗", "birth_date": "1985-03-08"})
    assert r.status_code == 422
    assert "「您的出生年月」" in r.text
    r = client.get("/find", params={"group": "unemployed", "contribution_years": "好几年"})  # 三年 is read (issue 14)
    assert r.status_code == 422 and "「失业保险一共交了几年？」" in r.text
    assert Page(r.text).field_value("contribution_years") == ""  # asked again


def test_questions_follow_the_answers(client):
    """A question that only matters after another answer (ask_if) waits for it."""
    r = client.get("/find", params={"group": "founder", "district": "乌兰浩特市", "is_first_business": "0",
                                    "self_employment_registered": "0", "business_in_xing_an": "1"})
    names = {f["name"] for f in Page(r.text).form("/find")["fields"] if f["type"] != "hidden"}
    assert names and "business_registration_date" not in names and "business_operating_normally" not in names
    r = client.get("/find", params={"group": "graduate"})
    page = Page(r.text)
    assert page.field_value("college_graduate") == "1"  # preset by the group, carried on
    assert "college_leaving_date" in {f["name"] for f in page.fields}


def test_the_questionnaire_file_is_checked(tmp_path):
    from jiuye.web.pages.find import QuestionnaireError, load_questionnaire

    good = (data_dir() / "web" / "questionnaire.yaml").read_text(encoding="utf-8")
    assert load_questionnaire().groups
    bad = tmp_path / "q.yaml"
    bad.write_text(good.replace("  district:\n    label: 您在哪个旗县市？", "  no_such_field:\n    label: 不存在的字段"),
                   encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="no_such_field"):
        load_questionnaire(bad)
    bad.write_text(good.replace("options: {male: 男, female: 女}", "options: {male: 男, woman: 女}"), encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="sex"):
        load_questionnaire(bad)


# --- policies and contacts ------------------------------------------------------------------------------
def test_policy_list_filters_and_policy_page(client, kb):
    page = Page(client.get("/policies", params={"for": "enterprise"}).text)
    listed = {h.split("/")[-1] for h in page.links if h.startswith("/policies/")}
    assert listed == {pid for pid, p in kb.policies.items() if "enterprise" in p.for_}
    page = Page(client.get("/policies", params={"group": "graduate"}).text)
    listed = {h.split("/")[-1] for h in page.links if h.startswith("/policies/")}
    assert "graduate_archive_transfer" in listed and "job_retention_refund" not in listed
    r = client.get("/policies", params={"group": "外星人"})
    assert r.status_code == 422 and "未知的人群" in r.text
    # a policy with a procedure has 申请; the source quote with its document's date
    p = kb.policies["startup_subsidy"]
    page = Page(client.get("/policies/startup_subsidy").text)
    assert "/apply/startup_subsidy" in page.links
    assert p.sources[0].quote in page.text and "2022年9月" in page.text  # the document dated as a reader writes it
    page = Page(client.get("/policies/unemployment_insurance_benefit").text)
    assert "/apply/unemployment_insurance_benefit" in page.links  # issue 17: the documents give its path
    page = Page(client.get("/policies/employment_card").text)  # one policy, three procedures: 申领 first
    cards = [h for h in page.links if h.startswith("/apply/")]
    assert cards[0] == "/apply/employment_card" and set(cards) == {
        "/apply/employment_card", "/apply/employment_card_replacement", "/apply/employment_card_reissue"}
    page = Page(client.get("/policies/job_introduction").text)
    assert not any(h.startswith("/apply/") for h in page.links)  # an information service: nothing to apply for


def test_contacts_by_district(client, kb):
    page = Page(client.get("/contacts", params={"district": "扎旗"}).text)
    rows = [c for c in kb_contacts(kb, "扎赉特旗", None) if not c["not_in_league"]]
    assert rows
    for c in rows:
        assert f"tel:{c['phone']}" in page.links
    other = [c["phone"] for c in kb_contacts(kb, "阿尔山市", None) if c["phone"] not in {x["phone"] for x in rows}]
    assert other and not any(f"tel:{p}" in page.links for p in other)
    assert client.get("/contacts", params={"district": "北京"}).status_code == 422


# --- accounts, applications, my cases -----------------------------------------------------------------------
def register(client, username: str, name: str, id_number: str, password: str = "secret-pass-1",
             next_url: str = "/my"):
    page = Page(client.get("/register", params={"next": next_url}).text)
    return client.post("/register", data={"csrf_token": csrf_of(page), "name": name, "id_number": id_number,
                                          "phone": "13912345678", "username": username, "password": password,
                                          "password2": password, "next": next_url}, follow_redirects=False)


def login(client, username: str, password: str = DEMO_PASSWORD):
    page = Page(client.get("/login").text)
    r = client.post("/login", data={"csrf_token": csrf_of(page), "username": username, "password": password,
                                    "next": "/my"}, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]


def counts(db) -> tuple[int, int, int, int]:
    from jiuye.cases.models import Attachment, Case, CaseEvent, User

    with Session(db) as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (User, Case, CaseEvent, Attachment))


STARTUP = {"district": "乌兰浩特市", "is_first_business": "1", "hard_to_employ_certified": "1",
           "business_operating_normally": "1", "business_registration_date": "2024-01-10",
           "poverty_alleviated_labour": "0"}


def test_register_apply_and_follow_the_case_only_as_its_owner(app, db, monkeypatch):
    from jiuye.cases.models import Case

    monkeypatch.setenv("JIUYE_TODAY", "2026-11-24")
    idn = valid_id("152201", "19900101", "123")
    with new_client(app) as me, new_client(app) as other:
        # a questionnaire result's 申请 link, followed while logged out: login first, the answers kept
        apply_url = "/apply/startup_subsidy?" + "&".join(f"{k}={quote(v)}" for k, v in STARTUP.items())
        r = me.get(apply_url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
        next_url = dict(parse_qsl(urlsplit(r.headers["location"]).query))["next"]
        assert urlsplit(next_url).path == "/apply/startup_subsidy"
        assert dict(parse_qsl(urlsplit(next_url).query)) == STARTUP
        before = counts(db)
        r = register(me, "wang_applicant", "王测试", idn, next_url=next_url)
        assert r.status_code == 303 and r.headers["location"] == next_url
        assert counts(db)[0] == before[0] + 1
        page = Page(me.get(next_url).text)
        form = page.form("/apply/startup_subsidy")
        data = {f["name"]: f["value"] for f in form["fields"] if f["name"] and f["type"] == "hidden"}
        # the district stays on the form as a choice, preselected (issue 14: a case needs it)
        data |= {f["name"]: v for f in form["fields"] if f["tag"] == "select" for v, sel in f["options"] if sel}
        for k, v in STARTUP.items():
            assert data.get(k) == v, (k, data.get(k))
        for f in form["fields"]:  # whatever else the form asks: leave at 不知道 / empty
            if f["name"] and f["name"] not in data and f["type"] != "radio":
                data[f["name"]] = f["value"]
        r = me.post("/apply/startup_subsidy", data=data, follow_redirects=False)
        assert r.status_code == 303, Page(r.text).text[:800]
        case_url = r.headers["location"].split("?")[0]
        case_id = int(case_url.rsplit("/", 1)[1])
        page = Page(me.get(r.headers["location"]).text)
        assert "已申请，待就业服务部门初审" in page.text and "申请已提交" in page.text
        assert "提交申请" in page.text  # the history, in words
        my = Page(me.get("/my").text)
        assert case_url in my.links and "一次性创业补贴" in my.text
        with Session(db) as s:
            case = s.get(Case, case_id)
            assert case.screening["profile"]["is_first_business"] is True
            assert idn not in str(case.screening)  # the snapshot keeps the 身份证号 masked
        # another applicant: not in their list, and the case page is a 404
        login(other, "liqiang")
        assert case_url not in Page(other.get("/my").text).links
        r = other.get(case_url)
        assert r.status_code == 404 and "一次性创业补贴" not in r.text
        assert other.get(f"{case_url}/attachments/1").status_code == 404
        # the same 身份证号 cannot be registered a second time (it would see this person's cases)
        with new_client(app) as third:
            r = register(third, "wang_again", "王测试", idn)
            assert r.status_code == 422 and "不能在网上注册" in r.text


def test_an_application_the_screening_refuses_creates_nothing(app, db, monkeypatch):
    monkeypatch.setenv("JIUYE_TODAY", "2026-11-24")
    with new_client(app) as c:
        login(c, "zhangmin")
        before = counts(db)
        params = {**STARTUP, "is_first_business": "0"}
        page = Page(c.get("/apply/startup_subsidy", params=params).text)
        data = {f["name"]: f["value"] for f in page.form("/apply/")["fields"] if f["name"] and f["type"] == "hidden"}
        r = c.post("/apply/startup_subsidy", data=data, follow_redirects=False)
        assert r.status_code == 422 and "不符合条件" in r.text
        assert counts(db) == before


def test_the_applicant_uploads_a_material_and_only_they_can_download_it(app, db):
    from jiuye.cases.models import Case, User

    from jiuye.cases import service

    with Session(db, expire_on_commit=False) as s:
        zhang = s.scalar(select(User).where(User.username == "zhangmin"))
        # a case with the 街道: not the applicant's step, so no upload (jiuye.cases.access.may_attach)
        busy = s.scalars(select(Case).where(Case.person_id == zhang.person_id, Case.final.is_(False),
                                            Case.state == "street_review")).first().id
        # a fresh application nobody has taken up yet: the applicant may still act on it (撤回), and upload
        case_id = service.create_case(s, zhang, "flexible_employment_si_subsidy", profile={"district": "乌兰浩特市"}).id
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    with new_client(app) as me, new_client(app) as other:
        login(me, "zhangmin")
        page = Page(me.get(f"/my/cases/{case_id}").text)
        form = page.form(f"/my/cases/{case_id}/attachments")
        material = next(f for f in form["fields"] if f["name"] == "material")["options"][0][0]
        r = me.post(f"/my/cases/{case_id}/attachments", data={"csrf_token": csrf_of(page), "material": material},
                    files={"file": ("证明.pdf", pdf, "application/pdf")}, follow_redirects=False)
        assert r.status_code == 303, Page(r.text).text[:600]
        page = Page(me.get(r.headers["location"]).text)
        assert "材料已上传" in page.text and "证明.pdf" in page.text
        href = next(h for h in page.links if h.startswith(f"/my/cases/{case_id}/attachments/"))
        got = me.get(href)
        assert got.status_code == 200 and got.content == pdf
        # not a PDF, JPEG or PNG: refused with the reason, nothing stored
        before = counts(db)
        r = me.post(f"/my/cases/{case_id}/attachments", data={"csrf_token": csrf_of(page), "material": material},
                    files={"file": ("x.pdf", b"MZ not a pdf", "application/pdf")}, follow_redirects=False)
        assert r.status_code == 422 and "只接受 PDF、JPEG、PNG" in r.text
        assert counts(db) == before
        login(other, "liqiang")
        assert other.get(href).status_code == 404
        token = csrf_of(page)
        page = Page(me.get(f"/my/cases/{busy}").text)
        assert not [f for f in page.forms if (f["action"] or "").startswith(f"/my/cases/{busy}/attachments")]
        assert "现在不能上传材料" in page.text
        before = counts(db)
        r = me.post(f"/my/cases/{busy}/attachments", data={"csrf_token": token, "material": material},
                    files={"file": ("证明.pdf", pdf, "application/pdf")}, follow_redirects=False)
        assert r.status_code == 403 and "只有当前这一步的办理人可以上传材料" in r.text and counts(db) == before


def test_registration_checks_every_field(client, db):
    before = counts(db)
    r = register(client, "x", "", "152201199001011234", password="short")
    assert r.status_code == 422
    page = Page(r.text)
    for message in ("请填写姓名", "身份证号无效", "用户名为3到30个", "密码至少8位"):
        assert message in page.text
    assert page.field_value("password") == ""  # never echoed
    assert counts(db) == before


def test_posting_any_form_without_the_csrf_token_is_refused_and_changes_nothing(app, db):
    with Session(db) as s:
        from jiuye.cases.models import Case, User

        zhang = s.scalar(select(User).where(User.username == "zhangmin"))
        case = s.scalars(select(Case).where(Case.person_id == zhang.person_id)).first()
        case_id, version = case.id, case.version
    idn = valid_id("152201", "19920202", "234")
    with new_client(app) as c:
        login(c, "zhangmin")
        good = csrf_of(Page(c.get("/register").text))
        posts = [
            ("/login", {"username": "zhangmin", "password": DEMO_PASSWORD}),
            ("/register", {"name": "赵测试", "id_number": idn, "phone": "13912345678", "username": "zhao_t",
                           "password": "secret-pass-1", "password2": "secret-pass-1"}),
            ("/apply/startup_subsidy", STARTUP),
            (f"/my/cases/{case_id}/move", {"to": "withdrawn", "version": str(version)}),
            ("/logout", {}),
        ]
        for tamper in ("missing", "wrong"):
            before = counts(db)
            for path, data in posts:
                body = dict(data)
                if tamper == "wrong":
                    body["csrf_token"] = ("y" if good[0] == "x" else "x") + good[1:]  # never the good token
                r = c.post(path, data=body, follow_redirects=False)
                assert r.status_code == 403, (path, r.status_code)
                assert "CSRF" in r.text
            r = c.post(f"/my/cases/{case_id}/attachments", data={"material": "其他材料"},
                       files={"file": ("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}, follow_redirects=False)
            assert r.status_code == 403
            assert counts(db) == before
        assert "/logout" in {f["action"] for f in Page(c.get("/my").text).forms}  # still logged in


# --- every page: labels, no outside resources ---------------------------------------------------------------
def pages_to_check(app, db) -> list[tuple[str, str]]:
    """(path, html) of every citizen page, logged out and logged in."""
    out = []
    with new_client(app) as c:
        for path in ["/", "/ask?q=失业金能领几个月", "/ask?q=今天天气怎么样", "/ask", "/find", "/find?group=unemployed",
                     "/find?group=employer", "/find?start=1&birth_date=2999-01",
                     "/find?" + "&".join(f"{k}={v}" for k, v in UNEMPLOYED.items()) + "&group=unemployed&show=1",
                     "/find?group=employer&show=1", "/policies", "/policies?group=founder",
                     "/policies/unemployment_insurance_benefit", "/policies/startup_subsidy", "/contacts",
                     "/contacts?district=突泉县", "/services", "/services?district=阿尔山市", "/login", "/register",
                     "/register?kind=employer"]:
            r = c.get(path)
            assert r.status_code in (200, 422), (path, r.status_code)
            out.append((path, r.text))
        login(c, "zhangmin")
        for path in ["/my", "/apply/startup_subsidy?district=乌兰浩特市", "/apply/hard_to_employ_recognition"]:
            r = c.get(path)
            assert r.status_code == 200, (path, r.status_code)
            out.append((path, r.text))
        my = Page(c.get("/my").text)
        for href in [h for h in my.links if h.startswith("/my/cases/")]:
            out.append((href, c.get(href).text))
    return out


def test_every_field_has_a_label_and_every_post_form_a_csrf_token(app, db):
    checked = 0
    for path, html in pages_to_check(app, db):
        page = Page(html)
        for f in page.fields:
            if f["type"] in ("hidden", "submit", "button", "reset", "image"):
                continue
            assert f["id"], f"{path}: a {f['tag']} named {f['name']} without id"
            assert f["id"] in page.labels_for, f"{path}: {f['tag']} #{f['id']} has no <label for>"
            checked += 1
        for form in page.forms:
            if form["method"] == "post":
                assert any(x["name"] == "csrf_token" and x["value"] for x in form["fields"]), f"{path}: {form['action']}"
    assert checked > 50


def test_no_page_loads_anything_from_outside_the_app(app, db, client):
    for path, html in pages_to_check(app, db):
        page = Page(html)
        for tag, url in page.resources:
            assert not re.search(r"(https?:)?//", url), f"{path}: <{tag}> loads {url}"
        assert "@import" not in html
    css = client.get("/static/site.css").text
    assert "url(" not in css and "@import" not in css


def test_a_self_registered_account_sees_staff_filed_cases_only_after_an_id_check(app, db, monkeypatch):
    """Knowing someone's name and 身份证号 must not open the cases staff filed for them."""
    from jiuye.cases import service
    from jiuye.cases.models import User

    monkeypatch.setenv("JIUYE_TODAY", "2026-11-24")
    idn = valid_id("152201", "19880612", "457")
    with Session(db) as s:  # a 社区 clerk files an unemployment registration for this person at the window
        clerk = s.scalar(select(User).where(User.username == "sq_wlht"))
        case = service.create_case(s, clerk, "unemployment_registration", profile={"district": "乌兰浩特市"},
                                   id_number=idn, name="赵核验")
        case_url = f"/my/cases/{case.id}"
    with new_client(app) as me, new_client(app) as staff:
        assert register(me, "zhao_selfreg", "赵核验", idn).status_code == 303
        assert case_url not in Page(me.get("/my").text).links
        assert me.get(case_url).status_code == 404
        assert "核验身份" in Page(me.get("/my").text).text
        # the window: a wrong number is refused and changes nothing; the right one verifies
        page = Page(staff.get("/console/login").text)
        staff.post("/console/login", data={"csrf_token": csrf_of(page), "username": "sq_wlht",
                                           "password": DEMO_PASSWORD, "next": "/console"})
        page = Page(staff.get("/console/identity").text)
        wrong = valid_id("152201", "19880612", "458")
        r = staff.post("/console/identity", data={"csrf_token": csrf_of(page), "username": "zhao_selfreg",
                                                  "number": wrong})
        assert r.status_code == 422 and "不一致" in r.text
        assert me.get(case_url).status_code == 404
        r = staff.post("/console/identity", data={"username": "zhao_selfreg", "number": idn})
        assert r.status_code == 403  # no CSRF token: refused
        assert me.get(case_url).status_code == 404
        r = staff.post("/console/identity", data={"csrf_token": csrf_of(page), "username": "zhao_selfreg",
                                                  "number": idn})
        assert r.status_code == 200 and "已核验" in r.text and idn not in r.text
        assert case_url in Page(me.get("/my").text).links
        assert me.get(case_url).status_code == 200
    with Session(db) as s:
        u = s.scalar(select(User).where(User.username == "zhao_selfreg"))
        assert u.phone == "13912345678" and u.identity_verified_by is not None


# --- 招聘服务: 打工直通车, 招聘会, 零工市场 --------------------------------------------------------------------
def gig_phones(kb, district: str) -> list[str]:
    """The 零工市场 table's numbers for one district, straight from data/contacts.yaml."""
    table = next(t for t in kb.contacts.tables if t.topic == "零工市场")
    return [r.phone for r in table.rows if not r.not_in_league and kb.district_names.get(r.district) == district]


def gig_section(html: str) -> Page:
    m = re.search(r'<section id="gig".*?</section>', html, re.S)
    assert m, "no 零工市场 section"
    return Page(m.group(0))


def test_services_page_lists_the_gig_market_phones_of_the_chosen_district_only(client, kb):
    league = [d.key for d in kb.districts]
    covered = [d for d in league if gig_phones(kb, d)]
    assert len(covered) >= 5
    for district in covered:
        r = client.get("/services", params={"district": district})
        assert r.status_code == 200
        gig = gig_section(r.text)
        for phone in gig_phones(kb, district):
            assert f"tel:{phone}" in gig.links, (district, phone)
        others = {p for d in league if d != district for p in gig_phones(kb, d)} - set(gig_phones(kb, district))
        assert others and not any(f"tel:{p}" in gig.links for p in others), district
        assert "资料没有给出" not in gig.text
    # every district's numbers on the unfiltered page
    gig = gig_section(client.get("/services").text)
    assert {f"tel:{p}" for d in covered for p in gig_phones(kb, d)} <= set(gig.links)


def test_services_page_says_plainly_when_the_documents_give_a_district_no_gig_market_phone(client, kb):
    missing = [d.key for d in kb.districts if not gig_phones(kb, d.key)]
    assert missing == ["阿尔山市"]  # the audit finding: the 003 table has no 阿尔山市 row
    r = client.get("/services", params={"district": "阿尔山"})  # an alias
    assert r.status_code == 200
    gig = gig_section(r.text)
    assert "资料没有给出阿尔山市的零工市场电话" in gig.text
    assert not any(h.startswith("tel:") for h in gig.links)
    # a number the table prints under another district but which elsewhere is 阿尔山市's is flagged, not moved
    gig = gig_section(client.get("/services", params={"district": "科右前旗"}).text)
    assert "tel:0482-2773006" in gig.links and "同时列在" in gig.text
    r = client.get("/services", params={"district": "北京"})
    assert r.status_code == 422 and "旗县市" in Page(r.text).text


def test_services_page_quotes_its_sources_with_document_dates(client, kb, monkeypatch):
    from jiuye.knowledge.models import DOCUMENTS

    monkeypatch.setenv("JIUYE_TODAY", "2026-11-24")
    page = Page(client.get("/services").text)
    d = kb.dagong_express
    for f in d.facts + d.signup_ways:
        for s in f.sources:
            assert s.quote in page.text, s.quote
    for pid in ("job_fair", "online_recruitment"):
        for s in kb.policies[pid].sources:
            assert s.quote in page.text, s.quote
    for p in kb.policies["online_recruitment"].channels.online:
        assert p.name in page.text
    assert f"tel:{d.fact('hq_phone').value}" in page.links
    assert "兴安打工直通车" in page.text and "公众号" in page.text
    for meta in DOCUMENTS.values():  # both documents' dates have passed on 2026-11-24: said so
        assert f"《{meta['title']}》（{meta['date']}）" in page.text
    assert page.text.count("以下内容截至资料日期") == 3
    monkeypatch.setenv("JIUYE_TODAY", "2022-06-01")  # before the 003 brochure's date: no such notice for it
    page = Page(client.get("/services").text)
    assert "以下内容截至资料日期：《兴安盟人力资源和就业服务中心政策宣传手册》" not in page.text


def test_every_quote_of_the_dagong_express_file_is_verbatim(kb):
    d = kb.dagong_express
    bad = [s.quote for f in d.facts + d.signup_ways for s in f.sources if not kb.quote_in_source(s.document, s.quote)]
    assert not bad


def test_services_page_is_linked_from_the_nav_and_the_home_page(client):
    page = Page(client.get("/").text)
    assert page.links.count("/services") >= 2  # the nav and the home page's list


# --- 用人单位 accounts ------------------------------------------------------------------------------------------
def new_credit_code(org: str) -> str:
    """A valid 统一社会信用代码 (GB 32100 check character) of a company registered in 乌兰浩特市 (152201)."""
    from jiuye.cases.security import credit_code_with_check

    return credit_code_with_check("91152201" + org)


def register_employer(client, username: str, company: str, credit_code: str, district: str = "乌兰浩特市",
                      password: str = "secret-pass-1", next_url: str = "/my"):
    page = Page(client.get("/register", params={"kind": "employer", "next": next_url}).text)
    for field in ("company", "credit_code", "district", "phone", "username", "password", "password2"):
        assert any(f["name"] == field for f in page.form("/register")["fields"]), field
    return client.post("/register", data={"csrf_token": csrf_of(page), "kind": "employer", "company": company,
                                          "credit_code": credit_code, "district": district, "phone": "13812345678",
                                          "username": username, "password": password, "password2": password,
                                          "next": next_url}, follow_redirects=False)


def test_an_employer_registers_applies_and_sees_the_case(app, db, monkeypatch):
    from jiuye.cases.models import Case, Enterprise, User

    monkeypatch.setenv("JIUYE_TODAY", "2026-11-24")
    code = new_credit_code("MA0EMP01X")
    with new_client(app) as me:
        r = register_employer(me, "emp_first", "兴安测试商贸有限公司", code)
        assert r.status_code == 303 and r.headers["location"] == "/my", r.text[:800]
        page = Page(me.get("/apply/employment_registration_employer").text)
        form = page.form("/apply/employment_registration_employer")
        data = {f["name"]: f["value"] for f in form["fields"] if f["type"] == "hidden" and f["name"]}
        data.update({"district": "乌兰浩特市", "field_hire_date": "2026-11-20"})
        r = me.post("/apply/employment_registration_employer", data=data, follow_redirects=False)
        assert r.status_code == 303, r.text[:1500]
        case_url = r.headers["location"].split("?")[0]
        my = Page(me.get("/my").text)
        assert case_url in my.links and "用人单位招用人员就业登记" in my.text
    with Session(db) as s:
        u = s.scalar(select(User).where(User.username == "emp_first"))
        ent = s.get(Enterprise, u.enterprise_id)
        assert ent.credit_code == code and ent.name == "兴安测试商贸有限公司" and ent.district == "乌兰浩特市"
        assert u.person_id is None and u.phone == "13812345678" and u.identity_verified_at is None
        case = s.get(Case, int(case_url.rsplit("/", 1)[1]))
        assert case.enterprise_id == ent.id and case.applicant_user_id == u.id


def test_employer_registration_names_the_bad_field_and_allows_one_account_per_code(app, db):
    code = new_credit_code("MA0EMP02Y")
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    with new_client(app) as c:
        before = counts(db)
        r = register_employer(c, "emp_bad", "兴安错误代码公司", bad)
        assert r.status_code == 422
        page = Page(r.text)
        assert "统一社会信用代码无效" in page.text and "校验码错误" in page.text
        assert page.field_value("company") == "兴安错误代码公司"  # kept
        assert counts(db) == before
        r = register_employer(c, "emp_bad", "兴安错误旗县公司", code, district="北京")
        assert r.status_code == 422 and "请选择单位所在的旗县市" in Page(r.text).text
        assert counts(db) == before
    with new_client(app) as c:
        assert register_employer(c, "emp_one", "兴安唯一公司", code).status_code == 303
    with new_client(app) as c:
        before = counts(db)
        r = register_employer(c, "emp_two", "兴安唯一公司", code.lower())
        assert r.status_code == 422 and "不能在网上注册" in Page(r.text).text
        assert counts(db) == before


def test_staff_verify_an_employer_account_by_its_credit_code(app, db):
    from jiuye.cases import service
    from jiuye.cases.models import User

    code = new_credit_code("MA0EMP031")
    other = new_credit_code("MA0EMP04A")
    with new_client(app) as me, new_client(app) as staff:
        assert register_employer(me, "emp_verify", "兴安核验公司", code).status_code == 303
        page = Page(staff.get("/console/login").text)
        staff.post("/console/login", data={"csrf_token": csrf_of(page), "username": "sq_wlht",
                                           "password": DEMO_PASSWORD, "next": "/console"})
        page = Page(staff.get("/console/identity").text)
        assert "统一社会信用代码" in page.text
        for wrong, message in ((other, "不一致"), (code[:-1] + "!", "统一社会信用代码"),
                               (valid_id("152201", "19880612", "459"), "统一社会信用代码")):
            r = staff.post("/console/identity", data={"csrf_token": csrf_of(page), "username": "emp_verify",
                                                      "number": wrong})
            assert r.status_code == 422 and message in r.text, wrong
            with Session(db) as s:
                assert s.scalar(select(User).where(User.username == "emp_verify")).identity_verified_at is None
        r = staff.post("/console/identity", data={"csrf_token": csrf_of(page), "username": "emp_verify",
                                                  "number": code})
        assert r.status_code == 200 and "已核验" in r.text
    with Session(db) as s:
        u = s.scalar(select(User).where(User.username == "emp_verify"))
        assert u.identity_verified_at is not None and u.identity_verified_by is not None
        clerk = s.scalar(select(User).where(User.username == "sq_wlht"))
        with pytest.raises(service.Invalid):  # a person's account is still checked by its 身份证号
            service.verify_identity(s, clerk, "zhangmin", code)


def test_the_ask_page_says_which_term_a_typo_was_read_as(client):
    page = Page(client.get("/ask", params={"q": "时业金能领几个月"}).text)
    assert "按「失业金」（您输入的是「时业金」）查找" in page.text


def test_an_error_page_shown_to_a_logged_in_citizen_offers_their_pages_not_login(client):
    """A 404 (or any error page) keeps the menu of who is logged in: 「我的申请」 and 「消息」, no 「登录」."""
    anonymous = client.get("/no-such-page")
    assert anonymous.status_code == 404 and 'href="/login"' in anonymous.text
    login(client, "zhangmin")
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "没有这个页面" in page.text
    assert 'href="/my"' in page.text and 'href="/login"' not in page.text
