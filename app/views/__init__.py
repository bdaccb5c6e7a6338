"""Registers every view and API on one AppBuilder (called by the factory)."""

from flask_babel import lazy_gettext as _l

from app.views.assistant import DirectoryView
from app.views.case_api import CaseApi, OpinionApi, PermitApi, TaskApi
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
    for api in (CaseApi, TaskApi, OpinionApi, PermitApi):
        appbuilder.add_api(api)
    appbuilder.add_view(
        DirectoryView,
        "Directory",
        label=_l("Directory"),
        icon="fa-address-book",
        category="Assistant",
        category_label=_l("Assistant"),
        category_icon="fa-user",
    )
