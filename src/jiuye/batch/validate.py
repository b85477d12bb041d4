"""Reading and checking one chunk of rows, column by column (no loop over rows).

A row is accepted when every cell reads as its profile field (see :mod:`jiuye.batch.columns`) and
the row passes the checks the screening makes on a whole profile (``jiuye.screening.checks.check_profile``:
sex and birth date against the 身份证号, dates after the evaluation date or before birth, age
against birth date, a spouse's unemployment without a spouse) plus those of a roster (a required
column or value missing, a 身份证号 already seen in an earlier row, undecodable bytes). Every reason
of a rejected row is kept.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jiuye.batch.columns import CellReader, Mapping, Resolution, field_specs, split_groups
from jiuye.batch.ids import CreditCodeColumn, IdColumn
from jiuye.rules import build_system
from jiuye.screening.checks import PAST_EVENTS

EPOCH = np.datetime64("1970-01-01", "D")


@dataclass
class Job:
    """What every chunk of one run needs (picklable: sent to Dask workers as it is)."""

    subject: str
    as_of: dt.date
    today: dt.date
    mapping: Mapping
    resolution: Resolution
    headers: list[str]
    plan: Any  # jiuye.batch.plan.Plan
    sets: tuple = ()  # what-if: ((parameter path, value), …)


@dataclass
class Validated:
    n: int
    accepted: np.ndarray  # bool, per table row
    inputs: dict[str, tuple[np.ndarray, np.ndarray]]  # rules variable -> (values, known), per table row
    district: np.ndarray  # object: district key or None, per table row
    key_text: pa.Array  # the masked 身份证号 (or the credit code), per table row
    name: pa.Array | None
    reasons: dict[int, list[str]] = field(default_factory=dict)  # table row -> reasons (rejected rows only)
    kinds: dict[str, int] = field(default_factory=dict)  # reason kind -> rows
    warnings: dict[str, int] = field(default_factory=dict)


class _Reasons:
    def __init__(self, n: int) -> None:
        self.n = n
        self.masks: list[tuple[str, np.ndarray, Any]] = []  # (kind, mask, message: str | array | callable(i))

    def add(self, kind: str, mask: np.ndarray, message) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            self.masks.append((kind, mask, message))

    def rejected(self) -> np.ndarray:
        out = np.zeros(self.n, dtype=bool)
        for _k, m, _msg in self.masks:
            out |= m
        return out

    def collect(self) -> tuple[dict[int, list[str]], dict[str, int]]:
        by_row: dict[int, list[str]] = {}
        kinds: dict[str, int] = {}
        for kind, mask, message in self.masks:
            idx = np.flatnonzero(mask)
            kinds[kind] = kinds.get(kind, 0) + len(idx)
            for i in idx.tolist():
                if callable(message):
                    text = message(i)
                elif isinstance(message, np.ndarray):
                    text = message[i]
                else:
                    text = message
                by_row.setdefault(i, []).append(text)
        return by_row, kinds


def _readers(job: Job) -> dict[str, CellReader]:
    cache = getattr(job, "_readers", None)
    if cache is None:
        specs = field_specs(job.subject)
        cache = {f: CellReader(job.mapping, specs[f]) for f in set(job.resolution.fields.values())}
        object.__setattr__(job, "_readers", cache)
    return cache


def _column(table: pa.Table, header: str) -> pa.Array:
    col = table.column(header)
    return col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col


def _dtype(variable) -> Any:
    if variable.value_type is dt.date:
        return "datetime64[D]"
    if variable.value_type.__name__ == "Enum":
        return object
    return variable.dtype


def _default(variable) -> Any:
    default = variable.default_value
    if hasattr(default, "name") and variable.value_type.__name__ == "Enum":
        return default.name
    return default


def validate(job: Job, table: pa.Table, dup_of: np.ndarray, ids=None) -> Validated:
    """Read and check every row of ``table``; ``dup_of`` gives, per row, the record number of an
    earlier row with the same 身份证号 (0 when none)."""
    n = table.num_rows
    tbs = build_system()
    specs = field_specs(job.subject)
    res = job.resolution
    reasons = _Reasons(n)
    warnings: dict[str, int] = {}
    as_of = np.datetime64(job.as_of, "D")

    # --- required columns and the key ----------------------------------------------------------
    for req in res.missing_required:
        aliases = [h for h, f in job.mapping.aliases.items() if f == req][:4]
        reasons.add("missing_column", np.ones(n, bool),
                    f"缺少必需的列「{specs[req].title}」（表头可写：{'、'.join(aliases)}）")
    key_field = job.mapping.key
    key_header = res.header_of(key_field)
    if key_header is not None:
        if ids is None:
            ids = key_column(job, _column(table, key_header))
        title = specs[key_field].title
        reasons.add("missing_key", ~ids.present, f"{title}为空")
        reasons.add("invalid_key", ids.present & ~ids.valid, lambda i, ids=ids, title=title: f"{title}无效：{ids.message(i)}")
        dup = np.asarray(dup_of, dtype=np.int64)
        reasons.add("duplicate_key", dup > 0, lambda i, dup=dup, title=title: (
            f"{title}与第 {int(dup[i])} 条记录相同：重复的记录不合并，本条未计算，请核对"))
        key_text = ids.masked()
    else:
        key_text = pa.nulls(n, pa.string())

    # --- undecodable bytes (U+FFFD from the reader), in the columns that are used --------------------
    def undecodable(header: str, bad: np.ndarray) -> None:
        reasons.add("encoding", bad, f"列「{header}」含无法识别的字符（文件编码有误或夹杂了其他编码）")

    def nul(header: str, bad: np.ndarray) -> None:
        reasons.add("nul", bad, f"列「{header}」含空字符（NUL，0x00）：文件可能已损坏")

    for header in [h for h in (key_header, res.header_of("name")) if h is not None]:
        col = _column(table, header)
        undecodable(header, np.asarray(pc.match_substring(col, "\ufffd").fill_null(False)))
        nul(header, np.asarray(pc.match_substring(col, "\x00").fill_null(False)))

    # --- cells ----------------------------------------------------------------------------------
    readers = _readers(job)
    values: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # field -> (profile values (object or typed), known)
    inputs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    name_arr = None
    for header, fname in res.fields.items():
        spec = specs[fname]
        if fname == key_field:
            continue
        col = _column(table, header)
        if fname == "name":
            name_arr = col
            continue
        enc = pc.dictionary_encode(col)
        dictionary = enc.dictionary.to_pylist()
        codes = np.asarray(enc.indices.fill_null(-1), dtype=np.int64)
        reader = readers[fname]
        cells = [reader.read(v) for v in dictionary]
        known_d = np.array([c.known for c in cells] + [False], dtype=bool)
        codes = np.where(codes < 0, len(cells), codes)
        garbled = [i for i, x in enumerate(dictionary) if x and "\ufffd" in x]
        if garbled:
            undecodable(header, np.isin(codes, garbled))
        nuls = [i for i, x in enumerate(dictionary) if x and "\x00" in x]
        if nuls:
            nul(header, np.isin(codes, nuls))
        known = known_d[codes]
        errors_d = np.array([c.error for c in cells] + [None], dtype=object)
        has_error = np.array([c.error is not None for c in cells] + [False], dtype=bool)[codes]
        if has_error.any():
            reasons.add(f"invalid:{fname}", has_error,
                        lambda i, e=errors_d, c=codes, h=header: f"{h}：{e[c[i]]}")
        if spec.kind == "date":
            prof_d = np.array([c.value if c.known else None for c in cells] + [None], dtype=object)
            prof = np.array([np.datetime64(v, "D") if v is not None else EPOCH for v in prof_d], dtype="datetime64[D]")[codes]
        else:
            prof = np.array([c.value if c.known else None for c in cells] + [None], dtype=object)[codes]
        values[fname] = (prof, known)
        if spec.variable is not None:
            variable = tbs.variables[spec.variable]
            default = _default(variable)
            rules_d = [c.rules if c.known and c.rules is not None else default for c in cells] + [default]
            known_rules = known & np.array([c.known and c.rules is not None for c in cells] + [False], dtype=bool)[codes]
            inputs[spec.variable] = (np.array(rules_d, dtype=_dtype(variable))[codes], known_rules)

    # --- 人员类别: one column listing groups ----------------------------------------------------------
    for header in res.groups:
        col = _column(table, header)
        enc = pc.dictionary_encode(col)
        dictionary = enc.dictionary.to_pylist()
        codes = np.asarray(enc.indices.fill_null(-1), dtype=np.int64)
        codes = np.where(codes < 0, len(dictionary), codes)
        garbled = [i for i, x in enumerate(dictionary) if x and "\ufffd" in x]
        if garbled:
            undecodable(header, np.isin(codes, garbled))
        nuls = [i for i, x in enumerate(dictionary) if x and "\x00" in x]
        if nuls:
            nul(header, np.isin(codes, nuls))
        counts = np.bincount(codes, minlength=len(dictionary) + 1)
        sets = []
        for j, raw in enumerate(dictionary):
            fields_here = set()
            for token in split_groups(raw or ""):
                target = job.mapping.group_values.get(token.upper())
                if target is None:
                    note = f"{header}「{token}」无法识别，已忽略（可在 --mapping 的 groups 中加入）"
                    warnings[note] = warnings.get(note, 0) + int(counts[j])
                else:
                    fields_here.add(target)
            sets.append(fields_here)
        sets.append(set())
        for fname in sorted(set().union(*sets)):
            listed = np.array([fname in s for s in sets], dtype=bool)[codes]
            spec = specs[fname]
            own = values.get(fname)
            if own is not None:
                prof, known = own
                clash = listed & known & (prof != True)  # noqa: E712 - object array
                own_header = res.header_of(fname)
                reasons.add(f"conflict:{fname}", clash, f"{header}写了「{spec.title}」，但「{own_header}」一列为否")
                new_known = known | listed
                new_prof = np.where(listed & ~known, True, prof)
            else:
                new_known = listed
                new_prof = np.where(listed, True, None).astype(object)
            values[fname] = (new_prof, new_known)
            if spec.variable is not None:
                inputs[spec.variable] = (np.where(new_known, new_prof == True, False).astype(bool), new_known)  # noqa: E712

    # --- whole-row checks (as check_profile) -----------------------------------------------------------
    district = values.get("district", (np.full(n, None, dtype=object), np.zeros(n, bool)))[0]
    if job.subject == "person":
        _person_checks(job, ids, values, inputs, reasons, as_of, n, specs, res)

    accepted = ~reasons.rejected()
    by_row, kinds = reasons.collect()
    return Validated(n=n, accepted=accepted, inputs=inputs, district=district, key_text=key_text, name=name_arr,
                     reasons=by_row, kinds=kinds, warnings=warnings)


def key_column(job: Job, raw: pa.Array) -> IdColumn | CreditCodeColumn:
    return IdColumn(raw, job.today) if job.mapping.key == "id_number" else CreditCodeColumn(raw)


def _age_on(birth: np.ndarray, day: dt.date) -> np.ndarray:
    """Whole years of age on ``day`` (as the screening's ``_age_on``)."""
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month = birth.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (birth - birth.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    return day.year - year - ((day.month * 100 + day.day) < (month * 100 + dom)).astype(np.int64)


def _also(header: str, label: str) -> str:
    return "" if header == label else f"（{label}）"


def _person_checks(job: Job, ids, values, inputs, reasons: _Reasons, as_of, n, specs, res) -> None:
    tbs = build_system()

    def header(f: str) -> str:
        return res.header_of(f) or specs[f].title

    id_ok = ids.valid if ids is not None else np.zeros(n, bool)
    sex, sex_known = values.get("sex", (np.full(n, None, object), np.zeros(n, bool)))
    if ids is not None:
        male = ids.male
        clash = sex_known & id_ok & ((sex == "male") != male)
        reasons.add("sex_mismatch", clash, lambda i: f"{header('sex')}与身份证号不符：身份证号显示为{'男' if male[i] else '女'}")
    birth, birth_known = values.get("birth_date", (np.full(n, EPOCH), np.zeros(n, bool)))
    if ids is not None:
        clash = birth_known & id_ok & (birth != ids.birth)
        id_birth = ids.birth
        reasons.add("birth_mismatch", clash, lambda i: (
            f"{header('birth_date')}与身份证号不符：身份证号中的出生日期为 {id_birth[i]}"))
    eff_birth = np.where(birth_known, birth, ids.birth if ids is not None else EPOCH)
    eff_known = birth_known | id_ok
    late = eff_known & (eff_birth > as_of)
    reasons.add("birth_after_as_of", late, lambda i: (
        f"出生日期 {eff_birth[i]} 晚于评估日期 {job.as_of.isoformat()}"))
    if "age" in values:
        age, age_known = values["age"]
        expected = _age_on(eff_birth, job.as_of)
        given = np.where(age_known, age, -1).astype(np.int64)
        clash = age_known & eff_known & (eff_birth <= as_of) & (given != expected)
        reasons.add("age_mismatch", clash, lambda i: (
            f"{header('age')}「{given[i]}」与出生日期不符：{eff_birth[i]} 出生，到 {job.as_of.isoformat()} 为 {expected[i]} 周岁"))
    if "college_leaving_date" in values:
        leaving, lk = values["college_leaving_date"]
        reasons.add("leaving_before_birth", lk & eff_known & (leaving <= eff_birth), lambda i: (
            f"{header('college_leaving_date')} {leaving[i]} 不可能早于出生日期 {eff_birth[i]}"))
    for f, label in PAST_EVENTS.items():
        if f not in values:
            continue
        d, k = values[f]
        future = k & (d > as_of)
        reasons.add(f"future:{f}", future, lambda i, d=d, f=f, label=label: (
            f"{header(f)}「{d[i]}」在评估日期 {job.as_of.isoformat()} 之后，不可能" + _also(header(f), label)))
        reasons.add(f"before_birth:{f}", k & ~future & eff_known & (d < eff_birth), lambda i, d=d, f=f, label=label: (
            f"{header(f)}「{d[i]}」早于出生日期 {eff_birth[i]}，不可能" + _also(header(f), label)))
    has_spouse, hs_known = values.get("has_spouse", (np.full(n, None, object), np.zeros(n, bool)))
    no_spouse = hs_known & (has_spouse == False)  # noqa: E712 - object array
    if "spouse_unemployed" in values:
        _su, su_known = values["spouse_unemployed"]
        reasons.add("spouse_conflict", no_spouse & su_known, (
            f"{header('spouse_unemployed')}：填了「无配偶」，不能再填配偶是否失业"))
    # facts the screening derives from the profile (screening.simulation: build_simulation / _add_id_facts)
    if ids is not None:
        for var, derived in (("birth_date", ids.birth), ("sex", np.where(ids.male, "male", "female").astype(object))):
            vals, known = inputs.get(var, (None, np.zeros(n, bool)))
            if vals is None:
                variable = tbs.variables[var]
                vals = np.full(n, _default(variable), dtype=_dtype(variable))
            fill = ~known & id_ok
            vals = np.where(fill, derived, vals).astype(vals.dtype)
            inputs[var] = (vals, known | fill)
    su_vals, su_known = inputs.get("spouse_unemployed", (np.zeros(n, bool), np.zeros(n, bool)))
    set_false = no_spouse & ~su_known
    if set_false.any():
        inputs["spouse_unemployed"] = (np.where(set_false, False, su_vals).astype(bool), su_known | set_false)
    # the household is not described in a flat roster: 零就业家庭 is unknown, not false
    inputs["zero_employment_household_member"] = (np.zeros(n, bool), np.zeros(n, bool))
