"""Simplified Chinese by default, English complete, catalogs up to date with the code."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.i18n_tools import incomplete_entries

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted(ROOT.glob("translations/*/LC_MESSAGES/messages.po"))


def page(client, path):
    return client.get(path).get_data(as_text=True)


def test_chinese_is_the_default(client, auth):
    auth.login("landuse_staff")
    html = page(client, "/directory/list/")
    assert "通讯录" in html
    assert "Bureau directory" not in html


def test_english_on_request(client, auth):
    auth.login("landuse_staff")
    html = page(client, "/directory/list/?_l_=en")
    assert "Bureau directory" in html
    assert "通讯录" not in html


def test_language_switch_is_remembered_in_the_session(client, auth):
    auth.login("landuse_staff")
    assert client.get("/lang/en").status_code == 302
    assert "Welcome, " in page(client, "/")
    client.get("/lang/zh")
    assert "欢迎您" in page(client, "/")


@pytest.mark.parametrize("locale", ["xx", "../../etc", "zh_TW<script>"])
def test_unknown_locale_falls_back_to_chinese(client, auth, locale):
    auth.login("landuse_staff")
    response = client.get("/directory/list/", query_string={"_l_": locale})
    assert response.status_code == 200
    assert "通讯录" in response.get_data(as_text=True)


def test_unknown_locale_switch_is_refused(client, auth):
    auth.login("landuse_staff")
    assert client.get("/lang/xx").status_code == 404


def test_navbar_offers_the_other_language(client, auth):
    auth.login("landuse_staff")
    assert "/lang/en" in page(client, "/")
    client.get("/lang/en")
    assert "/lang/zh" in page(client, "/")


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_catalog_has_no_untranslated_or_fuzzy_entries(po_path):
    assert incomplete_entries(po_path) == []


def test_both_languages_have_a_catalog():
    assert {p.parent.parent.name for p in CATALOGS} == {"zh", "en"}


def test_incomplete_entries_finds_missing_and_fuzzy(tmp_path):
    po = tmp_path / "messages.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Done"\nmsgstr "完成"\n\n'
        'msgid "Missing"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "猜"\n',
        encoding="utf-8",
    )
    assert incomplete_entries(po) == ["Missing", "Guess"]


def test_catalogs_cover_every_string_in_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "lazy_gettext",
            "-k",
            "_l",
            "-k",
            "gettext",
            "-k",
            "_",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    in_code = {m.id for m in read_po(pot.open("rb")) if m.id}
    assert "Bureau directory" in in_code  # the extraction really read our code
    for po_path in CATALOGS:
        in_catalog = {m.id for m in read_po(po_path.open("rb")) if m.id}
        assert in_code - in_catalog == set(), f"run `make translations` ({po_path})"
