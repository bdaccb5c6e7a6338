"""Statistics (DESIGN §3–5): the figures of a fixed fixture (tests/stats_helpers.py, where
each expected number is worked out by hand), their scope, bad filters, the dashboards, the
XLSX exports and the statement count."""

from datetime import datetime

import pytest
from sqlalchemy import DateTime, literal, select

from app.calendar.workdays import Calendar, working_days_between
from app.extensions import db
from app.models.user import BureauUser
from app.stats import cases as case_stats
from app.stats import filters
from app.stats.workdays import working_days
from app.workflow.clock import as_aware
from tests.calendar_helpers import count_statements
from tests.stats_helpers import PERIOD, add_cases_like, bj, build_fixture


@pytest.fixture
def fixture_rows(app):
    return build_fixture()


def api(client, auth, username, path, **params):
    token = auth.token(username)
    return client.get(
        f"/api/v1/stats/{path}",
        query_string={**PERIOD, **params},
        headers={"Authorization": f"Bearer {token}"},
    )


def figures(client, auth, username, path="cases", **params):
    response = api(client, auth, username, path, **params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def by(rows, key):
    return {row[key]: row for row in rows}


# ---------------------------------------------------------------- working days in SQL


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (bj(3, 3), bj(3, 14), 9),  # two plain weeks
        (bj(4, 25), bj(5, 7), 6),  # Labour Day: 27 Apr worked, 1–5 May off
        (bj(4, 1), bj(4, 10), 6),  # Qingming, 4 Apr off
        (bj(4, 1, 1, 30), bj(4, 1, 23), 0),  # the same Beijing day, across UTC midnight
        (bj(2, 20), bj(3, 5), 9),
    ],
)
def test_sql_working_days_count_as_worked_out_by_hand(app, start, end, expected):
    value = db.session.execute(
        select(working_days(literal(start, DateTime), literal(end, DateTime)))
    ).scalar()
    assert value == expected


def test_sql_working_days_agree_with_the_calendar_over_a_year(app):
    calendar = Calendar.load(db.session, [2025, 2026])
    start = datetime(2025, 1, 2, 2)
    ends = [
        datetime(2025, 1, 1, 2) + (datetime(2025, 1, 8) - datetime(2025, 1, 1)) * k
        for k in range(1, 60)
    ]
    sql = db.session.execute(
        select(*[working_days(literal(start, DateTime), literal(end, DateTime)) for end in ends])
    ).one()
    python = [working_days_between(as_aware(start), as_aware(end), calendar) for end in ends]
    assert list(sql) == python


# ---------------------------------------------------------------- case figures


def test_monthly_counts(client, auth, fixture_rows):
    monthly = figures(client, auth, "supervisor")["monthly"]
    assert monthly == [
        {"month": "2025-03", "received": 1, "accepted": 1, "finished": 2},
        {"month": "2025-04", "received": 3, "accepted": 3, "finished": 1},
        {"month": "2025-05", "received": 1, "accepted": 0, "finished": 1},
    ]


def test_on_time_completion_by_division_and_matter(client, auth, fixture_rows):
    got = figures(client, auth, "supervisor")
    divisions = by(got["on_time_by_division"], "division")
    assert (divisions["landuse"]["finished"], divisions["landuse"]["on_time"]) == (3, 3)
    assert divisions["landuse"]["rate"] == 1.0
    assert (divisions["planning"]["finished"], divisions["planning"]["on_time"]) == (1, 0)
    assert divisions["planning"]["rate"] == 0.0
    matters = by(got["on_time_by_matter"], "matter")
    assert {code: (m["finished"], m["on_time"]) for code, m in matters.items()} == {
        "SM-1": (3, 3),
        "SM-2": (1, 0),
    }


def test_working_days_used_against_the_promised_limit(client, auth, fixture_rows):
    rows = by(figures(client, auth, "supervisor")["working_days"], "matter")
    # SM-1: used 9 (C1), 5 (C2), 9 (C5); promised 10, 12, 10.
    assert rows["SM-1"]["cases"] == 3
    assert rows["SM-1"]["average_used"] == round(23 / 3, 2)
    assert rows["SM-1"]["average_promised"] == round(32 / 3, 2)
    assert (rows["SM-2"]["average_used"], rows["SM-2"]["average_promised"]) == (6.0, 5.0)


def test_slowest_steps(client, auth, fixture_rows):
    steps = figures(client, auth, "supervisor")["slowest_steps"]
    assert [
        (s["step"], s["division"], s["tasks"], s["average_used"], s["limit"], s["late"])
        for s in steps
    ] == [
        ("审核", "landuse", 2, 4.0, 3.0, 1),
        ("规划审核", "planning", 1, 3.0, 2.0, 1),
    ]


def test_overdue_by_division(client, auth, fixture_rows):
    rows = by(figures(client, auth, "supervisor")["overdue_by_division"], "division")
    assert {
        code: (r["open_overdue"], r["done_late"], r["cases_late"]) for code, r in rows.items()
    } == {
        "landuse": (0, 1, 0),
        "planning": (1, 1, 2),
    }


def test_delay_reasons_by_reason_division_and_handler(client, auth, fixture_rows):
    delays = figures(client, auth, "supervisor")["delay_reasons"]
    assert delays["by_reason"] == [
        {"reason": "field_survey", "count": 2},
        {"reason": "awaiting_department", "count": 1},
    ]
    assert [(r["division"], r["count"]) for r in delays["by_division"]] == [
        ("planning", 2),
        ("landuse", 1),
    ]
    assert [(r["handler"], r["count"]) for r in delays["by_handler"]] == [
        ("planning_staff", 2),
        ("landuse_staff", 1),
    ]


def test_cards_per_division_per_month_and_quarter(client, auth, fixture_rows):
    cards = figures(client, auth, "supervisor")["cards"]
    assert [(r["period"], r["division"], r["yellow"], r["red"]) for r in cards["by_month"]] == [
        ("2025-04", "landuse", 1, 0),
        ("2025-04", "planning", 2, 2),
        ("2025-05", "planning", 0, 1),
    ]
    assert [(r["period"], r["division"], r["yellow"], r["red"]) for r in cards["by_quarter"]] == [
        ("2025-Q2", "landuse", 1, 0),
        ("2025-Q2", "planning", 2, 3),
    ]


def test_satisfaction_ratings(client, auth, fixture_rows):
    ratings = {r["level"]: r["count"] for r in figures(client, auth, "supervisor")["satisfaction"]}
    assert ratings == {
        "very_satisfied": 1,
        "satisfied": 0,  # C5's rating was given in February
        "basically_satisfied": 0,
        "dissatisfied": 1,
        "very_dissatisfied": 0,
    }


def test_the_matter_filter(client, auth, fixture_rows):
    got = figures(client, auth, "supervisor", matter="SM-2")
    assert [m["received"] for m in got["monthly"]] == [0, 2, 0]
    assert [r["division"] for r in got["overdue_by_division"]] == ["planning"]
    assert [r["step"] for r in got["slowest_steps"]] == ["规划审核"]


# ---------------------------------------------------------------- scope


def test_the_director_counts_every_division(client, auth, fixture_rows):
    got = figures(client, auth, "director")
    assert {r["division"] for r in got["on_time_by_division"]} == {"landuse", "planning"}


@pytest.mark.parametrize(
    ("username", "division", "received"),
    [
        ("deputy1", "landuse", [1, 1, 1]),  # oversees landuse and cadastre
        ("deputy2", "planning", [0, 2, 0]),  # oversees planning and cultivated
        ("planning_head", "planning", [0, 2, 0]),
        ("landuse_staff", "landuse", [1, 1, 1]),
    ],
)
def test_every_figure_keeps_to_the_users_divisions(
    client, auth, fixture_rows, username, division, received
):
    got = figures(client, auth, username)
    assert [m["received"] for m in got["monthly"]] == received
    listed = [
        *got["on_time_by_division"],
        *got["overdue_by_division"],
        *got["delay_reasons"]["by_division"],
        *got["cards"]["by_month"],
        *got["cards"]["by_quarter"],
    ]
    assert listed and {r["division"] for r in listed} == {division}
    assert {s["division"] for s in got["slowest_steps"]} == {division}


def test_a_leader_of_other_divisions_counts_nothing_of_these(client, auth, fixture_rows):
    got = figures(client, auth, "deputy3")  # minerals, survey
    assert [m["received"] for m in got["monthly"]] == [0, 0, 0]
    assert got["on_time_by_division"] == got["slowest_steps"] == got["cards"]["by_month"] == []
    assert sum(r["count"] for r in got["satisfaction"]) == 0


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("petition_staff", "cases"),
        ("baoying_staff", "cases"),
        ("baoying_staff", "petitions"),
        ("window1", "cases"),
        ("admin", "cases"),
        ("ownership_staff", "petitions"),
    ],
)
def test_roles_without_statistics_are_refused(client, auth, username, path):
    assert api(client, auth, username, path).status_code == 403


# ---------------------------------------------------------------- bad filters


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("cases", {"from": "2025-13-01"}, "from"),
        ("cases", {"to": "yesterday"}, "to"),
        ("cases", {"from": "2025-05-01", "to": "2025-04-01"}, "from"),
        ("cases", {"from": "2020-01-01", "to": "2025-05-31"}, "to"),
        ("cases", {"division": "nowhere"}, "division"),
        ("cases", {"matter": "NO-SUCH"}, "matter"),
        ("cases", {"matter": "x" * 200}, "matter"),
        ("petitions", {"unit": "nowhere"}, "unit"),
        ("petitions", {"from": "2025-02-30"}, "from"),
        ("cases", {"to": "9999-12-31"}, "to"),
        ("petitions", {"from": "0001-01-01"}, "from"),
    ],
)
def test_bad_filters_answer_400_with_a_message(client, auth, path, params, field):
    response = api(client, auth, "supervisor", path, **params)
    assert response.status_code == 400
    body = response.get_json()
    assert body["message"] and field in body["errors"]


def test_a_division_outside_the_scope_is_unknown(client, auth, fixture_rows):
    response = api(client, auth, "deputy1", "cases", division="planning")
    assert response.status_code == 400
    assert "planning" in response.get_json()["message"]


def test_a_unit_outside_the_scope_is_unknown(client, auth):
    assert api(client, auth, "landuse_head", "petitions", unit="baoying").status_code == 400


def test_the_range_limit_comes_from_the_configuration(app, client, auth):
    app.config["STATS_MAX_RANGE_DAYS"] = 31
    try:
        assert api(client, auth, "supervisor", "cases").status_code == 400
        params = {"from": "2025-03-01", "to": "2025-03-31"}
        assert api(client, auth, "supervisor", "cases", **params).status_code == 200
    finally:
        app.config["STATS_MAX_RANGE_DAYS"] = 731


def test_the_default_period_is_the_last_twelve_months(app):
    period = filters.parse_period({}, today=datetime(2026, 2, 10).date())
    assert (period.start.isoformat(), period.end.isoformat()) == ("2025-03-01", "2026-02-10")
    assert len(period.months) == 12


# ---------------------------------------------------------------- petition figures


def test_petition_counts(client, auth, fixture_rows):
    got = figures(client, auth, "petition_staff", "petitions")
    assert got["total"] == 4
    statuses = {r["status"]: r["count"] for r in got["by_status"] if r["count"]}
    assert statuses == {"closed": 2, "feedback_submitted": 1, "registered": 1}
    assert {r["unit"]: r["count"] for r in got["by_unit"]} == {
        "baoying": 2,  # P1, P2 (P3's assignment was withdrawn)
        "gaoyou": 1,
        "landuse": 1,  # co-handles P2
    }
    assert sorted(r["count"] for r in got["by_category"]) == [2, 2]
    channels = {r["channel"]: r["count"] for r in got["by_channel"]}
    assert channels == {"letter": 2, "visit": 1, "online": 1, "phone": 0, "email": 0}
    assert [(r["month"], r["count"]) for r in got["by_month"]] == [
        ("2025-03", 1),
        ("2025-04", 2),
        ("2025-05", 1),
    ]


def test_petition_working_days_average_and_median(client, auth, fixture_rows):
    days = figures(client, auth, "petition_staff", "petitions")["working_days"]
    # acceptance 2, 6, 12; the unit's answer 9, 7, 36; closing 13, 40.
    assert days["acceptance"] == {"count": 3, "average": round(20 / 3, 2), "median": 6.0}
    assert days["feedback"] == {"count": 3, "average": round(52 / 3, 2), "median": 9.0}
    assert days["closing"] == {"count": 2, "average": 26.5, "median": 26.5}


def test_petition_on_time_rates_satisfaction_repeats_and_overdue(client, auth, fixture_rows):
    got = figures(client, auth, "petition_staff", "petitions")
    assert got["on_time"] == {
        "acceptance": {"decided": 3, "on_time": 2, "rate": round(2 / 3, 4)},
        "closing": {"closed": 2, "on_time": 1, "rate": 0.5},
    }
    levels = {r["level"]: r["count"] for r in got["satisfaction"] if r["count"]}
    assert levels == {"satisfied": 1, "dissatisfied": 1}
    assert got["repeats"] == {"petitions": 4, "repeats": 1, "rate": 0.25}
    assert [(r["number"], r["due_at"]) for r in got["overdue"]] == [
        ("XF-4", "2025-05-27T15:59:59Z")
    ]


def test_the_unit_filter(client, auth, fixture_rows):
    got = figures(client, auth, "petition_staff", "petitions", unit="baoying")
    assert got["total"] == 2
    assert got["filters"]["unit"] == "baoying"


def test_a_division_counts_only_the_petitions_assigned_to_it(client, auth, fixture_rows):
    got = figures(client, auth, "landuse_head", "petitions")
    assert got["total"] == 1
    assert [r["unit"] for r in got["by_unit"]] == ["landuse"]


# ---------------------------------------------------------------- statements


def count_case_figures(username):
    user = db.session.execute(select(BureauUser).filter_by(username=username)).scalar_one()
    chosen = filters.case_filters(PERIOD, user)
    with count_statements() as statements:
        case_stats.case_figures(chosen)
    return len(statements)


@pytest.mark.parametrize("username", ["supervisor", "deputy1"])
def test_the_statement_count_does_not_grow_with_the_data(app, username):
    empty = count_case_figures(username)
    rows = build_fixture()
    add_cases_like(rows["C1"], 60)
    assert count_case_figures(username) == empty <= 15
