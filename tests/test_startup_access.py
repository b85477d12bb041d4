"""Every access rule of 创业服务 AS A TABLE: every role × every state × every action, the expected
answers written out by hand (a project owner only their projects; the district centre reviews;
reviewers see only what they are assigned; a reviewer who declared a conflict cannot score; the one
who decides is not a reviewer; the admin reads and does not act), not computed from the module."""
from __future__ import annotations

import itertools

import pytest

from jiuye.startup import access
from jiuye.startup.access import Actor

W, Z, L = "乌兰浩特市", "扎赉特旗", "兴安盟"
ROLES = {
    "anonymous": access.ANONYMOUS,
    "owner": Actor("citizen", user_id=9, role="applicant", district=W),  # owner of the project / the founder
    "citizen": Actor("citizen", user_id=8, role="applicant", district=W),
    "community_same": Actor("staff", user_id=29, role="community", district=W),
    "street_same": Actor("staff", user_id=30, role="street", district=W),
    "centre_same": Actor("staff", user_id=31, role="county_center", district=W),
    "centre_other": Actor("staff", user_id=32, role="county_center", district=Z),
    "league_centre": Actor("staff", user_id=33, role="league_center", district=L),
    "hrss_same": Actor("staff", user_id=34, role="hrss", district=W),
    "finance_same": Actor("staff", user_id=36, role="finance", district=W),
    "reviewer": Actor("staff", user_id=40, role="street", district=Z),  # assigned, from another district
    "reviewer_conflicted": Actor("staff", user_id=41, role="hrss", district=Z),  # assigned, declared a conflict
    "centre_reviewer": Actor("staff", user_id=42, role="county_center", district=W),  # a centre member assigned
    "admin": Actor("admin", user_id=1, role="admin"),
}
ALL_P = set(access.PROJECT_STATES)
STAFF_W_READERS = {"community_same", "street_same", "centre_same", "league_centre", "hrss_same", "centre_reviewer"}
WORKERS = {"community_same", "street_same", "centre_same", "league_centre", "centre_reviewer"}
CENTRES = {"centre_same", "league_centre", "centre_reviewer"}

# a project of user 9 in W: action -> role -> the states in which it is allowed
PROJECT = {
    "view": {**{r: ALL_P for r in STAFF_W_READERS | {"owner", "admin"}},
             **{r: {"published"} for r in set(ROLES) - STAFF_W_READERS - {"owner", "admin"}}},
    "edit": {r: {"draft", "returned"} for r in WORKERS | {"owner"}},
    "submit": {r: {"draft", "returned"} for r in WORKERS | {"owner"}},
    "review": {r: {"submitted"} for r in CENTRES},
    "withdraw": {r: {"draft", "submitted", "returned", "published"} for r in CENTRES | {"owner"}},
    "interest": {"citizen": {"published"}},
}
ALL_I = set(access.INTEREST_STATES)
INTEREST = {  # an interest of user 9 in a project of W
    "view": {r: ALL_I for r in STAFF_W_READERS | {"owner", "admin"}},
    "follow_up": {r: {"open", "contacted"} for r in WORKERS},
}
ALL_A = set(access.APPLICATION_STATES)
REVIEWERS = {"reviewer", "reviewer_conflicted", "centre_reviewer"}
APPLICATION = {  # user 9's application to a base of W, reviewers 40, 41 (conflicted), 42
    "view": {r: ALL_A for r in REVIEWERS | {"owner", "centre_same", "league_centre", "admin"}},
    "assign": {r: {"submitted", "reviewing"} for r in CENTRES},
    "declare": {r: {"reviewing"} for r in REVIEWERS},
    "score": {r: {"reviewing"} for r in {"reviewer", "centre_reviewer"}},
    "decide": {r: {"reviewing"} for r in {"centre_same", "league_centre"}},
    "withdraw": {"owner": {"submitted"}},
    "tenancy": {r: {"admitted"} for r in CENTRES},
}


def test_the_tables_cover_every_action():
    assert set(PROJECT) == set(access.PROJECT_ACTIONS)
    assert set(INTEREST) == set(access.INTEREST_ACTIONS)
    assert set(APPLICATION) == set(access.APPLICATION_ACTIONS)


def _chinese(why):
    return bool(why) and any("\u4e00" <= ch <= "\u9fff" for ch in why)


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, PROJECT, access.PROJECT_STATES)))
def test_project_rule(role, action, state):
    ok, why = access.project(ROLES[role], action, state, district=W, owner_id=9)
    assert ok == (state in PROJECT[action].get(role, set())), (role, action, state, why)
    assert ok or _chinese(why)


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, INTEREST, access.INTEREST_STATES)))
def test_interest_rule(role, action, state):
    ok, why = access.interest(ROLES[role], action, state, district=W, founder_id=9)
    assert ok == (state in INTEREST[action].get(role, set())), (role, action, state, why)
    assert ok or _chinese(why)


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, APPLICATION, access.APPLICATION_STATES)))
def test_application_rule(role, action, state):
    ok, why = access.application(ROLES[role], action, state, district=W, founder_id=9, reviewer_ids=(40, 41, 42),
                                 conflicted_ids=(41,))
    assert ok == (state in APPLICATION[action].get(role, set())), (role, action, state, why)
    assert ok or _chinese(why)
