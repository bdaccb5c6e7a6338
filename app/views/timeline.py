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
from app.security.permissions import READ, Resource, perm
from app.security.scope import case_clause, current_user
from app.workflow.timeline import timeline_page

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
        scale = max(8.0, min(PIXELS_PER_DAY, CHART_PIXELS / max(page.chart.width, 1)))
        return self.render_template(
            "sunshine/timeline.html",
            title=_l("Timeline of %(receipt)s", receipt=case.receipt_no),
            case=case,
            page=page,
            chart=page.chart,
            scale=scale,
            reason_label=reason_label,
        )


def timeline_url(case_id):
    """For templates: the link to a case's timeline, or None for a user without the page."""
    if "may_read_timeline" not in g:  # one permission check per request, not one per row
        g.may_read_timeline = current_app.appbuilder.sm.has_access(perm(READ), Resource.TIMELINE)
    if not g.may_read_timeline:
        return None
    return url_for("TimelineView.show", pk=case_id)
