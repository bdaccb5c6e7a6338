"""The statistics dashboards, their XLSX exports and the home page's headline figures."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models.org import Division
from tests.stats_helpers import PERIOD, build_fixture


@pytest.fixture
def fixture_rows(app):
    return build_fixture()


def api_json(client, auth, username, path, **params):
    token = auth.token(username)
    response = client.get(
        f"/api/v1/stats/{path}",
        query_string={**PERIOD, **params},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    return response.get_json()


def sheet_rows(content, name):
    sheet = load_workbook(BytesIO(content))[name]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("username", "url", "section"),
    [
        ("director", "/stats/leaders/", "on_time_by_division"),
        ("deputy1", "/stats/leaders/", "monthly"),
        ("supervisor", "/stats/supervision/", "delay_by_reason"),
        ("landuse_head", "/stats/division/", "slowest_steps"),
        ("petition_staff", "/stats/petitions/", "petition_working_days"),
    ],
)
def test_each_audience_has_its_dashboard(client, auth, fixture_rows, username, url, section):
    auth.login(username)
    response = client.get(url, query_string={**PERIOD, "_l_": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{section}"' in page
    assert "vendor/echarts/echarts.min.js" in page
    assert "http://" not in page.split("<body", 1)[1].replace("http://localhost", "")


@pytest.mark.parametrize(("locale", "words"), [("zh", "实地勘察"), ("en", "Field survey")])
def test_the_dashboard_speaks_the_readers_language(client, auth, fixture_rows, locale, words):
    auth.login("supervisor")
    query = {**PERIOD, "_l_": locale}
    page = client.get("/stats/supervision/", query_string=query).get_data(as_text=True)
    assert words in page


def test_a_bad_filter_on_a_dashboard_is_a_form_error(client, auth):
    auth.login("supervisor")
    response = client.get(
        "/stats/leaders/", query_string={"from": "2025-05-01", "to": "2025-01-01"}
    )
    assert response.status_code == 400
    assert "stats-error" in response.get_data(as_text=True)


def test_a_role_without_statistics_gets_403(client, auth):
    auth.login("window1")
    assert client.get("/stats/leaders/").status_code == 403
    assert client.get("/stats/petitions/").status_code == 403


def test_the_case_export_holds_the_api_numbers_and_the_filters(client, auth, fixture_rows):
    figures = api_json(client, auth, "supervisor", "cases")
    auth.login("supervisor")
    response = client.get("/stats/export/cases.xlsx", query_string={**PERIOD, "_l_": "en"})
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    monthly = sheet_rows(response.data, "monthly")
    assert monthly[0][:2] == ["From: 2025-03-01", "To: 2025-05-31"]
    assert monthly[3:] == [
        [m["month"], m["received"], m["accepted"], m["finished"]] for m in figures["monthly"]
    ]
    on_time = sheet_rows(response.data, "on_time_by_division")
    assert [row[1:] for row in on_time[3:]] == [
        [r["finished"], r["on_time"], r["rate"]] for r in figures["on_time_by_division"]
    ]
    cards = sheet_rows(response.data, "cards_by_quarter")
    assert [row[2:] for row in cards[3:]] == [
        [r["yellow"], r["red"]] for r in figures["cards"]["by_quarter"]
    ]
    names = load_workbook(BytesIO(response.data)).sheetnames
    assert len(names) == 12


def test_the_petition_export_holds_the_api_numbers(client, auth, fixture_rows):
    figures = api_json(client, auth, "petition_staff", "petitions", unit="baoying")
    auth.login("petition_staff")
    response = client.get(
        "/stats/petitions/export/petitions.xlsx", query_string={**PERIOD, "unit": "baoying"}
    )
    days = sheet_rows(response.data, "petition_working_days")
    assert "baoying" in days[0][2]
    assert [row[1:] for row in days[3:]] == [
        [figures["working_days"][m][k] for k in ("count", "average", "median")]
        for m in ("acceptance", "feedback", "closing")
    ]
    repeats = sheet_rows(response.data, "petition_repeats")
    assert repeats[3] == [
        figures["repeats"]["petitions"],
        figures["repeats"]["repeats"],
        figures["repeats"]["rate"],
    ]


def test_text_that_looks_like_a_formula_is_neutralised(app, client, auth, fixture_rows):
    division = db.session.execute(select(Division).filter_by(code="landuse")).scalar_one()
    division.name = '=HYPERLINK("http://example.invalid","x")'
    db.session.commit()
    auth.login("supervisor")
    response = client.get("/stats/export/cases.xlsx", query_string=PERIOD)
    rows = sheet_rows(response.data, "on_time_by_division")
    assert "'" + division.name in [row[0] for row in rows[3:]]


@pytest.mark.parametrize(
    ("username", "shown"),
    [("director", True), ("deputy1", True), ("supervisor", True), ("landuse_staff", False)],
)
def test_the_home_page_headline(client, auth, username, shown):
    auth.login(username)
    page = client.get("/").get_data(as_text=True)
    assert ('data-panel="statistics_headline"' in page) is shown
