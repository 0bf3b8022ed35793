"""Simplified Chinese is the default language: every message in the source
catalogue must be translated, and the compiled catalogue must match it."""

import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _join(raw: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', raw)
    return "".join(parts).encode().decode("unicode_escape").encode("latin-1").decode()


def po_entries(text: str) -> list[tuple[str, str, bool, str | None]]:
    """(msgid, msgstr, fuzzy, msgctxt) of every translated entry."""
    entries = []
    for block in text.split("\n\n"):
        fuzzy = "#, fuzzy" in block
        context = re.search(r'^msgctxt ((?:".*"\n?)+)', block, re.M)
        ids = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        strs = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if ids and strs:
            entries.append((_join(ids.group(1)), _join(strs.group(1)), fuzzy, _join(context.group(1)) if context else None))
    return [e for e in entries if e[0]]


def test_every_message_is_translated():
    entries = po_entries(PO.read_text(encoding="utf-8"))
    assert entries, "the catalogue is empty"
    assert [msgid for msgid, msgstr, fuzzy, _ in entries if not msgstr or fuzzy] == []


def test_compiled_catalogue_is_current():
    compiled = gettext.GNUTranslations(PO.with_suffix(".mo").open("rb"))
    for msgid, msgstr, _, context in po_entries(PO.read_text(encoding="utf-8")):
        found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        assert found == msgstr, msgid
