"""Every access rule of 零工市场 AS A TABLE: every role × every state × every action, written out by
hand from the issue (a worker sees the employer's phone only after both accepted; an employer sees
only their own jobs' applicants; staff by district, the 盟中心 and 人社局 league-wide; the admin reads),
not computed from jiuye.gig.access. The last test checks the services agree on real rows."""
from __future__ import annotations

import itertools

import pytest
from sqlalchemy.orm import Session

from jiuye.gig import access
from jiuye.gig.access import Actor

W, Z, L = "乌兰浩特市", "扎赉特旗", "兴安盟"
POSTER, WORKER = 20, 21
ROLES = {
    "anonymous": access.ANONYMOUS,
    "poster": Actor("citizen", user_id=POSTER, role="applicant", district=W),
    "worker": Actor("citizen", user_id=WORKER, role="applicant", district=W),
    "other_citizen": Actor("citizen", user_id=22, role="applicant", district=W),
    "community_same": Actor("staff", user_id=29, role="community", district=W),
    "centre_same": Actor("staff", user_id=31, role="county_center", district=W),
    "centre_other": Actor("staff", user_id=32, role="county_center", district=Z),
    "league_centre": Actor("staff", user_id=33, role="league_center", district=L),
    "hrss_league": Actor("staff", user_id=35, role="hrss", district=L),
    "finance_same": Actor("staff", user_id=36, role="finance", district=W),
    "admin": Actor("admin", user_id=1, role="admin"),
}
SIDE = {"poster": "poster", "worker": "worker"}
STAFF_READ = {"community_same", "centre_same", "league_centre", "hrss_league", "admin"}
ALL_J = set(access.JOB_STATES)
ALL_M = set(access.MATCH_STATES)
PHONE_STATES = {"accepted", "worked", "paid", "unpaid"}

# a job of POSTER in W: action -> role -> states in which it is allowed
JOB = {
    "view": {**{r: {"open"} for r in ROLES}, **{r: ALL_J for r in STAFF_READ | {"poster"}}},
    "applicants": {r: ALL_J for r in STAFF_READ | {"poster"}},
    "close": {"poster": {"open"}},
    "invite": {"poster": {"open"}},
    "apply": {"worker": {"open"}, "other_citizen": {"open"}},
}
# a match of WORKER on POSTER's job in W; (role, done_by_side) -> states
MATCH = {
    "view": {r: ALL_M for r in STAFF_READ | {"poster", "worker"}},
    "see_phone": {"poster": PHONE_STATES, "worker": PHONE_STATES},
    "accept": {"poster": {"proposed"}, "worker": {"proposed"}},
    "decline": {"poster": {"proposed", "accepted"}, "worker": {"proposed", "accepted"}},
    "worked": {"poster": {"accepted"}, "worker": {"accepted"}},
    "paid": {"poster": {"worked"}, "worker": {"worked"}},
    "unpaid": {"worker": {"worked"}},
}


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, access.JOB_ACTIONS, access.JOB_STATES)))
def test_job_table(role, action, state):
    ok, why = access.job(ROLES[role], action, state, district=W, poster_id=POSTER)
    assert ok == (state in JOB[action].get(role, set())), (role, action, state, why)
    if not ok:
        assert why and any("\u4e00" <= ch <= "\u9fff" for ch in why)


@pytest.mark.parametrize("role,action,state,done", list(itertools.product(ROLES, access.MATCH_ACTIONS,
                                                                          access.MATCH_STATES, (False, True))))
def test_match_table(role, action, state, done):
    ok, why = access.match(ROLES[role], action, state, side=SIDE.get(role), district=W, done_by_side=done)
    expected = state in MATCH[action].get(role, set())
    if done and action in ("accept", "worked", "paid"):
        expected = False  # a side does it once, then waits for the other
    assert ok == expected, (role, action, state, done, why)
    if not ok:
        assert why and any("\u4e00" <= ch <= "\u9fff" for ch in why)


@pytest.mark.parametrize("role", ROLES)
def test_who_posts_and_reads_the_tables(role):
    assert access.post(ROLES[role])[0] == (role in ("poster", "worker", "other_citizen"))
    assert access.stats(ROLES[role])[0] == (role in STAFF_READ | {"centre_other"})  # scoped to their district


def test_services_agree_on_real_rows(tmp_path):
    """An employer sees only their own jobs' applicants; a worker sees the employer's phone only after
    mutual acceptance; staff of another district see nothing of it; the API hides what the rules hide."""
    from gig_support import availability, job, market_db, user
    from jiuye.cases.service import Forbidden, NotFound
    from jiuye.gig import matches

    with market_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        availability(s)
        mine = job(s)
        other = job(s, username="liqiang", title="扎赉特砌墙", district=Z, town=None)
        m = matches.apply(s, user(s, "zhangmin"), mine.id)
        emp = user(s, "xingan_food")
        assert [x.id for x in matches.applicants(s, emp, mine.id)] == [m.id]
        with pytest.raises(Forbidden):
            matches.applicants(s, emp, other.id)  # not their job
        assert matches.view(s, user(s, "zhangmin"), m)["poster_phone"] is None
        assert matches.view(s, emp, m)["worker_phone"] is None
        matches.act(s, emp, m.id, "accept")
        assert matches.view(s, user(s, "zhangmin"), m)["poster_phone"] == mine.poster_phone
        assert matches.load(s, user(s, "zx_wlht"), m.id).id == m.id
        assert matches.load(s, user(s, "mz"), m.id).id == m.id
        with pytest.raises(NotFound):
            matches.load(s, user(s, "zx_zlt"), m.id)
        staff_view = matches.view(s, user(s, "zx_wlht"), m)
        assert staff_view["worker_phone"] is None and staff_view["poster_phone"] is None and not staff_view["actions"]
