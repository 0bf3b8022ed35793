"""Form widgets drawn in Python rather than by a template each: the case
list's filter bar (17 fields, a select of every region) is drawn on every
list request, and Django's template per widget and per option made it cost
more than the list itself. The markup is Django's own (name, id, value,
the bound field's aria attributes)."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def _chosen(widget, value) -> set[str]:
    return {str(v) for v in widget.format_value(value)}


class Input:
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final.update(type=self.input_type, name=name)
        shown = self.format_value(value)
        if shown is not None:
            final["value"] = shown
        return format_html("<input{}>", flatatt(final))


class TextInput(Input, forms.TextInput):
    pass


class DateInput(Input, forms.DateInput):
    input_type = "date"


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = _chosen(self, value)
        # Plain escaping per option: a select of every region has a hundred.
        options = "".join(
            f'<option value="{escape(str(v))}"{" selected" if str(v) in chosen else ""}>{escape(str(label))}</option>'
            for v, label in self.choices)
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))


class CheckboxList(forms.CheckboxSelectMultiple):
    """The choices as a list of labelled checkboxes (site.css .checkbox-list)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        base = final.pop("id", None)
        chosen = _chosen(self, value)
        items = []
        for i, (v, label) in enumerate(self.choices):
            box = {**final, "type": "checkbox", "name": name, "value": v}
            if base:
                box["id"] = f"{base}_{i}"
            checked = " checked" if str(v) in chosen else ""
            items.append(f'<li><label class="inline"><input{flatatt(box)}{checked}>{escape(str(label))}</label></li>')
        return format_html('<ul class="checkbox-list"{}>{}</ul>', flatatt({"id": base} if base else {}),
                           mark_safe("".join(items)))

    def id_for_label(self, id_, index=None):
        return f"{id_}_0" if id_ else id_
