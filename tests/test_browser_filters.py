"""In a real browser, an enumeration is searched by choosing its label (FAB's search widget
with app/views/labelled.py's select), and the workflow diagram fits a laptop screen."""

from tests.browser import BROWSER, sign_in

pytestmark = BROWSER


def add_filter(page, column):
    page.click("a.accordion-toggle")  # FAB's search panel opens
    page.click("#filter_form .dropdown-toggle")
    page.click(f"#filter_form a.filter[name={column}]")


def test_units_are_searched_by_the_label_of_their_kind(server, browser_page):
    page = browser_page
    sign_in(page, server)
    page.goto(f"{server}/divisionmodelview/list/")
    add_filter(page, "kind")
    choices = page.locator("#filter_form select.filter_val option").all_inner_texts()
    assert "县（市）局" in choices and "county" not in choices
    page.select_option("#filter_form select.filter_val", label="县（市）局")
    page.click("#filter_form button[type=submit]")
    page.wait_for_url("**/divisionmodelview/list/?_flt_0_kind=county*")
    rows = page.locator("table.table-bordered tr:has(td)")
    assert rows.count() == 3
    assert all("县（市）局" in text for text in rows.all_inner_texts())
    assert page.problems == []


def test_users_are_searched_by_yes_or_no(server, browser_page):
    page = browser_page
    sign_in(page, server)
    found = {}
    for answer, code in (("是", "y"), ("否", "n")):
        page.goto(f"{server}/users/list/")
        add_filter(page, "active")
        page.select_option("#filter_form select.filter_val", label=answer)
        page.click("#filter_form button[type=submit]")
        page.wait_for_url(f"**/users/list/?_flt_0_active={code}*")
        found[answer] = page.locator("table.table-bordered tr:has(td)").count()
    assert found == {"是": 25, "否": 0}  # every demo user is active; a page holds 25


def test_the_gd01_diagram_fits_a_laptop_screen(server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, server)
    page.goto(f"{server}/workflowtemplateview/list/?_flt_0_code=GD-01")
    page.click("a[href*='/workflowtemplateview/show/']")
    box = page.locator(".workflow-diagram-scroll").bounding_box()
    diagram = page.locator("svg.workflow-diagram").bounding_box()
    assert diagram["width"] <= box["width"]  # nothing to scroll: every stage is in view
    last_stage = page.locator("svg.workflow-diagram g[data-stage='11']").bounding_box()
    assert last_stage["x"] + last_stage["width"] <= box["x"] + box["width"]
