"""Phone and ID numbers are stored in ASCII digits whatever digits they were typed in,
the same way at the receipt and in petitions; what is not a number is refused."""

import pytest

from app.extensions import db
from app.models.cases import Case
from app.models.petitions import Petition
from tests.case_helpers import Api
from tests.factories import gd01
from tests.petition_helpers import registration

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PHONE = "13805140001"
ORG_CODE = "91321000MA1XXXXX05"
RESIDENT = "32102319800101003X"


@pytest.fixture
def api(app):
    return Api(app.test_client(use_cookies=False))


def written(value):
    return [
        value.translate(FULL_WIDTH),
        value.translate(ARABIC_INDIC),
        value + "\n",
        f" {value.translate(FULL_WIDTH)}\r\n",
    ]


def test_the_receipt_stores_ascii_digits(api):
    matter = gd01()
    for phone, resident in zip(written(PHONE), written(RESIDENT), strict=True):
        response = api.receive(matter, applicant_phone=phone, applicant_id_number=resident.lower())
        assert response.status_code == 201, (phone, response.get_json())
        case = db.session.get(Case, response.get_json()["id"])
        assert (case.applicant_phone, case.applicant_id_number) == (PHONE, RESIDENT)


def test_a_credit_code_in_full_width_is_stored_in_ascii(api):
    response = api.receive(gd01(), applicant_id_number=ORG_CODE.translate(FULL_WIDTH))
    assert response.status_code == 201, response.get_json()
    assert db.session.get(Case, response.get_json()["id"]).applicant_id_number == ORG_CODE


def test_petitions_store_ascii_digits(api):
    for phone, resident in zip(written("13951234567"), written(RESIDENT), strict=True):
        body = registration(petitioner_phone=phone, petitioner_id_number=resident)
        response = api.post("petition_staff", "/api/v1/petition/", body)
        assert response.status_code == 201, (phone, response.get_json())
        petition = db.session.get(Petition, response.get_json()["id"])
        assert (petition.petitioner_phone, petition.petitioner_id_number) == (
            "13951234567",
            RESIDENT,
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("applicant_phone", "1380514000１\n2"),  # a newline inside is not whitespace around
        ("applicant_phone", "13805140001\n\n0"),
        ("applicant_phone", "½3805140001"),
        ("applicant_id_number", RESIDENT + "\nX"),
        ("applicant_phone", ["13805140001"]),
    ],
)
def test_what_is_not_a_number_is_refused(api, field, value):
    before = db.session.query(Case).count()
    response = api.receive(gd01(), **{field: value})
    assert response.status_code == 400
    assert field in response.get_json()["errors"]
    assert db.session.query(Case).count() == before
