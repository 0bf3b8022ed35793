"""What an uploaded file is, judged by its bytes, and whether its name is
safe to keep.

Types come from the content (magic numbers), never from the name: a file
whose name says .pdf but whose bytes are a Windows executable is refused.
Only the types an enforcement file needs are accepted.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile

# type -> (extensions it may carry, content type to serve it with)
ACCEPTED = {
    "pdf": ({"pdf"}, "application/pdf"),
    "png": ({"png"}, "image/png"),
    "jpeg": ({"jpg", "jpeg"}, "image/jpeg"),
    "gif": ({"gif"}, "image/gif"),
    "tiff": ({"tif", "tiff"}, "image/tiff"),
    "docx": ({"docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ({"xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ole": ({"doc", "xls"}, "application/octet-stream"),  # legacy Office (compound file)
    "text": ({"txt", "csv"}, "text/plain; charset=utf-8"),
    "mp4": ({"mp4"}, "video/mp4"),
}

EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce", b"\xca\xfe\xba\xbe")


def sniff(head: bytes, whole=None) -> str | None:
    """The accepted type of content starting with `head` (the first few KB),
    or None. `whole` (a seekable file) lets ZIP containers be opened."""
    if head.startswith(EXECUTABLE_SIGNATURES):
        return None
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"PK\x03\x04") and whole is not None:
        return _office_zip(whole)
    if _is_text(head):
        return "text"
    return None


def _office_zip(whole) -> str | None:
    try:
        whole.seek(0)
        names = set(zipfile.ZipFile(whole).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        whole.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def name_problem(name: str) -> str | None:
    """Why a file name cannot be kept, or None. Names that try to climb out
    of a folder are refused outright, not silently rewritten."""
    if not name or name.strip() in {"", ".", ".."}:
        return "empty"
    if "/" in name or "\\" in name or ".." in name.split("."):
        return "path"
    if ".." in name:
        return "path"
    if _UNSAFE.search(name):
        return "characters"
    if len(name) > 200:
        return "length"
    return None


def clean_name(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip()


def content_type_of(kind: str) -> str:
    return ACCEPTED[kind][1]


def type_problem(kind: str | None, name: str) -> str | None:
    if kind is None:
        return "type"
    if extension(name) not in ACCEPTED[kind][0]:
        return "mismatch"
    return None


def head_of(fileobj, size: int = 8192) -> bytes:
    fileobj.seek(0)
    head = fileobj.read(size)
    fileobj.seek(0)
    return head


