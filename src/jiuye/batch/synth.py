"""``jiuye synth``: a synthetic roster of the league, as a centre's export would look.

Persons: 姓名, 身份证号 (valid GB 11643 numbers with the address codes of the six 旗县市), 性别,
出生日期, 旗县市 (weighted by population; some written the way people write them, e.g. 扎旗),
参保缴费年限 (bounded by age), employment and unemployment-insurance facts, 证书等级 and dates,
人员类别 (高校毕业生, 就业困难人员 …), 毕业日期, business start-ups, 婚姻 — and a share of deliberately
bad rows (wrong check digit, sex contradicting the 身份证号, 2021-02-30, a date after the as-of date,
a duplicate 身份证号, an unknown district, a negative number, an empty 身份证号 …), each kind listed
in the returned counts so tests can check every one was caught.

Enterprises: 单位名称, 统一社会信用代码 (valid GB 32100), 旗县市, 企业规模, contributions, layoffs,
headcounts, 稳岗返还 facts; bad rows likewise.

Everything is drawn with numpy from one seed: the same arguments give the same file.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa

from jiuye.batch.ids import USCC_CHARS, USCC_WEIGHTS
from jiuye.idcard import CHECK_CHARS, WEIGHTS

# address code, district key, a common other spelling, population (万, approximate)
DISTRICTS = [
    ("152201", "乌兰浩特市", "乌兰浩特", 36),
    ("152202", "阿尔山市", "阿尔山", 5),
    ("152221", "科右前旗", "科尔沁右翼前旗", 34),
    ("152222", "科右中旗", "科尔沁右翼中旗", 25),
    ("152223", "扎赉特旗", "扎旗", 39),
    ("152224", "突泉县", "突泉", 30),
]
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林包白宝韩于董") + ["巴特尔", "乌云", "额尔敦", "那仁"]
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰海龙其其格图雅斯琴苏日")
GROUPS = [("高校毕业生", 0.08), ("就业困难人员", 0.05), ("退役军人", 0.03), ("脱贫劳动力", 0.05),
          ("返乡创业人员", 0.02), ("残疾人", 0.01), ("城市低保家庭成员", 0.02)]
BAD_KINDS = ["check_digit", "sex_mismatch", "impossible_date", "birth_mismatch", "future_date", "duplicate_id",
             "unknown_district", "negative_years", "empty_id", "not_a_number"]
PERSON_HEADERS = ["序号", "姓名", "身份证号", "性别", "出生日期", "旗县市", "参保缴费年限", "企业在职职工", "正常参保缴费",
                  "是否失业", "失业登记", "非本人意愿中断就业", "有求职要求", "领取养老金", "待遇停发情形",
                  "正在领取失业保险金", "失业保险金领取期满", "失业保险待遇终止日期", "证书等级", "证书核发日期",
                  "已享受技能提升补贴", "本年度技能提升补贴次数", "人员类别", "毕业日期", "离校后曾就业", "首次创业",
                  "营业执照登记日期", "正常经营", "婚姻状况", "配偶失业", "月工资"]
ENTERPRISE_HEADERS = ["序号", "单位名称", "统一社会信用代码", "旗县市", "企业规模", "足额缴纳失业保险年限", "欠缴失业保险费",
                      "失信", "僵尸企业", "环保达标", "上年度裁员人数", "上年度月均参保人数", "上年度缴纳失业保险费",
                      "在职职工人数", "新招用人数", "严重违法违规记录"]
BAD_ENTERPRISE_KINDS = ["check_char", "duplicate_code", "unknown_district", "negative_count", "bad_category", "empty_code"]


def _yes_no(mask: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
    out = np.where(mask, "是", "否").astype(object)
    if known is not None:
        out[~known] = ""
    return out


def _dates(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype(object)


def id_numbers(region: np.ndarray, birth: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """Valid 身份证号: region (6-digit strings), birth (datetime64[D]), seq (0-999; odd = male)."""
    body = np.char.add(np.char.add(region.astype("U6"), np.char.replace(np.datetime_as_string(birth, unit="D"), "-", "")),
                       np.char.zfill(seq.astype("U3"), 3))
    digits = body.astype("S17").view(np.uint8).reshape(-1, 17).astype(np.int64) - 48
    check = np.frombuffer(CHECK_CHARS.encode(), np.uint8)[(digits * np.array(WEIGHTS)).sum(axis=1) % 11]
    return np.char.add(body, check.view("S1").astype("U1")).astype(object)


def persons(n: int, seed: int = 0, as_of: dt.date | None = None, bad_share: float = 0.02) -> tuple[pa.Table, dict[str, int]]:
    """A roster of ``n`` people; returns (table of strings, {bad kind: rows})."""
    rng = np.random.default_rng(seed)
    day = np.datetime64(as_of or dt.date(2021, 6, 15), "D")
    weights = np.array([d[3] for d in DISTRICTS], dtype=float)
    dix = rng.choice(len(DISTRICTS), size=n, p=weights / weights.sum())
    region = np.array([d[0] for d in DISTRICTS])[dix]
    age_days = (rng.uniform(16, 62, n) * 365.25).astype(np.int64)
    birth = day - age_days
    male = rng.random(n) < 0.51
    seq = rng.integers(0, 500, n) * 2 + male
    for _ in range(100):  # distinct people have distinct numbers: redraw the sequence code of repeats
        key = dix.astype(np.int64) * 10**11 + (birth - np.datetime64("1900-01-01")).astype(np.int64) * 1000 + seq
        _u, first = np.unique(key, return_index=True)
        repeat = np.ones(n, bool)
        repeat[first] = False
        if not repeat.any():
            break
        seq[repeat] = rng.integers(0, 500, int(repeat.sum())) * 2 + male[repeat]
    ids = id_numbers(region, birth, seq)
    age = age_days / 365.25
    names = (np.array(SURNAMES, dtype=object)[rng.integers(0, len(SURNAMES), n)]
             + np.array(GIVEN, dtype=object)[rng.integers(0, len(GIVEN), n)]
             + np.where(rng.random(n) < 0.6, np.array(GIVEN, dtype=object)[rng.integers(0, len(GIVEN), n)], ""))
    district_text = np.where(rng.random(n) < 0.1, np.array([d[2] for d in DISTRICTS], dtype=object)[dix],
                             np.array([d[1] for d in DISTRICTS], dtype=object)[dix])
    years = np.clip(np.round(rng.gamma(2.0, 4.0, n), 1), 0, np.maximum(age - 16, 0)).round(1)
    unemployed = rng.random(n) < 0.15
    employee = ~unemployed & (rng.random(n) < 0.85)
    registered = unemployed & (rng.random(n) < 0.7)
    involuntary = unemployed & (rng.random(n) < 0.6)
    seeking = unemployed & (rng.random(n) < 0.85)
    pension = (age > 55) & (rng.random(n) < 0.3)
    receiving_ui = unemployed & involuntary & (years >= 1) & (rng.random(n) < 0.4)
    exhausted = unemployed & ~receiving_ui & (rng.random(n) < 0.15)
    ui_end = day - rng.integers(10, 700, n)
    has_cert = rng.random(n) < 0.12
    levels = np.array(["初级", "中级", "高级", "技师", "高级技师"], dtype=object)[rng.choice(5, n, p=[.4, .3, .2, .07, .03])]
    cert_date = day - rng.integers(5, 900, n)
    groups = np.full(n, "", dtype=object)
    graduate = (age < 30) & (rng.random(n) < 0.35)
    for g, share in GROUPS:
        hit = graduate if g == "高校毕业生" else rng.random(n) < share
        groups = np.where(hit, np.where(groups == "", g, groups + "、" + g), groups)
    grad_date = day - rng.integers(30, 2500, n)
    grad_date = np.maximum(grad_date, birth + 365 * 19)
    first_business = rng.random(n) < 0.04
    biz_date = day - rng.integers(30, 1200, n)
    married = rng.random(n) < np.clip((age - 20) / 15, 0, 0.85)
    spouse_unemployed = married & (rng.random(n) < 0.1)
    wage = np.round(rng.lognormal(8.1, 0.35, n), -1)

    def opt(mask, values):
        out = np.asarray(values, dtype=object).copy()
        out[~mask] = ""
        return out

    cols = {
        "序号": np.arange(1, n + 1).astype(str).astype(object),
        "姓名": names,
        "身份证号": ids,
        "性别": np.where(male, "男", "女").astype(object),
        "出生日期": _dates(birth),
        "旗县市": district_text,
        "参保缴费年限": years.astype(str).astype(object),
        "企业在职职工": _yes_no(employee),
        "正常参保缴费": _yes_no(employee),
        "是否失业": _yes_no(unemployed),
        "失业登记": _yes_no(registered),
        "非本人意愿中断就业": _yes_no(involuntary, unemployed),
        "有求职要求": _yes_no(seeking, unemployed),
        "领取养老金": _yes_no(pension),
        "待遇停发情形": _yes_no(np.zeros(n, bool), unemployed),
        "正在领取失业保险金": _yes_no(receiving_ui),
        "失业保险金领取期满": _yes_no(exhausted, unemployed),
        "失业保险待遇终止日期": opt(exhausted, _dates(ui_end)),
        "证书等级": np.where(has_cert, levels, "无").astype(object),
        "证书核发日期": opt(has_cert, _dates(cert_date)),
        "已享受技能提升补贴": _yes_no(np.zeros(n, bool), has_cert),
        "本年度技能提升补贴次数": opt(has_cert, np.zeros(n, dtype=int).astype(str)),
        "人员类别": groups,
        "毕业日期": opt(graduate, _dates(grad_date)),
        "离校后曾就业": _yes_no(employee, graduate),
        "首次创业": _yes_no(first_business, first_business | (rng.random(n) < 0.3)),
        "营业执照登记日期": opt(first_business, _dates(biz_date)),
        "正常经营": _yes_no(first_business, first_business),
        "婚姻状况": np.where(married, "已婚", "未婚").astype(object),
        "配偶失业": _yes_no(spouse_unemployed, married),
        "月工资": opt(employee, wage.astype(int).astype(str)),
    }
    bad = _spoil_persons(cols, rng, n, bad_share, day)
    return pa.table({h: pa.array(cols[h].tolist(), pa.string()) for h in PERSON_HEADERS}), bad


def _spoil_persons(cols: dict, rng, n: int, share: float, day) -> dict[str, int]:
    count = int(round(n * share))
    if count == 0:
        return {}
    rows = rng.choice(np.arange(1, n) if n > 1 else np.arange(n), size=min(count, max(n - 1, 1)), replace=False)
    kinds = np.array(BAD_KINDS)[np.arange(len(rows)) % len(BAD_KINDS)]
    done: dict[str, int] = {}
    for i, kind in zip(rows.tolist(), kinds.tolist()):
        idn = cols["身份证号"][i]
        if kind == "check_digit":
            wrong = CHECK_CHARS[(CHECK_CHARS.index(idn[17]) + 1) % 11]
            cols["身份证号"][i] = idn[:17] + wrong
        elif kind == "sex_mismatch":
            cols["性别"][i] = "女" if cols["性别"][i] == "男" else "男"
        elif kind == "impossible_date":
            cols["证书核发日期"][i] = "2021-02-30"
        elif kind == "birth_mismatch":
            cols["出生日期"][i] = f"{int(idn[6:10]) - 1}-{idn[10:12]}-{idn[12:14]}" if idn[10:14] != "0229" else "1960-01-01"
        elif kind == "future_date":
            cols["证书核发日期"][i] = str(day + 40)
        elif kind == "duplicate_id":
            j = int(rng.integers(0, i))
            cols["身份证号"][i] = cols["身份证号"][j]
            cols["性别"][i] = cols["性别"][j]
            cols["出生日期"][i] = cols["出生日期"][j]
        elif kind == "unknown_district":
            cols["旗县市"][i] = "科右后旗"
        elif kind == "negative_years":
            cols["参保缴费年限"][i] = "-3"
        elif kind == "empty_id":
            cols["身份证号"][i] = ""
        elif kind == "not_a_number":
            cols["参保缴费年限"][i] = "三年"
        done[kind] = done.get(kind, 0) + 1
    return done


def uscc(region: np.ndarray, rng) -> np.ndarray:
    """Valid 统一社会信用代码: 9 (市场监管) + 1 (企业) / 2 (个体工商户) + region + 9 random characters + check."""
    n = len(region)
    chars = np.frombuffer(USCC_CHARS.encode(), np.uint8)
    head = np.char.add(np.where(rng.random(n) < 0.85, "91", "92"), region.astype("U6"))
    tail = chars[rng.integers(0, 31, (n, 9))].view("S9").reshape(-1).astype("U9")
    body = np.char.add(head, tail)
    values = np.full(256, 0, np.int64)
    for i, c in enumerate(USCC_CHARS):
        values[ord(c)] = i
    v = values[body.astype("S17").view(np.uint8).reshape(-1, 17)]
    check = chars[(31 - (v * np.array(USCC_WEIGHTS)).sum(axis=1) % 31) % 31]
    return np.char.add(body, check.view("S1").astype("U1")).astype(object)


def enterprises(n: int, seed: int = 0, bad_share: float = 0.02) -> tuple[pa.Table, dict[str, int]]:
    rng = np.random.default_rng(seed + 7919)
    weights = np.array([d[3] for d in DISTRICTS], dtype=float)
    dix = rng.choice(len(DISTRICTS), size=n, p=weights / weights.sum())
    region = np.array([d[0] for d in DISTRICTS])[dix]
    category = rng.choice(5, n, p=[0.02, 0.08, 0.3, 0.55, 0.05])
    headcount = np.maximum(1, np.round(np.array([800, 150, 40, 8, 5])[category] * rng.lognormal(0, 0.5, n))).astype(int)
    layoffs = rng.binomial(headcount, 0.03)
    contributions = np.round(headcount * rng.uniform(300, 900, n), 2)
    trades = np.array(["商贸", "建筑", "农牧业", "餐饮", "运输", "物业", "科技", "旅游"], dtype=object)
    names = (np.array([d[2] for d in DISTRICTS], dtype=object)[dix]
             + np.array(list("兴安草原科尔沁白狼红城绿洲金河"), dtype=object)[rng.integers(0, 14, n)]
             + trades[rng.integers(0, len(trades), n)]
             + np.where(category == 4, "协会", "有限公司"))
    cols = {
        "序号": np.arange(1, n + 1).astype(str).astype(object),
        "单位名称": names,
        "统一社会信用代码": uscc(region, rng),
        "旗县市": np.array([d[1] for d in DISTRICTS], dtype=object)[dix],
        "企业规模": np.array(["大型", "中型", "小型", "微型", "社会组织"], dtype=object)[category],
        "足额缴纳失业保险年限": np.round(rng.gamma(2, 2.5, n), 1).astype(str).astype(object),
        "欠缴失业保险费": _yes_no(rng.random(n) < 0.05),
        "失信": _yes_no(rng.random(n) < 0.01),
        "僵尸企业": _yes_no(rng.random(n) < 0.01),
        "环保达标": _yes_no(rng.random(n) < 0.97),
        "上年度裁员人数": layoffs.astype(str).astype(object),
        "上年度月均参保人数": headcount.astype(str).astype(object),
        "上年度缴纳失业保险费": np.char.mod("%.2f", contributions).astype(object),
        "在职职工人数": (headcount + rng.integers(-2, 5, n)).clip(1).astype(str).astype(object),
        "新招用人数": rng.poisson(0.8, n).astype(str).astype(object),
        "严重违法违规记录": _yes_no(rng.random(n) < 0.02),
    }
    count = int(round(n * bad_share))
    bad: dict[str, int] = {}
    if count:
        rows = rng.choice(np.arange(1, n) if n > 1 else np.arange(n), size=min(count, max(n - 1, 1)), replace=False)
        for k, i in enumerate(rows.tolist()):
            kind = BAD_ENTERPRISE_KINDS[k % len(BAD_ENTERPRISE_KINDS)]
            code = cols["统一社会信用代码"][i]
            if kind == "check_char":
                cols["统一社会信用代码"][i] = code[:17] + USCC_CHARS[(USCC_CHARS.index(code[17]) + 1) % 31]
            elif kind == "duplicate_code":
                cols["统一社会信用代码"][i] = cols["统一社会信用代码"][int(rng.integers(0, i))]
            elif kind == "unknown_district":
                cols["旗县市"][i] = "通辽市"
            elif kind == "negative_count":
                cols["上年度月均参保人数"][i] = "-5"
            elif kind == "bad_category":
                cols["企业规模"][i] = "超大型"
            elif kind == "empty_code":
                cols["统一社会信用代码"][i] = ""
            bad[kind] = bad.get(kind, 0) + 1
    return pa.table({h: pa.array(cols[h].tolist(), pa.string()) for h in ENTERPRISE_HEADERS}), bad


def write(table: pa.Table, out: str | Path, encoding: str = "utf-8") -> Path:
    """Write a synthetic roster (CSV in ``encoding``: utf-8 or gbk; .xlsx; .parquet)."""
    from jiuye.batch.io import write_table

    return write_table(out, table, encoding=encoding)
