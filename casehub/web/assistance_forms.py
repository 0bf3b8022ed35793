"""The forms of assistance (协查) and joint handling (联合执法): asking an
agency, answering with files, declining with a reason, bringing an agency
onto a case. They check type and shape only; whether the act may be taken,
and with these values, is the service's decision (services/assistance.py,
services/participants.py), whose refusals go back to these fields."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from agencies.models import Agency

from ..models.participant import ParticipantRole
from ..services.transfers import city_of
from .action_forms import DateInput
from .case_evidence import ACCEPT

# At most this many files with one answer (each checked by the evidence rules).
MAX_ANSWER_FILES = 10


def agency_choices(*, exclude_id: int | None, home_region=None) -> list:
    """Every active agency but `exclude_id`, grouped by city (宜荆荆恩), the
    home city's group first: [(city name, [(id, name), ...]), ...]."""
    rows = Agency.objects.filter(active=True).exclude(pk=exclude_id).select_related(
        "region__parent__parent").order_by("code")
    home = city_of(home_region).code if home_region is not None else None
    groups: dict[str, tuple[str, list]] = {}
    for agency in rows:
        city = city_of(agency.region)
        groups.setdefault(city.code, (city.name, []))[1].append((agency.pk, agency.name))
    ordered = sorted(groups.items(), key=lambda item: (item[0] != home, item[0]))
    return [("", "—"), *[(name, members) for _code, (name, members) in ordered]]


class AskForm(forms.Form):
    to_agency = forms.TypedChoiceField(label=_("Agency asked"), coerce=int)
    subject = forms.CharField(label=_("subject"), max_length=200)
    details = forms.CharField(label=_("what to verify or investigate"), max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 6}))
    due_on = forms.DateField(label=_("answer due on"), widget=DateInput(format="%Y-%m-%d"))
    wide_fields = frozenset({"details"})

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("auto_id", "ask-%s")
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].choices = agency_choices(exclude_id=case.owning_agency_id,
                                                          home_region=case.owning_agency.region)
        self.fields["to_agency"].help_text = gettext("Any agency of the 宜荆荆恩 cities; the asked agency sees "
                                                     "this request and the case number, not the case.")
        tomorrow = timezone.localdate() + timedelta(days=1)
        self.fields["due_on"].widget.attrs["min"] = tomorrow.isoformat()
        if not self.is_bound:
            self.fields["to_agency"].widget.attrs["autofocus"] = True


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (the answer's `files`); none is fine."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(label=_("Files"), required=False, allow_empty_file=True, max_length=None)
    wide_fields = frozenset({"answer", "files"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "answer-%s")
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs.update(accept=ACCEPT, multiple=True)
        self.fields["files"].help_text = gettext(
            "Up to %(n)d files; they join the case's evidence. PDF, images, Word, Excel, text or MP4; at most "
            "%(mb)s MB each. The type is judged by the content."
        ) % {"n": MAX_ANSWER_FILES, "mb": settings.CASEHUB_MAX_UPLOAD_BYTES // 2**20}

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_ANSWER_FILES:
            raise forms.ValidationError(gettext("At most %(n)d files with one answer.") % {"n": MAX_ANSWER_FILES})
        return files


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    wide_fields = frozenset({"reason"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "decline-%s")
        super().__init__(*args, **kwargs)


class ParticipantForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int)
    role = forms.ChoiceField(label=_("role"), choices=[("", "—"), *ParticipantRole.choices])

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("auto_id", "participant-%s")
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices(exclude_id=case.owning_agency_id,
                                                       home_region=case.owning_agency.region)
