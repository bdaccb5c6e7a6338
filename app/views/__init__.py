"""Registers every view and API on one AppBuilder (called by the factory)."""

from flask_babel import lazy_gettext as _l

from app.views.assistant import DirectoryView
from app.views.catalog import (
    DisclosureApi,
    DisclosureCategoryView,
    DisclosureItemView,
    MatterApi,
    MatterModelView,
    RequiredDocumentView,
)
from app.views.org import DivisionApi, DivisionModelView
from app.views.workflow import (
    WorkflowApi,
    WorkflowStageView,
    WorkflowStepView,
    WorkflowTemplateView,
)


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
    _register_catalog(appbuilder)


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
