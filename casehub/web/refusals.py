"""A refusal from the core, shown in a form: the services' field errors go
under their fields, the rest in the summary at the top. The web UI's one
mapping, as casehub/api/exceptions.py is the API's."""

from django.http import Http404

from ..rules.refusal import NON_FIELD, Conflict, Kind, Refused

# Keys the services use for a message that belongs to no field.
_GENERAL = {NON_FIELD, "detail", "__all__"}


def to_form(form, refusal: Refused) -> None:
    """Put the refusal's messages on the form. Another agency's object is a
    404 here as everywhere (Http404); a throttle or conflict is a message."""
    if refusal.kind == Kind.NOT_FOUND:
        raise Http404
    for name, messages in (refusal.errors or {}).items():
        for message in flatten(messages):
            field = name if name in form.fields and name not in _GENERAL else None
            form.add_error(field, message)
    if not form.errors:
        form.add_error(None, refusal.message)


# What came of an act on a record that carries a version (attempt).
DONE, STALE, REFUSED = "done", "stale", "refused"


def attempt(form, call) -> str:
    """A valid form's act given to its service (`call`, no arguments): DONE;
    STALE when the record was changed since the form was read (the page
    then offers a reload); REFUSED with the refusal put on the form."""
    try:
        call()
    except Conflict:
        return STALE
    except Refused as refused:
        to_form(form, refused)
        return REFUSED
    return DONE


def flatten(messages):
    """A service's messages for one key, nested lists and dicts as they
    come, as lines of text ("name: message" for a nested field)."""
    if isinstance(messages, (list, tuple)):
        for item in messages:
            yield from flatten(item)
    elif isinstance(messages, dict):
        for name, inner in messages.items():
            for message in flatten(inner):
                yield f"{name}: {message}"
    elif messages:
        yield str(messages)
