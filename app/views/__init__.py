"""Registers every view and API on one AppBuilder (called by the factory)."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.views.assistant import DirectoryView
from app.views.audit import AuditEventApi, AuditEventModelView, audit_history_url
from app.views.org import DivisionApi, DivisionModelView


def register_views(appbuilder):
    appbuilder.add_view(
        DivisionModelView,
        "Divisions",
        label=_l("Divisions"),
        icon="fa-sitemap",
        category="Organisation",
        category_label=_l("Organisation"),
        category_icon="fa-building",
    )
    appbuilder.add_api(DivisionApi)
    appbuilder.add_view(
        DirectoryView,
        "Directory",
        label=_l("Directory"),
        icon="fa-address-book",
        category="Assistant",
        category_label=_l("Assistant"),
        category_icon="fa-user",
    )
    appbuilder.add_view(
        AuditEventModelView,
        "Audit trail",
        label=_l("Audit trail"),
        icon="fa-shield",
        category="Audit",
        category_label=_l("Audit"),
        category_icon="fa-balance-scale",
    )
    appbuilder.add_link(
        "Verify",
        href="AuditEventModelView.verify",
        label=_l("Verify"),
        icon="fa-check-square-o",
        category="Audit",
    )
    appbuilder.add_api(AuditEventApi)
    current_app.add_template_global(audit_history_url)
