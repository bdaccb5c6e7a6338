"""Checking one field of what people send: text, numbers, phones, identity numbers.

Shared by the receipt, the permit drafted at 制作批准文件 and petitions, so a value is
refused (or normalised) the same way wherever it is typed. Each check returns the clean
value, or None with the problem written into ``errors[name]``.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

MOBILE = re.compile(r"1[3-9][0-9]{9}")
LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}")
RESIDENT_ID = re.compile(r"[0-9]{17}[0-9X]")
CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Numeric(14, 2): twelve digits before the point.
AREA_CEILING = Decimal("1e12")


def ascii_code(value):
    """A number as typed, in ASCII: NFKC folds full-width characters (１３８, Ｘ), then
    every other decimal digit (Arabic-Indic ٣, Devanagari ३...) becomes its ASCII digit;
    surrounding whitespace (a pasted newline) goes."""
    folded = unicodedata.normalize("NFKC", value).strip()
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in folded)


def text_field(data, name, limit, errors):
    """Trimmed text of at most ``limit`` characters, or None."""
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        errors[name] = _("Must be text.")
        return None
    value = value.strip()
    if len(value) > limit:
        errors[name] = _("At most %(n)d characters.", n=limit)
    return value or None


def identity_number(data, name, errors):
    """A resident ID number or unified social credit code (checksums verified), in ASCII
    upper case, or None."""
    value = data.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        errors[name] = _("Must be text.")
        return None
    value = ascii_code(value).upper()
    if RESIDENT_ID.fullmatch(value) and _id_checksum_ok(value):
        return value
    if is_credit_code(value):
        return value
    errors[name] = _("Not a valid resident ID number or unified social credit code.")
    return None


def _id_checksum_ok(number):
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17]


def is_credit_code(value):
    """A unified social credit code (统一社会信用代码): the applicant is an organisation."""
    return (
        isinstance(value, str)
        and bool(CREDIT_CODE.fullmatch(value))
        and _credit_code_checksum_ok(value)
    )


def _credit_code_checksum_ok(code):
    values = [CREDIT_CODE_ALPHABET.index(char) for char in code]
    total = sum(v * w for v, w in zip(values[:17], CREDIT_CODE_WEIGHTS, strict=True))
    return values[17] == (31 - total % 31) % 31


def is_mobile(value):
    return isinstance(value, str) and bool(MOBILE.fullmatch(value))


def phone_number(data, name, errors):
    """A mobile or landline number in ASCII digits, or None."""
    value = data.get(name)
    if value in (None, ""):
        return None
    value = ascii_code(value) if isinstance(value, str) else None
    if value is None or not (MOBILE.fullmatch(value) or LANDLINE.fullmatch(value)):
        errors[name] = _("Not a valid mobile or landline number.")
        return None
    return value


def area_field(data, name, errors, positive=False):
    """An area in m² that fits Numeric(14, 2), rounded to the cent, or None when absent;
    ``positive`` refuses zero."""
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        errors[name] = _("Must be a number.")
        return None
    try:
        area = Decimal(ascii_code(value) if isinstance(value, str) else str(value))
    except InvalidOperation:
        errors[name] = _("Must be a number.")
        return None
    if area.is_finite() and abs(area) < AREA_CEILING:
        area = area.quantize(Decimal("0.01"))
    if not area.is_finite() or area < 0 or area >= AREA_CEILING or (positive and area <= 0):
        errors[name] = (
            _("Must be more than 0 and less than 1,000,000,000,000.")
            if positive
            else _("Must be between 0 and 999,999,999,999.")
        )
        return None
    return area
