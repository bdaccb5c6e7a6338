"""好差评: an applicant rates a released case once, with the receipt number and query code;
the rating reaches the case page (escaped) and the statistics."""

import threading
from datetime import datetime

import pytest

from app.extensions import db
from app.models.rating import CaseRating
from app.portal import ratings
from app.workflow.errors import BadInput, NotAllowedNow, NotFound
from tests.case_helpers import Api
from tests.databases import on_postgres
from tests.portal_helpers import ORGANISATION, receive, released, short_matter

RATE = "/public/progress/rating"


@pytest.fixture
def case(api, matter):
    return released(api, matter)


def form(case, **changes):
    return {
        "receipt_no": case["receipt_no"],
        "code": case["query_code"],
        "level": "satisfied",
        "comment": "窗口服务热情",
        **changes,
    }


def test_a_released_case_is_rated_once(app, case):
    rating = ratings.rate(case["receipt_no"], case["query_code"], "very_satisfied", " 很好 ")
    assert (rating.level, rating.comment) == ("very_satisfied", "很好")
    with pytest.raises(NotAllowedNow) as second:
        ratings.rate(case["receipt_no"], case["query_code"], "dissatisfied")
    assert second.value.message == str(ratings.ALREADY_RATED)
    assert db.session.query(CaseRating).count() == 1


def test_a_case_in_progress_cannot_be_rated(app, api, matter):
    case = receive(api, matter)
    with pytest.raises(NotAllowedNow):
        ratings.rate(case["receipt_no"], case["query_code"], "satisfied")


def test_a_wrong_code_is_not_found_as_in_the_lookup(app, case):
    with pytest.raises(NotFound):
        ratings.rate(case["receipt_no"], "ABCDEFGH", "satisfied")
    assert db.session.query(CaseRating).count() == 0


@pytest.mark.parametrize(
    ("level", "comment", "field"),
    [("great", None, "level"), (None, None, "level"), ("satisfied", "长" * 501, "comment")],
)
def test_bad_levels_and_long_comments_are_refused(app, case, level, comment, field):
    with pytest.raises(BadInput) as raised:
        ratings.rate(case["receipt_no"], case["query_code"], level, comment)
    assert field in raised.value.details["errors"]


def test_the_comment_is_optional_and_may_be_500_characters(app, case):
    rating = ratings.rate(case["receipt_no"], case["query_code"], "satisfied", "长" * 500)
    assert len(rating.comment) == 500


def test_the_form_rates_and_a_second_post_is_refused_with_a_message(client, case):
    first = client.post(RATE, data=form(case))
    assert first.status_code == 303
    assert first.headers["Location"].startswith("/public/progress?receipt_no=")
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert 'name="level"' not in page  # the form is gone: the case is rated
    second = client.post(RATE, data=form(case, level="very_dissatisfied"))
    assert second.status_code == 409
    assert str(ratings.ALREADY_RATED) in second.get_data(as_text=True)
    assert db.session.query(CaseRating).one().level == "satisfied"


def test_a_released_case_s_page_offers_the_form(client, case):
    page = client.get("/public/progress", query_string=form(case)).get_data(as_text=True)
    assert page.count('name="level"') == 5 and 'maxlength="500"' in page


def test_the_form_with_a_wrong_code_answers_as_the_lookup(client, case):
    response = client.post(RATE, data=form(case, code="ABCDEFGH"))
    assert response.status_code == 404
    assert db.session.query(CaseRating).count() == 0


def test_the_form_without_a_level_says_so(client, case):
    response = client.post(RATE, data=form(case, level=""))
    assert response.status_code == 400
    assert "portal-error-summary" in response.get_data(as_text=True)


def test_rating_posts_need_the_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        case = released(Api(app.test_client(use_cookies=False)), short_matter("TPT-09"))
        response = app.test_client().post(RATE, data=form(case))
        assert response.status_code == 400
        assert "portal.css" in response.get_data(as_text=True)  # the portal's own error page
        assert db.session.query(CaseRating).count() == 0


def test_the_rating_reaches_the_case_page_escaped(client, auth, case):
    comment = "<script>alert('rating')</script>很满意"
    ratings.rate(case["receipt_no"], case["query_code"], "very_satisfied", comment)
    auth.login("window1")
    page = client.get(f"/cases/show/{case['id']}").get_data(as_text=True)
    assert "非常满意" in page or "Very satisfied" in page
    assert "<script>alert('rating')" not in page
    assert "&lt;script&gt;alert(" in page


def test_statistics_count_the_levels_set_based(app, api, matter):
    cases = [released(api, matter) for _ in range(3)]
    cases.append(released(api, matter, ORGANISATION))
    levels = ["very_satisfied", "satisfied", "dissatisfied", "satisfied"]
    for case, level in zip(cases, levels, strict=True):
        ratings.rate(case["receipt_no"], case["query_code"], level, at=datetime(2026, 3, 2, 2))
    summary = ratings.summary()
    assert summary.counts == {
        "very_satisfied": 1,
        "satisfied": 2,
        "basically_satisfied": 0,
        "dissatisfied": 1,
        "very_dissatisfied": 0,
    }
    assert summary.total == 4 and summary.satisfied == 0.75
    assert ratings.summary(since=datetime(2026, 3, 3)).total == 0
    assert ratings.by_matter()["TPT-01"].total == 4
    assert ratings.summary(until=datetime(2026, 1, 1)).satisfied is None


@pytest.mark.skipif(not on_postgres(), reason="row locks need PostgreSQL")
def test_two_ratings_at_once_leave_one(app, case):
    db.session.remove()
    barrier = threading.Barrier(2)
    outcomes = []

    def rate(level):
        with app.app_context():
            barrier.wait()
            try:
                ratings.rate(case["receipt_no"], case["query_code"], level)
                outcomes.append("ok")
            except NotAllowedNow:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=rate, args=(level,)) for level in ("satisfied", "dissatisfied")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["ok", "refused"]
    assert db.session.query(CaseRating).count() == 1
