"""The occupational classification data, free titles → 职业 codes, and search-query parsing."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jiuye.config import data_dir
from jiuye.market.occupations import MarketDataError, get_classification, load_classification
from jiuye.market.search import parse_query

# (how people say it, a 职业 code it must resolve to among the first two)
COLLOQUIAL = [
    ("电焊工", "6-18-02-04"), ("烧电焊的", "6-18-02-04"), ("電焊工", "6-18-02-04"), ("电汗工", "6-18-02-04"),
    ("开挖掘机的", "6-30-05-05"), ("开勾机", "6-30-05-05"), ("挖觉机司机", "6-30-05-05"), ("开铲车的", "6-30-05-05"),
    ("月嫂", "4-10-01-01"), ("看孩子的", "4-10-01-01"), ("带娃", "4-10-01-01"), ("育儿嫂", "4-10-01-06"),
    ("保姆", "4-10-01-06"), ("住家保姆", "4-10-01-06"), ("家政阿姨", "4-10-01-06"), ("钟点工", "4-10-01-06"),
    ("伺候老人", "4-10-01-05"), ("养老院护工", "4-10-01-05"),
    ("送外卖", "4-10-08-01"), ("外卖骑手", "4-10-08-01"), ("送快递的", "4-02-07-08"), ("快递小哥", "4-02-07-08"),
    ("开大车的", "4-02-02-02"), ("跑长途拉货", "4-02-02-02"), ("开货车", "4-02-02-02"), ("开大巴", "4-02-02-01"),
    ("瓦工", "6-29-01-01"), ("泥瓦匠", "6-29-01-01"), ("绑钢筋的", "6-29-01-04"), ("搭架子", "6-29-01-05"),
    ("打灰的", "6-29-01-03"), ("刮大白", "6-29-04-01"), ("水暖工", "6-29-03-04"), ("电工", "6-31-01-03"),
    ("保安", "4-07-05-01"), ("看大门的", "4-07-05-01"), ("保洁阿姨", "4-09-08-01"), ("打扫卫生", "4-09-08-01"),
    ("厨师", "4-03-02-01"), ("炒菜的大厨", "4-03-02-01"), ("白案", "4-03-02-02"), ("端盘子", "4-03-02-05"),
    ("饭店服务员", "4-03-02-05"), ("宾馆铺床", "4-03-01-02"), ("超市收银", "4-01-02-04"), ("售货员", "4-01-02-03"),
    ("直播带货", "4-01-06-02"), ("搞电商的", "4-01-06-01"), ("放羊的", "5-03-02-01"), ("牧民", "5-03-02-01"),
    ("养牛", "5-03-02-01"), ("种地的", "5-01-02-01"), ("大棚种菜", "5-01-02-02"), ("开收割机", "5-05-05-01"),
    ("会计", "2-06-03-00"), ("小学老师", "2-08-02-04"), ("幼儿园老师", "2-08-03-00"), ("护士", "2-05-08-01"),
    ("修车的", "4-12-01-01"), ("理发的", "4-10-03-02"), ("开叉车", "6-30-05-01"), ("扛大包", "4-02-05-01"),
    ("中式烹调师", "4-03-02-01"), ("家畜饲养员", "5-03-02-01"),
]
NONSENSE = ["", "   ", "asdf", "123456", "哈哈哈", "今天天气不错", "我要吃饭", "？？？", "qwertyuiop", "你好",
            "明天下雨吗", "钱钱钱"]


@pytest.fixture(scope="module")
def cls():
    return get_classification()


def test_the_data_says_what_it_covers_and_loads(cls):
    assert "2022" in cls.source and cls.coverage
    levels = {o.level for o in cls.entries.values()}
    assert levels == {1, 2, 3, 4}
    assert sum(o.level == 1 for o in cls.entries.values()) == 8
    # the occupations the league's people do are all there
    for code in ("6-18-02-04", "6-30-05-05", "4-10-01-06", "4-10-01-05", "4-07-05-01", "4-03-02-01",
                 "5-03-02-01", "4-02-02-02", "6-31-01-03", "6-29-01-01", "6-29-01-04", "4-01-02-03",
                 "4-01-02-04", "4-02-07-08", "4-10-08-01", "4-03-02-05", "4-03-01-02", "4-01-06-02",
                 "2-06-03-00", "2-08-02-04", "2-05-08-01"):
        assert cls.entries[code].level == 4, code


@pytest.mark.parametrize("text,code", COLLOQUIAL)
def test_colloquial_titles_resolve(cls, text, code):
    got = cls.resolve(text)
    assert got, f"{text} resolved to nothing"
    assert code in [r.code for r in got[:2]], (text, [(r.code, r.name) for r in got])
    assert 0 < got[0].confidence <= 1 and got[0].matched and got[0].name


def test_at_least_forty_colloquial_cases():
    assert len(COLLOQUIAL) >= 40 and len({t for t, _ in COLLOQUIAL}) == len(COLLOQUIAL)


@pytest.mark.parametrize("text", NONSENSE)
def test_nonsense_resolves_to_nothing(cls, text):
    assert cls.resolve(text) == []


def test_confidence_orders_exact_above_fuzzy(cls):
    exact, alias, fuzzy = cls.resolve("焊工")[0], cls.resolve("电焊工")[0], cls.resolve("电汗工")[0]
    assert exact.how == "名称一致" and exact.confidence == 1.0
    assert alias.confidence < exact.confidence and fuzzy.confidence < alias.confidence
    assert fuzzy.how == "读音相近" and fuzzy.matched == "电焊工"


def test_unknown_code_gets_its_ancestors_name(cls):
    assert "房屋建筑施工人员" in cls.name("6-29-01-99") and "未收录" in cls.name("6-29-01-99")


def _copy_data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(data_dir() / "market", root / "market")
    shutil.copy(data_dir() / "districts.yaml", root / "districts.yaml")
    return root


WELDER = '- {code: "6-18-02-04", name: 焊工, seen: "osta2022"}'


@pytest.mark.parametrize("old,new,words", [
    (WELDER, WELDER + '\n  - {code: "6-18-02-04", name: 焊工二}', ["6-18-02-04", "编码重复"]),
    (WELDER, '- {code: "6-18-09-04", name: 焊工}', ["6-18-09-04", "上一级编码 6-18-09 不存在"]),
    (WELDER, '- {code: "6-18-2-4", name: 焊工}', ["6-18-2-4", "编码格式"]),
    (WELDER, '- {code: "6-18-02-04", name: ""}', ["6-18-02-04", "缺少名称"]),
])
def test_invalid_classification_is_refused_in_chinese(tmp_path, old, new, words):
    root = _copy_data(tmp_path)
    f = root / "market" / "occupations.yaml"
    text = f.read_text(encoding="utf-8")
    assert old in text
    f.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(MarketDataError) as exc:
        load_classification(root)
    msg = str(exc.value)
    assert "occupations.yaml" in msg and all(w in msg for w in words), msg


def test_alias_to_a_missing_code_is_refused(tmp_path):
    root = _copy_data(tmp_path)
    f = root / "market" / "occupation_aliases.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("  瓦工: [6-29-01-01]", "  瓦工: [6-29-01-77]"), encoding="utf-8")
    with pytest.raises(MarketDataError) as exc:
        load_classification(root)
    assert "occupation_aliases.yaml" in str(exc.value) and "瓦工" in str(exc.value) and "6-29-01-77" in str(exc.value)


# --- search queries ---------------------------------------------------------------------------------
def test_the_issue_example_query():
    q = parse_query("乌兰浩特 开车的活 四千以上")
    assert q.district == "乌兰浩特市"
    assert {"4-02-02-02", "4-02-02-01"} <= set(q.occupations)
    assert q.wage_min == 4000 and q.wage_unit == "month" and q.wage_max is None
    said = "；".join(q.understood)
    assert "乌兰浩特市" in said and "道路货运汽车驾驶员" in said and "4,000 元以上" in said and "「开车」" in said


@pytest.mark.parametrize("text,district,code,lo,hi,unit", [
    ("烏蘭浩特 開車的活 四千以上", "乌兰浩特市", "4-02-02-02", 4000, None, "month"),
    ("前旗 电焊 日薪三百以上", "科右前旗", "6-18-02-04", 300, None, "day"),
    ("扎旗 放羊", "扎赉特旗", "5-03-02-01", None, None, "month"),
    ("突泉 月薪3000-5000 收银", "突泉县", "4-01-02-04", 3000, 5000, "month"),
    ("外卖 五千左右", None, "4-10-08-01", 4000, 6000, "month"),
    ("阿尔山 三千五到五千 服务员", "阿尔山市", "4-03-02-05", 3500, 5000, "month"),
    ("一万二以上 挖机", None, "6-30-05-05", 12000, None, "month"),
    ("索伦 瓦工 3千以下", "科右前旗", "6-29-01-01", None, 3000, "month"),
])
def test_queries_parse(text, district, code, lo, hi, unit):
    q = parse_query(text)
    assert q.district == district and code in q.occupations
    assert q.wage_min == lo and q.wage_max == hi and q.wage_unit == unit


def test_query_dates_and_towns():
    q = parse_query("最近三天 科尔沁镇 服务员")
    assert q.within_days == 3 and q.town == "科尔沁镇" and q.district == "科右前旗"
    assert q.wage_min is None  # 三天 is a date, not a wage


def test_empty_query_says_so():
    q = parse_query("")
    assert q.understood and "没有认出" in q.understood[0]


# --- towns (data/market/towns.yaml: the 2023 统计用区划代码 乡级 list) --------------------------------------
def test_towns_carry_their_official_codes():
    from jiuye.market.prepare import get_places
    towns = get_places().towns
    assert set(towns) == {"乌兰浩特市", "阿尔山市", "科右前旗", "科右中旗", "扎赉特旗", "突泉县"}
    assert "伊尔施街道" in towns["阿尔山市"] and "天骄街道" in towns["乌兰浩特市"] and "吐列毛杜镇" in towns["科右中旗"]
    assert sum(len(v) for v in towns.values()) >= 70


@pytest.mark.parametrize("old,new,words", [
    ('{name: 索伦镇, code: "152221101"}', '{name: 索伦镇, code: "152222101"}', ["科右前旗", "索伦镇", "区划代码"]),
    ('{name: 索伦镇, code: "152221101"}', '{name: 索伦镇, code: "15222110"}', ["索伦镇", "9 位数字"]),
    ('{name: 索伦镇, code: "152221101"}', '{name: "", code: "152221101"}', ["科右前旗", "缺少名称"]),
    ('{name: 索伦镇, code: "152221101"}', '{name: 科尔沁镇, code: "152221101"}', ["科尔沁镇", "重复"]),
])
def test_invalid_towns_are_refused_in_chinese(tmp_path, old, new, words):
    from jiuye.market.prepare import get_places
    root = _copy_data(tmp_path)
    f = root / "market" / "towns.yaml"
    text = f.read_text(encoding="utf-8")
    assert old in text
    f.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(MarketDataError) as exc:
        get_places(root)
    msg = str(exc.value)
    assert "towns.yaml" in msg and all(w in msg for w in words), msg


def test_codes_follow_the_2022_list(cls):
    # checked against the 2022 classification (osta2022, see the header of occupations.yaml)
    for code, name in [("4-10-08-01", "网约配送员"), ("4-01-06-01", "电子商务师"), ("4-01-06-02", "互联网营销师"),
                       ("4-09-08-01", "保洁员"), ("4-10-01-03", "保育师"), ("4-10-01-01", "婴幼儿发展引导员"),
                       ("2-08-02-04", "小学教师"), ("2-08-03-00", "幼儿园教师"), ("4-02-02-01", "客运车辆驾驶员")]:
        assert cls.entries[code].name == name and cls.entries[code].seen, code
    for old in ("4-02-07-10", "4-01-02-02", "4-01-02-07", "4-09-07-01", "4-10-01-02", "2-08-03-02", "2-08-04-00"):
        assert old not in cls.entries, old
    assert all(o.seen for o in cls.entries.values() if o.level == 4)
    assert cls.resolve("育婴员")[0].code == "4-10-01-01" and cls.resolve("外卖员")[0].code == "4-10-08-01"
