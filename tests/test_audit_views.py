"""The trail is read by the Inspector and the Admin, and written by nobody."""

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models.org import Division
from tests.audit_helpers import head_seq

READERS = ["inspector", "admin"]


@pytest.fixture
def api(client, auth):
    def as_user(username):
        headers = {"Authorization": f"Bearer {auth.token(username)}"}
        return lambda method, path, **kw: getattr(client, method)(path, headers=headers, **kw)

    return as_user


@pytest.mark.parametrize("username", READERS)
@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_api_refuses_to_change_an_event(api, username, method):
    call = api(username)
    assert call(method, "/api/v1/audit/1", json={"username": "x"}).status_code == 405


@pytest.mark.parametrize("username", READERS)
def test_api_refuses_to_create_an_event(api, username):
    assert api(username)("post", "/api/v1/audit/", json={"action": "login"}).status_code == 405


@pytest.mark.parametrize("username", READERS)
@pytest.mark.parametrize("path", ["/auditevent/add", "/auditevent/edit/1", "/auditevent/delete/1"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_pages_to_change_an_event_do_not_exist(client, auth, username, path, method):
    auth.login(username)
    assert getattr(client, method)(path).status_code == 404


@pytest.mark.parametrize("username", READERS)
def test_readers_list_and_read_events(api, username):
    call = api(username)
    listing = call("get", "/api/v1/audit/?q=(order_column:seq,order_direction:desc)")
    assert listing.status_code == 200
    newest = listing.get_json()["result"][0]
    assert newest["action"] == "login" and newest["username"] == username
    item = call("get", f"/api/v1/audit/{newest['seq']}").get_json()["result"]
    assert item["hash"] == newest["hash"]


@pytest.mark.parametrize("username", ["landuse_staff", "supervisor", "director", "window1"])
def test_others_cannot_read_the_trail(client, auth, api, username):
    assert api(username)("get", "/api/v1/audit/").status_code == 403
    assert api(username)("get", "/api/v1/audit/verify").status_code == 403
    auth.login(username)
    assert client.get("/auditevent/list/").status_code == 403
    assert client.get("/auditevent/verify").status_code == 403


@pytest.mark.parametrize("username", READERS)
def test_verify_api_and_page_report_an_intact_trail(client, auth, api, username):
    body = api(username)("get", "/api/v1/audit/verify").get_json()
    assert body == {"ok": True, "checked": head_seq(), "anchors_checked": 0, "first_broken": None}
    auth.login(username)
    assert "audit-verify-ok" in client.get("/auditevent/verify").get_data(as_text=True)


def test_detail_shows_before_and_after_as_a_table(client, auth, api):
    unit = db.session.query(Division).filter_by(code="survey").one()
    api("admin")("put", f"/api/v1/division/{unit.id}", json={"name": "测绘处"})
    seq = head_seq()
    auth.login("inspector")
    html = client.get(f"/auditevent/show/{seq}?_l_=en").get_data(as_text=True)
    table = html[html.index("audit-diff") :]
    assert '<th title="name">Name</th>' in table
    assert table.index("测绘管理处") < table.index("测绘处</td>")


def test_an_objects_history_lists_only_its_events(client, auth, api):
    unit = db.session.query(Division).filter_by(code="survey").one()
    other = db.session.query(Division).filter_by(code="finance").one()
    for name in ("测绘一处", "测绘二处"):
        api("admin")("put", f"/api/v1/division/{unit.id}", json={"name": name})
    api("admin")("put", f"/api/v1/division/{other.id}", json={"name": "财务审计处"})
    auth.login("inspector")
    response = client.get(f"/auditevent/history/Division/{unit.id}", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert html.count("/auditevent/show/") == 3  # created by the seed, renamed twice
    assert "财务审计处" not in html


def test_division_page_links_to_its_history(client, auth):
    unit = db.session.query(Division).filter_by(code="survey").one()
    auth.login("admin")
    html = client.get(f"/divisionmodelview/show/{unit.id}").get_data(as_text=True)
    assert f'href="/auditevent/history/Division/{unit.id}"' in html


def test_list_names_objects_and_actors_in_words(client, auth, api):
    unit = db.session.query(Division).filter_by(code="survey").one()
    api("admin")("put", f"/api/v1/division/{unit.id}", json={"name": "测绘处"})
    auth.login("inspector")
    html = client.get(f"/auditevent/history/Division/{unit.id}", follow_redirects=True)
    text = html.get_data(as_text=True)
    assert "测绘处" in text and "系统管理员" not in text.split("<table")[0]
    assert ">Division<" not in text and "单位" in text  # the kind of object, translated


def test_list_filters_by_action_user_and_object(client, auth):
    auth.login("inspector")
    html = client.get("/auditevent/list/?_flt_0_action=login&_flt_3_username=inspector").get_data(
        as_text=True
    )
    assert html.count("/auditevent/show/") == 1


def test_list_page_runs_the_same_statements_however_long_the_trail(app, client, auth):
    """Objects and actors are named with one query per kind of object on the page."""
    auth.login("inspector")

    def statements_for_list_page():
        client.get("/auditevent/list/")  # warm: reload what a commit expired
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/auditevent/list/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    def add_units(numbers):
        for n in numbers:
            db.session.add(Division(code=f"bulk_{n}", name=f"单位{n}", kind="division"))
        db.session.commit()

    add_units(range(5))  # the page: five new units, then logins and the seed
    few = statements_for_list_page()
    add_units(range(5, 65))  # the page: fifty new units
    assert statements_for_list_page() <= few
