"""Rendering the Chinese sentences of screening (reasons.yaml's templates, see reasons.py): ``{name}`` or
``{name|filter}`` filled with values (filters: pct, yuan, money, date, int, bp, cn), ``[[ … ]]`` left out when a value in
it is unknown, and the small expressions a value may be (``=ceil((min - years) * 12)``: arithmetic, comparisons and
the FUNCTIONS below, nothing else — checked when the file is loaded)."""
from __future__ import annotations

import ast
import datetime as dt
import functools
import math
import re
from typing import Any

import numpy as np

FILTERS = {"pct", "yuan", "money", "date", "int", "bp", "cn"}
FUNCTIONS = {"ceil": math.ceil, "floor": math.floor, "round": round, "max": max, "min": min, "abs": abs}
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?:\|([a-z]+))?\}")
_OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.S)


def _names_in(template: str) -> list[tuple[str, str | None]]:
    return [(m.group(1), m.group(2)) for m in _PLACEHOLDER.finditer(template)]


def _expression_names(expr: str) -> set[str]:
    tree = ast.parse(expr, mode="eval")
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                raise ValueError(f"only {sorted(FUNCTIONS)} may be called")
        elif isinstance(node, ast.Name):
            if node.id not in FUNCTIONS:
                names.add(node.id)
        elif not isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Load, ast.operator,
                                   ast.unaryop, ast.Compare, ast.cmpop, ast.IfExp)):
            raise ValueError(f"{type(node).__name__} is not allowed in an expression")
    return names


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, np.datetime64):
        value = value.astype("datetime64[D]").astype(dt.date)
    if hasattr(value, "name") and hasattr(value, "index") and not isinstance(value, (str, int, float)):
        value = value.name  # an OpenFisca enum item
    return value


def _number(x: float) -> str:
    if isinstance(x, bool):
        return "是" if x else "否"
    if isinstance(x, int):
        return str(x)
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def money(yuan: float) -> str:
    """An amount in 元 as people write it: 1,404 / 1,123.20 / 0.50."""
    cents = round(float(yuan) * 100)
    if cents % 100 == 0:
        return f"{cents // 100:,}"
    return f"{cents / 100:,.2f}"


def fmt(value: Any, filt: str | None = None) -> str:
    if value is None:
        return "（未知）"
    value = _plain(value)
    if filt == "pct":
        return _number(round(float(value) * 100, 4)) + "%"
    if filt == "yuan":
        return money(int(value) / 100)
    if filt == "money":
        return money(value)
    if filt == "bp":
        return _number(round(float(value) / 100, 4)) + "%"
    if filt == "int":
        return str(int(value))
    if filt == "cn":
        import cn2an

        return cn2an.an2cn(int(value))
    if isinstance(value, dt.date) or filt == "date":
        d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        return f"{d.year}年{d.month}月{d.day}日"
    if isinstance(value, (int, float)):
        return _number(value)
    return str(value)


def _sub(template: str, values: dict[str, Any]) -> str:
    return _PLACEHOLDER.sub(lambda m: fmt(values.get(m.group(1)), m.group(2)), template)


def fill(template: str, values: dict[str, Any]) -> str:
    """The template with its values; a ``[[ … ]]`` part with an unknown value is left out."""
    def optional(m: re.Match) -> str:
        if any(values.get(name) is None for name, _f in _names_in(m.group(1))):
            return ""
        return _sub(m.group(1), values)

    return _sub(_OPTIONAL.sub(optional, template), values).strip()


def shown_names(template: str, values: dict[str, Any]) -> list[str]:
    """The value names a template shows with these values (not those of a part left out)."""
    kept = _OPTIONAL.sub(lambda m: "" if any(values.get(n) is None for n, _f in _names_in(m.group(1))) else m.group(1),
                         template)
    return [name for name, _f in _names_in(kept)]


@functools.lru_cache(maxsize=1024)
def _compiled(expr: str):
    return frozenset(_expression_names(expr)), compile(ast.parse(expr, mode="eval"), "<reasons>", "eval")


class _Unknown:
    """An unknown value inside an expression: any use of it (a test, a comparison, arithmetic) makes
    the expression unknown, but a branch that does not use it still gives its value
    (``small_cap if headcount <= 30 else cap`` is known for a small firm while ``cap`` is not)."""

    def _unknown(self, *_args):
        raise TypeError("unknown value")

    __bool__ = __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _unknown
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _unknown
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = __neg__ = __pos__ = __abs__ = _unknown
    __round__ = __float__ = __int__ = __index__ = _unknown
    __hash__ = None  # type: ignore[assignment]


_UNKNOWN = _Unknown()


def evaluate(expr: str, values: dict[str, Any]) -> Any:
    """An expression of the file (only arithmetic, comparisons and FUNCTIONS; checked on load);
    ``None`` when it needs a value that is unknown."""
    names, code = _compiled(expr)
    env = {n: _UNKNOWN if values.get(n) is None else _plain(values[n]) for n in names}
    env.update(FUNCTIONS)
    try:
        result = eval(code, {"__builtins__": {}}, env)  # noqa: S307
    except (ArithmeticError, TypeError, ValueError):
        return None
    return None if isinstance(result, _Unknown) else result
