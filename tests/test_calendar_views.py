"""Calendar screens: the Admin pastes a year or edits days, everyone reads; the REST API reads."""

from datetime import date

import pytest
from sqlalchemy import select

from app.calendar.workdays import Calendar, add_working_days
from app.extensions import db
from app.models.calendar import CalendarDay
from tests.calendar_helpers import (
    day_count,
    published_years_signalled,
    shanghai,
    stored_days,
    year_row,
)

PASTE = "/calendar-years/paste/form"
GOOD_2027 = """\
2027-01-01 holiday 元旦
2027-01-02 休 元旦

# Spring Festival
2027-02-06\tworkday\t春节调休
2027-02-08, 休, 春节
"""


def paste(client, year, lines):
    return client.post(PASTE, data={"year": year, "lines": lines})


@pytest.fixture
def admin(client, auth):
    auth.login("admin")
    client.get("/lang/en")
    return client


def test_paste_form_offers_next_year(admin):
    response = admin.get(PASTE)
    assert response.status_code == 200
    assert 'value="2027"' in response.get_data(as_text=True)


def test_paste_form_shows_the_stored_list_of_a_year(admin):
    html = admin.get(PASTE, query_string={"year": 2026}).get_data(as_text=True)
    assert "2026-02-14 workday 春节" in html


def test_pasting_a_year_publishes_it_and_signals(admin):
    with published_years_signalled() as signalled:
        response = paste(admin, 2027, GOOD_2027)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/calendar-years/list/")
    assert year_row(2027).published is True
    assert year_row(2027).source == "admin"
    assert stored_days(2027) == {
        ("2027-01-01", "holiday", "元旦", "admin"),
        ("2027-02-06", "workday", "春节调休", "admin"),
        ("2027-02-08", "holiday", "春节", "admin"),
    }  # 2 Jan is a Saturday: nothing to store
    assert signalled == [2027]


def test_a_pasted_year_makes_a_provisional_due_date_final(admin):
    start = shanghai(2026, 12, 28, 9)

    def deadline():
        return add_working_days(start, 10, Calendar.for_working_days(db.session, start, 10))

    assert (deadline().provisional, deadline().due_at.date()) == (True, date(2027, 1, 11))
    paste(admin, 2027, GOOD_2027)
    assert (deadline().provisional, deadline().due_at.date()) == (False, date(2027, 1, 12))


def test_pasting_replaces_every_entry_of_the_year(admin):
    paste(admin, 2026, "2026-03-02 holiday 测试")
    assert stored_days(2026) == {("2026-03-02", "holiday", "测试", "admin")}
    assert stored_days(2025)


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("2027-13-01 holiday 元旦", "Row 2: 2027-13-01 is not a date"),
        ("2028-01-03 holiday 元旦", "Row 2: 2028-01-03 is not in 2027"),
        ("2027-01-04 rest 元旦", "Row 2: the kind must be holiday"),
        ("2027-01-04 workday 调休", "Row 2: 2027-01-04 is a weekday"),
        ("2027-01-01 holiday 元旦", "Row 2: 2027-01-01 is already listed on row 1"),
        ("2027-01-04 holiday", "Row 2: expected a date, a kind and a name"),
        ("2027-01-04 holiday " + "长" * 101, "Row 2: the name is longer than 100"),
    ],
)
def test_a_bad_line_is_reported_with_its_row_and_nothing_is_written(admin, line, error):
    before = day_count()
    with published_years_signalled() as signalled:
        response = paste(admin, 2027, f"2027-01-01 holiday 元旦\n{line}\n2027-02-08 休 春节")
    assert response.status_code == 200
    assert error in response.get_data(as_text=True)
    assert day_count() == before
    assert year_row(2027) is None
    assert signalled == []


def test_every_bad_line_is_reported_at_once(admin):
    html = paste(admin, 2027, "x\n2027-01-01 holiday 元旦\ny z w").get_data(as_text=True)
    assert "Row 1:" in html
    assert "Row 3:" in html


def test_an_empty_paste_is_refused(admin):
    response = paste(admin, 2027, "\n# nothing\n")
    assert "Paste at least one line." in response.get_data(as_text=True)
    assert year_row(2027) is None


@pytest.mark.parametrize("username", ["landuse_staff", "director", "supervisor", "window1"])
def test_only_the_admin_may_paste(client, auth, username):
    auth.login(username)
    assert client.get(PASTE).status_code == 403
    assert paste(client, 2027, GOOD_2027).status_code == 403
    assert year_row(2027) is None


def csrf_token(client, path):
    html = client.get(path).get_data(as_text=True)
    return html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def test_paste_needs_the_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        login = {"username": "admin", "password": "Demo@2026"}
        client.post("/login/", data={**login, "csrf_token": csrf_token(client, "/login/")})
        token = csrf_token(client, PASTE)

        refused = paste(client, 2027, GOOD_2027)
        assert refused.status_code == 400
        assert year_row(2027) is None

        accepted = client.post(PASTE, data={"year": 2027, "lines": GOOD_2027, "csrf_token": token})
        assert accepted.status_code == 302
        assert year_row(2027).published is True


@pytest.mark.parametrize("username", ["landuse_staff", "ownership_staff", "admin"])
def test_every_signed_in_user_reads_the_calendar(client, auth, username):
    auth.login(username)
    assert client.get("/calendar/list/").status_code == 200
    assert client.get("/calendar-years/list/").status_code == 200


def test_staff_cannot_edit_the_calendar(client, auth):
    auth.login("landuse_staff")
    assert client.get("/calendar/add").status_code == 403
    assert client.post("/calendar/add", data=day_form("2027-01-04")).status_code == 403
    assert year_row(2027) is None


def day_form(day, kind="holiday", name="测试"):
    return {"date": day, "kind": kind, "name": name}


def test_admin_adds_a_day_to_an_unpublished_year(admin):
    response = admin.post("/calendar/add", data=day_form("2027-01-04"))
    assert response.status_code == 302
    assert stored_days(2027) == {("2027-01-04", "holiday", "测试", "admin")}
    assert year_row(2027).published is False


def test_correcting_a_published_year_signals_it(admin):
    with published_years_signalled() as signalled:
        admin.post("/calendar/add", data=day_form("2026-03-02"))
    assert signalled == [2026]


def test_moving_a_day_out_of_a_published_year_signals_that_year(admin):
    spring_monday = db.session.scalar(
        select(CalendarDay).where(CalendarDay.date == date(2026, 2, 16))
    )
    with published_years_signalled() as signalled:
        response = admin.post(f"/calendar/edit/{spring_monday.id}", data=day_form("2027-01-04"))
    assert response.status_code == 302
    assert signalled == [2026]
    assert stored_days(2027) == {("2027-01-04", "holiday", "测试", "admin")}


def test_deleting_a_day_of_a_published_year_signals_it(admin):
    day = db.session.scalar(select(CalendarDay).where(CalendarDay.date == date(2026, 2, 16)))
    with published_years_signalled() as signalled:
        admin.post(f"/calendar/delete/{day.id}")
    assert signalled == [2026]
    assert ("2026-02-16", "holiday", "春节", "chinesecalendar") not in stored_days(2026)


@pytest.mark.parametrize(
    ("form", "error"),
    [
        (day_form("2027-01-02"), "A weekend day is a day off already"),
        (day_form("2027-01-04", kind="workday"), "A weekday is a working day already"),
        (day_form("2026-02-16"), "This day is already in the calendar."),
    ],
)
def test_admin_cannot_add_a_day_that_changes_nothing(admin, form, error):
    before = day_count()
    response = admin.post("/calendar/add", data=form)
    assert response.status_code == 200
    assert error in response.get_data(as_text=True)
    assert day_count() == before


def test_calendar_years_are_read_only_even_for_the_admin(admin):
    assert admin.get("/calendar-years/add").status_code in (403, 404)
    assert admin.get("/calendar-years/edit/1").status_code in (403, 404)


def test_api_lists_the_special_days(client, auth):
    token = auth.token("landuse_staff")
    response = client.get(
        "/api/v1/calendar/",
        headers={"Authorization": f"Bearer {token}"},
        query_string={"q": "(filters:!((col:year,opr:eq,value:2026)),page_size:100)"},
    )
    assert response.status_code == 200
    days = {(row["date"], row["kind"], row["name"]) for row in response.get_json()["result"]}
    assert ("2026-02-14", "workday", "春节") in days
    assert response.get_json()["count"] == len(stored_days(2026))


def test_api_is_read_only(client, auth):
    token = auth.token("admin")
    response = client.post(
        "/api/v1/calendar/",
        headers={"Authorization": f"Bearer {token}"},
        json={"date": "2027-01-04", "kind": "holiday", "name": "x"},
    )
    assert response.status_code in (403, 405)
    assert year_row(2027) is None


def test_api_needs_a_signed_in_user(client):
    assert client.get("/api/v1/calendar/").status_code == 401


def test_api_lists_the_years(client, auth):
    token = auth.token("window1")
    response = client.get("/api/v1/calendar/years", headers={"Authorization": f"Bearer {token}"})
    years = {row["year"]: row["published"] for row in response.get_json()["result"]}
    assert years[2026] is True
    assert 2027 not in years


def test_api_explains_a_deadline(client, auth):
    token = auth.token("window1")
    response = client.get(
        "/api/v1/calendar/deadline",
        headers={"Authorization": f"Bearer {token}"},
        query_string={"start": "2026-02-11T09:00:00+08:00", "days": 5, "_l_": "en"},
    )
    body = response.get_json()
    assert response.status_code == 200
    assert body["due_at"] == "2026-02-25T23:59:59+08:00"
    assert body["provisional"] is False
    assert body["trace"][2]["reason"] == "adjusted_workday"
    assert body["trace"][2]["label"] == "Adjusted workday (counted)"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "yesterday", "days": 5}, "start must be an ISO 8601"),
        ({"start": "2026-02-11T09:00:00", "days": 5}, "start must be an ISO 8601"),
        ({"start": "2026-02-11T09:00:00+08:00", "days": -1}, "days must be a whole number"),
        ({"start": "2026-02-11T09:00:00+08:00"}, "days must be a whole number"),
    ],
)
def test_api_refuses_a_bad_deadline_query(client, auth, query, message):
    token = auth.token("window1")
    response = client.get(
        "/api/v1/calendar/deadline",
        headers={"Authorization": f"Bearer {token}"},
        query_string={**query, "_l_": "en"},
    )
    assert response.status_code == 400
    assert message in response.get_json()["message"]
