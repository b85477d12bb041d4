"""The access table of test_market_access, checked on real rows through the services' loads and
lists (their SQL is separate code from the rule functions): for every role, which posts (one in each
state), which 求职登记 and which application each can load and list."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from jiuye.market import access, applications, postings, seekers
from jiuye.market.common import NotFound
from market_support import ensure_employers, market_db, post_in_state, user
from test_market_access import APPLICATION, POSTING, SEEKER

USERS = {"anonymous": None, "seeker_owner": "zhangmin", "seeker_other": "liqiang", "employer_owner": "xingan_food",
         "employer_other": "other_firm", "community_same": "sq_wlht", "street_same": "jd_wlht",
         "centre_same": "zx_wlht", "centre_other": "zx_zlt", "league_centre": "mz", "hrss_same": "rsj_wlht",
         "finance_same": "czj_wlht", "admin": "admin"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("market_access")
    with market_db(tmp) as engine:
        with Session(engine, expire_on_commit=False) as s:
            ensure_employers(s)
            posts = {st: post_in_state(s, st).id for st in access.POSTING_STATES}
            sk = seekers.register(s, user(s, "zhangmin"), {"desired_titles": ["包装工"], "districts": ["乌兰浩特市"]})
            other = seekers.register(s, user(s, "liqiang"), {"desired_titles": ["司机"]})
        yield engine, posts, sk.id, other.id


def _loads(fn) -> bool:
    try:
        fn()
        return True
    except NotFound:
        return False


@pytest.mark.parametrize("role", list(USERS))
def test_posts_each_role_can_load_and_list(world, role):
    engine, posts, _sk, _other = world
    with Session(engine, expire_on_commit=False) as s:
        u = user(s, USERS[role])
        seen = {st for st, pid in posts.items() if _loads(lambda pid=pid: postings.load(s, u, pid))}
        assert seen == POSTING["view"].get(role, set()), role
        listed = {p.state for p in postings.list_for(s, u)} if u is not None else set()
        expected = POSTING["applicants"].get(role, set())  # owners and the district's staff list every state
        assert listed == expected, role
        _total, public = postings.search(s)
        assert {p.state for p in public} == {"published"}


@pytest.mark.parametrize("role", list(USERS))
def test_a_registration_each_role_can_load_before_and_after_applying(world, role):
    engine, posts, sk_id, _other = world
    with Session(engine, expire_on_commit=False) as s:
        u = user(s, USERS[role])
        before = _loads(lambda: seekers.load(s, u, sk_id))
        assert before == ("active" in SEEKER["view"].get(role, set())), role
        if u is not None and u.role != "applicant":
            assert (sk_id in {r.id for r in seekers.list_for(s, u)}) == before, role


def test_employers_see_a_seeker_once_they_applied_and_only_their_own_applicants(world):
    engine, posts, sk_id, _other = world
    with Session(engine, expire_on_commit=False) as s:
        owner, other = user(s, "xingan_food"), user(s, "other_firm")
        assert not _loads(lambda: seekers.load(s, owner, sk_id))
        assert sk_id not in {r.id for r in seekers.list_for(s, owner)}
        a = applications.apply(s, user(s, "zhangmin"), posts["published"], "你好")
        assert _loads(lambda: seekers.load(s, owner, sk_id)) and sk_id in {r.id for r in seekers.list_for(s, owner)}
        assert not _loads(lambda: seekers.load(s, other, sk_id)) and not seekers.list_for(s, other)
        for role, username in USERS.items():
            u = user(s, username)
            assert _loads(lambda: applications.load(s, u, a.id)) == ("applied" in APPLICATION["view"].get(role, set())), role
        # the seeker lists only their own applications
        assert [x.id for x in applications.for_seeker(s, user(s, "zhangmin"))] == [a.id]
        assert applications.for_seeker(s, user(s, "liqiang")) == []


def test_consent_lets_employers_see_an_open_registration_without_identity(world):
    engine, _posts, _sk, other_id = world
    with Session(engine, expire_on_commit=False) as s:
        owner, li = user(s, "xingan_food"), user(s, "liqiang")
        assert not _loads(lambda: seekers.load(s, owner, other_id))
        seekers.update(s, li, other_id, {"desired_titles": ["司机"], "consent_to_employers": True})
        sk = seekers.load(s, owner, other_id)
        v = seekers.view(sk, detail=True, employer=True)
        assert v["id_number"] is None and "*" in v["name"] and "birth_date" not in v["record"]
        assert "*" in v["phone"] or v["phone"] == ""
        seekers.close(s, li, other_id, "found_job")
        assert not _loads(lambda: seekers.load(s, owner, other_id))  # consent covers an open registration only
