"""Lists, show pages and search forms in the reader's words (app/labels.py), for any FAB
``ModelView``: put :class:`LabelledViewMixin` before the FAB class.

- Every listed or shown value goes through the label layer unless the view formats the
  column itself: codes of a vocabulary as their labels, booleans as 是/否, moments in
  Beijing time to the minute, empty values as "—", lists joined with "、".
- ``vocabulary_columns = {"status": "case_status"}`` names the enumeration columns: their
  search field is a select of the vocabulary's labels, filtered with "is" / "is not"
  (FAB offers a free-text box that only finds the stored code).
- Boolean search columns get a 是/否 select (FAB's checkbox cannot search for "no"), and
  date-time search columns "from" / "before" in Beijing time (FAB compares the typed
  time with the stored UTC).
"""

from datetime import datetime

from flask_appbuilder.fields import QuerySelectField, QuerySelectMultipleField
from flask_appbuilder.fieldwidgets import Select2ManyWidget, Select2Widget
from flask_appbuilder.models.filters import BaseFilter, Filters
from flask_appbuilder.models.sqla.filters import SQLAFilterConverter, get_field_setup_query
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from app import labels
from app.calendar.workdays import TZ

BOOLEAN = "boolean"  # the 是/否 vocabulary of a boolean search field
TRUE_VALUES = frozenset({"y", "1", "true", "on"})
LOCAL_INPUT_FORMAT = "%Y-%m-%d %H:%M"  # FAB's date-time picker adds seconds: ignored


class FilterIs(BaseFilter):
    """Equal to a code of a vocabulary (or 是/否 for a boolean column).

    ``arg_name`` stays unset: FAB maps every ``arg_name`` it meets to its class for every
    REST API, and ours are for pages only."""

    name = _l("is")

    def _condition(self, field, value):
        return field == value

    def apply(self, query, value):
        query, field = get_field_setup_query(query, self.model, self.column_name)
        if self.datamodel.is_boolean(self.column_name):
            value = str(value).lower() in TRUE_VALUES
        return query.filter(self._condition(field, value))


class FilterIsNot(FilterIs):
    name = _l("is not")

    def _condition(self, field, value):
        return field != value


def utc_from_local(value):
    """A moment typed in Beijing time as the naive UTC the database stores; None if unreadable."""
    if isinstance(value, str):
        try:
            value = datetime.strptime(value.strip()[:16], LOCAL_INPUT_FORMAT)
        except ValueError:
            try:
                value = datetime.fromisoformat(value.strip())
            except ValueError:
                return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=TZ)
    return labels.as_utc(value)


class FilterAfter(BaseFilter):
    """At or after a moment typed in Beijing time."""

    name = _l("from (Beijing time)")

    def _condition(self, field, moment):
        return field >= moment

    def apply(self, query, value):
        moment = utc_from_local(value)
        if moment is None:
            return query
        query, field = get_field_setup_query(query, self.model, self.column_name)
        return query.filter(self._condition(field, moment))


class FilterBefore(FilterAfter):
    name = _l("before (Beijing time)")

    def _condition(self, field, moment):
        return field < moment


class LabelledFilterConverter(SQLAFilterConverter):
    """FAB's filters, except: vocabulary and boolean columns "is"/"is not", date-times
    "from"/"before" in Beijing time. The page's search widget and FAB's filter arguments
    both read this list, so the two stay in step."""

    vocabulary_columns = {}

    def convert(self, col_name):
        if col_name in self.vocabulary_columns or self.datamodel.is_boolean(col_name):
            return [FilterIs(col_name, self.datamodel), FilterIsNot(col_name, self.datamodel)]
        if self.datamodel.is_datetime(col_name):
            return [FilterAfter(col_name, self.datamodel), FilterBefore(col_name, self.datamodel)]
        return super().convert(col_name)


def vocabulary_select(vocabulary, label, **kwargs):
    """A select of a vocabulary's labels in the reader's language (choices built per form),
    drawn like FAB's own selects."""
    kwargs.setdefault("widget", Select2Widget())
    return SelectField(label, choices=lambda: labels.choices(vocabulary), **kwargs)


def labelled_select_many(label, query_func, get_label, **kwargs):
    """A multiple select of related rows, each shown by ``get_label`` (FAB shows ``str(row)``:
    a role as ``Admin``, a permission as ``can read on Case``)."""
    return QuerySelectMultipleField(
        label,
        query_func=query_func,
        get_pk_func=lambda row: str(row.id),
        get_label=get_label,
        widget=Select2ManyWidget(),
        **kwargs,
    )


def labelled_select(label, query_func, get_label, **kwargs):
    """A select of one related row, shown by ``get_label`` (e.g. a role in a search form)."""
    return QuerySelectField(
        label,
        query_func=query_func,
        get_pk_func=lambda row: str(row.id),
        get_label=get_label,
        widget=Select2Widget(),
        **kwargs,
    )


class LabelledFilters(Filters):
    """FAB's filters, ignoring a filter index the column does not have (FAB: IndexError, 500)."""

    def add_filter_index(self, column_name, filter_instance_index, value):
        if filter_instance_index < len(self._all_filters.get(column_name, ())):
            super().add_filter_index(column_name, filter_instance_index, value)


class LabelledViewMixin:
    """See the module's docstring. Declare ``vocabulary_columns`` on the view, and its
    titles (``list_title`` ...) or at least ``record_name``: FAB would otherwise build
    English titles from the class name ("List Permit", "Show Permit")."""

    vocabulary_columns = {}
    record_name = None  # e.g. _l("Permit"): the show title, "Add: Permit", "Edit: Permit"
    records_name = None  # e.g. _l("Permits"): the list title
    # Without them a missing title falls back to the list title, then to "Record(s)".

    def _init_titles(self):
        records = self.list_title or self.records_name
        record = self.record_name or records or _l("Record")
        self.list_title = records or _l("Records")
        self.show_title = self.show_title or record
        self.add_title = self.add_title or _l("Add: %(record)s", record=record)
        self.edit_title = self.edit_title or _l("Edit: %(record)s", record=record)
        super()._init_titles()

    def _init_properties(self):
        super()._init_properties()
        columns = [*self.list_columns, *self.show_columns]
        self.formatters_columns = {
            **{column: self._default_formatter(column) for column in columns},
            **self.formatters_columns,
        }
        self.search_form_extra_fields = {
            **self._search_fields(),
            **(self.search_form_extra_fields or {}),
        }
        converter = type(
            "LabelledFilterConverter",
            (LabelledFilterConverter,),
            {"vocabulary_columns": dict(self.vocabulary_columns)},
        )
        self._filters = LabelledFilters(converter, self.datamodel, self.search_columns)

    def _default_formatter(self, column):
        if column in self.vocabulary_columns:
            return labels.labeller(self.vocabulary_columns[column])
        return labels.text

    def _search_fields(self):
        fields = {}
        for column in self.search_columns:
            label = self.label_columns.get(column, column)
            if column in self.vocabulary_columns:
                fields[column] = vocabulary_select(self.vocabulary_columns[column], label)
            elif self.datamodel.is_boolean(column):
                fields[column] = vocabulary_select(BOOLEAN, label)
        return fields
