"""Printable notices on the bureau's letterhead: supplement (Art. 32), not accepted (rights
of review and litigation), extension (Art. 42), special procedure (Art. 45); linked from
the case page, scoped like it."""

from app.extensions import db
from app.models.cases import Extension, Suspension
from tests.case_helpers import Api
from tests.portal_helpers import ORGANISATION, receive


def page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, path
    return response.get_data(as_text=True)


def test_the_supplement_notice_lists_what_is_missing_and_the_art_32_period(
    client, auth, api, matter
):
    case = receive(api, matter, ORGANISATION, decision="supplement", materials=[])
    auth.login("window1")
    html = page(client, f"/notices/supplement/{case['id']}?_l_=en")
    assert "Notice to supplement application materials" in html
    assert "Yangzhou Municipal Bureau of Land and Resources" in html
    assert "Article 32" in html and "five working days" in html
    for document in matter.required_documents:
        assert document.name in html
    assert ORGANISATION["applicant_name"] in html and case["receipt_no"] in html
    assert "js-print" in html


def test_the_not_accepted_notice_tells_the_reason_and_the_applicant_s_rights(
    client, auth, api, matter
):
    case = receive(api, matter, decision="refuse", reason="不属于本机关职权范围")
    auth.login("window1")
    html = page(client, f"/notices/not-accepted/{case['id']}?_l_=en")
    assert "Notice of non-acceptance" in html and "不属于本机关职权范围" in html
    assert "administrative review" in html and "within 60 days" in html
    assert "administrative lawsuit" in html and "within 6 months" in html


def test_the_extension_notice_says_the_days_the_reason_and_the_new_date(client, auth, api, matter):
    case = receive(api, matter)
    response = api.post(
        "director", f"/api/v1/case/{case['id']}/extend", {"days": 5, "reason": "需补充现场踏勘"}
    )
    assert response.status_code == 200, response.get_json()
    extension = db.session.query(Extension).one()
    auth.login("window1")
    html = page(client, f"/notices/extension/{extension.id}?_l_=en")
    assert (
        "Article 42" in html and "extended by 5 working days" in html and "需补充现场踏勘" in html
    )


def test_the_special_procedure_notice_says_the_kind_and_expected_length(client, auth, api, matter):
    case = receive(api, matter)
    body = {"kind": "hearing", "reason": "涉及相邻权利人重大利益", "expected_days": 10}
    assert api.post("landuse_head", f"/api/v1/case/{case['id']}/suspend", body).status_code == 200
    pause = db.session.query(Suspension).one()
    auth.login("window1")
    html = page(client, f"/notices/special-procedure/{pause.id}?_l_=en")
    assert "Article 45" in html and "Hearing" in html and "10 working days" in html


def test_a_step_outside_the_limit_has_no_special_procedure_notice(client, auth, app):
    from tests.factories import make_matter, make_template, step

    template = make_template(
        "TPT-03",
        [
            ("窗口收件", "single", [step("窗口收件", "window", 1, "receipt")]),
            ("报政府审批", "single", [step("报政府审批", "office", 20, "external", False)]),
        ],
    )
    matter = make_matter("TPT-03", template)
    receive(Api(app.test_client(use_cookies=False)), matter)
    pause = db.session.query(Suspension).one()
    assert pause.kind == "uncounted_step"
    auth.login("window1")
    page(client, f"/notices/special-procedure/{pause.id}", 404)


def test_notices_a_case_does_not_call_for_are_not_found(client, auth, api, matter):
    case = receive(api, matter)
    auth.login("window1")
    page(client, f"/notices/supplement/{case['id']}", 404)
    page(client, f"/notices/not-accepted/{case['id']}", 404)
    page(client, "/notices/extension/99999999999", 404)


def test_the_case_page_links_the_notices_it_calls_for(client, auth, api, matter):
    refused = receive(api, matter, decision="refuse", reason="不予受理理由")
    pending = receive(api, matter, decision="supplement", materials=[])
    auth.login("window1")
    assert f"/notices/not-accepted/{refused['id']}" in page(client, f"/cases/show/{refused['id']}")
    html = page(client, f"/cases/show/{pending['id']}")
    assert f"/notices/supplement/{pending['id']}" in html
    assert "/notices/not-accepted/" not in html


def test_notices_follow_the_case_scope(client, auth, api, matter):
    case = receive(api, matter, decision="refuse", reason="不予受理理由")
    auth.login("ownership_staff")  # an agency with no task in the case
    page(client, f"/notices/not-accepted/{case['id']}", 404)
    auth.logout()
    response = client.get(f"/notices/not-accepted/{case['id']}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login/")


def test_applicant_text_on_a_notice_is_escaped(client, auth, api, matter):
    case = receive(
        api,
        matter,
        decision="refuse",
        reason="<script>alert('reason')</script>",
        project_name="<b>x</b>",
    )
    auth.login("window1")
    html = page(client, f"/notices/not-accepted/{case['id']}")
    assert "<script>alert('reason')" not in html and "<b>x</b>" not in html
