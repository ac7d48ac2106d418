"""Every string the inbox marks for translation (templates, Python, the live script's texts) has a
Dutch translation that is not fuzzy, and the committed .mo says the same as the .po."""

import ast
import gettext
import io
import re
import tokenize
from pathlib import Path

from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
# The inbox, and the cards other apps add to it (update_groups, documents: the context panel);
# the privacy pages of the admin; the managers' dashboard and its e-mail (insights).
APPS = [
    ROOT / "webcare_inbox",
    ROOT / "update_groups",
    ROOT / "documents",
    ROOT / "privacy",
    ROOT / "contact_reasons",
    ROOT / "insights",
]
PO = ROOT / "locale/nl/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")
CALLS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "pgettext",
    "pgettext_lazy",
    "ngettext",
    "ngettext_lazy",
}
SKIP = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}


def msgids(source: str) -> list[str]:
    """The first string argument of each gettext call (adjacent literals joined)."""
    tokens = [
        t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type not in SKIP
    ]
    found = []
    for n, token in enumerate(tokens[:-2]):
        called = (
            token.type == tokenize.NAME and token.string in CALLS and tokens[n + 1].string == "("
        )
        if not called or (n and tokens[n - 1].string in ("def", ".")):
            continue
        parts, k = [], n + 2
        while tokens[k].type == tokenize.STRING:
            parts.append(ast.literal_eval(tokens[k].string))
            k += 1
        if parts:
            found.append("".join(parts))
    return found


def inbox_msgids() -> dict[str, str]:
    """msgid → the file that uses it."""
    found = {}
    for path in sorted(p for app in APPS for p in app.rglob("*.html")):
        for msgid in msgids(templatize(path.read_text(), origin=str(path))):
            found.setdefault(msgid, str(path.relative_to(ROOT)))
    for path in sorted(p for app in APPS for p in app.rglob("*.py")):
        if "migrations" not in path.parts:
            for msgid in msgids(path.read_text()):
                found.setdefault(msgid, str(path.relative_to(ROOT)))
    return found


def po_translations() -> dict[str, str]:
    """Translated, non-fuzzy entries of the Dutch .po."""
    entries = {}
    for block in PO.read_text().split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if not match or "#, fuzzy" in block:
            continue
        msgid, msgstr = (_unquote(part) for part in match.groups())
        if msgid and msgstr:
            entries[msgid] = msgstr
    return entries


def _unquote(lines: str) -> str:
    text = "".join(re.findall(r'"(.*)"', lines))
    return text.encode().decode("unicode_escape").encode("latin-1").decode()


def test_the_finder_sees_template_and_python_strings():
    template = (
        '{% load i18n %}<b>{% translate "Send" %}</b>{% '
        "blocktranslate with n=x %}until {{ n }}{% endblocktranslate %}"
    )
    assert msgids(templatize(template, origin="x.html")) == ["Send", "until %(n)s"]
    assert msgids('x = _("Pick a template.")\ny = gettext_lazy("A " "B")\nz = obj._("no")') == [
        "Pick a template.",
        "A B",
    ]
    assert len(inbox_msgids()) > 150  # the inbox's strings were found at all


def test_every_inbox_string_has_a_dutch_translation():
    translated = po_translations()
    missing = {msgid: where for msgid, where in inbox_msgids().items() if msgid not in translated}
    assert not missing, "untranslated (or fuzzy) in locale/nl/LC_MESSAGES/django.po:\n" + "\n".join(
        f"  {where}: {msgid!r}" for msgid, where in sorted(missing.items(), key=lambda kv: kv[1])
    )


def test_the_compiled_catalogue_is_current():
    catalogue = gettext.GNUTranslations(MO.open("rb"))
    translated = po_translations()
    stale = [msgid for msgid in inbox_msgids() if catalogue.gettext(msgid) != translated.get(msgid)]
    assert not stale, f"the .mo is behind the .po (run `make messages`): {stale}"
