"""Every rule of access of 打工直通车 AS A TABLE: every role × every state × every action.

The expected answers are written out below by hand from the issue and the documents (a station
master sees and acts on their own station's sign-ups only; 客服 follow-up by staff of the sign-up's
district, the 盟中心 league-wide; the 人社局 reads; 财政局 has no part; the centre edits the registry;
anyone signs up at a station's terminal; the admin reads and does not act), not computed from
jiuye.platforms.access. The last tests check that the services (SQL, separate code) agree on real rows."""
from __future__ import annotations

import itertools

import pytest
from sqlalchemy.orm import Session

from jiuye.platforms import access
from jiuye.platforms.access import Actor

W, Z, L = "乌兰浩特市", "扎赉特旗", "兴安盟"
ROLES = {
    "anonymous": access.ANONYMOUS,
    "citizen": Actor("citizen", user_id=9, role="applicant", district=W),
    "master_own": Actor("station_master", user_id=10, role="station_master", district=W, station_id=1),
    "master_other": Actor("station_master", user_id=11, role="station_master", district=W, station_id=2),
    "master_without_station": Actor("station_master", user_id=12, role="station_master", district=W),
    "community_same": Actor("staff", user_id=29, role="community", district=W),
    "street_same": Actor("staff", user_id=30, role="street", district=W),
    "centre_same": Actor("staff", user_id=31, role="county_center", district=W),
    "centre_other": Actor("staff", user_id=32, role="county_center", district=Z),
    "league_centre": Actor("staff", user_id=33, role="league_center", district=L),
    "hrss_same": Actor("staff", user_id=34, role="hrss", district=W),
    "hrss_league": Actor("staff", user_id=35, role="hrss", district=L),
    "finance_same": Actor("staff", user_id=36, role="finance", district=W),
    "admin": Actor("admin", user_id=1, role="admin"),
}
ALL_S = set(access.SIGNUP_STATES)
OPEN = {"signed_up", "contacted", "recommended", "departed", "working"}
READERS = {"master_own", "community_same", "street_same", "centre_same", "league_centre", "hrss_same", "hrss_league",
           "admin"}
WORKERS = {"community_same", "street_same", "centre_same", "league_centre"}

# a sign-up of station 1, followed up in W: action -> role -> the states in which it is allowed
SIGNUP = {
    "view": {r: ALL_S for r in READERS},
    "contact": {r: OPEN for r in WORKERS},
    "identify": {r: OPEN for r in WORKERS},
    "recommend": {r: {"contacted"} for r in WORKERS},
    "depart": {r: {"recommended"} for r in WORKERS | {"master_own"}},
    "start": {r: {"recommended", "departed"} for r in WORKERS},
    "followup": {r: {"working"} for r in WORKERS},
    "close": {r: OPEN for r in WORKERS},
    "withdraw": {"master_own": {"signed_up"}},
}
STATION = {  # station 1 in W
    "view": {r: {"active", "inactive"} for r in READERS},
    "edit": {"centre_same": {"active", "inactive"}, "league_centre": {"active", "inactive"}},
    "sign_up": {r: {"active"} for r in WORKERS | {"master_own", "anonymous", "citizen"}},
    "group": {r: {"active"} for r in WORKERS | {"master_own"}},
}
GROUP = {  # a group of station 1 in W
    "view": {r: set(access.GROUP_STATES) for r in READERS},
    "edit": {r: {"planned"} for r in WORKERS | {"master_own"}},
    "depart": {r: {"planned"} for r in WORKERS | {"master_own"}},
    "cancel": {r: {"planned"} for r in WORKERS | {"master_own"}},
}
TABLES = {"master_own", "master_other", "master_without_station", "community_same", "street_same", "centre_same",
          "centre_other", "league_centre", "hrss_same", "hrss_league", "admin"}
SELF_SIGN_UP = {"anonymous", "citizen"} | WORKERS | {"centre_other"}


def test_the_tables_cover_every_action():
    assert set(SIGNUP) == set(access.SIGNUP_ACTIONS)
    assert set(STATION) == set(access.STATION_ACTIONS)
    assert set(GROUP) == set(access.GROUP_ACTIONS)


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, SIGNUP, access.SIGNUP_STATES)))
def test_signup_rule(role, action, state):
    ok, why = access.signup(ROLES[role], action, state, district=W, station_id=1)
    assert ok == (state in SIGNUP[action].get(role, set())), (role, action, state, why)
    assert ok or (why and any("\u4e00" <= ch <= "\u9fff" for ch in why))  # a refusal says why, in Chinese


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, STATION, access.STATION_STATES)))
def test_station_rule(role, action, state):
    ok, why = access.station(ROLES[role], action, state, district=W, station_id=1)
    assert ok == (state in STATION[action].get(role, set())), (role, action, state, why)


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, GROUP, access.GROUP_STATES)))
def test_group_rule(role, action, state):
    ok, why = access.group(ROLES[role], action, state, district=W, station_id=1)
    assert ok == (state in GROUP[action].get(role, set())), (role, action, state, why)


@pytest.mark.parametrize("role", list(ROLES))
def test_tables_self_sign_up_and_new_stations(role):
    a = ROLES[role]
    assert access.tables(a)[0] == (role in TABLES)
    assert access.self_sign_up(a)[0] == (role in SELF_SIGN_UP)
    assert access.create_station(a, W)[0] == (role in {"centre_same", "league_centre"})
    assert access.create_station(a, Z)[0] == (role in {"centre_other", "league_centre"})


def test_scopes():
    assert access.scope(ROLES["master_own"]) == (None, 1)
    assert access.scope(ROLES["master_without_station"]) == (None, -1)  # sees nothing
    assert access.scope(ROLES["centre_same"]) == (W, None)
    assert access.scope(ROLES["league_centre"]) == (None, None) == access.scope(ROLES["hrss_league"])
    assert access.scope(ROLES["admin"]) == (None, None)


def test_a_league_sign_up_is_the_league_centres():
    """A sign-up at the 盟本级总站 (district 兴安盟): the 盟中心 follows it up; no 旗县市 does."""
    for role in ROLES:
        ok = access.signup(ROLES[role], "contact", "signed_up", district=L, station_id=99)[0]
        assert ok == (role == "league_centre"), role


# --- the services agree, on real rows ------------------------------------------------------------------
USERS = ["zhanzhang_wlht", "zhanzhang_zlt", "sq_wlht", "jd_wlht", "zx_wlht", "zx_zlt", "rsj_wlht", "czj_wlht", "mz",
         "admin", "zhangmin", "xingan_food", None]
SEES_W = {"zhanzhang_wlht", "sq_wlht", "jd_wlht", "zx_wlht", "rsj_wlht", "mz", "admin"}  # a sign-up at 葛根庙镇 (W)
ACTS_W = {"sq_wlht", "jd_wlht", "zx_wlht", "mz"}


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    from jiuye.platforms import signups
    from platforms_support import WLHT, ZLT, dagong_db, post

    with dagong_db(tmp_path_factory.mktemp("acc")) as engine, Session(engine, expire_on_commit=False) as s:
        w, _ = signups.create(s, None, posting_id=post(s).id, name="张三", phone="13904821111", station_code=WLHT)
        z, _ = signups.create(s, None, posting_id=post(s).id, name="李四", phone="13904821112", station_code=ZLT)
        yield s, w, z


@pytest.mark.parametrize("username", USERS)
def test_services_agree_with_the_table(rows, username):
    from jiuye.platforms import followup, signups, tables
    from jiuye.platforms.common import Forbidden, NotFound
    from platforms_support import user

    s, w, z = rows
    me = user(s, username)
    if username in SEES_W:
        assert signups.load(s, me, w.id).id == w.id
    else:
        with pytest.raises(NotFound):
            signups.load(s, me, w.id)
    listed = {r.id for r in signups.queue(s, me, tab="all")[1]}
    assert (w.id in listed) == (username in SEES_W)
    assert (z.id in listed) == (username in {"zhanzhang_zlt", "zx_zlt", "mz", "admin"})
    if username not in ACTS_W:
        with pytest.raises((Forbidden, NotFound)):
            followup.contact(s, me, w.id, result="no_answer")
        s.rollback()
    ok_tables = username not in {"zhangmin", "xingan_food", None, "czj_wlht"}
    if ok_tables:
        assert tables.compute(s, me)["totals"]["signups"] == len(listed)
    else:
        with pytest.raises(Forbidden):
            tables.compute(s, me)
