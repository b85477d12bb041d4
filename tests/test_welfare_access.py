"""The access rules of 公益性岗位 as a table: every role (and district) × every post state × every
action, against an expected table written out here (not derived from the code), then the same rules
through the services for a sample (a refused action changes nothing)."""
from __future__ import annotations

import itertools

import pytest

from jiuye.welfare_posts import access
from jiuye.welfare_posts.access import ACTIONS, POST_STATES, Actor

W, Z, L = "乌兰浩特市", "扎赉特旗", "兴安盟"
ACTORS = {
    "anonymous": Actor("anonymous"),
    "citizen": Actor("citizen", 1, "applicant", W, person_id=1),
    "employer": Actor("other", 2, "applicant", W),
    "provider": Actor("other", 3, "training_provider", W),
    "station": Actor("other", 4, "station_master", W),
    "bank": Actor("other", 5, "bank", W),
    "admin": Actor("admin", 6, "admin"),
    **{f"{r}@{d}": Actor("staff", 10, r, d) for r in ("community", "street", "county_center", "hrss", "finance")
       for d in (W, Z)},
    f"league_center@{L}": Actor("staff", 11, "league_center", L),
    f"hrss@{L}": Actor("staff", 12, "hrss", L),
}
READERS_W = {"admin", f"community@{W}", f"street@{W}", f"county_center@{W}", f"hrss@{W}", f"league_center@{L}", f"hrss@{L}"}
PUBLISHERS_W = {f"county_center@{W}", f"hrss@{W}"}
CENTRE_W = {f"county_center@{W}"}


def expected(actor: str, action: str, state: str) -> bool:
    """The rules, as a table, for a post of 乌兰浩特市."""
    if action == "view":
        return state == "open" or actor in READERS_W
    if action == "publish":
        return actor in PUBLISHERS_W
    if action == "close":
        return actor in PUBLISHERS_W and state != "closed"
    if action == "applicants":
        return actor in READERS_W
    if action == "signup":
        return actor == "citizen" and state == "open"
    if action == "place":
        return actor in CENTRE_W and state == "open"
    if action == "subsidy":
        return actor in CENTRE_W
    raise AssertionError(action)


@pytest.mark.parametrize("actor,action,state", list(itertools.product(sorted(ACTORS), ACTIONS, POST_STATES)))
def test_table(actor, action, state):
    ok, why = access.post(ACTORS[actor], action, state, district=W)
    assert ok is expected(actor, action, state)
    if not ok:
        assert why and any("\u4e00" <= ch <= "\u9fff" for ch in why)  # a Chinese reason


def test_league_posts_are_the_league_centres():
    assert access.post(ACTORS[f"league_center@{L}"], "place", "open", district=L)[0]
    assert access.post(ACTORS[f"league_center@{L}"], "publish", "open", district=L)[0]
    assert not access.post(ACTORS[f"league_center@{L}"], "publish", "open", district=W)[0]
    assert not access.post(ACTORS[f"county_center@{W}"], "place", "open", district=L)[0]


def test_unknown_action_and_state_are_refused():
    assert access.post(ACTORS["admin"], "delete", "open", district=W) == (False, "未知的操作")
    assert not access.post(ACTORS["admin"], "view", "weird", district=W)[0]


def test_services_follow_the_table(tmp_path, monkeypatch):
    """A sample through the services: who may list applicants, close, place; refusals change nothing."""
    from sqlalchemy.orm import Session

    from jiuye.welfare_posts import placement, posts, signups
    from jiuye.welfare_posts.common import Forbidden, NotFound
    from welfare_support import Day, market_db, publish, signed_up_and_ready, user

    Day(monkeypatch)
    with market_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        p = publish(s)
        row = signed_up_and_ready(s, p.id, "acc")
        for who in ("sq_wlht", "jd_wlht", "zx_wlht", "rsj_wlht", "mz", "admin"):
            assert len(signups.applicants(s, user(s, who), p.id)) == 1
        for who in ("zx_zlt", "czj_wlht", "yh_wlht", "zhangmin"):
            with pytest.raises((Forbidden, NotFound)):
                signups.applicants(s, user(s, who), p.id)
        for who in ("rsj_wlht", "sq_wlht", "zx_zlt", "mz", "admin"):
            with pytest.raises((Forbidden, NotFound)):
                placement.place(s, user(s, who), row.id)
        s.expire_all()
        assert posts.load(s, p.id).filled == 0 and signups.load(s, user(s, "zx_wlht"), row.id).state == "applied"
        with pytest.raises((Forbidden, NotFound)):
            posts.close(s, user(s, "zx_zlt"), p.id, "测试")
        posts.close(s, user(s, "rsj_wlht"), p.id, "岗位调整")
        with pytest.raises(NotFound):  # a closed post: not even visible to a citizen
            signups.signup(s, user(s, "zhangmin"), p.id, groups={"hard_to_employ_certified": True})
