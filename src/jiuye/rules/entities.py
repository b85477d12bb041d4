"""Entities of the Jiuye rules.

Kept to what the two source documents need:

- ``Person`` (个人): the applicant — worker, unemployed person, graduate, founder, intern.
- ``Household`` (家庭, 同一家庭户口): a group entity, needed for
  * 零就业家庭 ("同一家庭户口内有 2 名及 2 名以上共同生活成员 …均进行失业登记"), and
  * the +8 % unemployment-benefit uplift "夫妻双方同时失业": the two spouses of a household carry
    the role ``spouse`` (at most 2), everybody else the role ``member``. A separate Couple entity
    would add a third group for one rule, so the couple is a household role instead.
- ``Enterprise`` (用人单位): employers and other insured units (社会团体、基金会 … are described by
  ``enterprise_category``). OpenFisca needs at least one person per simulation and gives every
  unallocated person a group of its own, so an enterprise lists its ``representative`` (经办人,
  optional, at most one); its ``intern`` members (见习人员) are the persons whose internship the
  youth-internship subsidy pays for; ``employee`` is free for later rules.

Every value is per entity and per period (see ``jiuye.rules`` for the period conventions).
"""
from __future__ import annotations

from openfisca_core.entities import build_entity

Person = build_entity(
    key="person",
    plural="persons",
    label="个人 (person)",
    doc="A person: applicant for a person-level policy, household member or enterprise member.",
    is_person=True,
)

Household = build_entity(
    key="household",
    plural="households",
    label="家庭 (household, 同一家庭户口)",
    doc=(
        "Persons registered in the same household (同一家庭户口) and living together. "
        "Used for 零就业家庭 and for the spouses' +8 % unemployment-benefit uplift."
    ),
    roles=[
        {
            "key": "spouse",
            "plural": "spouses",
            "label": "夫妻 (spouse)",
            "max": 2,
            "doc": "The married couple of the household (at most two persons).",
        },
        {
            "key": "member",
            "plural": "members",
            "label": "其他家庭成员 (other member)",
            "doc": "Every other member of the household registration living together.",
        },
    ],
)

Enterprise = build_entity(
    key="enterprise",
    plural="enterprises",
    label="用人单位 (enterprise or other insured unit)",
    doc=(
        "An employer or other unit insured as a unit (社会团体、基金会、社会服务机构、律师事务所、"
        "会计师事务所、以单位形式参保的个体工商户 are enterprises whose enterprise_category says so)."
    ),
    roles=[
        {
            "key": "representative",
            "plural": "representatives",
            "label": "经办人 (contact person)",
            "max": 1,
            "doc": "Optional contact person; OpenFisca needs at least one person in a simulation.",
        },
        {
            "key": "intern",
            "plural": "interns",
            "label": "见习人员 (intern)",
            "doc": "Persons doing a 就业见习 placement in this unit.",
        },
        {
            "key": "employee",
            "plural": "employees",
            "label": "职工 (employee)",
            "doc": "Employees, for rules that count or inspect them.",
        },
    ],
)

entities = [Person, Household, Enterprise]
