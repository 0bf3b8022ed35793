"""The database backend: good enough for a single office and for `make run`,
with nothing to start. Chinese text is cut into words by jieba; visibility
comes from the access module, so it is exact by construction.

Relevance is not scored: hits come newest first.
"""

from __future__ import annotations

import html
import logging

import jieba
from django.db.models import Count, Q

from casehub import access
from casehub.models import Case

from ..models import FileText, SearchEntry
from ..query_syntax import ParsedQuery, Term

jieba.setLogLevel(logging.WARNING)
FACETS = {"status": "status", "ip_type": "ip_type", "kind": "kind", "agency": "owning_agency_id",
          "region": "region_id", "year": "lead_received_on__year"}
HIGHLIGHT_FIELDS = ("title", "facts")  # and file_text, read apart


def words(text: str) -> list[str]:
    return [w.strip().lower() for w in jieba.cut_for_search(text) if w.strip()]


def _tokens(doc: dict) -> str:
    text = " ".join([doc["title"], doc["facts"], doc["decision"], *doc["party_names"], *doc["notes"],
                     *doc["file_names"], *doc["file_text"], doc["number"]])
    return f" {' '.join(words(text))} "


def _snippet(text: str, needle: str) -> str | None:
    """The needle in <em> with 30 characters either side, escaped."""
    at = text.lower().find(needle.lower())
    if at < 0:
        return None
    start, end = max(0, at - 30), min(len(text), at + len(needle) + 30)
    return (html.escape(text[start:at]) + "<em>" + html.escape(text[at:at + len(needle)]) + "</em>"
            + html.escape(text[at + len(needle):end]))


class DatabaseBackend:
    live = True  # visibility is read from the database at search time

    def ensure_index(self) -> None:
        pass

    def refresh(self) -> None:
        pass

    def index(self, documents: dict[int, dict | None], **kwargs) -> set[int]:
        for case_id, doc in documents.items():
            if doc is None:
                SearchEntry.objects.filter(pk=case_id).delete()
                continue
            fields = {"version": doc["version"], "tokens": _tokens(doc),
                      "codes": f" {' '.join([doc['number'], *doc['credit_codes']])} "}
            # An older document never overwrites a newer one.
            if not SearchEntry.objects.filter(pk=case_id, version__lt=doc["version"]).update(**fields):
                SearchEntry.objects.get_or_create(pk=case_id, defaults=fields)
        return set()

    def versions(self) -> dict[int, int]:
        return dict(SearchEntry.objects.values_list("case_id", "version"))

    def _term(self, term: Term) -> Q:
        text = term.text
        if term.field in ("number", "credit_codes"):
            return Q(searchentry_codes__contains=f" {text.upper() if term.field == 'credit_codes' else text} ")
        if term.field in ("title", "facts"):
            return Q(**{f"{term.field}__icontains": text})
        if term.field == "party_names":
            return Q(parties__name__icontains=text) & ~Q(parties__role="informant")
        if term.field == "files":  # a file's name or the text read from it
            return Q(files__name__icontains=text) | Q(
                pk__in=FileText.objects.filter(text__icontains=text).values("file__case_id"))
        if len(text) == 1:  # one character: anywhere inside the words
            return Q(searchentry_tokens__contains=text.lower())
        pieces = words(text) if not term.phrase else [" ".join(words(text))]
        by_words = Q()
        for piece in pieces:
            by_words &= Q(searchentry_tokens__contains=f" {piece} ")
        return by_words | Q(title__icontains=text) | Q(searchentry_codes__contains=f" {text} ")

    def search(self, query: ParsedQuery, *, agencies: list[int], filters: dict | None = None,
               sort: str = "relevance", offset: int = 0, size: int = 20, exclude: frozenset[int] = frozenset()) -> dict:
        # `exclude` is for an index that lags; here visibility is read live.
        from django.db.models import OuterRef, Subquery

        filters = filters or {}
        entries = SearchEntry.objects.filter(case_id=OuterRef("pk"))
        cases = access.cases_visible_to_agencies(agencies).annotate(
            searchentry_tokens=Subquery(entries.values("tokens")[:1]),
            searchentry_codes=Subquery(entries.values("codes")[:1]),
        ).filter(pk__in=SearchEntry.objects.values("case_id"))
        for group in query.groups:
            either = Q()
            for term in group:
                either |= self._term(term)
            cases = cases.filter(either)
        for term in query.excluded:
            cases = cases.exclude(self._term(term))
        for name in ("status", "ip_type", "kind", "campaign"):
            if filters.get(name):
                cases = cases.filter(**{f"{name}__in": list(filters[name])})
        if filters.get("agency"):
            cases = cases.filter(owning_agency_id__in=list(filters["agency"]))
        if filters.get("region"):
            from agencies.models import Region

            region = Region.objects.filter(code=filters["region"]).first()
            cases = cases.filter(region_id__in=region.descendant_codes() if region else [])
        if filters.get("year"):
            cases = cases.filter(lead_received_on__year__in=list(filters["year"]))
        ids = cases.values("pk").distinct()
        base = Case.objects.filter(pk__in=ids)
        total = base.count()
        page = list(base.select_related("owning_agency").order_by("-updated_at", "-id")[offset:offset + size])
        facets = {name: [{"key": row[field], "count": row["n"]}
                         for row in base.values(field).annotate(n=Count("id")).order_by("-n")]
                  for name, field in FACETS.items()}
        needles = [t.text for g in query.groups for t in g if t.field not in ("number", "credit_codes")]
        file_texts: dict[int, list[str]] = {}
        if needles and page:  # one query for the page, only when there is something to highlight
            for case_id, text in (FileText.objects.filter(file__case_id__in=[c.pk for c in page])
                                  .exclude(text="").order_by("file_id").values_list("file__case_id", "text")):
                file_texts.setdefault(case_id, []).append(text)
        return {"total": total, "facets": facets,
                "hits": [self._hit(case, needles, file_texts.get(case.pk, [])) for case in page]}

    @staticmethod
    def _hit(case: Case, needles: list[str], file_texts: list[str]) -> dict:
        highlights = {}
        fields = [(field, [getattr(case, field) or ""]) for field in HIGHLIGHT_FIELDS] + [("file_text", file_texts)]
        for field, texts in fields:
            snippet = next(filter(None, (_snippet(text, needle) for needle in needles for text in texts)), None)
            if snippet:
                highlights[field] = [snippet]
        return {"id": case.pk, "number": case.number, "title": case.title, "status": case.status,
                "ip_type": case.ip_type, "kind": case.kind, "agency": case.owning_agency_id,
                "agency_name": case.owning_agency.name, "region": case.region_id,
                "lead_received_on": case.lead_received_on.isoformat(), "updated_at": case.updated_at.isoformat(),
                "campaign": case.campaign or None, "score": None, "highlights": highlights}
