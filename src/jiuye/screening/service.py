"""Screening: one profile, one date, every policy of the catalogue.

:func:`screen` builds ONE OpenFisca simulation from the profile with the process-wide tax-benefit
system (``jiuye.rules.build_system``, built once), calculates every computed policy's variables for
the month of the date, and answers one :class:`PolicyResult` per catalogue id:

- ``status``: ``window_closed`` when the policy's acceptance window ended before the date (the
  rules' ``<policy>_cond_window`` where the rules have one, else the catalogue's windows);
  ``not_eligible`` when a condition is known to fail; ``eligible`` when every condition is met
  (``amount`` is then null if the amount itself still needs information, with ``missing`` saying
  what); else ``needs_information``.
- Policies the rules do not compute (service and information items, and eligibility items without
  rules yet) come with ``computed: false`` and status ``needs_information`` (or ``window_closed``),
  what the catalogue says, and every catalogue condition in ``checks_for_you``.
- Policies for the other kind of subject (an enterprise policy for a person …) are
  ``not_eligible`` with the reason.

``reasons`` come from the evaluation itself: for each condition ``c`` of a policy the rules'
``<policy>_cond_<c>`` value and whether it is known, rendered with data/screening/reasons.yaml.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from openfisca_core import periods

from jiuye.config import data_dir, today
from jiuye.knowledge import catalogue
from jiuye.knowledge.labels import CJK, chinese_part, labels
from jiuye.knowledge.loader import KnowledgeBase, get_knowledge
from jiuye.knowledge.models import Policy
from jiuye.rules import build_system
from jiuye.rules.period import check_as_of
from jiuye.screening import cites as cz
from jiuye.screening import reasons as rz
from jiuye.screening.context import ENTERPRISE_DERIVED, PERSON_DERIVED, Context, chinese_name, line
from jiuye.screening.models import Channels, Check, Contact, HowToApply, PolicyResult, ScreenResult, Step, WindowInfo
from jiuye.screening.checks import field_title, parse_profile
from jiuye.screening.profile import EMPLOYEE_FIELDS, ENTERPRISE_FIELDS, INTERN_FIELDS, PERSON_FIELDS
from jiuye.screening.simulation import build_simulation

KIND_LABEL = {"computed": "可计算政策", "eligibility": "资格认定事项", "service": "服务事项"}
SUBJECT_LABEL = {"person": "个人", "enterprise": "用人单位"}

@dataclass
class _Static:
    """What does not change between requests for one policy (already validated models)."""
    policy: Policy
    computed: bool
    entity: str | None
    materials: list[str]
    channels: Channels
    steps: list[Step]
    time_limits: list[str]
    checks: list[Check]
    all_checks: list[Check]
    spec: rz.PolicyText | None
    has_window_condition: bool


class Screener:
    """Screens profiles against the catalogue and the rules. Build once, call :meth:`screen` often."""

    def __init__(self, kb: KnowledgeBase | None = None, tbs=None, reasons_path: Path | None = None) -> None:
        self.kb = kb or get_knowledge()
        self.tbs = tbs or build_system()
        path = reasons_path or data_dir() / "screening" / "reasons.yaml"
        self.spec = rz.load_reasons(path, self.tbs, self.kb.source_texts, self.kb.sections_of)
        self.rules = getattr(self.tbs, "policy_rules", {})
        self.static = {pid: self._static(p) for pid, p in sorted(self.kb.policies.items())}
        self._contacts = functools.lru_cache(maxsize=256)(self._contacts_uncached)
        self._how_to_apply = functools.lru_cache(maxsize=1024)(self._how_to_apply_uncached)
        self._window_info = functools.lru_cache(maxsize=1024)(self._window_info_uncached)
        # the rules' names of missing inputs -> profile fields
        self._person_fields: dict[str, tuple[str, ...]] = {}
        for f, m in PERSON_FIELDS.items():
            self._person_fields[m.variable] = self._person_fields.get(m.variable, ()) + (f,)
        self._enterprise_fields: dict[str, tuple[str, ...]] = {}
        for f, m in ENTERPRISE_FIELDS.items():
            self._enterprise_fields[m.variable] = self._enterprise_fields.get(m.variable, ()) + (f,)
        for f, m in INTERN_FIELDS.items():
            self._enterprise_fields.setdefault(m.variable, (f"interns.{f}",))
        for f, m in EMPLOYEE_FIELDS.items():
            self._enterprise_fields.setdefault(m.variable, (f"employees.{f}",))

    # --- static parts ----------------------------------------------------------------------
    def _static(self, p: Policy) -> _Static:
        variables = self.tbs.variables
        computed = f"{p.id}_eligible" in variables and f"{p.id}_needs_information" in variables
        entity = variables[f"{p.id}_eligible"].entity.key if computed else None
        spec = self.spec.policies.get(p.id)
        rules = self.rules.get(p.id)
        return _Static(
            policy=p, computed=computed, entity=entity,
            materials=list(p.materials),
            channels=Channels.model_validate(p.channels.model_dump(mode="json")),
            steps=[Step.model_validate(s.model_dump(mode="json")) for s in p.steps],
            time_limits=[t.text for t in p.time_limits],
            checks=[Check(text=c.text, document=c.document) for c in p.conditions if c.checked_by == "person"],
            all_checks=[Check(text=c.text, document=c.document) for c in p.conditions],
            spec=spec,
            has_window_condition=bool(rules and "window" in rules.conditions),
        )

    def _contacts_uncached(self, district: str | None, topic: str) -> tuple[tuple, str | None]:
        note = None
        rows = catalogue.find_contacts(self.kb, district=district, topic=topic) if district else []
        if not rows:
            rows = catalogue.find_contacts(self.kb, district="兴安盟", topic=topic)
            note = "不知道所在旗县市，给出的是盟本级电话" if not district else f"资料中没有{district}的对口电话，给出的是盟本级电话"
        contacts = tuple(
            {"district": r["district"], "office": r["office"], "phone": r["phone"], "topic": r["topic"],
             "conflicting": r["conflicting"], "documents": sorted({s["document"] for s in r["sources"]})}
            for r in rows if not r["not_in_league"]
        )
        return contacts, note

    def _how_to_apply_uncached(self, pid: str, district: str | None) -> HowToApply:
        st = self.static[pid]
        contacts, note = self._contacts(district, st.policy.contact_topic)
        return HowToApply(channels=st.channels, steps=st.steps, time_limits=st.time_limits,
                          contacts=[Contact(**c) for c in contacts], note=note)

    def _catalogue_cite(self, p: Policy) -> cz.Cite:
        """The policy's first source in the catalogue (document and section): where it is described."""
        s = p.sources[0]
        return cz.Cite(document=s.document, section=s.section)

    def _window_cite(self, p: Policy, w) -> cz.Cite:
        sections = self.kb.sections_of(w.document, w.quote, p.id)
        return cz.Cite(document=w.document, section=sections[0] if sections else None, quote=w.quote)

    def _window_reason(self, p: Policy, w) -> dict:
        """Closed: since when, and the sentence of the document that sets the end."""
        return line("not_met", f"{w.kind}已于 {rz.fmt(w.end)} 截止", [self._window_cite(p, w)], condition="window")

    def _window_info_uncached(self, pid: str, state: str, which: int | None) -> WindowInfo:
        p = self.static[pid].policy
        if which is None:
            return WindowInfo(state=state)
        w = p.windows[which]
        return WindowInfo(state=state, start=w.start, end=w.end, kind=w.kind, document=w.document, quote=w.quote)

    # --- labels of what is missing ------------------------------------------------------------
    def field_labels(self, name: str, subject: str, pid: str) -> list[dict]:
        """The profile fields (with their Chinese titles) behind a name the rules say is missing."""
        if subject == "person":
            fields = PERSON_DERIVED.get(name) or self._person_fields.get(name)
        else:
            fields = ENTERPRISE_DERIVED.get(name) or self._enterprise_fields.get(name)
            if fields and fields[0].startswith(("interns.", "employees.")):  # a fact about a member of the unit
                group = "interns" if pid == "youth_internship_subsidy" else "employees"
                member = fields[0].split(".", 1)[1]
                if group == "interns" and member not in INTERN_FIELDS:
                    group = "employees"
                fields = (f"{group}.{member}",)
        if not fields and field_title((subject, name)):
            fields = (name,)
        if fields:
            # an amount field's unit suffix (「（分）」, added to auto fields in fen) is not part of what is missing
            return [{"field": f, "label": (field_title((subject, *f.split("."))) or field_title(tuple(f.split("."))) or f)
                     .removesuffix("（分）")} for f in fields]
        variable = self.tbs.variables.get(name)
        label = chinese_name((variable.label if variable is not None else None) or name)
        return [{"field": name, "label": label if CJK.search(label) else "其他情况（资料没有给出中文名称）"}]

    def parameter_label(self, path: str, day: dt.date) -> str:
        """A rules parameter as people read it: its Chinese description, the documents by their titles."""
        node = self.tbs.parameters
        try:
            for part in path.split("."):
                node = node.children[part]
        except (AttributeError, KeyError):
            return "资料中的一项标准"
        text = labels().name_documents(chinese_part(node.description or "")) or "资料中的一项标准"
        since = cz.missing_since(self.tbs, path, day)
        if since is not None:  # an explicit gap of the sources: staff can fill it in the console
            return f"{text}（{rz.fmt(since)}起的数值须由工作人员在工作台录入）"
        return f"{text}（{day.year}年{day.month}月）"

    def references(self, cites: list[cz.Cite], day: dt.date) -> list[dict]:
        """The parameters a line cites from outside the two documents, as structured data."""
        return [r for r in (cz.reference_json(self.tbs, c, day) for c in cites if c is not None) if r]

    # --- the simulation --------------------------------------------------------------------
    # --- screening -------------------------------------------------------------------------
    def screen(self, profile: Any, as_of: dt.date | None = None) -> ScreenResult:
        day = check_as_of(as_of or today())  # AsOfOutOfRange outside the rules' dates
        profile = parse_profile(profile, day)
        month = f"{day.year:04d}-{day.month:02d}"
        period = periods.period(month)
        sim = build_simulation(self.tbs, profile, month)
        instant = day.replace(day=1)
        ctx = Context(self, sim, period, instant, day, profile)
        district = getattr(profile, "district", None)
        results = [self._result(ctx, st, district) for st in self.static.values()]
        summary: dict[str, int] = {}
        for r in results:
            summary[r.status] = summary.get(r.status, 0) + 1
        return ScreenResult(as_of=day, subject=profile.subject, district=district, summary=summary, results=results)

    def _result(self, ctx: Context, st: _Static, district: str | None) -> PolicyResult:
        p = st.policy
        window = p.window_status(ctx.day)
        base: dict[str, Any] = {
            "policy": p.id, "name": p.name, "kind": p.kind, "computed": st.computed,
            "materials": st.materials,
            "how_to_apply": self._how_to_apply(p.id, district),
            "window": self._window_info(p.id, window["state"], _window_index(p, window.get("window"))),
            "missing": [], "reasons": [], "checks_for_you": st.checks if st.computed else st.all_checks,
        }
        subject = ctx.profile.subject
        catalogue = self._catalogue_cite(p)
        if subject not in p.for_ and p.participant is not None and p.participant.subject == subject:
            src = p.participant.source
            base.update(status="needs_information", reasons=[line(
                "info", f"本补贴发给{'、'.join(SUBJECT_LABEL[f] for f in p.for_)}；{p.participant.text}",
                [cz.Cite(document=src.document, section=src.section, quote=src.quote)])])
            return PolicyResult(**base)
        if subject not in p.for_:
            base.update(status="not_eligible", reasons=[line(
                "not_met", f"本政策面向{'、'.join(SUBJECT_LABEL[f] for f in p.for_)}，不适用于{SUBJECT_LABEL[subject]}", [catalogue])])
            return PolicyResult(**base)
        catalogue_closed = window["state"] == "closed"
        if not st.computed:
            if catalogue_closed:
                base.update(status="window_closed", reasons=[self._window_reason(p, window["window"])])
            else:
                what = (f"资料给出了计算标准，但本系统还没有这一项的计算规则，不作计算" if p.kind == "computed"
                        else f"本项是{KIND_LABEL[p.kind]}，系统不作计算")
                base.update(status="needs_information", reasons=[line(
                    "info", f"{what}：{p.gives}请对照下列条件自行确认，或咨询经办机构。", [catalogue])])
                if window["state"] == "not_yet_open":
                    w = window["window"]
                    base["reasons"].append(line("info", f"该政策{w.kind}尚未开始（自 {rz.fmt(w.start)} 起）",
                                                 [self._window_cite(p, w)]))
            return PolicyResult(**base)
        return PolicyResult(**self._computed(ctx, st, base, window, catalogue_closed))

    def _computed(self, ctx: Context, st: _Static, base: dict, window: dict, catalogue_closed: bool) -> dict:
        pid = st.policy.id
        calc = ctx.calc
        eligible = bool(calc(f"{pid}_eligible"))
        known = bool(calc(f"{pid}_eligible_known"))
        needs = bool(calc(f"{pid}_needs_information"))
        missing_names = [m for m in str(calc(f"{pid}_missing_information")).split(",") if m]
        rules = self.rules.get(pid)
        tris = rules.condition_tris(ctx.population(st.entity), ctx.period, self.tbs.get_parameters_at_instant) if rules else {}
        if st.has_window_condition:
            w = tris["window"]
            window_closed = bool(w.known[ctx.index] and not w.value[ctx.index])
        else:
            window_closed = catalogue_closed
        if window_closed:
            status = "window_closed"
        elif known and not eligible:
            status = "not_eligible"
        elif eligible:
            status = "eligible"
        else:
            status = "needs_information"
        reasons: list[dict] = []
        spec = st.spec
        if status == "window_closed":  # one line: closed, since when, and the sentence that says so
            if window.get("window") is not None and window["state"] == "closed":
                reasons.append(self._window_reason(st.policy, window["window"]))
            elif "window" in tris and spec:
                reasons.append(ctx.condition_reason(spec, "window", tris["window"]))
        elif spec and rules:
            reasons += ctx.conditions_reasons(spec, rules, tris, status)
        elif rules:
            reasons += ctx.generic_reasons(rules, tris, status)
        else:  # rules without named conditions (yet): the verdict, and the catalogue's conditions to check
            base["checks_for_you"] = st.all_checks
            reasons.append({"state": {"eligible": "met", "not_eligible": "not_met"}.get(status, "info"), "text": {
                "eligible": "按规则判断，符合条件",
                "not_eligible": "按规则判断，不符合条件（对照下列条件可看出哪一条不满足）",
                "needs_information": "按规则判断，还需要补充情况才能确定",
            }[status]})
        base.update(status=status, reasons=reasons)
        if status in ("needs_information", "eligible") and missing_names:
            facts, params = ctx.missing(missing_names, pid)
            base.update(missing=facts, unknown_parameters=params)
            if status == "eligible":
                reasons.append({"state": "info", "text": "符合条件，但金额或期限还不能完全确定：还需要 "
                                + "、".join(f["label"] for f in facts + params) + "。"})
            elif params:
                cites = [c for c in (cz.parameter_cite(self.tbs, x["parameter"], ctx.day, self.spec) for x in params) if c]
                reasons.append(line("info", "资料没有给出这一日期适用的 " + "、".join(x["label"] for x in params)
                                     + "，无法判断", cites, lead="最近的依据：", references=self.references(cites, ctx.day)))
        if status == "eligible":
            base.update(self._amounts(ctx, st, needs))
            amount_var = spec.amount.variable if spec and spec.amount else _guess_amount(pid, self.tbs.variables)
            if needs and amount_var:
                lower = int(ctx.calc(amount_var))
                if lower > 0:
                    unit = spec.amount.unit if spec and spec.amount else "元"
                    cites = [ctx.cite(spec.amount_reason[0].quotes)] if spec and spec.amount_reason else []
                    reasons.append(line("info", f"目前能确定的部分为 {rz.money(lower / 100)} {unit}（未计入还不知道的部分，"
                                                 f"所以暂不给出金额）", [c for c in cites if c]))
            if spec and spec.notes:
                reasons += ctx.notes(spec)
            if spec and not needs:
                reasons += [r for r in (ctx.amount_reason(a) for a in spec.amount_reason) if r]
        return base

    def _amounts(self, ctx: Context, st: _Static, needs: bool) -> dict:
        spec = st.spec
        out: dict[str, Any] = {}
        amount_var = spec.amount.variable if spec and spec.amount else _guess_amount(st.policy.id, self.tbs.variables)
        months_var = spec.months if spec else None
        if months_var:
            m = int(ctx.calc(months_var))
            out["months"] = m if m > 0 else None
        if amount_var and not needs:
            fen = int(ctx.calc(amount_var))
            out.update(amount=round(fen / 100, 2), amount_fen=fen,
                       unit=spec.amount.unit if spec and spec.amount else "元",
                       amount_label=spec.amount.label if spec and spec.amount else None)
        if spec and not needs:
            figures = []
            for f in spec.figures:
                v = ctx.calc(f.variable)
                if f.variable.endswith("_fen"):
                    value: float | int = round(int(v) / 100, 2)
                elif f.variable.endswith("_bp"):
                    value = round(int(v) / 100, 2)
                else:
                    value = float(v) if isinstance(v, (float, np.floating)) else int(v)
                figures.append({"label": f.label, "value": value, "unit": f.unit})
            out["figures"] = figures
        return out


def _guess_amount(pid: str, variables) -> str | None:
    for name in (f"{pid}_amount_fen", f"{pid}_total_fen", f"{pid}_monthly_amount_fen", f"{pid}_fen"):
        if name in variables:
            return name
    return None


def _window_index(policy, window) -> int | None:
    """The position of the deciding window among the policy's windows (a hashable cache key)."""
    return None if window is None else next(i for i, w in enumerate(policy.windows) if w is window)


@functools.lru_cache(maxsize=1)
def default_screener() -> Screener:
    """The process-wide screener (knowledge base, rules and sentence templates loaded once).

    What is loaded here lives as long as the process, so it is moved out of the garbage
    collector's way (``gc.freeze``): otherwise every full collection walks the whole tax-benefit
    system and knowledge base, which shows as 20–30 ms pauses in a warm process."""
    import gc

    screener = Screener()
    gc.collect()
    gc.freeze()
    return screener


def screen(profile: Any, as_of: dt.date | str | None = None) -> ScreenResult:
    """Screen one person or enterprise (a dict or a profile model) against every policy on ``as_of``
    (default today). Raises ``ProfileError`` naming the field on bad input."""
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    return default_screener().screen(profile, as_of)
