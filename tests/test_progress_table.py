"""The progress table (办理情况表): rows in the reader's scope, where each case stands,
delayed cases marked with their reason, the filters, the XLSX export, and a constant
number of SQL statements whatever the page size."""

import io

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models.catalog import Matter
from tests.calendar_helpers import count_statements
from tests.supervision_helpers import receive
from tests.timeline_helpers import DELAY_TEXT, beijing, walked_gd01_case

LIST = "/progress/list/"


@pytest.fixture
def walked(app):
    return walked_gd01_case()


def row_of(page, case):
    start = page.rindex("<tr", 0, page.index(f'data-case="{case.id}"'))
    return page[start : page.index("</tr>", start)]


def open_list(client, auth, username, query=""):
    auth.login(username)
    response = client.get(LIST + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_row_says_where_the_case_stands(client, auth, walked):
    row = row_of(open_list(client, auth, "supervisor"), walked)
    assert "5/11" in row  # the countersign stage of GD-01's eleven
    assert "土地利用处" in row and "财务处" in row  # the countersigning units
    assert "2026-03-02 10:00" in row  # received, Beijing time
    assert walked.receipt_no in row and f"/cases/timeline/{walked.id}" in row


def test_a_delayed_case_is_marked_with_its_delay_reason(client, auth, walked):
    row = row_of(open_list(client, auth, "supervisor"), walked)
    assert "progress-delayed" in row
    assert "实地勘察" in row and DELAY_TEXT in row


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("?matter=GD-01", True),
        ("?matter=JS-01", False),
        ("?unit=valuation", True),
        ("?unit=office", False),
        ("?status=in_progress", True),
        ("?status=released", False),
        ("?flag=overdue", False),
        ("?from=2026-03-02&until=2026-03-02", True),
        ("?from=2026-03-03", False),
        ("?until=2026-03-01", False),
        ("?from=not-a-date", True),  # ignored, never a 500
    ],
)
def test_the_filters(client, auth, walked, query, listed):
    page = open_list(client, auth, "supervisor", query)
    assert (f'data-case="{walked.id}"' in page) is listed


def test_a_case_not_yet_accepted_is_not_listed(client, auth, app):
    matter = db.session.query(Matter).filter_by(code="GD-01").one()
    registered = receive(matter, decision="register")
    page = open_list(client, auth, "window1")
    assert f'data-case="{registered.id}"' not in page


def test_a_reader_outside_the_case_does_not_see_its_row(client, auth, walked):
    page = open_list(client, auth, "office_staff")
    assert f'data-case="{walked.id}"' not in page


def test_roles_without_case_reading_are_refused(client, auth, walked):
    auth.login("baoying_staff")
    assert client.get(LIST).status_code == 403
    assert client.get("/progress/export.xlsx").status_code == 403


def test_the_export_is_a_workbook_of_the_filtered_rows(client, auth, walked):
    matter = db.session.query(Matter).filter_by(code="GD-01").one()
    receive(matter, applicant_name='=HYPERLINK("http://x")', at=beijing(20, 10))
    auth.login("supervisor")
    response = client.get("/progress/export.xlsx?matter=GD-01")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("受理编号", "收件时间", "事项") or rows[0][0]
    by_receipt = {row[0]: row for row in rows[1:]}
    walked_row = by_receipt[walked.receipt_no]
    assert walked_row[4] == "5/11" and "实地勘察" in walked_row[11]
    assert any(row[3] == '\'=HYPERLINK("http://x")' for row in rows[1:])
    assert not any(str(row[3]).startswith("=") for row in rows[1:])
    assert len(rows) == 3


def test_the_export_keeps_the_filters(client, auth, walked):
    auth.login("supervisor")
    response = client.get("/progress/export.xlsx?matter=JS-01")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # the header only


def test_the_page_costs_the_same_statements_for_2_rows_as_for_10(client, auth, app):
    matter = db.session.query(Matter).filter_by(code="GD-01").one()
    for day in range(2, 14):
        receive(matter, at=beijing(day, 10))
    auth.login("supervisor")
    counts = {}
    for size in (2, 10):
        path = f"{LIST}?psize_CaseProgressView={size}"
        client.get(path)  # fills per-client caches
        with count_statements() as statements:
            page = client.get(path).get_data(as_text=True)
        assert page.count('class="progress-row') == size
        counts[size] = len(statements)
    assert counts[2] == counts[10]
    assert counts[10] <= 8
