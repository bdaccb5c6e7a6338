"""The progress table (办理情况表): every accepted case in the reader's scope, where it
stands and how much time it has used; filters, an XLSX export and a print layout.

Thin: rows are a FAB list under :class:`CaseScopeFilter` with the filter bar of the case
list; what each row shows is computed for the whole page by app/workflow/progress.py.
"""

import io
from datetime import date, datetime, time, timedelta

from flask import abort, g, send_file
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from sqlalchemy import and_, true

from app import audit, labels
from app.calendar.workdays import TZ
from app.extensions import db
from app.models.cases import Case
from app.security.export import neutralise_row
from app.security.permissions import READ, Resource
from app.security.scope import CaseScopeFilter, current_user
from app.views.base import EagerSQLAInterface, SunshineModelView
from app.views.cases import CASE_UNIT_KINDS, matter_name
from app.views.lists import (
    ClauseFilter,
    Dropdown,
    FilterBarMixin,
    LinkedListWidget,
    Search,
    vocabulary,
)
from app.workflow import progress, worklists

EXPORT_LIMIT = 5000  # rows in one spreadsheet; narrow the filters for more
COMPUTED = ("stage_of", "current_units", "handlers", "days_used", "days_left", "delay")

LABELS = {
    "receipt_no": _l("Receipt number"),
    "received_at": _l("Received"),
    "matter": _l("Matter"),
    "applicant_name": _l("Applicant"),
    "status": _l("Status"),
    "stage_of": _l("Stage"),
    "current_units": _l("Current unit"),
    "handlers": _l("Handler"),
    "days_used": _l("Working days used"),
    "days_left": _l("Working days left"),
    "promised_due_at": _l("Promised due"),
    "flag": _l("Flag"),
    "delay": _l("Delay reason"),
}


class ListedFilter(ClauseFilter):
    """Accepted cases only: the promised clock runs or has run."""

    def apply(self, query, value):
        return query.filter(progress.listed_clause())


class ProgressInterface(EagerSQLAInterface):
    """Rows of a page with their progress, computed for the whole page at once."""

    def get_values(self, lst, list_columns):
        rows = list(super().get_values(lst, list_columns))
        found = progress.progress_of(lst, current_user())
        for case, row in zip(lst, rows, strict=True):
            state = found[case.id]
            row.update(
                id=case.id,
                stage_of=state.stage_of,
                current_units=state.units,
                handlers=[labels.person(p) for p in state.handlers],
                days_used=state.days_used,
                days_left=state.days_left,
                delay=state,
                delayed=state.delayed,
            )
        return rows


def delay_html(state):
    if not state.delay_reason:
        return labels.EMPTY
    text = labels.label("delay_reason", state.delay_reason)
    if state.delay_text:
        return Markup('<span class="delay-reason">{}</span>: {}').format(text, state.delay_text)
    return Markup('<span class="delay-reason">{}</span>').format(text)


def _day(raw):
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


class DateBound(Search):
    """A date (YYYY-MM-DD) of the filter bar; anything else is ignored."""

    kind = "date"
    max_length = 10

    def parse(self, raw):
        day = _day(raw[: self.max_length]) if raw else None
        return (day.isoformat() if day else None), None


def _beijing_midnight(iso_day):
    local = datetime.combine(date.fromisoformat(iso_day), time(), tzinfo=TZ)
    return labels.as_utc(local)


def received_from(iso_day):
    return Case.received_at >= _beijing_midnight(iso_day)


def received_until(iso_day):
    return Case.received_at < _beijing_midnight(iso_day) + timedelta(days=1)


def _choices(name):
    """One query for both dropdowns of a request (the page stays within its budget)."""

    def choices():
        if "progress_choices" not in g:
            g.progress_choices = progress.filter_choices(CASE_UNIT_KINDS)
        return g.progress_choices[name]

    return choices


class ProgressListWidget(LinkedListWidget):
    template = "sunshine/widgets/progress_list.html"


class CaseProgressView(FilterBarMixin, SunshineModelView):
    route_base = "/progress"
    datamodel = ProgressInterface(Case, eager=("matter",))
    class_permission_name = Resource.PROGRESS
    method_permission_name = {"list": READ, "export": READ}
    base_permissions = ["can_read"]
    base_filters = [["id", CaseScopeFilter, None], ["id", ListedFilter, None]]
    include_route_methods = {"list", "export"}
    list_title = _l("Progress table")
    list_template = "sunshine/progress.html"
    list_widget = ProgressListWidget
    label_columns = LABELS
    list_columns = [
        "receipt_no",
        "received_at",
        "matter",
        "applicant_name",
        "stage_of",
        "current_units",
        "handlers",
        "days_used",
        "days_left",
        "promised_due_at",
        "flag",
        "delay",
    ]
    show_columns = ["receipt_no"]  # no show route: a row opens the case page
    search_columns = ["receipt_no", "status", "flag", "received_at"]
    order_columns = ["receipt_no", "received_at", "promised_due_at", "flag"]
    base_order = ("received_at", "desc")
    page_size = 50
    formatters_columns = {
        "receipt_no": labels.text,
        "received_at": labels.local_time,
        "matter": matter_name,
        "applicant_name": labels.text,
        "current_units": labels.text,
        "handlers": labels.text,
        "promised_due_at": labels.local_time,
        "flag": lambda flag: labels.html_label("flag", flag, labels.FLAG_STYLES),
        "delay": delay_html,
    }
    filter_bar = (
        Search("q", _l("Receipt number, applicant or project"), worklists.case_matching),
        Dropdown("matter", _l("Matter"), worklists.case_of_matter, _choices("matter")),
        Dropdown("unit", _l("Division"), worklists.case_with_unit, _choices("unit")),
        Dropdown("flag", _l("Flag"), lambda code: Case.flag == code, vocabulary("flag")),
        Dropdown(
            "status",
            _l("Status"),
            lambda code: Case.status == code,
            vocabulary("case_status", list(progress.LISTED_STATUSES)),
        ),
        DateBound("from", _l("Received from"), received_from),
        DateBound("until", _l("Received until"), received_until),
    )

    @expose("/export.xlsx")
    @has_access
    def export(self):
        """The rows the filters select (up to EXPORT_LIMIT), as a spreadsheet."""
        bar = self.datamodel.get_filters().add_filter(
            "id", ClauseFilter, and_(true(), *self.bar_clauses())
        )
        filters = self._base_filters.get_joined_filters(bar)
        _count, cases = self.datamodel.query(
            filters, "received_at", "desc", page=0, page_size=EXPORT_LIMIT
        )
        if cases is None:
            abort(404)
        stream = io.BytesIO()
        write_progress(cases, progress.progress_of(cases, current_user()), stream)
        stream.seek(0)
        audit.record_export("Case", len(cases), "xlsx", view="progress")
        db.session.commit()
        return send_file(
            stream,
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            as_attachment=True,
            download_name=f"progress-{date.today().isoformat()}.xlsx",
        )


EXPORT_COLUMNS = [*CaseProgressView.list_columns, "status"]


def write_progress(cases, states, target):
    """One row per case, labels and Beijing times as on the page; text cannot run formulas."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Progress table"))
    sheet.append([str(LABELS[column]) for column in EXPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    late = PatternFill("solid", fgColor="F2DEDE")
    for case in cases:
        state = states[case.id]
        sheet.append(neutralise_row(_export_row(case, state)))
        if state.delayed:
            for cell in sheet[sheet.max_row]:
                cell.fill = late
    sheet.freeze_panes = "A2"
    workbook.save(target)


def _export_row(case, state):
    delay = labels.label("delay_reason", state.delay_reason) if state.delay_reason else ""
    if state.delay_text:
        delay = f"{delay}: {state.delay_text}"
    return [
        case.receipt_no,
        labels.local_time(case.received_at),
        case.matter.name if case.matter else "",
        case.applicant_name,
        state.stage_of or "",
        "、".join(state.units),
        "、".join(labels.person(p) for p in state.handlers),
        state.days_used,
        state.days_left,
        labels.local_time(case.promised_due_at) if case.promised_due_at else "",
        str(labels.label("flag", case.flag)),
        str(delay),
        str(labels.label("case_status", case.status)),
    ]
