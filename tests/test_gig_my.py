"""我的零工 (/my/gig, jiuye.gig.summary): a worker's availability with the jobs that suit it, the jobs
taken with both sides' confirmations (accepted / worked / paid) and a wage-arrears report with its
case; the poster's side (an employer account) with its jobs' counts and what waits for it; only the
account's own rows; the page at phone width (TestClient) and its login rule."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from gig_support import availability, day, job, market_db, user
from web_support import page_client, text


@pytest.fixture()
def s(tmp_path):
    with market_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as session:
        yield session


def _journey(s):
    """zhangmin takes two jobs of xingan_food: the first paid, the second reported unpaid."""
    from jiuye.gig import matches

    zhang, food = user(s, "zhangmin"), user(s, "xingan_food")
    w = availability(s)
    j1, j2 = job(s, title="砌台阶"), job(s, title="补墙面", pay="210")
    m1 = matches.apply(s, zhang, j1.id, w.id)
    for who, a in ((food, "accept"), (zhang, "worked"), (food, "worked"), (zhang, "paid"), (food, "paid")):
        matches.act(s, who, m1.id, a, days=2 if a == "worked" and who is zhang else None)
    m2 = matches.invite(s, food, j2.id, w.id)
    for who, a in ((zhang, "accept"), (zhang, "worked"), (food, "worked"), (zhang, "unpaid")):
        matches.act(s, who, m2.id, a)
    j3 = job(s, title="搬砖")  # nobody yet
    return w, (j1, j2, j3), (m1, m2)


def test_the_workers_summary(s):
    from jiuye.gig import summary

    w, (j1, j2, j3), (m1, m2) = _journey(s)
    g = summary.for_user(s, user(s, "zhangmin"))
    assert [x["id"] for x in g["workers"]] == [w.id] and not g["employer"]
    assert [x["job"]["title"] for x in g["workers"][0]["suits"]] == ["搬砖"]  # the open job that suits, with why
    assert "工种相同" in "；".join(g["workers"][0]["suits"][0]["reasons"])
    by_title = {m["job"]["title"]: m for m in g["as_worker"]}
    paid, unpaid = by_title["砌台阶"], by_title["补墙面"]
    assert paid["state"] == "paid" and paid["confirmations"]["worker_paid"] and paid["confirmations"]["poster_paid"]
    assert paid["days_worked"] == 2 and paid["amount"] == "440 元" and paid["arrears"] is None
    assert unpaid["state"] == "unpaid" and unpaid["arrears"]["case_id"] and unpaid["arrears"]["amount"] == "420 元"
    assert g["my_arrears"] == [unpaid["arrears"]]
    assert g["totals"] == {"availability_open": 1, "suits": 1, "todo": 0, "worked": 2, "paid": 1, "unpaid": 1,
                           "jobs_open": 0}
    assert g["jobs"] == [] and g["against_my_jobs"] == []


def test_the_employers_summary_and_what_waits_for_it(s):
    from jiuye.gig import matches, summary

    w, (j1, j2, j3), (m1, m2) = _journey(s)
    other = availability(s, "liqiang", district="乌兰浩特市", town="爱国街道", phone="13900000033")
    matches.apply(s, user(s, "liqiang"), j3.id, other.id)  # waits for the employer's 接受
    g = summary.for_user(s, user(s, "xingan_food"))
    assert g["employer"] and g["workers"] == [] and g["as_worker"] == []
    jobs = {j["title"]: j for j in g["jobs"]}
    assert jobs["砌台阶"]["counts"] == {"proposed": 0, "agreed": 1, "worked": 1, "paid": 1, "unpaid": 0}
    assert jobs["补墙面"]["counts"]["unpaid"] == 1
    assert jobs["搬砖"]["counts"]["proposed"] == 1 and jobs["搬砖"]["todo"] == 1
    assert jobs["搬砖"]["matches"][0]["todo"] == ["接受"]
    assert g["totals"]["todo"] == 1 and g["totals"]["jobs_open"] == 1
    report = g["against_my_jobs"]
    assert len(report) == 1 and report[0]["job_title"] == "补墙面" and report[0]["case_id"] is None  # not the worker's case
    # another account sees only its own: 李强's one application, none of 张敏's jobs or reports
    li = summary.for_user(s, user(s, "liqiang"))
    assert [m["job"]["title"] for m in li["as_worker"]] == ["搬砖"] and li["jobs"] == [] and li["my_arrears"] == []


def test_the_page_at_phone_width_and_its_login_rule(tmp_path):
    from jiuye.web.app import create_app

    with market_db(tmp_path) as engine:
        with Session(engine, expire_on_commit=False) as s:
            _journey(s)
        app = create_app()
        assert page_client(app, None).get("/my/gig", follow_redirects=False).status_code == 303
        assert page_client(app, "zx_wlht", console=True).get("/my/gig", follow_redirects=False).status_code == 303
        worker = text(page_client(app, "zhangmin").get("/my/gig").text)
        assert "我的零工" in worker and "砌台阶" in worker and "工钱已结清" in worker
        assert "欠薪报告" in worker and "查看办理进度" in worker and "没拿到工钱 1 次" in worker
        assert "雇主 ✓" in worker and "13900000022" not in worker  # the summary lists no phone
        firm = text(page_client(app, "xingan_food").get("/my/gig").text)
        assert "本单位发布的零工" in firm and "工人报告没拿到工钱" in firm and "我接的活" not in firm
        assert "查看办理进度" not in firm
        assert "/my/gig" in page_client(app, "zhangmin").get("/my").text
