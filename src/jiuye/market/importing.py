"""Posts from and to the spreadsheets employers bring: CSV (UTF-8 or GBK) or XLSX with Chinese
headers — the titles of PostingRecord's fields (岗位名称, 招用人数, 工资下限（元） …), with or without
the part in brackets; the English field names work too. Every row is accepted (a post is created, and
by default submitted for review) or rejected with the reasons, each naming the row (as Excel shows it)
and the field. Unknown columns are reported and ignored; a file without 岗位名称 is refused whole.

Reading goes through jiuye.batch.readers (encoding detection, XLSX size and zip-bomb limits, the
row a record came from); writing through jiuye.batch.writers (cells made inert for spreadsheets).
Export writes the same headers, so an exported file imports again as it is.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.config import today
from jiuye.market import postings
from jiuye.market.common import CaseError, Invalid
from jiuye.market.employers import require_employer
from jiuye.market.records import EDUCATION_LABELS, WAGE_UNIT_LABELS, PostingRecord

MAX_ROWS = 5000  # posts per file: a spreadsheet of one employer, not a roster
EXPORT_FIELDS = [f for f in PostingRecord.model_fields if f not in ("id", "published_on")]
LIST_FIELDS = {"required_certificates"}
BOOL_FIELDS = {"social_insurance", "outside_league"}
NUMBER_FIELDS = {"wage_min", "wage_max"}
INT_FIELDS = {"places", "min_age", "max_age"}
DATE_FIELDS = {"valid_through"}
TRUE = {"是", "有", "缴纳", "缴", "交", "yes", "y", "true", "1", "√", "对"}
FALSE = {"否", "无", "没有", "不缴纳", "不缴", "不交", "no", "n", "false", "0", "×", "不"}
EXTRA_ALIASES = {"职位名称": "title", "岗位": "title", "职位": "title", "招聘人数": "places", "人数": "places",
                 "单位名称": "employer_name", "用人单位": "employer_name", "薪资下限": "wage_min", "薪资上限": "wage_max",
                 "最低工资": "wage_min", "最高工资": "wage_max", "学历": "education_min", "学历要求": "education_min",
                 "社保": "social_insurance", "五险": "social_insurance", "工作地点": "district", "旗县市": "district",
                 "联系方式": "contact", "联系电话": "contact", "截止日期": "valid_through", "职业编码": "occupation_code"}


def _norm(h: str) -> str:
    return re.sub(r"\s+", "", str(h or "")).replace("（", "(").replace("）", ")").lower()


def header_map() -> dict[str, str]:
    """Every accepted header (normalised) -> field."""
    out: dict[str, str] = {}
    for name, info in PostingRecord.model_fields.items():
        if name in ("id", "published_on"):
            continue
        title = info.title or name
        for alias in (name, title, re.sub(r"[（(].*?[）)]", "", title), title.split("；")[0]):
            out.setdefault(_norm(alias), name)
    for alias, name in EXTRA_ALIASES.items():
        out.setdefault(_norm(alias), name)
    return out


def headers() -> list[str]:
    """The export's headers: each field's Chinese title (the part before any ；)."""
    return [(PostingRecord.model_fields[f].title or f).split("；")[0] for f in EXPORT_FIELDS]


def _reverse(labels: dict[str, str]) -> dict[str, str]:
    out = {v: k for k, v in labels.items()}
    out.update({k: k for k in labels})
    return out


_WAGE_UNITS = {**_reverse(WAGE_UNIT_LABELS), "月": "month", "月薪": "month", "元/月": "month", "日": "day", "天": "day",
               "日薪": "day", "元/天": "day", "小时": "hour", "时": "hour", "件": "piece", "计件": "piece"}


def _value(name: str, raw: str) -> Any:
    from jiuye.market.postings import CONTRACT_TYPE_LABELS
    from jiuye.screening import typed

    text = raw.strip()
    if text == "":
        return None
    if name in LIST_FIELDS:
        return [p.strip() for p in re.split(r"[、，,;；/\n]+", text) if p.strip()]
    if name in BOOL_FIELDS:
        low = text.lower()
        if low in TRUE:
            return True
        if low in FALSE:
            return False
        raise ValueError("应为「是」或「否」")
    if name in NUMBER_FIELDS or name in INT_FIELDS:
        try:
            v = typed.number(text.replace("元", "").replace("人", "").replace("岁", "").replace("名", ""))
        except typed.TypedError:
            raise ValueError("应为数字") from None
        if name in INT_FIELDS:
            if v != int(v):
                raise ValueError("应为整数")
            return int(v)
        return float(v)
    if name in DATE_FIELDS:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00:00", text):  # an Excel date cell
            text = text[:10]
        try:
            return typed.date(text).isoformat()
        except typed.TypedError as exc:
            raise ValueError(str(exc)) from None
    if name == "wage_unit":
        if text not in _WAGE_UNITS:
            raise ValueError(f"应为：{'、'.join(WAGE_UNIT_LABELS.values())}")
        return _WAGE_UNITS[text]
    if name == "education_min":
        rev = {**_reverse(EDUCATION_LABELS), "中专": "secondary_vocational", "技校": "secondary_vocational"}
        if text not in rev:
            raise ValueError(f"应为：{'、'.join(EDUCATION_LABELS.values())}")
        return rev[text]
    if name == "contract_type":
        rev = _reverse(CONTRACT_TYPE_LABELS)
        if text not in rev:
            raise ValueError(f"应为：{'、'.join(CONTRACT_TYPE_LABELS.values())}")
        return rev[text]
    return text


@dataclass
class ImportReport:
    filename: str
    accepted: list[dict] = field(default_factory=list)  # {row, id, title, state}
    rejected: list[dict] = field(default_factory=list)  # {row, field, title, message}
    ignored_columns: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"filename": self.filename, "accepted": len(self.accepted), "rejected": len(self.rejected),
                "accepted_rows": self.accepted, "rejected_rows": self.rejected,
                "ignored_columns": self.ignored_columns}


def _titles() -> dict[str, str]:
    return {n: (i.title or n).split("；")[0] for n, i in PostingRecord.model_fields.items()}


def import_file(s: Session, user: User, path: Path, *, filename: str | None = None, submit: bool = True) -> ImportReport:
    """Read `path` (CSV/XLSX) and create one post per accepted row. Commits once at the end."""
    from jiuye.batch.readers import BatchInputError, open_reader

    emp = require_employer(s, user)
    report = ImportReport(filename or path.name)
    try:
        reader = open_reader(path)
    except BatchInputError as exc:
        raise Invalid(str(exc), field="file") from None
    hmap = header_map()
    columns: dict[str, str] = {}
    for h in reader.headers:
        name = hmap.get(_norm(h))
        if name is None or name in columns.values():
            report.ignored_columns.append(h)
        else:
            columns[h] = name
    if "title" not in columns.values():
        raise Invalid(f"文件没有「岗位名称」列：第一行应为表头（可用的列：{'、'.join(headers())}）", field="file")
    titles = _titles()
    day = today()
    seen = 0
    try:
        for chunk in reader.chunks(1000):
            for number, raw, why, line in chunk.malformed:
                report.rejected.append({"row": int(line), "field": "", "title": "", "message": f"第 {line} 行无法读取：{why}"})
            lines = chunk.line_numbers()
            for i, rec in enumerate(chunk.table.to_pylist()):
                seen += 1
                if seen > MAX_ROWS:
                    raise Invalid(f"一次最多导入 {MAX_ROWS} 个岗位，请分成几个文件", field="file")
                _one(s, user, emp, report, int(lines[i]), rec, columns, titles, day, submit)
    except BatchInputError as exc:
        s.rollback()
        raise Invalid(str(exc), field="file") from None
    s.commit()
    return report


def _one(s, user, emp, report, line, rec, columns, titles, day, submit) -> None:
    data: dict[str, Any] = {}
    errors = []
    for header, name in columns.items():
        raw = rec.get(header)
        try:
            v = _value(name, "" if raw is None else str(raw))
        except ValueError as exc:
            errors.append({"row": line, "field": name, "title": titles[name],
                           "message": f"第 {line} 行「{titles[name]}」：{exc}"})
            continue
        if v is not None:
            data[name] = v
    if errors:
        report.rejected += errors
        return
    try:
        with s.begin_nested():
            p = postings.create(s, user, data, submit=submit, channel="import", commit=False)
    except CaseError as exc:
        items = exc.extra.get("errors") or [{"field": exc.extra.get("field") or "", "message": str(exc)}]
        for it in items:
            name = it.get("field") or ""
            title = titles.get(name, "")
            msg = it["message"] if title and title in it["message"] else (f"「{title}」：{it['message']}" if title else it["message"])
            report.rejected.append({"row": line, "field": name, "title": title, "message": f"第 {line} 行{msg}"})
        return
    report.accepted.append({"row": line, "id": p.id, "title": p.title, "state": p.state})


def export_rows(items: list) -> list[list]:
    from jiuye.market.postings import CONTRACT_TYPE_LABELS

    out = []
    for p in items:
        rec = postings.record_of(p).model_dump(mode="json")
        row = []
        for f in EXPORT_FIELDS:
            v = rec.get(f)
            if f == "wage_unit":
                v = WAGE_UNIT_LABELS.get(v, v)
            elif f == "education_min":
                v = EDUCATION_LABELS.get(v, v) if v else None
            elif f == "contract_type":
                v = CONTRACT_TYPE_LABELS.get(v, v) if v else None
            elif f in BOOL_FIELDS:
                v = None if v is None else ("是" if v else "否")
            elif f in LIST_FIELDS:
                v = "、".join(v or [])
            elif isinstance(v, float) and v.is_integer():
                v = int(v)
            row.append(None if v is None else str(v))
        out.append(row)
    return out


def export_file(s: Session, user: User, path: Path, *, state: str | None = None) -> Path:
    """The posts `user` may list (an employer's own; staff: their district) to `path` (.csv/.xlsx)."""
    import pyarrow as pa

    from jiuye.batch.writers import write_table

    items = postings.list_for(s, user, state=state, limit=100_000)
    rows = export_rows(items)
    cols = list(zip(*rows)) if rows else [[] for _ in EXPORT_FIELDS]
    table = pa.table({h: pa.array(list(c), pa.string()) for h, c in zip(headers(), cols)})
    return write_table(path, table)


def template_rows() -> list[list[str]]:
    """An example row for the downloadable template (clearly an example)."""
    example = {"title": "电焊工（示例，请删除本行）", "occupation_code": "", "places": "2", "duties": "钢结构焊接",
               "requirements": "持焊工证", "wage_min": "4000", "wage_max": "5500", "wage_unit": "元/月",
               "social_insurance": "是", "district": "乌兰浩特市", "valid_through": (today() + dt.timedelta(days=30)).isoformat(),
               "contact": "王先生 0482-0000000"}
    return [[example.get(f, "") for f in EXPORT_FIELDS]]
