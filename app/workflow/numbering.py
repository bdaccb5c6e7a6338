"""Human-readable numbers (receipts, permits) from gap-free per-series counters."""

import secrets

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models.cases import NumberSequence

QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
QUERY_CODE_LENGTH = 8


def next_number(series):
    """Atomically take the next number of a series: concurrent callers never share one."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(NumberSequence).values(name=series, last=0).on_conflict_do_nothing())
    bump = (
        update(NumberSequence)
        .where(NumberSequence.name == series)
        .values(last=NumberSequence.last + 1)
        .returning(NumberSequence.last)
    )
    return db.session.execute(bump, execution_options={"synchronize_session": False}).scalar_one()


def receipt_number(prefix, year):
    return f"{prefix}-{year}-{next_number(f'receipt-{year}'):06d}"


def permit_number(prefix, year):
    return f"{prefix}-PZ-{year}-{next_number(f'permit-{year}'):05d}"


def query_code():
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
