"""One's own profile: name, email, phone (the username is fixed)."""

from __future__ import annotations

from casehub import audit

from .input import validated


def update(*, actor, serializer, request=None):
    with audit.act(user=actor, action="user.update_profile", object_type="user", object_id=actor.pk,
                   request=request) as act:
        data = validated(serializer)
        user = serializer.instance
        changed = sorted(name for name, value in data.items() if getattr(user, name) != value)
        if changed:
            serializer.save()
            act.detail["fields"] = changed  # the names only: the values are personal data
    return serializer.instance
