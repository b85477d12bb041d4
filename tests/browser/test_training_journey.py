"""Training in a real browser (issue 18), on a 360 px phone:

- a learner (zhangmin) finds a course without logging in, logs in, sees what the rules would give her on
  completion, enrols (a wrong voucher number is refused with the field named and the form kept), finds
  it on 我的培训, registers a 创业培训意愿;
- the provider of the course (pxjg_wlht) logs in, lands on its page, sees the learner masked on the
  course's page, opens the class (the 3-day rule quoted with its caveat on the page), answers the wish.
Every page passes axe-core, has no horizontal scroll at 360 px, loads nothing from outside and carries
a csrf_token in each POST form."""
from __future__ import annotations

from playwright.sync_api import expect

from browser_support import (DEMO_PASSWORD, assert_no_axe_violations, assert_no_external_requests,
                             assert_no_horizontal_scroll, login, shot)

COURSE = "养老护理员（初级）培训班（演示）"


def checks(page, name: str) -> None:
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    assert_no_external_requests(page)
    forms = page.eval_on_selector_all(
        "form", "fs => fs.map(f => [f.method, f.getAttribute('action'), !!f.querySelector('input[name=csrf_token]')])")
    for method, action, has_token in forms:
        assert method.lower() != "post" or has_token, f"POST form {action} on {page.url} has no csrf_token"
    shot(page, name)


def test_learner_then_provider_on_a_phone(phone):
    page = phone
    page.goto("/training?district=乌兰浩特市")
    expect(page.get_by_role("heading", level=1)).to_contain_text("职业培训")
    checks(page, "training-find")
    page.get_by_role("link", name=COURSE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    checks(page, "training-course-anonymous")
    course_path = "/" + page.url.split("/", 3)[3]
    login(page, "zhangmin", DEMO_PASSWORD, path=f"/login?next={course_path}")
    expect(page.get_by_role("heading", name="结业合格后", exact=False)).to_be_visible()
    expect(page.get_by_text("职业技能培训补贴").first).to_be_visible()
    page.get_by_label("已办理失业登记").check()
    page.get_by_label("职业培训券券号（有就填）").fill("XAPX000")
    page.get_by_role("button", name="报名").click()
    expect(page.get_by_role("alert")).to_contain_text("培训券")
    expect(page.get_by_label("已办理失业登记")).to_be_checked()
    checks(page, "training-enrol-refused")
    page.get_by_label("职业培训券券号（有就填）").fill("")
    page.get_by_role("button", name="报名").click()
    expect(page.get_by_role("status")).to_contain_text("报名成功")
    checks(page, "training-enrolled")
    page.goto("/training/my")
    expect(page.get_by_role("link", name=COURSE)).to_be_visible()
    page.get_by_label("意愿").select_option("startup")
    page.get_by_label("说明（可不填）").fill("想学开网店")
    page.get_by_label("电话", exact=True).fill("13900000123")
    page.get_by_role("button", name="登记培训意愿").click()
    expect(page.get_by_role("status")).to_contain_text("培训意愿已登记")
    checks(page, "training-my")
    page.context.clear_cookies()

    login(page, "pxjg_wlht", DEMO_PASSWORD, path="/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("培训机构")
    expect(page.get_by_text("想学开网店")).to_be_visible()
    checks(page, "training-provider")
    page.get_by_label("答复").first.fill("下月开网络创业班，欢迎报名")
    page.get_by_role("button", name="答复").first.click()
    expect(page.get_by_role("status")).to_contain_text("已答复")
    page.get_by_role("link", name=COURSE).click()
    expect(page.get_by_text("张*")).to_be_visible()
    assert "152201197503081" not in page.content()  # the 身份证号 never whole
    expect(page.get_by_text("开班 3 天前")).to_be_visible()
    checks(page, "training-provider-course")
    page.get_by_role("button", name="开班").click()
    expect(page.get_by_role("status")).to_contain_text("已开班")
    checks(page, "training-provider-opened")
