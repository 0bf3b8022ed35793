"""/manage/calendar/ — 工作日历 (platform administrators; anyone else a 404):
a year as the deadlines count it, month by month (weekends, holidays,
调休 working days, what the administrators entered), and the acts of
casehub/services/calendar_admin.py: add holidays or make-up working days
(one day or a range), remove entries, mark the year loaded. Each act
recomputes the stored deadlines it moves."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..models import CalendarDay, CalendarYear
from ..rules.refusal import Refused
from ..services import calendar_admin
from . import rendering
from .manage import crumbs, require_platform_admin
from .refusals import to_form

TEMPLATE = "casehub/manage/calendar.html"
WEEKDAYS = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
DATE = forms.DateInput(attrs={"type": "date"})


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=calendar_admin.FIRST_YEAR,
                              max_value=calendar_admin.LAST_YEAR)


class DaysForm(forms.Form):
    first = forms.DateField(label=_("First day"), widget=DATE)
    last = forms.DateField(label=_("Last day"), widget=DATE, required=False,
                           help_text=_("Leave empty for one day."))
    note = forms.CharField(label=_("Note"), required=False, max_length=CalendarDay._meta.get_field("note").max_length,
                           help_text=_("e.g. 春节 or 春节调休."))


class RemoveForm(forms.Form):
    first = forms.DateField(label=_("First day"), widget=DATE)
    last = forms.DateField(label=_("Last day"), widget=DATE, required=False, help_text=_("Leave empty for one day."))


class LoadedForm(forms.Form):
    source = forms.CharField(label=_("Source"), required=False,
                             max_length=CalendarYear._meta.get_field("source").max_length,
                             help_text=_("e.g. 国务院办公厅关于2027年部分节假日安排的通知."))


FORMS = {"holidays": DaysForm, "workdays": DaysForm, "remove": RemoveForm, "loaded": LoadedForm}


def _year_of(request) -> tuple[int, YearForm]:
    today = timezone.localdate().year
    form = YearForm(request.GET or {"year": today})
    return (form.cleaned_data["year"] if form.is_valid() else today), form


def _page(request, year: int, *, year_form=None, bound=None, status=200):
    view = calendar_admin.year_view(year)
    shown = {name: (bound[1] if bound and bound[0] == name else cls(prefix=name,
                    initial={"source": view.loaded.source} if name == "loaded" and view.loaded else None))
             for name, cls in FORMS.items()}
    response = rendering.page(request, TEMPLATE, {
        "view": view, "year_form": year_form or YearForm(initial={"year": year}), "forms": shown,
        "weekdays": WEEKDAYS, "open": bound[0] if bound else "",
        "previous_year": year - 1 if year > calendar_admin.FIRST_YEAR else None,
        "next_year": year + 1 if year < calendar_admin.LAST_YEAR else None,
        "crumbs": crumbs((_("Working calendar"), "")),
    }, status=status)
    add_never_cache_headers(response)
    return response


@login_required
def calendar_page(request):
    require_platform_admin(request)
    year, form = _year_of(request)
    return _page(request, year, year_form=form, status=200)


def _back(year: int):
    return redirect(f"{reverse('web:calendar')}?{urlencode({'year': year})}")


@require_POST
@login_required
def calendar_act(request, year: int, act: str):
    require_platform_admin(request)
    if act not in FORMS or not calendar_admin.FIRST_YEAR <= year <= calendar_admin.LAST_YEAR:
        raise Http404
    form = FORMS[act](request.POST, prefix=act)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if act in ("holidays", "workdays"):
                n = calendar_admin.set_days(actor=request.user, year=year, first=data["first"], last=data["last"],
                                            working=act == "workdays", note=data["note"], request=request)
                message = (_t("%(n)d make-up working days entered.") if act == "workdays"
                           else _t("%(n)d holidays entered.")) % {"n": n}
            elif act == "remove":
                n = calendar_admin.clear_days(actor=request.user, year=year, first=data["first"], last=data["last"],
                                              request=request)
                message = _t("%(n)d entries removed; those days count as before.") % {"n": n}
            else:
                loaded = request.POST.get("loaded") != "0"
                calendar_admin.set_loaded(actor=request.user, year=year, loaded=loaded, source=data["source"],
                                          request=request)
                message = (_t("%(year)d is marked loaded.") if loaded else _t("%(year)d is no longer marked loaded.")) % {
                    "year": year}
        except Refused as refusal:
            to_form(form, refusal)
        else:
            messages.success(request, message)
            return _back(year)
    return _page(request, year, bound=(act, form), status=400)


urlpatterns = [
    path("manage/calendar/", calendar_page, name="calendar"),
    path("manage/calendar/<int:year>/<str:act>/", calendar_act, name="calendar-act"),
]
