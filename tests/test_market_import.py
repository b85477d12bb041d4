"""Posts from the spreadsheets employers bring (CSV in GBK or UTF-8, XLSX; Chinese headers): every row
accepted or rejected naming the row and the field; export writes the same headers and imports again
as it is; no cell runs as a formula."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session

from jiuye.market import employers, importing, postings
from jiuye.market.common import Invalid
from market_support import market_db, user
from jiuye.config import today as beijing_today  # the league's today (Beijing), as the code uses

LATER = (beijing_today() + dt.timedelta(days=20)).isoformat()


@pytest.fixture()
def s(tmp_path):
    with market_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as session:
        employers.register(session, user(session, "xingan_food"))
        yield session


def _csv(rows: list[list[str]], encoding: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def test_gbk_csv_rows_accepted_or_rejected_with_row_and_field(s, tmp_path):
    rows = [["岗位名称", "招用人数", "工资下限（元）", "工资单位", "是否缴纳社会保险", "工作地点", "有效期至", "任职要求", "备注"],
            ["电焊工", "2", "4500", "元/月", "是", "乌兰浩特", LATER, "持焊工证", "x"],        # line 2: accepted
            ["保洁员", "两", "三千", "月", "否", "乌兰浩特市", "", "限女性", ""],               # line 3: accepted (Chinese numerals)
            ["司机", "1", "abc", "元/月", "是", "乌兰浩特市", LATER, "", ""],                 # line 4: wage not a number
            ["厨师", "1", "4000", "元/周", "是", "乌兰浩特市", LATER, "", ""],                # line 5: unit unknown
            ["保安", "1", "3000", "元/月", "也许", "北京", LATER, "", ""],                    # line 6: yes/no
            ["", "1", "3000", "元/月", "是", "乌兰浩特市", LATER, "", ""],                   # line 7: no title
            ["会计", "1", "5000", "元/月", "是", "北京", LATER, "", ""],                     # line 8: district
            ["出纳", "1", "5000", "元/月", "是", "乌兰浩特市", "2021年2月30日", "", ""]]     # line 9: impossible date
    path = tmp_path / "岗位.csv"
    path.write_bytes(_csv(rows, "gbk"))
    rep = importing.import_file(s, user(s, "xingan_food"), path).as_dict()
    assert [r["row"] for r in rep["accepted_rows"]] == [2, 3]
    assert rep["ignored_columns"] == ["备注"]
    bad = {(r["row"], r["field"]) for r in rep["rejected_rows"]}
    assert bad == {(4, "wage_min"), (5, "wage_unit"), (6, "social_insurance"), (7, "title"), (8, "district"),
                   (9, "valid_through")}, rep["rejected_rows"]
    for r in rep["rejected_rows"]:
        assert r["message"].startswith(f"第 {r['row']} 行") and "「" in r["message"], r
    cleaner = postings.load(s, user(s, "xingan_food"), rep["accepted_rows"][1]["id"])
    assert cleaner.places == 2 and cleaner.wage_min == 3000 and cleaner.state == "pending"
    assert {"gender", "social_insurance"} <= {f["rule"] for f in cleaner.flags}  # imported posts are reviewed too
    assert rep["accepted"] + len({r["row"] for r in rep["rejected_rows"]}) == len(rows) - 1  # every row accounted for


def test_xlsx_with_excel_dates_and_numbers(s, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["职位名称", "招聘人数", "最低工资", "工资单位", "社保", "工作地点（旗县市）", "截止日期", "最低学历", "必须持有的证书"])
    ws.append(["叉车司机", 3, 4200, "元/月", "是", "乌兰浩特市", dt.datetime.combine(dt.date.fromisoformat(LATER), dt.time()),
               "高中", "叉车证、C1驾驶证"])
    ws.append(["装卸工", 1.5, 3000, "元/月", "是", "乌兰浩特市", None, "硕博", None])
    path = tmp_path / "岗位.xlsx"
    wb.save(path)
    rep = importing.import_file(s, user(s, "xingan_food"), path, submit=False).as_dict()
    assert [r["row"] for r in rep["accepted_rows"]] == [2]
    assert {(r["row"], r["field"]) for r in rep["rejected_rows"]} == {(3, "places"), (3, "education_min")}
    p = postings.load(s, user(s, "xingan_food"), rep["accepted_rows"][0]["id"])
    assert p.state == "draft" and p.valid_through.isoformat() == LATER
    assert p.record["required_certificates"] == ["叉车证", "C1驾驶证"] and p.record["education_min"] == "senior"


def test_export_imports_again_as_it_is_and_no_cell_runs(s, tmp_path):
    firm = user(s, "xingan_food")
    postings.create(s, firm, {"title": "=HYPERLINK(\"http://x\")", "places": 2, "district": "乌兰浩特市", "wage_min": 3100,
                              "wage_max": 3600, "social_insurance": True, "valid_through": LATER,
                              "required_certificates": ["健康证"], "contract_type": "fixed", "education_min": "junior",
                              "duties": "-1+2", "contact": "@王"})
    for fmt in ("xlsx", "csv"):
        out = importing.export_file(s, firm, tmp_path / f"out.{fmt}")
        if fmt == "xlsx":
            ws = load_workbook(out).active
            header = [c.value for c in ws[1]]
            row = dict(zip(header, [c.value for c in ws[2]]))
        else:
            rd = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
            header, row = rd[0], dict(zip(rd[0], rd[1]))
        assert header == importing.headers()
        assert row["岗位名称"].startswith("'=") and row["工作内容"].startswith("'-") and row["联系人及电话"].startswith("'@")
        assert row["工资单位"] == "元/月" and row["是否缴纳社会保险"] == "是" and row["用工形式"] == "固定期限劳动合同"
    before = {p.id for p in postings.list_for(s, firm)}
    rep = importing.import_file(s, firm, tmp_path / "out.xlsx", submit=False).as_dict()
    assert rep["accepted"] == 1 and not rep["rejected_rows"] and not rep["ignored_columns"]
    new = next(p for p in postings.list_for(s, firm) if p.id not in before)
    old = next(p for p in postings.list_for(s, firm) if p.id in before)
    keep = lambda r: {k: v for k, v in r.items() if k not in ("title", "duties", "contact")}  # noqa: E731 (the ' prefix stays)
    assert keep(new.record) == keep(old.record)


def test_a_file_without_titles_or_unreadable_is_refused_whole(s, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(_csv([["名称", "人数"], ["a", "1"]], "utf-8"))
    with pytest.raises(Invalid, match="岗位名称"):
        importing.import_file(s, user(s, "xingan_food"), path)
    old = tmp_path / "x.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(Invalid, match="xlsx"):
        importing.import_file(s, user(s, "xingan_food"), old)


def test_only_employers_import(s, tmp_path):
    from jiuye.market.common import Forbidden

    path = tmp_path / "x.csv"
    path.write_bytes(_csv([["岗位名称"], ["电工"]], "utf-8"))
    for who in ("zhangmin", "zx_wlht"):
        with pytest.raises(Forbidden):
            importing.import_file(s, user(s, who), path)
