"""Demo users log in and see exactly the menu their roles grant; anonymous users go to login."""

import re

import pytest

from app.demo.organisation import demo_users
from app.security.roles import MENU, ROLE_CATALOG

DEMO_USERS = demo_users()
CATALOG = {spec.name: spec for spec in ROLE_CATALOG}


def catalog_menu_names(role_names):
    return {
        resource
        for name in role_names
        for permission, resource in CATALOG[name].permissions
        if permission == MENU
    }


def menu_names(menu_json):
    names = set()
    for item in menu_json["result"]:
        names.add(item["name"])
        names.update(child["name"] for child in item.get("childs", []) if child != "-")
    return names


def test_demo_organisation_has_every_user_of_the_design():
    usernames = {user["username"] for user in DEMO_USERS}
    assert {"admin", "window1", "window2", "director", "deputy4", "supervisor"} <= usernames
    assert {"landuse_staff", "landuse_head", "baoying_staff", "kaifaqu_staff"} <= usernames
    assert {"ownership_staff", "measure_staff", "valuation_staff", "inspector"} <= usernames
    assert "cityplan_staff" not in usernames  # external units have no users
    assert len(usernames) == len(DEMO_USERS) == 42


@pytest.mark.parametrize("user", DEMO_USERS, ids=lambda user: user["username"])
def test_demo_user_logs_in_and_sees_only_its_role_menu(client, auth, user):
    response = auth.login(user["username"])
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    menu = client.get("/api/v1/menu/")
    assert menu.status_code == 200
    assert menu_names(menu.get_json()) == catalog_menu_names(user["roles"])


def test_wrong_password_does_not_log_in(client, auth):
    auth.login("window1", "wrong password")
    assert client.get("/api/v1/menu/").status_code == 401


@pytest.mark.parametrize(
    "path", ["/", "/divisionmodelview/list/", "/directory/list/", "/users/list/", "/roles/list/"]
)
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/")


@pytest.mark.parametrize("path", ["/api/v1/division/", "/api/v1/menu/"])
def test_anonymous_api_call_is_refused_with_json(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert "msg" in response.get_json() or "message" in response.get_json()


def test_staff_cannot_open_admin_screens(client, auth):
    auth.login("landuse_staff")
    assert client.get("/divisionmodelview/add").status_code == 403
    assert client.get("/users/list/").status_code == 403


def test_leader_oversight_is_seeded(app):
    sm = app.appbuilder.sm
    deputy1 = sm.find_user("deputy1")
    director = sm.find_user("director")
    assert [d.code for d in deputy1.overseen_divisions] == ["cadastre", "landuse"]
    assert director.oversees_all is True
    assert sm.find_user("landuse_staff").division.code == "landuse"


def test_home_page_shows_the_users_division(client, auth):
    auth.login("landuse_head")
    page = client.get("/").get_data(as_text=True)
    assert "土地利用处" in page
    assert "landuse_head" in page


def test_every_user_changes_their_password_from_their_profile(client, auth):
    auth.login("landuse_staff")
    page = client.get("/users/userinfo/").get_data(as_text=True)
    assert "/users/action/resetmypassword/" in page
    assert "/users/action/userinfoedit/" in page
    link = re.search(r"/users/action/resetmypassword/\d+", page).group(0)
    answer = client.post(link)
    assert answer.status_code == 302 and "/resetmypassword/form" in answer.headers["Location"]
