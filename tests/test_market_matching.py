"""Matching over records: hard filters, ranking, reasons, both sides, search ranking, the batch CLI
round trip, schemas, synthetic data and the evaluation against the baseline."""
from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from jiuye.cli import app
from jiuye.market import matching, synth
from jiuye.market.match_cli import run_match
from jiuye.market.recordio import read_records
from jiuye.market.records import PostingRecord, SeekerRecord
from jiuye.market.search import parse_query, rank_postings

DAY = dt.date(2026, 6, 15)
runner = CliRunner()


def post(id, **kw) -> PostingRecord:
    base = dict(id=id, employer_name="科尔沁钢结构有限公司", title="焊工", occupation_code="6-18-02-04", district="科右前旗",
                wage_min=4000, wage_max=5000, published_on=DAY - dt.timedelta(days=3), valid_through=DAY + dt.timedelta(days=30))
    base.update(kw)
    return PostingRecord(**base)


def seeker(id="S1", **kw) -> SeekerRecord:
    base = dict(id=id, desired_titles=["电焊工"], desired_occupations=["6-18-02-04"], districts=["科右前旗"],
                expected_wage=3500, birth_date=dt.date(1990, 1, 1))
    base.update(kw)
    return SeekerRecord(**base)


def ids(seekers, posts, top=10):
    r = matching.match_seekers(seekers, posts, DAY, top)
    return {k: [m.posting_id for m in v] for k, v in r.items()}, r


def test_the_issue_example_reason():
    _, r = ids([seeker()], [post("P1")])
    (m,) = r["S1"]
    text = "，".join(m.reasons)
    assert text.startswith("在你想去的科右前旗，工种与你登记的「电焊工」一致，月薪 4,000–5,000 元不低于你的期望 3,500 元")
    assert "3 天前发布" in text


@pytest.mark.parametrize("bad_post,why", [
    (dict(district="突泉县"), "place"),
    (dict(required_certificates=["焊工证"]), "certificate"),
    (dict(valid_through=DAY - dt.timedelta(days=1)), "expired"),
    (dict(max_age=30), "age limit"),
    (dict(education_min="bachelor"), "education"),
    (dict(district=None, outside_league=True, address="辽宁省沈阳市"), "outside, not willing"),
])
def test_hard_conditions_filter(bad_post, why):
    got, _ = ids([seeker(education="junior")], [post("OK"), post("BAD", **bad_post)])
    assert got["S1"] == ["OK"], why


def test_certificates_compare_by_normalised_name():
    got, _ = ids([seeker(certificates=["电焊证"])], [post("P1", required_certificates=["焊工证"])])
    assert got["S1"] == ["P1"]


def test_under_the_legal_minimum_age_gets_nothing():
    got, _ = ids([seeker(birth_date=DAY.replace(year=DAY.year - 15))], [post("P1")])
    assert got["S1"] == []
    got, _ = ids([seeker(birth_date=DAY.replace(year=DAY.year - 16))], [post("P1")])
    assert got["S1"] == ["P1"]


def test_outside_league_only_for_the_willing():
    far = post("FAR", district=None, outside_league=True, address="辽宁省沈阳市", wage_min=7000, wage_max=9000)
    got, r = ids([seeker(willing_outside_league=True)], [far])
    assert got["S1"] == ["FAR"] and "盟外岗位（辽宁省沈阳市）" in r["S1"][0].reasons[0]


def test_no_district_chosen_means_anywhere_in_the_league():
    got, r = ids([seeker(districts=[])], [post("P1", district="突泉县")])
    assert got["S1"] == ["P1"] and "你没有限定工作地点" in r["S1"][0].reasons[0]


def test_occupation_levels_rank():
    posts = [post("MIDDLE", occupation_code="6-18-01-01", title="车工"), post("CODE"),
             post("MINOR", occupation_code="6-18-02-01", title="铸造工"), post("OTHER", occupation_code="4-03-02-05", title="服务员")]
    got, r = ids([seeker()], posts)
    assert got["S1"][:3] == ["CODE", "MINOR", "MIDDLE"]
    assert "同属「机械热加工人员」" in r["S1"][1].reasons[1]


def test_titles_without_codes_are_resolved():
    got, r = ids([seeker(desired_occupations=[], desired_titles=["开挖掘机的"])],
                 [post("DIG", occupation_code=None, title="挖机司机"), post("WELD")])
    assert got["S1"][0] == "DIG" and "「开挖掘机的」一致" in r["S1"][0].reasons[1]


def test_wage_town_and_freshness_rank_within_the_same_job():
    s = seeker(towns=["索伦镇"], expected_wage=4500)
    posts = [post("LOW", wage_min=3000, wage_max=3500), post("TOWN", town="索伦镇"),
             post("OLD", published_on=DAY - dt.timedelta(days=80))]
    got, r = ids([s], posts)
    assert got["S1"][0] == "TOWN" and got["S1"][-1] == "LOW"
    assert r["S1"][0].reasons[0] == "就在你选的科右前旗索伦镇"
    assert any("低于你的期望 4,500 元" in x for x in r["S1"][-1].reasons)


def test_day_wages_compare_by_21_75_days():
    _, r = ids([seeker(expected_wage=4000)], [post("DAY", wage_min=200, wage_max=200, wage_unit="day")])
    assert any("日薪 200 元不低于你的期望 4,000 元（按每月 21.75 个计薪日折算）" in x for x in r["S1"][0].reasons)


def test_the_posting_side_has_the_same_scores():
    seekers = [seeker("S1"), seeker("S2", districts=["突泉县"]), seeker("S3", desired_occupations=["6-29-01-01"],
                                                                       desired_titles=["瓦工"])]
    posts = [post("P1"), post("P2", occupation_code="6-29-01-01", title="瓦工")]
    m = matching.build(seekers, posts, DAY)
    by_seeker = matching.for_seekers(m, 5)
    by_post = matching.for_postings(m, 5)
    assert [x.seeker_id for x in by_post["P1"]] == ["S1", "S3"]
    s1 = {x.posting_id: x.score for x in by_seeker["S1"]}
    assert by_post["P1"][0].score == s1["P1"]
    text = "，".join(by_post["P1"][0].reasons)
    assert "登记想做「电焊工」，与本岗位工种一致" in text and "期望月薪 3,500 元" in text


def test_blocking_falls_back_to_other_jobs_when_too_few():
    got, r = ids([seeker(desired_occupations=["2-06-03-00"], desired_titles=["会计"])], [post("P1"), post("P2")], top=5)
    assert set(got["S1"]) == {"P1", "P2"}
    assert "与你登记的工作不同" in r["S1"][0].reasons[1]


def test_synthetic_market_matches_and_is_deterministic():
    s1, p1 = synth.seekers(300, 7, DAY), synth.postings(120, 7, DAY)
    assert s1.equals(synth.seekers(300, 7, DAY)) and p1.equals(synth.postings(120, 7, DAY))
    from jiuye.market.occupations import get_classification
    from jiuye.market.recordio import parse_row

    seekers = [parse_row("seeker", r)[0] for r in s1.to_pylist()]
    posts = [parse_row("posting", r)[0] for r in p1.to_pylist()]
    assert all(seekers) and all(posts)
    cls = get_classification()
    assert all(p.occupation_code in cls.entries for p in posts if p.occupation_code)
    r = matching.match_seekers(seekers, posts, DAY, 10)
    assert sum(1 for v in r.values() if v) > 250
    assert all(len(v) <= 10 and [m.rank for m in v] == list(range(1, len(v) + 1)) for v in r.values())
    assert all(v[i].score >= v[i + 1].score for v in r.values() for i in range(len(v) - 1))


# --- search -----------------------------------------------------------------------------------------
def test_search_ranks_posts_for_the_query():
    posts = [post("DRIVE", occupation_code="4-02-02-02", title="货车司机", district="乌兰浩特市", wage_min=5000, wage_max=6000),
             post("CHEAP", occupation_code="4-02-02-02", title="货车司机", district="乌兰浩特市", wage_min=3000, wage_max=3500),
             post("ELSEWHERE", occupation_code="4-02-02-02", title="货车司机", district="突泉县", wage_min=5000, wage_max=6000),
             post("COOK", occupation_code="4-03-02-01", title="厨师", district="乌兰浩特市", wage_min=5000, wage_max=6000),
             post("BUS", occupation_code="4-02-02-01", title="班车司机", district="乌兰浩特市", wage_min=4500, wage_max=5000)]
    q = parse_query("乌兰浩特 开车的活 四千以上")
    got = rank_postings(q, posts, DAY)
    assert [p.id for p, _, _ in got][:2] in (["DRIVE", "BUS"], ["BUS", "DRIVE"])
    assert {p.id for p, _, _ in got} == {"DRIVE", "BUS"}
    assert any("不低于 4,000 元" in x for x in got[0][2])


# --- batch CLI ----------------------------------------------------------------------------------------
def _write_csv(path, header, rows):
    path.write_text("\n".join([",".join(header)] + [",".join(r) for r in rows]) + "\n", encoding="utf-8")


@pytest.fixture()
def files(tmp_path):
    seekers = tmp_path / "seekers.csv"
    _write_csv(seekers, ["求职登记编号", "想做的工作", "愿意工作的旗县市", "期望工资", "出生日期", "证书"], [
        ["S1", "电焊工", "前旗", "3500", "1990-01-01", "焊工证"],
        ["S2", "开大车的", "乌兰浩特", "6000", "1985-05-05", "B2驾照"],
        ["S3", "保姆", "火星市", "4000", "1970-01-01", ""],  # unknown district
        ["S4", "月嫂", "乌兰浩特", "很多", "1980-01-01", ""],  # wage not a number
        ["", "瓦工", "扎旗", "300", "1980-01-01", ""],  # no id
        ["S1", "瓦工", "扎旗", "300", "1980-01-01", ""],  # duplicate id
    ])
    posts = tmp_path / "posts.jsonl"
    rows = [
        {"id": "P1", "employer_name": "科尔沁钢结构有限公司", "title": "焊工", "occupation_code": "6-18-02-04", "district": "科右前旗",
         "wage_min": 4000, "wage_max": 5000, "required_certificates": ["焊工证"], "valid_through": "2026-12-31"},
        {"id": "P2", "employer_name": "兴安物流有限公司", "title": "货车司机", "district": "乌兰浩特市", "wage_min": 5500,
         "wage_max": 7000, "required_certificates": "B2驾驶证"},
        {"id": "P3", "employer_name": "某公司", "title": "焊工", "district": "科右前旗", "wage_min": 5000, "wage_max": 4000},
        {"id": "P4", "employer_name": "某公司", "title": "焊工", "occupation_code": "6-18-2", "district": "科右前旗"},
    ]
    posts.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\nnot json\n", encoding="utf-8")
    return seekers, posts


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".jsonl"])
def test_match_cli_round_trip(files, tmp_path, suffix):
    seekers, posts = files
    out = tmp_path / f"out{suffix}"
    res = runner.invoke(app, ["match", "--seekers", str(seekers), "--postings", str(posts), "--top", "3", "--out", str(out),
                              "--as-of", "2026-06-15", "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout[res.stdout.index("{"):])
    assert summary["seekers"] == 2 and summary["seekers_rejected"] == 4
    assert summary["postings"] == 2 and summary["postings_rejected"] == 3
    rows, _, _ = _read_back(out)
    assert [(r["求职登记编号"], r["岗位编号"]) for r in rows] == [("S1", "P1"), ("S2", "P2")]
    assert "工种与你登记的「电焊工」一致" in rows[0]["理由"]
    rejected, _, _ = _read_back(tmp_path / f"out.rejected{suffix}")
    reasons = "\n".join(r["原因"] for r in rejected)
    for expected in ("第 3 行（文件第 4 行）：「愿意工作的旗县市」「火星市」不是兴安盟的旗县市", "第 4 行（文件第 5 行）：「期望工资」应为数字",
                     "第 5 行（文件第 6 行）：「求职登记编号」", "第 6 行（文件第 7 行）：「编号」S1 与第 1 行重复",
                     "「工资上限」4,000 小于「工资下限」5,000", "「职业编码」「6-18-2」格式不对", "不是一个 JSON 对象"):
        assert expected in reasons, (expected, reasons)
    assert len(rejected) == 7  # every input row is either matched on or rejected: 6 + 5 rows in, 4 + 3 rejected


def _read_back(path):
    if path.suffix == ".jsonl":
        return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()], None, None
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist(), None, None
    if path.suffix == ".xlsx":
        import openpyxl

        ws = openpyxl.load_workbook(path).worksheets[0]
        values = list(ws.values)
        return [dict(zip(values[0], (("" if v is None else str(v)) for v in r))) for r in values[1:]], None, None
    import pyarrow.csv as pacsv

    return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(strings_can_be_null=False,
                                                                      column_types={"名次": pa.string()})).to_pylist(), None, None


def test_match_for_postings_and_consent(files, tmp_path):
    seekers, posts = files
    out = tmp_path / "p.jsonl"
    s = run_match(seekers, posts, out, 5, "postings", DAY)
    rows, _, _ = _read_back(out)
    assert {(r["岗位编号"], r["求职登记编号"]) for r in rows} == {("P1", "S1"), ("P2", "S2")}
    assert s["rows"] == 2
    s = run_match(seekers, posts, out, 5, "postings", DAY, consent_only=True)
    assert s["rows"] == 0 and s["seekers"] == 0


def test_dask_engine_gives_the_same_rows(files, tmp_path):
    seekers, posts = files
    run_match(seekers, posts, tmp_path / "local.jsonl", 3, "seekers", DAY)
    run_match(seekers, posts, tmp_path / "dask.jsonl", 3, "seekers", DAY, engine="dask", workers=1, chunk=1,
              dask_processes=False)
    assert (tmp_path / "local.jsonl").read_text(encoding="utf-8") == (tmp_path / "dask.jsonl").read_text(encoding="utf-8")


def test_match_cli_refuses_bad_options_in_chinese(files, tmp_path):
    seekers, posts = files
    for args, words in ((["--for", "everyone"], "--for 应为"), (["--engine", "spark"], "--engine 应为"),
                        (["--top", "0"], "--top 应在")):
        res = runner.invoke(app, ["match", "--seekers", str(seekers), "--postings", str(posts), "--out",
                                  str(tmp_path / "o.csv"), *args])
        assert res.exit_code == 2 and words in res.output
    res = runner.invoke(app, ["match", "--seekers", str(tmp_path / "missing.csv"), "--postings", str(posts), "--out",
                              str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "找不到输入文件" in res.output


def test_schema_printing():
    for name, model in (("seeker", SeekerRecord), ("posting", PostingRecord)):
        res = runner.invoke(app, ["schema", name])
        assert res.exit_code == 0
        schema = json.loads(res.stdout)
        assert schema == model.model_json_schema() and "id" in schema["properties"]
    assert json.loads(runner.invoke(app, ["schema", "seeker"]).stdout)["properties"]["desired_titles"]["title"] == "想做的工作（自己的说法）"
    res = runner.invoke(app, ["schema", "nothing"])
    assert res.exit_code == 2 and "seeker" in res.output


def test_synth_cli_writes_seekers_and_postings_that_match(tmp_path):
    res = runner.invoke(app, ["synth", "--seekers", "50", "--postings", "30", "--out", str(tmp_path / "m.csv"),
                              "--as-of", "2026-06-15"])
    assert res.exit_code == 0, res.output
    s, s_rej, _ = read_records("seeker", tmp_path / "m.seekers.csv")
    p, p_rej, _ = read_records("posting", tmp_path / "m.postings.csv")
    assert (len(s), len(p), s_rej, p_rej) == (50, 30, [], [])


def test_eval_matcher_beats_the_baseline():
    from jiuye.market.evaluate import evaluate

    r = evaluate()
    for side in ("for_seekers", "for_postings"):
        mine, base = r[side]["matcher"], r[side]["baseline"]
        assert mine["ndcg"] >= base["ndcg"] + 0.15 and mine["recall"] >= base["recall"] + 0.2, (side, r)
    res = runner.invoke(app, ["eval-match"])
    assert res.exit_code == 0 and "NDCG@5" in res.output


def test_bulk_reasons_are_the_same_sentences_as_one_by_one():
    import numpy as np

    from jiuye.market.reason_columns import seeker_reason_texts
    from jiuye.market.reasons import seeker_reasons
    from jiuye.market.recordio import parse_row

    seekers = [parse_row("seeker", r)[0] for r in synth.seekers(400, 3, DAY).to_pylist()]
    posts = [parse_row("posting", r)[0] for r in synth.postings(150, 3, DAY).to_pylist()]
    m = matching.build(seekers, posts, DAY)
    best = matching._run(m, 10, True)
    ok = (best.idx >= 0) & (best.val > matching.NEG)
    I = np.repeat(np.arange(len(seekers)), 10).reshape(-1, 10)[ok]
    J = best.idx[ok]
    bulk = seeker_reason_texts(m, I, J)
    assert len(bulk) > 1000
    assert all(bulk[a] == "，".join(seeker_reasons(m, int(i), int(j))) for a, (i, j) in enumerate(zip(I, J)))


def test_posting_index_gives_the_same_matches_as_the_batch():
    from jiuye.market.recordio import parse_row

    seekers = [parse_row("seeker", r)[0] for r in synth.seekers(60, 5, DAY).to_pylist()]
    posts = [parse_row("posting", r)[0] for r in synth.postings(200, 5, DAY).to_pylist()]
    batch = matching.match_seekers(seekers, posts, DAY, 5)
    index = matching.PostingIndex(posts, DAY)
    for s in seekers:
        one = index.for_seeker(s, 5)
        assert [(x.posting_id, x.score, x.reasons) for x in one] == [(x.posting_id, x.score, x.reasons) for x in batch[s.id]]
