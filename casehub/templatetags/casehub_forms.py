"""{% form_field field %}: every form field of the web UI drawn the one way
(casehub/_field.html): label above, * when required, the help text and the
errors under the field, which names them in aria-describedby and is marked
aria-invalid when wrong; a group of boxes is a fieldset with a legend, a
single box sits before its label on one line. And
{% form_summary form %}, the summary of its errors at the top of a form."""

from django import template

register = template.Library()

# Widgets drawn as a group of boxes under a legend; a link to the group goes to its first box.
GROUPED = ("checkboxselectmultiple", "radioselect")


@register.inclusion_tag("casehub/_field.html")
def form_field(field, *, wide=False, extra="", required=None, empty=""):
    """`required` marks a field * that is optional to the form but not to
    its service (a blank note is the service's refusal); `empty` is said
    where a group of boxes has none to offer."""
    help_id = f"{field.auto_id}-help" if field.help_text and field.auto_id else ""
    errors_id = f"{field.auto_id}-errors" if field.errors and field.auto_id else ""
    described = " ".join(filter(None, [help_id, errors_id]))
    grouped = field.widget_type in GROUPED
    return {
        "field": field,
        # the ids this template gives the help and the errors, not Django's own
        "widget": field.as_widget(attrs={"aria-describedby": described} if described and not grouped else None),
        "described": described,
        "grouped": grouped,
        "single_box": field.widget_type == "checkbox",
        "help_id": help_id,
        "errors_id": errors_id,
        "required": field.field.required if required is None else required,
        "classes": " ".join(filter(None, ["field", "choices" if grouped else "",
                                          "single-box" if field.widget_type == "checkbox" else "", "invalid" if field.errors else "",
                                          "wide" if wide else "", extra])),
        "empty": empty,
    }


@register.inclusion_tag("casehub/_form_summary.html")
def form_summary(form, *, message="", errors=(), invalid=False):
    """The summary at the top of a form: what it says (`message`, or
    "Please correct the errors below."), the errors of no field (the form's,
    then `errors`, a formset's own), and each field error linked to its
    field. Shown when the form has errors, or when `invalid` (a formset's)."""
    lines = [{"text": error} for error in [*form.non_field_errors(), *errors]]
    for field in form.visible_fields():
        grouped = field.widget_type in GROUPED
        for error in field.errors:
            lines.append({"label": field.label, "text": error,
                          "href": f"#{field.auto_id}_0" if grouped else f"#{field.auto_id}"})
    return {"shown": bool(form.errors or invalid or lines), "message": message, "lines": lines}
