"""The public portal in Debian's chromium, on a 375-pixel phone and on a desk: a clerk
receives an application, the receipt's QR payload opens the lookup with the steps and no
personal data; misses answer alike; lookups are limited; a released case is rated once;
the guides and the disclosure catalog render; no request leaves the machine; applicant,
matter and rating text stays inert."""

import pytest

from app.demo.organisation import demo_users
from tests.browser import ARTIFACTS, BROWSER, DESK, PHONE, csp_violations, sign_in, sign_out
from tests.conftest import DEMO_PASSWORD

pytestmark = BROWSER

LOOKUP_LIMIT = 12
XSS = "<script>window.__xss=1</script>"
APPLICANT = {
    "applicant_name": f"张三丰{XSS}",
    "applicant_id_number": "11010519491231002X",
    "applicant_phone": "13805140001",
    "applicant_email": "zhang.sanfeng@example.com",
    "project_name": f"自建住房{XSS}",
}
STAFF_NAMES = {u["username"]: u["last_name"] + u["first_name"] for u in demo_users()}


@pytest.fixture(params=[PHONE, DESK], ids=["phone", "desk"])
def viewport(request):
    return request.param


@pytest.fixture
def server_settings():
    return {"RATELIMIT_ENABLED": True, "PORTAL_LOOKUP_RATE_LIMIT": f"{LOOKUP_LIMIT} per minute"}


@pytest.fixture
def page(browser_page):
    dialogs = []
    browser_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    browser_page.dialogs = dialogs
    yield browser_page
    assert browser_page.outside_requests == []
    assert csp_violations(browser_page) == []
    assert browser_page.problems == []
    assert dialogs == []  # no injected script ran
    assert browser_page.evaluate("window.__xss") is None


def expect_error_status(page, status):
    """A page that answers 4xx on purpose: chromium logs it; that one line is expected."""
    expected = f"the server responded with a status of {status}"
    page.problems[:] = [problem for problem in page.problems if expected not in problem]


class ApiDriver:
    """The REST API through the browser's request context, signed in per demo user (JWT)."""

    def __init__(self, page, server):
        self.request, self.server, self.tokens = page.request, server, {}

    def call(self, method, username, path, data=None):
        if username not in self.tokens:
            login = self.request.post(
                f"{self.server}/api/v1/security/login",
                data={"username": username, "password": DEMO_PASSWORD, "provider": "db"},
            )
            self.tokens[username] = login.json()["access_token"]
        headers = {"Authorization": f"Bearer {self.tokens[username]}"}
        response = self.request.fetch(
            f"{self.server}{path}", method=method, headers=headers, data=data
        )
        assert response.ok, (path, response.status, response.text())
        return response.json()

    def open_tasks(self, case_id):
        query = f"(filters:!((col:case_id,opr:eq,value:{case_id}),(col:status,opr:eq,value:open)))"
        return self.call("GET", "supervisor", f"/api/v1/task/?q={query}")["result"]

    def release(self, case_id):
        """Walk a YS-01 case (review, the director's signature, release) to its end."""
        for _ in range(3):
            for task in self.open_tasks(case_id):
                who = task["assignee"] or {"window": "window1"}.get(
                    task["division"], f"{task['division']}_staff"
                )
                body = {"decision": "approve", "opinion": "同意。"}
                self.call("POST", who, f"/api/v1/task/{task['id']}/complete", body)


def receive_at_the_window(page, server, matter="YS-01"):
    """The clerk's receipt form, in the browser: returns the receipt's lookup URL."""
    sign_in(page, server, "window1")
    page.goto(f"{server}/window/receive?matter={matter}")
    for checkbox in page.locator("input[name=materials]").all():
        checkbox.check()
    for name, value in APPLICANT.items():
        page.fill(f"#{name}", value)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/window/receipt/**")
    assert XSS in page.locator(".sunshine-receipt").inner_text()  # shown as text
    lookup = page.locator(".receipt-lookup").inner_text().strip()
    sign_out(page, server)
    return lookup


def assert_no_personal_data(text):
    for value in (*APPLICANT.values(), "张三丰", STAFF_NAMES["window1"], STAFF_NAMES["director"]):
        assert value not in text


def test_the_receipt_s_qr_payload_opens_the_lookup_without_personal_data(page, server, viewport):
    lookup = receive_at_the_window(page, server)
    assert lookup.startswith(f"{server}/public/progress?receipt_no=")
    page.goto(lookup)
    assert page.locator("h1").inner_text() == "建设项目用地预审"
    assert "窗口收件" in page.locator(".portal-timeline").first.inner_text() or "窗口收件" in (
        page.content()
    )
    assert "土地利用处" in page.content()
    assert page.locator(".navbar").count() == 0  # not the staff console
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_no_personal_data(page.content())
    api = page.request.get(lookup.replace("/public/progress", "/api/v1/public/progress"))
    assert api.status == 200 and api.json()["status"] == "in_progress"
    assert_no_personal_data(api.text())
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"portal-progress-{viewport['width']}.png"
    page.screenshot(path=str(shot), full_page=True)


def test_a_wrong_code_and_an_unknown_number_answer_alike(page, server):
    lookup = receive_at_the_window(page, server)
    receipt_no = lookup.split("receipt_no=")[1].split("&")[0]
    for path in ("/public/progress", "/api/v1/public/progress"):
        wrong = page.request.get(f"{server}{path}?receipt_no={receipt_no}&code=ABCDEFGH")
        unknown = page.request.get(f"{server}{path}?receipt_no=YZGT-2026-999999&code=ABCDEFGH")
        assert wrong.status == unknown.status == 404
        assert wrong.body() == unknown.body()
    page.goto(f"{server}/public/progress?receipt_no={receipt_no}&code=ABCDEFGH")
    expect_error_status(page, 404)
    assert page.locator(".portal-error-summary").is_visible()
    assert receipt_no not in page.content()


def test_too_many_lookups_answer_429_in_the_page_s_language(page, server):
    for _ in range(LOOKUP_LIMIT):
        page.request.get(f"{server}/api/v1/public/progress?receipt_no=X&code=Y")
    response = page.goto(f"{server}/public/progress?receipt_no=X&code=Y")
    expect_error_status(page, 429)
    assert response.status == 429
    assert "查询过于频繁" in page.locator("h1").inner_text()
    english = page.request.get(f"{server}/api/v1/public/progress?receipt_no=X&code=Y&_l_=en")
    assert english.status == 429 and "Too many lookups" in english.json()["message"]


def test_a_released_case_is_rated_once_and_the_rating_reaches_the_case_page(page, server):
    lookup = receive_at_the_window(page, server)
    case_id = page.request.get(
        lookup.replace("/public/progress", "/api/v1/public/progress")
    ).json()  # the public answer carries no id: find it as the window does
    api = ApiDriver(page, server)
    receipt_no = case_id["receipt_no"]
    [case] = api.call(
        "GET",
        "window1",
        f"/api/v1/case/?q=(filters:!((col:receipt_no,opr:eq,value:'{receipt_no}')))",
    )["result"]
    api.release(case["id"])

    page.goto(lookup)
    page.get_by_label("满意", exact=True).check()
    page.fill("#comment", f"窗口很热情{XSS}")
    form = {
        name: page.locator(f"form.portal-form input[name={name}]").get_attribute("value")
        for name in ("csrf_token", "receipt_no", "code")
    }
    page.click("form.portal-form button[type=submit]")
    page.wait_for_load_state()
    assert "感谢您的评价" in page.locator(".portal-banner").inner_text()
    assert page.locator("input[name=level]").count() == 0
    assert "满意" in page.locator(".portal-main").inner_text()

    again = page.request.post(
        f"{server}/public/progress/rating", form={**form, "level": "very_dissatisfied"}
    )
    assert again.status == 409 and "该办件已经评价过" in again.text()

    sign_in(page, server, "window1")
    page.goto(f"{server}/cases/show/{case['id']}")
    assert page.locator(".case-rating-comment").inner_text() == f"窗口很热情{XSS}"
    assert "满意" in page.locator(".case-rating").inner_text()


def test_the_guides_and_the_disclosure_catalog_render_from_the_demo_catalog(page, server, viewport):
    page.goto(f"{server}/public/guides")
    tree = page.locator(".portal-tree > li")
    assert tree.count() == 10
    page.locator("summary", has_text="国有建设用地供地审批").click()
    page.locator("a[href='/public/guides/GD-01']").click()
    page.wait_for_url("**/public/guides/GD-01")
    assert page.locator("h1").inner_text() == "国有建设用地供地审批"
    assert page.locator(".portal-diagram svg.workflow-diagram").is_visible()
    assert page.locator(".portal-documents li").count() == 7
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"portal-guide-{viewport['width']}.png"), full_page=True)

    page.goto(f"{server}/public/disclosure")
    assert page.locator(".portal-side li").count() == 21  # all, then the 20 categories
    page.locator(".portal-list a").first.click()
    assert page.locator("dl.portal-summary").is_visible()
    page.goto(f"{server}/public/language/en?next=/public/disclosure")
    assert page.locator("h1").inner_text() == "Government information disclosure catalog"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_matter_text_stays_inert_on_the_portal(page, server):
    api = ApiDriver(page, server)
    [matter] = api.call(
        "GET", "admin", "/api/v1/matter/?q=(filters:!((col:code,opr:eq,value:'YS-01')))"
    )["result"]
    api.call("PUT", "admin", f"/api/v1/matter/{matter['id']}", {"name": f"用地预审{XSS}"})
    page.goto(f"{server}/public/guides/YS-01")
    assert page.locator("h1").inner_text() == f"用地预审{XSS}"
    page.goto(f"{server}/public/guides?q=用地预审")
    assert XSS in page.locator(".portal-list").inner_text()
