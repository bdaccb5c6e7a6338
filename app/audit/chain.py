"""The hash chain: append events under a lock, verify the whole trail in a stream.

Each event's ``hash`` is SHA-256 over a canonical JSON of its fields, its
sequence number and the previous event's hash included. Appends take a
database-wide lock before reading the head, so concurrent writers queue up and
the chain never forks: ``pg_advisory_xact_lock`` on PostgreSQL (released at the
end of the transaction), SQLite's single writer lock (taken by a write
statement before the head is read). ``seq`` is unique as well, as a last guard.

Everything here works on a SQLAlchemy ``Connection``: the caller owns the
transaction, so an event commits or rolls back with the change it records.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from sqlalchemy import String, Text, insert, select, text, type_coerce

from app.models.audit import AuditAnchor, AuditCheckpoint, AuditEvent

log = logging.getLogger(__name__)

GENESIS = "0" * 64
CHAIN_LOCK_KEY = 0x53554E4155444954  # "SUNAUDIT": the advisory lock of the chain
HASHED_FIELDS = (
    "seq",
    "prev_hash",
    "created_at",
    "user_id",
    "username",
    "ip",
    "action",
    "target_type",
    "target_id",
    "before",
    "after",
    "details",
)

events = AuditEvent.__table__
anchors = AuditAnchor.__table__
checkpoints = AuditCheckpoint.__table__

# Why verification stopped (stable codes for the API; the pages translate them).
HASH_MISMATCH = "hash_mismatch"
BROKEN_LINK = "broken_link"
SEQUENCE_GAP = "sequence_gap"
ANCHOR_MISMATCH = "anchor_mismatch"
ANCHOR_MISSING = "anchor_missing"


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


# json.dumps builds an encoder per call when given options; one encoder serves them all.
CANONICAL_JSON = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical(event) -> bytes:
    """The stable serialisation that is hashed: sorted keys, no spaces, UTF-8."""
    payload = {field: event[field] for field in HASHED_FIELDS}
    payload["created_at"] = payload["created_at"].isoformat(timespec="microseconds")
    return CANONICAL_JSON.encode(payload).encode()


def event_hash(event) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


# --- appending ------------------------------------------------------------------


def lock_chain(connection) -> bool:
    """Hold the chain's writer lock until this transaction ends. False where the
    database has none (e.g. MySQL): read the head FOR UPDATE there instead."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
        return True
    if dialect == "sqlite":
        # A write statement that writes nothing: it takes SQLite's RESERVED (writer)
        # lock, so no other connection can append between our head read and insert.
        connection.execute(text("INSERT INTO audit_anchor SELECT * FROM audit_anchor WHERE 0"))
        return True
    return False


def read_head(connection, for_update=False):
    """(seq, hash) of the last event; (0, GENESIS) for an empty trail."""
    query = select(events.c.seq, events.c.hash).order_by(events.c.seq.desc()).limit(1)
    if for_update:
        query = query.with_for_update()
    row = connection.execute(query).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


def append(connection, new_events: Iterable[dict], anchor_every: int = 0) -> list[dict]:
    """Chain and insert events (dicts of the unhashed fields) after the current head.

    When the new head passes a multiple of ``anchor_every``, it is anchored too
    (an ``audit_checkpoint`` row, under the same lock)."""
    new_events = list(new_events)
    if not new_events:
        return []
    seq, prev_hash = read_head(connection, for_update=not lock_chain(connection))
    first = seq
    for event in new_events:
        seq += 1
        event["seq"] = seq
        event["prev_hash"] = prev_hash
        event["hash"] = prev_hash = event_hash(event)
    connection.execute(insert(events), new_events)
    if anchor_every and first // anchor_every != seq // anchor_every:
        connection.execute(insert(checkpoints).values(seq=seq, hash=prev_hash, created_at=utcnow()))
        log.info("audit checkpoint: seq %s hash %s", seq, prev_hash)
    return new_events


# --- verifying ------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first place where the trail is not what was written."""

    seq: int
    reason: str
    expected_seq: int | None = None
    anchor_day: str | None = None


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    anchors_checked: int
    first_broken: Break | None

    def as_dict(self):
        data = asdict(self)
        if self.first_broken is not None:
            # The sequence number is the event's primary key: id and seq are one number.
            data["first_broken"] = {"id": self.first_broken.seq, **data["first_broken"]}
        return data


STREAMED_FIELDS = (*HASHED_FIELDS, "hash")
JSON_FIELDS = frozenset({"before", "after", "details"})


def _undecoded(column):
    """The column as the driver returns it: verification decodes only what it hashes,
    without SQLAlchemy's per-value result processing (a third of the time at 1M rows)."""
    if column.name in JSON_FIELDS:
        return type_coerce(column, Text).label(column.name)
    if column.name == "created_at":
        return type_coerce(column, String).label(column.name)
    return column


def _decoded(row) -> dict:
    event = dict(zip(STREAMED_FIELDS, row, strict=True))
    created_at = event["created_at"]
    if isinstance(created_at, str):  # SQLite keeps text; PostgreSQL's driver a datetime
        event["created_at"] = datetime.fromisoformat(created_at)
    for field in JSON_FIELDS:
        if isinstance(event[field], str):  # SQLite keeps text; psycopg2 decodes json
            event[field] = json.loads(event[field])
    return event


def stream_events(connection, chunk_size=5000) -> Iterator[dict]:
    """Every event in seq order as a dict of its hashed fields and ``hash``, fetched in
    keyset-paginated chunks (flat memory)."""
    columns = [_undecoded(events.c[field]) for field in STREAMED_FIELDS]
    last_seq = 0
    while True:
        rows = connection.execute(
            select(*columns).where(events.c.seq > last_seq).order_by(events.c.seq).limit(chunk_size)
        ).all()
        if not rows:
            return
        for row in rows:
            yield _decoded(row)
        last_seq = rows[-1][0]


@dataclass(frozen=True)
class Anchor:
    """A recorded head: a day's anchor (``day`` set) or one by count (``day`` None)."""

    seq: int
    hash: str
    day: date | None = None

    @property
    def label(self) -> str | None:
        return self.day.isoformat() if self.day else None


def load_anchors(connection) -> dict[int, list]:
    """Anchors by seq: one a day plus one per ``AUDIT_ANCHOR_EVERY`` events."""
    by_seq = {}
    for row in connection.execute(select(anchors).order_by(anchors.c.day)):
        by_seq.setdefault(row.seq, []).append(Anchor(row.seq, row.hash, row.day))
    for row in connection.execute(select(checkpoints).order_by(checkpoints.c.seq)):
        by_seq.setdefault(row.seq, []).append(Anchor(row.seq, row.hash))
    return by_seq


def check_event(event, expected_seq, prev_hash) -> Break | None:
    if event["seq"] != expected_seq:
        return Break(event["seq"], SEQUENCE_GAP, expected_seq=expected_seq)
    if event["prev_hash"] != prev_hash:
        return Break(event["seq"], BROKEN_LINK)
    if event_hash(event) != event["hash"]:
        return Break(event["seq"], HASH_MISMATCH)
    return None


def verify(
    connection, chunk_size=5000, progress: Callable[[int], None] | None = None
) -> Verification:
    """Walk the whole chain once; stop at the first broken event or anchor.

    ``progress`` is called with the number of events checked since its last call.
    """
    anchors_by_seq = load_anchors(connection)
    anchors_checked = checked = 0
    prev_hash = GENESIS
    for event in stream_events(connection, chunk_size):
        day_anchors = anchors_by_seq.pop(event["seq"], ())
        broken = check_event(event, checked + 1, prev_hash) or _check_anchors(day_anchors, event)
        if broken is not None:
            return Verification(False, checked, anchors_checked, broken)
        anchors_checked += len(day_anchors)
        checked, prev_hash = checked + 1, event["hash"]
        if progress and checked % chunk_size == 0:
            progress(chunk_size)
    if progress:
        progress(checked % chunk_size)
    anchors_checked += len(anchors_by_seq.pop(0, ()))  # anchored while the trail was empty
    if anchors_by_seq:  # an anchor points past the end: the trail was cut short
        seq = min(anchors_by_seq)
        broken = Break(seq, ANCHOR_MISSING, anchor_day=anchors_by_seq[seq][0].label)
        return Verification(False, checked, anchors_checked, broken)
    return Verification(True, checked, anchors_checked, None)


def _check_anchors(day_anchors, event) -> Break | None:
    for anchor in day_anchors:
        if anchor.hash != event["hash"]:
            return Break(event["seq"], ANCHOR_MISMATCH, anchor_day=anchor.label)
    return None


# --- anchoring ------------------------------------------------------------------


def anchor(connection, day: date | None = None):
    """Write the head as the anchor of ``day`` (UTC today) unless that day has one.

    Returns (anchor row, created?)."""
    day = day or utcnow().date()
    locked = lock_chain(connection)
    existing = connection.execute(select(anchors).where(anchors.c.day == day)).first()
    if existing is not None:
        return existing, False
    seq, head_hash = read_head(connection, for_update=not locked)
    connection.execute(
        insert(anchors).values(day=day, seq=seq, hash=head_hash, created_at=utcnow())
    )
    return connection.execute(select(anchors).where(anchors.c.day == day)).one(), True
