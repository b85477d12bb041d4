"""Item 6: the 创业担保贷款 / 一次性创业补贴 application opened from a 创业项目 or a 孵化基地 tenancy, with what
is already known filled in.

Generic over procedures: `known_facts` turns a project or an application (with its tenancy) into
answers of the 政策找人 questionnaire (the keys of data/web/questionnaire.yaml: district,
has_or_plans_business, is_first_business, business_registration_date, business_in_xing_an …), and
`offers` turns them into one link per procedure of data/startup/startup.yaml › advantages that has
an online procedure (data/procedures/<id>.yaml): /apply/<procedure>?<answers> — the cases service's
ordinary apply path (screening, then jiuye.cases.service.create_case), which reads the answers from the
address and asks only what is still missing. A procedure whose file does not exist yet is listed
as not available, with the reason, never as a broken link."""
from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy.orm import Session

from jiuye.startup.models import Application, Project, Tenancy
from jiuye.startup.settings import startup

LOAN_PROCEDURES = ("startup_loan_individual", "startup_loan_small_business")
LABELS = {"district": "所在旗县市", "has_or_plans_business": "已经在创业或准备创业",
          "is_first_business": "第一次创业", "business_registration_date": "登记注册日期",
          "business_in_xing_an": "经营场所在兴安盟内", "self_employment_registered": "已办理个体经营就业登记"}


def _yes(value: bool) -> str:
    return "1" if value else "0"


def known_facts(s: Session, source: Project | Application) -> list[tuple[str, str]]:
    """(questionnaire key, encoded answer) pairs known from a project or an application/tenancy."""
    facts: list[tuple[str, str]] = [("has_or_plans_business", "1")]
    if isinstance(source, Project):
        facts.append(("district", source.district))
        if source.district:  # every district of data/districts.yaml is in the league
            facts.append(("business_in_xing_an", "1"))
        return facts
    facts.append(("district", source.district))
    facts.append(("business_in_xing_an", "1"))  # every base of the catalogue is in the league
    facts.append(("is_first_business", _yes(source.first_business)))
    if source.business_registration_date is not None:
        facts.append(("business_registration_date", source.business_registration_date.isoformat()))
    return facts


def _procedures() -> dict:
    from jiuye.cases.procedures import get_procedures

    return get_procedures()


def offer(procedure: str, facts: list[tuple[str, str]]) -> dict:
    """One prefilled application: its link, or why it cannot be opened online."""
    procs = _procedures()
    proc = procs.get(procedure)
    if proc is None:
        from jiuye.knowledge.loader import get_knowledge

        policy = get_knowledge().policies.get(procedure)
        name = policy.name if policy is not None else "这项政策"
        return {"procedure": procedure, "available": False, "name": name, "link": None, "known": [],
                "message": f"「{name}」暂不能在网上申请（办理流程尚未建立），请到项目所在地就业服务部门创业服务窗口办理。"}
    return {"procedure": procedure, "available": True, "name": proc.name, "message": None,
            "link": f"/apply/{procedure}?{urlencode(facts)}",
            "known": [{"label": LABELS.get(k, k), "value": {"1": "是", "0": "否"}.get(v, v)} for k, v in facts]}


def offers(s: Session, source: Project | Application) -> list[dict]:
    """Every application a project or a tenancy opens (一次性创业补贴, both 创业担保贷款), prefilled."""
    facts = known_facts(s, source)
    wanted = [a.policy for a in startup().advantages if a.policy and a.policy != "incubation_base"]
    for p in LOAN_PROCEDURES:
        if p not in wanted:
            wanted.append(p)
    return [offer(p, facts) for p in wanted]


def for_tenancy(s: Session, tenancy: Tenancy) -> list[dict]:
    return offers(s, s.get(Application, tenancy.application_id))
