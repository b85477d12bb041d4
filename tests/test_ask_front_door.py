"""Ask as the front door to the services (issue 19, item 6): a question asking for a job, 打工直通车, odd
jobs, a fair, a course or a start-up project gets the service's live results (or its page) next to the
passages — intents in data/ask/intents.yaml, providers plugged into jiuye.web.front_door."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jiuye.ask.engine import get_engine
from jiuye.web import front_door


@pytest.fixture(scope="module")
def engine(kb):
    return get_engine(kb)


@pytest.mark.parametrize("q, intent, query", [
    ("乌兰浩特有没有电焊的活", "jobs", "电焊"),
    ("科右中旗招不招保安", "jobs", "保安"),
    ("想出去打工，直通车咋报名", "dagong", ""),
    ("这周招聘会在哪", "fairs", ""),
    ("想打零工找谁", "gig", ""),
    ("想学挖掘机", "training", "挖掘机"),
    ("有啥小本创业项目", "startup", ""),
])
def test_each_intent_is_found_with_the_words_to_search(engine, q, intent, query):
    res = engine.ask(q)
    first = res["intents"][0]
    assert first["id"] == intent and first["query"] == query, res["intents"]


@pytest.mark.parametrize("q", ["失业金能领几个月", "职业培训补贴标准是多少", "招聘会补贴怎么申请", "创业担保贷款条件"])
def test_a_policy_question_is_not_sent_to_a_service(engine, q):
    assert engine.ask(q)["intents"] == []


def test_the_district_named_in_the_question_is_passed_to_the_service(engine):
    res = engine.ask("乌兰浩特有没有电焊的活")
    assert res["district"] == "乌兰浩特市"


def test_ask_does_not_import_the_service_packages():
    """ask/ finds intents only; the web layer asks the services (layering of architecture.md)."""
    root = Path(__file__).resolve().parents[1] / "src" / "jiuye" / "ask"
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for n in names:
                assert not n.startswith(("jiuye.market", "jiuye.platforms", "jiuye.web", "jiuye.gig", "jiuye.fairs",
                                         "jiuye.training", "jiuye.startup", "jiuye.cases")), (path.name, n)


@pytest.fixture()
def fake_gig():
    seen = []

    def search(text, district, limit):
        seen.append((text, district, limit))
        return [{"title": "装卸工（日结）", "detail": "乌兰浩特市，200 元/天", "url": "/gig/7"},
                {"title": "外站", "detail": "", "url": "https://evil.example/x"}]

    front_door.register("gig", search, "/gig", "去零工市场")
    yield seen
    front_door.unregister("gig")


def test_a_registered_provider_gives_live_results_with_links(engine, fake_gig):
    res = engine.ask("乌兰浩特想打零工找谁")
    [block] = front_door.live(res["intents"], res["district"])
    assert block["live"] and block["items"][0] == {"title": "装卸工（日结）", "detail": "乌兰浩特市，200 元/天", "url": "/gig/7"}
    assert block["items"][1]["url"] == ""  # a link off the site is dropped
    assert fake_gig == [("", "乌兰浩特市", 3)] and block["url"].startswith("/gig?district=")


@pytest.mark.parametrize("q, url", [("这周招聘会在哪", "/services"), ("想学挖掘机", "/policies/vocational_training_subsidy"),
                                    ("有啥小本创业项目", "/policies/startup_project_library")])
def test_an_unregistered_service_links_to_its_page(engine, q, url):
    res = engine.ask(q)
    [block] = front_door.live(res["intents"], res["district"])
    assert not block["live"] and block["items"] == [] and block["url"] == url


def test_a_failing_provider_gives_the_link_not_an_error(engine):
    def broken(text, district, limit):
        raise RuntimeError("database down")

    front_door.register("fairs", broken, "/fairs", "看招聘会")
    try:
        [block] = front_door.live(engine.ask("这周招聘会在哪")["intents"], None)
    finally:
        front_door.unregister("fairs")
    assert not block["live"] and block["message"] and block["url"] == "/fairs"


def test_jobs_and_dagong_providers_search_the_labour_market(tmp_path):
    from market_support import ensure_employers, market_db, post_in_state
    from sqlalchemy.orm import Session

    with market_db(tmp_path) as db:
        with Session(db) as s:
            ensure_employers(s)
            post_in_state(s, "published", title="电焊工")
            post_in_state(s, "published", title="食品包装工")
        jobs = front_door.search_jobs("电焊", "乌兰浩特市", 3)
        assert [j["title"] for j in jobs] == ["电焊工"] and jobs[0]["url"].startswith("/jobs/")
        dagong = front_door.search_dagong("电焊", None, 3)
        assert dagong and dagong[0]["url"].startswith("/dagong/posts/")
        other = front_door.search_jobs("挖掘机", "乌兰浩特市", 3)  # no title matches: the district's posts
        assert {j["title"] for j in other} == {"电焊工", "食品包装工"}


def test_the_api_and_the_page_show_the_services(fake_gig):
    from jiuye.web.app import create_app

    with TestClient(create_app()) as c:
        r = c.get("/api/ask", params={"q": "想打零工找谁"})
        assert r.status_code == 200
        [sv] = r.json()["services"]
        assert sv["intent"] == "gig" and sv["live"] and sv["items"][0]["url"] == "/gig/7"
        page = c.get("/ask", params={"q": "想学挖掘机"})
        assert page.status_code == 200 and "培训课程" in page.text and 'href="/policies/vocational_training_subsidy"' in page.text
        assert c.get("/api/ask", params={"q": "失业金能领几个月"}).json()["services"] == []
