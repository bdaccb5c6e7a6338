"""Matter guides (办事指南) on the public portal: the three-level catalog, search, a guide
with everything an applicant needs, only public and active matters, no staff names."""

import pytest

from app.extensions import db
from app.models.catalog import Matter
from app.portal import guides
from tests.calendar_helpers import count_statements
from tests.portal_helpers import people_names


def html(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def hide(code, **changes):
    matter = db.session.query(Matter).filter_by(code=code).one()
    for name, value in changes.items():
        setattr(matter, name, value)
    db.session.commit()
    return matter


def test_the_tree_has_the_demo_catalog_s_three_levels(app):
    tree = guides.catalog_tree()
    assert len(tree) == 10
    children = [child for root in tree for child in root.children]
    leaves = [leaf for child in children for leaf in child.children]
    assert (len(children), len(leaves)) == (21, 44)
    gd = next(root for root in tree if root.code == "GD-01")
    assert [c.code for c in gd.children] == ["GD-01-01", "GD-01-02", "GD-01-03"]


def test_a_hidden_or_inactive_matter_is_not_in_the_tree_and_its_children_move_up(app):
    hide("GD-01", public=False)
    hide("YS-01-01-01", active=False)
    tree = guides.catalog_tree()
    codes = {root.code for root in tree}
    assert "GD-01" not in codes and {"GD-01-01", "GD-01-02", "GD-01-03"} <= codes
    ys = next(root for root in tree if root.code == "YS-01")
    assert "YS-01-01-01" not in {leaf.code for leaf in ys.children[0].children}


@pytest.mark.parametrize("code", ["GD-01", "GD-01-01-01"])
def test_a_hidden_or_inactive_guide_is_not_found(client, code):
    hide(code, public=False)
    assert client.get(f"/public/guides/{code}").status_code == 404
    hide(code, public=True, active=False)
    assert client.get(f"/public/guides/{code}").status_code == 404


def test_the_catalog_page_lists_every_public_matter(client):
    page = html(client, "/public/guides")
    public = db.session.query(Matter).filter_by(public=True, active=True).all()
    assert len(public) == 75
    assert all(f"/public/guides/{m.code}" in page for m in public)


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("供地", "GD-01", "JS-01"),
        ("gd-01-03", "GD-01-03", "YS-01"),
        ("商品住宅", "GD-01-03-03", "GD-01-01"),
    ],
)
def test_search_finds_by_name_or_code(client, query, expected, absent):
    page = html(client, f"/public/guides?q={query}")
    assert f"/public/guides/{expected}" in page
    assert f'/public/guides/{absent}"' not in page


@pytest.mark.parametrize("query", ["%", "_", "\\"])
def test_search_treats_wildcards_as_text(client, query):
    found, _more = guides.search(query)
    assert found == []
    assert client.get("/public/guides", query_string={"q": query}).status_code == 200


def test_search_does_not_find_hidden_matters(app):
    hide("GD-01-03", public=False)
    found, _more = guides.search("招标拍卖挂牌")
    assert "GD-01-03" not in {entry.code for entry in found}
    assert {entry.parent_name for entry in found} == {None}  # the hidden parent is not named


def test_a_guide_shows_what_an_applicant_needs(client):
    matter = db.session.query(Matter).filter_by(code="GD-01").one()
    page = html(client, "/public/guides/GD-01?_l_=en")
    assert matter.name in page
    assert matter.conditions in page
    assert matter.legal_basis.replace("《", "").split("》")[0] in page
    assert matter.fee_standard in page
    assert matter.responsible_division.name in page
    assert "20 working days" in page  # promised and statutory
    for document in matter.required_documents:
        assert document.name in page
    assert "Original" in page and "Copy" in page
    assert "If approved: the approval document" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram"' in page
    assert "not counted in the time limit" in page  # 报政府审批, 申请人缴费


def test_a_guide_in_chinese(client):
    page = html(client, "/public/guides/GD-01")
    assert "申请材料" in page and "法定时限" in page and "原件" in page


def test_a_guide_names_units_never_the_leaders_in_person(client):
    page = html(client, "/public/guides/GD-01")
    for name in people_names("director", "deputy1"):
        assert name not in page
    assert "局领导" in page


def test_a_level_three_guide_shows_its_parents(client):
    page = html(client, "/public/guides/GD-01-03-03")
    assert '/public/guides/GD-01"' in page and '/public/guides/GD-01-03"' in page


def test_the_guide_pages_need_no_sign_in_and_show_no_staff_navbar(client):
    page = html(client, "/public/guides/GD-01")
    assert "navbar" not in page
    assert "/static/portal/portal.css" in page
    assert "<script" not in page


def test_guide_and_catalog_statement_counts_are_constant(client):
    with count_statements() as catalog:
        html(client, "/public/guides")
    with count_statements() as guide:
        html(client, "/public/guides/GD-01")
    with count_statements() as search:
        html(client, "/public/guides?q=审批")
    # one for the Public role's permissions (read once a request), then one query for the
    # catalog or a search, five for a guide (matter, documents, workflow, stages, steps)
    assert len(catalog) == 2, catalog
    assert len(guide) == 6, guide
    assert len(search) == 2, search


def test_a_guide_s_statements_do_not_grow_with_its_steps(client):
    with count_statements() as small:
        html(client, "/public/guides/YS-01")
    with count_statements() as large:
        html(client, "/public/guides/GD-01")  # 11 stages, 18 steps, 7 documents
    assert len(large) == len(small)


def test_matter_text_is_escaped(client):
    hide("GD-01", name="<script>alert('matter')</script>供地", conditions="<b>条件</b>")
    page = html(client, "/public/guides/GD-01")
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    assert "<b>条件</b>" not in page
    search = html(client, "/public/guides?q=供地")
    assert "<script>alert" not in search
