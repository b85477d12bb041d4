"""Seeker and post files ↔ records: CSV (UTF-8 or GBK), XLSX, Parquet (read by jiuye.batch's readers,
so the same limits and the same line numbers as `jiuye batch`) and JSONL (one JSON object a line).

Headers: the record's field names (``desired_titles``) or its Chinese titles (``想做的工作（自己的说法）``,
or just the part before the bracket: ``想做的工作``). Cells: lists separated by 、 , ， ; ； / or a JSON
array; 是/否; dates as 2026-03-01, 2026/3/1 or 2026年3月1日; amounts with or without 元 and thousands
separators; 旗县市 by any name in data/districts.yaml; education, wage unit and key groups by their
Chinese labels too. Every row is either a record or a rejection with a Chinese reason naming the row
and the field — nothing is dropped silently.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from pydantic import BaseModel, ValidationError

from jiuye.market.occupations import CODE_RE, normalise
from jiuye.market.prepare import get_places
from jiuye.market.records import (EDUCATION_LABELS, KEY_GROUP_LABELS, WAGE_UNIT_LABELS, PostingRecord,
                                  SeekerRecord)

MODELS: dict[str, type[BaseModel]] = {"seeker": SeekerRecord, "posting": PostingRecord}
KIND_LABEL = {"seeker": "求职登记", "posting": "岗位"}
_SPLIT = re.compile(r"[、,，;；/|\n]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
TRUE = {"是", "true", "yes", "y", "1", "对", "有", "愿意", "同意"}
FALSE = {"否", "false", "no", "n", "0", "不", "无", "不愿意", "不同意"}
CONTRACT_LABELS = {"fixed": "固定期限", "open_ended": "无固定期限", "task": "以完成一定工作任务为期限",
                   "part_time": "非全日制", "dispatch": "劳务派遣", "internship": "实习"}
ENUMS = {"education": EDUCATION_LABELS, "education_min": EDUCATION_LABELS, "expected_wage_unit": WAGE_UNIT_LABELS,
         "wage_unit": WAGE_UNIT_LABELS, "key_groups": KEY_GROUP_LABELS, "contract_type": CONTRACT_LABELS}
UNIT_WORDS = {"月": "month", "元月": "month", "每月": "month", "日": "day", "天": "day", "元天": "day", "元日": "day",
              "小时": "hour", "时": "hour", "件": "piece"}


@dataclass
class Reject:
    row: int  # 1 = first data record
    line: int  # where it is in the file (Excel row / text line; header = 1)
    reason: str
    raw: str


def _is_list(field) -> bool:
    return getattr(field.annotation, "__origin__", None) is list


def _kind(field) -> str:
    ann = str(field.annotation)
    for k in ("bool", "date", "float", "int"):
        if k in ann and "str" not in ann.split("|")[0]:
            return k
    return "str"


def header_map(model: type[BaseModel], headers: list[str]) -> tuple[dict[str, str], list[str]]:
    """header → field name, and the headers that name no field."""
    names: dict[str, str] = {}
    for name, f in model.model_fields.items():
        names[normalise(name)] = name
        if f.title:
            names[normalise(f.title)] = name
            names[normalise(re.split(r"[（(]", f.title)[0])] = name
    mapping, unknown = {}, []
    for h in headers:
        key = names.get(normalise(h))
        (mapping.__setitem__(h, key) if key else unknown.append(h))
    return mapping, unknown


@functools.lru_cache(maxsize=4096)
def _enum(field_name: str, value: str) -> str:
    labels = ENUMS[field_name]
    if value in labels:
        return value
    n = normalise(value)
    for k, label in labels.items():
        if n in (normalise(label), normalise(k)) or n in [normalise(x) for x in re.split(r"[/（）()]", label) if x]:
            return k
    if field_name.endswith("unit"):
        return UNIT_WORDS.get(n, value)
    return value


@functools.lru_cache(maxsize=256)
def _converter(model, name: str):
    """The cell → value function of one field, decided once per field (not once per cell)."""
    f = model.model_fields[name]
    is_list, kind, enum = _is_list(f), _kind(f), name in ENUMS

    def convert(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            return value
        v = value.strip()
        if is_list:
            items = json.loads(v) if v.startswith("[") else [x.strip() for x in _SPLIT.split(v) if x.strip()]
            return [_enum(name, str(x)) for x in items] if enum else items
        if enum:
            return _enum(name, v)
        if kind == "bool":
            low = v.lower()
            return True if low in TRUE else False if low in FALSE else v
        if kind == "date":
            if len(v) == 10 and v[4] == "-" and v[7] == "-":
                return v
            m = _DATE.match(v)
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat() if m else v
        if kind in ("float", "int"):
            cleaned = v.replace(",", "").replace("，", "").replace("元", "").strip()
            try:
                return float(cleaned) if kind == "float" else int(cleaned)
            except ValueError:
                import cn2an

                try:
                    return cn2an.cn2an(cleaned, "smart")
                except (ValueError, KeyError):
                    return v
        return v

    return convert


def _cell(model, name: str, value: Any) -> Any:
    return _converter(model, name)(value)


_MESSAGES = {
    "missing": "必须填写", "string_too_short": "不能为空", "bool_parsing": "应为「是」或「否」",
    "bool_type": "应为「是」或「否」", "float_parsing": "应为数字", "int_parsing": "应为整数", "float_type": "应为数字",
    "int_from_float": "应为整数", "date_parsing": "应为日期，如 2026-03-01", "date_from_datetime_parsing": "应为日期，如 2026-03-01",
    "date_type": "应为日期，如 2026-03-01", "extra_forbidden": "不认识的栏目", "list_type": "应为一项或用顿号隔开的几项",
    "string_type": "应为文字",
}


def _message(model, err: dict) -> str:
    loc = err.get("loc") or ()
    name = str(loc[0]) if loc else ""
    f = model.model_fields.get(name)
    label = re.split(r"[（(]", f.title)[0] if f is not None and f.title else name
    ctx = err.get("ctx") or {}
    t = err.get("type", "")
    if t == "literal_error":
        labels = ENUMS.get(name)
        msg = f"「{err.get('input')}」不是可选的值" + (f"（可填：{'、'.join(labels.values())}）" if labels else "")
    elif t in ("string_too_long", "too_long"):
        msg = f"太长（最多 {ctx.get('max_length')} {'个字' if t == 'string_too_long' else '项'}）"
    elif t == "greater_than_equal":
        msg = f"不能小于 {ctx.get('ge')}"
    elif t == "less_than_equal":
        msg = f"不能大于 {ctx.get('le')}"
    else:
        msg = _MESSAGES.get(t, "格式不对")
    return f"「{label}」{msg}"


@functools.lru_cache(maxsize=4096)
def _district(text: str) -> str | None:
    return get_places().district(text)


def _extra_checks(kind: str, data: dict) -> list[str]:
    problems = []
    fields = ["districts"] if kind == "seeker" else ["district"]
    for fname in fields:
        values = data.get(fname)
        if values is None:
            continue
        out = []
        for v in (values if isinstance(values, list) else [values]):
            key = _district(str(v))
            if key is None:
                problems.append(f"「{'愿意工作的旗县市' if kind == 'seeker' else '工作地点'}」「{v}」不是兴安盟的旗县市"
                                f"（可填：{'、'.join(get_places().districts)}）")
            out.append(key or v)
        data[fname] = out if isinstance(values, list) else out[0]
    codes = data.get("desired_occupations") if kind == "seeker" else (
        [data["occupation_code"]] if data.get("occupation_code") else [])
    for c in codes or []:
        if not CODE_RE.match(str(c)) or len(str(c).split("-")) != 4:
            problems.append(f"「职业编码」「{c}」格式不对（应为大典的职业编码，如 6-18-02-04）")
    if kind == "posting":
        lo, hi = data.get("wage_min"), data.get("wage_max")
        if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and hi < lo:
            problems.append(f"「工资上限」{hi:,.0f} 小于「工资下限」{lo:,.0f}")
        a, b = data.get("min_age"), data.get("max_age")
        if isinstance(a, int) and isinstance(b, int) and b < a:
            problems.append(f"「最高年龄」{b} 小于「最低年龄」{a}")
        if not data.get("district") and not data.get("outside_league"):
            problems.append("「工作地点」必须填写（盟外岗位请把「盟外岗位」填为 是）")
    return problems


def parse_row(kind: str, row: dict[str, Any]) -> tuple[BaseModel | None, str]:
    """One row (field name → cell) → (record, "") or (None, the Chinese reason)."""
    model = MODELS[kind]
    data: dict[str, Any] = {}
    problems: list[str] = []
    for name, value in row.items():
        try:
            v = _cell(model, name, value)
        except (ValueError, json.JSONDecodeError):
            label = re.split(r"[（(]", model.model_fields[name].title or name)[0]
            problems.append(f"「{label}」无法读取：{str(value)[:40]}")
            continue
        if v is not None:
            data[name] = v
    problems += _extra_checks(kind, data)
    try:
        rec = model.model_validate(data)
    except ValidationError as exc:
        problems += [_message(model, e) for e in exc.errors()]
        rec = None
    if problems:
        return None, "；".join(dict.fromkeys(problems))
    return rec, ""


def read_records(kind: str, path: str | Path) -> tuple[list[BaseModel], list[Reject], list[str]]:
    """A file → (records, rejected rows, notes such as ignored columns). Raises BatchInputError."""
    from jiuye.batch.readers import BatchInputError, open_reader

    model = MODELS[kind]
    path = Path(path)
    records: list[BaseModel] = []
    rejects: list[Reject] = []
    notes: list[str] = []
    seen: dict[str, int] = {}

    def take(row_no: int, line: int, raw_row: dict, fields: dict) -> None:
        rec, why = parse_row(kind, fields)
        if rec is not None and rec.id in seen:
            rec, why = None, f"「编号」{rec.id} 与第 {seen[rec.id]} 行重复"
        if rec is None:
            rejects.append(Reject(row_no, line, f"第 {row_no} 行（文件第 {line} 行）：{why}",
                                  json.dumps(raw_row, ensure_ascii=False, default=str)))
        else:
            seen[rec.id] = row_no
            records.append(rec)

    if path.suffix.lower() in (".jsonl", ".ndjson"):
        if not path.exists():
            raise BatchInputError(f"找不到输入文件「{path}」")
        unknown_cols: set[str] = set()
        with open(path, encoding="utf-8-sig") as fh:
            row_no = 0
            for line_no, text in enumerate(fh, 1):
                if not text.strip():
                    continue
                row_no += 1
                try:
                    obj = json.loads(text)
                    if not isinstance(obj, dict):
                        raise ValueError
                except ValueError:
                    rejects.append(Reject(row_no, line_no, f"第 {row_no} 行（文件第 {line_no} 行）：不是一个 JSON 对象",
                                          text.strip()[:500]))
                    continue
                mapping, unknown = header_map(model, list(obj))
                unknown_cols.update(unknown)
                take(row_no, line_no, obj, {mapping[k]: v for k, v in obj.items() if k in mapping})
        if unknown_cols:
            notes.append(f"已忽略不认识的字段：{'、'.join(sorted(unknown_cols))}")
        return records, rejects, notes
    reader = open_reader(path)
    mapping, unknown = header_map(model, reader.headers)
    if unknown:
        notes.append(f"已忽略不认识的列：{'、'.join(unknown)}")
    if "id" not in mapping.values():
        raise BatchInputError(f"「{path.name}」缺少编号列（{model.model_fields['id'].title}，或 id）")
    for chunk in reader.chunks(50_000):
        cols = {h: chunk.table.column(h).to_pylist() for h in reader.headers}
        lines = chunk.line_numbers()
        for k, row_no in enumerate(chunk.rows.tolist()):
            raw = {h: cols[h][k] for h in reader.headers}
            take(int(row_no), int(lines[k]), raw, {mapping[h]: raw[h] for h in mapping})
        for row_no, text, why, line in chunk.malformed:
            rejects.append(Reject(int(row_no), int(line), f"第 {row_no} 行（文件第 {line} 行）：{why}", str(text)[:500]))
    rejects.sort(key=lambda r: r.row)
    return records, rejects, notes


def records_table(kind: str, records: list[BaseModel]) -> pa.Table:
    """Records → a table with the field names as headers (lists as 、-joined text)."""
    model = MODELS[kind]
    cols: dict[str, list] = {n: [] for n in model.model_fields}
    for r in records:
        for n in cols:
            v = getattr(r, n)
            cols[n].append("、".join(map(str, v)) if isinstance(v, list) else None if v is None else
                           ("是" if v else "否") if isinstance(v, bool) else str(v))
    return pa.table({n: pa.array(v, pa.string()) for n, v in cols.items()})
