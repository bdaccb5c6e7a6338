"""Results published (办理结果公开): issued permits with number, holder, matter and date;
a natural person's name masked, an organisation's whole; revoked and expired marked;
drafts unpublished; a page costs the same statements for 5 rows as for 20."""

from datetime import date, datetime

import pytest

from app.extensions import db
from app.models.cases import Case
from app.portal import results
from tests.calendar_helpers import count_statements
from tests.portal_helpers import ORGANISATION, PERSON, make_permit, receive, short_matter


@pytest.fixture
def cases(api):
    matter = short_matter()
    person = db.session.get(Case, receive(api, matter, PERSON)["id"])
    organisation = db.session.get(Case, receive(api, matter, ORGANISATION)["id"])
    return person, organisation


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("张三丰", "张*"), ("欧阳明华", "欧*"), (" 李 ", "李*"), ("", "*")],
)
def test_a_person_s_name_keeps_its_first_character(name, masked):
    assert results.mask_name(name) == masked


@pytest.mark.parametrize(
    ("holder", "applicant", "shown"),
    [
        ("扬州某置业有限公司", ORGANISATION, "扬州某置业有限公司"),  # the applicant's organisation
        ("张三丰", PERSON, "张*"),  # a person with a resident ID
        ("张三丰", {**ORGANISATION, "applicant_org": None}, "张*"),  # not the credit-coded name
        (
            "扬州某置业有限公司",
            {"applicant_name": "扬州某置业有限公司", "applicant_id_number": "91321000MA1XXXXX05"},
            "扬州某置业有限公司",
        ),  # an organisation identified by its credit code, without the org field
        (
            "某公司",
            {"applicant_name": "某公司", "applicant_id_number": None},
            "某*",
        ),  # unknown: masked
    ],
)
def test_only_an_organisation_shows_whole(holder, applicant, shown):
    assert (
        results.public_holder(
            holder,
            applicant.get("applicant_name"),
            applicant.get("applicant_org"),
            applicant.get("applicant_id_number"),
        )
        == shown
    )


def test_issued_released_revoked_and_expired_are_published_drafts_are_not(app, cases):
    person, organisation = cases
    make_permit(person, "YZGT-PZ-2026-00001", "张三丰", "released")
    make_permit(organisation, "YZGT-PZ-2026-00002", "扬州某置业有限公司", "issued")
    make_permit(person, "YZGT-PZ-2026-00003", "张三丰", "revoked", revoked_at=datetime(2026, 4, 1))
    make_permit(person, "YZGT-PZ-2026-00004", "张三丰", "expired", valid_until=date(2026, 3, 1))
    make_permit(person, "DRAFT-X", "张三丰", "draft")
    db.session.commit()
    listing = results.published()
    assert listing.total == 4
    assert {r.number: (r.holder, r.status) for r in listing.rows} == {
        "YZGT-PZ-2026-00001": ("张*", "released"),
        "YZGT-PZ-2026-00002": ("扬州某置业有限公司", "issued"),
        "YZGT-PZ-2026-00003": ("张*", "revoked"),
        "YZGT-PZ-2026-00004": ("张*", "expired"),
    }
    assert {r.number for r in listing.rows if r.no_longer_valid} == {
        "YZGT-PZ-2026-00003",
        "YZGT-PZ-2026-00004",
    }


def test_the_page_shows_the_masked_holder_and_marks_revoked_ones(client, cases):
    person, organisation = cases
    make_permit(person, "YZGT-PZ-2026-00001", "张三丰", "revoked", revoked_at=datetime(2026, 4, 1))
    make_permit(organisation, "YZGT-PZ-2026-00002", "扬州某置业有限公司", "released")
    db.session.commit()
    page = client.get("/public/results?_l_=en").get_data(as_text=True)
    assert "张*" in page and "张三丰" not in page and "扬州某置业有限公司" in page
    assert "portal-row-invalid" in page and "Revoked on 2026-04-01" in page
    for value in (PERSON["applicant_id_number"], PERSON["applicant_phone"], "DRAFT-"):
        assert value not in page


def test_search_by_number_or_matter_and_never_by_holder(app, cases):
    person, _organisation = cases
    make_permit(person, "YZGT-PZ-2026-00001", "张三丰", "issued")
    db.session.commit()
    assert results.published(text="00001").total == 1
    assert results.published(text="TPT-01 测试").total == 1
    assert results.published(text="张三丰").total == 0  # a masked name cannot be searched for


def test_pages_are_newest_first_and_cost_the_same_statements(client, cases):
    person, _ = cases
    for n in range(45):
        make_permit(person, f"YZGT-PZ-2026-{n:05d}", "张三丰", issued=datetime(2026, 1, 1, n % 24))
    db.session.commit()
    first = results.published()
    assert len(first.rows) == 20 and first.pages == 3
    assert first.rows[0].issued_at >= first.rows[-1].issued_at
    assert len(results.published(page=2).rows) == 5
    with count_statements() as full:
        assert client.get("/public/results").status_code == 200
    with count_statements() as short:
        assert client.get("/public/results?page=3").status_code == 200
    assert len(full) == len(short) == 3, full  # permission, count, page


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999", "2.5"])
def test_odd_page_numbers_read_as_a_page(client, page):
    assert client.get(f"/public/results?page={page}").status_code == 200
