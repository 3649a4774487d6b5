"""English through Django i18n: the pages switch language, and the committed catalog is
complete (no empty or fuzzy entry) and compiled (the .mo says what the .po says)."""

from __future__ import annotations

import ast
import gettext
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from yanzhen.core.models import DataScope, Role, UnitKind
from yanzhen.core.services import unit_create, user_create

CATALOG = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = CATALOG / "django.po"
MO = CATALOG / "django.mo"


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """LocaleMiddleware activates the request's language for the thread; put it back."""
    yield
    translation.deactivate()


@pytest.fixture
def user_client(db: None) -> Client:
    unit = unit_create(actor=None, parent=None, name="测试县", kind=UnitKind.COUNTY)
    role = Role.objects.create(code="i18n", name="i18n", data_scope=DataScope.UNIT)
    user = user_create(username="i18n", password="x-Unused-Password-1", unit=unit, roles=[role])
    client = Client()
    client.force_login(user)
    return client


def test_the_dashboard_speaks_english_when_the_browser_asks(user_client: Client) -> None:
    response = user_client.get(reverse("reports:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert 'aria-current="page">Dashboard</a>' in html
    assert "<h2>Province–university cooperation dashboard</h2>" in html
    assert "<h3>Cooperation funnel</h3>" in html
    assert ">Log out</button>" in html
    assert "工作看板" not in html
    assert "合作漏斗" not in html


def test_the_dashboard_speaks_chinese_by_default(user_client: Client) -> None:
    url = reverse("reports:dashboard")
    for response in (user_client.get(url), user_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN")):
        html = response.content.decode()
        assert '<html lang="zh-hans">' in html
        assert 'aria-current="page">工作看板</a>' in html
        assert "<h3>合作漏斗</h3>" in html
        assert "Dashboard" not in html


def test_the_footer_switcher_turns_the_pages_english(user_client: Client) -> None:
    response = user_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    html = user_client.get(reverse("reports:dashboard")).content.decode()
    assert 'aria-current="page">Dashboard</a>' in html
    assert "<h3>Cooperation funnel</h3>" in html
    assert '<option value="en" selected>English</option>' in html


# The catalog, read with a few lines rather than a dependency.


@dataclass
class Entry:
    """One message of a .po file: its keywords (msgctxt, msgid, msgid_plural, msgstr,
    msgstr[N]) with their unescaped text, and its flags (fuzzy, python-format...)."""

    fields: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def msgstrs(self) -> dict[str, str]:
        return {k: v for k, v in self.fields.items() if k.startswith("msgstr")}


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, the header included, obsolete (``#~``) ones left out."""
    entries: list[Entry] = []
    keyword = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            continue
        starts_entry = line.startswith(("#", "msgctxt ", "msgid "))
        if starts_entry and (not entries or entries[-1].msgstrs):
            entries.append(Entry())
        entry = entries[-1]
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry.fields[keyword] += ast.literal_eval(line)
        else:
            keyword, _, text = line.partition(" ")
            entry.fields[keyword] = ast.literal_eval(text)
    return entries


def messages() -> list[Entry]:
    entries = read_po(PO)
    assert entries
    assert entries[0].msgid == ""  # the header
    return entries[1:]


def test_the_catalog_has_every_message_translated() -> None:
    entries = messages()
    assert len(entries) > 100
    untranslated = [e.msgid for e in entries if not all(e.msgstrs.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []
    assert "fuzzy" not in read_po(PO)[0].flags


def test_the_catalog_keeps_the_placeholders() -> None:
    for entry in messages():
        if "python-format" in entry.flags:
            for msgstr in entry.msgstrs.values():
                assert sorted(_placeholders(msgstr)) == sorted(_placeholders(entry.msgid))


def _placeholders(text: str) -> list[str]:
    return [part.split(")", 1)[0] for part in text.split("%(")[1:]]


def test_the_compiled_catalog_says_what_the_po_says() -> None:
    with MO.open("rb") as f:
        mo = gettext.GNUTranslations(f)
    stale = []
    for entry in messages():
        context = entry.fields.get("msgctxt")
        if "msgid_plural" in entry.fields:
            plural = entry.fields["msgid_plural"]
            got = {
                "msgstr[0]": (
                    mo.npgettext(context, entry.msgid, plural, 1)
                    if context is not None
                    else mo.ngettext(entry.msgid, plural, 1)
                ),
                "msgstr[1]": (
                    mo.npgettext(context, entry.msgid, plural, 2)
                    if context is not None
                    else mo.ngettext(entry.msgid, plural, 2)
                ),
            }
        elif context is not None:
            got = {"msgstr": mo.pgettext(context, entry.msgid)}
        else:
            got = {"msgstr": mo.gettext(entry.msgid)}
        if got != entry.msgstrs:
            stale.append(entry.msgid)
    assert stale == [], "django.mo is out of date: run compilemessages (see docs/i18n.md)"
