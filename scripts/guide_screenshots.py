"""Take the user guide's screenshots (docs/USER_GUIDE.md): one per role of the demo bureau.

    .venv/bin/python scripts/guide_screenshots.py [--out docs/screenshots/guide] [--menus FILE]

Builds the console on a temporary SQLite file exactly as `make run` does (db upgrade,
roles sync, demo seed, calendar load-official), walks a few GD-01 cases, petitions and a
supervision notice through the API as the demo users would, runs the deadline scan, serves
the console on a free port of 127.0.0.1 and signs in as each demo user in Debian's chromium
(Playwright; never a downloaded browser). Each picture is the first screen (1366x768) of the
page that user works on most. ``--menus`` also writes every user's navbar (menus and their
entries, as the Chinese UI shows them) to a JSON file, to check the guide's wording.
Nothing leaves 127.0.0.1 and nothing outside the temporary directory is written but the
pictures.
"""

import argparse
import json
import secrets
import sys
import tempfile
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from config import DevelopmentConfig  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1366, "height": 768}
PASSWORD = DevelopmentConfig.DEMO_PASSWORD
SETUP = (
    ["db", "upgrade"],
    ["roles", "sync"],
    ["demo", "seed"],
    ["calendar", "load-official"],
)
APPLICANT = {
    "applicant_name": "扬州某置业有限公司",
    "applicant_org": "扬州某置业有限公司",
    "applicant_phone": "13805140001",
    "applicant_id_number": "91321000MA1XXXXX05",
    "project_name": "城东地块开发项目",
    "project_location": "扬州市广陵区文昌东路北侧",
    "project_area": "12500.50",
}
PETITIONER = {
    "petitioner_name": "赵德明",
    "petitioner_phone": "13951234567",
    "petitioner_id_number": "32102319800101003X",
    "petitioner_address": "宝应县安宜镇叶挺路18号",
    "channel": "visit",
    "category": "征地补偿",
}
PERMIT = {"kind": "approval", "conditions": "按批准用途使用", "valid_until": "2031-12-31"}


# ------------------------------------------------------------------ the console


def build_console(workdir):
    app = create_app(
        DevelopmentConfig,
        SECRET_KEY=secrets.token_hex(32),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{workdir / 'guide.db'}",
        UPLOAD_FOLDER=str(workdir / "uploads"),
        RATELIMIT_ENABLED=False,  # many sign-ins from one address
        AUTH_RATE_LIMITED=False,
        CHECK_MIGRATED_ON_START=False,  # the app is built first, then migrates its database
    )
    runner = app.test_cli_runner()
    for args in SETUP:
        result = runner.invoke(args=args)
        if result.exit_code != 0:
            raise SystemExit(f"flask {' '.join(args)} failed:\n{result.output}")
    return app


@contextmanager
def served(app):
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)


class Api:
    """The JSON API as a demo user (JWT), through the app's test client."""

    def __init__(self, app):
        self.client = app.test_client(use_cookies=False)
        self.tokens = {}

    def call(self, method, username, path, body=None, expected=(200, 201)):
        if username not in self.tokens:
            login = {"username": username, "password": PASSWORD, "provider": "db"}
            answer = self.client.post("/api/v1/security/login", json=login)
            self.tokens[username] = answer.get_json()["access_token"]
        headers = {"Authorization": f"Bearer {self.tokens[username]}"}
        answer = self.client.open(path, method=method, headers=headers, json=body)
        if answer.status_code not in expected:
            raise SystemExit(f"{method} {path} as {username}: {answer.get_json()}")
        return answer.get_json()

    def post(self, username, path, body=None):
        return self.call("POST", username, path, body)

    def open_tasks(self, case_id):
        query = (
            f"(filters:!((col:case_id,opr:eq,value:{case_id}),"
            "(col:status,opr:eq,value:open)),page_size:100)"
        )
        return self.call("GET", "supervisor", f"/api/v1/task/?q={query}")["result"]

    def finish_stage(self, case_id, skip=()):
        """Complete the case's open tasks, each by its unit's staff (a leader in person)."""
        for task in self.open_tasks(case_id):
            unit = task["division"]
            if unit in skip:
                continue
            who = task["assignee"] or ("window1" if unit == "window" else f"{unit}_staff")
            extra = {"permit": PERMIT} if task["kind"] == "draft_permit" else {}
            self.post(
                who,
                f"/api/v1/task/{task['id']}/complete",
                {"decision": "approve", "opinion": "同意。", **extra},
            )


# ------------------------------------------------------------------ the demo day


def gd01_documents(app):
    from app.extensions import db
    from app.models.catalog import Matter

    with app.app_context():
        matter = db.session.query(Matter).filter_by(code="GD-01").one()
        return [d.id for d in matter.required_documents]


def receive_earlier(app, working_days_ago, **fields):
    """A GD-01 case received some days ago (the engine's own receipt, at that moment)."""
    from app.extensions import db
    from app.models.catalog import Matter
    from app.models.user import BureauUser
    from app.workflow import receipts

    with app.app_context():
        matter = db.session.query(Matter).filter_by(code="GD-01").one()
        clerk = db.session.query(BureauUser).filter_by(username="window1").one()
        data = {
            "matter": "GD-01",
            **APPLICANT,
            "materials": [d.id for d in matter.required_documents],
            "decision": "accept",
            **fields,
        }
        at = datetime.utcnow().replace(hour=2, minute=0) - timedelta(days=working_days_ago)
        case = receipts.receive(receipts.parse_application(data), clerk, at=at)
        return case.id


def ask_for_extension(app, case_id, username, days, reason):
    from app.extensions import db
    from app.models.user import BureauUser
    from app.supervision import extensions

    with app.app_context():
        user = db.session.query(BureauUser).filter_by(username=username).one()
        extensions.request_extension(case_id, user, days, reason)


def act_out_a_day(app):
    """Cases, petitions and a supervision notice at the stages the pictures show."""
    api = Api(app)

    def receive(decision="accept", **fields):
        body = {"matter": "GD-01", **APPLICANT, "decision": decision, **fields}
        body.setdefault("materials", gd01_documents(app))
        return api.post("window1", "/api/v1/case/", body)

    story = {}
    # late at the first review: the supervision post chases it
    story["late"] = receive_earlier(app, 8, applicant_name="扬州市某实业有限公司")
    # at the agencies' survey and valuation
    story["survey"] = receive(applicant_name="扬州某房地产开发有限公司")["id"]
    api.finish_stage(story["survey"])
    api.finish_stage(story["survey"])
    # at the eight divisions' online joint review (网上会办), half of them signed
    story["joint"] = receive(applicant_name="扬州某建设发展有限公司")["id"]
    for _ in range(3):
        api.finish_stage(story["joint"])
    api.finish_stage(story["joint"], skip=("landuse", "cadastre", "planning", "finance"))
    # at the director's sign-off
    story["sign"] = receive(applicant_name="扬州某科技有限公司")["id"]
    for _ in range(4):
        api.finish_stage(story["sign"])
    # run to the end: the permit issued and released
    released = receive(applicant_name="扬州某投资有限公司")
    story["released"] = released["id"]
    story["released_receipt"] = (released["result"]["receipt_no"], released["result"]["query_code"])
    while api.open_tasks(story["released"]):
        api.finish_stage(story["released"])
    # registered at the window, to be decided
    story["registered"] = receive(decision="register", applicant_name="扬州某商贸有限公司")["id"]
    # the scan flags the late one; the supervision post issues a notice
    runner = app.test_cli_runner()
    runner.invoke(args=["deadlines", "scan"])
    [late_task] = api.open_tasks(story["late"])
    api.post(
        "supervisor",
        f"/api/v1/case/{story['late']}/supervise",
        {"message": "该件已超过办理时限，请说明原因并尽快办结。", "task_id": late_task["id"]},
    )
    ask_for_extension(
        app, story["late"], "landuse_head", 3, "需补充实地踏勘，申请延长 3 个工作日。"
    )
    # petitions: one to accept, one assigned to 宝应县局, one answered to review
    api.post(
        "petition_staff",
        "/api/v1/petition/",
        {**PETITIONER, "content": "反映邗江区某村土地流转费用未按时发放，请求核查。"},
    )
    assigned = api.post(
        "petition_staff",
        "/api/v1/petition/",
        {
            **PETITIONER,
            "content": "本人承包的宝应县安宜镇3亩耕地被征收，至今未足额领取征地补偿款，请求核查。",
        },
    )
    due = (datetime.now() + timedelta(days=20)).date().isoformat()
    api.post("petition_staff", f"/api/v1/petition/{assigned['id']}/accept", {"decision": "accept"})
    api.post(
        "petition_staff",
        f"/api/v1/petition/{assigned['id']}/assign",
        {"unit": "baoying", "due": due, "instructions": "请核实补偿款发放情况并书面反馈。"},
    )
    story["petition"] = assigned["id"]
    answered = api.post(
        "petition_staff",
        "/api/v1/petition/",
        {
            **PETITIONER,
            "petitioner_name": "钱立群",
            "petitioner_phone": "13952345678",
            "petitioner_id_number": "321084197505052215",
            "content": "反映高邮市某地块拆迁安置房交付延迟。",
            "category": "拆迁安置",
        },
    )
    api.post("petition_staff", f"/api/v1/petition/{answered['id']}/accept", {"decision": "accept"})
    api.post(
        "petition_staff",
        f"/api/v1/petition/{answered['id']}/assign",
        {"unit": "gaoyou", "due": due},
    )
    api.post(
        "gaoyou_staff",
        f"/api/v1/petition/{answered['id']}/feedback",
        {"text": "经核查，安置房已于本月交付，已告知信访人。"},
    )
    return story


# ------------------------------------------------------------------ the pictures

# (file name, demo user or None for the public, path, then: None, an element to scroll
# to the top, or "click <selector>" to follow a link first)
SHOTS = (
    ("window", "window1", lambda s: "/window/receive?matter=GD-01", None),
    ("staff", "landuse_staff", lambda s: f"/cases/show/{s['joint']}", ".my-task"),
    ("head", "landuse_head", lambda s: "/tasks/division/list/", None),
    ("leader", "director", lambda s: "/", None),
    ("supervisor", "supervisor", lambda s: "/supervision/board/", None),
    ("petition-office", "petition_staff", lambda s: "/petitions/desk/", None),
    ("county", "baoying_staff", lambda s: f"/petitions/show/{s['petition']}", None),
    ("intermediary", "measure_staff", lambda s: f"/cases/show/{s['survey']}", ".my-task"),
    ("inspector", "inspector", lambda s: f"/cases/show/{s['sign']}", "click .audit-history-link"),
    ("admin", "admin", lambda s: "/workflowtemplateview/list/", None),
    (
        "public",
        None,
        lambda s: "/public/progress?receipt_no={}&code={}".format(*s["released_receipt"]),
        None,
    ),
)
NAVBAR = """() => [...document.querySelectorAll('.navbar-nav > li')].map(li => {
  const head = li.querySelector(':scope > a');
  const items = [...li.querySelectorAll('.dropdown-menu a')].map(a => a.innerText.trim());
  return {menu: head ? head.innerText.trim() : '', items: items.filter(Boolean)};
})"""


def sign_out(page, url):
    """Logout is a POST: ``GET /logout/`` shows the confirmation whose button signs out."""
    page.goto(f"{url}/logout/")
    button = page.locator("button.sunshine-logout-button")
    if button.count():
        with page.expect_navigation():
            button.click()


def sign_in(page, url, username):
    sign_out(page, url)
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{url}/")


def take_pictures(url, story, out, menus_file=None):
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    menus = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        page = context.new_page()
        for name, username, path, anchor in SHOTS:
            if username:
                sign_in(page, url, username)
                menus[username] = page.evaluate(NAVBAR)
            else:
                sign_out(page, url)
            page.goto(url + path(story))
            if anchor and anchor.startswith("click "):
                page.click(anchor.removeprefix("click "))
                page.wait_for_load_state()
            elif anchor and page.locator(anchor).count():
                page.locator(anchor).first.evaluate(
                    "el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 70)"
                )
            target = out / f"{name}.png"
            page.screenshot(path=str(target))
            print(f"{target.relative_to(ROOT)}  {target.stat().st_size // 1024} KB  ({username})")
        browser.close()
    if menus_file:
        Path(menus_file).write_text(json.dumps(menus, ensure_ascii=False, indent=1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots" / "guide"))
    parser.add_argument("--menus", help="also write every user's navbar to this JSON file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sunshine-guide-") as tmp:
        app = build_console(Path(tmp))
        story = act_out_a_day(app)
        with served(app) as url:
            take_pictures(url, story, Path(args.out).resolve(), args.menus)


if __name__ == "__main__":
    main()
