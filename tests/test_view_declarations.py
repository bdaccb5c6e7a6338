"""Every model view and model API declares its columns in our code, so FAB's defaults (search
and filter on every column, hidden ones included) never apply to a new view by accident."""

import pytest
from flask_appbuilder import ModelRestApi
from flask_appbuilder.baseviews import BaseCRUDView

from app import create_app
from config import TestingConfig

DECLARED = ("list_columns", "show_columns", "search_columns", "order_columns")


def model_views():
    app = create_app(TestingConfig, CHECK_DATABASE_ON_START=False)
    return [
        view for view in app.appbuilder.baseviews if isinstance(view, BaseCRUDView | ModelRestApi)
    ]


def declared_in_our_code(view_class, attribute):
    return any(
        attribute in vars(klass) and klass.__module__.startswith("app.")
        for klass in view_class.__mro__
    )


VIEWS = model_views()


def test_the_registered_model_views_are_found():
    names = {type(view).__name__ for view in VIEWS}
    assert {"DivisionModelView", "DivisionApi", "SunshineUserDBModelView"} <= names
    assert {"SunshineRoleModelView", "SunshinePermissionModelView"} <= names


@pytest.mark.parametrize("view", VIEWS, ids=lambda view: type(view).__name__)
@pytest.mark.parametrize("attribute", DECLARED)
def test_columns_are_declared_explicitly(view, attribute):
    assert declared_in_our_code(type(view), attribute), (
        f"{type(view).__name__} must declare {attribute} itself (FAB's default exposes "
        "every column)"
    )


@pytest.mark.parametrize("view", VIEWS, ids=lambda view: type(view).__name__)
def test_search_is_limited_to_the_declared_columns(view):
    assert set(view.search_columns) == set(type(view).search_columns)


def users_page(client, query):
    return client.get(f"/users/list/?_l_=en&{query}").get_data(as_text=True)


def test_a_filter_on_a_hidden_column_is_ignored_in_pages(client, auth):
    auth.login("admin")
    assert "No records found" in users_page(client, "_flt_0_username=no-such-user")
    assert "No records found" not in users_page(client, "_flt_0_password=no-such-hash")


def test_a_filter_on_a_hidden_column_is_refused_by_the_api(client, auth):
    token = auth.token("admin")
    response = client.get(
        "/api/v1/division/?q=(filters:!((col:id,opr:gt,value:0)))",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
