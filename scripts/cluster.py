"""Run the console as it runs past one machine, here on 127.0.0.1, and check it.

    python scripts/cluster.py two-servers   # two gunicorn servers, one PostgreSQL, one Redis
    python scripts/cluster.py load          # 4 workers under 50 signed-in users, beside bare FAB

``two-servers`` starts two gunicorn servers on one PostgreSQL database and one Redis and
shows the work shared with nothing lost or done twice: a session signed in on one server
is good on the other (signed cookies), the login limiter counts both servers' failures
(Redis), an attachment stored through one is read through the other (shared storage),
applications received concurrently on both get distinct, gap-free receipt numbers, two
handlers completing the same task at once on different servers: exactly one wins, and two
Celery workers on the Redis broker deliver every outbox message exactly once
(:func:`celery_checks`).

``load`` serves the console with 4 gunicorn workers on PostgreSQL and sends 50 signed-in
users' requests (division list, My tasks, a case page, its timeline) for 60 s, then the
same load at bare Flask-AppBuilder (app/bench/bare.py) on the same data; prints requests,
errors, p50, p95 and requests per second of each. Every request goes to 127.0.0.1 and
every loop stops by itself.
"""

import argparse
import email
import email.policy
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # app.celery_app
BIN = Path(sys.executable).parent
PASSWORD = os.environ.get("DEMO_PASSWORD", "Demo@2026")
HOST = "127.0.0.1"


# ---------------------------------------------------------------- processes


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def environment(database_url, redis_url, uploads, **extra):
    return {
        **os.environ,
        "APP_CONFIG": "development",  # plain http on 127.0.0.1: cookies without Secure
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32),
        "RATELIMIT_STORAGE_URI": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "UPLOAD_FOLDER": str(uploads),
        **extra,
    }


class Server:
    """A gunicorn server on a free port, stopped by its own pid."""

    def __init__(self, env, workers=2, target="run:app"):
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        command = [
            str(BIN / "gunicorn"),
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
            target,
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        self._wait_ready()

    def _wait_ready(self, seconds=120):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on {self.port} exited: {self.process.returncode}")
            try:
                urllib.request.urlopen(f"{self.url}/login/", timeout=5)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise RuntimeError(f"gunicorn on {self.port} did not answer in {seconds} s")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def flask(env, *args):
    subprocess.run([str(BIN / "flask"), "--app", "run", *args], cwd=ROOT, env=env, check=True)


def prepare_database(env, cases):
    """A fresh benchmark database with the demo organisation and ``cases`` cases."""
    from sqlalchemy_utils import create_database, database_exists

    url = env["DATABASE_URL"]
    if not database_exists(url):
        create_database(url)
    flask(env, "bench", "seed", "--cases", str(cases), "--database-url", url, "--on-app-database")


# ---------------------------------------------------------------- a signed-in client


class Client:
    def __init__(self, base_url):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, method, path, data=None, json_body=None, headers=None, base_url=None):
        url = (base_url or self.base_url) + path
        headers = dict(headers or {})
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=120) as response:
                self.last_url = response.geturl()
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            self.last_url = url
            return error.code, error.read()

    def sign_in(self, username, password=PASSWORD):
        """The login form, with its CSRF token; 200 once signed in (not sent back to it)."""
        _, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page)
        form = {"username": username, "password": password}
        if token:
            form["csrf_token"] = token.group(1).decode()
        status, _ = self.request("POST", "/login/", data=form)
        return 401 if "/login/" in self.last_url else status

    def signed_in_get(self, path, base_url=None):
        """GET that counts a redirect to the login page as 401."""
        status, body = self.request("GET", path, base_url=base_url)
        return (401 if "/login/" in self.last_url else status), body

    def token(self, username, password=PASSWORD):
        body = {"username": username, "password": password, "provider": "db"}
        status, answer = self.request("POST", "/api/v1/security/login", json_body=body)
        if status != 200:
            raise RuntimeError(f"{username}: API login answered {status}")
        return json.loads(answer)["access_token"]


def api(client, token, method, path, body=None, base_url=None):
    headers = {"Authorization": f"Bearer {token}"}
    status, answer = client.request(
        method, path, json_body=body, headers=headers, base_url=base_url
    )
    try:
        return status, json.loads(answer)
    except ValueError:
        return status, {}


# ---------------------------------------------------------------- two servers


def check(label, ok, detail=""):
    print(f"  [{'ok' if ok else 'FAIL'}] {label}{': ' + detail if detail else ''}")
    return ok


def sessions_are_shared(a, b):
    client = Client(a.url)
    signed_in = client.sign_in("landuse_staff")
    status, _ = client.signed_in_get("/cases/list/", base_url=b.url)
    return check(
        "a session signed in on server A is good on server B",
        signed_in == 200 and status == 200,
        f"sign-in on A {signed_in}, division list on B {status}",
    )


def login_limiter_is_shared(a, b, limit=10):
    client = Client(a.url)
    statuses = []
    for attempt in range(limit + 2):
        server = a if attempt % 2 == 0 else b
        status, _ = client.request(
            "POST",
            "/api/v1/security/login",
            json_body={"username": "nobody", "password": "wrong", "provider": "db"},
            base_url=server.url,
        )
        statuses.append(status)
    # Apart, each server (and each of its workers) would allow ``limit`` failures.
    limited = statuses.index(429) if 429 in statuses else None
    return check(
        "failed logins on both servers count against one limit (Redis)",
        limited is not None and limited <= limit,
        f"first 429 after {limited} attempts alternating A/B (limit {limit} per address)",
    )


def application(name, decision="accept"):
    """A GD-01 application with every required document (``materials``)."""
    return {
        "matter": "GD-01",
        "applicant_name": name,
        "applicant_phone": "13805140001",
        "materials": MATERIALS["GD-01"],
        "decision": decision,
    }


MATERIALS = {}


def load_materials(database_url):
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        MATERIALS["GD-01"] = list(
            connection.scalars(
                text(
                    "SELECT d.id FROM required_document d JOIN matter m ON m.id = d.matter_id "
                    "WHERE m.code = 'GD-01' ORDER BY d.id"
                )
            )
        )
    engine.dispose()


def receipts_are_unique(a, b, count=40):
    """Applications received at once on both servers: nothing lost, no number twice."""
    client = Client(a.url)
    token = client.token("window1")  # a JWT is good on either server (one SECRET_KEY)

    def receive(n):
        server = a if n % 2 == 0 else b
        body = application(f"集群测试申请人{n}")
        return api(client, token, "POST", "/api/v1/case/", body, base_url=server.url)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(receive, range(count)))
    numbers = [body["result"]["receipt_no"] for status, body in answers if status == 201]
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    gap_free = bool(serials) and serials == list(range(serials[0], serials[0] + len(serials)))
    return check(
        f"{count} applications received at once, alternating servers",
        len(numbers) == count and len(set(numbers)) == count and gap_free,
        f"{len(numbers)} created, {len(set(numbers))} distinct receipt numbers, "
        f"gap-free: {gap_free}",
    )


def one_completion_wins(a, b):
    """Two handlers complete the same task at once, one on each server: one wins."""
    client = Client(a.url)
    status, body = api(
        client, client.token("window1"), "POST", "/api/v1/case/", application("并发")
    )
    if status != 201:
        return check("a case to race on", False, f"receipt answered {status}: {body}")
    case_id = body["id"]
    staff_token, head_token = client.token("landuse_staff"), client.token("landuse_head")
    query = f"(filters:!((col:case_id,opr:eq,value:{case_id}),(col:status,opr:eq,value:open)))"
    _, tasks = api(client, staff_token, "GET", f"/api/v1/task/?q={query}")
    task_id = tasks["result"][0]["id"]
    barrier = threading.Barrier(2)

    def complete(pair):
        token, server = pair
        barrier.wait()
        path = f"/api/v1/task/{task_id}/complete"
        body = {"decision": "approve", "opinion": "同意。"}
        return api(client, token, "POST", path, body, base_url=server.url)[0]

    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(pool.map(complete, [(staff_token, a), (head_token, b)]))
    return check(
        "the same task completed at once on A and B", statuses == [200, 409], str(statuses)
    )


def attachments_are_shared(a, b):
    window = Client(a.url)
    token = window.token("window1")
    _, body = api(window, token, "POST", "/api/v1/case/", application("附件测试"))
    case_id = body["id"]
    data = b"%PDF-1.7\n" + secrets.token_bytes(512)
    boundary = secrets.token_hex(8)
    payload = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{a.url}/api/v1/case/{case_id}/attachments",
        data=payload,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        attachment_id = json.loads(response.read())["id"]
    status, stored = window.request(
        "GET",
        f"/api/v1/case/{case_id}/attachments/{attachment_id}",
        headers={"Authorization": f"Bearer {token}"},
        base_url=b.url,
    )
    return check("an attachment stored through A is read through B", stored == data, str(status))


QUEUE_MESSAGES = """
import sys
from app import create_app
from app.extensions import db
from app.models.user import BureauUser
from app.notify import outbox
app = create_app()
with app.app_context():
    user = db.session.query(BureauUser).filter_by(username="landuse_staff").one()
    for n in range(int(sys.argv[1])):
        outbox.queue(channel="email", reason="overdue", key=f"{sys.argv[2]}-{n}",
                     recipient=user, subject=f"{sys.argv[2]}-{n}", body="cluster check")
    db.session.commit()
"""


def queue_messages(env, count, prefix):
    command = [str(BIN / "python"), "-c", QUEUE_MESSAGES, str(count), prefix]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def delivery_outcome(database_url, prefix):
    """(status, attempts) → rows, for the check's own messages."""
    engine = sqlalchemy.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sqlalchemy.text(
                    "SELECT status, attempts, count(*) FROM notification "
                    "WHERE idempotency_key LIKE :prefix GROUP BY status, attempts"
                ),
                {"prefix": f"{prefix}-%"},
            )
            return {(status, attempts): count for status, attempts, count in rows}
    finally:
        engine.dispose()


class MailInbox:
    """aiosmtpd handler counting the messages of each subject it receives."""

    def __init__(self):
        self.subjects = Counter()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.subjects[str(parsed["Subject"])] += 1
        return "250 OK"


def celery_checks(env, messages=60, tasks=8, seconds=120):
    """Two Celery workers on the Redis broker share the deliveries: ``messages`` emails in
    the outbox, ``tasks`` delivery tasks queued at once; a real SMTP server receives each
    message exactly once and every row is sent in one attempt (the lease lets no two
    workers send the same row)."""
    from aiosmtpd.controller import Controller

    from app import celery_app

    prefix = f"cluster-{secrets.token_hex(4)}"
    inbox = MailInbox()
    smtp = Controller(inbox, hostname=HOST, port=free_port())
    smtp.start()
    env = {**env, "MAIL_SERVER": HOST, "MAIL_PORT": str(smtp.port)}
    queue_messages(env, messages, prefix)
    workers = [
        subprocess.Popen(
            [str(BIN / "celery"), "-A", "app.celery_app", "worker", "-n", f"w{n}@%h", "-c", "1"],
            cwd=ROOT,
            env=env,
        )
        for n in (1, 2)
    ]
    try:
        celery_app.celery.conf.broker_url = env["CELERY_BROKER_URL"]
        for _ in range(tasks):
            celery_app.deliver.delay()
        deadline = time.monotonic() + seconds
        outcome = {}
        while time.monotonic() < deadline:
            outcome = delivery_outcome(env["DATABASE_URL"], prefix)
            if outcome.get(("sent", 1)) == messages:
                break
            time.sleep(1)
        received = {s: n for s, n in inbox.subjects.items() if s.startswith(prefix)}
        return check(
            "two Celery workers deliver every message exactly once",
            outcome == {("sent", 1): messages}
            and len(received) == messages
            and set(received.values()) == {1},
            f"(status, attempts) → rows: {outcome}; SMTP received {sum(received.values())} "
            f"messages of {len(received)} subjects",
        )
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
            worker.wait(60)
        smtp.stop()


def two_servers(args):
    uploads = Path(tempfile.mkdtemp(prefix="sunshine-uploads-"))
    env = environment(
        args.database_url, args.redis_url, uploads, AUTH_RATE_LIMIT="10 per 60 second"
    )
    prepare_database(env, args.cases)
    load_materials(env["DATABASE_URL"])
    _flush_limiter(args.redis_url)
    a = b = None
    try:
        a, b = Server(env, workers=2), Server(env, workers=2)
        print(f"server A {a.url}, server B {b.url}; {env['DATABASE_URL']}, {args.redis_url}")
        results = [
            sessions_are_shared(a, b),
            receipts_are_unique(a, b),
            one_completion_wins(a, b),
            attachments_are_shared(a, b),
            login_limiter_is_shared(a, b),
            celery_checks(env),
        ]
    finally:
        for server in (a, b):
            if server is not None:
                server.stop()
    print("all checks passed" if all(results) else "SOME CHECKS FAILED")
    return 0 if all(results) else 1


def _flush_limiter(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter("LIMITS*sunshine*"):
        client.delete(key)


# ---------------------------------------------------------------- load


# Every one of them reads the sample case: landuse has a task in it, deputy1 oversees
# landuse, the Supervisor and the window read every case.
LOAD_USERS = ("landuse_staff", "landuse_head", "deputy1", "supervisor", "window1")


def sample_case(server):
    client = Client(server.url)
    token = client.token("landuse_staff")
    query = "(filters:!((col:status,opr:eq,value:in_progress)),page_size:1)"
    _, body = api(client, token, "GET", f"/api/v1/case/?q={query}")
    return body["result"][0]["id"]


def load(server, paths, users, seconds, sign_in_url=None):
    """``users`` threads, each signed in, cycling through ``paths`` for ``seconds``."""
    clients = []
    for n in range(users):
        client = Client(server.url)
        status = client.sign_in(LOAD_USERS[n % len(LOAD_USERS)])
        if status not in (200, 302):
            raise RuntimeError(f"sign-in answered {status}")
        clients.append(client)
    durations, errors = [], []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def visit(client):
        n = 0
        while time.monotonic() < stop_at:
            path = paths[n % len(paths)]
            started = time.perf_counter()
            status, _ = client.signed_in_get(path)
            elapsed = time.perf_counter() - started
            with lock:
                durations.append(elapsed)
                if status != 200:
                    errors.append((path, status))
            n += 1

    started = time.monotonic()
    threads = [threading.Thread(target=visit, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    return {
        "requests": len(durations),
        "errors": len(errors),
        "p50": statistics.median(durations) * 1000 if durations else None,
        "p95": statistics.quantiles(durations, n=20)[18] * 1000 if len(durations) > 20 else None,
        "rps": len(durations) / wall,
        "sample_errors": errors[:3],
    }


def load_test(args):
    uploads = Path(tempfile.mkdtemp(prefix="sunshine-uploads-"))
    env = environment(
        args.database_url, args.redis_url, uploads, AUTH_RATE_LIMIT="10000 per 60 second"
    )
    if args.cases:
        prepare_database(env, args.cases)
    ours = bare = None
    rows = []
    try:
        ours = Server(env, workers=4)
        case_id = sample_case(ours)
        paths = [
            "/cases/list/",
            "/tasks/todo/list/",
            f"/cases/show/{case_id}",
            f"/api/v1/case/{case_id}/timeline",
        ]
        rows.append(("Sunshine Console", load(ours, paths, args.users, args.seconds)))
        ours.stop()
        ours = None
        bare = Server(env, workers=4, target="app.bench.bare:wsgi()")
        bare_paths = [
            "/bare/cases/list/",
            "/bare/tasks/list/",
            f"/bare/cases/show/{case_id}",
            f"/bare/cases/show/{case_id}",
        ]
        rows.append(("bare Flask-AppBuilder", load(bare, bare_paths, args.users, args.seconds)))
    finally:
        for server in (ours, bare):
            if server is not None:
                server.stop()
    print(
        f"{args.users} signed-in users for {args.seconds} s each, gunicorn 4 workers, "
        f"{env['DATABASE_URL']}"
    )
    print(f"{'':24}{'requests':>10}{'errors':>8}{'p50 ms':>10}{'p95 ms':>10}{'req/s':>8}")
    for name, r in rows:
        print(
            f"{name:24}{r['requests']:>10}{r['errors']:>8}{r['p50']:>10.0f}{r['p95']:>10.0f}{r['rps']:>8.1f}"
        )
        if r["sample_errors"]:
            print(f"  e.g. {r['sample_errors']}")
    return 0 if all(r["errors"] == 0 for _, r in rows) else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default="postgresql://postgres@127.0.0.1:5432/sunshine_cluster",
        help="PostgreSQL database shared by the servers (made if missing)",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    sub = parser.add_subparsers(dest="command", required=True)
    servers = sub.add_parser("two-servers")
    servers.add_argument("--cases", type=int, default=200)
    loaded = sub.add_parser("load")
    loaded.add_argument("--users", type=int, default=50)
    loaded.add_argument("--seconds", type=int, default=60)
    loaded.add_argument("--cases", type=int, default=0, help="seed this many cases first")
    args = parser.parse_args()
    return two_servers(args) if args.command == "two-servers" else load_test(args)


if __name__ == "__main__":
    sys.exit(main())
