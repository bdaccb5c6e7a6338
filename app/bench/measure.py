"""Measuring a request from inside: its SQL statements (counted and kept for a raw
replay), its size and its time; medians over interleaved rounds."""

import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event


@dataclass
class Recording:
    statements: list = field(default_factory=list)  # (sql, parameters, executemany)

    @property
    def count(self):
        return len(self.statements)


class StatementRecorder:
    """Records every statement an engine sends while :meth:`recording` is active."""

    def __init__(self):
        self.current = None
        self.engines = []

    def attach(self, engine):
        if engine not in self.engines:
            event.listen(engine, "before_cursor_execute", self._record)
            self.engines.append(engine)

    def detach(self):
        for engine in self.engines:
            event.remove(engine, "before_cursor_execute", self._record)
        self.engines = []

    def _record(self, _conn, _cursor, statement, parameters, _context, executemany):
        if self.current is not None:
            self.current.statements.append((statement, parameters, executemany))

    @contextmanager
    def recording(self):
        self.current = Recording()
        try:
            yield self.current
        finally:
            self.current = None


def replay(engine, recording):
    """Run the recorded reads straight through the driver: the SQL floor of a page, in
    seconds. Writes (an audit event for a denial, a login's bookkeeping) are left out:
    replayed, they would collide with the rows they wrote."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        started = time.perf_counter()
        for statement, parameters, executemany in recording.statements:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            if executemany:
                cursor.executemany(statement, parameters)
            else:
                cursor.execute(statement, parameters)
            if cursor.description is not None:
                cursor.fetchall()
        elapsed = time.perf_counter() - started
        raw.rollback()
        return elapsed
    finally:
        raw.close()


def timed(call):
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def median_ms(seconds):
    return statistics.median(seconds) * 1000 if seconds else None
