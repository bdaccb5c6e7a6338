"""Bare Flask-AppBuilder over the console's tables: what a team gets without our work.

FAB's own ModelView and ModelRestApi with FAB's defaults (no eager loading, full counts,
FAB's security manager and its permission checks, FAB's navbar), the same columns and
orderings as our pages, no row scope. Permissions are the console's own (``Case`` /
``can_read`` ...), so the demo users may open them.
"""

import os

from flask import Flask
from flask_appbuilder import AppBuilder, ModelRestApi, ModelView
from flask_appbuilder.const import AUTH_DB
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.sqla.manager import SecurityManager

from app.extensions import db
from app.models.cases import Case, Task
from app.models.user import BureauUser
from app.security.permissions import MODEL_VIEW_METHODS, REST_API_METHODS, Resource
from app.views.case_api import CASE_COLUMNS, TASK_COLUMNS
from app.views.cases import CaseView, MyTasksView


class BareSecurityManager(SecurityManager):
    user_model = BureauUser  # the one class mapped on ab_user


class BareCaseView(ModelView):
    route_base = "/bare/cases"
    datamodel = SQLAInterface(Case)
    class_permission_name = Resource.CASE
    method_permission_name = MODEL_VIEW_METHODS
    list_columns = CaseView.list_columns
    show_columns = CaseView.show_columns
    base_order = CaseView.base_order
    # FAB's default searches every relation, one-to-many included: its filter form then
    # loads the whole task table. The same search columns as ours keep bare FAB usable.
    search_columns = CaseView.search_columns


class BareTaskView(ModelView):
    route_base = "/bare/tasks"
    datamodel = SQLAInterface(Task)
    class_permission_name = Resource.TASK
    method_permission_name = MODEL_VIEW_METHODS
    list_columns = MyTasksView.list_columns
    base_order = MyTasksView.base_order
    search_columns = MyTasksView.search_columns


class BareCaseApi(ModelRestApi):
    resource_name = "barecase"
    datamodel = SQLAInterface(Case)
    class_permission_name = Resource.CASE
    method_permission_name = REST_API_METHODS
    list_columns = CASE_COLUMNS
    base_order = ("id", "desc")


class BareTaskApi(ModelRestApi):
    resource_name = "baretask"
    datamodel = SQLAInterface(Task)
    class_permission_name = Resource.TASK
    method_permission_name = REST_API_METHODS
    list_columns = TASK_COLUMNS
    base_order = ("id", "asc")


def bare_app(url, secret_key):
    app = Flask("bare_fab")
    app.config.update(
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_TRACK_MODIFICATIONS=False,
        SECRET_KEY=secret_key,
        AUTH_TYPE=AUTH_DB,
        FAB_ADD_SECURITY_API=True,
        FAB_UPDATE_PERMS=False,
        FAB_CREATE_DB=False,
        WTF_CSRF_ENABLED=False,
        AUTH_RATE_LIMITED=False,
        RATELIMIT_ENABLED=False,
        FAB_API_MAX_PAGE_SIZE=100,
    )
    db.init_app(app)
    with app.app_context():
        appbuilder = AppBuilder(security_manager_class=BareSecurityManager, update_perms=False)
        appbuilder.init_app(app, db.session)
        work = {"category": "Work"}
        appbuilder.add_view(BareCaseView, "Cases", **work)
        appbuilder.add_view(BareTaskView, "My tasks", **work)
        appbuilder.add_api(BareCaseApi)
        appbuilder.add_api(BareTaskApi)
    return app


def wsgi():
    """``gunicorn 'app.bench.bare:wsgi()'``: bare FAB on ``DATABASE_URL`` (load tests)."""
    return bare_app(os.environ["DATABASE_URL"], os.environ["SECRET_KEY"])
