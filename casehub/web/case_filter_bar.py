"""The case list's filter bar drawn in Python: the status checkboxes, then
the rows of fields (the first always shown, the others under "more
filters"), each with its label above and its error box below. Drawn on
every list request, a template loop over 17 bound fields cost more than the
page's query. The markup is what Django's bound fields and the widgets in
widgets.py draw (the same ids, names, labels and attributes, in the same
order, every value escaped); a field with errors is drawn by its bound
field itself (aria-invalid, aria-describedby, the error list), as are the
per-language pieces of the choices, translated once per language."""

from html import escape

from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# (language, field name) -> the field's label, escaped, and its choices as
# (value, escaped value, escaped label).
_pieces: dict[tuple[str, str], tuple[str, list[tuple[str, str, str]]]] = {}
# The region choices change (case_filters.region_choices re-reads them): their
# pieces are kept with the list they were drawn from.
_region_pieces: dict[str, tuple[list, list[tuple[str, str, str]]]] = {}


def _options(choices) -> list[tuple[str, str, str]]:
    return [(str(v), escape(str(v)), escape(str(label))) for v, label in choices]


def _choice_pieces(form, name: str, language: str) -> list[tuple[str, str, str]]:
    if name == "region":
        current = form.region_list()
        kept = _region_pieces.get(language)
        if kept is None or kept[0] is not current:
            kept = _region_pieces[language] = (current, _options([("", _("All")), *current]))
        return kept[1]
    return _field_text(form, name, language)[1]


def _field_text(form, name: str, language: str):
    key = (language, name)
    if key not in _pieces:
        field = form.base_fields[name]
        choices = [] if name == "region" else _options(getattr(field, "choices", ()))
        _pieces[key] = (escape(capfirst(str(field.label))), choices)
    return _pieces[key]


def _attrs(attrs: dict) -> str:
    # As django.forms.utils.flatatt: key="value" pairs sorted by key.
    return "".join(f' {k}="{escape(str(v))}"' for k, v in sorted(attrs.items()) if v is not None)


def _chosen(values) -> set[str]:
    return {"" if v is None else str(v) for v in values}


def _widget(form, name: str, language: str) -> str:
    field = form.fields[name]
    widget = field.widget
    auto_id = f"id_{name}"
    kind = widget.__class__.__name__
    if kind == "Select":
        value = form.data.get(name)
        chosen = _chosen(value if isinstance(value, (list, tuple)) else [value])
        options = "".join(f'<option value="{value}"{" selected" if v in chosen else ""}>{label}</option>'
                          for v, value, label in _choice_pieces(form, name, language))
        return f"<select{_attrs({**widget.attrs, 'id': auto_id, 'name': name})}>{options}</select>"
    if kind == "CheckboxList":
        chosen = _chosen(form.data.getlist(name))
        items = "".join(
            f'<li><label class="inline"><input{_attrs({**widget.attrs, "id": f"{auto_id}_{i}", "name": name,
                                                         "type": "checkbox", "value": v})}'
            f'{" checked" if v in chosen else ""}>{label}</label></li>'
            for i, (v, _value, label) in enumerate(_choice_pieces(form, name, language)))
        return f'<ul class="checkbox-list" id="{auto_id}">{items}</ul>'
    if kind in ("TextInput", "DateInput"):
        value = form.data.get(name)
        shown = widget.format_value(value)
        return f"<input{_attrs({**widget.attrs, 'id': auto_id, 'name': name, 'type': widget.input_type,
                                'value': shown})}>"
    return str(form[name])


def _field(form, name: str, language: str) -> tuple[str, str, str]:
    """(label text, widget HTML, error box content) of one field."""
    label = _field_text(form, name, language)[0]
    if name in form.errors:
        bound = form[name]
        return label, str(bound), str(bound.errors)
    return label, _widget(form, name, language), ""


def draw(form, groups, *, more_open: bool) -> str:
    """The status fieldset and the groups of fields (the first group
    shown, the others under "more filters")."""
    language = get_language()
    label, widget, errors = _field(form, "status", language)
    html = [f'<fieldset class="status-filter">\n      <legend>{label}</legend>\n      {widget}\n'
            f'      <div class="field-errors" id="errors-status">{errors}</div>\n    </fieldset>']
    for i, names in enumerate(groups):
        if i == 1:
            html.append(f'<details class="more-filters"{" open" if more_open else ""}>\n'
                        f'      <summary>{escape(_("More filters"))}</summary>')
        cells = []
        for name in names:
            label, widget, errors = _field(form, name, language)
            cells.append(f'        <div class="field{" has-errors" if errors else ""}">\n'
                         f'          <label for="id_{name}">'
                         f'{label}</label>\n          {widget}\n'
                         f'          <div class="field-errors" id="errors-{name}">{errors}</div>\n        </div>')
        html.append('<div class="filter-grid">\n' + "\n".join(cells) + "\n      </div>")
    if len(groups) > 1:
        html.append("</details>")
    return mark_safe("\n    ".join(html))


def oob_errors(form) -> str:
    """Every field's error box, for an HTMX answer to swap in place."""
    errors = form.errors
    return mark_safe("".join(
        f'<div class="field-errors" id="errors-{name}" hx-swap-oob="true">'
        f'{str(form[name].errors) if name in errors else ""}</div>' for name in form.fields))
