"""One chunk: check the rows, run the rules over all accepted rows at once, shape the results.

The rules run vectorised: ONE OpenFisca simulation per chunk, with one person (and their own
household and enterprise, as in the screening of one profile) per accepted row — or one enterprise
with its representative per row for ``--subject enterprise``. Inputs are set column by column with
``simulation.set_input``, each with its ``_known`` companion, exactly as
``jiuye.screening.Screener`` sets them for one profile; the status of each policy is decided the
way the screening decides it (window closed / not eligible / eligible / needs information).

:func:`process_chunk` is the unit of work of both engines: the local loop calls it, and the Dask
engine sends it to workers as a task, with the same chunk.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jiuye.batch.io import RawChunk
from jiuye.batch.validate import Job, Validated, validate
from jiuye.rules import build_system
from jiuye.screening.profile import inputs_for_period

STATUSES = ["eligible", "needs_information"]
STATUS_LABEL = {"eligible": "符合", "needs_information": "还需要信息"}
NO_DISTRICT = "（未填）"
MAX_LABELS = 5

OUTPUT_SCHEMA = pa.schema([
    ("row", pa.int64()),
    ("id", pa.dictionary(pa.int32(), pa.string())),  # masked 身份证号 (or the credit code)
    ("district", pa.dictionary(pa.int8(), pa.string())),
    ("policy", pa.dictionary(pa.int8(), pa.string())),
    ("policy_name", pa.dictionary(pa.int8(), pa.string())),
    ("status", pa.dictionary(pa.int8(), pa.string())),
    ("amount", pa.float64()),
    ("amount_fen", pa.int64()),
    ("unit", pa.dictionary(pa.int8(), pa.string())),
    ("months", pa.int32()),
    ("total_fen", pa.int64()),
    ("reason", pa.dictionary(pa.int32(), pa.string())),
])


def rejected_schema(headers: list[str]) -> pa.Schema:
    """``row``: the record number (as in the results); ``line``: where the row is in the file opened in
    Excel (the CSV's own line, the sheet's row; the header is line 1); then the raw row."""
    return pa.schema([("row", pa.int64()), ("reasons", pa.string()), ("line", pa.int64())]
                     + [(h, pa.string()) for h in headers])


@dataclass
class ChunkResult:
    index: int
    input_rows: int
    accepted_rows: int
    rejected_rows: int
    output: pa.Table
    rejected: pa.Table
    stats: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# The simulation


def build_simulation(tbs, n: int, subject: str):
    """A simulation of ``n`` people (each in a household and an enterprise of their own), or of
    ``n`` enterprises each with its representative. Integer ids and role indices keep this cheap."""
    from openfisca_core.simulations import SimulationBuilder

    ids = np.arange(n)
    b = SimulationBuilder()
    b.create_entities(tbs)
    b.declare_person_entity("person", ids)
    for key, role in (("household", "member"), ("enterprise", "employee" if subject == "person" else "representative")):
        population = b.declare_entity(key, ids)
        index = [r.key for r in population.entity.flattened_roles].index(role)
        b.join_with_persons(population, ids, np.full(n, index, dtype=np.int64))
    return b.build(tbs)


def set_inputs(sim, inputs: dict[str, tuple[np.ndarray, np.ndarray]], month: str) -> None:
    for name, (values, known) in inputs.items():
        period = inputs_for_period(name, month)
        if values.dtype == object:  # an enumeration, by item name
            values = values.astype(str)
        sim.set_input(name, period, values)
        sim.set_input(f"{name}_known", period, known)


def evaluate(tbs, plan, inputs: dict[str, tuple[np.ndarray, np.ndarray]], n: int) -> dict[str, dict[str, np.ndarray]]:
    """Per policy: status code (0 eligible, 1 needs information, -1 neither), amount (fen, -1 if
    unknown), months (0 if none), total (fen, -1), missing (object array of the rules' names)."""
    month = plan.month
    sim = build_simulation(tbs, n, plan.subject)
    set_inputs(sim, inputs, month)
    out: dict[str, dict[str, np.ndarray]] = {}
    for p in plan.policies:
        calc = functools.partial(sim.calculate, period=month)
        eligible = np.asarray(calc(f"{p.id}_eligible"), dtype=bool)
        known = np.asarray(calc(f"{p.id}_eligible_known"), dtype=bool)
        needs = np.asarray(calc(f"{p.id}_needs_information"), dtype=bool)
        if p.has_window_condition:
            window_closed = (np.asarray(calc(f"{p.id}_cond_window_known"), dtype=bool)
                             & ~np.asarray(calc(f"{p.id}_cond_window"), dtype=bool))
        else:
            window_closed = np.full(n, p.catalogue_closed)
        status = np.full(n, -1, dtype=np.int8)
        is_eligible = ~window_closed & eligible
        is_needs = ~window_closed & ~eligible & ~known
        status[is_eligible] = 0
        status[is_needs] = 1
        amount = np.full(n, -1, dtype=np.int64)
        total = np.full(n, -1, dtype=np.int64)
        months = np.zeros(n, dtype=np.int32)
        with_amount = is_eligible & ~needs
        if p.amount_variable and with_amount.any():
            a = np.asarray(calc(p.amount_variable), dtype=np.int64)
            amount = np.where(with_amount, a, -1)
        if p.months_variable and is_eligible.any():
            m = np.asarray(calc(p.months_variable), dtype=np.int64)
            months = np.where(is_eligible & (m > 0), m, 0).astype(np.int32)
        if p.amount_variable and with_amount.any():
            if p.total_variable:
                t = np.asarray(calc(p.total_variable), dtype=np.int64)
            elif "/月" in p.unit:
                t = amount * np.maximum(months, 1)
            else:
                t = amount
            total = np.where(with_amount, t, -1)
        if ((status == 1) | (is_eligible & needs)).any():
            missing = np.asarray(calc(f"{p.id}_missing_information"), dtype=object)
        else:
            missing = np.full(n, "", dtype=object)
        out[p.id] = {"status": status, "amount": amount, "months": months, "total": total, "missing": missing}
    return out


# ---------------------------------------------------------------------------------------------
# Reasons and statistics


_REASONS: dict[tuple, str] = {}


def reason_text(plan, pid: str, status: int, needs_amount: bool, missing: str) -> str:
    key = (plan.subject, plan.as_of, pid, status, needs_amount, missing)
    text = _REASONS.get(key)
    if text is None:
        labels: list[str] = []
        for name in (m for m in str(missing).split(",") if m):
            label = plan.label(pid, name)
            if label and label not in labels:
                labels.append(label)
        listed = "、".join(labels[:MAX_LABELS]) + (f" 等 {len(labels)} 项" if len(labels) > MAX_LABELS else "")
        if status == 0:
            text = "符合条件" if not needs_amount else f"符合条件；金额或期限还需要：{listed or '补充情况'}"
        else:
            text = f"还需要：{listed}" if listed else "还需要补充情况"
        if len(_REASONS) > 100_000:
            _REASONS.clear()
        _REASONS[key] = text
    return text


def stats_of(plan, results: dict[str, dict[str, np.ndarray]], district_codes: np.ndarray, districts: list[str]) -> dict:
    """Counts and totals per policy, and per district and policy."""
    nd = len(districts)
    policies: dict[str, dict] = {}
    by_district: dict[str, dict] = {d: {"accepted_rows": int(c), "policies": {}} for d, c in
                                    zip(districts, np.bincount(district_codes, minlength=nd)) if c}
    for p in plan.policies:
        r = results[p.id]
        el = r["status"] == 0
        ni = r["status"] == 1
        has = r["total"] >= 0
        # eligible, with an amount the rules could not compute yet (not 0 元): how many, and what is missing
        pending = el & ~has if p.amount_variable else np.zeros(len(el), dtype=bool)
        policies[p.id] = {"eligible": int(el.sum()), "needs_information": int(ni.sum()),
                          "amount_known": int(has.sum()), "total_fen": int(r["total"][has].sum()),
                          "amount_pending": int(pending.sum()), "pending_because": _pending_because(plan, p.id, r, pending)}
        e_d = np.bincount(district_codes[el], minlength=nd)
        n_d = np.bincount(district_codes[ni], minlength=nd)
        t_d = np.bincount(district_codes[has], weights=r["total"][has].astype(np.float64), minlength=nd)
        p_d = np.bincount(district_codes[pending], minlength=nd)
        for j, d in enumerate(districts):
            if d in by_district and (e_d[j] or n_d[j]):
                by_district[d]["policies"][p.id] = {"eligible": int(e_d[j]), "needs_information": int(n_d[j]),
                                                    "total_fen": int(round(t_d[j])), "amount_pending": int(p_d[j])}
    return {"policies": policies, "districts": by_district}


PENDING_UNEXPLAINED = "规则暂时算不出金额（未列出缺少的情况）"


def _pending_because(plan, pid: str, r: dict, pending: np.ndarray) -> dict[str, int]:
    """What the rows with a pending amount lack, by its Chinese label: {label: rows}."""
    out: dict[str, int] = {}
    if not pending.any():
        return out
    values, counts = np.unique(np.array(["" if m is None else str(m) for m in r["missing"][pending]]), return_counts=True)
    for missing, count in zip(values.tolist(), counts.tolist()):
        labels = {plan.label(pid, m) or m for m in str(missing).split(",") if m} or {PENDING_UNEXPLAINED}
        for label in labels:
            out[label] = out.get(label, 0) + int(count)
    return out


def merge_stats(a: dict, b: dict) -> dict:
    """Sum two nested dicts of counts."""
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, dict):
            out[k] = merge_stats(out.get(k, {}), v)
        elif isinstance(v, (int, float)):
            out[k] = out.get(k, 0) + v
        else:
            out[k] = v
    return out


# ---------------------------------------------------------------------------------------------
# One chunk


def process_chunk(job: Job, raw: RawChunk, dup_of: np.ndarray) -> ChunkResult:
    t0 = time.perf_counter()
    table = raw.table
    v = validate(job, table, dup_of, raw.ids)
    t1 = time.perf_counter()
    acc = np.flatnonzero(v.accepted)
    n = len(acc)
    plan = job.plan
    tbs = build_system()
    inputs = {name: (vals[acc], known[acc]) for name, (vals, known) in v.inputs.items()}
    districts = [d for d in DISTRICTS] + [NO_DISTRICT]
    dcode = {d: i for i, d in enumerate(districts)}
    district_acc = v.district[acc]
    district_codes = np.full(n, dcode[NO_DISTRICT], dtype=np.int32)
    for d, j in dcode.items():
        district_codes[district_acc == d] = j
    stats: dict[str, Any] = {}
    if n:
        if job.sets:
            from jiuye.batch.plan import reform_system

            baseline = evaluate(tbs, plan, inputs, n)
            results = evaluate(reform_system(tuple(job.sets), job.as_of), plan, inputs, n)
            stats["baseline"] = stats_of(plan, baseline, district_codes, districts)
        else:
            results = evaluate(tbs, plan, inputs, n)
        stats.update(stats_of(plan, results, district_codes, districts))
    else:
        results = {}
        stats.update({"policies": {}, "districts": {}})
    t2 = time.perf_counter()
    key_acc = v.key_text.take(pa.array(acc, pa.int64())) if n else pa.array([], pa.string())
    if isinstance(key_acc, pa.ChunkedArray):
        key_acc = key_acc.combine_chunks()
    output = _long_table(plan, results, raw.rows[acc], key_acc.cast(pa.string()),
                         district_codes, districts)
    rejected = _rejected_table(job, raw, v)
    stats["reasons"] = {}
    for kind, count in v.kinds.items():
        stats["reasons"][kind] = stats["reasons"].get(kind, 0) + count
    if raw.malformed:
        stats["reasons"]["malformed_row"] = len(raw.malformed)
    stats["warnings"] = v.warnings
    t3 = time.perf_counter()
    return ChunkResult(index=raw.index, input_rows=raw.count, accepted_rows=n, rejected_rows=raw.count - n,
                       output=output, rejected=rejected, stats=stats,
                       seconds={"validate": t1 - t0, "compute": t2 - t1, "shape": t3 - t2})


def _districts() -> list[str]:
    from jiuye.screening.typed import district_names

    return list(dict.fromkeys(district_names().values()))


DISTRICTS = _districts()


def _dict_array(indices: np.ndarray, dictionary: list[str], index_type=pa.int32()) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(indices, index_type), pa.array(dictionary, pa.string()))


def _long_table(plan, results, rows: np.ndarray, key_text: pa.Array, district_codes: np.ndarray,
                districts: list[str]) -> pa.Table:
    """One row per (input row, policy) that is eligible or needs information, in input order and,
    within a row, in the plan's order of policies (a row-major walk of a rows × policies matrix)."""
    n, P = len(rows), len(plan.policies)
    if n == 0 or not results:
        return OUTPUT_SCHEMA.empty_table()
    status = np.full((n, P), -1, dtype=np.int8)
    for j, p in enumerate(plan.policies):
        status[:, j] = results[p.id]["status"]
    idx, pol = np.nonzero(status >= 0)
    m = len(idx)
    if not m:
        return OUTPUT_SCHEMA.empty_table()
    position = np.full((n, P), -1, dtype=np.int64)
    position[idx, pol] = np.arange(m)
    out_status = status[idx, pol]
    amount = np.full(m, -1, dtype=np.int64)
    total = np.full(m, -1, dtype=np.int64)
    months = np.zeros(m, dtype=np.int32)
    reason = np.zeros(m, dtype=np.int32)
    reasons: list[str] = []
    reason_code: dict[str, int] = {}
    units = list(dict.fromkeys(p.unit for p in plan.policies))
    unit_of = np.array([units.index(p.unit) for p in plan.policies], dtype=np.int8)
    for j, p in enumerate(plan.policies):
        r = results[p.id]
        st = r["status"]
        sel = np.flatnonzero(st >= 0)
        if not len(sel):
            continue
        at = position[sel, j]
        el = st[sel] == 0
        if el.any():
            e, e_at = sel[el], at[el]
            amount[e_at] = r["amount"][e]
            total[e_at] = r["total"][e]
            months[e_at] = r["months"][e]
        # one reason text per distinct (status, amount still unknown, what is missing)
        enc = pc.dictionary_encode(pa.array(r["missing"][sel], pa.string()))
        texts = enc.dictionary.to_pylist()
        mcode = np.asarray(enc.indices, dtype=np.int64)
        needs_amount = el & (r["amount"][sel] < 0) & (p.amount_variable is not None)
        combo = mcode * 4 + st[sel].astype(np.int64) * 2 + needs_amount
        uniq, inv = np.unique(combo, return_inverse=True)
        local = np.empty(len(uniq), dtype=np.int32)
        for k, u in enumerate(uniq.tolist()):
            text = reason_text(plan, p.id, (u >> 1) & 1, bool(u & 1), texts[u >> 2])
            code = reason_code.get(text)
            if code is None:
                code = reason_code[text] = len(reasons)
                reasons.append(text)
            local[k] = code
        reason[at] = local[inv.reshape(-1)]
    no_amount = amount < 0
    return pa.table({
        "row": pa.array(rows[idx], pa.int64()),
        "id": pa.DictionaryArray.from_arrays(pa.array(idx, pa.int32()), key_text),
        "district": _dict_array(district_codes[idx], districts, pa.int8()),
        "policy": _dict_array(pol, [p.id for p in plan.policies], pa.int8()),
        "policy_name": _dict_array(pol, [p.name for p in plan.policies], pa.int8()),
        "status": _dict_array(out_status, STATUSES, pa.int8()),
        "amount": pa.array(amount / 100.0, pa.float64(), mask=no_amount),
        "amount_fen": pa.array(amount, pa.int64(), mask=no_amount),
        "unit": _dict_array(unit_of[pol], units, pa.int8()),
        "months": pa.array(months, pa.int32(), mask=months <= 0),
        "total_fen": pa.array(total, pa.int64(), mask=total < 0),
        "reason": _dict_array(reason, reasons),
    }, schema=OUTPUT_SCHEMA)


def _rejected_table(job: Job, raw: RawChunk, v: Validated) -> pa.Table:
    schema = rejected_schema(job.headers)
    bad = np.flatnonzero(~v.accepted)
    rows = raw.rows[bad].tolist() + [m[0] for m in raw.malformed]
    texts = ["；".join(v.reasons.get(int(i), [])) for i in bad] + [m[2] for m in raw.malformed]
    lines = raw.line_numbers()[bad].tolist() + [m[3] if len(m) > 3 else m[0] + 1 for m in raw.malformed]
    columns = {"row": pa.array(rows, pa.int64()), "reasons": pa.array(texts, pa.string()), "line": pa.array(lines, pa.int64())}
    take = pa.array(bad, pa.int64())
    for j, h in enumerate(job.headers):
        col = raw.table.column(h).take(take).combine_chunks() if len(bad) else pa.array([], pa.string())
        extra = [m[1] if j == 0 else None for m in raw.malformed]  # a malformed line, whole, in the first column
        columns[h] = pa.concat_arrays([col.cast(pa.string()), pa.array(extra, pa.string())])
    table = pa.table(columns, schema=schema)
    if raw.malformed and len(bad):
        table = table.take(pa.array(np.argsort(np.array(rows), kind="stable"), pa.int64()))
    return table
