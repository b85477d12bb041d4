"""`jiuye welfare …` over the services: about (the quotes), publish as the centre and refused to a
community (exit 2, Chinese), the list, applicants masked, place and the monthly record."""
from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from jiuye.cases.demo import DEMO_PASSWORD
from welfare_support import market_db, signed_up_and_ready


@pytest.fixture()
def env(tmp_path, monkeypatch):
    from jiuye.cli import app

    monkeypatch.setenv("JIUYE_NOW", "2026-03-02T09:00:00")
    monkeypatch.setenv("JIUYE_TODAY", "2026-03-02")
    monkeypatch.setenv("JIUYE_PASSWORD", DEMO_PASSWORD)
    with market_db(tmp_path) as engine:
        runner = CliRunner()
        yield engine, (lambda *args: runner.invoke(app, ["welfare", *args]))


def test_publish_list_applicants_place_month(env):
    engine, run = env
    about = run("about")
    assert about.exit_code == 0 and "经认定的就业困难人员" in about.output and "可延迟到退休" in about.output
    args = ("publish", "--title", "社区保洁员", "--unit", "和平街道（测试）", "--type", "community_service", "--place", "新城社区",
            "--places", "1", "--start", "2026-03-02", "--end", "2026-04-30", "--contact", "0482-8231990")
    refused = run(*args, "--as", "sq_wlht")
    assert refused.exit_code == 2 and "就业服务中心或人社局" in refused.output
    bad = run(*args[:-6], "--start", "2026-03-02", "--end", "2026-02-01", "--contact", "x", "--as", "zx_wlht")
    assert bad.exit_code == 2 and "截止日期" in bad.output
    ok = run(*args, "--as", "zx_wlht")
    assert ok.exit_code == 0, ok.output
    listed = json.loads(run("posts", "--json").output)
    assert listed["total"] == 1
    post_id = listed["posts"][0]["id"]
    with Session(engine, expire_on_commit=False) as s:
        row = signed_up_and_ready(s, post_id, "cli1")
        idn = s.get(__import__("jiuye.cases.models", fromlist=["Person"]).Person, row.person_id).id_number
    apps = run("applicants", str(post_id), "--as", "zx_wlht")
    assert apps.exit_code == 0 and idn not in apps.output and "剩余 1" in apps.output
    placed = run("place", str(row.id), "--as", "zx_wlht")
    assert placed.exit_code == 0 and "2029-03-02" in placed.output, placed.output
    month = run("month", str(row.id), "2026-03", "--as", "zx_wlht")
    assert month.exit_code == 0 and "没有给出" in month.output
    again = run("month", str(row.id), "2026-03", "--as", "zx_wlht")
    assert again.exit_code == 2 and "已经记录过" in again.output
    assert json.loads(run("posts", "--json").output)["total"] == 0  # the one place is taken


def test_a_quoted_source_is_cited_by_the_documents_title_not_its_code():
    """Settings quotes (公益性岗位, training) reach pages and the console: 《百问百答》…, never 「000 二、…」."""
    from jiuye.knowledge.quote import QuotedSource
    from jiuye.welfare_posts.settings import settings

    cfg = settings()
    text = cfg.term.source.cite()
    assert text.startswith("“") and "《百问百答》二、公益性岗位政策" in text
    assert "000" not in text and "003" not in QuotedSource(document="003", section="就业服务 › 公益性岗位安置", quote="x").cite()
