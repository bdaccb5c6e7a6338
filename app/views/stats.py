"""Statistics dashboards, one per audience, and their XLSX exports (DESIGN §3–5).

Thin: filters from app/stats/filters.py, figures from app/stats/cases.py and
app/stats/petitions.py, labelled tables from app/stats/tables.py; each chart is drawn
in the browser by the vendored Apache ECharts (app/static/vendor/echarts/) from the
numbers of the table beside it. A bad filter answers 400 with the form and its error.
"""

from flask import Response, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models.catalog import Matter
from app.models.org import Division, DivisionKind
from app.security.permissions import READ, Resource
from app.security.scope import (
    current_user,
    petition_unit_ids,
    sees_every_petition,
    stats_division_ids,
)
from app.stats import cases, filters, petitions, spreadsheet, tables
from app.views.stats_api import CaseStatsApi, PetitionStatsApi

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNIT_KINDS = (DivisionKind.DIVISION.value, DivisionKind.COUNTY.value, DivisionKind.BRANCH.value)

# Which tables each audience's page shows (the export holds them all).
AUDIENCES = {
    "leaders": (
        _l("Figures for the director and leaders"),
        (
            "monthly",
            "on_time_by_division",
            "on_time_by_matter",
            "working_days",
            "overdue_by_division",
            "case_ratings",
        ),
    ),
    "supervision": (
        _l("Figures for the supervision post"),
        (
            "overdue_by_division",
            "on_time_by_division",
            "slowest_steps",
            "delay_by_reason",
            "delay_by_division",
            "delay_by_handler",
            "cards_by_month",
            "cards_by_quarter",
        ),
    ),
    "division": (
        _l("Figures for the division"),
        (
            "monthly",
            "on_time_by_matter",
            "working_days",
            "slowest_steps",
            "overdue_by_division",
            "delay_by_reason",
            "delay_by_handler",
            "cards_by_month",
            "case_ratings",
        ),
    ),
}


def _division_choices(user):
    allowed = stats_division_ids(user)
    query = select(Division.code, Division.name).where(Division.kind.in_(UNIT_KINDS))
    if allowed is not None:
        query = query.where(Division.id.in_(sorted(allowed)))
    return db.session.execute(query.order_by(Division.kind, Division.code)).all()


def _matter_choices():
    return db.session.execute(
        select(Matter.code, Matter.name).where(Matter.active.is_(True)).order_by(Matter.code)
    ).all()


def _unit_choices(user):
    query = select(Division.code, Division.name).where(Division.kind.in_(UNIT_KINDS))
    if not sees_every_petition(user):
        query = query.where(Division.id.in_(sorted(petition_unit_ids(user))))
    return db.session.execute(query.order_by(Division.kind, Division.code)).all()


def _filter_args(*names):
    """The filters of this request, for the export link (nothing else is passed on)."""
    return {name: request.args[name] for name in ("from", "to", *names) if request.args.get(name)}


def _render(view, template, status=200, **context):
    return view.render_template(template, **context), status


class CaseStatsView(BaseView):
    """The case dashboards (leaders, supervision post, division) and the export."""

    route_base = "/stats"
    default_view = "leaders"
    class_permission_name = Resource.CASE_STATS
    method_permission_name = {
        "leaders": READ,
        "supervision": READ,
        "division": READ,
        "export": READ,
    }

    def _dashboard(self, audience):
        title, names = AUDIENCES[audience]
        user = current_user()
        context = {
            "title": title,
            "audience": audience,
            "args": request.args,
            "divisions": _division_choices(user),
            "matters": _matter_choices(),
            "export_url": self._export_url(),
            "tables": [],
            "error": None,
        }
        try:
            chosen = filters.case_filters(request.args, user)
        except filters.FilterError as error:
            return _render(self, "stats/dashboard.html", 400, **{**context, "error": error})
        figures = cases.case_figures(chosen)
        context.update(
            tables=tables.tables(tables.CASE_TABLES, figures, names), header=chosen.as_header()
        )
        return _render(self, "stats/dashboard.html", **context)

    def _export_url(self):
        return url_for(f"{type(self).__name__}.export", **_filter_args("division", "matter"))

    @expose("/leaders/")
    @has_access
    def leaders(self):
        return self._dashboard("leaders")

    @expose("/supervision/")
    @has_access
    def supervision(self):
        return self._dashboard("supervision")

    @expose("/division/")
    @has_access
    def division(self):
        return self._dashboard("division")

    @expose("/export/cases.xlsx")
    @has_access
    def export(self):
        return _export(
            filters.case_filters, cases.case_figures, tables.CASE_TABLES, "case-statistics.xlsx"
        )


class PetitionStatsView(BaseView):
    """The petition office's dashboard and its export."""

    route_base = "/stats/petitions"
    default_view = "dashboard"
    class_permission_name = Resource.PETITION_STATS
    method_permission_name = {"dashboard": READ, "export": READ}

    @expose("/")
    @has_access
    def dashboard(self):
        user = current_user()
        context = {
            "title": _l("Petition figures"),
            "audience": "petitions",
            "args": request.args,
            "units": _unit_choices(user),
            "export_url": url_for("PetitionStatsView.export", **_filter_args("unit")),
            "tables": [],
            "error": None,
        }
        try:
            chosen = filters.petition_filters(request.args, user)
        except filters.FilterError as error:
            return _render(self, "stats/dashboard.html", 400, **{**context, "error": error})
        figures = petitions.petition_figures(chosen)
        context.update(
            tables=tables.tables(tables.PETITION_TABLES, figures),
            header=chosen.as_header(),
            total=figures["total"],
        )
        return _render(self, "stats/dashboard.html", **context)

    @expose("/export/petitions.xlsx")
    @has_access
    def export(self):
        return _export(
            filters.petition_filters,
            petitions.petition_figures,
            tables.PETITION_TABLES,
            "petition-statistics.xlsx",
        )


def _export(parse_filters, compute, table_specs, name):
    """The figures of the request's filters as a workbook; a bad filter answers 400."""
    try:
        chosen = parse_filters(request.args, current_user())
    except filters.FilterError as error:
        return Response(error.message, status=400, mimetype="text/plain")
    content = spreadsheet.workbook(chosen.as_header(), tables.tables(table_specs, compute(chosen)))
    return _xlsx(content, name)


def _xlsx(content, name):
    return Response(
        content,
        mimetype=XLSX,
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


def register_stats_views(appbuilder):
    from app.stats import panels  # noqa: F401 - registers the home page's headline panels

    area = {
        "category": "Statistics",
        "category_label": _l("Statistics"),
        "category_icon": "fa-bar-chart",
    }
    appbuilder.add_view(
        CaseStatsView,
        "Leaders' figures",
        label=_l("Figures for the director and leaders"),
        icon="fa-line-chart",
        **area,
    )
    appbuilder.add_link(
        "Supervision figures",
        href="CaseStatsView.supervision",
        label=_l("Figures for the supervision post"),
        icon="fa-flag",
        category="Statistics",
    )
    appbuilder.add_link(
        "Division figures",
        href="CaseStatsView.division",
        label=_l("Figures for the division"),
        icon="fa-users",
        category="Statistics",
    )
    appbuilder.add_view(
        PetitionStatsView,
        "Petition figures",
        label=_l("Petition figures"),
        icon="fa-envelope",
        **area,
    )
    appbuilder.add_api(CaseStatsApi)
    appbuilder.add_api(PetitionStatsApi)
