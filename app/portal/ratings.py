"""The applicant's rating of a finished case (好差评): once per released case, with the
receipt number and query code, on five levels with an optional comment.

Statistics read the ``case_rating`` table with set-based queries (:func:`summary`,
:func:`by_matter`), one statement each.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models.cases import Case, CaseStatus
from app.models.catalog import Matter
from app.models.rating import COMMENT_MAX_LENGTH, LEVEL_VALUES, CaseRating, SatisfactionLevel
from app.portal import progress
from app.workflow import clock
from app.workflow.engine import action, lock_case
from app.workflow.errors import BadInput, NotAllowedNow, NotFound

SATISFIED_LEVELS = frozenset(
    {
        SatisfactionLevel.VERY_SATISFIED.value,
        SatisfactionLevel.SATISFIED.value,
        SatisfactionLevel.BASICALLY_SATISFIED.value,
    }
)
ALREADY_RATED = _l("This application has already been rated; a rating is given only once.")
NOT_FINISHED = _l("An application can be rated once its result has been handed out.")


def clean_comment(comment):
    if comment is None:
        return None
    if not isinstance(comment, str):
        raise BadInput(_("The comment must be text."), errors={"comment": _("Must be text.")})
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        message = _("At most %(n)d characters.", n=COMMENT_MAX_LENGTH)
        raise BadInput(message, errors={"comment": message})
    return comment or None


def clean_level(level):
    if level not in LEVEL_VALUES:
        message = _("Choose one of the five levels.")
        raise BadInput(message, errors={"level": message})
    return level


@action
def rate(receipt_no, code, level, comment=None, at=None):
    """Record the applicant's rating; returns it. Raises BadInput, NotFound (exactly as
    the lookup does) or NotAllowedNow (not released yet, or already rated)."""
    receipt_no, code = progress.clean(receipt_no, code)
    level = clean_level(level)
    comment = clean_comment(comment)
    found = progress.find_case(receipt_no, code)
    if found is None:
        raise NotFound(str(progress.NOT_FOUND))
    case = lock_case(found.id)
    if case.status != CaseStatus.RELEASED.value:
        raise NotAllowedNow(str(NOT_FINISHED))
    if db.session.scalar(select(CaseRating.id).where(CaseRating.case_id == case.id)):
        raise NotAllowedNow(str(ALREADY_RATED))
    rating = CaseRating(
        case_id=case.id, level=level, comment=comment, rated_at=at or clock.utcnow()
    )
    db.session.add(rating)
    try:
        db.session.flush()
    except IntegrityError:  # another rating of the case won the race
        raise NotAllowedNow(str(ALREADY_RATED)) from None
    return rating


@dataclass(frozen=True)
class Summary:
    counts: dict  # level code -> number, every level present
    total: int

    @property
    def satisfied(self):
        """Share of ratings from 基本满意 up (None without ratings)."""
        if not self.total:
            return None
        return sum(self.counts[level] for level in SATISFIED_LEVELS) / self.total


def _period(query, since, until):
    if since is not None:
        query = query.where(CaseRating.rated_at >= since)
    if until is not None:
        query = query.where(CaseRating.rated_at < until)
    return query


def summary(since=None, until=None):
    """Ratings per level given in ``[since, until)`` (naive UTC; None: unbounded)."""
    query = select(CaseRating.level, func.count(CaseRating.id)).group_by(CaseRating.level)
    counts = dict.fromkeys(LEVEL_VALUES, 0)
    counts.update(dict(db.session.execute(_period(query, since, until)).all()))
    return Summary(counts, sum(counts.values()))


def by_matter(since=None, until=None):
    """``{matter code: Summary}`` for the matters rated in the period."""
    query = (
        select(Matter.code, CaseRating.level, func.count(CaseRating.id))
        .join(Case, Case.id == CaseRating.case_id)
        .join(Matter, Matter.id == Case.matter_id)
        .group_by(Matter.code, CaseRating.level)
    )
    counts = {}
    for code, level, number in db.session.execute(_period(query, since, until)):
        counts.setdefault(code, dict.fromkeys(LEVEL_VALUES, 0))[level] = number
    return {code: Summary(levels, sum(levels.values())) for code, levels in counts.items()}
