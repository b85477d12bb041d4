"""Rules parameters from the staff console: list them, and change a value with its date and source.

The parameters are OpenFisca YAML files under ``data_dir()/parameters`` ($JIUYE_DATA_DIR): each value
has a start date and a ``metadata.reference``. A change made here is

1. validated: a number in half-width digits, of the parameter's type, decimals and plausible
   bounds (its metadata: `jiuye.rules.parameter_meta`); a start date YYYY-MM-DD after the start of
   the newest value, or inside a span the sources left without a value (an explicit null entry:
   e.g. the league's 统筹地区最低工资标准 from 2021-12-01), and at most $JIUYE_PARAMETER_YEARS_AHEAD
   years ahead; a source; only numeric parameters. Refusals name the field, in Chinese.
2. written into the parameter's YAML as a new dated value (earlier values stay: the rules answer
   for past dates as before; a cited value is never overwritten — only a date the sources left
   without a value (null) may be filled, and that entry is kept in the database row), with a
   reference naming the source and the staff member (``entered_by``, ``entered_at`` in Beijing
   time, ``role``): the screening's reasons show both wherever the value is used. Through a
   temporary file, under a file lock (several server processes), and checked by OpenFisca's own
   loader and the metadata rules,
3. recorded in ``parameter_edits`` (who, when, the value in force on that date before, the new
   value, the start date, the source, the comment, file checksums before and after) in the same
   step: if the database refuses, the file is put back,
4. applied in this process: the rules' parameters are reloaded in place, so screening, batch runs
   and the what-if reforms of this process use the new value from the next request on. Other
   server processes (`jiuye serve --workers N`) see the new row of ``parameter_edits`` (its id is
   the parameters' version stamp) at their next check and reload (`parameter_sync`).

Only numbers can be changed here (amounts, rates, months, counts); yes/no switches and bracket
scales are shown but changed in the YAML by a reviewer (README, 「政府调整政策时怎样更新」).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.models import User, utcnow
from jiuye.cases.parameter_edits import ParameterEdit, parameters_dir, reload_rules  # noqa: F401  (their home before)
from jiuye.config import parameter_edit_years_ahead, today
from jiuye.rules import parameter_meta

#: roles that may change a parameter: the league's centre, the league's 人社局 (盟本级: the rules are the
#: league's, a 旗县市 bureau does not set them) and the admin
EDITOR_ROLES = ("admin", "league_center", "hrss")
BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")
_WRITE_LOCK = threading.Lock()


class ParameterError(ValueError):
    """A refused change; `field` names the form field (Chinese message)."""

    def __init__(self, message: str, field: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.field, self.status = field, status


def may_edit(user: User) -> bool:
    from jiuye.cases.roles import LEAGUE_DISTRICT

    if user.role == "hrss":
        return user.district == LEAGUE_DISTRICT
    return user.role in EDITOR_ROLES


# --- reading ------------------------------------------------------------------------------------
@dataclass
class ParamInfo:
    path: str
    description: str
    unit: str | None
    kind: str  # number | boolean | date | scale
    editable: bool
    value: Any  # in force on the as-of date (None: no value / not given by the sources)
    since: str | None  # start date of that value
    reference: list[dict]
    file: str
    values: list[dict]  # every dated value, newest first: {start, value, reference}
    spec: parameter_meta.Spec | None = None  # type, unit, bounds (numeric parameters)
    context: str = ""  # the descriptions of the nodes it sits in ("失业保险金 › 发放标准…"), root excluded


def _load_node(directory: Path):
    from openfisca_core.parameters import ParameterNode

    return ParameterNode("", directory_path=str(directory))


def _refs(meta: dict | None) -> list[dict]:
    ref = (meta or {}).get("reference") or []
    return [r if isinstance(r, dict) else {"title": str(r)} for r in (ref if isinstance(ref, list) else [ref])]


def list_parameters(on: dt.date | None = None, directory: Path | None = None) -> list[ParamInfo]:
    """Every parameter (leaves and scales), sorted by path, with its value on `on` (default today)."""
    from openfisca_core.parameters import Parameter, ParameterNode, ParameterScale

    directory = directory or parameters_dir()
    day = (on or today()).isoformat()
    out: list[ParamInfo] = []

    def visit(node, trail: tuple[str, ...] = ()) -> None:
        context = " › ".join(trail)
        for child in node.children.values():
            if isinstance(child, ParameterNode):
                visit(child, (*trail, child.description.strip()) if child.description else trail)
            elif isinstance(child, ParameterScale):
                out.append(ParamInfo(path=child.name, description=child.description or "", unit=None, kind="scale",
                                     editable=False, value=None, since=None, reference=_refs(child.metadata),
                                     file=_rel(child.file_path, directory), values=[], context=context))
            elif isinstance(child, Parameter):
                vals = child.values_list  # newest first
                current = next((v for v in vals if v.instant_str <= day), None)
                kind = parameter_meta.value_kind(child)
                refs = _refs(current.metadata) if current is not None else []
                out.append(ParamInfo(
                    path=child.name, description=child.description or "", unit=(child.metadata or {}).get("unit"),
                    kind=kind, editable=kind == "number", value=current.value if current is not None else None,
                    since=current.instant_str if current is not None else None,
                    reference=refs or _refs(child.metadata), file=_rel(child.file_path, directory),
                    values=[{"start": v.instant_str, "value": v.value, "reference": _refs(v.metadata)} for v in vals],
                    spec=parameter_meta.spec_of(child) if kind == "number" else None, context=context))

    visit(_load_node(directory))
    return sorted(out, key=lambda p: p.path)


def get_parameter(path: str, on: dt.date | None = None, directory: Path | None = None) -> ParamInfo:
    for p in list_parameters(on, directory):
        if p.path == path:
            return p
    from jiuye.knowledge.catalogue import nearest

    hint = nearest(path, [p.path for p in list_parameters(on, directory)])
    raise ParameterError(f"没有参数「{path}」" + (f"；您是不是要找：{'、'.join(hint)}" if hint else ""), "path", 404)


def _rel(file_path: str | None, directory: Path) -> str:
    if not file_path:
        return ""
    try:
        return str(Path(file_path).resolve().relative_to(directory.resolve()))
    except ValueError:
        return str(file_path)


def history(s: Session, path: str) -> list[ParameterEdit]:
    return list(s.scalars(select(ParameterEdit).where(ParameterEdit.parameter == path)
                          .order_by(ParameterEdit.id.desc())))


def recent_edits(s: Session, limit: int = 20) -> list[ParameterEdit]:
    return list(s.scalars(select(ParameterEdit).order_by(ParameterEdit.id.desc()).limit(limit)))


# --- validating -----------------------------------------------------------------------------------
def parse_value(text: str, info: ParamInfo) -> int | float:
    """A number typed by staff ("0.9", "1,500"; "1500元", "１２３", "1e308", NaN are refused)."""
    if not (text or "").strip():
        raise ParameterError("新数值为空：请填写新的数值", "value")
    try:
        return parameter_meta.parse_value(text, info.spec)
    except ValueError as exc:
        raise ParameterError(f"新数值{exc}", "value") from None


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def parse_start(text: str, info: ParamInfo | None = None) -> dt.date:
    """The effective date: YYYY-MM-DD in half-width digits, after the start of the parameter's newest
    value or inside a span the sources left without a value (a change never replaces a cited value)
    and at most $JIUYE_PARAMETER_YEARS_AHEAD years ahead."""
    raw = (text or "").strip()
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise ParameterError(f"生效日期「{text}」应为 YYYY-MM-DD 格式的日期（半角数字），如 2027-01-01", "start") from None
    years = parameter_edit_years_ahead()
    now = today()
    latest = now.replace(year=now.year + years, month=12, day=31)
    if day > latest:
        raise ParameterError(f"生效日期「{raw}」过远：最晚可填 {latest.isoformat()}（今天起 {years} 年内）", "start")
    earliest = dt.date(2000, 1, 1)
    if day < earliest:
        raise ParameterError(f"生效日期「{raw}」过早：不能早于 {earliest.isoformat()}", "start")
    newest = info.values[0] if info and info.values else None
    in_force = next((v for v in info.values if v["start"] <= raw), None) if info and info.values else None
    if in_force is not None and in_force["value"] is None and in_force is not newest:
        # a gap of the sources (null from in_force["start"] until the next dated value): filling it
        # replaces no cited value
        return day
    if newest is not None:
        since = dt.date.fromisoformat(newest["start"])
        if day < since:
            gaps = [v["start"] for v in info.values if v["value"] is None and v is not newest]
            raise ParameterError(f"生效日期「{raw}」早于现行数值的生效日期 {since.isoformat()}：修改只能从该日之后生效，"
                                 "以前的数值保持不变" + (f"（资料没有给出数值的时段可以补上，起始于：{'、'.join(sorted(gaps))}）"
                                                   if gaps else ""), "start")
        if day == since and newest["value"] is not None:
            raise ParameterError(f"{since.isoformat()} 已有有依据的数值 {newest['value']}，不能覆盖；"
                                 "请填写更晚的生效日期（新值另起一个日期）", "start")
    return day


# --- writing --------------------------------------------------------------------------------------
def _file_keys(info: ParamInfo) -> list[str]:
    """The keys of the parameter inside its YAML file."""
    rel = Path(info.file)
    prefix = list(rel.parent.parts) if rel.name == "index.yaml" else [*rel.parent.parts, rel.stem]
    parts = info.path.split(".")
    if parts[:len(prefix)] != prefix:
        raise ParameterError(f"参数「{info.path}」与其文件 {info.file} 对不上", "path", 500)
    return parts[len(prefix):]


def _yaml_dump(doc: Any) -> str:
    """The file in the repository's own style (indented lists, "000" in double quotes), so that
    a reviewer's diff shows the new value and little else."""
    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow=False, indentless=False):
            return super().increase_indent(flow, False)

        def ignore_aliases(self, data):  # shared values (merge keys in the file) are written out in full
            return True

    def str_repr(dumper, value: str):
        style = "|" if "\n" in value else None
        if style is None and dumper.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str":
            style = '"'  # would read back as a number, date or boolean
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, str_repr)
    return yaml.dump(doc, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False)


def edit_parameter(s: Session, actor: User, path: str, value_text: str, start_text: str, source: str,
                   comment: str = "", *, directory: Path | None = None, reload: bool = True) -> ParameterEdit:
    """Add a new dated value of `path` from `start` (or fill a date left null); see the module docstring."""
    from openfisca_core.parameters import load_parameter_file

    if not may_edit(actor):
        from jiuye.cases import roles

        raise ParameterError(f"只有盟中心、人社局人员或管理员可以修改规则参数；您是{roles.label(actor.role)}", None, 403)
    directory = directory or parameters_dir()
    info = get_parameter(path, directory=directory)
    if not info.editable:
        kind = {"scale": "分档表", "date": "日期"}.get(info.kind, "是/否")
        raise ParameterError(f"参数「{path}」不是数值参数（{kind}），"
                             "请由审核人员在 YAML 中修改", "path")
    value = parse_value(value_text, info)
    start = parse_start(start_text, info)
    source = (source or "").strip()
    if not source:
        raise ParameterError("请填写依据（文件名称、文号、条款或网址）", "source")
    if len(source) > 1000:
        raise ParameterError("依据过长（最多 1000 字）", "source")
    comment = (comment or "").strip()[:2000]
    iso = start.isoformat()
    file_path = directory / info.file
    with _WRITE_LOCK, _file_lock(directory):
        info = get_parameter(path, directory=directory)  # again, under the lock: another process may have
        start = parse_start(start_text, info)  # added a value meanwhile
        old = next((v for v in info.values if v["start"] <= iso), None)
        replaced = next((v for v in info.values if v["start"] == iso), None)
        before = file_path.read_bytes()
        doc = yaml.load(before.decode("utf-8"), Loader=yaml.SafeLoader)
        node = doc
        for key in _file_keys(info):  # copies along the path: YAML anchors / merge keys share objects
            node[key] = dict(node[key])
            node = node[key]
        values = node.get("values")
        if not isinstance(values, dict):
            raise ParameterError(f"参数「{path}」的文件中没有 values，不能在此修改", "path", 500)
        at = utcnow()
        when = at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
        name = actor.display_name or actor.username
        entry = {"value": value, "metadata": {"reference": [{
            "title": source,
            "entered_by": name,
            "entered_at": when,
            "role": actor.role,
            "official": False,
            "note": f"{name}（{actor.username}）于 {when}（北京时间）在工作台录入" + (f"：{comment}" if comment else ""),
        }]}}
        new_values = {k: v for k, v in values.items() if _date_key(k) != start}
        new_values[start] = entry
        node["values"] = dict(sorted(new_values.items(), key=lambda kv: _date_key(kv[0])))
        text = _yaml_dump(doc)
        after = text.encode("utf-8")
        tmp = file_path.with_name(f".{file_path.name}.edit-{os.getpid()}-{threading.get_ident()}")
        tmp.write_bytes(after)
        try:
            loaded = load_parameter_file(str(tmp), name=_file_node_name(info))  # OpenFisca's own check
            found = parameter_meta.problems(_as_node(loaded))
            if found:
                raise ValueError("; ".join(found))
        except Exception as exc:  # noqa: BLE001 - any loader error refuses the change
            tmp.unlink(missing_ok=True)
            raise ParameterError(f"写入后参数文件无法加载，未修改：{exc}".replace(str(directory), "parameters"),
                                 "value", 500) from None
        os.replace(tmp, file_path)
        row = ParameterEdit(at=at, parameter=path, start=start, old_value=old["value"] if old else None,
                            replaced=_jsonable(replaced), new_value=value, source=source, comment=comment or None,
                            user_id=actor.id, user_name=actor.display_name or actor.username, user_role=actor.role,
                            file=info.file, sha256_before=hashlib.sha256(before).hexdigest(),
                            sha256_after=hashlib.sha256(after).hexdigest())
        try:
            s.add(row)
            s.commit()
        except BaseException:
            s.rollback()
            file_path.write_bytes(before)  # the database refused: the file goes back as it was
            raise
    if reload and reload_rules(directory):
        from jiuye.cases import parameter_sync

        parameter_sync.loaded(row.id)
    return row


@contextlib.contextmanager
def _file_lock(directory: Path):
    """One editor at a time across the server's processes (the threads of one take _WRITE_LOCK)."""
    with open(directory / ".edit.lock", "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _file_node_name(info: ParamInfo) -> str:
    rel = Path(info.file)
    parts = list(rel.parent.parts) if rel.name == "index.yaml" else [*rel.parent.parts, rel.stem]
    return ".".join(parts)


def _as_node(loaded):
    """What load_parameter_file returned, as something parameter_meta.problems can walk."""
    from openfisca_core.parameters import Parameter

    if isinstance(loaded, Parameter):
        class _One:
            children = {loaded.name: loaded}
        return _One()
    return loaded


def _date_key(k: Any) -> dt.date:
    if isinstance(k, dt.datetime):
        return k.date()
    if isinstance(k, dt.date):
        return k
    return dt.date.fromisoformat(str(k))


def _jsonable(v: Any) -> Any:
    return json.loads(json.dumps(v, ensure_ascii=False, default=str)) if v is not None else None
