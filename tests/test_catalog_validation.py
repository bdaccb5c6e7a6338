"""Every matter rule refuses bad input with a clear message, on the page and on the API,
and writes nothing."""

import pytest

from app.extensions import db
from app.models.catalog import Matter
from app.models.org import Division
from app.models.workflow import WorkflowTemplate


def ids():
    def matter(code):
        return db.session.query(Matter).filter_by(code=code).one().id

    def template(code):
        return db.session.query(WorkflowTemplate).filter_by(code=code, is_current=True).one().id

    return {
        "JS-01": template("JS-01"),  # critical path 10 days
        "GD-01": template("GD-01"),  # critical path 20 days
        "matter GD-01": matter("GD-01"),
        "matter GD-01-01": matter("GD-01-01"),
        "matter GD-01-01-01": matter("GD-01-01-01"),
        "landuse": db.session.query(Division).filter_by(code="landuse").one().id,
    }


def good_matter(ids):
    return {
        "code": "T-01",
        "name": "测试事项",
        "level": 1,
        "parent": None,
        "category": "licence",
        "promised_days": 12,
        "statutory_days": 20,
        "max_extension_days": 10,
        "responsible_division": ids["landuse"],
        "workflow": ids["JS-01"],
        "public": True,
        "active": True,
    }


# (name, changes, message on the English page, fragment that survives translation)
BAD_MATTERS = [
    ("promised above statutory", {"promised_days": 25}, "exceeds the statutory time", "25"),
    ("active without template", {"workflow": None}, "needs a workflow template", None),
    ("critical path too long", {"workflow": "GD-01"}, "critical path of GD-01", "20"),
    ("duplicate code", {"code": "GD-01"}, "The code GD-01 is already used.", "GD-01"),
    ("level not parent+1", {"parent": "matter GD-01"}, "The level must be 2", "2"),
    ("level 1 under no parent", {"level": 2}, "The level must be 1", "1"),
    (
        "child of a level-3 matter",
        {"level": 3, "parent": "matter GD-01-01-01"},
        "A level-3 matter cannot have children.",
        None,
    ),
]


def resolve(values, ids):
    resolved = dict(values)
    for key in ("workflow", "parent"):
        if isinstance(resolved.get(key), str):
            resolved[key] = ids[resolved[key]]
    return resolved


def as_form(values):
    form = {}
    for key, value in values.items():
        if value is None or value is False:
            continue
        form[key] = "y" if value is True else str(value)
    return form


def matter_rows():
    return sorted(
        (m.code, m.name, m.level, m.parent_id, m.promised_days, m.workflow_id)
        for m in db.session.query(Matter)
    )


@pytest.mark.parametrize(("name", "changes", "message", "fragment"), BAD_MATTERS)
def test_page_refuses_a_bad_matter(app, client, auth, name, changes, message, fragment):
    auth.login("admin")
    client.get("/lang/en")
    the_ids = ids()
    before = matter_rows()
    values = resolve({**good_matter(the_ids), **changes}, the_ids)
    response = client.post("/mattermodelview/add", data=as_form(values))
    assert response.status_code == 200  # the form again, with the error
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert matter_rows() == before


@pytest.mark.parametrize(("name", "changes", "message", "fragment"), BAD_MATTERS)
def test_api_refuses_a_bad_matter(app, client, auth, name, changes, message, fragment):
    token = auth.token("admin")
    the_ids = ids()
    before = matter_rows()
    values = resolve({**good_matter(the_ids), **changes}, the_ids)
    response = client.post(
        "/api/v1/matter/", json=values, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    text = response.get_json()["message"]
    assert text and (fragment is None or fragment in text)
    db.session.expire_all()
    assert matter_rows() == before


def test_good_matter_is_added_on_the_page(app, client, auth):
    auth.login("admin")
    client.post("/mattermodelview/add", data=as_form(good_matter(ids())))
    assert db.session.query(Matter).filter_by(code="T-01").one().promised_days == 12


def test_good_matter_is_added_by_the_api(app, client, auth):
    token = auth.token("admin")
    response = client.post(
        "/api/v1/matter/", json=good_matter(ids()), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201, response.get_json()


def edit_values(matter, **changes):
    values = {
        "code": matter.code,
        "name": matter.name,
        "level": matter.level,
        "parent": matter.parent_id,
        "category": matter.category,
        "promised_days": matter.promised_days,
        "statutory_days": matter.statutory_days,
        "max_extension_days": matter.max_extension_days,
        "responsible_division": matter.responsible_division_id,
        "workflow": matter.workflow_id,
        "public": matter.public,
        "active": matter.active,
    }
    values.update(changes)
    return values


def test_page_refuses_a_parent_loop(app, client, auth):
    """GD-01-01's parent is GD-01: making GD-01 a child of GD-01-01 would loop."""
    auth.login("admin")
    client.get("/lang/en")
    the_ids = ids()
    root = db.session.get(Matter, the_ids["matter GD-01"])
    values = edit_values(root, parent=the_ids["matter GD-01-01"], level=3)
    response = client.post(f"/mattermodelview/edit/{root.id}", data=as_form(values))
    assert "The parent chain loops back to GD-01." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Matter, root.id).parent_id is None


def test_api_refuses_a_parent_loop(app, client, auth):
    token = auth.token("admin")
    the_ids = ids()
    root_id = the_ids["matter GD-01"]
    response = client.put(
        f"/api/v1/matter/{root_id}",
        json={"parent": the_ids["matter GD-01-01"], "level": 3},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert "GD-01" in response.get_json()["message"]
    db.session.expire_all()
    assert db.session.get(Matter, root_id).parent_id is None


def test_page_edit_keeps_its_own_code(app, client, auth):
    """The duplicate-code rule does not fire on the matter's own code."""
    auth.login("admin")
    matter = db.session.query(Matter).filter_by(code="LS-01").one()
    client.post(
        f"/mattermodelview/edit/{matter.id}", data=as_form(edit_values(matter, name="改名"))
    )
    db.session.expire_all()
    assert db.session.get(Matter, matter.id).name == "改名"
