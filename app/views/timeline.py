"""A case's timeline page: planned against actual on a working-day axis (server SVG).

Thin: the case is read under the case scope (404 outside it), the events and the
chart's geometry come from app/workflow/timeline.py and timeline_chart.py; the
template only draws.
"""

from flask import abort, current_app, g, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app import audit
from app.calendar.labels import reason_label
from app.extensions import db
from app.models.cases import Case, Extension
from app.models.petitions import Petition, PetitionAssignment
from app.petitions import timeline as petition_timeline
from app.security.permissions import READ, Resource, perm
from app.security.scope import case_clause, current_user, petition_clause
from app.workflow import clock
from app.workflow.timeline import timeline_page
from app.workflow.timeline_chart import chart_of

PIXELS_PER_DAY = 34  # one working day on screen; narrowed to fit a laptop (see the template)
CHART_PIXELS = 840  # the axis beside the 250px step names, in a 1366px laptop's 1140px content


class TimelineView(BaseView):
    route_base = "/cases/timeline"
    class_permission_name = Resource.TIMELINE
    method_permission_name = {"show": READ}
    base_permissions = [perm(READ)]
    default_view = "show"

    @expose("/<int:pk>")
    @has_access
    def show(self, pk):
        case = (
            db.session.query(Case)
            .filter(Case.id == pk, case_clause(current_user()))
            .options(
                joinedload(Case.matter),
                joinedload(Case.received_by),
                selectinload(Case.suspensions),
                selectinload(Case.extensions).joinedload(Extension.approved_by),
            )
            .one_or_none()
        )
        if case is None:
            audit.mark_denied()
            abort(404)
        page = timeline_page(case, current_user())
        return self.render_template(
            "sunshine/timeline.html",
            title=_l("Timeline of %(receipt)s", receipt=case.receipt_no),
            case=case,
            page=page,
            chart=page.chart,
            scale=fitting_scale(page.chart),
            reason_label=reason_label,
        )


def fitting_scale(chart):
    """Pixels to a working day: the whole axis on a laptop screen, never under 8 px."""
    return max(8.0, min(PIXELS_PER_DAY, CHART_PIXELS / max(chart.width, 1)))


class PetitionTimelineView(BaseView):
    """A petition's periods and assignments on the same working-day axis."""

    route_base = "/petitions/timeline"
    class_permission_name = Resource.PETITION
    method_permission_name = {"show": READ}
    base_permissions = [perm(READ)]
    default_view = "show"

    @expose("/<int:pk>")
    @has_access
    def show(self, pk):
        user = current_user()
        petition = (
            db.session.query(Petition)
            .filter(Petition.id == pk, petition_clause(user))
            .options(
                selectinload(Petition.assignments).joinedload(PetitionAssignment.unit),
                selectinload(Petition.extensions),
            )
            .one_or_none()
        )
        if petition is None:
            audit.mark_denied()
            abort(404)
        rows, lines = petition_timeline.chart_rows(petition)
        chart = chart_of(
            rows,
            clock.calendar_snapshot(),
            clock.utcnow(),
            start=petition.registered_at,
            finished_at=petition.closed_at,
            due_lines=lines,
            provisional=bool(petition.due_provisional),
        )
        return self.render_template(
            "petitions/timeline.html",
            title=_l("Timeline of %(receipt)s", receipt=petition.number),
            petition=petition,
            chart=chart,
            scale=fitting_scale(chart),
            events=petition_timeline.events(petition, user),
        )


def reads_timelines():
    """Whether the signed-in user may open case timelines (checked once per request)."""
    if "may_read_timeline" not in g:
        g.may_read_timeline = current_app.appbuilder.sm.has_access(perm(READ), Resource.TIMELINE)
    return g.may_read_timeline


def timeline_url(case_id):
    """For templates: the link to a case's timeline, or None for a user without the page."""
    return url_for("TimelineView.show", pk=case_id) if reads_timelines() else None
