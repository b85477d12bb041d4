"""Hostile and careless rosters and exports (issue 13, items 1 and 6): formula cells neutralised in every
CSV / XLSX written; bad CSV lines (undecodable bytes, NUL, stray quotes, huge numbers) rejected one by
one with the file's own line numbers while the rest is read; XLSX size, zip-bomb, row and empty-row
limits. Every file is built here, small on disk."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from jiuye.batch import BatchError, Options, run, synth
from jiuye.batch import readers as batch_readers
from jiuye.batch.io import neutralise, neutralise_array, open_reader, write_table

AS_OF = dt.date(2021, 6, 15)


def ids(n: int, seed: int = 3) -> list[str]:
    rng = np.random.default_rng(seed)
    birth = (np.datetime64("1970-01-01") + rng.integers(0, 9000, n)).astype("datetime64[D]")
    return synth.id_numbers(np.array(["152223"] * n), birth, np.arange(n) % 1000).tolist()


def batch(tmp: Path, src: Path, out_name: str = "out.csv", **kw):
    return run(Options(input=src, output=tmp / out_name, as_of=AS_OF, progress=False, chart=False, **kw))


def read_csv(path: Path) -> list[dict]:
    return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(strings_can_be_null=True)).to_pylist()


def rejected_by_line(o) -> dict[int, str]:
    return {r["line"]: r["reasons"] for r in read_csv(o.paths.rejected)}


# --- formula cells ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)",
                                  "\t=1+1", "\r=1+1", '=HYPERLINK("http://evil.example","点我")'])
def test_formula_text_gets_a_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["-500", "+3", "-1.5e3", ".5", "张三", "a=b", "2021-06-15", "", None, -500, -1.5, 0])
def test_numbers_and_plain_text_are_left_alone(value):
    assert neutralise(value) == value


def test_neutralise_array_text_and_dictionary_columns_only():
    text = pa.array(["=1+1", "-5", "张三", None, "@x"])
    assert neutralise_array(text).to_pylist() == ["'=1+1", "-5", "张三", None, "'@x"]
    d = pa.array(["=a", "b", "=a"]).dictionary_encode()
    assert neutralise_array(d).cast(pa.string()).to_pylist() == ["'=a", "b", "'=a"]
    nums = pa.array([-5, 3], pa.int64())
    assert neutralise_array(nums).equals(nums)


def _hostile_roster(tmp_path: Path) -> Path:
    n = ids(3)
    rows = [["@SUM(1+1)", n[0], "很多"], ['=HYPERLINK("http://evil.example","x")', "bad-id", "2"],
            ["-2+3+cmd|' /C calc'!A0", n[2], "=1+1"]]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["姓名", "身份证号", "参保缴费年限", "=cmd"])
    for r in rows:
        w.writerow(r + ["=2+2"])
    path = tmp_path / "hostile.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_batch_csv_outputs_carry_no_formula(tmp_path):
    o = batch(tmp_path, _hostile_roster(tmp_path), "out.csv")
    assert o.summary["rejected_rows"] >= 2
    text = o.paths.rejected.read_text(encoding="utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")) and not cell.startswith("-2"), row
    assert "'=cmd" in text and "'=HYPERLINK" in text and "'@SUM(1+1)" in text


def test_batch_xlsx_outputs_have_no_formula_cells_and_numbers_stay_numbers(tmp_path):
    o = batch(tmp_path, _hostile_roster(tmp_path), "out.xlsx")
    for path in (o.paths.rejected, o.paths.output):
        wb = openpyxl.load_workbook(path)  # not read-only: data_type tells formulas apart
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, cell.coordinate, cell.value)
    ws = openpyxl.load_workbook(o.paths.rejected).worksheets[0]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "'=cmd" in values and any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in values)
    out = openpyxl.load_workbook(o.paths.output).worksheets[0]
    header = [c.value for c in next(out.iter_rows())]
    amounts = [r[header.index("amount_fen")].value for r in out.iter_rows(min_row=2)]
    assert all(v is None or isinstance(v, int) for v in amounts)  # numbers are written as numbers


def test_case_export_and_cli_csv_neutralise_formulas(tmp_path):
    from fastapi.testclient import TestClient
    from sqlalchemy import select
    from typer.testing import CliRunner

    from cases_support import configured
    from jiuye.cases import service
    from jiuye.cases.demo import DEMO_PASSWORD
    from jiuye.cases.models import Person, User
    from jiuye.cli import app
    from jiuye.web.app import create_app

    evil = '=HYPERLINK("http://evil.example","点我")'
    with configured(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path) as engine:
        from sqlalchemy.orm import Session

        with Session(engine, expire_on_commit=False) as s:
            me = s.scalar(select(User).where(User.username == "zhangmin"))
            service.create_case(s, me, "flexible_employment_si_subsidy", profile={"district": "乌兰浩特市"})
            for p in s.scalars(select(Person)):
                p.name = evil
            s.commit()
        with TestClient(create_app()) as client:
            token = client.post("/api/auth/login", json={"username": "zhangmin", "password": DEMO_PASSWORD}).json()["token"]
            r = client.get("/api/cases/export.csv", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200
        rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
        names = [row[2] for row in rows[1:]]
        assert names and all(n == "'" + evil for n in names)
        out = CliRunner().invoke(app, ["cases", "list", "--as", "zhangmin", "--csv"], env={"JIUYE_PASSWORD": DEMO_PASSWORD})
        assert out.exit_code == 0, out.output
        cli_rows = list(csv.reader(io.StringIO(out.output)))
        assert [row[2] for row in cli_rows[1:]] == names


# --- CSV: bad lines rejected one by one, with the file's own line numbers ---------------------------


def _lines(header: str, body: list[str], encoding: str = "utf-8") -> bytes:
    return (header + "\n").encode(encoding) + b"".join(
        (line if isinstance(line, bytes) else (line + "\n").encode(encoding)) for line in body)


def test_gbk_file_with_one_undecodable_byte_rejects_only_that_line(tmp_path):
    n = ids(40)
    body: list = [f"{x},张三,3" for x in n]
    body[24] = f"{n[24]},".encode("gbk") + b"\x81\x20" + ",3\n".encode("gbk")  # 0x81 0x20: not GBK, not UTF-8
    src = tmp_path / "gbk.csv"
    src.write_bytes(_lines("身份证号,姓名,参保缴费年限", body, "gbk"))
    o = batch(tmp_path, src)
    assert o.summary["encoding"] == "gbk"
    assert o.summary["accepted_rows"] == 39 and o.summary["rejected_rows"] == 1
    rej = rejected_by_line(o)
    assert list(rej) == [26]  # header = line 1, so body[24] is line 26
    assert "0x81" in rej[26] and "GBK" in rej[26]


def test_a_stray_quote_swallows_nothing_and_later_lines_keep_their_numbers(tmp_path):
    n = ids(12)
    body = [f"{x},张三,3" for x in n]
    body[3] = f'{n[3]},"张三,3'  # a stray quote: line 5
    body[7] = f"{n[7]},张三,3,多出一列"  # a long row: line 9
    body[10] = f"{n[10]},张三,99"  # an impossible value: line 12
    src = tmp_path / "q.csv"
    src.write_bytes(_lines("身份证号,姓名,参保缴费年限", body))
    o = batch(tmp_path, src)
    assert o.summary["input_rows"] == 12
    assert o.summary["accepted_rows"] == 9 and o.summary["rejected_rows"] == 3
    rej = rejected_by_line(o)
    assert sorted(rej) == [5, 9, 12]
    assert "引号" in rej[5] and "4 列" in rej[9] and "参保缴费年限" in rej[12]


def test_blank_lines_and_empty_rows_are_not_records_but_count_as_lines(tmp_path):
    n = ids(6)
    body = [f"{n[0]},张三,3", "", f"{n[1]},张三,3", ",,", " , ,", f"{n[2]},张三,99", f"{n[3]},张三,3"]
    src = tmp_path / "b.csv"
    src.write_bytes(_lines("身份证号,姓名,参保缴费年限", body).replace(b"\n", b"\r\n"))
    o = batch(tmp_path, src)
    assert o.summary["input_rows"] == 4 and o.summary["rejected_rows"] == 1
    assert list(rejected_by_line(o)) == [7]  # the file's 7th line (CRLF line ends)
    assert [r["row"] for r in read_csv(o.paths.rejected)] == [3]  # the 3rd record


def test_nul_bytes_reject_the_line(tmp_path):
    n = ids(5)
    body = [f"{x},张三,3" for x in n]
    body[2] = f"{n[2]},张\x00三,3"
    src = tmp_path / "nul.csv"
    src.write_bytes(_lines("身份证号,姓名,参保缴费年限", body))
    o = batch(tmp_path, src)
    assert o.summary["accepted_rows"] == 4
    rej = rejected_by_line(o)
    assert list(rej) == [4] and "NUL" in rej[4]


@pytest.mark.parametrize("huge", ["1e400", "99999999999999999999", "-1e400"])
def test_huge_numbers_reject_the_row_only(tmp_path, huge):
    n = ids(4)
    body = [f"{n[0]},3,3000", f"{n[1]},{huge},3000", f"{n[2]},2,{huge}", f"{n[3]},1,2000"]
    src = tmp_path / "huge.csv"
    src.write_bytes(_lines("身份证号,参保缴费年限,月工资", body))
    o = batch(tmp_path, src)
    assert o.summary["accepted_rows"] == 2
    rej = rejected_by_line(o)
    assert sorted(rej) == [3, 4] and "参保缴费年限" in rej[3] and "月工资" in rej[4]


def test_a_clean_file_takes_the_fast_path_and_a_bad_line_only_its_block(tmp_path):
    table, _ = synth.persons(2000, seed=5, as_of=AS_OF)
    src = tmp_path / "clean.csv"
    write_table(src, table, encoding="utf-8")
    r = open_reader(src)
    assert sum(c.count for c in r.chunks(500)) == 2000 and r.slow_blocks == 0
    lines = src.read_bytes().split(b"\n")
    lines.insert(1000, b'9999,"stray')  # a stray quote on line 1001: pyarrow would run it into the lines after
    src.write_bytes(b"\n".join(lines))
    r = open_reader(src)
    chunks = list(r.chunks(500))
    assert sum(c.count for c in chunks) == 2001 and r.slow_blocks == 1
    assert [(m[3], "引号" in m[2]) for c in chunks for m in c.malformed] == [(1001, True)]
    good = np.concatenate([c.line_numbers() for c in chunks])
    assert good.tolist() == [x for x in range(2, 2003) if x != 1001]


def test_row_limit_for_csv_and_parquet(tmp_path, monkeypatch):
    monkeypatch.setenv("JIUYE_ROSTER_MAX_ROWS", "50")
    n = ids(60)
    src = tmp_path / "many.csv"
    src.write_bytes(_lines("身份证号,姓名", [f"{x},张三" for x in n]))
    with pytest.raises(BatchError, match="50 条记录的上限.*JIUYE_ROSTER_MAX_ROWS"):
        batch(tmp_path, src)
    pq_src = tmp_path / "many.parquet"
    write_table(pq_src, pa.table({"身份证号": n, "姓名": ["张三"] * 60}))
    with pytest.raises(BatchError, match="50 条记录的上限"):
        batch(tmp_path, pq_src, "o2.csv")


# --- XLSX: bounded --------------------------------------------------------------------------------


def _xlsx(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _replace_member(path: Path, name: str, chunks) -> None:
    """Rewrite ``path`` with member ``name`` replaced by the concatenation of ``chunks`` (streamed)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == name:
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(info, "w", force_zip64=True) as f:
                    for c in chunks:
                        f.write(c)
            else:
                dst.writestr(info, src.read(info.filename))
    tmp.replace(path)


def test_xlsx_zip_bomb_is_refused_before_parsing(tmp_path):
    path = _xlsx(tmp_path / "bomb.xlsx", [["身份证号"], [ids(1)[0]]])
    block = b" " * (1 << 20)
    _replace_member(path, "xl/worksheets/sheet1.xml", (block for _ in range(64)))  # 64 MB of spaces
    assert path.stat().st_size < 1 << 20
    with pytest.raises(BatchError, match="压缩比超过 200:1"):
        batch(tmp_path, path)


def test_xlsx_unpacking_past_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("JIUYE_ROSTER_XLSX_MAX_UNZIPPED", str(2 << 20))
    path = _xlsx(tmp_path / "big.xlsx", [["身份证号"], [ids(1)[0]]])
    rng = np.random.default_rng(0)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/noise.bin", rng.integers(0, 256, 3 << 20, dtype=np.uint8).tobytes())
    with pytest.raises(BatchError, match="解压后有 3 MB，超过 2 MB 的上限.*JIUYE_ROSTER_XLSX_MAX_UNZIPPED"):
        batch(tmp_path, path)


def test_xlsx_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    path = _xlsx(tmp_path / "s.xlsx", [["身份证号"], [ids(1)[0]]])
    monkeypatch.setenv("JIUYE_ROSTER_XLSX_MAX_BYTES", str(path.stat().st_size - 1))
    with pytest.raises(BatchError, match="JIUYE_ROSTER_XLSX_MAX_BYTES"):
        batch(tmp_path, path)


def test_xlsx_row_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("JIUYE_ROSTER_XLSX_MAX_ROWS", "5")
    path = _xlsx(tmp_path / "r.xlsx", [["身份证号"]] + [[x] for x in ids(8)])
    with pytest.raises(BatchError, match="5 条记录的上限.*JIUYE_ROSTER_XLSX_MAX_ROWS"):
        batch(tmp_path, path)


def _styled_empty_rows(path: Path, data: list[list[str]], empty_rows: int) -> None:
    """A sheet of ``data`` followed by ``empty_rows`` styled empty rows (as Excel leaves after a format
    applied to whole columns), the dimension claiming them all."""
    last = len(data) + empty_rows

    def xml():
        yield (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               + f'<dimension ref="A1:C{last}"/><sheetData>'.encode())
        for i, row in enumerate(data, 1):
            cells = "".join(f'<c r="{"ABC"[j]}{i}" t="inlineStr"><is><t>{v}</t></is></c>' for j, v in enumerate(row))
            yield f'<row r="{i}">{cells}</row>'.encode()
        for start in range(len(data) + 1, last + 1, 10_000):
            yield "".join(f'<row r="{i}" s="1" customFormat="1"/>'
                          for i in range(start, min(start + 10_000, last + 1))).encode()
        yield b"</sheetData></worksheet>"

    _replace_member(path, "xl/worksheets/sheet1.xml", xml())


def test_xlsx_millions_of_styled_empty_rows_stop_at_the_data(tmp_path):
    n = ids(3)
    path = _xlsx(tmp_path / "e.xlsx", [["x"]])
    _styled_empty_rows(path, [["身份证号", "姓名", "参保缴费年限"]] + [[x, "张三", "3"] for x in n], 2_000_000)
    assert path.stat().st_size < 8 << 20
    reader = open_reader(path)
    pulled = [0]
    inner = reader._rows

    def counting():
        for values in inner:
            pulled[0] += 1
            yield values

    reader._rows = counting()
    assert sum(c.count for c in reader.chunks(1000)) == 3
    assert pulled[0] <= 3 + batch_readers.EMPTY_ROWS_STOP  # not the two million empty rows
    assert reader.estimated_rows <= 1_048_576
    o = batch(tmp_path, path)
    assert o.summary["input_rows"] == 3 and o.summary["accepted_rows"] == 3


def test_xlsx_rejected_rows_name_the_sheet_row(tmp_path):
    n = ids(3)
    path = _xlsx(tmp_path / "g.xlsx", [[], ["身份证号", "参保缴费年限"], [n[0], "3"], [None, None], [n[1], "99"], [n[2], "2"]])
    o = batch(tmp_path, path)
    assert rejected_by_line(o) == {5: rejected_by_line(o)[5]} and "参保缴费年限" in rejected_by_line(o)[5]


def test_case_import_of_an_xlsx_is_bounded_too(tmp_path, monkeypatch):
    from jiuye.cases.batchfile import read_rows

    path = _xlsx(tmp_path / "cases.xlsx", [["policy", "status"], ["job_retention_refund", "符合"]])
    _styled_empty_rows(path, [["policy", "status"], ["job_retention_refund", "符合"]], 300_000)
    rows, digest = read_rows(path)
    assert [{k: v for k, v in r.items() if k} for r in rows] == [{"policy": "job_retention_refund", "status": "符合"}]
    assert len(digest) == 64
    bomb = _xlsx(tmp_path / "bomb.xlsx", [["policy"]])
    _replace_member(bomb, "xl/worksheets/sheet1.xml", (b" " * (1 << 20) for _ in range(32)))
    with pytest.raises(ValueError, match="压缩比"):
        read_rows(bomb)


def test_a_file_without_line_ends_is_refused_not_buffered(tmp_path, monkeypatch):
    from jiuye.batch import csvread

    monkeypatch.setattr(csvread, "MAX_LINE_BYTES", 1 << 20)
    monkeypatch.setattr(csvread, "BLOCK_BYTES", 1 << 18)
    src = tmp_path / "one-line.csv"
    src.write_bytes(b"id,name\n" + b"x" * (3 << 20))
    with pytest.raises(BatchError, match="超过 1 MB 还没有换行"):
        batch(tmp_path, src)


def test_a_lone_carriage_return_inside_a_line_rejects_that_line_only(tmp_path):
    n = ids(4)
    src = tmp_path / "cr.csv"
    src.write_bytes(_lines("身份证号,姓名,参保缴费年限", [f"{n[0]},张三,3", f"{n[1]},张\r三,3", f"{n[2]},张三,3", f"{n[3]},张三,3"]))
    o = batch(tmp_path, src)
    assert o.summary["accepted_rows"] == 3 and list(rejected_by_line(o)) == [3]
