"""The disclosure catalog (政府信息公开目录): categories and their public items.

Lists run a fixed number of statements: one for the categories with their counts,
one count and one page of items.
"""

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.catalog import DisclosureCategory, DisclosureItem
from app.portal.paging import Page

PAGE_SIZE = 20


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    count: int


def categories():
    """Every category in its order, with the number of its public items."""
    counted = func.count(DisclosureItem.id)
    rows = db.session.execute(
        select(DisclosureCategory.code, DisclosureCategory.name, counted)
        .outerjoin(
            DisclosureItem,
            and_(
                DisclosureItem.category_id == DisclosureCategory.id,
                DisclosureItem.public.is_(True),
            ),
        )
        .group_by(DisclosureCategory.id, DisclosureCategory.code, DisclosureCategory.name)
        .order_by(DisclosureCategory.position, DisclosureCategory.code)
    ).all()
    return [Category(code, name, count) for code, name, count in rows]


def _item_filters(category_code, text):
    conditions = [DisclosureItem.public.is_(True)]
    if category_code:
        conditions.append(DisclosureCategory.code == category_code)
    if text:
        conditions.append(
            or_(
                DisclosureItem.title.icontains(text, autoescape=True),
                DisclosureItem.content.icontains(text, autoescape=True),
            )
        )
    return conditions


def items(category_code=None, text=None, page=0, page_size=PAGE_SIZE):
    """One page of public items, newest first, in a category and/or matching ``text``."""
    conditions = _item_filters(category_code, text)
    total = db.session.scalar(
        select(func.count(DisclosureItem.id)).join(DisclosureItem.category).where(*conditions)
    )
    rows = (
        db.session.execute(
            select(DisclosureItem)
            .join(DisclosureItem.category)
            .where(*conditions)
            .options(
                joinedload(DisclosureItem.category),
                joinedload(DisclosureItem.responsible_division),
            )
            .order_by(DisclosureItem.published_on.desc(), DisclosureItem.id.desc())
            .offset(page * page_size)
            .limit(page_size)
        )
        .scalars()
        .all()
    )
    return Page(rows, total, page, page_size)


def item(item_id):
    """A public item with its category and division, or None."""
    return db.session.execute(
        select(DisclosureItem)
        .where(DisclosureItem.id == item_id, DisclosureItem.public.is_(True))
        .options(
            joinedload(DisclosureItem.category),
            joinedload(DisclosureItem.responsible_division),
        )
    ).scalar_one_or_none()
