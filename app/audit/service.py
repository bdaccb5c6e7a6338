"""Verify and anchor the app's own trail (what the CLI, the page and the API call)."""

import logging

from app.audit import actions, chain
from app.audit.recorder import record
from app.extensions import db

log = logging.getLogger(__name__)


def verify_trail(chunk_size=5000, progress=None) -> chain.Verification:
    """Stream the whole chain on a connection of its own (no ORM, flat memory)."""
    with db.engine.connect() as connection:
        return chain.verify(connection, chunk_size=chunk_size, progress=progress)


def trail_length() -> int:
    with db.engine.connect() as connection:
        return chain.read_head(connection)[0]


def anchor_today():
    """Anchor today's head (once a day), record it on the trail and log it."""
    row, created = chain.anchor(db.session.connection())
    if created:
        record(
            actions.ANCHOR,
            target_type="AuditAnchor",
            target_id=row.day.isoformat(),
            seq=row.seq,
            hash=row.hash,
        )
        log.info("audit anchor %s: seq %s hash %s", row.day, row.seq, row.hash)
    db.session.commit()
    return row, created
