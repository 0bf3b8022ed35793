"""Simplified Chinese is the default language: every message in the source
catalogue must be translated, and the compiled catalogue must match it."""

import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def po_entries(text: str) -> list[tuple[str, str, bool]]:
    entries = []
    for block in text.split("\n\n"):
        fuzzy = "#, fuzzy" in block
        ids = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        strs = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if ids and strs:
            join = lambda raw: "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', raw)).encode().decode("unicode_escape").encode("latin-1").decode()
            entries.append((join(ids.group(1)), join(strs.group(1)), fuzzy))
    return [e for e in entries if e[0]]


def test_every_message_is_translated():
    entries = po_entries(PO.read_text(encoding="utf-8"))
    assert entries, "the catalogue is empty"
    assert [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy] == []


def test_compiled_catalogue_is_current():
    compiled = gettext.GNUTranslations(PO.with_suffix(".mo").open("rb"))
    for msgid, msgstr, _ in po_entries(PO.read_text(encoding="utf-8")):
        assert compiled.gettext(msgid) == msgstr, msgid
