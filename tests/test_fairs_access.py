"""Every rule of access of the fairs AS A TABLE: every role × every state × every action.

The expected answers are written out by hand from the issue (an employer sees only its own booth and
intentions; booth decisions by the 旗县市中心 and the 盟中心 of the fair's district; the door and
intentions by front-line staff of the district; the 人社局 reads; 财政局 has no part; the admin reads
and does not act), not computed from jiuye.fairs.access. The last test checks that the services (SQL,
separate code) agree on real rows."""
from __future__ import annotations

import itertools

import pytest
from sqlalchemy.orm import Session

from jiuye.fairs import access
from jiuye.fairs.access import Actor

W, Z, L = "乌兰浩特市", "扎赉特旗", "兴安盟"
ROLES = {
    "anonymous": access.ANONYMOUS,
    "citizen": Actor("citizen", user_id=9, role="applicant", district=W),
    "seeker_self": Actor("citizen", user_id=77, role="applicant", district=W),  # the visitor of the intention
    "employer_own": Actor("employer", user_id=20, role="applicant", district=W, employer_id=1),
    "employer_other": Actor("employer", user_id=21, role="applicant", district=W, employer_id=2),
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
READERS = {"community_same", "street_same", "centre_same", "league_centre", "hrss_same", "hrss_league", "admin"}
WORKERS = {"community_same", "street_same", "centre_same", "league_centre"}
DECIDERS = {"centre_same", "league_centre"}
ALL_B = set(access.BOOTH_STATES)

# a fair in W (on site, not over): action -> role -> the states in which it is allowed
FAIR = {
    "edit": {r: {"open", "cancelled"} for r in DECIDERS},
    "apply": {"employer_own": {"open"}, "employer_other": {"open"}},
    "register": {r: {"open"} for r in WORKERS | {"anonymous", "citizen", "seeker_self", "employer_own", "employer_other"}},
    "check_in": {r: {"open"} for r in WORKERS},
    "report": {r: {"open", "cancelled"} for r in READERS},
}
# a booth of employer 1 at a fair in W
BOOTH = {
    "view": {r: ALL_B for r in READERS | {"employer_own"}},
    "decide": {r: {"pending", "waiting"} for r in DECIDERS},
    "withdraw": {"employer_own": {"pending", "waiting", "approved", "returned"}},
    "record_intention": {r: {"approved"} for r in WORKERS | {"employer_own"}},
}
# an intention at employer 1's booth, of the visitor whose account is user 77
INTENTION = {
    "view": {r: set(access.INTENTION_STATES) for r in READERS | {"employer_own", "seeker_self"}},
    "follow_up": {r: {"open"} for r in WORKERS | {"employer_own"}},
    "check_30": {r: {"followed_up"} for r in WORKERS},
}


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, FAIR, access.FAIR_STATES)))
def test_fair_table(role, action, state):
    ok, why = access.fair(ROLES[role], action, state, district=W)
    assert ok == (state in FAIR[action].get(role, set())), (role, action, state, why)
    assert ok or (why and any("\u4e00" <= ch <= "\u9fff" for ch in why))


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, BOOTH, access.BOOTH_STATES)))
def test_booth_table(role, action, state):
    ok, why = access.booth(ROLES[role], action, state, district=W, employer_id=1)
    assert ok == (state in BOOTH[action].get(role, set())), (role, action, state, why)
    assert ok or why


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, INTENTION, access.INTENTION_STATES)))
def test_intention_table(role, action, state):
    ok, why = access.intention(ROLES[role], action, state, district=W, employer_id=1, visitor_user_id=77)
    assert ok == (state in INTENTION[action].get(role, set())), (role, action, state, why)
    assert ok or why


@pytest.mark.parametrize("role", ROLES)
def test_a_past_fair_takes_no_application_or_registration(role):
    for action in ("apply", "register"):
        assert access.fair(ROLES[role], action, "open", district=W, past=True)[0] is False


def test_the_door_and_booths_are_for_on_site_fairs_only():
    for kind in ("online", "stream"):
        assert access.fair(ROLES["centre_same"], "check_in", "open", district=W, kind=kind)[0] is False
    assert access.fair(ROLES["employer_own"], "apply", "open", district=W, kind="stream")[0] is False
    assert access.fair(ROLES["employer_own"], "apply", "open", district=W, kind="online")[0] is True


def test_the_services_agree_on_real_rows(tmp_path, monkeypatch):
    """An employer lists only its own booths and intentions; another employer cannot open them (404);
    staff of another district see nothing; the seeker sees their own intention under 我的."""
    from fairs_support import Clock, fairs_db, files, make_fair, own_post, user
    from jiuye.cases.service import NotFound
    from jiuye.fairs import booths, intentions, visitors

    Clock(monkeypatch)
    with fairs_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        f = make_fair(s, booths=5)
        food, other, zx, zlt = (user(s, u) for u in ("xingan_food", "other_firm", "zx_wlht", "zx_zlt"))
        b1 = booths.apply(s, food, f.id, posting_ids=[own_post(s).id], files=files())
        b2 = booths.apply(s, other, f.id, contact_name="赵经理", posting_ids=[own_post(s, "other_firm", "插秧工").id],
                          files=files())
        booths.approve(s, zx, b1.id)
        booths.approve(s, zx, b2.id)
        seeker = user(s, "zhangmin")
        v, _ = visitors.register(s, seeker, f.id, name="张敏", phone="13904821111")
        visitors.check_in(s, zx, f.id, v.code)
        i1 = intentions.record(s, food, b1.id, code=v.code)
        i2 = intentions.record(s, zx, b2.id, code=v.code)
        assert [b.id for b in booths.for_fair(s, food, f.id)] == [b1.id]
        assert [b.id for b in booths.mine(s, other)] == [b2.id]
        assert booths.for_fair(s, zlt, f.id) == [] and booths.queue(s, zlt) == []
        with pytest.raises(NotFound):
            booths.load(s, other, b1.id)
        with pytest.raises(NotFound):
            intentions.load(s, other, i1.id)
        with pytest.raises(NotFound):
            booths.material(s, other, b1.id, "licence")
        assert booths.material(s, zx, b1.id, "licence")[1].startswith(b"%PDF")
        monkeypatch.setenv("JIUYE_NOW", "2099-01-01T09:00:00")  # every task open
        assert {x.id for x in intentions.queue(s, food)} == {i1.id}
        assert {x.id for x in intentions.queue(s, other)} == {i2.id}
        assert {x.id for x in intentions.queue(s, zx)} == {i1.id, i2.id}
        assert intentions.queue(s, zlt) == []
        assert {x.id for x in intentions.mine(s, seeker)} == {i1.id, i2.id}
        assert intentions.load(s, seeker, i1.id).id == i1.id
