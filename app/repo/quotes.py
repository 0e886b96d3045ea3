"""The Quote repository of one tenant: records, metadata counters, change log.

Every method that touches the store is ``@transactional``: ``repo.like(id)``
runs in a transaction of its own, ``repo.like(tr, id)`` inside the caller's.
User writes are exactly-once (``once=True``): a retry after an unknown commit
result never likes, edits or deletes twice. Every write, in the same
transaction:

- bumps the metadata counters with atomic add, as ecto_foundationdb's
  SchemaMetadata does (insert: inserts, collection, changes; delete: deletes,
  collection, changes; update: updates, changes);
- appends ``(commit-order key) -> op`` to the change log, so a live query
  with a cursor reads only what changed since.

Likes live in their own key and move by atomic add: concurrent likes never
conflict, so none is lost and none retries. No read here is unbounded: whole
collections are read in pages (``page``), see ``app.repo.snapshot``.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from app.repo import changelog, tenants
from app.repo.errors import DuplicateId, NotFound
from app.repo.keys import COUNTERS, QuoteKeys, tenant_key
from app.repo.records import decode, encode
from app.repo.schema import (
    MAX_LIKES,
    InvalidQuote,
    Quote,
    check_whole,
    now,
    utc_micros,
    validate_fields,
)
from app.repo.transactional import transactional
from app.store.base import Store, Transaction, Watch, decode_int, encode_int

#: Bumped by each kind of write (SchemaMetadata's rules).
_BUMPS = {
    "insert": ("inserts", "collection", "changes"),
    "delete": ("deletes", "collection", "changes"),
    "update": ("updates", "changes"),
}
_UNSET = object()


class QuoteRepo:
    """The quotes of one existing tenant of a store."""

    def __init__(self, store: Store, tenant: str = tenants.DEFAULT) -> None:
        self.store = store
        self.tenant = tenants.validate(tenant)
        self.keys = QuoteKeys(self.tenant)

    # -- reads -------------------------------------------------------------

    @transactional
    def get(self, tr: Transaction, quote_id: str) -> Quote | None:
        raw, likes = tr.get_many([self.keys.record(quote_id), self.keys.likes(quote_id)])
        return None if raw is None else decode(quote_id, raw, decode_int(likes))

    @transactional
    def get_many(self, tr: Transaction, ids: list[str]) -> dict[str, Quote]:
        """The quotes with these ids that exist, every read issued at once."""
        keys = [key for i in ids for key in (self.keys.record(i), self.keys.likes(i))]
        values = tr.get_many(keys)
        found = {}
        for n, quote_id in enumerate(ids):
            raw = values[2 * n]
            if raw is not None:
                found[quote_id] = decode(quote_id, raw, decode_int(values[2 * n + 1]))
        return found

    @transactional
    def page(
        self, tr: Transaction, after: str | None, limit: int
    ) -> tuple[list[Quote], str | None]:
        """Up to ``limit`` quotes in id order after id ``after``; and the id to go on from.

        The next id is None at the end. A page is one bounded transaction.
        """
        begin, end = self.keys.records
        if after is not None:
            begin = self.keys.record(after) + b"\x00"
        rows = tr.get_range(begin, end, limit=limit)
        if not rows:
            return [], None
        id_of, first, last = self.keys.id_of, rows[0][0], rows[-1][0]
        likes_range = self.keys.likes(id_of(first)), self.keys.likes(id_of(last)) + b"\x00"
        # A record and its likes are paired by the packed id both keys end with.
        cut = self.keys.packed_id_start
        likes = {key[cut:]: value for key, value in tr.get_range(*likes_range)}
        quotes = [decode(id_of(key), raw, decode_int(likes.get(key[cut:]))) for key, raw in rows]
        return quotes, (quotes[-1].id if len(rows) == limit else None)

    @transactional
    def counters(self, tr: Transaction) -> dict[str, int]:
        values = tr.get_many([self.keys.counter(name) for name in COUNTERS])
        return {name: decode_int(value) for name, value in zip(COUNTERS, values)}

    # -- writes ------------------------------------------------------------

    def insert(self, author: str, content: str, as_of: datetime | None = None) -> Quote:
        """Add a new quote (validated here, before the store is touched)."""
        fields = validate_fields(author=author, content=content, as_of=as_of)
        at = now()
        quote = Quote(
            id=str(uuid.uuid4()), likes=0, inserted_at=at, updated_at=at, **fields.model_dump()
        )
        self.restore(quote)
        return quote

    @transactional(once=True)
    def restore(self, tr: Transaction, quote: Quote) -> None:
        """Put ``quote`` back with its id, likes and times (undo, import).

        ``DuplicateId`` if a quote with that id exists; ``InvalidQuote`` if its
        likes are out of range.
        """
        check_whole(quote)
        self.ready_for_inserts(tr)
        if tr.get(self.keys.record(quote.id)) is not None:
            raise DuplicateId(quote.id)
        self.put_new(tr, quote)

    def ready_for_inserts(self, tr: Transaction) -> None:
        """Before ``put_new`` (once a transaction): ``UnknownTenant`` if the tenant
        is gone; an empty collection's insertion-time index is marked complete,
        since nothing in it can predate the index (``app.repo.insertion_index``)."""
        self.require_tenant(tr)
        if tr.get(self.keys.insertion_index_complete, snapshot=True) is None and self._empty(tr):
            tr.set(self.keys.insertion_index_complete, b"1")

    def put_new(self, tr: Transaction, quote: Quote) -> None:
        """Write a quote known not to exist yet (the caller checked, in ``tr``,
        after ``ready_for_inserts``)."""
        tr.set(self.keys.record(quote.id), encode(quote))
        tr.set(self.keys.likes(quote.id), encode_int(quote.likes))
        tr.set(self.keys.by_insertion(utc_micros(quote.inserted_at), quote.id), b"")
        # A random start, not 1: after a delete, a re-insert under this id must not
        # bring the version back to a value a record watch saw (A-B-A goes unseen).
        tr.set(self.keys.version(quote.id), encode_int(secrets.randbits(62)))
        self._changed(tr, "insert", quote.id)

    def _empty(self, tr: Transaction) -> bool:
        inserts = tr.get(self.keys.counter("inserts"), snapshot=True)
        return decode_int(inserts) == decode_int(tr.get(self.keys.counter("deletes"), snapshot=True))

    @transactional(once=True)
    def update(
        self,
        tr: Transaction,
        quote_id: str,
        *,
        author: str | None = None,
        content: str | None = None,
        as_of: object = _UNSET,
    ) -> None:
        """Edit a quote's text; its id, likes and ``inserted_at`` stay."""
        current = self.get(tr, quote_id)
        if current is None:
            raise NotFound(quote_id)
        fields = validate_fields(
            author=current.author if author is None else author,
            content=current.content if content is None else content,
            as_of=current.as_of if as_of is _UNSET else as_of,
        )
        edited = current.replace(**fields.model_dump(), updated_at=now())
        tr.set(self.keys.record(quote_id), encode(edited))
        tr.add(self.keys.version(quote_id), 1)
        self._changed(tr, "update", quote_id)

    @transactional(once=True)
    def like(self, tr: Transaction, quote_id: str, n: int = 1) -> None:
        """Add ``n`` likes, conflict-free; refused past ``MAX_LIKES``."""
        if n < 1:
            raise ValueError("a like adds at least one")
        self.require_tenant(tr)
        if tr.get(self.keys.record(quote_id)) is None:
            raise NotFound(quote_id)
        # A snapshot read: concurrent likes must not conflict with each other.
        if decode_int(tr.get(self.keys.likes(quote_id), snapshot=True)) + n > MAX_LIKES:
            raise InvalidQuote(f"this quote has the most likes a quote can have ({MAX_LIKES:,})")
        tr.add(self.keys.likes(quote_id), n)
        tr.add(self.keys.version(quote_id), 1)
        self._changed(tr, "update", quote_id)

    @transactional(once=True)
    def delete(self, tr: Transaction, quote_id: str) -> None:
        self.require_tenant(tr)
        raw = tr.get(self.keys.record(quote_id))
        if raw is None:
            raise NotFound(quote_id)
        inserted_at = decode(quote_id, raw, 0).inserted_at
        tr.clear(self.keys.by_insertion(utc_micros(inserted_at), quote_id))
        tr.clear(self.keys.record(quote_id))
        tr.clear(self.keys.likes(quote_id))
        tr.clear(self.keys.version(quote_id))
        self._changed(tr, "delete", quote_id)

    def require_tenant(self, tr: Transaction) -> None:
        """``UnknownTenant`` if the tenant is gone: a tenant deleted meanwhile takes
        no more writes (nothing is left under a dead prefix)."""
        if self.tenant != tenants.DEFAULT and tr.get(tenant_key(self.tenant)) is None:
            tenants.require(tr, self.tenant)

    def _changed(self, tr: Transaction, op: str, quote_id: str) -> None:
        for name in _BUMPS[op]:
            tr.add(self.keys.counter(name), 1)
        tr.set_versionstamped_key(self.keys.log_entry(quote_id), op.encode())

    def after_write(self) -> None:
        """Called by ``@transactional(once=True)`` once a write has committed."""
        changelog.maybe_trim(self)

    # -- change log ----------------------------------------------------------

    @transactional
    def cursor(self, tr: Transaction) -> bytes:
        """The newest log key (or the floor): where a fresh reader starts."""
        return changelog.cursor(tr, self.keys)

    @transactional
    def changes_since(
        self, tr: Transaction, cursor: bytes, limit: int = changelog.READ_LIMIT
    ) -> tuple[list[str], bytes] | None:
        """Ids changed after ``cursor`` and the new cursor; None when the log
        cannot say (trimmed past the cursor, or more than ``limit`` entries):
        then re-read the collection."""
        return changelog.since(tr, self.keys, cursor, limit)

    def trim_log(self, keep: int = changelog.KEEP) -> int:
        return changelog.trim(self, keep)

    # -- watches -------------------------------------------------------------

    @transactional
    def watch(self, tr: Transaction, counter: str = "changes") -> Watch:
        """Watch one metadata counter (inserts, deletes, collection, updates, changes)."""
        if counter not in COUNTERS:
            raise ValueError(f"no counter {counter!r}")
        tr.get(self.keys.counter(counter))
        return tr.watch(self.keys.counter(counter))

    @transactional
    def watch_record(self, tr: Transaction, quote_id: str) -> Watch:
        return tr.watch(self.keys.version(quote_id))

    def watch_inserts(self) -> Watch:
        return self.watch("inserts")

    def watch_deletes(self) -> Watch:
        return self.watch("deletes")

    def watch_collection(self) -> Watch:
        return self.watch("collection")

    def watch_updates(self) -> Watch:
        return self.watch("updates")

    def watch_changes(self) -> Watch:
        return self.watch("changes")

    def close(self) -> None:
        self.store.close()
