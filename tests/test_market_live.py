"""The public posts prepared once per process (jiuye.market.live), on SQLite and PostgreSQL: the search
answers exactly what the table query it replaced answered, the cache follows every change of the public posts at once, one
seeker's matches come from every public post (not the 200 newest) and equal the matcher's, the route
that gives them keeps its access rules, and the matcher's prepared posts can be shared by threads."""
from __future__ import annotations

import concurrent.futures
import datetime as dt

import pytest
from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from jiuye.cases.demo import DEMO_PASSWORD, demo_id
from cases_support import database
from market_support import ensure_employers, market_db, post_in_state, user
from jiuye.config import today as beijing_today  # the league's today (Beijing), as the code uses

QUERIES = ["乌兰浩特 开车的活 四千以上", "前旗 电焊 日薪三百以上", "扎旗 放羊", "保姆 阿尔山", "外卖 五千左右", "突泉 收银",
           "最近三天 科尔沁镇 服务员", "会计", "瓦工 三百一天", "月嫂 乌兰浩特 六千以上", "司机", "保安 3000以上", "厨师 中旗",
           "养老护理", "叉车", "快递 乌兰浩特市", "饲养员 扎赉特旗", "挖掘机 五千", "理货员", "兴安", "有限公司", "HR 专员",
           "100% 好工作", "电_工", "找个活", "乌兰浩特", "两千到三千", "木工 刮大白", "护士 阿尔山市", "营业员 最近一周"]


def sql_search(s, *, q="", district=None, occupation=None, wage_min=None, employer_id=None, limit=50, offset=0):
    """The query postings.search ran on the table before the posts were prepared in memory (the oracle)."""
    from sqlalchemy import func

    from jiuye.cases import service as cases
    from jiuye.config import today
    from jiuye.market import bridge
    from jiuye.market.models import Posting

    day = today()
    filters = bridge.parse_query(q) if q else {}
    district = district or filters.get("district")
    if district:
        district = cases.district_key(district)
    cond = [Posting.state == "published", or_(Posting.valid_through.is_(None), Posting.valid_through >= day)]
    if district:
        cond.append(Posting.district == district)
    occupation = occupation or filters.get("occupation")
    if occupation:
        cond.append(Posting.occupation_code == occupation)
    elif filters.get("occupations"):
        cond.append(Posting.occupation_code.in_(filters["occupations"]))
    wage_min = wage_min if wage_min is not None else filters.get("wage_min")
    if wage_min is not None:
        cond.append(or_(Posting.wage_max >= wage_min, Posting.wage_min >= wage_min))
    if employer_id:
        cond.append(Posting.employer_id == employer_id)
    for w in filters.get("words") or []:  # SQLite's LIKE ignores the case of Latin letters; PostgreSQL's did not,
        pattern = f"%{w[:50].replace('%', '').replace('_', '')}%"  # the prepared search ignores it on both
        cond.append(Posting.title.like(pattern) if s.get_bind().dialect.name == "sqlite"
                    else func.lower(Posting.title).like(pattern.lower()))
    total = s.scalar(select(func.count()).select_from(Posting).where(*cond)) or 0
    rows = s.scalars(select(Posting).where(*cond).order_by(Posting.published_on.desc(), Posting.id.desc())
                     .offset(max(0, offset)).limit(max(1, min(limit, 200)))).all()
    return total, [p.id for p in rows]


def bulk_posts(s, n: int, seed: int = 3) -> list[int]:
    """n synthetic posts (the league's districts, real 职业 codes) of the two test employers, checked by the
    service's build_record and inserted at once: most public, some past their date but not yet expired by
    the housekeeping, some in other states; a few titles in Latin letters."""
    from jiuye.config import today
    from jiuye.market import postings, synth
    from jiuye.market.employers import employer_for
    from jiuye.market.models import Posting
    from jiuye.market.recordio import parse_row

    day = today()
    emps = [employer_for(s, user(s, "xingan_food")), employer_for(s, user(s, "other_firm"))]
    rows = []
    for i, raw in enumerate(synth.postings(n, seed, day).to_pylist()):
        rec, why = parse_row("posting", raw)
        assert rec is not None, why
        emp = emps[i % 2]
        data = rec.model_dump(mode="json", exclude={"id", "published_on", "employer_name", "credit_code", "valid_through"})
        if i % 37 == 0:
            data["title"] = ["HR专员", "hr 助理", "Java开发"][i % 3]
        built = postings.build_record(emp, data, day)
        state = ["pending", "withdrawn", "expired", "filled"][i % 4] if i % 9 == 0 else "published"
        rows.append({"employer_id": emp.id, "record": built.model_dump(mode="json", exclude={"id"}), "title": built.title,
                     "occupation_code": built.occupation_code, "district": built.district,
                     "scope_district": built.district or emp.district, "wage_min": built.wage_min, "wage_max": built.wage_max,
                     "wage_unit": built.wage_unit, "places": built.places, "places_left": built.places,
                     "valid_through": rec.valid_through, "state": state, "flags": [],
                     "published_on": rec.published_on if state != "pending" else None, "channel": "import",
                     "version": 1})
    s.execute(insert(Posting), rows)
    s.commit()
    return [p for (p,) in s.execute(select(Posting.id).order_by(Posting.id.desc()).limit(n))]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("market_live")
    with database(request.param, tmp) as url, market_db(tmp, url) as engine:
        with Session(engine, expire_on_commit=False) as s:
            ensure_employers(s)
            bulk_posts(s, 450)
        yield engine


def test_search_answers_what_the_table_query_answered(world):
    from jiuye.market import postings
    from jiuye.market.employers import employer_for

    with Session(world) as s:
        firm = employer_for(s, user(s, "other_firm")).id
        cases = [dict(q=q) for q in QUERIES] + [
            dict(), dict(limit=200), dict(limit=7, offset=30), dict(offset=10_000), dict(limit=0), dict(limit=500),
            dict(district="乌兰浩特"), dict(district="科右前旗", wage_min=4000), dict(occupation="4-02-02-02"),
            dict(q="司机", occupation="6-18-02-04"), dict(q="乌兰浩特 保安", district="突泉县"), dict(wage_min=0),
            dict(employer_id=firm), dict(q="电焊", employer_id=firm, limit=3),
            dict(occupation="9-99-99-99"), dict(q="扎旗", limit=5, offset=5)]
        seen = set()
        for kw in cases:
            total, rows = postings.search(s, **kw)
            assert (total, [p.id for p in rows]) == sql_search(s, **kw), kw
            assert all(p.state == "published" for p in rows)
            seen.add(total)
        assert len(seen) > 10  # the cases really differ


def test_the_prepared_posts_follow_every_change_at_once(world, monkeypatch):
    from jiuye.market import live, postings

    with Session(world, expire_on_commit=False) as s:
        first = live.current(s)
        assert live.current(s) is first  # nothing changed: not prepared again
        p = post_in_state(s, "published", title="实时检索测试岗")
        total, rows = postings.search(s, q="乌兰浩特 实时检索测试岗")
        assert total == 1 and rows[0].id == p.id
        second = live.current(s)
        assert second is not first and len(second.ids) == len(first.ids) + 1
        reused = [i for i in first.records if second.records[i] is first.records[i]]
        assert len(reused) == len(first.records)  # a public post's record is read once
        postings.withdraw(s, user(s, "xingan_food"), p.id, "已招到")
        assert postings.search(s, q="乌兰浩特 实时检索测试岗")[0] == 0
        assert (postings.search(s, q="理货员")[0], [x.id for x in postings.search(s, q="理货员")[1]]) == sql_search(s, q="理货员")
        monkeypatch.setenv("JIUYE_TODAY", (beijing_today() + dt.timedelta(days=40)).isoformat())
        later = live.current(s)
        assert later.day != second.day  # a new day: validity and freshness change
        assert (postings.search(s)[0], [x.id for x in postings.search(s)[1]]) == sql_search(s)


def test_one_seekers_matches_come_from_every_public_post(world):
    from jiuye.config import today
    from jiuye.market import live, matching, postings, seekers
    from jiuye.market.models import Posting

    with Session(world, expire_on_commit=False) as s:
        sk = seekers.register(s, user(s, "zx_wlht"), {"desired_titles": ["电焊工"], "districts": ["乌兰浩特市"],
                                                      "expected_wage": 4000, "certificates": ["焊工证"],
                                                      "birth_date": "1990-05-01"},
                              id_number=demo_id("152201", "19900501", "017"), name="测试焊工")
        old = post_in_state(s, "published", title="电焊工", wage_min=6000, wage_max=8000)
        old.published_on = today() - dt.timedelta(days=200)  # older than the 200 newest public posts
        s.commit()
        newest = s.scalars(select(Posting.id).where(Posting.state == "published")
                           .order_by(Posting.published_on.desc(), Posting.id.desc()).limit(200)).all()
        assert old.id not in newest
        rec = seekers.record_of(sk)
        got = live.matches_for(s, rec, 50)
        assert old.id in [p.id for p, _score, _why in got]
        public = s.scalars(select(Posting).where(Posting.state == "published")  # newest first, as prepared: ties keep it
                           .order_by(Posting.published_on.desc(), Posting.id.desc())).all()
        expected = matching.match_seekers([rec], [postings.record_of(p) for p in public], today(), 50)[rec.id]
        assert [(p.id, score, why) for p, score, why in got] == [(int(m.posting_id), m.score, m.reasons) for m in expected]


def test_the_matches_route_keeps_its_access_rules(world):
    from fastapi.testclient import TestClient

    from jiuye.market import seekers
    from jiuye.web.app import create_app

    with Session(world, expire_on_commit=False) as s:
        sk = seekers.register(s, user(s, "sq_wlht"), {"desired_titles": ["保安"], "districts": ["乌兰浩特市"],
                                                      "consent_to_employers": False},
                              id_number=demo_id("152201", "19880606", "014"), name="测试保安")
        sid = sk.id
    c = TestClient(create_app())

    def as_(username):
        r = c.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}

    url = f"/api/market/seekers/{sid}/matches"
    assert c.get(url).status_code == 401
    ok = c.get(url, headers=as_("zx_wlht"), params={"top": 3})
    assert ok.status_code == 200 and 0 < len(ok.json()) <= 3 and all(m["reasons"] for m in ok.json())
    assert all(m["posting"]["state"] == "published" for m in ok.json())
    assert c.get(url, headers=as_("mz")).status_code == 200  # the 盟中心: the whole league
    for who in ("zx_zlt", "zhangmin", "xingan_food", "other_firm"):  # another district, another person, no consent
        r = c.get(url, headers=as_(who))
        assert r.status_code == 404 and "求职登记" in r.json()["detail"]["message"], who
    assert c.get(url, headers=as_("zx_wlht"), params={"top": 99}).status_code == 422


def test_the_prepared_posts_can_be_shared_by_threads():
    from jiuye.market import matching, synth
    from jiuye.market.recordio import parse_row

    day = dt.date(2026, 6, 15)
    posts = [parse_row("posting", r)[0] for r in synth.postings(400, 11, day).to_pylist()]
    people = [parse_row("seeker", r)[0] for r in synth.seekers(80, 11, day).to_pylist()]
    alone = matching.PostingIndex(posts, day)
    expected = {p.id: [(m.posting_id, m.score, m.reasons) for m in alone.for_seeker(p, 5)] for p in people}
    shared = matching.PostingIndex(posts, day)
    sizes = {k: len(v) for k, v in shared.m.vocab.ids.items()}
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda p: (p.id, [(m.posting_id, m.score, m.reasons) for m in shared.for_seeker(p, 5)]),
                            people * 4))
    assert all(found == expected[pid] for pid, found in got)
    assert {k: len(v) for k, v in shared.m.vocab.ids.items()} == sizes  # the shared vocabulary never grows


def test_a_requests_vocabulary_reads_through_and_adds_after():
    from jiuye.market.prepare import OverlayVocab, Vocab

    base = Vocab()
    a, b = base.id("title", "电焊工"), base.id("title", "保安员")
    over = OverlayVocab(base)
    assert (over.id("title", "电焊工"), over.id("title", "保安员")) == (a, b)
    new = over.id("title", "月嫂")
    assert new == 2 and over.id("title", "月嫂") == new and over.item("title", new) == "月嫂" and over.item("title", a) == "电焊工"
    assert over.get("title", "不认识") == -2 and over.id("title", "") == -1 and over.size("title") == 3
    assert base.size("title") == 2 and base.get("title", "月嫂") == -2
