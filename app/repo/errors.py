"""Exceptions the repository raises besides the store's own."""


class NotFound(LookupError):
    """No quote has that id (in this tenant)."""

    def __init__(self, quote_id: str) -> None:
        super().__init__(f"no quote with id {quote_id}")
        self.quote_id = quote_id


class InvalidTenant(ValueError):
    """A tenant name that cannot be used; the message says why."""


class DuplicateId(ValueError):
    """A quote with that id already exists (in this tenant)."""

    def __init__(self, quote_id: str) -> None:
        super().__init__(f"a quote with id {quote_id} already exists")
        self.quote_id = quote_id
