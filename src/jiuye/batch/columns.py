"""Which column is which field, and what a cell means.

Headers are matched to the fields of the screening profile (``jiuye schema profile``): the user's
``--mapping`` file first, then ``data/batch/columns.yaml``, then the field names and the profile's
own Chinese titles. Cell values are read the way the profile reads them: each distinct raw value
of a column is normalised once (是/否, 男/女, 2021/6/15 …, vocabularies in columns.yaml), validated
with the profile field's own pydantic type (bounds, allowed values) and converted with the
screening's own mapping to the rules (``jiuye.screening.profile.PERSON_FIELDS`` / ``ENTERPRISE_FIELDS``:
元 → fen, district → the rules' district …). Nothing about a field's type is written twice.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import yaml
from pydantic import TypeAdapter, ValidationError

from jiuye.config import data_dir
from jiuye.screening import checks
from jiuye.screening import profile as pf
from jiuye.screening import typed

SUBJECTS = ("person", "enterprise")
# Fields of a batch row that are not profile fields.
EXTRA_FIELDS = {
    "person": {"name": "姓名"},
    "enterprise": {"name": "单位名称", "credit_code": "统一社会信用代码"},
}
IGNORE = "ignore"


class MappingError(ValueError):
    """A mapping file that cannot be used (Chinese message)."""


def norm_header(text: Any) -> str:
    s = unicodedata.normalize("NFKC", str(text if text is not None else "")).strip()
    return re.sub(r"\s+", "", s).lstrip("\ufeff")


def _strip_brackets(s: str) -> str:
    return re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", "", s)


@dataclass(frozen=True)
class FieldSpec:
    """How one profile field is read: its kind, its pydantic type, its conversion to the rules."""

    name: str
    title: str
    kind: str  # bool | int | float | decimal | date | choice | district | text
    variable: str | None  # the rules' input variable (None: not a rules input, e.g. name, has_spouse)
    choices: tuple[str, ...] = ()


def _base(annotation) -> tuple[Any, tuple]:
    """(plain type, Literal choices) of an Optional/Annotated profile annotation."""
    args = get_args(annotation)
    origin = get_origin(annotation)
    if origin is Literal:
        return str, tuple(args)
    if args and type(None) in args:  # Optional[X]
        inner = [a for a in args if a is not type(None)]
        return _base(inner[0])
    if getattr(annotation, "__metadata__", None) is not None:  # Annotated[X, ...]
        return _base(args[0])
    return annotation, ()


@functools.lru_cache(maxsize=2)
def field_specs(subject: str) -> dict[str, FieldSpec]:
    """Every readable field of a flat row for ``subject``."""
    from decimal import Decimal

    model = pf.PersonProfile if subject == "person" else pf.EnterpriseProfile
    fmap = pf.PERSON_FIELDS if subject == "person" else pf.ENTERPRISE_FIELDS
    specs: dict[str, FieldSpec] = {}
    for name, info in model.model_fields.items():
        if name in ("subject", "household", "interns", "employees"):
            continue
        base, choices = _base(info.annotation)
        if name == "district":
            kind = "district"
        elif name == "id_number":
            kind = "text"
        elif choices:
            kind = "choice"
        elif base is bool:
            kind = "bool"
        elif base is int:
            kind = "int"
        elif base is float:
            kind = "float"
        elif base is Decimal:
            kind = "decimal"
        elif base is dt.date:
            kind = "date"
        else:
            kind = "text"
        variable = fmap[name].variable if name in fmap else None
        specs[name] = FieldSpec(name, info.title or name, kind, variable, tuple(choices))
    for name, title in EXTRA_FIELDS[subject].items():
        specs[name] = FieldSpec(name, title, "text", None)
    return specs


@functools.lru_cache(maxsize=64)
def _adapter(subject: str, name: str) -> TypeAdapter:
    model = pf.PersonProfile if subject == "person" else pf.EnterpriseProfile
    return TypeAdapter(model.model_fields[name].annotation)


# ---------------------------------------------------------------------------------------------
# The mapping: data/batch/columns.yaml + the user's file


@dataclass
class Mapping:
    subject: str
    required: list[str]
    key: str
    aliases: dict[str, str]  # normalised header -> field (or "ignore")
    group_headers: set[str]
    group_values: dict[str, str]  # normalised group name -> bool field
    unknown: set[str]
    vocab: dict[str, dict[str, Any]]  # field or kind ('boolean') -> {normalised raw: value}
    display: dict[str, list[str]] = field(default_factory=dict)  # field -> the first spelling of each value
    source: list[str] = field(default_factory=list)

    def resolve(self, headers: list[str]) -> Resolution:
        """Which header is which field; headers that map to nothing; duplicates."""
        specs = field_specs(self.subject)
        by_title: dict[str, str] = {}
        for name, spec in specs.items():
            by_title.setdefault(norm_header(name).lower(), name)
            by_title.setdefault(norm_header(spec.title), name)
            by_title.setdefault(_strip_brackets(norm_header(spec.title)), name)
        fields: dict[str, str] = {}  # header -> field
        groups: list[str] = []
        ignored: list[str] = []
        unmapped: list[str] = []
        taken: dict[str, str] = {}
        warnings: list[str] = []
        for h in headers:
            n = norm_header(h)
            candidates = [n, _strip_brackets(n), n.lower()]
            target = next((self.aliases[c] for c in candidates if c in self.aliases), None)
            if target is None and any(c in self.group_headers for c in candidates):
                groups.append(h)
                continue
            if target is None:
                target = next((by_title[c] for c in candidates if c in by_title), None)
            if target == IGNORE:
                ignored.append(h)
                continue
            if target is None:
                unmapped.append(h)
                continue
            if target in taken:
                warnings.append(f"列「{h}」和「{taken[target]}」都对应「{specs[target].title}」，只用第一列「{taken[target]}」")
                ignored.append(h)
                continue
            taken[target] = h
            fields[h] = target
        missing = [r for r in self.required if r not in taken]
        return Resolution(fields, groups, ignored, unmapped, missing, warnings)


@dataclass
class Resolution:
    fields: dict[str, str]
    groups: list[str]
    ignored: list[str]
    unmapped: list[str]
    missing_required: list[str]
    warnings: list[str]

    def header_of(self, field_name: str) -> str | None:
        return next((h for h, f in self.fields.items() if f == field_name), None)


def _norm_value(v: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(v))).upper()


def load_mapping(subject: str, user_file: str | Path | None = None, base_file: Path | None = None) -> Mapping:
    """The mapping for ``subject``: columns.yaml, overridden by the user's file."""
    if subject not in SUBJECTS:
        raise MappingError(f"对象应为 person 或 enterprise，而不是「{subject}」")
    base_path = base_file or data_dir() / "batch" / "columns.yaml"
    base = yaml.safe_load(base_path.read_text(encoding="utf-8")) or {}
    specs = field_specs(subject)
    part = base.get(subject) or {}
    m = Mapping(subject=subject, required=list(part.get("required", [])), key=part.get("key", "id_number"),
                aliases={}, group_headers=set(), group_values={}, unknown=set(), vocab={}, source=[str(base_path)])
    _apply(m, part, base.get("values") or {}, specs, str(base_path))
    if user_file:
        path = Path(user_file)
        try:
            user = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise MappingError(f"读不到映射文件「{path}」：{exc.strerror or exc}") from None
        except yaml.YAMLError as exc:
            raise MappingError(f"映射文件「{path}」不是有效的 YAML：{exc}") from None
        if not isinstance(user, dict):
            raise MappingError(f"映射文件「{path}」应为 YAML 对象：columns: {{表头: 字段}}")
        upart = user.get(subject, user)
        _apply(m, upart, user.get("values") or {}, specs, str(path), user=True)
        m.source.append(str(path))
    return m


def _apply(m: Mapping, part: dict, values: dict, specs: dict[str, FieldSpec], where: str, user: bool = False) -> None:
    columns = part.get("columns") or {}
    if not isinstance(columns, dict):
        raise MappingError(f"{where}：columns 应为「表头: 字段」或「字段: [表头, …]」")
    for k, v in columns.items():
        # either "field: [header, …]" (columns.yaml) or "header: field" (a user's file)
        if isinstance(v, list):
            field_name, headers = str(k), [str(x) for x in v]
        elif v == IGNORE or str(k) in specs and not user:
            field_name, headers = (IGNORE, [str(k)]) if v == IGNORE else (str(k), [str(v)])
        else:
            field_name, headers = str(v), [str(k)]
        if field_name != IGNORE and field_name not in specs:
            near = _nearest(field_name, list(specs))
            raise MappingError(f"{where}：「{field_name}」不是情况表中的字段" + (f"；是不是 {near}？" if near else "")
                               + "（字段名见 jiuye schema profile）")
        for h in headers:
            n = norm_header(h)
            m.aliases[n] = field_name
            m.aliases[n.lower()] = field_name
    if part.get("required") and user:
        m.required = list(part["required"])
    groups = part.get("groups") or {}
    for h in groups.get("headers", []):
        m.group_headers.add(norm_header(h))
    for g, f in (groups.get("values") or {}).items():
        if f not in specs or specs[f].kind != "bool":
            raise MappingError(f"{where}：人员类别「{g}」对应的「{f}」不是情况表中的是/否字段")
        m.group_values[_norm_value(g)] = f
    for u in values.get("unknown", []) or []:
        m.unknown.add(_norm_value(u))
    for key, table in values.items():
        if key == "unknown" or not isinstance(table, dict):
            continue
        target = m.vocab.setdefault(key, {})
        for value, spellings in table.items():
            parsed = {"true": True, "false": False}.get(str(value).lower(), value) if key in ("boolean", "has_spouse") or \
                (key in specs and specs[key].kind == "bool") else value
            if isinstance(value, bool):
                parsed = value
            for s in spellings or []:
                target[_norm_value(s)] = parsed
            if spellings:
                shown = m.display.setdefault(key, [])
                if str(spellings[0]) not in shown:
                    shown.append(str(spellings[0]))


def _nearest(name: str, names: list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, names, n=1)
    return found[0] if found else None


# ---------------------------------------------------------------------------------------------
# Cell values


@dataclass(frozen=True)
class Cell:
    """One distinct raw value of one column, read: unknown, a value, or an error."""

    known: bool
    value: Any = None  # the profile's value (e.g. district key, date, Decimal)
    rules: Any = None  # the rules' input value (e.g. district enum name, fen)
    error: str | None = None


UNKNOWN = Cell(False)


class CellReader:
    """Reads the distinct values of one column into :class:`Cell` (cached: values repeat)."""

    MAX_CACHE = 200_000

    def __init__(self, mapping: Mapping, spec: FieldSpec) -> None:
        self.m = mapping
        self.spec = spec
        self.fmap = (pf.PERSON_FIELDS if mapping.subject == "person" else pf.ENTERPRISE_FIELDS).get(spec.name)
        self.cache: dict[str, Cell] = {}
        self.vocab = dict(mapping.vocab.get("boolean", {})) if spec.kind == "bool" else {}
        self.vocab.update(mapping.vocab.get(spec.name, {}))

    def read(self, raw: str | None) -> Cell:
        if raw is None:
            return UNKNOWN
        cell = self.cache.get(raw)
        if cell is None:
            if len(self.cache) > self.MAX_CACHE:
                self.cache.clear()
            cell = self.cache[raw] = self._read(raw)
        return cell

    def _read(self, raw: str) -> Cell:
        s = unicodedata.normalize("NFKC", raw).strip()
        key = re.sub(r"\s+", "", s).upper()
        if key == "" or key in self.m.unknown:
            return UNKNOWN
        spec = self.spec
        if spec.kind == "text":
            return Cell(True, s, s)
        value: Any = self.vocab.get(key, s)
        if spec.kind == "district":
            try:
                district = typed.district(s)
            except ValueError as exc:
                return Cell(False, error=str(exc))
            return Cell(True, district, self._convert(district))
        if spec.kind == "date" and isinstance(value, str):
            try:
                value = typed.date(value)
            except typed.ImpossibleDate:
                return Cell(False, error=f"「{s}」不是真实存在的日期")
            except typed.TypedError:
                pass  # pydantic says why
        elif spec.kind in ("int", "float", "decimal") and isinstance(value, str):
            value = clean_number(value, spec.kind, percent_to_share=spec.name.endswith("_rate"))
        elif spec.kind == "choice" and isinstance(value, str):
            value = value.lower() if value.lower() in spec.choices else value
        elif spec.kind == "bool" and isinstance(value, str):
            return Cell(False, error=f"应为 是 或 否，而不是「{s}」")
        if spec.kind == "int" and isinstance(value, str) is False and isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            parsed = _adapter(self.m.subject, spec.name).validate_python(value)
        except ValidationError as exc:
            err = exc.errors()[0]
            item = checks.error_item((spec.name,), err["type"], err.get("msg", ""), err.get("ctx"))
            text = item["message"].split("：", 1)[-1]
            if spec.kind == "choice" and spec.name in self.m.display:
                text = "应为以下之一：" + "、".join(self.m.display[spec.name])
            return Cell(False, error=f"「{s}」{text}")
        if parsed is None:
            return UNKNOWN
        return Cell(True, parsed, self._convert(parsed))

    def _convert(self, value: Any) -> Any:
        if self.fmap is None:
            return value
        out = self.fmap.convert(value)
        return float(out) if hasattr(out, "as_tuple") else out


def clean_number(s: str, kind: str = "float", percent_to_share: bool = False) -> Any:
    """A number from "1,234.50元", "3年", "十二年", "1.5万", "50%" (a share where the field is a
    rate); else ``s`` (pydantic then says why). The reading is jiuye.screening.typed's, as on the
    website; an exponent (1E+3, as spreadsheets write large numbers) is read here."""
    t = s.replace(",", "")
    if percent_to_share and t.endswith("%"):
        try:
            return float(t[:-1]) / 100
        except ValueError:
            return s
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+", t):
        return t if kind == "decimal" else float(t)
    try:
        value = typed.number(t)
    except typed.TypedError:
        return s
    if kind == "decimal":
        return typed.plain(value)
    if value == value.to_integral_value() and "." not in t and "半" not in t:
        return int(value)
    return float(value)


def split_groups(raw: str) -> list[str]:
    s = unicodedata.normalize("NFKC", raw)
    return [x for x in re.split(r"[、，,；;/|\s]+", s) if x]
