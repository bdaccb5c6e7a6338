"""A petition's timeline chart: its acceptance and handling periods, each assignment (a
replaced unit drawn as cancelled), the handling due line moved by an extension; scope."""

import re

import pytest

from tests.case_helpers import Api
from tests.petition_helpers import act, assigned


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def petition_id(api):
    petition_id = assigned(api)
    act(
        api,
        "petition_staff",
        petition_id,
        "reassign",
        from_unit="baoying",
        unit="gaoyou",
        reason="属地调整",
    )
    act(api, "petition_head", petition_id, "extend", days=10, reason="需实地核查补偿款发放情况")
    return petition_id


def test_the_office_sees_the_periods_and_assignments(client, auth, petition_id):
    auth.login("petition_staff")
    response = client.get(f"/petitions/timeline/{petition_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert len(re.findall(r'class="tl-bar', page)) == 4  # acceptance, handling, two units
    assert len(re.findall(r'class="tl-bar[^"]*tl-cancelled', page)) == 1  # 宝应县局, replaced
    assert 'class="tl-due tl-due-moved"' in page and "需实地核查补偿款发放情况" in page
    assert "宝应县局" in page and "高邮市局" in page


def test_the_petition_page_links_to_the_chart(client, auth, petition_id):
    auth.login("petition_staff")
    page = client.get(f"/petitions/show/{petition_id}").get_data(as_text=True)
    assert f"/petitions/timeline/{petition_id}" in page


def test_a_unit_the_petition_was_never_assigned_to_gets_404(client, auth, petition_id):
    auth.login("yizheng_staff")
    assert client.get(f"/petitions/timeline/{petition_id}").status_code == 404


def test_the_petitioner_is_not_named_to_a_handling_unit(client, auth, petition_id):
    auth.login("gaoyou_staff")
    response = client.get(f"/petitions/timeline/{petition_id}")
    assert response.status_code == 200
    assert "赵德明" not in response.get_data(as_text=True)
