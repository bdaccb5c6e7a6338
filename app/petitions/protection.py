"""Protection of the petitioner (信访工作条例 2022): who wrote is for the petition office alone.

The handling units, leaders, the Supervisor and the Inspector read the *facts*: the
petition's text with the petitioner's name, phone number and ID number taken out, and
every other free text of the petition (reasons, instructions, results) shown through
:func:`shield`. Whether a user may see the petitioner is decided in
app/security/scope.py (:func:`~app.security.scope.may_see_petitioner`).
"""

import re

from app.security.scope import may_see_petitioner

WITHHELD = "***"
MIN_NAME_LENGTH = 2  # a one-character "name" would blank out ordinary words


def identity_marks(name, phone, id_number):
    marks = [value for value in (phone, id_number) if value]
    if name and len(name) >= MIN_NAME_LENGTH:
        marks.append(name)
    return sorted(marks, key=len, reverse=True)


def _pattern(mark):
    """A number also matches when written with spaces or hyphens (138-0514-0001)."""
    if mark.isascii() and mark.replace("-", "").isalnum():
        characters = [re.escape(ch) for ch in mark if ch != "-"]
        return re.compile(r"[\s\-]?".join(characters), re.IGNORECASE)
    return re.compile(re.escape(mark))


def withhold(text, name, phone, id_number):
    """``text`` with every occurrence of the petitioner's name, phone and ID number
    replaced by ***."""
    if not text:
        return text
    for mark in identity_marks(name, phone, id_number):
        text = _pattern(mark).sub(WITHHELD, text)
    return text


def facts_of(petition):
    return withhold(
        petition.content,
        petition.petitioner_name,
        petition.petitioner_phone,
        petition.petitioner_id_number,
    )


def shield(petition, user):
    """A function that shows a free text of ``petition`` to ``user``: as it is for the
    petition office, without the petitioner's identity for everyone else."""
    if may_see_petitioner(user):
        return lambda text: text
    return lambda text: withhold(
        text, petition.petitioner_name, petition.petitioner_phone, petition.petitioner_id_number
    )
