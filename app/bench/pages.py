"""The pages the benchmark measures, one line each, and the run that measures them.

A page is a path (``{case_id}`` is filled with a case every benchmark user may read),
opened as each benchmark user: HTML pages with a signed-in session, API paths with a
JWT. ``bare`` names the same page in bare Flask-AppBuilder (:mod:`app.bench.bare`).
``kind`` sets its targets (:data:`TARGETS`), which the test suite asserts on a small
dataset for every page listed here. Work without a page (the deadline scan, the audit
verification) is registered with :func:`work`.

Adding a page::

    page("Overdue board", "/supervision/overdue/")
"""

import statistics
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from app.audit import chain
from app.bench.measure import StatementRecorder, replay, timed
from app.extensions import db
from app.models.cases import Case, CaseReader, CaseStatus, Task
from app.models.org import Division
from app.workflow import clock, deadlines

LIST, DETAIL, WORK, STREAM = "list", "detail", "work", "stream"
STATS = "stats"  # a statistics answer: one grouped statement per figure
USERS = ("landuse_staff", "deputy1", "supervisor")
# Most SQL statements a page may run, whatever its page size; the largest answer.
# A stream (the audit verification) reads in chunks: its statements grow with the data.
# The deadline scan (work) is a fixed set of set-based statements: three flag UPDATEs, the
# yellow and red cards, one INSERT … SELECT per reminder rule and the Supervisor's digest.
# Statistics: the case figures are 12 grouped statements, the petition figures 11, plus the
# request's own (user, permission, filter choices on a dashboard).
TARGETS = {LIST: 8, DETAIL: 15, WORK: 16, STREAM: None, STATS: 20}
MAX_KB = 200


@dataclass(frozen=True)
class Page:
    name: str
    path: str | None
    kind: str = LIST
    api: bool = False
    bare: str | None = None
    users: tuple = USERS
    call: Callable | None = None


PAGES: list[Page] = []


def page(name, path, *, kind=LIST, api=None, bare=None, users=USERS):
    """Register a page; API paths (``/api/``) are opened with a JWT."""
    api = path.startswith("/api/") if api is None else api
    PAGES.append(Page(name, path, kind, api, bare, users))


def work(name, call, kind=WORK):
    """Register work that is not a page: ``call()`` runs in an app context."""
    PAGES.append(Page(name, None, kind, users=(None,), call=call))


def _scan():
    return deadlines.scan(clock.utcnow())


def _verify():
    return chain.verify(db.session.connection())


page("Division case list", "/cases/list/", bare="/bare/cases/list/")
ROWS_25 = "?q=(page_size:25)"
page("Case API, 25 rows", f"/api/v1/case/{ROWS_25}", bare=f"/api/v1/barecase/{ROWS_25}")
page("Case API, 100 rows", "/api/v1/case/?q=(page_size:100)")
page("Task API, 25 rows", f"/api/v1/task/{ROWS_25}", bare=f"/api/v1/baretask/{ROWS_25}")
page("My tasks", "/tasks/todo/list/", bare="/bare/tasks/list/")
page("Done tasks", "/tasks/done/list/")
page("Permits", "/permits/list/")
page("Opinion API, 25 rows", f"/api/v1/opinion/{ROWS_25}")
page("Division queue", "/tasks/division/list/", users=("landuse_head",))
page("Public matter guides", "/public/guides", users=(None,))
page("Public results", "/public/results", users=(None,))
page("Case page", "/cases/show/{case_id}", kind=DETAIL, bare="/bare/cases/show/{case_id}")
page("Timeline API", "/api/v1/case/{case_id}/timeline", kind=DETAIL)
page("Case timeline", "/cases/timeline/{case_id}", kind=DETAIL)
page("Progress table", "/progress/list/")
page("Progress table, 100 rows", "/progress/list/?psize_CaseProgressView=100")
page("Case statistics API", "/api/v1/stats/cases", kind=STATS)
page("Petition statistics API", "/api/v1/stats/petitions", kind=STATS)
page("Leaders' figures", "/stats/leaders/", kind=STATS, users=("deputy1", "director"))
page("Supervision figures", "/stats/supervision/", kind=STATS, users=("supervisor",))
page("Division figures", "/stats/division/", kind=STATS, users=("landuse_head",))
page("Petition figures", "/stats/petitions/", kind=STATS, users=("petition_staff",))
page("Case statistics XLSX", "/stats/export/cases.xlsx", kind=STATS, users=("supervisor",))
work("Deadline scan", _scan)
work("Audit verify (the bench trail)", _verify, kind=STREAM)


def sample_case_id():
    """The newest case in progress with a landuse task: every benchmark user reads it."""
    landuse = select(Division.id).where(Division.code == "landuse").scalar_subquery()
    return db.session.scalar(
        select(Case.id)
        .join(CaseReader, CaseReader.case_id == Case.id)
        .where(Case.status == CaseStatus.IN_PROGRESS.value, CaseReader.division_id == landuse)
        .where(Case.id.in_(select(Task.case_id).where(Task.stage_position >= 4)))
        .order_by(Case.received_at.desc())
        .limit(1)
    )


# ---------------------------------------------------------------- visitors


class Visitor:
    """One user's client on one app: a signed-in session and a JWT."""

    def __init__(self, app, username, password):
        """``username`` None: an anonymous visitor (the public portal)."""
        self.client = app.test_client()
        self.username = username
        self.token = None
        if username is None:
            return
        response = self.client.post("/login/", data={"username": username, "password": password})
        if response.status_code not in (200, 302):
            raise RuntimeError(f"{username} could not sign in: {response.status_code}")
        response = self.client.post(
            "/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db"},
        )
        self.token = response.get_json()["access_token"]

    def get(self, path, api):
        headers = {"Authorization": f"Bearer {self.token}"} if api and self.token else {}
        return self.client.get(path, headers=headers)


@dataclass
class Result:
    page: Page
    user: str | None
    status: int
    statements: int
    kb: float
    ms: float
    bare_ms: float | None
    bare_statements: int | None
    floor_ms: float | None

    @property
    def bare_ratio(self):
        return self.ms / self.bare_ms if self.bare_ms else None

    @property
    def floor_ratio(self):
        return self.ms / self.floor_ms if self.floor_ms else None

    @property
    def within_targets(self):
        limit = TARGETS[self.page.kind]
        statements_ok = limit is None or self.statements <= limit
        return statements_ok and self.kb <= MAX_KB and self.status in (200, None)


def measure_page(app, recorder, visitor, page, path, bare=None, bare_path=None, rounds=9):
    """Median time of ``rounds`` requests, interleaved with the bare page's, and the
    statement count, size and SQL floor of the last one."""
    times, bare_times, floors = [], [], []
    last = bare_recording = None
    for _ in range(2):  # warm up caches and pools
        visitor.get(path, page.api)
        if bare is not None:
            bare.get(bare_path, page.api)
    for _ in range(rounds):
        with recorder.recording() as recording:
            seconds, response = _timed_get(visitor, path, page.api)
        times.append(seconds)
        last = (recording, response)
        if bare is not None:
            with recorder.recording() as bare_recording:
                seconds, _ = _timed_get(bare, bare_path, page.api)
            bare_times.append(seconds)
    recording, response = last
    with app.app_context():
        engine = db.engine
        floors = [replay(engine, recording) for _ in range(rounds)]
    return Result(
        page=page,
        user=visitor.username,
        status=response.status_code,
        statements=recording.count,
        kb=len(response.data) / 1024,
        ms=statistics.median(times) * 1000,
        bare_ms=statistics.median(bare_times) * 1000 if bare_times else None,
        bare_statements=bare_recording.count if bare_recording else None,
        floor_ms=statistics.median(floors) * 1000,
    )


def measure_work(app, recorder, page, rounds=3):
    times = []
    recording = None
    for _ in range(rounds):
        with app.app_context():
            with recorder.recording() as recording:
                seconds, _ = timed(page.call)
            times.append(seconds)
    return Result(
        page=page,
        user=None,
        status=None,
        statements=recording.count,
        kb=0,
        ms=statistics.median(times) * 1000,
        bare_ms=None,
        bare_statements=None,
        floor_ms=None,
    )


def _timed_get(visitor, path, api):
    return timed(lambda: visitor.get(path, api))


def named(words):
    """The pages whose name contains any of ``words`` (case-insensitive)."""
    words = [word.lower() for word in words]
    return [p for p in PAGES if any(word in p.name.lower() for word in words)]


def run(app, bare_app=None, pages=None, users=USERS, rounds=9, progress=None):
    """Measure every page as every user (interleaved with bare FAB); a list of results."""
    pages = PAGES if pages is None else pages
    recorder = StatementRecorder()
    with app.app_context():
        recorder.attach(db.engine)
        case_id = sample_case_id()
        secret = app.config["DEMO_PASSWORD"]
    if bare_app is not None:
        with bare_app.app_context():
            recorder.attach(db.engine)
    everyone = {user for entry in pages if entry.call is None for user in entry.users}
    visitors = {user: Visitor(app, user, secret) for user in everyone | set(users)}
    bare_visitors = {user: Visitor(bare_app, user, secret) for user in users} if bare_app else {}
    results = []
    try:
        for entry in pages:
            if entry.call is not None:
                results.append(measure_work(app, recorder, entry))
            for user in entry.users if entry.call is None else ():
                if user not in visitors:
                    continue
                path = entry.path.format(case_id=case_id)
                bare_path = entry.bare.format(case_id=case_id) if entry.bare else None
                bare = bare_visitors.get(user) if bare_path else None
                results.append(
                    measure_page(
                        app, recorder, visitors[user], entry, path, bare, bare_path, rounds
                    )
                )
            if progress:
                progress(entry)
    finally:
        recorder.detach()
    return results
