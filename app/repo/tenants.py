"""Tenants: separate collections in one store, as key prefixes.

FoundationDB 8.0 removed its own tenants, so a tenant is a prefix on both
engines. Tenants are explicit: ``default`` always exists; others are created
and deleted on purpose, and an unknown name is an error (``UnknownTenant``),
never a new collection made by a typo. The registry is watchable: creating or
deleting a tenant bumps one counter.

Each creation of a tenant is a new **incarnation** with its own **epoch**
(random bytes in its registry key; ``default``'s is fixed), so a collection
deleted and created again is never mistaken for the old one: a reader's
cursor carries the epoch it was taken in (``app.repo.changelog.Cursor``), and
a repository pins the epoch its first write saw (``Incarnation``).

Names. Any name a tenant was made with can be named again (``validate``:
text, trimmed, NFC, at most ``MAX_NAME`` characters, no control characters).
A *new* name must also be one people can type and pass around
(``validate_new``): no "/" or "\\" (a collection's name may become a file
name), not starting with "-" (it would read as an option on the command
line) or "."; and no other tenant's name may be the same after Unicode
normalisation and case folding (``folded``), so "Work" and "work" are one
name, never two collections.

Every function here takes the store first (``tenants.names(store)``); the
quotes of one tenant are ``QuoteRepo(store, name)``.
"""

from __future__ import annotations

import os
import unicodedata

from app.repo.errors import CollectionReplaced, InvalidTenant, UnknownTenant
from app.repo.keys import TENANTS, TENANTS_VERSION, tenant_data, tenant_key, tenant_name
from app.repo.transactional import NEW, transactional
from app.store.base import Store, Transaction, Watch

DEFAULT = "default"
MAX_NAME = 64
#: The epoch of ``default``, which is never deleted.
DEFAULT_EPOCH = b"default"


#: Characters a new name may not hold, and what to say about them.
_REFUSED = {"/": "a slash", "\\": "a backslash"}
#: A new name may not start with these.
_REFUSED_FIRST = {"-": "a hyphen", ".": "a full stop"}


def validate(name: object) -> str:
    """The trimmed name in Unicode's composed form (NFC), or ``InvalidTenant``
    saying what is wrong with it."""
    if not isinstance(name, str):
        raise InvalidTenant("tenant name must be text")
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise InvalidTenant("tenant name must not be blank")
    if len(name) > MAX_NAME:
        raise InvalidTenant(f"tenant name is too long (at most {MAX_NAME} characters)")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise InvalidTenant("tenant name must not contain control characters")
    return name


def validate_new(name: object) -> str:
    """``validate``, and the rules for a new name (see the module's docstring)."""
    name = validate(name)
    for char, what in _REFUSED.items():
        if char in name:
            raise InvalidTenant(f"tenant name must not contain {what} ({char})")
    if name[0] in _REFUSED_FIRST:
        raise InvalidTenant(f"tenant name must not start with {_REFUSED_FIRST[name[0]]} ({name[0]})")
    return name


def folded(name: str) -> str:
    """What two names that are the same to people share: NFC, then case folded."""
    return unicodedata.normalize("NFC", name).casefold()


def same_name(name: str, existing: list[str]) -> str | None:
    """The existing name that is ``name`` to people (another case or composition), if any."""
    key = folded(name)
    return next((other for other in existing if folded(other) == key), None)


@transactional
def names(store: Store, *, tr: Transaction = NEW) -> list[str]:
    """Every tenant, ``default`` first, then by name."""
    found = {tenant_name(k) for k, _ in tr.get_range(TENANTS.start, TENANTS.stop)}
    return [DEFAULT, *sorted(found - {DEFAULT})]


@transactional
def exists(store: Store, name: str, *, tr: Transaction = NEW) -> bool:
    return name == DEFAULT or tr.get(tenant_key(name)) is not None


@transactional
def epoch(store: Store, name: str, *, tr: Transaction = NEW) -> bytes | None:
    """The epoch of the tenant's current incarnation; None if there is none
    (a tenant made before epochs has the empty epoch)."""
    if name == DEFAULT:
        return DEFAULT_EPOCH
    return tr.get(tenant_key(name))


@transactional
def require(store: Store, name: str, *, tr: Transaction = NEW) -> None:
    """``UnknownTenant`` (listing the tenants there are) unless ``name`` exists."""
    if not exists(store, name, tr=tr):
        raise UnknownTenant(name, names(store, tr=tr))


@transactional(once=True)
def create(store: Store, name: str, *, tr: Transaction = NEW) -> bool:
    """Create a tenant; False if it already existed. ``InvalidTenant`` if the name
    breaks the rules for a new name, or is another tenant's in another case."""
    name = validate_new(name)
    if exists(store, name, tr=tr):
        return False
    twin = same_name(name, names(store, tr=tr))
    if twin is not None:
        raise InvalidTenant(f"a tenant named {twin!r} already exists (names differ by more than case)")
    tr.set(tenant_key(name), os.urandom(8))
    tr.add(TENANTS_VERSION, 1)
    return True


@transactional(once=True)
def delete(store: Store, name: str, *, tr: Transaction = NEW) -> None:
    """Delete a tenant with its quotes, counters and log (``default`` stays)."""
    name = validate(name)
    if name == DEFAULT:
        raise InvalidTenant("the default tenant cannot be deleted")
    require(store, name, tr=tr)
    # The log and its floor go too: an old cursor is told apart by its epoch,
    # which no later incarnation has (``app.repo.paged_read.catch_up``).
    tr.clear(tenant_key(name))
    tr.clear_range(*tenant_data(name))  # one range: bounded on FoundationDB whatever it holds
    tr.add(TENANTS_VERSION, 1)


@transactional
def follow(store: Store, *, tr: Transaction = NEW) -> tuple[list[str], Watch]:
    """The tenants, and a watch that fires when one is created or deleted."""
    tr.get(TENANTS_VERSION)
    return names(store, tr=tr), tr.watch(TENANTS_VERSION)


class Incarnation:
    """The incarnation of a tenant one repository writes to: the first it saw.

    ``check`` runs in every write's transaction (``app.repo.writing``): the
    first write pins the epoch it reads; a later write finding another epoch
    (the tenant deleted and created again) raises ``CollectionReplaced``, one
    finding no tenant ``UnknownTenant``. So an undo step, which keeps the
    repository it was done with, never writes into a newer collection. Reads
    are not pinned: a live view follows the new incarnation by its cursor.
    """

    def __init__(self, store: Store, name: str) -> None:
        self._store = store
        self._name = name
        self._epoch: bytes | None = None

    def check(self, tr: Transaction) -> None:
        if self._name == DEFAULT:
            return
        current = epoch(self._store, self._name, tr=tr)
        if current is None:
            raise UnknownTenant(self._name, names(self._store, tr=tr))
        if self._epoch is None:
            # Pinned even if this attempt does not commit: the epoch was there.
            self._epoch = current
        elif current != self._epoch:
            raise CollectionReplaced(self._name)
