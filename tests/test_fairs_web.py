"""招聘会 through the site and the JSON API (FastAPI TestClient, SQLite): the public pages with their
sources, a seeker pre-registering (a bad phone keeps what was typed) and getting the QR, an employer
applying for a booth with the three uploads, staff approving, the door checking the code in (typed or
as the QR's address), an intention at the booth, the queue, the report, the printable list and the CSV;
我的 shows registrations, intentions and 打工直通车 sign-ups; another employer is refused."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from fairs_support import PDF, fairs_db, make_fair, own_post
from jiuye.cases.demo import DEMO_PASSWORD
from web_support import csrf, page_client, text

STAFF = {"zx_wlht", "mz", "zx_zlt"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from jiuye.fairs import fairs
    from jiuye.store import db
    from jiuye.web.app import create_app

    with fairs_db(tmp_path_factory.mktemp("fairs_web")) as engine:
        with Session(engine, expire_on_commit=False) as s:
            fairs.ensure_schedule(s, weeks=2)
            f = make_fair(s, booths=2)
            p = own_post(s)
            s.info["ids"] = (f.id, p.id)
            ids = (f.id, p.id)
        application = create_app()
        application.state.ids = ids
        yield application
        db.forget()


def client(app, username: str | None = None):
    return page_client(app, username, console=username in STAFF)


def test_the_whole_path(app):
    fair_id, post_id = app.state.ids
    anon = client(app)
    page = anon.get("/fairs")
    assert page.status_code == 200
    t = text(page.text)
    assert "盟民生大厦一层" in t and "每周五上午9:00-11:30" in t and "快手直播间" in t and "0482-8220410" in t
    # a seeker pre-registers; a bad phone keeps the name typed
    form = anon.get(f"/fairs/{fair_id}")
    bad = anon.post(f"/fairs/{fair_id}/register", data={"name": "王小明", "phone": "123", "csrf_token": csrf(form.text)})
    assert bad.status_code == 422 and 'value="王小明"' in bad.text and "电话号码" in bad.text
    ok = anon.post(f"/fairs/{fair_id}/register", data={"name": "王小明", "phone": "13904821234", "csrf_token": csrf(form.text)},
                   follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"].startswith("/fairs/pass/")
    code = ok.headers["location"].rsplit("/", 1)[1]
    pass_page = anon.get(ok.headers["location"])
    assert "<svg" in pass_page.text and code[:4] in pass_page.text
    # the employer applies with the three materials
    firm = client(app, "xingan_food")
    apply_page = firm.get(f"/employer/fairs/{fair_id}/apply")
    assert apply_page.status_code == 200 and "营业执照复印件（加盖公章）" in apply_page.text
    files = {"file_licence": ("l.pdf", PDF, "application/pdf"), "file_legal_id": ("id.pdf", PDF, "application/pdf")}
    miss = firm.post(f"/employer/fairs/{fair_id}/apply", data={"contact_name": "王经理", "phone": "13800000001",
                     "posting_ids": [str(post_id)], "csrf_token": csrf(apply_page.text)}, files=files)
    assert miss.status_code == 422 and "招聘会申请表" in miss.text
    files["file_form"] = ("form.pdf", PDF, "application/pdf")
    done = firm.post(f"/employer/fairs/{fair_id}/apply", data={"contact_name": "王经理", "phone": "13800000001",
                     "posting_ids": [str(post_id)], "csrf_token": csrf(apply_page.text)}, files=files, follow_redirects=False)
    assert done.status_code == 303
    booth_url = done.headers["location"].split("?")[0]
    booth_id = int(booth_url.rsplit("/", 1)[1])
    assert "待审核" in firm.get(booth_url).text
    # another employer cannot see it
    other = client(app, "other_firm")
    assert other.get(booth_url).status_code == 404
    assert other.get(f"{booth_url}/materials/licence").status_code == 404
    # staff approve and check the seeker in at the door (the QR's address fills the code in)
    zx = client(app, "zx_wlht")
    fair_page = zx.get(f"/console/fairs/{fair_id}")
    assert "王经理" in fair_page.text
    r = zx.post(f"/console/fairs/booths/{booth_id}/approve", data={"booth_no": "", "csrf_token": csrf(fair_page.text)},
                follow_redirects=False)
    assert r.status_code == 303
    door = zx.get(f"/console/fairs/{fair_id}/door?code={code}")
    assert f'value="{code}"' in door.text
    checked = zx.post(f"/console/fairs/{fair_id}/door", data={"code": code.lower(), "csrf_token": csrf(door.text)})
    assert checked.status_code == 200 and "签到成功" in checked.text and "王小明" in checked.text
    again = zx.post(f"/console/fairs/{fair_id}/door", data={"code": code, "csrf_token": csrf(door.text)})
    assert "无需重复签到" in again.text
    wrong = zx.post(f"/console/fairs/{fair_id}/door", data={"code": "ZZZZZZZZ", "csrf_token": csrf(door.text)})
    assert wrong.status_code == 404 and "没有这个签到码" in wrong.text
    # the employer records an intention at the booth
    bp = firm.get(booth_url)
    assert "展位号" in bp.text
    r = firm.post(f"{booth_url}/intentions", data={"code": code, "posting_id": str(post_id), "csrf_token": csrf(bp.text)},
                  follow_redirects=False)
    assert r.status_code == 303
    assert "王小明" in firm.get(booth_url).text
    # report, print, CSV
    rep = text(zx.get(f"/console/fairs/{fair_id}/report").text)
    assert "入场签到 1" in rep and "意向 1" in rep
    assert "兴安绿源食品" in zx.get(f"/console/fairs/{fair_id}/booths/print").text
    csv = zx.get(f"/console/fairs/{fair_id}/report?format=csv")
    assert csv.headers["content-type"].startswith("text/csv") and "入场签到,1" in csv.text
    xlsx = zx.get(f"/console/fairs/{fair_id}/report?format=xlsx")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats") and xlsx.content[:2] == b"PK"
    from test_fairs_writeback import _xlsx_rows
    import csv as csvmod
    import io

    assert _xlsx_rows(xlsx.content) == list(csvmod.reader(io.StringIO(csv.text.lstrip("\ufeff"))))
    assert "导出（Excel）" in zx.get(f"/console/fairs/{fair_id}/report").text
    # staff of another district: no door, no report
    zlt = client(app, "zx_zlt")
    assert zlt.get(f"/console/fairs/{fair_id}/door").status_code == 403
    assert zlt.get(f"/console/fairs/{fair_id}/report").status_code == 403


def test_api_register_and_check_in(app):
    from fastapi.testclient import TestClient

    fair_id, _post = app.state.ids
    c = TestClient(app)
    r = c.post(f"/api/fairs/{fair_id}/visitors", json={"name": "李四", "phone": "13904820009"})
    assert r.status_code == 201 and len(r.json()["code"]) == 8
    assert c.post(f"/api/fairs/{fair_id}/visitors", json={"name": "李四", "phone": "13904820009"}).json()["again"] is True
    assert c.post(f"/api/fairs/{fair_id}/check-in", json={"code": r.json()["code"]}).status_code == 401
    token = c.post("/api/auth/login", json={"username": "zx_wlht", "password": DEMO_PASSWORD}).json()["token"]
    h = {"Authorization": f"Bearer {token}"}
    out = c.post(f"/api/fairs/{fair_id}/check-in", json={"code": r.json()["code"]}, headers=h)
    assert out.status_code == 200 and out.json()["first"] is True and "*" in out.json()["name"]
    assert c.post(f"/api/fairs/{fair_id}/check-in", json={"code": "bad"}, headers=h).status_code == 404
    assert c.get("/api/fairs?kind=stream").json()["fairs"][0]["kind"] == "stream"


def test_my_page_lists_registrations_intentions_and_dagong(app):
    fair_id, _post = app.state.ids
    me = client(app, "zhangmin")
    page = me.get("/my/fairs")
    assert page.status_code == 200 and "招聘会预约" in page.text and "打工直通车报名" in page.text
    f = me.get(f"/fairs/{fair_id}")
    me.post(f"/fairs/{fair_id}/register", data={"name": "张敏", "phone": "13904827777", "csrf_token": csrf(f.text)})
    assert "乌兰浩特市春风行动专场招聘会" in me.get("/my/fairs").text
