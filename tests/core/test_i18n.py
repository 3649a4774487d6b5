"""English through Django i18n: the pages switch language, and the committed catalog covers
every string marked for translation in a template or a Python module (``makemessages`` was
run), is complete (no empty or fuzzy entry) and compiled (the .mo says what the .po says)."""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

from yanzhen.core.management.commands.makemessages import LABEL_KEYWORDS
from yanzhen.core.models import DataScope, Role, UnitKind
from yanzhen.core.services import unit_create, user_create

SOURCE = Path(settings.BASE_DIR)  # src/yanzhen, where makemessages runs (docs/i18n.md)
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


# The strings marked for translation, found as makemessages finds them (without GNU gettext):
# templates through Django's own ``templatize``, Python modules by the keywords makemessages
# gives xgettext (with the menu's labels, ``LABEL_KEYWORDS``), and also inside an f-string,
# where xgettext does not look: a string marked there is missed by makemessages and fails
# here. A message is its (context, msgid).

Message = tuple[str | None, str]
# keyword -> (index of the context argument or None, index of the msgid argument)
KEYWORDS: dict[str, tuple[int | None, int]] = {
    "_": (None, 0), "gettext": (None, 0), "gettext_lazy": (None, 0), "gettext_noop": (None, 0),
    "ngettext": (None, 0), "ngettext_lazy": (None, 0), "pgettext": (0, 1),
    "pgettext_lazy": (0, 1), "npgettext": (0, 1), "npgettext_lazy": (0, 1),
    **{name: (None, index) for name, index in LABEL_KEYWORDS.items()},
}  # fmt: skip
_LITERAL = r"u?'(?:\\.|[^'\\])*'"
_TEMPLATE_CALL = re.compile(
    rf"\b(gettext|ngettext|pgettext|npgettext)\(\s*({_LITERAL})(?:\s*,\s*({_LITERAL}))?"
)


def python_messages(source: str) -> set[Message]:
    found: set[Message] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name not in KEYWORDS:
            continue
        context_at, msgid_at = KEYWORDS[name]
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        msgid = args[msgid_at] if len(args) > msgid_at else None
        context = args[context_at] if context_at is not None and len(args) > context_at else None
        if isinstance(msgid, str) and msgid and (context_at is None or isinstance(context, str)):
            found.add((context if isinstance(context, str) else None, msgid))
    return found


def template_messages(source: str) -> set[Message]:
    found: set[Message] = set()
    for keyword, first, second in _TEMPLATE_CALL.findall(templatize(source)):
        first_text = ast.literal_eval(first)
        if keyword.startswith("p"):
            if second:
                found.add((first_text, ast.literal_eval(second)))
        elif first_text:
            found.add((None, first_text))
    return found


def source_messages() -> dict[Message, str]:
    """Every marked message of the package (as makemessages sees it: static/vendor left out),
    with the first file it is in."""
    found: dict[Message, str] = {}
    for path in sorted(SOURCE.rglob("*")):
        relative = path.relative_to(SOURCE).as_posix()
        if relative.startswith("static/vendor/") or not path.is_file():
            continue
        if path.suffix == ".py":
            messages_of = python_messages(path.read_text(encoding="utf-8"))
        elif path.suffix in (".html", ".txt"):
            messages_of = template_messages(path.read_text(encoding="utf-8"))
        else:
            continue
        for message in messages_of:
            found.setdefault(message, relative)
    return found


def test_the_finder_sees_template_and_python_messages() -> None:
    template = (
        '{% load i18n %}<h1>{% translate "分配结果" %}</h1>{% translate "月" context "日期" %}'
        "{% blocktranslate with n=p.name %}{{ n }}：导入{% endblocktranslate %}"
    )
    assert template_messages(template) == {
        (None, "分配结果"),
        ("日期", "月"),
        (None, "%(n)s：导入"),
    }
    python = (
        'x = _("已保存")\ny = gettext_lazy("名称" "重复")\nz = pgettext("日期", "月")\n'
        'w = fail("name", "不翻译")\nv = _(f"{x}")\nt = f"{x} · {_(\'设置\')}"\n'
        'e = Entry("reports:dashboard", "工作看板", None)\n'
    )
    assert python_messages(python) == {
        (None, "已保存"), (None, "名称重复"), ("日期", "月"), (None, "设置"), (None, "工作看板")
    }  # fmt: skip


def test_the_catalog_has_every_marked_message_of_the_templates_and_modules() -> None:
    catalog = {(e.fields.get("msgctxt"), e.msgid) for e in messages()}
    missing = {
        f"{where}: {msgid}"
        for (context, msgid), where in source_messages().items()
        if (context, msgid) not in catalog
    }
    assert missing == set(), "run makemessages and translate (see docs/i18n.md)"
