"""A browser walks the console as one user: every menu link, and from each page the first
link of every kind it offers (a list's first row, its add and edit pages, a show page's
related lists and history), and reports what a clerk should never meet.

Findings per page: a 5xx answer, a link the user is shown but may not open (4xx), a
request to a host other than the console, a script or console error, and raw values in
the visible text of a Chinese page (``True``, ``False``, ``None``, ``Traceback``, a model
class name, FAB's English button words, a role's English name).

Extend it: add paths a role must reach to :data:`EXTRA_PATHS` (pages not in a menu, e.g. a
form reached from a case page). Pages another engineer is still finishing are listed in
:data:`KNOWN_RAW_VALUE_PAGES`; the lead empties it at merge.
"""

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from flask_appbuilder import Model

from app.security.roles import ROLE_NAMES
from tests.browser import sign_in, sign_out

# One demo user per role (DESIGN §8).
CRAWL_USERS = (
    "admin",
    "window1",
    "landuse_staff",
    "landuse_head",
    "deputy1",
    "director",
    "supervisor",
    "inspector",
    "ownership_staff",
    "petition_staff",
    "baoying_staff",
)

# Paths every signed-in user may open although no menu links them (FAB's own forms).
EVERY_USER_PATHS = ("/resetmypassword/form", "/userinfoeditview/form")
# Paths a user must reach although no menu or list row links them: {username: [path, ...]}.
EXTRA_PATHS = {
    "admin": ["/calendar-years/paste/form", "/auditevent/verify"],
}

# Pages allowed to show raw values while a fix is under way: reported (pytest -s) but not
# failing the crawl. Keep these empty.
KNOWN_RAW_VALUE_PAGES = ()  # path prefixes
KNOWN_RAW_VALUE_PATHS = ()  # exact paths

# Links never followed: they change state, leave the page or download a file.
SKIPPED = re.compile(
    r"/(logout|lang|delete|download|export|back)\b|/api/|/swagger|/static/|/appbuilder/|\?_flt_|"
    r"[?&](_oc_|_od_|psize_|page_)"
)
RAW_VALUES = ("True", "False", "None", "Traceback")
# FAB's English words that must not remain on a Chinese page (buttons, screen-reader labels).
FAB_ENGLISH = ("Show", "Edit", "Add", "Delete", "List", "Search", "Back", "Record Count")


def model_class_names():
    """Every mapped class (FAB's and ours): a page must never name one."""
    return sorted({mapper.class_.__name__ for mapper in Model.registry.mappers})


@dataclass(frozen=True)
class Finding:
    user: str
    path: str
    kind: str  # 5xx, 4xx, outside, script, raw
    detail: str

    def __str__(self):
        return f"{self.user} {self.path}: {self.kind} {self.detail}"


def _pattern(path):
    """Links of one kind share a pattern: ``/cases/show/3`` and ``/cases/show/4``."""
    return re.sub(r"\d+", "N", urlsplit(path).path)


def _local_path(server, href):
    url = urljoin(server + "/", href)
    if not url.startswith(server):
        return None
    path = url[len(server) :] or "/"
    return path.split("#", 1)[0] or None


def raw_words(text, forbidden):
    """``{word: context}`` of the forbidden words that occur in ``text`` as whole words."""
    found = {}
    for word in forbidden:
        match = re.search(rf"(?<![\w.]){re.escape(word)}(?![\w])", text)
        if match:
            context = text[max(match.start() - 20, 0) : match.end() + 20]
            found[word] = " ".join(context.split())
    return dict(sorted(found.items()))


def may_show_raw_values(path):
    return path in KNOWN_RAW_VALUE_PATHS or path.startswith(KNOWN_RAW_VALUE_PAGES)


class Crawler:
    """Walks the console as one user in one browser page; call :meth:`walk`."""

    def __init__(self, page, server, max_pages=60):
        self.page = page
        self.server = server
        self.max_pages = max_pages
        self.forbidden = (*RAW_VALUES, *model_class_names(), *FAB_ENGLISH, *ROLE_NAMES)
        self.failed_responses = []
        page.on(
            "response",
            lambda response: (
                self.failed_responses.append(f"{response.status} {response.url}")
                if response.status >= 500
                else None
            ),
        )

    def walk(self, username, extra_paths=()):
        """Sign in as ``username``, visit, and return ``(visited paths, findings)``."""
        sign_out(self.page, self.server)
        self.page.context.clear_cookies()
        sign_in(self.page, self.server, username)
        queue = ["/", *self._menu_links(), *extra_paths]
        seen_patterns, visited, findings = set(), [], []
        while queue and len(visited) < self.max_pages:
            path = queue.pop(0)
            pattern = _pattern(path)
            if pattern in seen_patterns and path not in extra_paths:
                continue
            seen_patterns.add(pattern)
            visited.append(path)
            findings += self._visit(username, path)
            queue += [link for link in self._content_links() if _pattern(link) not in seen_patterns]
        return visited, findings

    def _visit(self, username, path):
        problems_before = len(self.page.problems)
        outside_before = len(self.page.outside_requests)
        self.failed_responses.clear()
        response = self.page.goto(self.server + path, wait_until="load")
        findings = []

        def found(kind, detail):
            findings.append(Finding(username, path, kind, detail))

        status = response.status if response else 0
        if status >= 500:
            found("5xx", str(status))
        elif status >= 400:
            found("4xx", str(status))
        for failed in self.failed_responses:
            found("5xx", failed)
        for url in self.page.outside_requests[outside_before:]:
            found("outside", url)
        for problem in self.page.problems[problems_before:]:
            found("script", problem)
        text = self.page.evaluate("document.body.innerText")
        for word, context in raw_words(text, self.forbidden).items():
            found("raw", f"{word!r} in “{context}”")
        return findings

    def _hrefs(self, selector):
        hrefs = self.page.eval_on_selector_all(
            selector, "links => links.map(link => link.getAttribute('href'))"
        )
        paths = []
        for href in hrefs:
            if not href or href.startswith(("#", "javascript:", "mailto:")):
                continue
            path = _local_path(self.server, href)
            if path and not SKIPPED.search(path) and path not in paths:
                paths.append(path)
        return paths

    def _menu_links(self):
        return self._hrefs(".navbar a[href]")

    def _content_links(self):
        return self._hrefs("body > .container a[href], .container-fluid a[href]")


def extra_paths(username):
    return [*EVERY_USER_PATHS, *EXTRA_PATHS.get(username, ())]


def crawl_as(page, server, username, max_pages=60):
    return Crawler(page, server, max_pages).walk(username, extra_paths(username))
