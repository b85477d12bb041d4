"""Type, unit and plausible bounds of every numeric rules parameter, checked on load and on edit.

Each numeric parameter (amounts, rates, months, counts…) carries in its YAML ``metadata``, beside
its ``reference``::

    metadata:
      unit: currency-CNY        # one of data/parameter_units.yaml
      value_type: int           # int | float
      minimum: 0
      maximum: 30000000

:func:`validate` refuses a parameter tree where a numeric parameter lacks them, names an unknown
unit, or has a value outside them (the rules are built with it: a bad file stops the start, it is
not discovered by a citizen). :func:`parse_value` is the strict reading of a number typed by staff
(ASCII digits only, the unit's decimals, the bounds), with a Chinese reason when refused.
Booleans (yes/no switches), dates written as text and bracket scales are not numeric parameters.

Every parameter, scale and node (the root included) also needs a ``description``: one Chinese line
saying what it is, shown to policy experts in the console and required by the OpenFisca Web API.
"""
from __future__ import annotations

import functools
import math
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from jiuye.config import data_dir

KEYS = ("unit", "value_type", "minimum", "maximum")
VALUE_TYPES = ("int", "float")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?", re.ASCII)


class ParameterMetadataError(ValueError):
    """The parameter files break the metadata rules (the message lists the problems)."""


@dataclass(frozen=True)
class Spec:
    path: str
    unit: str
    unit_label: str
    value_type: str  # int | float
    minimum: int | float
    maximum: int | float
    decimals: int  # 0 for int

    def describe(self) -> str:
        return f"{_fmt(self.minimum)} 至 {_fmt(self.maximum)} {self.unit_label}"


def _fmt(x: int | float) -> str:
    return f"{x:,}" if isinstance(x, int) or float(x).is_integer() and abs(x) >= 1000 else f"{x:g}"


def units_file() -> Path:
    return data_dir() / "parameter_units.yaml"


@functools.lru_cache(maxsize=4)
def _units(path: str) -> dict[str, dict]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def units() -> dict[str, dict]:
    return _units(str(units_file()))


def value_kind(param) -> str:
    """'boolean', 'date' (text values such as "2022-12-31") or 'number' (also when every value is null)."""
    real = [v.value for v in param.values_list if v.value is not None]
    if real and all(isinstance(v, bool) for v in real):
        return "boolean"
    if real and all(isinstance(v, str) for v in real):
        return "date"
    return "number"


def spec_of(param) -> Spec:
    """The metadata of a numeric parameter; ParameterMetadataError when it is missing or wrong."""
    meta = param.metadata or {}
    name = param.name
    missing = [k for k in KEYS if k not in meta]
    if missing:
        raise ParameterMetadataError(f"{name}: metadata lacks {', '.join(missing)}")
    unit, vt, lo, hi = (meta[k] for k in KEYS)
    table = units()
    if unit not in table:
        raise ParameterMetadataError(f"{name}: unit {unit!r} is not in {units_file().name}")
    if vt not in VALUE_TYPES:
        raise ParameterMetadataError(f"{name}: value_type {vt!r} is not one of {VALUE_TYPES}")
    for key, bound in (("minimum", lo), ("maximum", hi)):
        if isinstance(bound, bool) or not isinstance(bound, (int, float)) or not math.isfinite(bound):
            raise ParameterMetadataError(f"{name}: {key} {bound!r} is not a finite number")
    if lo > hi:
        raise ParameterMetadataError(f"{name}: minimum {lo} > maximum {hi}")
    decimals = 0 if vt == "int" else int(table[unit].get("decimals", 0))
    return Spec(name, unit, str(table[unit].get("label", unit)), vt, lo, hi, decimals)


def check_value(spec: Spec, value: Any) -> str | None:
    """Why `value` is not a possible value of the parameter (Chinese), or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"「{value}」不是数字"
    if not math.isfinite(value):
        return f"「{value}」不是有限的数字"
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if spec.value_type == "int" and d != d.to_integral_value():
        return f"「{value}」应为整数（单位：{spec.unit_label}）"
    if d != d.to_integral_value() and d.normalize().as_tuple().exponent < -spec.decimals:
        return f"「{value}」的小数位过多（最多 {spec.decimals} 位小数，单位：{spec.unit_label}）"
    if value < spec.minimum or value > spec.maximum:
        neg = "为负数，" if value < 0 <= spec.minimum else ""
        return f"「{value}」{neg}超出合理范围（{spec.describe()}）"
    return None


def parse_value(text: str, spec: Spec) -> int | float:
    """A number typed by staff: ASCII digits, an optional minus sign and decimal point, thousands
    separators allowed ("1,500"); no units, exponents, full-width or other scripts' digits."""
    raw = (text or "").strip()
    shown = raw if len(raw) <= 24 else raw[:20] + "…"
    if not raw:
        raise ValueError("请填写新的数值")
    if any(ch.isdigit() and not ("0" <= ch <= "9") for ch in raw) or any("\uff01" <= ch <= "\uff5e" for ch in raw):
        raise ValueError(f"「{shown}」含有全角或非半角数字，请用半角数字 0-9 填写")
    compact = re.sub(r"(?<=[0-9]),(?=[0-9]{3})", "", raw)
    if not _NUMBER.fullmatch(compact):
        raise ValueError(f"「{shown}」不是数字（只填半角数字，如 1500 或 0.055；单位为{spec.unit_label}）")
    d = Decimal(compact)
    if d < spec.minimum or d > spec.maximum:  # before any conversion: 400 digits stay a Decimal
        neg = "为负数，" if d < 0 <= spec.minimum else ""
        raise ValueError(f"「{shown}」{neg}超出合理范围（{spec.describe()}）")
    if d.normalize().as_tuple().exponent < -spec.decimals:
        kind = f"最多 {spec.decimals} 位小数" if spec.decimals else "应为整数"
        raise ValueError(f"「{shown}」的小数位过多（{kind}，单位：{spec.unit_label}）" if spec.decimals
                         else f"「{shown}」应为整数（单位：{spec.unit_label}）")
    value: int | float = int(d) if d == d.to_integral_value() else float(d)
    reason = check_value(spec, value)
    if reason:  # pragma: no cover - the checks above are the same, on the Decimal
        raise ValueError(reason)
    return value


def leaves(node):
    """Every Parameter below an OpenFisca ParameterNode (scales excluded)."""
    from openfisca_core.parameters import Parameter, ParameterNode

    for child in node.children.values():
        if isinstance(child, ParameterNode):
            yield from leaves(child)
        elif isinstance(child, Parameter):
            yield child


def _described(node):
    """`node` and every parameter, scale and node below it (scale brackets excluded)."""
    from openfisca_core.parameters import ParameterNode

    yield node
    for child in getattr(node, "children", {}).values():
        if isinstance(child, ParameterNode):
            yield from _described(child)
        else:
            yield child


def _file_of(item, base: str | None) -> str:
    """The YAML file that declares `item`, relative to the parameters folder (no server path)."""
    path = getattr(item, "file_path", None)
    if not path:
        return "（未知文件）"
    if os.path.isdir(path):
        path = os.path.join(path, "index.yaml")
    if base and os.path.commonpath([os.path.abspath(base), os.path.abspath(path)]) == os.path.abspath(base):
        return "parameters/" + Path(os.path.relpath(path, base)).as_posix()
    return os.path.basename(path)


def description_problems(node) -> list[str]:
    """Parameters, scales and nodes below `node` (and `node`) without a description (Chinese)."""
    from openfisca_core.parameters import ParameterNode

    base = getattr(node, "file_path", None) if isinstance(node, ParameterNode) else None
    base = base if base and os.path.isdir(base) else None
    out = []
    for item in _described(node):
        if not hasattr(item, "description"):  # a wrapper around one parameter (an edited file)
            continue
        text = item.description
        if isinstance(text, str) and text.strip():
            continue
        kind = "参数节点" if isinstance(item, ParameterNode) else "参数"
        name = f"「{item.name}」" if item.name else "（根节点）"
        out.append(f"{_file_of(item, base)}：{kind}{name}没有说明（description），请写一句中文说明它是什么")
    return out


def problems(node) -> list[str]:
    """What is wrong with the parameters below `node` (empty: all good): descriptions, and the
    metadata and values of the numeric ones."""
    out: list[str] = description_problems(node)
    for param in leaves(node):
        if value_kind(param) != "number":
            continue
        try:
            spec = spec_of(param)
        except ParameterMetadataError as exc:
            out.append(str(exc))
            continue
        for v in param.values_list:
            if v.value is not None:
                reason = check_value(spec, v.value)
                if reason:
                    out.append(f"{param.name} from {v.instant_str}: {reason}")
    return out


def validate(node) -> None:
    found = problems(node)
    if found:
        more = f"\n… and {len(found) - 20} more" if len(found) > 20 else ""
        raise ParameterMetadataError("参数文件有误（rules parameters with wrong metadata）:\n" + "\n".join(found[:20]) + more)
