"""The chain: intact after real use; any rewrite of one event is found at that event."""

import itertools

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from app import audit
from app.audit import chain
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.org import Division
from tests.audit_helpers import head_seq, tamper, verify


@pytest.fixture
def trail(app):
    """A trail of seeded events plus a few of our own; returns the middle event's seq."""
    for n in range(5):
        db.session.add(Division(code=f"unit_{n}", name=f"单位{n}", kind="division"))
        db.session.commit()
    return head_seq() - 2


def test_seeded_and_used_trail_verifies(trail):
    result = verify()
    assert result.ok
    assert result.checked == head_seq() > 200
    assert result.first_broken is None


def test_events_are_linked_and_numbered_without_gaps(trail):
    events = db.session.query(AuditEvent).order_by(AuditEvent.seq).all()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == chain.GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET username = 'someone_else' WHERE seq = :seq",
        "UPDATE audit_event SET after = NULL WHERE seq = :seq",
        "UPDATE audit_event SET created_at = '2020-01-01 00:00:00' WHERE seq = :seq",
    ],
    ids=["who", "after", "when"],
)
def test_a_changed_event_fails_verification_at_that_event(trail, statement):
    tamper(statement, seq=trail)
    result = verify()
    assert (result.ok, result.first_broken.seq) == (False, trail)
    assert result.first_broken.reason == chain.HASH_MISMATCH
    assert result.checked == trail - 1


def test_a_changed_event_with_a_recomputed_hash_breaks_the_next_link(trail):
    row = (
        db.session.execute(chain.events.select().where(chain.events.c.seq == trail))
        .mappings()
        .one()
    )
    forged = {**row, "username": "someone_else"}
    tamper(
        "UPDATE audit_event SET username = 'someone_else', hash = :hash WHERE seq = :seq",
        hash=chain.event_hash(forged),
        seq=trail,
    )
    broken = verify().first_broken
    assert (broken.seq, broken.reason) == (trail + 1, chain.BROKEN_LINK)


def test_a_deleted_event_fails_verification_where_it_is_missing(trail):
    tamper("DELETE FROM audit_event WHERE seq = :seq", seq=trail)
    broken = verify().first_broken
    assert (broken.seq, broken.reason, broken.expected_seq) == (
        trail + 1,
        chain.SEQUENCE_GAP,
        trail,
    )


def test_two_swapped_events_fail_verification_at_the_first_of_them(trail):
    """Each row's content moves to the other's position (seq is the primary key)."""
    tamper(
        "UPDATE audit_event SET seq = -1 WHERE seq = :a",
        "UPDATE audit_event SET seq = :a WHERE seq = :b",
        "UPDATE audit_event SET seq = :b WHERE seq = -1",
        a=trail,
        b=trail + 1,
    )
    broken = verify().first_broken
    assert (broken.seq, broken.reason) == (trail, chain.BROKEN_LINK)


def test_append_only_triggers_refuse_update_and_delete(trail):
    for statement in ("UPDATE audit_event SET ip = '1.1.1.1'", "DELETE FROM audit_event"):
        with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text(statement))
    assert verify().ok


def test_the_orm_refuses_to_write_audit_rows(trail):
    event = db.session.get(AuditEvent, trail)
    event.username = "someone_else"
    with pytest.raises(audit.AuditTrailWriteError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, trail))
    with pytest.raises(audit.AuditTrailWriteError):
        db.session.flush()


def test_anchor_is_written_once_a_day_and_recorded(runner, trail):
    first = runner.invoke(args=["audit", "anchor"])
    second = runner.invoke(args=["audit", "anchor"])
    assert first.exit_code == second.exit_code == 0
    assert "written: seq" in first.output
    assert "already written today" in second.output
    assert first.output.split("seq")[1] == second.output.split("seq")[1]
    assert db.session.query(AuditEvent).filter_by(action="anchor").count() == 1
    assert verify().anchors_checked == 1


def test_an_anchor_that_no_longer_matches_fails_verification(runner, trail):
    runner.invoke(args=["audit", "anchor"])
    anchored = db.session.execute(text("SELECT seq FROM audit_anchor")).scalar_one()
    tamper("UPDATE audit_anchor SET hash = :fake", fake="0" * 63 + "1")
    broken = verify().first_broken
    assert (broken.seq, broken.reason) == (anchored, chain.ANCHOR_MISMATCH)


def test_a_trail_cut_short_behind_an_anchor_fails_verification(runner, trail):
    runner.invoke(args=["audit", "anchor"])
    anchored = db.session.execute(text("SELECT seq FROM audit_anchor")).scalar_one()
    tamper("DELETE FROM audit_event WHERE seq >= :seq", seq=anchored)
    broken = verify().first_broken
    assert (broken.seq, broken.reason) == (anchored, chain.ANCHOR_MISSING)


def test_verify_command_reports_ok(runner, trail):
    result = runner.invoke(args=["audit", "verify", "--quiet", "--chunk-size", "10"])
    assert result.exit_code == 0
    assert f"ok: {head_seq()} events checked" in result.output


def test_verify_command_fails_at_the_broken_event(runner, trail):
    tamper("UPDATE audit_event SET ip = '6.6.6.6' WHERE seq = :seq", seq=trail)
    result = runner.invoke(args=["audit", "verify", "--quiet"])
    assert result.exit_code == 1
    assert f"BROKEN at event seq {trail}: hash_mismatch" in result.output


def test_verify_api_reports_the_first_broken_event(client, auth, trail):
    headers = {"Authorization": f"Bearer {auth.token('inspector')}"}
    tamper("DELETE FROM audit_event WHERE seq = :seq", seq=trail)
    body = client.get("/api/v1/audit/verify", headers=headers).get_json()
    assert body["ok"] is False
    assert body["checked"] == trail - 1
    assert body["first_broken"] == {
        "id": trail + 1,
        "seq": trail + 1,
        "reason": "sequence_gap",
        "expected_seq": trail,
        "anchor_day": None,
    }


def test_bench_appends_and_verifies_a_scratch_trail(runner, tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    result = runner.invoke(
        args=[
            "bench",
            "audit",
            "--events",
            "120",
            "--batch-size",
            "50",
            "--chunk-size",
            "40",
            "--database-url",
            url,
        ]
    )
    assert result.exit_code == 0, result.output
    assert "verified 120 events ok=True" in result.output
    assert "tracemalloc peak" in result.output


def add_units(count, prefix="every"):
    for n in range(count):
        db.session.add(Division(code=f"{prefix}_{n}", name=f"单位{n}", kind="division"))
        db.session.commit()


def checkpoint_seqs():
    return list(db.session.execute(text("SELECT seq FROM audit_checkpoint ORDER BY seq")).scalars())


def test_the_head_is_anchored_every_n_events(app, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_ANCHOR_EVERY", 3)
    start = head_seq()
    add_units(7)  # one event each
    expected = [seq for seq in range(start + 1, head_seq() + 1) if seq % 3 == 0]
    assert checkpoint_seqs() == expected
    result = verify()
    assert result.ok and result.anchors_checked == len(expected)


def test_a_tail_deleted_behind_a_count_anchor_fails_verification(app, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_ANCHOR_EVERY", 3)
    add_units(4)
    last = checkpoint_seqs()[-1]
    tamper("DELETE FROM audit_event WHERE seq >= :seq", seq=last - 1)
    broken = verify().first_broken
    assert (broken.seq, broken.reason, broken.anchor_day) == (last, chain.ANCHOR_MISSING, None)


def test_a_tail_shorter_than_the_window_after_the_last_anchor_goes_unseen(app, monkeypatch):
    """What the README says: events after the last anchor can be cut without a trace."""
    monkeypatch.setitem(app.config, "AUDIT_ANCHOR_EVERY", 1000)
    add_units(1)
    tamper("DELETE FROM audit_event WHERE seq = :seq", seq=head_seq())
    assert verify().ok


def test_production_anchors_by_count():
    from config import ProductionConfig

    assert ProductionConfig.AUDIT_ANCHOR_EVERY > 0
