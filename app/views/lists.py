"""List pages people filter all day: a bar of dropdowns of labels above the list, and rows
whose first column opens the record.

A view declares its bar as data (``filter_bar = (Dropdown(...), Checkbox(...), Search(...))``);
each control turns the value picked into a SQL condition added to the list's own query, so
the count, the page and the ordering stay FAB's, in the same few statements. Values
travel in the URL by name (``?flag=warning&matter=GD-01``): a link can open a filtered
list (the home page's panels do).
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import g, request
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.widgets import ListWidget

from app import labels


class ClauseFilter(BaseFilter):
    """Adds one SQL condition to a list's query (the value is the condition)."""

    name = "clause"
    arg_name = None

    def apply(self, query, value):
        return query.filter(value)


@dataclass(frozen=True)
class Dropdown:
    """A dropdown of ``choices()`` (``[(code, label)]``); ``clause(code)`` filters on it."""

    name: str
    label: str
    clause: Callable
    choices: Callable
    kind = "select"

    def parse(self, raw):
        options = self.choices()
        return (raw if raw in {code for code, _label in options} else None), options


@dataclass(frozen=True)
class Checkbox:
    name: str
    label: str
    clause: Callable  # called without a value when ticked
    kind = "checkbox"

    def parse(self, raw):
        return (True if raw else None), None


@dataclass(frozen=True)
class Search:
    """Free text (receipt number, applicant...): ``clause(text)``."""

    name: str
    label: str
    clause: Callable
    kind = "search"
    max_length = 100

    def parse(self, raw):
        return (raw[: self.max_length] or None), None


@dataclass(frozen=True)
class Control:
    """One control as the page shows it: its definition, current value and options."""

    spec: object
    value: object
    options: list | None

    @property
    def name(self):
        return self.spec.name

    @property
    def kind(self):
        return self.spec.kind

    @property
    def label(self):
        return self.spec.label


def vocabulary(name, only=None):
    """Choices of a vocabulary of app/labels.py, for a Dropdown."""
    return lambda: labels.choices(name, only)


class FilterBarMixin:
    """For a ModelView: the filter bar above the list, and the linked list widget."""

    filter_bar = ()
    list_template = "sunshine/list.html"

    def _filter_bar(self):
        """The controls with this request's values (options are read once per request)."""
        key = f"filter_bar_{type(self).__name__}"
        if key not in g:
            controls = []
            for spec in self.filter_bar:
                value, options = spec.parse(request.args.get(spec.name, "").strip())
                controls.append(Control(spec, value, options))
            setattr(g, key, controls)
        return g.get(key)

    def bar_clauses(self):
        clauses = []
        for control in self._filter_bar():
            if control.value is None:
                continue
            if control.kind == "checkbox":
                clauses.append(control.spec.clause())
            else:
                clauses.append(control.spec.clause(control.value))
        return clauses

    def _get_list_widget(self, filters, **kwargs):
        clauses = self.bar_clauses()
        if clauses:
            bar = self.datamodel.get_filters().add_filter("id", ClauseFilter, clauses)
            filters = filters.get_joined_filters(bar)
        return super()._get_list_widget(filters=filters, **kwargs)

    def _list(self, **kwargs):
        widgets = super()._list(**kwargs)
        widgets["filter_bar"] = self._filter_bar()
        widgets["keep_args"] = {
            name: value
            for name, value in request.args.items()
            if name.startswith(("_oc_", "_od_", "psize_"))
        }
        return widgets


class LinkedListWidget(ListWidget):
    """A list whose first column links to the row's page (no icon buttons to decode)."""

    template = "sunshine/widgets/list.html"
