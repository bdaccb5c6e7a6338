"""A database holding a few cases at different stages, built through the API as the demo
users would: for pages and browser tests that need something to show."""

from dataclasses import dataclass

from tests.case_helpers import Api
from tests.factories import gd01

WINDOW = {"window": "window1"}
PERMIT = {"kind": "approval", "conditions": "按批准用途使用", "valid_until": "2031-12-31"}


@dataclass(frozen=True)
class DemoCases:
    in_progress: int  # at the first review (landuse)
    returned: int  # sent back from stage 3 to stage 2 with a reason
    suspended: int  # an expert review, suspended by deputy1
    released: int  # run to the end: its permit was issued and released
    supplement: int  # a supplement was requested at the window
    refused: int  # not accepted at the window


def _ok(response, expected=200):
    assert response.status_code == expected, response.get_json()
    return response.get_json()


def build_demo_cases(app):
    """Six GD-01 cases in the app's database, one per situation of :class:`DemoCases`."""
    with app.app_context():
        matter = gd01()
        api = Api(app.test_client(use_cookies=False))

        def receive(**fields):
            return _ok(api.receive(matter, **fields), 201)["id"]

        in_progress = receive()

        returned = receive(applicant_name="扬州市某实业有限公司")
        api.complete_all_open(returned, WINDOW)
        [task] = api.open_tasks("supervisor", returned)
        _ok(api.complete("landuse_staff", task["id"], decision="return", opinion="规划意见不明确"))

        suspended = receive(applicant_name="扬州某房地产开发有限公司")
        body = {"kind": "expert_review", "reason": "组织专家论证", "expected_days": 5}
        _ok(api.post("deputy1", f"/api/v1/case/{suspended}/suspend", body))

        released = receive(applicant_name="扬州某科技有限公司")
        _run_to_release(api, released)

        supplement = receive(
            decision="supplement", materials=[matter.required_documents[0].id], reason="缺材料"
        )
        refused = receive(decision="refuse", reason="不属于本机关职权范围")
        return DemoCases(in_progress, returned, suspended, released, supplement, refused)


def _run_to_release(api, case_id):
    """GD-01 from the first review to the window's release; the permit is drafted on the way."""
    while api.open_tasks("supervisor", case_id):
        [*_, last] = api.open_tasks("supervisor", case_id)
        if last["kind"] == "draft_permit":
            permit = {
                "kind": "approval",
                "conditions": "按批准用途使用",
                "valid_until": "2031-12-31",
            }
            _ok(api.complete("landuse_staff", last["id"], permit=permit))
        else:
            api.complete_all_open(case_id, WINDOW)
