"""What the portal tests share: a short matter, applicants, cases walked to a status, and
two fixtures (a plugin of conftest.py): ``api`` drives the REST API as demo users, ``matter``
is a short matter (receipt, a landuse review, release). A module's own fixture of the same
name wins."""

from datetime import date, datetime

import pytest

from app.extensions import db
from app.models.cases import Case, Permit
from tests.case_helpers import Api
from tests.factories import make_matter, make_template, step

# A natural person (a resident ID number) and an organisation (a unified social credit code).
PERSON = {
    "applicant_name": "张三丰",
    "applicant_id_number": "11010519491231002X",
    "applicant_phone": "13805140001",
    "applicant_email": "zhang.sanfeng@example.com",
    "project_name": "自建住房用地",
}
ORGANISATION = {
    "applicant_name": "扬州某置业有限公司",
    "applicant_org": "扬州某置业有限公司",
    "applicant_id_number": "91321000MA1XXXXX05",
    "applicant_phone": "13905140002",
}
PERSONAL_VALUES = (
    PERSON["applicant_name"],
    PERSON["applicant_id_number"],
    PERSON["applicant_phone"],
    PERSON["applicant_email"],
    PERSON["project_name"],
)
HANDLER_NAMES_OF = ("window1", "landuse_staff")  # usernames whose people's names must not show


@pytest.fixture
def api(app):
    return Api(app.test_client(use_cookies=False))


@pytest.fixture
def matter(app):
    return short_matter()


def short_matter(code="TPT-01", name=None):
    """Receipt, a landuse review and release at the window: a case is released in two calls."""
    template = make_template(
        code,
        [
            ("窗口收件", "single", [step("窗口收件", "window", 1, "receipt")]),
            ("土地利用处审查", "single", [step("土地利用处审查", "landuse", 3)]),
            ("窗口出件", "single", [step("窗口出件", "window", 1, "release")]),
        ],
    )
    matter = make_matter(code, template, promised=10, statutory=20)
    if name:
        matter.name = name
        db.session.commit()
    return matter


def receive(api, matter, applicant=PERSON, decision="accept", **fields):
    """Receive an application at the window; returns the API's case summary."""
    body = {
        "matter": matter.code,
        "materials": [d.id for d in matter.required_documents],
        "decision": decision,
        **applicant,
        **fields,
    }
    response = api.post("window1", "/api/v1/case/", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["result"]


def walk_to_release(api, case_id):
    """Complete the review and the release of a short matter's case."""
    api.complete_all_open(case_id, {"window": "window1"})  # landuse review
    api.complete_all_open(case_id, {"window": "window1"})  # release at the window
    assert db.session.get(Case, case_id).status == "released"


def released(api, matter, applicant=PERSON, **fields):
    case = receive(api, matter, applicant, **fields)
    walk_to_release(api, case["id"])
    return case


def people_names(*usernames):
    """The names (Chinese order) of demo users, as a page would show them."""
    from app.models.user import BureauUser

    users = db.session.query(BureauUser).filter(BureauUser.username.in_(usernames)).all()
    return [user.display_name for user in users]


def make_permit(case, number, holder, status="issued", issued=datetime(2026, 3, 2, 1), **extra):
    """A permit row as the engine leaves it (tests of the results list need many)."""
    permit = Permit(
        number=number,
        kind="approval",
        case_id=case.id,
        matter_id=case.matter_id,
        holder=holder,
        status=status,
        drafted_at=issued,
        issued_at=None if status == "draft" else issued,
        valid_until=extra.pop("valid_until", date(2031, 12, 31)),
        **extra,
    )
    db.session.add(permit)
    return permit
