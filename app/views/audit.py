"""The audit trail, read-only for the Inspector and the Admin: list, detail with a
before/after table, an object's history, verification (HTML and REST).

No route writes: add, edit and delete do not exist here (404), the REST API
answers 405 to anything but GET, and the ORM refuses audit rows anyway.
"""

from flask import current_app, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.api import safe
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import protect
from flask_babel import lazy_gettext as _l

from app.audit import chain, names
from app.audit.service import verify_trail
from app.audit.values import object_id, object_type
from app.models.audit import AuditEvent
from app.security.permissions import MODEL_VIEW_METHODS, READ, REST_API_METHODS, Resource, perm
from app.views.base import ShowItemMixin, SunshineModelRestApi, SunshineModelView
from app.views.labelled import FilterIs

AUDIT_LABELS = {
    "seq": _l("No."),
    "created_at": _l("Time"),
    "user_id": _l("User id"),
    "username": _l("User name"),
    "actor_name": _l("User"),
    "ip": _l("IP address"),
    "action": _l("Action"),
    "target_type": _l("Object type"),
    "target_id": _l("Object id"),
    "object_name": _l("Object"),
    "before": _l("Before"),
    "after": _l("After"),
    "details": _l("Details"),
    "details_text": _l("Details"),
    "prev_hash": _l("Previous hash"),
    "hash": _l("Hash"),
}
LIST_COLUMNS = ["seq", "created_at", "username", "ip", "action", "target_type", "target_id"]
SEARCH_COLUMNS = ["username", "user_id", "action", "target_type", "target_id", "created_at", "ip"]
ORDER_COLUMNS = ["seq", "created_at", "username", "action", "target_type", "target_id"]
# Pages name the actor and the object in words (app/audit/names.py); the API keeps the codes.
PAGE_LIST_COLUMNS = [
    "seq",
    "created_at",
    "actor_name",
    "ip",
    "action",
    "target_type",
    "object_name",
]
PAGE_SHOW_COLUMNS = [
    *PAGE_LIST_COLUMNS,
    "username",
    "target_id",
    "details_text",
    "prev_hash",
    "hash",
]


class NamedEventsInterface(SQLAInterface):
    """Audit events with their actor and object named, a page of events at once."""

    def query(self, *args, **kwargs):
        count, events = super().query(*args, **kwargs)
        return count, names.name_events(events)

    def get(self, *args, **kwargs):
        event = super().get(*args, **kwargs)
        return names.name_events([event])[0] if event is not None else None


BREAK_REASONS = {
    chain.HASH_MISMATCH: _l("hash mismatch: the event was changed after it was written"),
    chain.BROKEN_LINK: _l("broken link: the event does not follow the one before it"),
    chain.SEQUENCE_GAP: _l("gap in sequence: events are missing before this one"),
    chain.ANCHOR_MISMATCH: _l("the daily anchor does not match this event"),
    chain.ANCHOR_MISSING: _l("an anchor points past the end of the trail: events were cut off"),
}


class AuditEventModelView(ShowItemMixin, SunshineModelView):
    route_base = "/auditevent"
    datamodel = NamedEventsInterface(AuditEvent)
    class_permission_name = Resource.AUDIT
    method_permission_name = {**MODEL_VIEW_METHODS, "history": READ, "verify": READ}
    base_permissions = [perm(READ)]
    include_route_methods = {"list", "show", "history", "verify"}
    list_title = _l("Audit trail")
    show_title = _l("Audit event")
    label_columns = AUDIT_LABELS
    vocabulary_columns = {"action": "audit_action", "target_type": "object_type"}
    list_columns = PAGE_LIST_COLUMNS
    show_columns = PAGE_SHOW_COLUMNS
    search_columns = SEARCH_COLUMNS
    order_columns = ORDER_COLUMNS
    base_order = ("seq", "desc")
    page_size = 50
    show_template = "audit/show.html"
    list_template = "audit/list.html"

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        widgets = self._show(pk)
        event = widgets["item"]
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            widgets=widgets,
            related_views=self._related_views,
            changes=names.changes(event),
        )

    @expose("/history/<object_type>/<object_id>", methods=["GET"])
    @has_access
    def history(self, object_type, object_id):
        """The trail list, filtered to one object (FAB's own filter arguments)."""
        filters = {
            self._equal_filter_arg("target_type"): object_type,
            self._equal_filter_arg("target_id"): object_id,
        }
        if object_type == "Case" and object_id.isdigit():
            filters["case"] = object_id  # the list links to the case's timeline
        return redirect(url_for(".list", **filters))

    @expose("/verify", methods=["GET"])
    @has_access
    def verify(self):
        return self.render_template(
            "audit/verify.html",
            title=_l("Verify the audit trail"),
            result=verify_trail(),
            reasons=BREAK_REASONS,
        )

    def _equal_filter_arg(self, column):
        filters = self._filters.get_search_filters()[column]
        index = next(i for i, flt in enumerate(filters) if type(flt) in (FilterEqual, FilterIs))
        return f"_flt_{index}_{column}"


class AuditEventApi(SunshineModelRestApi):
    resource_name = "audit"
    datamodel = SQLAInterface(AuditEvent)
    class_permission_name = Resource.AUDIT
    method_permission_name = {**REST_API_METHODS, "verify": READ}
    base_permissions = [perm(READ)]
    include_route_methods = {"get", "get_list", "verify"}
    label_columns = AUDIT_LABELS
    list_columns = [*LIST_COLUMNS, "user_id", "before", "after", "details", "prev_hash", "hash"]
    show_columns = list_columns
    search_columns = SEARCH_COLUMNS
    order_columns = ORDER_COLUMNS
    base_order = ("seq", "desc")

    @expose("/verify", methods=["GET"])
    @protect()
    @safe
    def verify(self):
        """Verify the whole chain and its anchors.
        ---
        get:
          description: >-
            Walks every event: ok, the number checked, and the first broken event
            (id, seq, reason: hash_mismatch, broken_link, sequence_gap,
            anchor_mismatch, anchor_missing).
          responses:
            200:
              description: The verification result
            401:
              $ref: '#/components/responses/401'
        """
        return self.response(200, **verify_trail().as_dict())


def audit_history_url(obj):
    """The link to ``obj``'s history for users who may read the trail, else None."""
    if obj is None or not current_app.appbuilder.sm.has_access(perm(READ), Resource.AUDIT):
        return None
    if g.get("user") is None:
        return None
    return url_for(
        "AuditEventModelView.history", object_type=object_type(obj), object_id=object_id(obj)
    )


class AuditHistoryLinkMixin(ShowItemMixin):
    """Put on a ModelView: its show page links to the object's audit history."""

    show_template = "audit/show_with_history.html"
