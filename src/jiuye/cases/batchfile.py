"""Reading a batch screening result (免申即享 lists) into rows for `service.import_batch`.

Accepted files: CSV (UTF-8, with or without BOM), JSON (a list, or an object with `rows` /
`results`), JSON Lines, and .xlsx / .parquet / .arrow when openpyxl / pyarrow are installed.
The results file of `jiuye batch` (one row per person or enterprise and policy: `id`, `district`,
`policy`, `status`, `amount`, `amount_fen`, `reason` …) reads as it is; its `id` is the credit code
of an enterprise (a person's 身份证号 there is masked, so such rows are reported, not imported). A row names one person or enterprise
and gives the screening outcome for a policy in any of these shapes:

- flat: `policy`, `status`, `amount` (元) or `amount_fen`, `reasons`, plus the subject
  (`name`, `credit_code` or `id_number`, `district`, optional `as_of`); Chinese headers work too
  (政策, 结论, 金额, 原因, 单位名称 / 姓名, 统一社会信用代码, 身份证号, 旗县市, 评估日期);
- one column per policy: `job_retention_refund_status`, `job_retention_refund_amount` …
  (or `job_retention_refund.status` …);
- nested: `results: [{policy, status, amount, amount_fen, reasons …}]` (the shape of
  `jiuye screen --json`), with the subject beside it or under `profile`.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

ALIASES = {
    "policy": ("policy", "政策", "政策编号"),
    "status": ("status", "结论", "状态", "筛查结论"),
    "amount": ("amount", "金额", "金额（元）", "金额(元)", "amount_yuan"),
    "amount_fen": ("amount_fen", "金额（分）"),
    "reasons": ("reasons", "reason", "原因", "说明"),
    "name": ("name", "单位名称", "姓名", "名称", "enterprise_name"),
    "credit_code": ("credit_code", "统一社会信用代码", "信用代码"),
    "id_number": ("id_number", "身份证号", "身份证号码"),
    "district": ("district", "旗县市", "所在旗县市"),
    "as_of": ("as_of", "评估日期", "日期"),
}
STATUS = {"eligible": "eligible", "符合": "eligible", "not_eligible": "not_eligible", "不符合": "not_eligible",
          "needs_information": "needs_information", "还需要信息": "needs_information", "需要信息": "needs_information",
          "window_closed": "window_closed", "期限已过": "window_closed"}


def _get(row: dict, field: str, prefix: str | None = None) -> Any:
    for name in ALIASES[field]:
        for key in ([f"{prefix}_{name}", f"{prefix}.{name}"] if prefix else [name]):
            if key in row and row[key] not in (None, ""):
                return row[key]
    return None


def _fen(amount: Any, amount_fen: Any) -> int | None:
    if amount_fen not in (None, ""):
        return int(Decimal(str(amount_fen)))
    if amount in (None, ""):
        return None
    try:
        return int((Decimal(str(amount).replace(",", "").replace("元", "")) * 100).to_integral_value())
    except InvalidOperation:
        raise ValueError(f"金额「{amount}」不是数字") from None


def _reasons(value: Any) -> list[dict]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [{"state": "info", "text": t.strip()} for t in value.replace("；", ";").split(";") if t.strip()]
    return [r if isinstance(r, dict) else {"state": "info", "text": str(r)} for r in value]


def normalise_row(raw: dict, policy: str) -> dict | None:
    """{status, result, name, credit_code, id_number, district, as_of, subject_key} for `policy`, or
    None when the row is about another policy. ValueError (Chinese) when it cannot be read."""
    if not isinstance(raw, dict):
        raise ValueError("每一行应是一个对象（字段: 值）")
    subject = dict(raw.get("profile") or raw.get("input") or {})
    subject.update({k: v for k, v in raw.items() if k not in ("profile", "input", "results", "result")})
    found: dict | None = None
    nested = raw.get("results")
    if nested is None and isinstance(raw.get("result"), dict):
        nested = raw["result"].get("results")
        subject.setdefault("as_of", raw["result"].get("as_of"))
        subject.setdefault("district", raw["result"].get("district"))
    if isinstance(nested, list):
        found = next((r for r in nested if isinstance(r, dict) and r.get("policy") == policy), None)
        if found is None:
            return None
        status, amount, amount_fen, reasons = found.get("status"), found.get("amount"), found.get("amount_fen"), found.get("reasons")
    elif _get(raw, "status", policy) is not None:
        status = _get(raw, "status", policy)
        amount, amount_fen, reasons = _get(raw, "amount", policy), _get(raw, "amount_fen", policy), _get(raw, "reasons", policy)
    else:
        pol = _get(raw, "policy")
        if pol is None:
            raise ValueError("没有政策编号（policy / 政策）或该政策的结论列")
        if pol != policy:
            return None
        status, amount, amount_fen, reasons = _get(raw, "status"), _get(raw, "amount"), _get(raw, "amount_fen"), _get(raw, "reasons")
    status_key = STATUS.get(str(status).strip()) if status is not None else None
    if status_key is None:
        raise ValueError(f"结论「{status}」无法识别（eligible/符合、not_eligible/不符合、needs_information、window_closed）")
    credit_code, id_number = _get(subject, "credit_code"), _get(subject, "id_number")
    if not credit_code and not id_number and subject.get("id"):
        # `jiuye batch` output: `id` is the credit code (enterprises) or a masked 身份证号 (people)
        ident = str(subject["id"]).strip()
        if "*" in ident:
            raise ValueError("身份证号已脱敏，无法据此建案：请用含完整证件号的名单")
        credit_code = ident
    if not credit_code and not id_number:
        raise ValueError("没有统一社会信用代码（或身份证号）")
    fen = _fen(amount, amount_fen)
    result = {"policy": policy, "status": status_key, "amount_fen": fen,
              "amount": float(Decimal(fen) / 100) if fen is not None else None,
              "unit": (found or {}).get("unit"), "reasons": _reasons(reasons)}
    as_of = _get(subject, "as_of")
    name = str(_get(subject, "name") or "").strip() or (f"（名单未列名称）{credit_code}" if credit_code else "")
    return {"status": status_key, "result": result, "name": name,
            "credit_code": str(credit_code).strip() if credit_code else None,
            "id_number": str(id_number).strip() if id_number else None,
            "district": str(_get(subject, "district") or ""), "as_of": str(as_of)[:10] if as_of else None,
            "subject_key": (str(credit_code or id_number)).strip().upper()}


def read_rows(path: Path) -> tuple[list[dict], str]:
    """(rows, sha256 of the file)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":  # limits checked before anything is read into memory
        rows = _xlsx_rows(path)
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return rows, digest.hexdigest()
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if suffix in (".parquet", ".arrow", ".feather"):
        import pyarrow.feather as feather
        import pyarrow.parquet as pq

        table = pq.read_table(io.BytesIO(data)) if suffix == ".parquet" else feather.read_table(io.BytesIO(data))
        return table.to_pylist(), digest
    text = data.decode("utf-8-sig")
    return parse_text(text, suffix), digest


def _xlsx_rows(path: Path) -> list[dict]:
    """The rows of the first sheet, as the batch reads rosters: size, zip-bomb and row limits checked
    first; empty rows skipped; a long run of empty rows (styled to the bottom of the sheet) ends it."""
    from openpyxl import load_workbook

    from jiuye.batch.readers import EMPTY_ROWS_STOP, BatchInputError, check_xlsx
    from jiuye.config import roster_xlsx_max_rows

    try:
        check_xlsx(path)
    except BatchInputError as exc:
        raise ValueError(str(exc)) from None
    limit = roster_xlsx_max_rows()
    wb = load_workbook(path, read_only=True)
    try:
        it = wb.active.iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(it, ())]
        rows: list[dict] = []
        empty = 0
        for r in it:
            if not r or all(v in (None, "") for v in r):
                empty += 1
                if empty >= EMPTY_ROWS_STOP:
                    break
                continue
            empty = 0
            if len(rows) >= limit:
                raise ValueError(f"文件超过 {limit:,} 行的上限（上限由 JIUYE_ROSTER_XLSX_MAX_ROWS 设定）")
            rows.append(dict(zip(header, r)))
        return rows
    finally:
        wb.close()


def parse_text(text: str, suffix: str = "") -> list[dict]:
    stripped = text.lstrip()
    if suffix == ".jsonl" or (suffix != ".json" and stripped.startswith("{") and "\n{" in stripped):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    if suffix == ".json" or stripped.startswith(("[", "{")):
        doc = json.loads(text)
        if isinstance(doc, dict):
            doc = doc.get("rows") or doc.get("results") or [doc]
        return list(doc)
    return list(csv.DictReader(io.StringIO(text)))
