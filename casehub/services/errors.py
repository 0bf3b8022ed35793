class Conflict(Exception):
    """The case changed since the caller read it (HTTP 409)."""

    def __init__(self, current_version: int):
        super().__init__(current_version)
        self.current_version = current_version


class Refused(Exception):
    """An act the rules refuse. `errors` maps fields to messages. It is a 400
    unless `forbidden` (the actor may see the object but not do this: 403) or
    `conflict` (the object's state does not allow it now: 409)."""

    def __init__(self, errors: dict[str, list[str]], *, forbidden: bool = False, conflict: bool = False):
        super().__init__(errors)
        self.errors, self.forbidden, self.conflict = errors, forbidden, conflict

    @property
    def message(self) -> str:
        return next(iter(self.errors.values()))[0]
