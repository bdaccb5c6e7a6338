"""One rule for opinions (scope.opinion_clause, DESIGN §5): the case page, the timeline
and the opinion API show each reader the same opinions; staff, heads and leaders in scope
read them all, an intermediary only its own task's."""

import pytest

from app.extensions import db
from app.models.cases import Opinion
from app.models.user import BureauUser
from app.security.scope import opinion_clause
from tests.case_helpers import Api
from tests.factories import gd01


@pytest.fixture
def api(app):
    return Api(app.test_client(use_cookies=False))


@pytest.fixture
def countersigned_case(api):
    """GD-01 through the countersign: each opinion says whose it is."""
    case_id = api.receive(gd01()).get_json()["id"]
    for _ in range(4):
        for task in api.open_tasks("supervisor", case_id):
            who = task["assignee"] or f"{task['division']}_staff"
            response = api.complete(who, task["id"], opinion=f"意见-{task['id']}-{who}")
            assert response.status_code == 200, response.get_json()
    return case_id


def by_rule(username, case_id):
    user = db.session.query(BureauUser).filter_by(username=username).one()
    rows = db.session.query(Opinion).filter(Opinion.case_id == case_id, opinion_clause(user))
    return {row.task_id for row in rows}


def shown_on_the_timeline(api, username, case_id):
    response = api.get(username, f"/api/v1/case/{case_id}/timeline")
    assert response.status_code == 200
    return {e["task"] for e in response.get_json()["result"]["events"] if e["event"] == "opinion"}


def shown_by_the_api(api, username, case_id):
    response = api.get(username, "/api/v1/opinion/?q=(page_size:100)")
    if response.status_code == 403:
        return set()
    body = response.get_json()
    assert "result" in body, (response.status_code, body)
    return {row["task_id"] for row in body["result"] if row["case_id"] == case_id}


def shown_on_the_page(client, auth, username, case_id):
    auth.login(username)
    page = client.get(f"/cases/show/{case_id}").get_data(as_text=True)
    auth.logout()
    texts = db.session.query(Opinion.task_id, Opinion.text).filter_by(case_id=case_id)
    return {task_id for task_id, text in texts if text in page}


@pytest.mark.parametrize(
    ("username", "reads_all"),
    [
        ("minerals_staff", True),  # one countersign task in the case: still reads them all
        ("landuse_head", True),
        ("deputy1", True),
        ("ownership_staff", False),  # an intermediary: its own task's opinion only
        ("window1", False),
    ],
)
def test_page_timeline_and_api_show_the_same_opinions(
    api, client, auth, countersigned_case, username, reads_all
):
    everything = {row.task_id for row in db.session.query(Opinion)}
    allowed = by_rule(username, countersigned_case)
    assert (allowed == everything) == reads_all
    assert allowed  # every one of them wrote or reads at least one
    assert shown_on_the_timeline(api, username, countersigned_case) == allowed
    api_rows = shown_by_the_api(api, username, countersigned_case)
    assert api_rows in (allowed, set())  # the API may refuse a role outright (403)
    # last: signing out of the page ends the user's tokens too
    assert shown_on_the_page(client, auth, username, countersigned_case) == allowed
