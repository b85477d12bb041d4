"""What a batch computes, decided once in the driving process: the policies, their variables, labels.

Everything here comes from the screening (``jiuye.screening.Screener``): which catalogue policies the
rules compute for the subject, which variable holds the amount and the months, whether the rules
have an acceptance-window condition or the catalogue's window decides, and the Chinese names of the
facts a policy may still need. The plan is plain data, so it travels to Dask workers as it is.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from types import SimpleNamespace

from jiuye.rules import build_system, find_parameter


@dataclass(frozen=True)
class PolicyPlan:
    id: str
    name: str
    entity: str
    has_window_condition: bool
    catalogue_closed: bool
    amount_variable: str | None
    unit: str
    amount_label: str | None
    months_variable: str | None
    total_variable: str | None  # the rules' 合计 figure, where there is one


@dataclass
class Plan:
    subject: str
    as_of: dt.date
    policies: list[PolicyPlan]
    labels: dict[str, str]  # a missing name of the rules -> its Chinese label
    policy_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # per-policy overrides

    @property
    def month(self) -> str:
        return f"{self.as_of.year:04d}-{self.as_of.month:02d}"

    def label(self, pid: str, name: str) -> str:
        own = self.policy_labels.get(pid)
        if own and name in own:
            return own[name]
        return self.labels.get(name, name)


@functools.lru_cache(maxsize=16)
def build_plan(subject: str, as_of: dt.date, policies: tuple[str, ...] | None = None) -> Plan:
    """The plan for ``subject`` on ``as_of`` (all the subject's computed policies, or ``policies``)."""
    from jiuye.screening.context import chinese_name
    from jiuye.screening.service import _guess_amount, default_screener

    s = default_screener()
    out: list[PolicyPlan] = []
    for pid, st in s.static.items():
        if not st.computed or st.entity != subject or subject not in st.policy.for_:
            continue
        if policies and pid not in policies:
            continue
        spec = st.spec
        amount_var = spec.amount.variable if spec and spec.amount else _guess_amount(pid, s.tbs.variables)
        total = None
        for f in (spec.figures if spec else []):
            if "合计" in f.label and f.variable.endswith("_fen"):
                total = f.variable
        out.append(PolicyPlan(
            id=pid, name=chinese_name(st.policy.name), entity=st.entity, has_window_condition=st.has_window_condition,
            catalogue_closed=st.policy.window_status(as_of)["state"] == "closed",
            amount_variable=amount_var, unit=spec.amount.unit if spec and spec.amount else "元",
            amount_label=spec.amount.label if spec and spec.amount else None,
            months_variable=spec.months if spec else None, total_variable=total,
        ))
    labels, per_policy = _labels(s, subject, as_of, [p.id for p in out])
    return Plan(subject=subject, as_of=as_of, policies=out, labels=labels, policy_labels=per_policy)


def _labels(s, subject: str, as_of: dt.date, pids: list[str]) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The screening's own names for what is missing (profile field titles; parameter descriptions)."""
    from jiuye.screening.context import ENTERPRISE_DERIVED, PERSON_DERIVED, Context

    from jiuye.screening.checks import field_title

    ctx = Context(s, None, None, as_of.replace(day=1), as_of, SimpleNamespace(subject=subject))
    names = set(s.tbs.variables) | set(PERSON_DERIVED if subject == "person" else ENTERPRISE_DERIVED)
    if subject == "enterprise":
        names |= {"employees", "interns"}

    def text(name: str, pid: str) -> str:
        parts = []
        for f in ctx._fields_for(name, pid):
            label = f["label"]
            if subject == "enterprise" and label == f["field"]:
                # the screening's field_title reads person fields unless told otherwise
                label = field_title(("enterprise",) + tuple(f["field"].split("."))) or label
            if f["field"].split(".")[0] in ("interns", "employees"):
                label = f"{label}（名册中每个单位一行，无法列出，需逐个单位补充）"
            parts.append(label)
        return "、".join(parts)

    labels: dict[str, str] = {}
    for name in names:
        labels[name] = text(name, "")
    for path in _parameter_paths(s.tbs.parameters):
        labels[f"parameters/{path.replace('.', '/')}"] = "资料未给出：" + ctx._parameter_label(path)
    for pid in pids:  # another policy's verdict used as a fact
        name = f"{pid}_eligible"
        labels[name] = f"是否符合「{s.static[pid].policy.name}」"
    per_policy: dict[str, dict[str, str]] = {}
    if subject == "enterprise":
        for pid in pids:
            own = {}
            for name in s.tbs.variables:
                t = text(name, pid)
                if t != labels.get(name):
                    own[name] = t
            if own:
                per_policy[pid] = own
    return labels, per_policy


def _parameter_paths(node, prefix: str = "") -> list[str]:
    out = []
    children = getattr(node, "children", None)
    if children is None:
        return [prefix] if prefix else []
    if prefix:
        out.append(prefix)
    for name, child in children.items():
        out += _parameter_paths(child, f"{prefix}.{name}" if prefix else name)
    return out


# ---------------------------------------------------------------------------------------------
# What-if: parameters changed from the as-of date


class WhatIfError(ValueError):
    pass


def parse_sets(items: list[str]) -> list[tuple[str, object]]:
    """``PARAM=VALUE`` items -> [(path, value)], checked against the rules' parameters."""
    import yaml

    from jiuye.rules import parameter_meta

    tbs = build_system()
    out = []
    for item in items or []:
        if "=" not in item:
            raise WhatIfError(f"--set「{item}」应写成 参数路径=数值，如 job_retention_refund.refund_rate.sme=0.8")
        path, raw = item.split("=", 1)
        path = path.strip().replace("/", ".")
        node = find_parameter(tbs.parameters, path)
        if node is None:
            import difflib

            near = difflib.get_close_matches(path, _leaf_paths(tbs.parameters), n=3, cutoff=0.5)
            raise WhatIfError(f"没有参数「{path}」" + (f"；是不是：{'、'.join(near)}？" if near else "（参数见 /openfisca/parameters）"))
        if getattr(node, "children", None) is not None:
            leaves = [p for p in _leaf_paths(node, path)][:8]
            raise WhatIfError(f"「{path}」是一组参数，请指定其中一项：{'、'.join(leaves)}")
        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError:
            value = raw
        if not isinstance(value, (int, float, bool)) and value is not None:
            raise WhatIfError(f"--set {path} 的值应为数字、true/false 或 null，而不是「{raw}」")
        if value is not None and parameter_meta.value_kind(node) == "number":
            reason = parameter_meta.check_value(parameter_meta.spec_of(node), value)
            if reason:
                raise WhatIfError(f"--set {path} 的值{reason}")
        out.append((path, value))
    return out


def _leaf_paths(node, prefix: str = "") -> list[str]:
    children = getattr(node, "children", None)
    if children is None:
        return [prefix]
    out = []
    for name, child in children.items():
        out += _leaf_paths(child, f"{prefix}.{name}" if prefix else name)
    return out


@functools.lru_cache(maxsize=8)
def reform_system(sets: tuple[tuple[str, object], ...], as_of: dt.date):
    """The rules with each parameter set to its new value from the first day of the as-of month
    (parameters are read at the first day of the month) onwards."""
    from openfisca_core.reforms import Reform

    start = as_of.replace(day=1).isoformat()

    class WhatIf(Reform):
        name = "what-if: " + ", ".join(f"{p}={v}" for p, v in sets)

        def apply(self) -> None:
            def modify(parameters):
                for path, value in sets:
                    find_parameter(parameters, path).update(start=start, value=value)
                return parameters

            self.modify_parameters(modifier_function=modify)

    return WhatIf(build_system())
