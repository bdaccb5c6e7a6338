"""Re-importing the catalog keeps required documents' ids: an unchanged file changes
nothing; a document dropped from the file is retired when cases refer to it (and no
longer offered to new applications), deleted otherwise."""

import csv

from app.catalog.spreadsheet import COLUMNS
from app.catalog.transfer import export_records
from app.extensions import db
from app.models.cases import CaseMaterial
from app.models.catalog import Matter, RequiredDocument
from tests.case_helpers import Api
from tests.factories import gd01


def documents():
    """{id: (matter code, position, name, copies, retired)} of every required document."""
    return {
        d.id: (d.matter.code, d.position, d.name, d.copies, d.retired)
        for d in db.session.query(RequiredDocument)
    }


def write(path, records):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for record in records:
            writer.writerow({k: ("" if v is None else v) for k, v in record.items()})
    return path


def run_import(runner, path):
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()


def test_importing_the_exported_catalog_changes_nothing(app, runner, tmp_path):
    before = documents()
    path = tmp_path / "catalog.xlsx"
    assert runner.invoke(args=["catalog", "export", str(path)]).exit_code == 0
    run_import(runner, path)
    assert documents() == before
    run_import(runner, path)  # and again
    assert documents() == before


def test_a_document_dropped_from_the_file_is_retired_when_a_case_holds_it(app, runner, tmp_path):
    matter = gd01()
    api = Api(app.test_client(use_cookies=False))
    case_id = api.receive(matter).get_json()["id"]
    held = {m.document_id for m in db.session.query(CaseMaterial).filter_by(case_id=case_id)}
    [first, second, *rest] = [d.id for d in matter.required_documents]
    assert first in held
    records = [
        r
        for r in export_records()
        if not (r["record"] == "document" and r["code"] == matter.code and r["name"] == "申请书")
    ]
    dropped = db.session.get(RequiredDocument, first)
    assert dropped.name == "申请书"
    run_import(runner, write(tmp_path / "catalog.csv", records))

    dropped = db.session.get(RequiredDocument, first)
    assert dropped is not None and dropped.retired is True  # the case still points at it
    matter = db.session.query(Matter).filter_by(code=matter.code).one()
    assert [d.id for d in matter.required_documents] == [second, *rest]  # ids kept
    assert first in {d.id for d in matter.documents}

    # new applications are neither offered nor accept the retired document
    response = api.receive(matter, materials=[first, second, *rest])
    assert response.status_code == 400 and "materials" in response.get_json()["errors"]
    assert api.receive(matter, materials=[second, *rest]).status_code == 201

    # listed again, it comes back under its own id
    run_import(runner, write(tmp_path / "again.csv", export_records() + [_document(matter)]))
    assert db.session.get(RequiredDocument, first).retired is False


def _document(matter):
    return {"record": "document", "code": matter.code, "name": "申请书", "copies": 1}


def test_a_document_no_case_holds_is_deleted_when_dropped(app, runner, tmp_path):
    matter = gd01()
    last = matter.required_documents[-1]
    last_id, name = last.id, last.name
    records = [
        r
        for r in export_records()
        if not (r["record"] == "document" and r["code"] == matter.code and r["name"] == name)
    ]
    run_import(runner, write(tmp_path / "catalog.csv", records))
    assert db.session.get(RequiredDocument, last_id) is None
