"""The README's curl example of the API works as written, against a served console."""

import re
import shutil
import subprocess
from pathlib import Path

from app.extensions import db
from app.models.cases import Case

README = Path(__file__).resolve().parent.parent / "README.md"


def receipt_example():
    """The shell block of the README that posts a receipt to /api/v1/case/."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    [block] = [b for b in blocks if "/case/" in b and "security/login" in b]
    return block


def test_the_readme_curl_example_receives_a_case(live_console):
    script = receipt_example().replace("localhost:8080", live_console.url.removeprefix("http://"))
    result = subprocess.run(
        [shutil.which("bash"), "-euo", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert '"status":"in_progress"' in result.stdout, result.stdout
    with live_console.app.app_context():
        case = db.session.query(Case).one()
        assert case.matter.code == "GD-01"
        assert all(material.received for material in case.materials)
