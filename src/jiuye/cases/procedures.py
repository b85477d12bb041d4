"""Procedures as data (data/procedures/*.yaml): for each service or subsidy the documents give steps
for, its states, the role that acts in each state, the materials checklist and the time limits.

A case moves only along its procedure's transitions; `Procedure.find_move` explains a refusal in
Chinese, naming the moves that are possible from the current state.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jiuye.cases.roles import BY_LABEL, ROLES, label
from jiuye.config import data_dir
from jiuye.knowledge.loader import parse_yaml, validation_problems


class ProcedureError(ValueError):
    """A procedure file is invalid: names the file, the entry and the field."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceRef(Strict):
    document: Literal["000", "003"]
    quote: str = Field(min_length=2)


class TimeLimit(Strict):
    days: int = Field(ge=1, description="工作日、日历日或月数（day_type: month 时为月数）")
    day_type: Literal["working", "calendar", "month"]
    text: str
    from_field: str | None = Field(default=None, description="起算日期取自案件的哪个字段（如 hire_date）；默认进入本状态之日")
    source: SourceRef | None = None
    hold: bool = Field(default=False, description="true：期满前不能进入下一步（如公示期），标了 early 的转移除外")


def _known_role(v: str | None) -> str | None:
    """A role as the procedures name it (中文名), or None."""
    if v is not None and v not in BY_LABEL:
        raise ValueError(f"未知的角色「{v}」；可选：{'、'.join(ROLES.values())}")
    return v


class State(Strict):
    label: str
    role: str | None = Field(default=None, description="在此状态下办理的角色（中文名）；终态为空")
    final: bool = False
    step: str | None = Field(default=None, description="资料中这一步的原文或概述")
    time_limit: TimeLimit | None = None
    outcome: Literal["approved", "rejected", "withdrawn", "paid", "done", "stopped"] | None = None
    source: SourceRef | None = Field(default=None, description="资料中写这一步的原句（加载时与原文逐字核对）")
    assumption: str | None = Field(default=None, description="资料没有写这一步（或其办理机构、时限）时的说明：按通常的受理 → 审核 → 决定推定")

    @field_validator("role")
    @classmethod
    def _role(cls, v):
        return _known_role(v)

    @property
    def role_code(self) -> str | None:
        return BY_LABEL[self.role] if self.role else None


class Transition(Strict):
    from_: list[str] = Field(alias="from")
    to: str
    action: str
    by: str | None = Field(default=None, description="办理角色；默认为 from 状态的角色")
    comment: Literal["required", "optional"] = "optional"
    early: bool = Field(default=False, description="公示等等待期内也可以做（如公示有异议）")
    recurring: bool = Field(default=False, description="可反复办理、状态不变的一步（按月发放、按季贴息）：from 与 to 是同一状态")
    source: SourceRef | None = Field(default=None, description="资料中写这一步的原句")
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("from_", mode="before")
    @classmethod
    def _listify(cls, v):
        return [v] if isinstance(v, str) else v

    @field_validator("by")
    @classmethod
    def _by(cls, v):
        return _known_role(v)


class Move(BaseModel):
    """One allowed move out of a state, resolved (role code filled in)."""
    from_state: str
    to: str
    action: str
    role: str  # role code
    comment_required: bool
    early: bool
    recurring: bool = False


class Procedure(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    policy: str
    name: str
    variant: str | None = Field(default=None, description="同一政策有几个办理流程时，本流程是哪一个（申领、更换、补发；见习人员报名、见习单位申领补贴）")
    applicant: Literal["person", "enterprise"]
    no_application: bool = Field(default=False, description="免申即享：由批量筛查结果建案，经办人员确认后发放")
    start: str
    window_start: str | None = Field(default=None, description="到就业服务中心窗口申请、由中心人员代为建案时的起始状态")
    fields: dict[str, str] = Field(default={}, description="建案时需填写的字段：名称 -> 中文说明（日期字段以 _date 结尾）")
    materials: list[str] | None = Field(default=None, description="材料清单；不写则用政策目录中的材料")
    materials_sources: list[SourceRef] = Field(default=[], description="materials 所据的原句（写了 materials 就必须写）")
    sources: list[SourceRef] = Field(min_length=1)
    states: dict[str, State]
    transitions: list[Transition]
    notes: list[str] = []

    @model_validator(mode="after")
    def _consistent(self):
        names = set(self.states)
        if self.start not in names:
            raise ValueError(f"start「{self.start}」不是已定义的状态")
        if self.window_start is not None and self.window_start not in names:
            raise ValueError(f"window_start「{self.window_start}」不是已定义的状态")
        if self.materials is not None and not self.materials_sources:
            raise ValueError("写了 materials（材料清单）就须写 materials_sources（资料原句）")
        for t in self.transitions:
            if t.recurring and t.from_ != [t.to]:
                raise ValueError(f"转移「{t.action}」标了 recurring，from 与 to 须是同一个状态")
            if not t.recurring and t.to in t.from_:
                raise ValueError(f"转移「{t.action}」从「{t.to}」回到自身，须标 recurring: true（反复办理的一步）")
            for s in [*t.from_, t.to]:
                if s not in names:
                    raise ValueError(f"转移「{t.action}」用到未定义的状态「{s}」")
            for s in t.from_:
                if self.states[s].final:
                    raise ValueError(f"终态「{s}」不能再转移（转移「{t.action}」）")
                if t.by is None and self.states[s].role is None:
                    raise ValueError(f"转移「{t.action}」：状态「{s}」没有办理角色，须写 by")
        for name, st in self.states.items():
            if st.final and st.role:
                raise ValueError(f"终态「{name}」不应有办理角色")
            if not st.final and not st.role:
                raise ValueError(f"状态「{name}」须写办理角色 role")
            if not st.final and not any(name in t.from_ for t in self.transitions):
                raise ValueError(f"非终态「{name}」没有任何出路")
            if st.time_limit and st.time_limit.from_field and st.time_limit.from_field not in self.fields:
                raise ValueError(f"状态「{name}」的期限起算字段「{st.time_limit.from_field}」不在 fields 中")
        reach, todo = {self.start}, [self.start]
        while todo:
            s = todo.pop()
            for t in self.transitions:
                if s in t.from_ and t.to not in reach:
                    reach.add(t.to)
                    todo.append(t.to)
        if names - reach:
            raise ValueError(f"状态 {sorted(names - reach)} 从 start 无法到达")
        seen = set()
        for t in self.transitions:
            for s in t.from_:
                if (s, t.to) in seen:
                    raise ValueError(f"从「{s}」到「{t.to}」的转移重复")
                seen.add((s, t.to))
        return self

    # --- queries ---------------------------------------------------------------------------
    def moves_from(self, state: str) -> list[Move]:
        out = []
        for t in self.transitions:
            if state in t.from_:
                role = BY_LABEL[t.by] if t.by else self.states[state].role_code
                out.append(Move(from_state=state, to=t.to, action=t.action, role=role,
                                comment_required=t.comment == "required", early=t.early, recurring=t.recurring))
        return out

    def main_path(self) -> list[str]:
        """The states of the usual course, in order: from `start`, each time the first move in the file
        that neither needs a reason (退回, 不予…), nor repeats, nor goes back, nor withdraws, up to a
        final state. The apply page lists these steps; the tests walk them."""
        path, here = [self.start], self.start
        while not self.states[here].final:
            nxt = next((t.to for t in self.transitions if here in t.from_ and t.comment != "required"
                        and not t.recurring and t.to not in path and self.states[t.to].outcome != "withdrawn"), None)
            if nxt is None:
                break
            path.append(nxt)
            here = nxt
        return path

    def state_label(self, state: str) -> str:
        st = self.states.get(state)
        return st.label if st else state

    def find_move(self, state: str, to: str) -> Move:
        """The move from `state` to `to`, or InvalidMove saying which moves exist."""
        for m in self.moves_from(state):
            if m.to == to:
                return m
        options = self.moves_from(state)
        here = f"「{self.name}」案件当前为「{self.state_label(state)}」"
        target = f"「{self.state_label(to)}」" if to in self.states else f"「{to}」（本流程没有这个状态）"
        if not options:
            raise InvalidMove(f"{here}，已办结，不能再转为{target}", options)
        listed = "；".join(f"{m.action} → {self.state_label(m.to)}（{m.to}，由{label(m.role)}办理）" for m in options)
        raise InvalidMove(f"{here}，不能转为{target}。可以：{listed}", options)


class InvalidMove(ValueError):
    def __init__(self, message: str, options: list[Move]):
        super().__init__(message)
        self.options = options


def load_procedures(folder: Path | None = None, kb=None) -> dict[str, Procedure]:
    folder = folder or data_dir() / "procedures"
    out: dict[str, Procedure] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            raw = parse_yaml(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ProcedureError(f"{path}: 不是有效的 YAML：{exc}") from None
        try:
            proc = Procedure.model_validate(raw)
        except ValidationError as exc:
            raise ProcedureError(f"{path}: {validation_problems(exc)}") from None
        if proc.id != path.stem:
            raise ProcedureError(f"{path}: id「{proc.id}」应与文件名一致")
        if kb is not None:
            if proc.policy not in kb.policies:
                raise ProcedureError(f"{path}: policy「{proc.policy}」不在政策目录中")
            for s in proc.sources:
                if not kb.quote_in_source(s.document, s.quote):
                    raise ProcedureError(f"{path}: 引文与{s.document}号资料原文不一致：「{s.quote}」")
            for name, st in proc.states.items():
                src = st.time_limit.source if st.time_limit else None
                if src and not kb.quote_in_source(src.document, src.quote):
                    raise ProcedureError(f"{path}: 状态「{name}」期限引文与{src.document}号资料原文不一致")
                if st.source and not kb.quote_in_source(st.source.document, st.source.quote):
                    raise ProcedureError(f"{path}: 状态「{name}」引文与{st.source.document}号资料原文不一致：「{st.source.quote}」")
            for t in proc.transitions:
                if t.source and not kb.quote_in_source(t.source.document, t.source.quote):
                    raise ProcedureError(f"{path}: 转移「{t.action}」引文与{t.source.document}号资料原文不一致：「{t.source.quote}」")
            for s in proc.materials_sources:
                if not kb.quote_in_source(s.document, s.quote):
                    raise ProcedureError(f"{path}: 材料引文与{s.document}号资料原文不一致：「{s.quote}」")
        out[proc.id] = proc
    _check_siblings(out, kb)
    return out


def _check_siblings(procs: dict[str, Procedure], kb) -> None:
    """A policy with several procedures (《就业创业证》申领、更换、补发; 就业见习 for the unit and for the
    young person): each says which one it is (`variant`, distinct), so /apply/<policy>, the console
    and `jiuye cases procedures` can offer the choice by name. A procedure's applicant is someone the
    policy is for, or the policy's participant (the young person in 就业见习, whose unit is paid)."""
    by_policy: dict[str, list[Procedure]] = {}
    for proc in procs.values():
        by_policy.setdefault(proc.policy, []).append(proc)
    for policy, group in by_policy.items():
        if len(group) > 1:
            variants = [p.variant for p in group]
            if None in variants or len(set(variants)) != len(variants):
                raise ProcedureError(f"政策「{policy}」有 {len(group)} 个办理流程（{'、'.join(p.id for p in group)}），"
                                     "每个都须写不同的 variant（如 申领、更换、补发）")
    if kb is None:
        return
    for proc in procs.values():
        pol = kb.policies[proc.policy]
        participant = pol.participant.subject if pol.participant else None
        if proc.applicant not in pol.for_ and proc.applicant != participant:
            raise ProcedureError(f"{proc.id}: 申请人（{proc.applicant}）不是政策「{pol.name}」面向的对象，"
                                 "也不是它写明的参加者（participant）")


def procedures_of(policy_id: str) -> list[Procedure]:
    """The procedures of a policy, the one named like the policy first (《就业创业证》申领), then by id."""
    found = [p for p in get_procedures().values() if p.policy == policy_id]
    return sorted(found, key=lambda p: (p.id != policy_id, p.id))


@functools.lru_cache(maxsize=2)
def _cached(folder: str) -> dict[str, Procedure]:
    from jiuye.knowledge.loader import get_knowledge

    return load_procedures(Path(folder), get_knowledge())


def get_procedures() -> dict[str, Procedure]:
    return _cached(str(data_dir() / "procedures"))


def procedures_with_role(role_code: str) -> list[str]:
    """The procedures in which `role_code` takes some step (a state's role or a transition's `by`)."""
    out = []
    for pid, proc in get_procedures().items():
        codes = {st.role_code for st in proc.states.values()} | {BY_LABEL[t.by] for t in proc.transitions if t.by}
        if role_code in codes:
            out.append(pid)
    return out


def states_from_role(role_code: str) -> dict[str, list[str]]:
    """For a partner role (经办银行): per procedure, the states from the first one the role acts in
    onwards (that state and every state reachable from it). A bank sees a loan once it is referred
    (银行审贷), and its later course (放款、贴息、结清), never the applications still at the centre."""
    out: dict[str, list[str]] = {}
    for pid, proc in get_procedures().items():
        acting = {name for name, st in proc.states.items() if st.role_code == role_code}
        acting |= {s for t in proc.transitions if t.by and BY_LABEL[t.by] == role_code for s in t.from_}
        if not acting:
            continue
        seen, todo = set(acting), list(acting)
        while todo:
            here = todo.pop()
            for t in proc.transitions:
                if here in t.from_ and t.to not in seen:
                    seen.add(t.to)
                    todo.append(t.to)
        out[pid] = sorted(seen)
    return out


def materials_of(proc: Procedure) -> list[str]:
    if proc.materials is not None:
        return proc.materials
    from jiuye.knowledge.loader import get_knowledge

    return list(get_knowledge().policies[proc.policy].materials)
