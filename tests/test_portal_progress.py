"""The progress lookup by receipt number and query code: the page (the receipt's QR code
leads there) and GET /api/v1/public/progress. No personal data, one answer for a wrong
code and an unknown number, a rate limit per client address."""

from urllib.parse import parse_qs, urlsplit

import pytest

from app.extensions import db
from app.models.cases import Case
from app.portal import progress
from app.workflow import engine
from app.workflow.errors import BadInput, NotFound
from tests.calendar_helpers import count_statements
from tests.factories import gd01
from tests.portal_helpers import (
    PERSONAL_VALUES,
    people_names,
    receive,
    short_matter,
    walk_to_release,
)

API = "/api/v1/public/progress"
PAGE = "/public/progress"


@pytest.fixture
def case(api, matter):
    return receive(api, matter)


def keys(case, **changes):
    return {"receipt_no": case["receipt_no"], "code": case["query_code"], **changes}


def test_lookup_returns_the_steps_done_and_open(app, case):
    found = progress.lookup(case["receipt_no"], case["query_code"])
    assert found.status == "in_progress"
    assert [(s.name, s.unit) for s in found.steps_done] == [("窗口收件", "行政服务窗口")]
    assert [(s.name, s.unit) for s in found.current_steps] == [("土地利用处审查", "土地利用处")]
    assert found.promised_due_at is not None and not found.may_rate


def test_keys_are_read_as_printed_whatever_the_case_and_spaces(app, case):
    code = case["query_code"]
    found = progress.lookup(f"  {case['receipt_no'].lower()} ", f"{code[:4].lower()} {code[4:]}")
    assert found.receipt_no == case["receipt_no"]


@pytest.mark.parametrize(
    ("receipt_no", "code", "field"),
    [
        ("", "ABCDEFGH", "receipt_no"),
        ("YZGT-2026-000001", None, "code"),
        ("Y" * 33, "A", "receipt_no"),
    ],
)
def test_missing_or_oversize_keys_are_bad_input(app, receipt_no, code, field):
    with pytest.raises(BadInput) as raised:
        progress.lookup(receipt_no, code)
    assert field in raised.value.details["errors"]


def test_a_wrong_code_is_not_found_like_an_unknown_number(app, case):
    with pytest.raises(NotFound) as wrong:
        progress.lookup(case["receipt_no"], "ABCDEFGH")
    with pytest.raises(NotFound) as unknown:
        progress.lookup("YZGT-2026-999999", case["query_code"])
    assert wrong.value.message == unknown.value.message == str(progress.NOT_FOUND)


def test_the_api_answers_the_progress_without_personal_data(client, case, api):
    response = client.get(API, query_string=keys(case))
    assert response.status_code == 200
    body = response.get_json()
    assert body["receipt_no"] == case["receipt_no"] and body["status"] == "in_progress"
    assert body["matter"]["code"] == "TPT-01"
    assert body["steps_done"][0]["unit"] == "行政服务窗口"
    assert body["steps_done"][0]["done_at"].endswith("Z")
    assert body["current_steps"] == [
        {
            "name": "土地利用处审查",
            "unit": "土地利用处",
            "opened_at": body["steps_done"][0]["done_at"],
        }
    ]
    assert body["promised_due_at"].endswith("Z") and body["rating"] is None
    text = response.get_data(as_text=True)
    for value in (*PERSONAL_VALUES, *people_names("window1"), "window1", "query_code"):
        assert value not in text


def test_the_page_shows_the_steps_and_no_personal_data(client, case):
    response = client.get(PAGE, query_string=keys(case))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert case["receipt_no"] in page and "土地利用处审查" in page and "行政服务窗口" in page
    for value in (*PERSONAL_VALUES, *people_names("window1", "landuse_staff")):
        assert value not in page


def test_the_receipt_s_qr_target_is_this_page(client, auth, case):
    auth.login("window1")
    receipt = client.get(f"/window/receipt/{case['id']}").get_data(as_text=True)
    target = receipt.split('class="small receipt-lookup">')[1].split("<")[0].replace("&amp;", "&")
    parts = urlsplit(target)
    assert parts.path == PAGE
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    auth.logout()
    response = client.get(parts.path, query_string=query)
    assert response.status_code == 200 and "土地利用处审查" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", [PAGE, API])
def test_a_wrong_code_and_an_unknown_number_answer_byte_for_byte_alike(client, case, path):
    wrong = client.get(path, query_string=keys(case, code="ABCDEFGH"))
    unknown = client.get(path, query_string=keys(case, receipt_no="YZGT-2026-999999"))
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.get_data() == unknown.get_data()
    assert wrong.content_type == unknown.content_type


def test_the_not_found_page_echoes_nothing(client, case):
    page = client.get(PAGE, query_string=keys(case, code="WRONGCDE")).get_data(as_text=True)
    assert case["receipt_no"] not in page and "WRONGCDE" not in page


def test_missing_keys_answer_400_with_field_errors(client):
    response = client.get(API, query_string={"receipt_no": "YZGT-2026-000001"})
    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {"code"}
    page = client.get(PAGE, query_string={"code": "ABCDEFGH"})
    assert page.status_code == 400 and "portal-field-error" in page.get_data(as_text=True)


def test_the_empty_form_is_a_page_of_its_own(client):
    response = client.get(PAGE)
    assert response.status_code == 200 and 'name="receipt_no"' in response.get_data(as_text=True)


def test_pauses_show_their_kind_and_supplements_their_documents(client, api, app):
    matter = short_matter("TPT-02")
    supplement = receive(api, matter, decision="supplement", materials=[])
    body = client.get(API, query_string=keys(supplement)).get_json()
    assert body["status"] == "supplement_requested"
    assert body["missing_documents"] == [d.name for d in matter.required_documents]

    case = receive(api, matter)
    response = api.post(
        "landuse_head",
        f"/api/v1/case/{case['id']}/suspend",
        {"kind": "expert_review", "reason": "请专家论证地块边界（张三丰反映）", "expected_days": 5},
    )
    assert response.status_code == 200, response.get_json()
    body = client.get(API, query_string=keys(case)).get_json()
    assert body["status"] == "suspended"
    assert body["pauses"] == [
        {
            "kind": "expert_review",
            "kind_label": "专家评审",
            "started_at": body["pauses"][0]["started_at"],
            "ended_at": None,
            "expected_days": 5,
        }
    ]
    assert "张三丰" not in client.get(PAGE, query_string=keys(case)).get_data(as_text=True)


def test_opinions_and_refusal_reasons_are_not_shown(client, api, matter):
    refused = receive(api, matter, decision="refuse", reason="材料系伪造（理由含个人信息）")
    body = client.get(API, query_string=keys(refused))
    assert body.get_json()["status"] == "not_accepted"
    assert "伪造" not in body.get_data(as_text=True)
    case = receive(api, matter)
    api.complete_all_open(case["id"], {}, opinion="经审查同意，经办人意见保密")
    page = client.get(PAGE, query_string=keys(case)).get_data(as_text=True)
    assert "经办人意见保密" not in page


def test_a_released_case_may_be_rated(client, api, case):
    walk_to_release(api, case["id"])
    body = client.get(API, query_string=keys(case)).get_json()
    assert (body["status"], body["may_rate"], body["current_steps"]) == ("released", True, [])
    assert [step["name"] for step in body["steps_done"]] == [
        "窗口收件",
        "土地利用处审查",
        "窗口出件",
    ]


def test_the_lookup_runs_a_constant_number_of_statements(client, api, case):
    with count_statements() as small:
        client.get(API, query_string=keys(case))
    big = receive(api, gd01())
    for _ in range(4):
        api.complete_all_open(big["id"], {"window": "window1"})  # 14 tasks done, 1 open
    with count_statements() as large:
        client.get(API, query_string=keys(big))
    assert len(large) == len(small) == 5, large  # permission, case, tasks, pauses, rating


def limited(make_app, limit="3 per minute"):
    return make_app(RATELIMIT_ENABLED=True, PORTAL_LOOKUP_RATE_LIMIT=limit)


def test_lookups_are_limited_per_address_with_a_message_in_the_page_s_language(make_app):
    app = limited(make_app)
    client = app.test_client()
    wrong = {"receipt_no": "YZGT-2026-999999", "code": "ABCDEFGH"}
    answers = [client.get(PAGE, query_string=wrong).status_code for _ in range(3)]
    assert answers == [404, 404, 404]
    page = client.get(PAGE, query_string=wrong)
    assert page.status_code == 429
    assert "查询过于频繁" in page.get_data(as_text=True)
    english = client.get(API, query_string={**wrong, "_l_": "en"})
    assert english.status_code == 429
    assert "Too many lookups" in english.get_json()["message"]
    other = app.test_client().get(
        PAGE, query_string=wrong, environ_overrides={"REMOTE_ADDR": "10.1.2.3"}
    )
    assert other.status_code == 404  # another address has its own allowance


def test_the_page_and_the_api_share_one_allowance(make_app):
    client = limited(make_app, "2 per minute").test_client()
    wrong = {"receipt_no": "YZGT-2026-999999", "code": "ABCDEFGH"}
    assert client.get(PAGE, query_string=wrong).status_code == 404
    assert client.get(API, query_string=wrong).status_code == 404
    assert client.get(API, query_string=wrong).status_code == 429


def test_the_empty_form_costs_nothing(make_app):
    client = limited(make_app, "1 per minute").test_client()
    assert [client.get(PAGE).status_code for _ in range(3)] == [200, 200, 200]


def test_a_finished_case_keeps_its_status_after_the_lookup(app, client, case):
    client.get(PAGE, query_string=keys(case))
    assert db.session.get(Case, case["id"]).status == "in_progress"  # a lookup writes nothing


def test_a_suspension_by_a_leader_shows_no_leader_name(client, api, matter, app):
    case = receive(api, matter)
    from app.models.user import BureauUser

    director = db.session.query(BureauUser).filter_by(username="director").one()
    engine.suspend(case["id"], director, "hearing", "听证", 3)
    page = client.get(PAGE, query_string=keys(case)).get_data(as_text=True)
    assert "听证" in page
    for name in people_names("director"):
        assert name not in page
