class Conflict(Exception):
    """The case changed since the caller read it (HTTP 409)."""

    def __init__(self, current_version: int):
        super().__init__(current_version)
        self.current_version = current_version
