"""The search box's query language, parsed into plain data so that user
text never reaches a search engine's own query parser (Elasticsearch's
query_string would let `field:*` or a stray bracket through).

    稻花香 白酒                 both words (AND is the default)
    "假冒注册商标"              a phrase
    商标 OR 专利                either
    -警告  NOT 警告             not this
    number:宜市监知立〔2026〕12号  code:91350100M000100Y43  party:某公司  title:…  facts:…
    file:鉴定意见                a file's name or its text (PDF, DOCX)

Unbalanced quotes are closed at the end and control characters dropped
(a sanitised query); an unknown prefix or an over-long query is an error
the API reports as 400.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_LENGTH = 500
MAX_TERMS = 32
# prefix -> the document field it searches; number and code match exactly.
FIELDS = {
    "number": "number",
    "code": "credit_codes",
    "party": "party_names",
    "title": "title",
    "facts": "facts",
    "file": "files",
}
EXACT_FIELDS = frozenset({"number", "credit_codes"})
# A prefix standing for several document fields: file: is a file's name or
# the text read from it.
FIELD_GROUPS = {"files": ("file_names", "file_text")}


class QuerySyntaxError(ValueError):
    """A query that cannot be searched: `code` names the problem."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code, detail)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    field: str | None = None  # a document field, or None for "anywhere"
    negated: bool = False


@dataclass
class ParsedQuery:
    """AND of OR-groups; negated terms are kept apart."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    sanitised: bool = False  # the input was repaired (quotes, control characters)

    @property
    def empty(self) -> bool:
        return not self.groups and not self.excluded

    def terms(self) -> list[Term]:
        return [t for g in self.groups for t in g] + self.excluded


_TOKEN = re.compile(r'(-?)(?:([A-Za-z_]+):)?(?:"([^"]*)"|(\S+))')


def _clean(raw: str) -> tuple[str, bool]:
    cleaned = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} and ch not in "\t\n" else ch for ch in raw
    )
    cleaned = cleaned.replace("\t", " ").replace("\n", " ")
    # Full-width quotes and colon typed by Chinese input methods mean the same.
    cleaned = cleaned.replace("“", '"').replace("”", '"').replace("＂", '"')
    repaired = cleaned != raw
    if cleaned.count('"') % 2:
        cleaned += '"'
        repaired = True
    return cleaned.strip(), repaired


def parse(raw: str) -> ParsedQuery:
    if raw is None:
        return ParsedQuery()
    if len(raw) > MAX_LENGTH:
        raise QuerySyntaxError("too_long", str(MAX_LENGTH))
    text, repaired = _clean(raw)
    query = ParsedQuery(sanitised=repaired)
    pending_or = False
    negate_next = False
    count = 0
    for match in _TOKEN.finditer(text):
        minus, prefix, quoted, bare = match.groups()
        if bare is not None and not prefix and bare in {"OR", "|"}:
            pending_or = bool(query.groups)
            continue
        if bare is not None and not prefix and bare in {"AND", "&"}:
            continue
        if bare is not None and not prefix and bare == "NOT":
            negate_next = True
            continue
        value = quoted if quoted is not None else bare
        value = value.strip()
        if prefix:
            key = prefix.lower()
            if key not in FIELDS:
                raise QuerySyntaxError("unknown_field", prefix)
            target = FIELDS[key]
        else:
            target = None
        if not value:
            continue
        count += 1
        if count > MAX_TERMS:
            raise QuerySyntaxError("too_many_terms", str(MAX_TERMS))
        term = Term(text=value, phrase=quoted is not None, field=target, negated=bool(minus) or negate_next)
        negate_next = False
        if term.negated:
            query.excluded.append(term)
            pending_or = False
        elif pending_or and query.groups:
            query.groups[-1].append(term)
            pending_or = False
        else:
            query.groups.append([term])
    return query
