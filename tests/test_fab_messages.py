"""FAB's own strings read in Chinese: its zh catalog, completed by ours (app/fab_messages.py)."""

import subprocess
import sys
from pathlib import Path

import flask_appbuilder
import pytest
from babel.messages.pofile import read_po

from app.fab_messages import FAB_MESSAGES

FAB_DIR = Path(flask_appbuilder.__file__).resolve().parent
FAB_ZH = FAB_DIR / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
OUR_ZH = Path(__file__).resolve().parent.parent / "translations/zh/LC_MESSAGES/messages.po"
# FAB strings of features this console does not use (OpenID, OAuth, its password rule).
UNUSED = {
    "OpenID",
    "Enter your OpenID Username",
    "Sign In with ",
    "Must have at least two capital letters, one special character, two digits, three lower "
    "case letters and a minimal length of 10.",
}


def msgid(lazy):
    return lazy._args[0]


def translated(po_path):
    return {m.id for m in read_po(po_path.open("rb")) if m.id and m.string and not m.fuzzy}


@pytest.mark.parametrize("message", FAB_MESSAGES, ids=msgid)
def test_each_fab_message_reads_in_chinese(app, message):
    with app.test_request_context("/?_l_=zh"):
        assert str(message) != msgid(message)


def test_the_list_holds_only_what_fabs_catalog_lacks():
    assert {msgid(m) for m in FAB_MESSAGES} & translated(FAB_ZH) == set()


def test_every_fab_string_has_chinese(tmp_path):
    """Extracts FAB's sources as pybabel does ours: a FAB upgrade adding strings fails here."""
    config = tmp_path / "babel.cfg"
    config.write_text("[python: **.py]\n[jinja2: **/templates/**.html]\n")
    pot = tmp_path / "fab.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(config)]
        + ["-k", "lazy_gettext", "-k", "_", "-k", "gettext", "-k", "__", "-o", str(pot)]
        + [str(FAB_DIR)],
        cwd=tmp_path,  # not FAB's folder: its own ``babel`` package would shadow Babel
        check=True,
        capture_output=True,
    )
    in_fab = {m.id for m in read_po(pot.open("rb")) if m.id and isinstance(m.id, str)}
    assert "List Users" in in_fab  # the extraction really read FAB
    missing = in_fab - translated(FAB_ZH) - translated(OUR_ZH) - UNUSED
    assert missing == set(), "add them to app/fab_messages.py and translate"
