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
    ("想找个公益岗位干干", "welfare", ""),
    ("突泉有没有公益岗 俺想报名", "welfare", ""),
])
def test_each_intent_is_found_with_the_words_to_search(engine, q, intent, query):
    res = engine.ask(q)
    first = res["intents"][0]
    assert first["id"] == intent and first["query"] == query, res["intents"]


@pytest.mark.parametrize("q", ["失业金能领几个月", "职业培训补贴标准是多少", "招聘会补贴怎么申请", "创业担保贷款条件"])
def test_a_policy_question_is_not_sent_to_a_service(engine, q):
    assert engine.ask(q)["intents"] == []


# written for these tests (not taken from data/eval): each asks about a policy's rules, money or materials
@pytest.mark.parametrize("q", ["创业园入驻是什么意思", "零工市场收不收押金", "考证的培训谁能报", "直通车报名要带啥",
                               "招聘会是免费的吗", "培训班最长上几个月", "公益岗一个月给多少钱", "公益性岗位要啥条件"])
def test_a_question_about_how_a_service_works_is_not_a_request(engine, q):
    assert engine.ask(q)["intents"] == [], q


def test_the_policy_question_detector_reads_the_aspects_file(kb, tmp_path):
    from jiuye.ask.intents import IntentError, IntentFinder

    p = tmp_path / "intents.yaml"
    p.write_text("policy_question: {aspects: [标准], except: [几千]}\n"
                 "intents: {jobs: {label: 岗位, service: jobs, fallback: {url: /jobs}, cues: [的活]}}\n", encoding="utf-8")
    f = IntentFinder(p, {"标准": {"query": ["多少钱", "几千"]}})
    assert f.detect("电焊的活多少钱") == [] and f.detect("电焊的活 几千就行")[0]["id"] == "jobs"
    with pytest.raises(IntentError):
        IntentFinder(p, {"材料": {"query": ["带啥"]}})  # 标准 is not an aspect there


@pytest.mark.parametrize("q, intent", [
    ("有没有砍玉米的活 日结", "gig"),  # 的活 (jobs) and 日结 (gig): the specific service first
    ("下周有招聘会没 想找个保安的活", "fairs"),
    ("我们饭店想通过零工市场找几个人", "employer"),  # the employer's wording wins over the service it names
    ("超市缺两个理货员 帮忙招一下", "employer"),  # a pattern: 缺…人/工
    ("镇上有招司机的没", "jobs"),  # a pattern: 招…的
    ("就业创业证去哪办", None),  # a document's name is not a start-up
])
def test_the_order_among_intents_and_patterns(engine, q, intent):
    found = engine.ask(q)["intents"]
    assert (found[0]["id"] if found else None) == intent, found


# written for these tests: a question refused as outside the documents (医保, 公积金, 社保) gets a service beside the
# referral only when it asks for one; naming the fair where a trouble happened is not asking for a fair
@pytest.mark.parametrize("q, intent, query", [
    ("招聘会上认识的老板不给交医保咋办", None, None),
    ("在招聘会上找的单位 不给交公积金怎么办", None, None),
    ("想找个工作 能交医保的那种", "jobs", ""),
    ("有没有交五险一金的工作", "jobs", ""),
])
def test_beside_an_out_of_scope_refusal_a_service_only_when_asked_for(engine, q, intent, query):
    res = engine.ask(q)
    assert not res["found"] and res["reason"].startswith("out_of_scope"), res["reason"]
    found = res["intents"]
    assert (found[0]["id"] if found else None) == intent, found
    if intent:  # searched without the topic's words (医保, 五险一金) and without filler left over (交, 那种)
        assert found[0]["query"] == query, found


def test_the_intent_finder_beside_a_refusal_reads_its_word_lists(tmp_path):
    from jiuye.ask.intents import IntentFinder

    p = tmp_path / "intents.yaml"
    p.write_text("request_words: [想找]\ntrouble_words: [不给]\n"
                 "intents: {fairs: {label: 招聘会, service: fairs, fallback: {url: /fairs}, cues: [招聘会], strip: [招聘会]}}\n", encoding="utf-8")
    f = IntentFinder(p, {})
    assert f.detect("招聘会上老板不给交医保")[0]["query"] == "上老板不给交医保"  # not refused: the service is offered
    assert f.detect("招聘会上老板不给交医保", beside_refusal=True) == []
    assert f.detect("招聘会上想找老板不给交医保的", drop=("医保",), beside_refusal=True)[0]["query"] == "上想找老板不给交"
    assert f.detect("招聘会 医保", drop=("医保",), beside_refusal=True)[0]["query"] == ""


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

    before = front_door.PROVIDERS.get("gig")
    front_door.register("gig", search, "/gig", "去零工市场")
    yield seen
    front_door.PROVIDERS["gig"] = before  # the real provider back for the other tests


def test_a_registered_provider_gives_live_results_with_links(engine, fake_gig):
    res = engine.ask("乌兰浩特想打零工找谁")
    [block] = front_door.live(res["intents"], res["district"])
    assert block["live"] and block["items"][0] == {"title": "装卸工（日结）", "detail": "乌兰浩特市，200 元/天", "url": "/gig/7"}
    assert block["items"][1]["url"] == ""  # a link off the site is dropped
    assert fake_gig == [("", "乌兰浩特市", 3)] and block["url"].startswith("/gig?district=")


@pytest.mark.parametrize("q, url", [("想入驻孵化基地", "/startup/bases"), ("我们厂想招几个工人", "/employer")])
def test_an_unregistered_service_links_to_its_page(engine, q, url):
    res = engine.ask(q)
    [block] = front_door.live(res["intents"], res["district"])
    assert not block["live"] and block["items"] == [] and block["url"] == url


def test_a_failing_provider_gives_the_link_not_an_error(engine):
    def broken(text, district, limit):
        raise RuntimeError("database down")

    before = front_door.PROVIDERS.get("fairs")
    front_door.register("fairs", broken, "/fairs", "看招聘会")
    try:
        [block] = front_door.live(engine.ask("这周招聘会在哪")["intents"], None)
    finally:
        front_door.PROVIDERS["fairs"] = before
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
        assert all(j["matched"] for j in jobs)
        other = front_door.search_jobs("挖掘机", "乌兰浩特市", 3)  # no title matches: the district's posts
        assert {j["title"] for j in other} == {"电焊工", "食品包装工"} and not any(j["matched"] for j in other)
        # and the answer says these are the latest posts, not matches for what was asked
        intent = {"id": "jobs", "label": "招聘岗位", "service": "jobs", "query": "挖掘机", "fallback_url": "/jobs",
                  "fallback_label": "招聘岗位"}
        block = front_door.live([intent], "乌兰浩特市")[0]
        assert block["items"] and "没有找到与「挖掘机」相关的" in block["message"] and "最新发布" in block["message"]
        assert front_door.live([intent | {"query": "电焊"}], "乌兰浩特市")[0]["message"] is None
        # a word of the story that no title holds (退伍) is let go of, the kind of work is kept, and that is said
        near = front_door.live([intent | {"query": "退伍 电焊"}], "乌兰浩特市")[0]
        assert [i["title"] for i in near["items"]] == ["电焊工"] and "不限其他字词" in near["message"]


@pytest.mark.parametrize("q, intent, query", [
    ("我们饭店缺两个服务员 你们能帮着招不", "employer", "饭店 服务员"),  # not 们饭店缺两
    ("有没有点心师傅的岗位", "jobs", "点心 师傅"),  # not 心师傅
    ("想找个能在家干的手工活", "jobs", "手工"),
    ("俺想找个开大车的活 一个月能挣七八千那种", "jobs", "大车"),
    ("想学PS", "training", "ps"),  # a Latin word (jieba's eng) is kept
])
def test_the_search_text_is_whole_words_of_the_question(engine, q, intent, query):
    first = engine.ask(q)["intents"][0]
    assert (first["id"], first["query"]) == (intent, query)


def test_the_api_and_the_page_show_the_services(fake_gig):
    from jiuye.web.app import create_app

    with TestClient(create_app()) as c:
        r = c.get("/api/ask", params={"q": "想打零工找谁"})
        assert r.status_code == 200
        [sv] = r.json()["services"]
        assert sv["intent"] == "gig" and sv["live"] and sv["items"][0]["url"] == "/gig/7"
        page = c.get("/ask", params={"q": "想学挖掘机"})
        assert page.status_code == 200 and "培训课程" in page.text and 'href="/training' in page.text
        assert c.get("/api/ask", params={"q": "失业金能领几个月"}).json()["services"] == []


def test_the_new_services_answer_at_the_front_door_from_their_own_listings(tmp_path):
    """零工市场, 招聘会, courses and the project library are registered; on the demo data each gives items
    that link to its own pages, and the items are the service's own public rows."""
    from market_support import market_db
    from sqlalchemy.orm import Session

    from jiuye.fairs.demo import load_demo_fairs
    from jiuye.gig import posts
    from jiuye.gig.demo import load_demo_gig
    from jiuye.market.demo import load_demo_market
    from jiuye.startup.demo import load_demo_startup
    from jiuye.training.demo import load_demo_training

    assert {"gig", "fairs", "training", "startup"} <= set(front_door.PROVIDERS)
    with market_db(tmp_path) as db:
        with Session(db, expire_on_commit=False) as s:
            for load in (load_demo_market, load_demo_fairs, load_demo_gig, load_demo_training, load_demo_startup):
                load(s)
            open_gig = {j.id for j in posts.board(s, limit=500)}
        for service, prefix in (("gig", "/gig/jobs/"), ("fairs", "/fairs/"), ("training", "/training/courses/"),
                                ("startup", "/startup/projects/")):
            items = front_door.PROVIDERS[service].search("", None, 3)
            assert items and all(x["url"].startswith(prefix) for x in items), (service, items)
        assert {int(x["url"].rsplit("/", 1)[1]) for x in front_door.PROVIDERS["gig"].search("", None, 3)} <= open_gig


def test_the_intent_evaluation_counts_right_and_wrong(engine):
    from jiuye.ask import intents_eval

    cases = [{"q": "这周招聘会在哪", "intent": "fair"}, {"q": "想入驻孵化基地", "intent": "incubator"},
             {"q": "失业金能领几个月", "intent": "none"}, {"q": "失业金能领几个月", "intent": "job"}]
    r = intents_eval.evaluate(engine, cases)
    assert r["cases"] == 4 and r["accuracy"] == 0.75 and r["none_sent_to_a_service"] == 0.0
    assert r["misses"] == [{"q": "失业金能领几个月", "want": "jobs", "got": None}]


def test_eval_intents_reports_the_blind_service_set():
    import json

    from typer.testing import CliRunner

    from jiuye.cli import app

    r = CliRunner().invoke(app, ["eval-intents", "--json"])
    assert r.exit_code == 0, r.output
    rep = json.loads(r.output)
    assert rep["cases"] >= 160 and set(rep["per_label"]) >= {"job", "fair", "gig", "course", "none"}
    assert 0 <= rep["none_sent_to_a_service"] <= 1
    bad = CliRunner().invoke(app, ["eval-intents", "--cases", "/nonexistent.yaml"])
    assert bad.exit_code == 2 and "评测集读不了" in bad.output


def test_welfare_posts_answer_at_the_front_door_from_their_own_listing(tmp_path, monkeypatch):
    """公益性岗位 (issue 17's posts with places) is a service of the front door too: the provider lists the
    open posts with places left, linking to each post's page; a filled post is not offered."""
    from welfare_support import Day, market_db, publish
    from sqlalchemy.orm import Session

    Day(monkeypatch)
    with market_db(tmp_path) as db:
        with Session(db, expire_on_commit=False) as s:
            open_post = publish(s, title="社区保洁员")
            full = publish(s, title="交通协管员", places=1)
            full.filled = 1
            s.commit()
        items = front_door.PROVIDERS["welfare"].search("", "乌兰浩特市", 3)
        assert [x["url"] for x in items] == [f"/welfare/posts/{open_post.id}"]
        assert "剩 2 个名额" in items[0]["detail"]
        assert front_door.PROVIDERS["welfare"].search("", "突泉县", 3) == []


def test_a_service_request_the_documents_do_not_answer_points_to_the_service(engine):
    """「乌兰浩特有没有电焊的活」: no passage answers it; the reply says the jobs listed with it do, not only 资料中没有."""
    res = engine.ask("乌兰浩特有没有电焊的活")
    assert res["found"] is False and res["reason"] == "low_confidence" and res["intents"][0]["id"] == "jobs"
    assert "资料中没有找到" in res["message"] and "招聘岗位请看一起列出的实时信息" in res["message"]
    plain = engine.ask("俺家的驴丢了咋找")  # no service asked for: the plain refusal
    assert plain["found"] is False and not plain["intents"] and "实时信息" not in plain["message"]


def test_the_command_line_lists_the_services_a_question_asks_for():
    from typer.testing import CliRunner

    from jiuye.cli import app

    out = CliRunner().invoke(app, ["ask", "乌兰浩特有没有电焊的活"], env={"COLUMNS": "200"}).output
    assert "招聘岗位（搜索「电焊」）：网站 /jobs" in out and "12333" in out
    out = CliRunner().invoke(app, ["ask", "失业金能领几个月"], env={"COLUMNS": "200"}).output
    assert "网站 /" not in out  # a policy question: passages only
