"""Every kind of action leaves exactly one audit event saying who, what, where and how."""

import pytest

from app import audit
from app.audit import actions
from app.extensions import db
from app.models.org import Division
from tests.audit_helpers import events_since, head_seq

NEW_UNIT = {"code": "audit_unit", "name": "审计测试处", "kind": "division", "active": True}


def division(code):
    db.session.expire_all()
    return db.session.query(Division).filter_by(code=code).one_or_none()


def only_event(mark):
    events = events_since(mark)
    assert len(events) == 1, [(e.action, e.target_type, e.details) for e in events]
    return events[0]


def assert_by(event, app, username):
    user = app.appbuilder.sm.find_user(username)
    assert (event.user_id, event.username, event.ip) == (user.id, username, "127.0.0.1")


@pytest.fixture
def admin_api(client, auth):
    headers = {"Authorization": f"Bearer {auth.token('admin')}"}

    def call(method, path, **kwargs):
        return getattr(client, method)(path, headers=headers, **kwargs)

    return call


def test_api_create_is_recorded_with_the_new_values(app, admin_api):
    mark = head_seq()
    response = admin_api("post", "/api/v1/division/", json=NEW_UNIT)
    assert response.status_code == 201
    event = only_event(mark)
    assert (event.action, event.target_type) == (actions.CREATE, "Division")
    assert event.target_id == str(response.get_json()["id"])
    assert event.before is None
    assert event.after["code"] == "audit_unit" and event.after["name"] == "审计测试处"
    assert_by(event, app, "admin")


def test_api_update_records_only_the_changed_columns(app, admin_api):
    unit = division("survey")
    mark = head_seq()
    response = admin_api("put", f"/api/v1/division/{unit.id}", json={"name": "测绘处"})
    assert response.status_code == 200
    event = only_event(mark)
    assert (event.action, event.target_id) == (actions.UPDATE, str(unit.id))
    assert event.before == {"name": "测绘管理处"}
    assert event.after == {"name": "测绘处"}
    assert_by(event, app, "admin")


def test_api_delete_records_what_was_deleted(app, admin_api):
    unit_id = division("cityplan").id
    mark = head_seq()
    assert admin_api("delete", f"/api/v1/division/{unit_id}").status_code == 200
    event = only_event(mark)
    assert (event.action, event.target_id, event.after) == (actions.DELETE, str(unit_id), None)
    assert event.before["code"] == "cityplan"
    assert_by(event, app, "admin")


def test_form_create_is_recorded(app, client, auth):
    auth.login("admin")
    mark = head_seq()
    form = {**NEW_UNIT, "active": "y"}
    assert client.post("/divisionmodelview/add", data=form).status_code == 302
    event = only_event(mark)
    assert (event.action, event.target_id) == (actions.CREATE, str(division("audit_unit").id))
    assert event.after["kind"] == "division"
    assert_by(event, app, "admin")


def test_form_update_records_only_the_changed_columns(app, client, auth):
    unit = division("survey")
    auth.login("admin")
    mark = head_seq()
    form = {"code": "survey", "name": "测绘处", "name_en": unit.name_en, "kind": "division"}
    form["active"] = "y"
    assert client.post(f"/divisionmodelview/edit/{unit.id}", data=form).status_code == 302
    event = only_event(mark)
    assert (event.action, event.before, event.after) == (
        actions.UPDATE,
        {"name": "测绘管理处"},
        {"name": "测绘处"},
    )


def test_form_delete_is_recorded(app, client, auth):
    unit_id = division("cityplan").id
    auth.login("admin")
    mark = head_seq()
    assert client.post(f"/divisionmodelview/delete/{unit_id}").status_code == 302
    event = only_event(mark)
    assert (event.action, event.target_type, event.target_id) == (
        actions.DELETE,
        "Division",
        str(unit_id),
    )


def test_a_users_role_change_records_the_roles_before_and_after(app, client, auth):
    sm = app.appbuilder.sm
    # the director: FAB's form cannot leave a NOT NULL checkbox (oversees_all) unticked
    user = sm.find_user("director")
    supervisor_role = sm.find_role("Supervisor")
    auth.login("admin")
    mark = head_seq()
    form = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "division": str(user.division_id),
        "position": user.position,
        "phone": user.phone,
        "oversees_all": "y",
        "notify_email": "y",
        "notify_sms": "y",
        "active": "y",
        "roles": [str(role.id) for role in user.roles] + [str(supervisor_role.id)],
    }
    assert client.post(f"/users/edit/{user.id}", data=form).status_code == 302
    event = only_event(mark)
    assert (event.action, event.target_type, event.target_id) == (
        actions.UPDATE,
        "BureauUser",
        str(user.id),
    )
    assert event.before["roles"] == [{"id": str(sm.find_role("Leader").id), "label": "Leader"}]
    assert sorted(role["label"] for role in event.after["roles"]) == ["Leader", "Supervisor"]
    assert_by(event, app, "admin")


@pytest.mark.parametrize("via", ["form", "api"])
def test_login_success_is_one_event_by_that_user(app, client, auth, via):
    mark = head_seq()
    if via == "form":
        assert auth.login("window1").status_code == 302
    else:
        auth.token("window1")
    event = only_event(mark)
    assert (event.action, event.target_type) == (actions.LOGIN, "BureauUser")
    assert_by(event, app, "window1")


@pytest.mark.parametrize("username", ["window1", "nobody_by_that_name"])
@pytest.mark.parametrize("via", ["form", "api"])
def test_login_failure_is_one_anonymous_event_naming_the_attempt(client, auth, via, username):
    mark = head_seq()
    if via == "form":
        auth.login(username, "wrong password")
    else:
        response = client.post(
            "/api/v1/security/login",
            json={"username": username, "password": "wrong password", "provider": "db"},
        )
        assert response.status_code == 401
    event = only_event(mark)
    assert event.action == actions.LOGIN_FAILED
    assert (event.user_id, event.username) == (None, None)
    assert event.details["username"] == username
    assert event.ip == "127.0.0.1"


def test_denied_api_call_is_recorded(app, client, auth):
    headers = {"Authorization": f"Bearer {auth.token('landuse_staff')}"}
    mark = head_seq()
    assert client.get("/api/v1/audit/", headers=headers).status_code == 403
    event = only_event(mark)
    assert event.action == actions.DENIED
    assert event.details == {
        "method": "GET",
        "path": "/api/v1/audit/",
        "status": 403,
        "reason": "forbidden",
    }
    assert_by(event, app, "landuse_staff")


def test_anonymous_api_call_is_recorded_as_denied(client):
    mark = head_seq()
    assert client.delete("/api/v1/division/1").status_code == 401
    event = only_event(mark)
    assert (event.action, event.user_id, event.details["status"]) == (actions.DENIED, None, 401)


def test_denied_page_is_recorded(client, auth):
    auth.login("landuse_staff")
    mark = head_seq()
    assert client.get("/auditevent/list/").status_code == 403
    assert only_event(mark).details["path"] == "/auditevent/list/"


def test_anonymous_sent_to_login_from_a_protected_page_is_recorded(client):
    mark = head_seq()
    assert client.get("/divisionmodelview/list/").status_code == 302
    event = only_event(mark)
    assert (event.action, event.details["reason"]) == (actions.DENIED, "unauthenticated")


def test_a_scope_rule_can_mark_a_404_as_denied(make_app):
    app = make_app()  # a route of its own: the shared app has served requests already

    @app.route("/scoped-test-row")
    def hidden_row():
        audit.mark_denied()
        return "not found", 404

    with app.app_context():
        mark = head_seq()
        assert app.test_client().get("/scoped-test-row").status_code == 404
        assert only_event(mark).details["reason"] == "out_of_scope"


def test_allowed_requests_record_nothing(client, auth):
    auth.login("admin")
    mark = head_seq()
    assert client.get("/divisionmodelview/list/").status_code == 200
    assert client.get("/api/v1/division/").status_code == 200
    assert events_since(mark) == []


def test_anonymous_home_and_login_pages_record_nothing(client):
    mark = head_seq()
    assert client.get("/").status_code == 302
    assert client.get("/login/").status_code == 200
    assert events_since(mark) == []


def test_export_is_recorded_through_the_public_function(app):
    mark = head_seq()
    with app.test_request_context("/catalog/export", environ_base={"REMOTE_ADDR": "10.1.2.3"}):
        audit.record_export("Matter", rows=44, fmt="xlsx", level=3)
        db.session.commit()
    event = only_event(mark)
    assert (event.action, event.target_type, event.ip) == (actions.EXPORT, "Matter", "10.1.2.3")
    assert event.details == {"rows": 44, "format": "xlsx", "level": 3}


def test_record_goes_with_the_transaction_it_was_called_in(app):
    mark = head_seq()
    audit.record(actions.TRANSITION, target_type="Case", target_id=7)
    db.session.rollback()
    assert events_since(mark) == []


@pytest.mark.parametrize(
    ("trusted", "expected"), [(0, "127.0.0.1"), (1, "203.0.113.9"), (2, "198.51.100.1")]
)
def test_forwarded_address_is_believed_only_behind_trusted_proxies(make_app, trusted, expected):
    application = make_app(AUDIT_TRUSTED_PROXIES=trusted)
    with application.app_context():
        mark = head_seq()
        application.test_client().get(
            "/api/v1/division/", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}
        )
        assert only_event(mark).ip == expected


@pytest.fixture
def hidden_case(app):
    """A GD-01 case just received: finance_staff has no task in it, so may not see it."""
    from app.models.cases import Task
    from tests.case_helpers import Api
    from tests.factories import gd01

    case_id = Api(app.test_client(use_cookies=False)).receive(gd01()).get_json()["id"]
    task_id = db.session.query(Task.id).filter_by(case_id=case_id).first()[0]
    return case_id, task_id


OUT_OF_SCOPE_PATHS = [
    ("GET", "/cases/show/{case}"),
    ("GET", "/api/v1/case/{case}"),
    ("GET", "/tasks/todo/show/{task}"),
    ("GET", "/tasks/done/show/{task}"),
    ("POST", "/tasks/todo/{task}/complete"),
    ("GET", "/api/v1/case/{case}/timeline"),
]


@pytest.mark.parametrize(("method", "path"), OUT_OF_SCOPE_PATHS)
def test_an_out_of_scope_404_is_recorded_alike_on_every_path(
    app, client, auth, hidden_case, method, path
):
    case_id, task_id = hidden_case
    path = path.format(case=case_id, task=task_id)
    auth.login("finance_staff")
    mark = head_seq()
    assert client.open(path, method=method).status_code == 404
    event = only_event(mark)
    assert event.action == actions.DENIED
    assert event.details == {
        "method": method,
        "path": path,
        "status": 404,
        "reason": "out_of_scope",
    }
    assert_by(event, app, "finance_staff")


def test_a_receipt_of_no_visible_case_is_recorded(app, client, auth):
    auth.login("window1")
    mark = head_seq()
    assert client.get("/window/receipt/999999").status_code == 404
    assert only_event(mark).details["reason"] == "out_of_scope"


def test_a_404_for_an_address_naming_no_record_records_nothing(client, auth):
    auth.login("window1")
    mark = head_seq()
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/static/no-such-file.css").status_code == 404
    assert events_since(mark) == []


def test_a_refused_csrf_token_is_recorded(make_app):
    application = make_app(WTF_CSRF_ENABLED=True)
    with application.app_context():
        mark = head_seq()
        response = application.test_client().post("/login/", data={"username": "admin"})
        assert response.status_code == 400
        event = only_event(mark)
    assert event.action == actions.DENIED
    assert (event.details["reason"], event.details["status"]) == ("csrf_failed", 400)


def test_a_rate_limit_refusal_is_recorded(make_app):
    application = make_app(
        AUTH_RATE_LIMITED=True, RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="1/minute"
    )
    client = application.test_client()
    client.post("/api/v1/security/login", json={"username": "x", "password": "y", "provider": "db"})
    with application.app_context():
        mark = head_seq()
        response = client.post(
            "/api/v1/security/login", json={"username": "x", "password": "y", "provider": "db"}
        )
        assert response.status_code == 429
        event = only_event(mark)
    assert (event.action, event.details["reason"], event.details["status"]) == (
        actions.DENIED,
        "rate_limited",
        429,
    )
