"""Roles. Stored as short codes; shown, and written in data/procedures/*.yaml, by their Chinese names.

Staff act only in their own district (旗县市); applicants see only their own cases; the admin manages
offices and users and can read everything, but takes no review step (separation of duties). A
station master (打工直通车站长) has no part in cases: their work is in jiuye.platforms.

A partner (合作机构) is an outside body that takes a step in a few procedures: the 经办银行 decides
on and administers a 创业担保贷款 (000 四(一)1: "由经办此项贷款的银行业金融机构发放"). A partner sees
only the cases of the procedures that give its role a step, in its own district, and nothing else
of the staff's work (no rosters, no labour market).
"""
from __future__ import annotations

ROLES: dict[str, str] = {
    "applicant": "申请人",
    "community": "社区",
    "street": "街道",
    "county_center": "旗县市中心",
    "league_center": "盟中心",
    "hrss": "人社局",
    "finance": "财政局",
    "bank": "经办银行",
    "admin": "管理员",
    # 打工直通车工作站站长 (jiuye.platforms): signs people up at their station (站长代报名). Not staff:
    # no case work, no console; their own pages (/station).
    "station_master": "打工直通车站长",
    # 培训机构 (jiuye.training): publishes its courses, opens classes, records sign-in and completion of
    # its own learners. Not staff: no case work, no console; its own pages (/training/provider).
    "training_provider": "培训机构",
}
BY_LABEL = {label: code for code, label in ROLES.items()}
# Applicant-side names used in the catalogue's steps: the one who applies acts as the applicant.
BY_LABEL["用人单位"] = "applicant"
STAFF_ROLES = ("community", "street", "county_center", "league_center", "hrss", "finance")
PARTNER_ROLES = ("bank",)
# Everyone who works cases in a district (the console's users besides the admin).
ACTING_ROLES = STAFF_ROLES + PARTNER_ROLES
# Office levels (an office's kind) are the acting roles: a user of role R works in an office of level R.
OFFICE_LEVELS = ACTING_ROLES
LEAGUE_DISTRICT = "兴安盟"  # 盟本级


def role_code(name: str) -> str:
    """A role given by code or Chinese name -> its code; ValueError with the valid names otherwise."""
    if name in ROLES:
        return name
    if name in BY_LABEL:
        return BY_LABEL[name]
    raise ValueError(f"未知的角色「{name}」；可选：{'、'.join(ROLES.values())}")


def label(code: str | None) -> str:
    return ROLES.get(code or "", code or "")


def acts_as(user_role: str, user_district: str | None, step_role: str, case_district: str) -> bool:
    """May a staff member of `user_role` in `user_district` take a step assigned to `step_role` on a
    case of `case_district`? Same district, same role; for a 盟本级 case the 盟中心 is its centre."""
    if user_district != case_district:
        return False
    if user_role == step_role:
        return True
    return step_role == "county_center" and user_role == "league_center" and case_district == LEAGUE_DISTRICT
