"""Registers every view and API on one AppBuilder (called by the factory)."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.views.assistant import DirectoryView
from app.views.audit import AuditEventApi, AuditEventModelView, audit_history_url
from app.views.calendar import (
    CalendarApi,
    CalendarDayModelView,
    CalendarYearModelView,
    PasteYearView,
)
from app.views.case_actions import CaseActionView, PermitActionView, TaskActionView
from app.views.case_api import CaseApi, OpinionApi, PermitApi, TaskApi
from app.views.cases import CaseView, DivisionQueueView, DoneTasksView, MyTasksView, PermitView
from app.views.catalog import (
    DisclosureApi,
    DisclosureCategoryView,
    DisclosureItemView,
    MatterApi,
    MatterModelView,
    RequiredDocumentView,
)
from app.views.notices import register_notices
from app.views.notifications import register_notification_views
from app.views.openapi import register_openapi
from app.views.org import DivisionApi, DivisionModelView
from app.views.petitions import (
    PetitionApi,
    PetitionCategoryApi,
    PetitionCategoryView,
    PetitionDeskView,
    PetitionView,
    linked_petitions,
)
from app.views.portal import register_portal
from app.views.progress import CaseProgressView
from app.views.stats import register_stats_views
from app.views.supervision import register_supervision_views
from app.views.timeline import (
    PetitionTimelineView,
    TimelineView,
    reads_timelines,
    timeline_url,
)
from app.views.window import WindowView
from app.views.workflow import (
    WorkflowApi,
    WorkflowStageView,
    WorkflowStepView,
    WorkflowTemplateView,
)


def register_views(appbuilder):
    register_openapi(appbuilder)
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
    for api in (CaseApi, TaskApi, OpinionApi, PermitApi):
        appbuilder.add_api(api)
    work = {"category": "Work", "category_label": _l("Work"), "category_icon": "fa-briefcase"}
    appbuilder.add_view(MyTasksView, "My tasks", label=_l("My tasks"), icon="fa-inbox", **work)
    appbuilder.add_view(
        DoneTasksView, "Done tasks", label=_l("Done tasks"), icon="fa-check", **work
    )
    appbuilder.add_view(CaseView, "Cases", label=_l("Cases"), icon="fa-folder-open", **work)
    appbuilder.add_view(
        WindowView, "Receive", label=_l("Receive an application"), icon="fa-edit", **work
    )
    appbuilder.add_view(
        CaseProgressView, "Progress table", label=_l("Progress table"), icon="fa-tasks", **work
    )
    appbuilder.add_view(PermitView, "Permits", label=_l("Permits"), icon="fa-certificate", **work)
    appbuilder.add_view(
        DivisionQueueView, "Division queue", label=_l("Division queue"), icon="fa-users", **work
    )
    for view in (CaseActionView, TaskActionView, PermitActionView, TimelineView):
        appbuilder.add_view_no_menu(view)
    current_app.add_template_global(timeline_url)
    current_app.add_template_global(reads_timelines)
    appbuilder.add_view(
        DirectoryView,
        "Directory",
        label=_l("Directory"),
        icon="fa-address-book",
        category="Assistant",
        category_label=_l("Assistant"),
        category_icon="fa-user",
    )
    settings = {
        "category": "Settings",
        "category_label": _l("Settings"),
        "category_icon": "fa-cog",
    }
    appbuilder.add_view(
        CalendarDayModelView,
        "Calendar",
        label=_l("Working-day calendar"),
        icon="fa-calendar",
        **settings,
    )
    appbuilder.add_view(
        CalendarYearModelView,
        "Calendar years",
        label=_l("Calendar years"),
        icon="fa-calendar-check-o",
        **settings,
    )
    appbuilder.add_view(
        PasteYearView,
        "Paste a year",
        label=_l("Paste a year's calendar"),
        icon="fa-paste",
        **settings,
    )
    appbuilder.add_api(CalendarApi)
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
    _register_catalog(appbuilder)
    register_notices(appbuilder)
    register_portal(appbuilder)
    _register_petitions(appbuilder, settings)


def _register_petitions(appbuilder, settings):
    petitions = {
        "category": "Petitions",
        "category_label": _l("Petitions"),
        "category_icon": "fa-envelope-open",
    }
    appbuilder.add_view(
        PetitionDeskView, "Petition desk", label=_l("Petition desk"), icon="fa-inbox", **petitions
    )
    appbuilder.add_view(
        PetitionView, "All petitions", label=_l("All petitions"), icon="fa-list", **petitions
    )
    appbuilder.add_view(
        PetitionCategoryView,
        "Petition categories",
        label=_l("Petition categories"),
        icon="fa-tags",
        **settings,
    )
    appbuilder.add_view_no_menu(PetitionTimelineView)
    appbuilder.add_api(PetitionApi)
    appbuilder.add_api(PetitionCategoryApi)
    current_app.add_template_global(linked_petitions)
    register_supervision_views(appbuilder)
    register_notification_views(appbuilder)
    register_stats_views(appbuilder)


def _register_catalog(appbuilder):
    catalog = {
        "category": "Catalog",
        "category_label": _l("Catalog"),
        "category_icon": "fa-book",
    }
    appbuilder.add_view(MatterModelView, "Matters", label=_l("Matters"), icon="fa-list", **catalog)
    appbuilder.add_view(
        WorkflowTemplateView,
        "Workflows",
        label=_l("Workflows"),
        icon="fa-random",
        **catalog,
    )
    appbuilder.add_view(
        DisclosureCategoryView,
        "Disclosure catalog",
        label=_l("Disclosure catalog"),
        icon="fa-bullhorn",
        **catalog,
    )
    for view in (RequiredDocumentView, DisclosureItemView, WorkflowStageView, WorkflowStepView):
        appbuilder.add_view_no_menu(view)
    for api in (MatterApi, WorkflowApi, DisclosureApi):
        appbuilder.add_api(api)
