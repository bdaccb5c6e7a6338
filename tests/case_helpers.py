"""Calling the case API as demo users, and walking cases through their stages."""

from app.demo.catalog_data import DIVISIONS_8
from tests.conftest import DEMO_PASSWORD

_tokens = {}

EIGHT_STAFF = [f"{code}_staff" for code in DIVISIONS_8]
WINDOW = {"window": "window1"}


class Api:
    """A JSON client that signs each call in as the given demo user (JWT)."""

    def __init__(self, client):
        self.client = client

    def token(self, username):
        if username not in _tokens:
            response = self.client.post(
                "/api/v1/security/login",
                json={"username": username, "password": DEMO_PASSWORD, "provider": "db"},
            )
            assert response.status_code == 200, response.get_json()
            _tokens[username] = response.get_json()["access_token"]
        return _tokens[username]

    def call(self, method, username, path, json=None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token(username)}"}
        return self.client.open(path, method=method, headers=headers, json=json, **kwargs)

    def get(self, username, path):
        return self.call("GET", username, path)

    def post(self, username, path, json=None, **kwargs):
        return self.call("POST", username, path, json, **kwargs)

    # -- domain shortcuts

    def receive(self, matter, decision="accept", username="window1", **fields):
        body = {
            "matter": matter.code,
            "applicant_name": "扬州某置业有限公司",
            "applicant_org": "扬州某置业有限公司",
            "applicant_phone": "13805140001",
            "applicant_id_number": "91321000MA1XXXXX05",
            "project_name": "城东地块开发项目",
            "project_location": "扬州市广陵区文昌东路北侧",
            "project_area": "12500.50",
            "materials": [d.id for d in matter.required_documents],
            "decision": decision,
            **fields,
        }
        return self.post(username, "/api/v1/case/", body)

    def open_tasks(self, username, case_id):
        response = self.get(
            username,
            f"/api/v1/task/?q=(filters:!((col:case_id,opr:eq,value:{case_id}),"
            f"(col:status,opr:eq,value:open)),page_size:100)",
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()["result"]

    def complete(self, username, task_id, decision="approve", opinion="同意。", **extra):
        return self.post(
            username,
            f"/api/v1/task/{task_id}/complete",
            {"decision": decision, "opinion": opinion, **extra},
        )

    def complete_all_open(self, case_id, handlers, **extra):
        """Complete every open task of the case, each by the demo user named for its
        unit (``handlers`` maps a unit code or leader username to a demo user)."""
        tasks = self.open_tasks("supervisor", case_id)
        for task in tasks:
            who = task["assignee"] or handlers.get(task["division"], f"{task['division']}_staff")
            response = self.complete(who, task["id"], **extra)
            assert response.status_code == 200, (task, response.get_json())
        return tasks

    def run_stages(self, case_id, count):
        """Complete ``count`` stages in a row, each task by its unit's demo user."""
        for _ in range(count):
            self.complete_all_open(case_id, WINDOW)
