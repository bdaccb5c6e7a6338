"""The disclosure catalog (政府信息公开目录) on the portal: categories with counts, items
searchable and paged, only public items, a constant number of statements."""

import pytest

from app.extensions import db
from app.models.catalog import DisclosureCategory, DisclosureItem
from app.portal import disclosure
from tests.calendar_helpers import count_statements


def test_every_category_is_listed_with_its_public_items(app):
    categories = disclosure.categories()
    assert len(categories) == db.session.query(DisclosureCategory).count() == 20
    assert sum(c.count for c in categories) == db.session.query(DisclosureItem).count()


def test_a_hidden_item_is_neither_counted_listed_nor_shown(client):
    item = db.session.query(DisclosureItem).first()
    item.public = False
    db.session.commit()
    assert (
        sum(c.count for c in disclosure.categories())
        == db.session.query(DisclosureItem).filter_by(public=True).count()
    )
    assert disclosure.items(text=item.title).total == 0
    assert f'/public/disclosure/{item.id}"' not in client.get(
        "/public/disclosure", query_string={"q": item.title}
    ).get_data(as_text=True)
    assert client.get(f"/public/disclosure/{item.id}").status_code == 404


def test_the_page_lists_categories_and_items(client):
    page = client.get("/public/disclosure").get_data(as_text=True)
    for category in db.session.query(DisclosureCategory):
        assert category.name in page
    newest = disclosure.items().rows[0]
    assert newest.title in page


def test_a_category_and_a_search_narrow_the_items(client):
    item = (
        db.session.query(DisclosureItem).filter(DisclosureItem.title.like("%土地利用计划%")).one()
    )
    by_category = disclosure.items(item.category.code)
    assert by_category.total == len(item.category.items)
    found = disclosure.items(text="土地利用计划")
    assert [row.id for row in found.rows] == [item.id]
    page = client.get(
        "/public/disclosure", query_string={"category": item.category.code, "q": "土地利用计划"}
    ).get_data(as_text=True)
    assert item.title in page


def test_an_item_page_shows_its_content(client):
    item = db.session.query(DisclosureItem).first()
    page = client.get(f"/public/disclosure/{item.id}").get_data(as_text=True)
    assert item.title in page and item.content in page and item.category.name in page


@pytest.mark.parametrize("pk", ["99999999", "99999999999999"])
def test_an_unknown_item_is_not_found(client, pk):
    assert client.get(f"/public/disclosure/{pk}").status_code == 404


def test_paging_costs_the_same_statements(client):
    category = db.session.query(DisclosureCategory).first()
    for n in range(30):
        db.session.add(DisclosureItem(category=category, title=f"公告 {n}", public=True))
    db.session.commit()
    with count_statements() as first:
        assert client.get("/public/disclosure").status_code == 200
    with count_statements() as last:
        assert client.get("/public/disclosure?page=4").status_code == 200
    assert len(first) == len(last) == 4, first  # permission, categories, count, page


def test_item_text_is_escaped(client):
    item = db.session.query(DisclosureItem).first()
    item.title = "<script>alert('item')</script>公告"
    db.session.commit()
    page = client.get(f"/public/disclosure/{item.id}").get_data(as_text=True)
    assert "<script>alert" not in page
