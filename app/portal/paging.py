"""One page of a public list: its rows, the total, and where it stands."""

from dataclasses import dataclass

MAX_PAGE = 10_000


@dataclass(frozen=True)
class Page:
    rows: list
    total: int
    page: int  # from 0
    page_size: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.page_size))

    @property
    def has_previous(self):
        return self.page > 0

    @property
    def has_next(self):
        return self.page + 1 < self.pages


def page_number(value):
    """A page number from a query argument (counted from 1 by people, from 0 here);
    anything else reads as the first page."""
    text = str(value or "")
    if not text.isdigit() or len(text) > 6:
        return 0
    return min(max(int(text) - 1, 0), MAX_PAGE)
