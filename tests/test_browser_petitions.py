"""A petition through the pages in a real browser: the office registers, accepts and assigns
it, the county bureau answers, the office reviews and closes it; the confirmations are the
page's own, nothing breaks the Content-Security-Policy and nothing leaves the machine."""

from tests.browser import ARTIFACTS, BROWSER, csp_violations, sign_in, sign_out
from tests.petition_helpers import CONTENT, PETITIONER

pytestmark = BROWSER


def submit(page, form):
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").click()


def test_register_assign_answer_review_close_through_the_pages(server, browser_page):
    page = browser_page
    confirmations = []
    page.on("dialog", lambda dialog: (confirmations.append(dialog.message), dialog.accept()))

    sign_in(page, server, "petition_staff")
    page.goto(f"{server}/petitions/register")
    for name, value in PETITIONER.items():
        page.fill(f"input[name={name}]", value)
    page.select_option("select[name=channel]", "visit")
    page.select_option("select[name=category]", "compensation")
    page.fill("textarea[name=content]", CONTENT)
    submit(page, ".sunshine-petition-register form")
    assert "/petitions/show/" in page.url
    petition_url = page.url
    assert page.locator(".alert-success").count() == 1

    submit(page, "#decide form")  # 受理 is the first choice
    page.select_option("#assign-unit", "baoying")
    page.fill("#assign-instructions", "请核实补偿款发放情况，按期反馈。")
    submit(page, "#assign form")
    assert page.get_by_text("宝应县局").first.is_visible()
    sign_out(page, server)

    sign_in(page, server, "baoying_staff")
    page.goto(petition_url)
    assert PETITIONER["petitioner_phone"] not in page.content()
    page.fill("#feedback-text", "经核查，补偿款已于本月补发到位。")
    submit(page, "#feedback form")
    assert page.locator("#feedback").count() == 0  # answered: the form is gone
    sign_out(page, server)

    sign_in(page, server, "petition_staff")
    page.goto(petition_url)
    submit(page, "#review form")  # 审核通过 is the first choice
    page.fill("#close-result", "补偿款已足额发放。")
    page.select_option("#close-satisfaction", "dissatisfied")
    submit(page, "#close form")
    assert page.locator(".label-info").first.inner_text() == "已办结"
    assert page.locator(".petition-follow-ups").is_visible()  # 回访 opened

    assert len(confirmations) == 3  # decision, answer, closing
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "petition.png"), full_page=True)
    assert csp_violations(page) == []
    assert page.problems == []
    assert page.outside_requests == []
