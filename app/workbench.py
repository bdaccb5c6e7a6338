"""The home page (工作台) is made of panels that each area contributes.

An area (cases, supervision, petitions, messages, statistics) registers a provider
once at import time::

    @workbench.panel(order=20)
    def overdue_tasks(user):
        if not ...:
            return None  # this user has nothing of this kind to see
        return Panel(key="overdue", title=_l("Overdue"), count=n, rows=[...],
                     url=url_for(...), style="danger")

The home view asks every provider for the signed-in user, in order, and shows
the panels it gets. Providers are domain queries (a count and the few most urgent
rows, a constant number of statements); they never import views.
"""

from dataclasses import dataclass, field

_PROVIDERS = []


@dataclass
class Row:
    """One line of a panel: what it is, where it leads, and a short note (due, flag...)."""

    text: str
    url: str | None = None
    note: str = ""
    style: str = ""  # "", "warning", "danger": how urgent it reads


@dataclass
class Panel:
    key: str
    title: str
    count: int
    rows: list = field(default_factory=list)  # of Row: the most urgent few
    url: str | None = None  # "see all"
    style: str = "default"  # bootstrap context: default, primary, warning, danger, info


def panel(order):
    def register(provider):
        _PROVIDERS.append((order, provider))
        _PROVIDERS.sort(key=lambda entry: entry[0])
        return provider

    return register


def panels_for(user):
    return [p for _, provider in _PROVIDERS if (p := provider(user)) is not None]
