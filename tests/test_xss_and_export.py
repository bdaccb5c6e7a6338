"""Markup in names comes back escaped (pages and API); exports cannot carry formulas."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from app.extensions import db
from app.models.org import Division
from app.security.export import neutralise_cell, neutralise_row

PAYLOAD = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def hostile_division(app):
    division = Division(code="xss_unit", name=PAYLOAD, name_en=PAYLOAD, kind="division")
    db.session.add(division)
    db.session.commit()
    return division


@pytest.fixture
def hostile_user(app):
    sm = app.appbuilder.sm
    user = sm.find_user("window2")
    user.first_name = PAYLOAD
    user.position = PAYLOAD
    db.session.commit()
    return user


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/divisionmodelview/list/", "/divisionmodelview/show/{id}"])
def test_division_name_is_escaped_in_pages(client, auth, hostile_division, path):
    auth.login("admin")
    html = page(client, path.format(id=hostile_division.id))
    assert PAYLOAD not in html
    assert ESCAPED in html


@pytest.mark.parametrize(
    "path",
    [
        "/users/list/?psize_SunshineUserDBModelView=100",
        "/users/show/{id}",
        "/directory/list/?psize_DirectoryView=100",
    ],
)
def test_user_name_is_escaped_in_pages(client, auth, hostile_user, path):
    auth.login("admin")
    html = page(client, path.format(id=hostile_user.id))
    assert PAYLOAD not in html
    assert ESCAPED in html


@pytest.mark.parametrize("path", ["/api/v1/division/?q=(page_size:100)", "/api/v1/division/{id}"])
def test_division_name_is_escaped_in_the_api(client, auth, hostile_division, path):
    token = auth.token("admin")
    response = client.get(
        path.format(id=hostile_division.id), headers={"Authorization": f"Bearer {token}"}
    )
    body = response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in body
    assert "\\u003cscript\\u003e" in body
    assert PAYLOAD in body.encode().decode("unicode_escape")  # clients read the same name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+86 514 1234", "'+86 514 1234"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("＝1+1", "'＝1+1"),
        ("土地利用处", "土地利用处"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_csv_export_reads_back_as_text():
    out = io.StringIO()
    csv.writer(out).writerow(neutralise_row(["=cmd|' /C calc'!A0", "ok", 7]))
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=cmd|' /C calc'!A0", "ok", "7"]


def test_xlsx_export_has_no_formula_cell(tmp_path):
    workbook = Workbook()
    workbook.active.append(neutralise_row(["=1+1", "@A1", 7]))
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    cells = next(load_workbook(path).active.iter_rows())
    assert [cell.data_type for cell in cells] == ["s", "s", "n"]
    assert cells[0].value == "'=1+1"
