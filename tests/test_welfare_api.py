"""公益性岗位 JSON API (/api/welfare/…): open posts read without an account, filters checked with Chinese
messages naming the field, a post one may not see is 404, and reading writes nothing."""
from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from welfare_support import market_db, publish


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from jiuye.web.app import create_app

    mp = pytest.MonkeyPatch()
    mp.setenv("JIUYE_NOW", "2026-03-02T09:00:00")
    mp.setenv("JIUYE_TODAY", "2026-03-02")
    with market_db(tmp_path_factory.mktemp("welfare_api")) as engine:
        with Session(engine, expire_on_commit=False) as s:
            open_post = publish(s)
            ended = publish(s, title="门卫")
            ended.end_on = dt.date(2026, 3, 1)  # 招收期 ended yesterday, not yet closed by the task
            s.commit()
        yield TestClient(create_app()), engine, open_post.id, ended.id
    mp.undo()


def test_open_posts_without_an_account_and_an_ended_one_left_out_without_a_write(env):
    c, engine, open_id, ended_id = env
    r = c.get("/api/welfare/posts")
    assert r.status_code == 200
    ids = [p["id"] for p in r.json()["posts"]]
    assert open_id in ids and ended_id not in ids and r.json()["total"] == len(ids)
    post = next(p for p in r.json()["posts"] if p["id"] == open_id)
    assert post["places_left"] == post["places"] - post["filled"] > 0 and post["state_label"] and post["type_label"]
    with Session(engine) as s:
        from jiuye.welfare_posts.models import WelfarePost

        assert s.get(WelfarePost, ended_id).state == "open"  # listing wrote nothing


def test_one_post_and_a_post_not_public_is_404(env):
    c, _, open_id, ended_id = env
    one = c.get(f"/api/welfare/posts/{open_id}")
    assert one.status_code == 200 and one.json()["id"] == open_id
    assert c.get("/api/welfare/posts/999999").status_code == 404
    assert c.get("/api/welfare/posts/0").status_code == 422


def test_filters_are_checked_naming_the_field(env):
    c, *_ = env
    about = c.get("/api/welfare/about").json()
    assert about["post_types"] and "乌兰浩特市" in about["districts"]
    some_type = next(iter(about["post_types"]))
    assert c.get("/api/welfare/posts", params={"type": some_type}).status_code == 200
    assert c.get("/api/welfare/posts", params={"district": "乌兰浩特市"}).status_code == 200
    bad = c.get("/api/welfare/posts", params={"district": "北京"})
    assert bad.status_code == 422 and "旗县市" in bad.text and "北京" in bad.text
    assert bad.json()["detail"]["field"] == "district"
    bad = c.get("/api/welfare/posts", params={"type": "nope"})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "type" and "岗位类型" in bad.text
    assert c.get("/api/welfare/posts", params={"limit": 0}).status_code == 422
