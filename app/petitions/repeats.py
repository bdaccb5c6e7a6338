"""Repeat petitions (重复件): earlier petitions of the same person about a similar matter.

The same person: the same ID number or the same phone number. A similar matter: the
same category, or texts that share enough of their character pairs (Chinese has no
spaces to split words on; pairs of characters are the usual unit). The candidates are
the person's own few petitions, found through the indexed phone and ID columns.
"""

import re
from dataclasses import dataclass

from sqlalchemy import or_, select

from app.extensions import db
from app.models.petitions import Petition

SIMILAR_TEXT = 0.3  # Dice coefficient of the two texts' character pairs
MAX_CANDIDATES = 50  # a person's most recent petitions considered
NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Candidate:
    petition: Petition
    same_id_number: bool
    same_phone: bool
    same_category: bool
    similarity: float  # 0..1

    @property
    def score(self):
        return (self.same_category, self.similarity)


def pairs(text):
    """The set of adjacent character pairs of a text, without spaces and punctuation."""
    letters = NOISE.sub("", (text or "").lower())
    if len(letters) < 2:
        return {letters} if letters else set()
    return {letters[i : i + 2] for i in range(len(letters) - 1)}


def similarity(first, second):
    a, b = pairs(first), pairs(second)
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def candidates(phone, id_number, category_id, content, before_id=None):
    """Earlier petitions of the same person with the same category or a similar text,
    the most alike first. ``before_id``: only petitions registered before that one."""
    same_person = []
    if phone:
        same_person.append(Petition.petitioner_phone == phone)
    if id_number:
        same_person.append(Petition.petitioner_id_number == id_number)
    if not same_person:
        return []
    query = select(Petition).where(or_(*same_person))
    if before_id is not None:
        query = query.where(Petition.id < before_id)
    earlier = db.session.scalars(query.order_by(Petition.id.desc()).limit(MAX_CANDIDATES)).all()
    found = []
    for petition in earlier:
        candidate = Candidate(
            petition=petition,
            same_id_number=bool(id_number) and petition.petitioner_id_number == id_number,
            same_phone=bool(phone) and petition.petitioner_phone == phone,
            same_category=petition.category_id == category_id,
            similarity=round(similarity(petition.content, content), 2),
        )
        if candidate.same_category or candidate.similarity >= SIMILAR_TEXT:
            found.append(candidate)
    return sorted(found, key=lambda c: c.score, reverse=True)


def candidates_of(petition):
    """Possible earlier petitions of a registered petition (its page offers to link them)."""
    linked = {link.earlier_id for link in petition.links if link.earlier_id}
    return [
        candidate
        for candidate in candidates(
            petition.petitioner_phone,
            petition.petitioner_id_number,
            petition.category_id,
            petition.content,
            before_id=petition.id,
        )
        if candidate.petition.id not in linked
    ]
