"""Calendar screens: the special days (Admin edits, everyone reads), the years and
their publication, the "paste a year" page, and the read-only REST API."""

from datetime import datetime

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import SimpleFormView, expose
from flask_appbuilder.api import protect, safe
from flask_appbuilder.forms import DynamicForm
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.validators import Unique
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, select
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, StopValidation

from app.calendar.labels import reason_label
from app.calendar.paste import parse_year_list
from app.calendar.store import (
    changes_weekend_rule,
    ensure_year,
    publish_years,
    signal_published_corrections,
)
from app.calendar.workdays import TZ, Calendar, add_working_days
from app.extensions import db
from app.models.calendar import CalendarDay, CalendarSource, CalendarYear, DayKind
from app.security.permissions import READ, REST_API_METHODS, WRITE, Resource, perm
from app.views.base import SunshineModelRestApi, SunshineModelView
from app.views.labelled import vocabulary_select

YEAR_RANGE = NumberRange(min=2000, max=2100)
MAX_DEADLINE_DAYS = 3650

DAY_LABELS = {
    "date": _l("Date"),
    "year": _l("Year"),
    "weekday": _l("Weekday (1 = Monday)"),
    "kind": _l("Kind"),
    "name": _l("Name"),
    "source": _l("Source"),
}


class BreaksTheWeekendRule:
    """A holiday must fall on a weekday and an adjusted workday on a weekend:
    anything else is what the weekend rule already says."""

    def __call__(self, form, field):
        try:
            kind = DayKind(form.kind.data)
        except ValueError:
            return  # the kind field reports it
        if field.data is None or changes_weekend_rule(field.data, kind):
            return
        if kind == DayKind.HOLIDAY:
            raise StopValidation(_("A weekend day is a day off already: no holiday entry needed."))
        raise StopValidation(_("A weekday is a working day already: no workday entry needed."))


class CalendarDayModelView(SunshineModelView):
    """Holidays on weekdays and adjusted weekend workdays (调休); weekends are computed."""

    route_base = "/calendar"
    datamodel = SQLAInterface(CalendarDay)
    class_permission_name = Resource.CALENDAR
    list_title = _l("Working-day calendar")
    show_title = _l("Calendar day")
    add_title = _l("Add calendar day")
    edit_title = _l("Edit calendar day")
    vocabulary_columns = {"kind": "day_kind", "source": "calendar_source"}
    label_columns = DAY_LABELS
    description_columns = {
        "date": _l(
            "Only days that break the weekend rule: a holiday on a weekday "
            "or an adjusted working weekend day."
        )
    }
    list_columns = ["date", "weekday", "kind", "name", "source"]
    show_columns = ["date", "weekday", "kind", "name", "source", "year"]
    add_columns = ["date", "kind", "name"]
    edit_columns = add_columns
    search_columns = ["date", "year", "kind", "name", "source"]
    order_columns = ["date", "kind", "name", "source"]
    base_order = ("date", "desc")
    validators_columns = {
        "date": [
            DataRequired(),
            Unique(datamodel, "date", message=_l("This day is already in the calendar.")),
            BreaksTheWeekendRule(),
        ]
    }
    add_form_extra_fields = {
        "kind": vocabulary_select("day_kind", _l("Kind"), validators=[DataRequired()])
    }
    edit_form_extra_fields = add_form_extra_fields

    def pre_add(self, item):
        item.source = CalendarSource.ADMIN.value
        item.calendar_year = ensure_year(db.session, item.date.year)

    def pre_update(self, item):
        moved_from = {day.year for day in inspect(item).attrs.date.history.deleted if day}
        g.calendar_years_edited = moved_from | {item.date.year}
        self.pre_add(item)

    def post_add(self, item):
        signal_published_corrections(db.session, {item.year})

    def post_update(self, item):
        signal_published_corrections(db.session, g.pop("calendar_years_edited", {item.year}))

    post_delete = post_add


class CalendarYearModelView(SunshineModelView):
    """Which years have their official list loaded; unpublished years count weekends only."""

    route_base = "/calendar-years"
    datamodel = SQLAInterface(CalendarYear)
    class_permission_name = Resource.CALENDAR_YEAR
    base_permissions = [perm(READ)]
    list_title = _l("Calendar years")
    show_title = _l("Calendar year")
    vocabulary_columns = {"source": "calendar_source"}
    label_columns = {
        "year": _l("Year"),
        "published": _l("Published"),
        "source": _l("Source"),
        "loaded_at": _l("Loaded at"),
    }
    list_columns = ["year", "published", "source", "loaded_at"]
    show_columns = list_columns
    search_columns = ["year", "published", "source"]
    order_columns = ["year", "published", "source", "loaded_at"]
    base_order = ("year", "desc")


class PasteYearForm(DynamicForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), YEAR_RANGE])
    lines = TextAreaField(
        _l("Holidays and adjusted workdays"),
        description=_l(
            "One day per line: date, holiday or workday (休 or 班), name; e.g. "
            "2027-01-01 holiday 元旦 or 2027-02-07 workday 春节调休. "
            "Replaces every entry of that year and marks the year published."
        ),
        validators=[DataRequired()],
        render_kw={"rows": 20},
    )

    def validate_lines(self, field):
        if self.year.errors or self.year.data is None:
            return
        errors = parse_year_list(field.data, self.year.data).errors
        if errors:
            field.errors.extend(str(error) for error in errors)
            raise StopValidation()


class PasteYearView(SimpleFormView):
    """The Admin pastes a year's official list (published each November for the next year)."""

    route_base = "/calendar-years/paste"
    class_permission_name = Resource.CALENDAR_PASTE
    method_permission_name = {"this_form_get": WRITE, "this_form_post": WRITE}
    form = PasteYearForm
    form_title = _l("Paste a year's official calendar")

    def form_get(self, form):
        year = request.args.get("year", type=int)
        form.year.data = year or datetime.now(TZ).year + 1
        if year is not None:
            form.lines.data = _stored_lines(year)

    def form_post(self, form):
        year = form.year.data
        entries = parse_year_list(form.lines.data, year).entries
        publish_years(db.session, {year: entries}, CalendarSource.ADMIN)
        stored = [entry for entry in entries if changes_weekend_rule(entry.date, entry.kind)]
        holidays = sum(entry.kind == DayKind.HOLIDAY for entry in stored)
        flash(
            _(
                "Calendar of %(year)d published: %(holidays)d holidays on weekdays and "
                "%(workdays)d adjusted workdays stored.",
                year=year,
                holidays=holidays,
                workdays=len(stored) - holidays,
            ),
            "success",
        )
        return redirect(url_for("CalendarYearModelView.list"))


def _stored_lines(year):
    days = db.session.scalars(
        select(CalendarDay).where(CalendarDay.year == year).order_by(CalendarDay.date)
    )
    return "\n".join(f"{day.date.isoformat()} {day.kind} {day.name}" for day in days)


class CalendarApi(SunshineModelRestApi):
    """Read-only: the special days, the published years, and a due date with its trace."""

    resource_name = "calendar"
    datamodel = SQLAInterface(CalendarDay)
    class_permission_name = Resource.CALENDAR
    # Read-only: the write routes are not registered. base_permissions still name
    # both actions of the resource, or FAB's permission sync would try to remove the
    # HTML view's can_write from every role.
    include_route_methods = {"get", "get_list", "info", "years", "deadline"}
    base_permissions = [perm(READ), perm(WRITE)]
    method_permission_name = {**REST_API_METHODS, "years": READ, "deadline": READ}
    list_columns = ["id", "date", "year", "kind", "name", "source"]
    show_columns = list_columns
    search_columns = ["date", "year", "kind", "source"]
    order_columns = ["date", "year", "kind"]
    base_order = ("date", "asc")

    @expose("/years", methods=["GET"])
    @protect()
    @safe
    def years(self):
        """The years of the calendar and whether each is published.
        ---
        get:
          responses:
            200:
              description: years, newest first
        """
        rows = db.session.execute(
            select(CalendarYear.year, CalendarYear.published, CalendarYear.source).order_by(
                CalendarYear.year.desc()
            )
        )
        return self.response(
            200,
            result=[
                {"year": year, "published": published, "source": source}
                for year, published, source in rows
            ],
        )

    @expose("/deadline", methods=["GET"])
    @protect()
    @safe
    def deadline(self):
        """The due date of N working days from a start, with its explanation.
        ---
        get:
          parameters:
          - in: query
            name: start
            schema: {type: string, format: date-time}
            description: ISO 8601 with a time zone offset
          - in: query
            name: days
            schema: {type: integer, minimum: 0, maximum: 3650}
          responses:
            200:
              description: due_at, provisional and the trace
            400:
              description: bad start or days
        """
        try:
            start, days = _deadline_args(request.args)
        except ValueError as error:
            return self.response_400(message=str(error))
        result = add_working_days(start, days, Calendar.for_working_days(db.session, start, days))
        trace = result.explain()
        for entry in trace:
            entry["label"] = str(reason_label(entry["reason"]))
        return self.response(
            200,
            due_at=result.due_at.isoformat(),
            provisional=result.provisional,
            trace=trace,
        )


def _deadline_args(args):
    """(start, days) from the query string; ValueError with a clear message if bad."""
    bad_start = _("start must be an ISO 8601 date and time with a time zone offset.")
    try:
        start = datetime.fromisoformat(args.get("start", ""))
    except ValueError:
        raise ValueError(bad_start) from None
    if start.tzinfo is None:
        raise ValueError(bad_start)
    days = args.get("days", type=int)
    if days is None or not 0 <= days <= MAX_DEADLINE_DAYS:
        raise ValueError(_("days must be a whole number from 0 to %(max)d.", max=MAX_DEADLINE_DAYS))
    return start, days
