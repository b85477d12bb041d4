"""jiuye batch: formats, rejections, the invariant, equality with single screening, Dask, resume,
what-if, bad inputs (issue 5)."""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jiuye.batch import BatchError, Options, run
from jiuye.batch import compute as batch_compute
from jiuye.batch import engines as batch_engines
from jiuye.batch import runner as batch_runner
from jiuye.batch import synth
from jiuye.batch.ids import IdColumn, uscc_check_char, uscc_message
from jiuye.batch.io import write_table
from jiuye.cli import app
from jiuye.idcard import is_valid, parse_id_number
from jiuye.screening import screen
from jiuye.config import today as beijing_today  # the league's today (Beijing), as the code uses

AS_OF = dt.date(2021, 6, 15)


def batch(tmp: Path, src: Path, out_name: str = "out.parquet", **kw):
    kw.setdefault("progress", False)
    kw.setdefault("chart", False)
    return run(Options(input=src, output=tmp / out_name, as_of=kw.pop("as_of", AS_OF), **kw))


def read(path: Path) -> pa.Table:
    if path.suffix == ".parquet":
        t = pq.read_table(path)
    elif path.suffix == ".csv":
        t = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    else:
        import openpyxl

        ws = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        t = pa.table({h: [r[i] for r in rows[1:]] for i, h in enumerate(rows[0])})
    cols = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in t.columns]
    return pa.table(cols, names=t.column_names)


def canonical(t: pa.Table) -> list[tuple]:
    """Rows as comparable tuples (numbers as read back from any format)."""
    out = []
    for r in t.to_pylist():
        out.append((int(r["row"]), r["id"], r["policy"], r["status"],
                    None if r["amount_fen"] in (None, "") else int(r["amount_fen"]),
                    None if r["months"] in (None, "") else int(r["months"]), r["reason"]))
    return out


@pytest.fixture(scope="module")
def roster(tmp_path_factory) -> tuple[Path, pa.Table, dict]:
    d = tmp_path_factory.mktemp("roster")
    table, bad = synth.persons(400, seed=7, as_of=AS_OF, bad_share=0.05)
    path = d / "roster.csv"
    write_table(path, table, encoding="utf-8")
    return path, table, bad


@pytest.fixture(scope="module")
def baseline(roster, tmp_path_factory):
    d = tmp_path_factory.mktemp("baseline")
    o = batch(d, roster[0], chunk_size=150)
    return o, canonical(read(o.paths.output))


# --- formats ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["gbk.csv", "xlsx", "parquet"])
def test_every_input_format_gives_the_same_result(roster, baseline, tmp_path, fmt):
    path = tmp_path / f"roster.{fmt}"
    write_table(path, roster[1], encoding="gbk" if fmt.startswith("gbk") else "utf-8-sig")
    o = batch(tmp_path, path, chunk_size=150)
    assert o.summary["format"] == ("csv" if fmt.endswith("csv") else fmt)
    if fmt == "gbk.csv":
        assert o.summary["encoding"] == "gbk"
    assert canonical(read(o.paths.output)) == baseline[1]
    assert o.summary["rejected_rows"] == baseline[0].summary["rejected_rows"]


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_every_output_format_holds_the_same_rows(roster, baseline, tmp_path, ext):
    o = batch(tmp_path, roster[0], out_name=f"out.{ext}", chunk_size=150)
    assert canonical(read(o.paths.output)) == baseline[1]
    assert o.paths.rejected.name == f"out.rejected.{ext}"
    assert read(o.paths.rejected).num_rows == o.summary["rejected_rows"]
    if ext == "csv":  # Excel opens a UTF-8 CSV correctly only with a BOM
        assert o.paths.output.read_bytes()[:3] == b"\xef\xbb\xbf"


def test_outputs_summary_and_masking(baseline):
    o, rows = baseline
    s = json.loads(o.paths.summary.read_text(encoding="utf-8"))
    assert s["input_rows"] == 400 and s["accepted_rows"] + s["rejected_rows"] == 400
    for key in ("seconds", "policies", "districts", "timings", "rejection_reasons"):
        assert key in s
    assert s["policies"]["unemployment_insurance_benefit"]["eligible"] > 0
    assert set(s["districts"]) <= {"乌兰浩特市", "阿尔山市", "科右前旗", "科右中旗", "扎赉特旗", "突泉县", "兴安盟", "（未填）"}
    assert all(r[1][6:14] == "********" and len(r[1]) == 18 for r in rows)
    assert {r[3] for r in rows} <= {"eligible", "needs_information"}
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)  # input order
    out = pq.read_table(o.paths.output)
    assert not [p for p in o.paths.output.parent.iterdir() if ".part" in p.name]
    assert not o.paths.work.exists()
    total = sum(v for v in out.column("total_fen").to_pylist() if v is not None)
    assert total == sum(p["total_fen"] for p in s["policies"].values())


def test_chart_is_drawn(roster, tmp_path):
    o = batch(tmp_path, roster[0], chart=True)
    assert o.summary["chart"] == "out.summary.png"
    assert o.paths.chart.read_bytes()[:4] == b"\x89PNG"


# --- rejections ----------------------------------------------------------------------------------


def test_synthetic_bad_rows_are_all_caught_with_their_reasons(roster, baseline):
    o, _rows = baseline
    reasons = o.summary["rejection_reasons"]
    expected = {"check_digit": "invalid_key", "sex_mismatch": "sex_mismatch", "impossible_date": "invalid:certificate_date",
                "birth_mismatch": "birth_mismatch", "future_date": "future:certificate_date", "duplicate_id": "duplicate_key",
                "unknown_district": "invalid:district", "negative_years": "invalid:contribution_years",
                "empty_id": "missing_key", "not_a_number": "invalid:contribution_years"}
    for kind in roster[2]:
        assert reasons.get(expected[kind], 0) > 0, kind
    rej = read(o.paths.rejected)
    assert rej.column_names[:2] == ["row", "reasons"]
    assert "身份证号" in rej.column_names and "姓名" in rej.column_names  # the raw row, every column
    assert all(r for r in rej.column("reasons").to_pylist())


def _csv(path: Path, header: list[str], rows: list[list[str]], encoding="utf-8") -> Path:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def ids(n: int, seed: int = 1, region="152223") -> list[str]:
    rng = np.random.default_rng(seed)
    birth = (np.datetime64("1970-01-01") + rng.integers(0, 9000, n)).astype("datetime64[D]")
    return synth.id_numbers(np.array([region] * n), birth, np.arange(n) % 1000).tolist()


def test_every_reason_of_a_row_is_listed(tmp_path):
    good = ids(3)
    bad_check = good[1][:17] + ("0" if good[1][17] != "0" else "1")
    info = parse_id_number(good[2])
    wrong_sex = "女" if info.sex == "male" else "男"
    rows = [
        [good[0], "扎赉特旗", "3", "2021-03-01", ""],
        [bad_check, "科右后旗", "-1", "2021-02-30", ""],  # four things wrong
        [good[2], "突泉", "2", "2022-01-01", wrong_sex],  # certificate after the as-of date; sex contradicts the ID
        ["", "乌兰浩特", "abc", "", ""],
    ]
    src = _csv(tmp_path / "r.csv", ["身份证号", "旗县市", "参保缴费年限", "证书核发日期", "性别"], rows)
    o = batch(tmp_path, src, out_name="o.csv")
    rej = {r["row"]: r["reasons"] for r in read(o.paths.rejected).to_pylist()}
    assert set(rej) == {2, 3, 4}
    assert "校验码错误" in rej[2] and "科右后旗" in rej[2] and "不能小于 0" in rej[2] and "2021-02-30" in rej[2]
    assert "之后" in rej[3] and "性别与身份证号不符" in rej[3]
    assert "身份证号为空" in rej[4] and "应为数字" in rej[4]
    assert o.summary["accepted_rows"] == 1


def test_vector_id_check_agrees_with_idcard():
    samples = ids(50) + ["11010519491231002X", "11010519491231002x", " 110105194912310020", "110105194902300021",
                         "123456789012345678", "990105194912310021", "11010519491231002", "1101051949123100211",
                         "11010520991231002X", "ABCDEFGHIJKLMNOPQR", "", "110105194912310X21", "１１０１０５１９４９１２３１００２Ｘ"]
    col = IdColumn(pa.array(samples), beijing_today())
    for i, s in enumerate(samples):
        assert bool(col.valid[i]) == is_valid(unicodedata.normalize("NFKC", s)), s  # full-width digits are read too
        if s and not col.valid[i]:
            assert col.message(i)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="0123456789Xx ", min_size=0, max_size=20))
def test_vector_id_check_agrees_with_idcard_on_random_text(text):
    col = IdColumn(pa.array([text]), beijing_today())
    assert bool(col.valid[0]) == is_valid(text)


def test_credit_codes():
    code = "91152201MA0N0000" + "0"
    code = code[:17]
    full = code + uscc_check_char(code)
    assert uscc_message(full) == ""
    assert "校验码错误" in uscc_message(full[:17] + ("0" if full[17] != "0" else "1"))
    assert "不允许的字符" in uscc_message(full[:5] + "I" + full[6:])


# --- the invariant ---------------------------------------------------------------------------------

ROW_KINDS = ["good", "check_digit", "sex", "date", "future", "dup", "district", "empty_id", "years", "extra_column"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(ROW_KINDS), min_size=0, max_size=30), chunk=st.integers(1, 12))
def test_accepted_plus_rejected_is_always_the_input(tmp_path_factory, kinds, chunk):
    tmp = tmp_path_factory.mktemp("inv")
    numbers = ids(len(kinds) + 1, seed=len(kinds))
    header = ["姓名", "身份证号", "性别", "旗县市", "参保缴费年限", "证书核发日期"]
    lines = []
    expected_bad = set()
    for i, k in enumerate(kinds):
        n = numbers[i]
        sex = "男" if parse_id_number(n).sex == "male" else "女"
        row = ["张三", n, sex, "扎赉特旗", "3", "2021-01-01"]
        if k == "check_digit":
            row[1] = n[:17] + ("0" if n[17] != "0" else "1")
        elif k == "sex":
            row[2] = "女" if sex == "男" else "男"
        elif k == "date":
            row[5] = "2021-13-01"
        elif k == "future":
            row[5] = "2030-01-01"
        elif k == "dup":
            row[1] = numbers[len(kinds)]  # the same number as the last "dup" row before it, if any
            row[2] = "男" if parse_id_number(row[1]).sex == "male" else "女"
        elif k == "district":
            row[3] = "呼和浩特"
        elif k == "empty_id":
            row[1] = ""
        elif k == "years":
            row[4] = "99"
        elif k == "extra_column":
            row = row + ["多出来的一列"]
        if k not in ("good", "dup") or (k == "dup" and "dup" in kinds[:i]):
            expected_bad.add(i + 1)
        lines.append(row)
    src = _csv(tmp / "in.csv", header, lines)
    o = batch(tmp, src, chunk_size=chunk)
    s = o.summary
    assert s["input_rows"] == len(kinds)
    assert s["accepted_rows"] + s["rejected_rows"] == s["input_rows"]
    rejected = read(o.paths.rejected) if s["rejected_rows"] else None
    got_bad = set(rejected.column("row").to_pylist()) if rejected is not None else set()
    assert got_bad == expected_bad
    assert {r[0] for r in canonical(read(o.paths.output))} <= set(range(1, len(kinds) + 1)) - expected_bad


# --- one source of truth: the batch equals the screening of each row ---------------------------------

PROFILES = [
    {"district": "扎赉特旗", "contribution_years": 11, "involuntary_separation": True, "registered_unemployed": True,
     "job_seeking": True, "is_unemployed": True, "receiving_pension": False, "ui_stop_event": False, "has_spouse": False},
    {"district": "科右中旗", "contribution_years": 3, "involuntary_separation": True, "registered_unemployed": True,
     "job_seeking": True, "is_unemployed": True, "receiving_pension": False, "ui_stop_event": False, "spouse_unemployed": True},
    {"district": "乌兰浩特市", "is_enterprise_employee": True, "contribution_years": 3, "ui_contributing_now": True,
     "certificate_level": "intermediate", "certificate_date": "2021-03-01", "certificate_already_subsidised": False,
     "skill_subsidy_claims_this_year": 0},
    {"district": "突泉县", "hard_to_employ_certified": True, "is_first_business": True, "business_registration_date": "2020-09-01",
     "business_operating_normally": True},
    {"district": "阿尔山市", "ui_benefit_exhausted": True, "ui_benefit_end_date": "2021-02-28", "is_unemployed": True,
     "receiving_pension": False, "ui_stop_event": False},
    {"district": "科右前旗"},
    {"college_graduate": True, "college_leaving_date": "2020-07-01", "employed_since_leaving_college": False,
     "flexibly_employed": True, "pays_si_as_flexible_worker": True, "monthly_wage": 3200.5},
]


def _cell(v) -> str:
    if isinstance(v, bool):
        return "是" if v else "否"
    return {"intermediate": "中级", "male": "男", "female": "女"}.get(v, str(v))


def test_batch_equals_single_screening_for_every_policy(tmp_path):
    numbers = ids(len(PROFILES), seed=3)
    fields = sorted({k for p in PROFILES for k in p})
    from jiuye.batch.columns import field_specs

    specs = field_specs("person")
    headers = ["身份证号"] + [specs[f].title for f in fields]  # the profile's own Chinese titles are headers
    rows = [[numbers[i]] + [_cell(p[f]) if f in p else "" for f in fields] for i, p in enumerate(PROFILES)]
    src = _csv(tmp_path / "p.csv", headers, rows)
    o = batch(tmp_path, src)
    assert o.summary["accepted_rows"] == len(PROFILES), o.summary["rejection_reasons"]
    got = {(r[0], r[2]): r for r in canonical(read(o.paths.output))}
    policies = list(o.summary["policies"])
    compared = 0
    for i, p in enumerate(PROFILES):
        single = {r.policy: r for r in screen({**p, "id_number": numbers[i]}, AS_OF).results}
        for pid in policies:
            r = single[pid]
            b = got.get((i + 1, pid))
            if r.status in ("eligible", "needs_information"):
                assert b is not None, (i, pid, r.status)
                assert b[3] == r.status, (i, pid)
                assert b[4] == r.amount_fen, (i, pid)
                assert b[5] == r.months, (i, pid)
                compared += 1
            else:
                assert b is None, (i, pid, r.status)
    assert compared > 30
    statuses = {(i, pid): got[(i, pid)][3] for (i, pid) in got}
    assert statuses[(1, "unemployment_insurance_benefit")] == "eligible"
    assert statuses[(3, "skill_upgrade_subsidy_employee")] == "eligible"


# --- engines and resuming ----------------------------------------------------------------------------


def test_dask_gives_the_same_rows_as_local(roster, baseline, tmp_path):
    o = batch(tmp_path, roster[0], engine="dask", workers=2, dask_processes=False, chunk_size=150)
    assert canonical(read(o.paths.output)) == baseline[1]
    assert read(o.paths.rejected).to_pylist() == read(baseline[0].paths.rejected).to_pylist()
    s, b = o.summary, baseline[0].summary
    assert (s["policies"], s["districts"], s["accepted_rows"]) == (b["policies"], b["districts"], b["accepted_rows"])


def test_interrupted_run_leaves_no_output_and_resume_skips_finished_chunks(roster, baseline, tmp_path, monkeypatch):
    real = batch_compute.process_chunk
    calls: list[int] = []

    def interrupted(job, raw, dup):
        if raw.index == 2:
            raise KeyboardInterrupt
        calls.append(raw.index)
        return real(job, raw, dup)

    monkeypatch.setattr(batch_engines, "process_chunk", interrupted)  # where the local engine computes a chunk
    real_save = batch_runner.WorkDir.save

    def slow_save(self, r):  # a slow disk: finished chunks are still queued when Ctrl-C comes
        import time
        time.sleep(0.3)
        return real_save(self, r)

    monkeypatch.setattr(batch_runner.WorkDir, "save", slow_save)
    with pytest.raises(KeyboardInterrupt):
        batch(tmp_path, roster[0], chunk_size=100)
    monkeypatch.setattr(batch_runner.WorkDir, "save", real_save)
    out = tmp_path / "out.parquet"
    assert not out.exists() and not (tmp_path / "out.summary.json").exists()
    assert not [p for p in tmp_path.iterdir() if ".part" in p.name]
    assert sorted(int(p.name[6:12]) for p in (tmp_path / "out.work").glob("chunk-*.json")) == [0, 1]

    def counting(job, raw, dup):
        calls.append(raw.index)
        return real(job, raw, dup)

    calls.clear()
    monkeypatch.setattr(batch_engines, "process_chunk", counting)
    o = batch(tmp_path, roster[0], chunk_size=100, resume=True)
    assert calls == [2, 3]
    assert canonical(read(o.paths.output)) == baseline[1]
    assert o.summary["input_rows"] == 400 and o.summary["accepted_rows"] == baseline[0].summary["accepted_rows"]
    assert not (tmp_path / "out.work").exists()


def test_resume_with_changed_options_starts_again(roster, tmp_path, monkeypatch):
    work = tmp_path / "out.work"
    work.mkdir()
    (work / "manifest.json").write_text("{}")
    (work / "chunk-000000.json").write_text("{}")
    o = batch(tmp_path, roster[0], chunk_size=200, resume=True)
    assert o.summary["input_rows"] == 400


# --- what-if --------------------------------------------------------------------------------------------


def test_what_if_reports_the_budget_difference(roster, baseline, tmp_path):
    o = batch(tmp_path, roster[0], sets=["skill_upgrade_subsidy.amount.intermediate=3000"])
    w = o.summary["what_if"]
    diff = w["difference"]["policies"]
    assert diff["skill_upgrade_subsidy_employee"]["total_fen"] > 0
    assert all(v["total_fen"] == 0 for k, v in diff.items() if not k.startswith("skill_upgrade"))
    assert w["baseline"]["policies"]["skill_upgrade_subsidy_employee"]["total_fen"] == \
        baseline[0].summary["policies"]["skill_upgrade_subsidy_employee"]["total_fen"]
    assert sum(d["total_fen"] for d in w["difference"]["districts"].values()) == w["difference"]["total_fen"] > 0
    lower = batch(tmp_path, roster[0], out_name="lower.parquet", sets=["skill_upgrade_subsidy.amount.intermediate=500"])
    assert lower.summary["what_if"]["difference"]["total_fen"] < 0


def test_what_if_on_enterprises_and_bad_parameter(tmp_path):
    table, _bad = synth.enterprises(300, seed=4, bad_share=0.0)
    src = tmp_path / "e.parquet"
    write_table(src, table)
    o = batch(tmp_path, src, subject="enterprise", sets=["job_retention_refund.refund_rate.sme=0.9"])
    assert o.summary["accepted_rows"] == 300
    assert o.summary["what_if"]["difference"]["policies"]["job_retention_refund"]["total_fen"] > 0
    with pytest.raises(BatchError, match="没有参数"):
        batch(tmp_path, src, subject="enterprise", sets=["job_retention_refund.refund_rat=0.9"])
    with pytest.raises(BatchError, match="一组参数"):
        batch(tmp_path, src, subject="enterprise", sets=["job_retention_refund.refund_rate=0.9"])


def test_enterprise_rejections(tmp_path):
    table, bad = synth.enterprises(200, seed=5, bad_share=0.05)
    src = tmp_path / "e.csv"
    write_table(src, table)
    o = batch(tmp_path, src, subject="enterprise")
    r = o.summary["rejection_reasons"]
    assert r.get("invalid_key") and r.get("missing_key") and r.get("invalid:district")
    assert o.summary["accepted_rows"] + o.summary["rejected_rows"] == 200
    assert o.summary["policies"]["job_retention_refund"]["eligible"] > 0


# --- bad input ---------------------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    src = tmp_path / "empty.csv"
    src.write_bytes(b"")
    with pytest.raises(BatchError, match="空的"):
        batch(tmp_path, src)


def test_headers_only_gives_empty_outputs(tmp_path):
    src = _csv(tmp_path / "h.csv", ["姓名", "身份证号"], [])
    o = batch(tmp_path, src, out_name="h_out.csv")
    assert o.summary["input_rows"] == 0 and o.paths.output.exists() and o.paths.rejected.exists()


def test_wrong_encoding(tmp_path):
    src = tmp_path / "u16.csv"
    src.write_bytes("身份证号,姓名\n".encode("utf-16"))
    with pytest.raises(BatchError, match="UTF-16"):
        batch(tmp_path, src)
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(128, 256)) * 50)
    with pytest.raises(BatchError, match="编码"):
        batch(tmp_path, junk)


def test_a_row_with_bytes_of_another_encoding_is_read_as_gbk_or_rejected(tmp_path):
    good = ids(61)
    data = "身份证号,姓名\n".encode() + "".join(f"{n},张三丰\n" for n in good[:59]).encode()
    data += f"{good[59]},".encode() + "李四\n".encode("gbk")  # one row from a GBK file pasted into a UTF-8 one: read as GBK
    data += f"{good[60]},".encode() + b"\xff\xfe\n"  # neither UTF-8 nor GBK: rejected, with its line
    src = tmp_path / "mixed.csv"
    src.write_bytes(data)
    o = batch(tmp_path, src, out_name="m.csv")
    assert o.summary["encoding"] == "utf-8"
    assert o.summary["accepted_rows"] == 60 and o.summary["rejected_rows"] == 1
    rej = read(o.paths.rejected).to_pylist()[0]
    assert "编码" in rej["reasons"] and rej["line"] == 62


def test_headers_that_map_to_nothing(tmp_path):
    src = _csv(tmp_path / "x.csv", ["foo", "bar"], [["1", "2"], ["3", "4"]])
    o = batch(tmp_path, src)
    assert o.summary["rejected_rows"] == 2 and o.summary["accepted_rows"] == 0
    assert any("无法识别" in m for m in o.messages) and any("缺少必需的列" in m for m in o.messages)
    assert "缺少必需的列「身份证号」" in read(o.paths.rejected).column("reasons")[0].as_py()
    assert o.summary["ignored_columns"] == ["foo", "bar"]


def test_duplicates_are_reported_not_merged(tmp_path):
    n = ids(2)
    src = _csv(tmp_path / "d.csv", ["身份证号", "参保缴费年限"], [[n[0], "3"], [n[1], "4"], [n[0], "5"], [n[0], "3"]])
    o = batch(tmp_path, src, chunk_size=2)
    rej = {r["row"]: r["reasons"] for r in read(o.paths.rejected).to_pylist()}
    assert set(rej) == {3, 4} and all("与第 1 条记录相同" in v for v in rej.values())
    assert o.summary["duplicate_rows"] == 2


def test_user_mapping_file(tmp_path):
    n = ids(1)
    src = _csv(tmp_path / "m.csv", ["证件编号", "缴费年数", "备注栏"], [[n[0], "3", "x"]])
    mapping = tmp_path / "cols.yaml"
    mapping.write_text("columns:\n  证件编号: id_number\n  缴费年数: contribution_years\n  备注栏: ignore\n", encoding="utf-8")
    o = batch(tmp_path, src, mapping=mapping)
    assert o.summary["accepted_rows"] == 1 and o.summary["columns"] == {"证件编号": "id_number", "缴费年数": "contribution_years"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns:\n  证件编号: id_numbr\n", encoding="utf-8")
    with pytest.raises(BatchError, match="id_number"):
        batch(tmp_path, src, mapping=bad)


def test_unsupported_file_types(tmp_path):
    old = tmp_path / "a.xls"
    old.write_bytes(b"x")
    with pytest.raises(BatchError, match="xlsx"):
        batch(tmp_path, old)
    src = _csv(tmp_path / "ok.csv", ["身份证号"], [])
    with pytest.raises(BatchError, match="输出文件"):
        batch(tmp_path, src, out_name="out.json")


# --- the commands -----------------------------------------------------------------------------------------


def test_synth_and_batch_commands(tmp_path):
    r = CliRunner().invoke(app, ["synth", "--persons", "200", "--enterprises", "50", "--seed", "1", "--out", str(tmp_path / "s.csv")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "s.enterprises.csv").exists()
    r = CliRunner().invoke(app, ["batch", str(tmp_path / "s.csv"), "--out", str(tmp_path / "o.parquet"), "--as-of", "2021-06-15",
                                 "--json", "--chunk-size", "64"])
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout[r.stdout.index("{"):])
    assert s["input_rows"] == 200 and s["accepted_rows"] + s["rejected_rows"] == 200
    r = CliRunner().invoke(app, ["batch", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "o.parquet")])
    assert r.exit_code == 2 and "找不到" in r.output


def test_batch_summary_table_names_policies_in_chinese_only(tmp_path):
    """The console table is for staff: each policy by its Chinese name, never its id (startup_subsidy …)."""
    CliRunner().invoke(app, ["synth", "--persons", "40", "--enterprises", "5", "--seed", "2", "--out", str(tmp_path / "s.csv")])
    r = CliRunner().invoke(app, ["batch", str(tmp_path / "s.csv"), "--out", str(tmp_path / "o.csv"), "--as-of", "2021-06-15",
                                 "--no-progress"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    from jiuye.knowledge.loader import get_knowledge
    kb = get_knowledge()
    assert "一次性创业补贴" in r.output
    leaked = [pid for pid in kb.policies if re.search(rf"(?<![a-z_]){pid}(?![a-z_])", r.output)]
    assert not leaked, leaked
