"""Exceptions the store raises; every one carries a message a person can act on."""


class StoreError(Exception):
    """The store could not do what was asked."""


class StoreUnavailable(StoreError):
    """The store is missing, unreachable, locked, read-only or full."""


class StoreGone(StoreUnavailable):
    """The store file was deleted, moved or replaced while open: retrying cannot help."""


class NotAStore(StoreError):
    """The file exists but is not a Quotes store; it is left untouched."""


class WatchCancelled(StoreError):
    """A watch was cancelled before it fired."""
