"""Public pages: one per record, and an Atom feed of what was published or
corrected. No login; rate limited like the API."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from casehub.rules.workflow import PenaltyType

from . import services
from .models import DisclosureChange
from .throttling import throttled


def _penalty_labels(snapshot: dict) -> str:
    return "、".join(str(PenaltyType(p).label) for p in snapshot["penalties"] if p in PenaltyType.values)


@throttled
def record_page(request, pk: int):
    record = services.public_records().select_related("agency").filter(pk=pk).first()
    if record is None:
        raise Http404
    snap = services.snapshot(record)
    return render(request, "disclosure/record.html", {"r": snap, "penalties": _penalty_labels(snap)})


class DisclosureFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Administrative penalty disclosures")

    def link(self):
        return reverse("public-disclosures-feed")

    def subtitle(self):
        return _("IP administrative penalties published by the agencies of 宜荆荆恩")

    def items(self):
        # What was published or corrected lately, while still public.
        public = services.public_records().values("pk")
        return (DisclosureChange.objects.filter(kind__in=["published", "corrected"], record_id__in=public)
                .order_by("-id")[:50])

    def item_title(self, change):
        s = change.snapshot
        label = _("Correction") + "：" if change.kind == "corrected" else ""
        return f"{label}{s['agency']} {s['decision_number']} {s['party_name']}"

    def item_description(self, change):
        s = change.snapshot
        parts = [s["violation_type"], _penalty_labels(s)]
        if s.get("fine_amount"):
            parts.append(_("fine ¥%(amount)s") % {"amount": s["fine_amount"]})
        if s.get("correction_note"):
            parts.append(s["correction_note"])
        return "；".join(p for p in parts if p)

    def item_link(self, change):
        return reverse("public-disclosure-page", args=[change.record_id]) + f"#r{change.snapshot.get('revision', 1)}"

    def item_guid(self, change):
        return f"casehub-disclosure-change-{change.pk}"

    def item_pubdate(self, change):
        return change.at


feed = throttled(DisclosureFeed())
