"""`flask catalog import/export`: good files, bad rows, non-spreadsheets, lossless round trip."""

import csv

import pytest
from openpyxl import load_workbook

from app.catalog.spreadsheet import COLUMNS, read_rows
from app.catalog.transfer import export_records
from app.extensions import db
from app.models.catalog import DisclosureCategory, DisclosureItem, Matter, RequiredDocument


def catalog_snapshot():
    """The full content of the catalog, keyed by codes rather than ids."""
    matters = {
        m.code: (
            m.name,
            m.level,
            m.parent.code if m.parent else None,
            m.category,
            m.legal_basis,
            m.conditions,
            m.promised_days,
            m.statutory_days,
            m.max_extension_days,
            m.fee_standard,
            m.responsible_division.code if m.responsible_division else None,
            (m.workflow.code, m.workflow.version) if m.workflow else None,
            m.public,
            m.active,
            tuple((d.position, d.name, d.copies, d.original, d.note) for d in m.required_documents),
        )
        for m in db.session.query(Matter)
    }
    categories = sorted((c.code, c.name, c.position) for c in db.session.query(DisclosureCategory))
    items = sorted(
        (
            i.category.code,
            i.title,
            i.content,
            i.responsible_division.code if i.responsible_division else None,
            i.published_on,
            i.public,
        )
        for i in db.session.query(DisclosureItem)
    )
    return matters, categories, items


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def matter_row(code="N-01", **changes):
    row = {
        "record": "matter",
        "code": code,
        "name": "新事项",
        "level": "1",
        "category": "licence",
        "legal_basis": "《中华人民共和国土地管理法》",
        "promised_days": "12",
        "statutory_days": "20",
        "max_extension_days": "10",
        "division": "landuse",
        "workflow": "JS-01",
        "public": "yes",
        "active": "yes",
    }
    row.update(changes)
    return row


def document_row(code="N-01", name="申请书", **changes):
    return {
        "record": "document",
        "code": code,
        "name": name,
        "copies": "2",
        "original": "yes",
        **changes,
    }


def disclosure_row(title="新公开事项", **changes):
    return {
        "record": "disclosure",
        "code": "ZW-21",
        "category_name": "专项公开",
        "name": title,
        "content": "内容",
        "division": "office",
        "published_on": "2026-11-02",
        "public": "yes",
        **changes,
    }


def test_import_of_a_good_csv(app, runner, tmp_path):
    path = write_csv(
        tmp_path / "good.csv",
        [
            matter_row(),
            document_row(),
            document_row(name="身份证明", original="no"),
            matter_row("N-01-01", name="子事项", level="2", parent="N-01"),
            disclosure_row(),
        ],
    )
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "imported 2 matters, 2 required documents and 1 disclosure items" in result.output
    matter = db.session.query(Matter).filter_by(code="N-01").one()
    assert [(d.name, d.copies, d.original) for d in matter.required_documents] == [
        ("申请书", 2, True),
        ("身份证明", 2, False),
    ]
    assert [c.code for c in matter.children] == ["N-01-01"]
    assert (
        db.session.query(DisclosureItem).filter_by(title="新公开事项").one().category.name
        == "专项公开"
    )


def test_import_upserts_by_code(app, runner, tmp_path):
    path = write_csv(tmp_path / "update.csv", [matter_row("LS-01", name="临时用地审批（修订）")])
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert db.session.query(Matter).filter_by(code="LS-01").one().name == "临时用地审批（修订）"
    assert db.session.query(Matter).filter_by(code="LS-01").count() == 1


def test_import_with_three_bad_rows_writes_nothing(app, runner, tmp_path):
    before = catalog_snapshot()
    path = write_csv(
        tmp_path / "bad.csv",
        [
            matter_row("N-01"),  # row 2: good
            matter_row("N-02", promised_days="abc"),  # row 3
            document_row("N-01"),  # row 4: good
            matter_row("N-03", division="nowhere"),  # row 5
            disclosure_row(),  # row 6: good
            matter_row("N-04", promised_days="25"),  # row 7: above the statutory 20
        ],
    )
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code != 0
    errors = [line for line in result.output.splitlines() if line.startswith("row ")]
    assert errors[:2] == [
        "row 3, column promised_days: 'abc' is not a whole number",
        "row 5, column division: unknown unit 'nowhere'",
    ]
    # the rule's own message (translated with the rules) names both numbers
    assert errors[2].startswith("row 7, column promised_days: ")
    assert "25" in errors[2] and "20" in errors[2]
    assert len(errors) == 3
    assert "3 problem(s) in bad.csv: nothing was imported" in result.output
    db.session.expire_all()
    assert catalog_snapshot() == before


def test_import_reports_a_duplicate_code_in_the_file(app, runner, tmp_path):
    path = write_csv(tmp_path / "dup.csv", [matter_row("N-01"), matter_row("N-01")])
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert "row 3, column code: duplicate code N-01 (already in row 2)" in result.output
    assert db.session.query(Matter).filter_by(code="N-01").count() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
        ("notes.csv", b"just some notes\nno columns here\n"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_import_of_a_non_spreadsheet_gives_one_clear_line(app, runner, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    before = catalog_snapshot()
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: {name} is not a")
    assert catalog_snapshot() == before


FORMULA_LIKE = {
    "name": '=HYPERLINK("http://evil","点我")',
    "fee_standard": "+100元",
    "conditions": "-1 天",
    "legal_basis": "@SUM(A1)",
}


def plant_formula_like_values():
    matter = db.session.query(Matter).filter_by(code="LS-01").one()
    for attribute, value in FORMULA_LIKE.items():
        setattr(matter, attribute, value)
    matter.required_documents[0].note = "'=already quoted"
    db.session.commit()


def wipe_catalog():
    db.session.query(RequiredDocument).delete()
    for level in (3, 2, 1):
        db.session.query(Matter).filter_by(level=level).delete()
    db.session.query(DisclosureItem).delete()
    db.session.query(DisclosureCategory).delete()
    db.session.commit()


def test_export_then_import_gives_the_same_catalog(app, runner, tmp_path):
    plant_formula_like_values()
    before = catalog_snapshot()
    path = tmp_path / "catalog.xlsx"
    assert runner.invoke(args=["catalog", "export", str(path)]).exit_code == 0
    wipe_catalog()
    assert catalog_snapshot()[0] == {}

    result = runner.invoke(args=["catalog", "import", str(path)])

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert catalog_snapshot() == before


def test_exported_formula_like_cells_are_neutralised(app, runner, tmp_path):
    plant_formula_like_values()
    path = tmp_path / "catalog.xlsx"
    runner.invoke(args=["catalog", "export", str(path)])
    sheet = load_workbook(path).active
    cells = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    for value in FORMULA_LIKE.values():
        assert "'" + value in cells
        assert value not in cells
    assert "''=already quoted" in cells
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_export_button_gives_the_same_rows_as_the_cli(app, client, auth, tmp_path):
    auth.login("landuse_staff")
    response = client.get("/mattermodelview/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=catalog-")
    path = tmp_path / "download.xlsx"
    path.write_bytes(response.data)
    rows = [values for _, values in read_rows(path)]
    expected = [{k: v for k, v in record.items() if v is not None} for record in export_records()]
    as_text = [
        {k: str(v) if not isinstance(v, bool) else ("yes" if v else "no") for k, v in row.items()}
        for row in expected
    ]
    got = [{k: str(v) for k, v in row.items() if v is not None} for row in rows]
    assert got == as_text


def test_export_refuses_a_non_xlsx_name(app, runner, tmp_path):
    result = runner.invoke(args=["catalog", "export", str(tmp_path / "catalog.csv")])
    assert result.exit_code != 0
    assert "must end in .xlsx" in result.output
