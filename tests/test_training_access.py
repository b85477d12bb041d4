"""Every rule of access of training AS A TABLE: every role × every state × every action.

The expected answers are written out by hand from issue 18 and the documents (a provider acts on its
own courses only, and only once approved; it sees only its own learners; a citizen enrols and signs in
for themselves; the centres approve providers and issue vouchers; staff read their district, the 盟中心
and 人社局 the league; 财政局 has no part here; the admin reads and does not act), not computed from
jiuye.training.access. The last test checks the services agree on real rows (masked IDs)."""
from __future__ import annotations

import itertools

import pytest

from jiuye.training import access
from jiuye.training.access import Actor

W, Z, L = "乌兰浩特市", "扎赉特旗", "兴安盟"
ROLES = {
    "anonymous": access.ANONYMOUS,
    "citizen": Actor("citizen", user_id=9, role="applicant", district=W, person_id=90),
    "citizen_owner": Actor("citizen", user_id=8, role="applicant", district=W, person_id=80),
    "provider_own": Actor("provider", user_id=10, role="training_provider", district=W, provider_id=1, provider_approved=True),
    "provider_own_unapproved": Actor("provider", user_id=11, role="training_provider", district=W, provider_id=1),
    "provider_other": Actor("provider", user_id=12, role="training_provider", district=W, provider_id=2, provider_approved=True),
    "provider_other_district": Actor("provider", user_id=13, role="training_provider", district=Z, provider_id=3,
                                     provider_approved=True),
    "provider_league": Actor("provider", user_id=14, role="training_provider", district=L, provider_id=4, provider_approved=True),
    "community_same": Actor("staff", user_id=29, role="community", district=W),
    "centre_same": Actor("staff", user_id=31, role="county_center", district=W),
    "centre_other": Actor("staff", user_id=32, role="county_center", district=Z),
    "league_centre": Actor("staff", user_id=33, role="league_center", district=L),
    "hrss_same": Actor("staff", user_id=34, role="hrss", district=W),
    "finance_same": Actor("staff", user_id=36, role="finance", district=W),
    "admin": Actor("admin", user_id=1, role="admin"),
}
CS = set(access.COURSE_STATES)
READERS = {"community_same", "centre_same", "league_centre", "hrss_same", "admin"}
OWN = {"provider_own"}

COURSE = {  # course of provider 1 in W
    "publish": {"provider_own": {"published"}},
    "edit": {"provider_own": {"published"}},
    "open_class": {"provider_own": {"published"}},
    "cancel": {"provider_own": {"published"}},
    "sign_code": {"provider_own": {"opened"}},
    "attendance": {"provider_own": {"opened"}},
    "complete": {"provider_own": {"opened", "finished"}},
    "learners": {r: CS for r in READERS | {"provider_own", "provider_own_unapproved"}},
    "enrol": {r: {"published", "opened"} for r in ("citizen", "citizen_owner")},
    "sign_in": {r: {"opened"} for r in ("citizen", "citizen_owner")},
}
PROVIDER = {  # provider 1 in W
    "view": {r: set(access.PROVIDER_STATES) for r in READERS | {"provider_own", "provider_own_unapproved"}},
    "approve": {r: {"pending", "returned", "suspended"} for r in ("centre_same", "league_centre")},
    "return": {r: {"pending"} for r in ("centre_same", "league_centre")},  # 退回补正, with a reason
    "suspend": {r: {"approved"} for r in ("centre_same", "league_centre")},
}
# the staff console's training pages (each then shows only the reader's area)
CONSOLE = {"community_same", "centre_same", "centre_other", "league_centre", "hrss_same", "admin"}
WISH = {  # a wish of user 8 in W
    "view": {r: set(access.WISH_STATES) for r in READERS | {"citizen_owner", "provider_own", "provider_other",
                                                             "provider_league"}},
    "answer": {r: {"open"} for r in ("provider_own", "provider_other", "provider_league")},
    "close": {"citizen_owner": {"open", "answered"}},
}
VOUCHER = {  # a voucher of person 80 in W
    "issue": {"centre_same", "league_centre"},
    "view": {"citizen_owner", "community_same", "centre_same", "league_centre", "hrss_same", "admin"},
}


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, COURSE, sorted(CS))))
def test_course(role, action, state):
    ok, why = access.course(ROLES[role], action, state, provider_id=1, district=W)
    assert ok == (state in COURSE[action].get(role, set())), (role, action, state, why)
    assert ok or (why and any("\u4e00" <= ch <= "\u9fff" for ch in why))


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, PROVIDER, access.PROVIDER_STATES)))
def test_provider(role, action, state):
    ok, _why = access.provider(ROLES[role], action, state, provider_id=1, district=W)
    assert ok == (state in PROVIDER[action].get(role, set())), (role, action, state)


@pytest.mark.parametrize("role", list(ROLES))
def test_console(role):
    ok, why = access.console(ROLES[role])
    assert ok == (role in CONSOLE), role
    assert ok or any("\u4e00" <= ch <= "\u9fff" for ch in why)


@pytest.mark.parametrize("role,action,state", list(itertools.product(ROLES, WISH, access.WISH_STATES)))
def test_wish(role, action, state):
    ok, _why = access.wish(ROLES[role], action, state, owner_id=8, district=W)
    assert ok == (state in WISH[action].get(role, set())), (role, action, state)


@pytest.mark.parametrize("role,action", list(itertools.product(ROLES, VOUCHER)))
def test_voucher(role, action):
    ok, _why = access.voucher(ROLES[role], action, owner_person_id=80, district=W)
    assert ok == (role in VOUCHER[action]), (role, action)


def test_the_services_show_a_provider_only_its_learners_masked(tmp_path):
    from sqlalchemy.orm import Session

    from jiuye.training import enrolment
    from jiuye.training.common import Forbidden
    from training_support import ELDER_CARE, course_of, learner, training_db, user

    with training_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        c = course_of(s, ELDER_CARE)
        u = learner(s, "acc1", seq="901")
        enrolment.enrol(s, u, c.id)
        rows = enrolment.learners(s, user(s, "pxjg_wlht"), c.id)
        views = [enrolment.view(s, e) for e in rows]
        assert len(views) == 1 and u.person.id_number not in str(views) and "*" in views[0]["id_number"]
        for other in ("pxjg_zlt", "pxjg_center", "zx_zlt", "czj_wlht", "zhangmin"):
            with pytest.raises(Forbidden):
                enrolment.learners(s, user(s, other), c.id)
        assert enrolment.learners(s, user(s, "zx_wlht"), c.id)
