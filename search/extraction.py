"""The text of PDF and DOCX evidence, for the case's search document.

Plain functions over a seekable binary file, no database: the outbox worker
(search/file_text.py) feeds them what it read from storage. The work is
capped (pages, characters, seconds, a DOCX's unpacked size) because the
input is whatever was uploaded; a file that cannot be read — encrypted,
damaged, a scan with no text layer — yields a status and no text, never an
exception.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
import zipfile
from dataclasses import dataclass

log = logging.getLogger("casehub.search")
# pypdf warns about every repairable flaw of a PDF; the worker's log wants
# only what went wrong for casehub.
logging.getLogger("pypdf").setLevel(logging.ERROR)

KINDS = frozenset({"pdf", "docx"})  # EvidenceFile.kind values we can read
MAX_CHARS = 200_000  # kept per file
MAX_PAGES = 500  # read per PDF
MAX_SECONDS = 30.0  # per file, checked between pages and paragraphs
MAX_DOCX_UNPACKED = 256 * 2**20  # a DOCX is a ZIP: refuse what would inflate beyond this


@dataclass(frozen=True)
class Extracted:
    text: str
    status: str  # one of search.models.FileText.Status
    truncated: bool = False


# Characters that never help a search and may break storage or highlighting:
# controls (NUL: PostgreSQL refuses it), invisible format characters, lone
# surrogates (unencodable in UTF-8) and private-use glyphs (unmapped fonts).
_DROP = frozenset({"Cc", "Cf", "Cs", "Co"})
_SPACES = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\s*\n\s*")
_HAN = r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
# PDF layout puts spaces and line breaks between Chinese characters (each
# wrapped line ends in one); in Chinese text they are not word breaks, and
# they would split the words the analyzers and jieba look for (三千\n件). A
# blank line is a paragraph and stays.
_HAN_GAP = re.compile(rf"(?<={_HAN}) ?\n? ?(?={_HAN})")


def clean(text: str) -> str:
    """Normalised text: NFKC (PDF fonts often map to Kangxi radicals or
    compatibility ideographs, which look the same but match nothing), control
    and invisible characters gone, whitespace collapsed to single spaces and
    line breaks."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(" " if ch in "\t\r\x0b\x0c" else ch for ch in text
                   if ch in "\t\n\r\x0b\x0c" or unicodedata.category(ch) not in _DROP)
    text = _SPACES.sub(" ", text)
    text = _HAN_GAP.sub("", text)
    text = _NEWLINES.sub("\n", text)
    return text.strip()


class _Collector:
    """Gathers cleaned pieces until the character cap or the time budget."""

    def __init__(self):
        self.pieces: list[str] = []
        self.size = 0
        self.truncated = False
        self.deadline = time.monotonic() + MAX_SECONDS

    def add(self, raw: str) -> bool:
        """Keep a piece; False once no more is wanted."""
        if len(raw) > 2 * MAX_CHARS:  # a hostile page: do not clean megabytes to keep a few
            raw, self.truncated = raw[:2 * MAX_CHARS], True
        piece = clean(raw)
        if piece:
            room = MAX_CHARS - self.size
            if len(piece) >= room:
                piece, self.truncated = piece[:room], True
            self.pieces.append(piece)
            self.size += len(piece) + 1
        if self.size >= MAX_CHARS or time.monotonic() > self.deadline:
            self.truncated = True
            return False
        return True

    def result(self, *, more: bool = False) -> Extracted:
        text = "\n".join(self.pieces)[:MAX_CHARS]
        return Extracted(text, "ok" if text else "empty", self.truncated or more)


def extract(kind: str, fileobj) -> Extracted:
    """The text of a file of this kind (one of KINDS). Never raises for what
    is in the file."""
    reader = {"pdf": _pdf, "docx": _docx}[kind]
    try:
        return reader(fileobj)
    except Exception as error:  # noqa: BLE001 — damaged or hostile input: no text, and the worker goes on
        log.info("evidence text: unreadable %s (%s: %s)", kind, type(error).__name__, str(error)[:200])
        return Extracted("", "unreadable")


def _pdf(fileobj) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    reader = PdfReader(fileobj)
    if reader.is_encrypted:
        # Many official PDFs carry only an owner password (no printing, no
        # copying): they open with an empty user password.
        try:
            opened = reader.decrypt("")
        except (DependencyError, FileNotDecryptedError, NotImplementedError):
            opened = 0
        if not opened:
            log.info("evidence text: encrypted PDF, no text")
            return Extracted("", "encrypted")
    collector = _Collector()
    pages = reader.pages
    count = len(pages)
    damaged = 0
    for number in range(min(count, MAX_PAGES)):
        try:
            text = pages[number].extract_text() or ""
        except Exception as error:  # noqa: BLE001 — one damaged page does not cost the others
            damaged += 1
            log.info("evidence text: PDF page %d unreadable (%s)", number + 1, type(error).__name__)
            continue
        if not collector.add(text):
            break
    result = collector.result(more=count > MAX_PAGES)
    return Extracted("", "unreadable") if damaged and not result.text else result


def _docx(fileobj) -> Extracted:
    import docx

    with zipfile.ZipFile(fileobj) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    fileobj.seek(0)
    if unpacked > MAX_DOCX_UNPACKED:
        log.info("evidence text: DOCX would unpack to %d bytes, not read", unpacked)
        return Extracted("", "unreadable")
    body = docx.Document(fileobj).element.body
    collector = _Collector()
    # Every paragraph of the body in order: in tables (each merged cell once),
    # nested tables and text boxes too.
    for paragraph in body.iter(_W_P):
        if any(a.tag == _MC_FALLBACK for a in paragraph.iterancestors()):
            continue  # the legacy copy of a text box shown above it
        if not collector.add(_paragraph_text(paragraph)):
            break
    return collector.result()


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_P, _W_T, _BREAKS = f"{_W}p", f"{_W}t", (f"{_W}tab", f"{_W}br", f"{_W}cr")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _paragraph_text(paragraph) -> str:
    # w:t under the paragraph wherever it sits (runs, hyperlinks, fields,
    # tracked insertions; deletions are w:delText and stay out), except inside
    # a text box's own paragraphs, which are read on their own.
    parts = []
    for node in paragraph.iter(_W_T, *_BREAKS):
        owner = node.getparent()
        while owner is not None and owner.tag != _W_P:
            owner = owner.getparent()
        if owner is paragraph:
            parts.append(node.text or "" if node.tag == _W_T else " ")
    return "".join(parts)
