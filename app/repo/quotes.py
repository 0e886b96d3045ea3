"""The Quote repository of one tenant: records, metadata counters, change log.

Transactional methods (``*_tx``) take a transaction first so they compose,
in FoundationDB's class-scheduling style; the plain methods run one each in
``store.transact``. Every write, in the same transaction:

- bumps the metadata counters with atomic add, as ecto_foundationdb's
  SchemaMetadata does (insert: inserts, collection, changes; delete: deletes,
  collection, changes; update: updates, changes);
- appends ``(commit-order key) -> op`` to the change log, so a live query
  with a cursor reads only what changed since.

Likes live in their own key and move by atomic add: concurrent likes never
conflict, so none is lost and none retries.
"""

from __future__ import annotations

import gc
import json
import random
import secrets
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from app.repo import tenants
from app.repo.errors import DuplicateId, NotFound
from app.repo.keys import COUNTERS, QuoteKeys
from app.repo.schema import Quote, QuoteFields, now, validate_fields
from app.store.base import Store, Transaction, Watch, decode_int, encode_int
from app.store.errors import StoreError

SAMPLES = (
    QuoteFields(author="Descartes", content="Cogito, ergo sum."),
    QuoteFields(author="Heraclitus", content="One cannot step twice in the same river."),
)

#: Bumped by each kind of write (SchemaMetadata's rules).
_BUMPS = {
    "insert": ("inserts", "collection", "changes"),
    "delete": ("deletes", "collection", "changes"),
    "update": ("updates", "changes"),
}
#: Keep this many change-log entries when trimming (about one write in
#: ``_TRIM_EVERY``, from any process, trims).
LOG_KEEP = 10_000
_TRIM_EVERY = 1_000
#: Bytes of record data per import transaction (FoundationDB allows 10 MB).
_IMPORT_BATCH_BYTES = 1_000_000


class QuoteRepo:
    def __init__(self, store: Store, tenant: str = tenants.DEFAULT) -> None:
        self.store = store
        self.tenant = tenants.validate(tenant)
        self.keys = QuoteKeys(self.tenant)

    # -- reads -------------------------------------------------------------

    def get_tx(self, tr: Transaction, quote_id: str) -> Quote | None:
        raw = tr.get(self.keys.record(quote_id))
        if raw is None:
            return None
        return _quote(quote_id, raw, decode_int(tr.get(self.keys.likes(quote_id))))

    def all_tx(self, tr: Transaction) -> list[Quote]:
        # A likes key and its record's key end in the same encoded id: pair them by
        # that suffix, so each id is decoded once (this reads whole collections).
        likes_begin, likes_end = self.keys.all_likes
        records_begin, records_end = self.keys.records
        at = len(likes_begin) - 1  # both ranges begin at a one-letter kind + b"\x00"
        with _collector_paused():
            likes = {key[at:]: value for key, value in tr.get_range(likes_begin, likes_end)}
            return [
                _quote(self.keys.id_of(key), raw, decode_int(likes.get(key[at:])))
                for key, raw in tr.get_range(records_begin, records_end)
            ]

    def counters_tx(self, tr: Transaction) -> dict[str, int]:
        return {name: decode_int(tr.get(self.keys.counter(name))) for name in COUNTERS}

    def get(self, quote_id: str) -> Quote | None:
        return self.store.transact(self.get_tx, quote_id)

    def all(self) -> list[Quote]:
        return self.store.transact(self.all_tx)

    def counters(self) -> dict[str, int]:
        return self.store.transact(self.counters_tx)

    # -- writes ------------------------------------------------------------

    def _changed(self, tr: Transaction, op: str, quote_id: str) -> None:
        for name in _BUMPS[op]:
            tr.add(self.keys.counter(name), 1)
        tr.set_versionstamped_key(self.keys.log_entry(quote_id), op.encode())

    def insert_tx(
        self, tr: Transaction, quote_id: str, fields: QuoteFields, at: datetime, likes: int = 0
    ) -> None:
        """Insert under a chosen id; a retry after an unknown commit inserts nothing twice."""
        if tr.get(self.keys.record(quote_id)) is not None:
            return
        record = {
            "author": fields.author,
            "content": fields.content,
            "as_of": fields.as_of.isoformat() if fields.as_of else None,
            "inserted_at": at.isoformat(),
            "updated_at": at.isoformat(),
        }
        tr.set(self.keys.record(quote_id), json.dumps(record).encode())
        tr.set(self.keys.likes(quote_id), encode_int(likes))
        # A random start, not 1: after a delete, a re-insert under this id must not
        # bring the version back to a value a record watch saw (A-B-A goes unseen).
        tr.set(self.keys.version(quote_id), encode_int(secrets.randbits(62)))
        tr.set(tenants.key(self.tenant), b"")
        self._changed(tr, "insert", quote_id)

    def update_tx(self, tr: Transaction, quote_id: str, **changes: object) -> Quote:
        current = self.get_tx(tr, quote_id)
        if current is None:
            raise NotFound(quote_id)
        likes = changes.pop("likes", current.likes)
        if not isinstance(likes, int) or likes < 0:
            raise ValueError("likes must be a whole number, never negative")
        fields = validate_fields(
            **{"author": current.author, "content": current.content, "as_of": current.as_of}
            | changes
        )
        at = now()
        record = {
            "author": fields.author,
            "content": fields.content,
            "as_of": fields.as_of.isoformat() if fields.as_of else None,
            "inserted_at": current.inserted_at.isoformat(),
            "updated_at": at.isoformat(),
        }
        tr.set(self.keys.record(quote_id), json.dumps(record).encode())
        tr.set(self.keys.likes(quote_id), encode_int(likes))
        tr.add(self.keys.version(quote_id), 1)
        self._changed(tr, "update", quote_id)
        return _quote(quote_id, json.dumps(record).encode(), likes)

    def like_tx(self, tr: Transaction, quote_id: str, n: int = 1) -> None:
        if n < 1:
            raise ValueError("a like adds at least one")
        if tr.get(self.keys.record(quote_id)) is None:
            raise NotFound(quote_id)
        tr.add(self.keys.likes(quote_id), n)
        tr.add(self.keys.version(quote_id), 1)
        self._changed(tr, "update", quote_id)

    def delete_tx(self, tr: Transaction, quote_id: str) -> None:
        if tr.get(self.keys.record(quote_id)) is None:
            raise NotFound(quote_id)
        tr.clear(self.keys.record(quote_id))
        tr.clear(self.keys.likes(quote_id))
        tr.clear(self.keys.version(quote_id))
        self._changed(tr, "delete", quote_id)

    def restore_tx(self, tr: Transaction, quote: Quote) -> None:
        """Put a deleted quote back with its id, likes and insertion time."""
        if tr.get(self.keys.record(quote.id)) is not None:
            raise DuplicateId(quote.id)
        fields = validate_fields(author=quote.author, content=quote.content, as_of=quote.as_of)
        self.insert_tx(tr, quote.id, fields, quote.inserted_at, quote.likes)

    def restore(self, quote: Quote) -> None:
        self._write(self.restore_tx, quote)

    def insert(self, author: str, content: str, as_of: datetime | None = None) -> Quote:
        fields = validate_fields(author=author, content=content, as_of=as_of)
        quote_id, at = str(uuid.uuid4()), now()
        self._write(self.insert_tx, quote_id, fields, at)
        return Quote(id=quote_id, likes=0, inserted_at=at, updated_at=at, **fields.model_dump())

    def update(self, quote_id: str, **changes: object) -> Quote:
        return self._write(self.update_tx, quote_id, **changes)

    def like(self, quote_id: str, n: int = 1) -> None:
        self._write(self.like_tx, quote_id, n)

    def delete(self, quote_id: str) -> None:
        self._write(self.delete_tx, quote_id)

    def import_many(self, records: Iterable[tuple[QuoteFields, int]]) -> int:
        """Insert validated (fields, likes) pairs in batches that fit a transaction.

        Each batch commits whole; if one fails, the error says how many were
        imported before it, so nothing is silently half-done.
        """
        count, batch, size = 0, [], 0
        try:
            for fields, likes in records:
                batch.append((str(uuid.uuid4()), fields, likes))
                # Bytes as stored (JSON escapes non-ASCII: up to 12 bytes a character).
                size += len(json.dumps([fields.author, fields.content])) + 200
                if size >= _IMPORT_BATCH_BYTES:
                    count += self._import_batch(batch)
                    batch, size = [], 0
            if batch:
                count += self._import_batch(batch)
        except StoreError as exc:
            raise type(exc)(f"{exc} (imported {count} quotes before that)") from exc
        return count

    def _import_batch(self, batch: list[tuple[str, QuoteFields, int]]) -> int:
        at = now()

        def body(tr: Transaction) -> None:
            for quote_id, fields, likes in batch:
                self.insert_tx(tr, quote_id, fields, at, likes)

        self._write(body)
        return len(batch)

    def seed_tx(
        self, tr: Transaction, ids: list[str], at: datetime, only_if_new: bool = False
    ) -> int:
        if only_if_new and tr.get(self.keys.seeded) is not None:
            return 0
        tr.set(self.keys.seeded, b"1")
        for quote_id, fields in zip(ids, SAMPLES, strict=True):
            self.insert_tx(tr, quote_id, fields, at)
        return len(SAMPLES)

    def seed(self, only_if_new: bool = False) -> int:
        """Insert the two sample quotes (with ``only_if_new``, once per tenant)."""
        ids = [str(uuid.uuid4()) for _ in SAMPLES]
        return self._write(self.seed_tx, ids, now(), only_if_new)

    def _write(self, fn, *args, **kwargs):
        result = self.store.transact(fn, *args, **kwargs)
        if random.random() < 1 / _TRIM_EVERY:
            self.trim_log()
        return result

    # -- change log ----------------------------------------------------------

    def cursor_tx(self, tr: Transaction) -> bytes:
        """The newest log key (or the floor): where a fresh reader starts."""
        newest = tr.get_range(self.keys.log_prefix, self.keys.log_end, limit=1, reverse=True)
        if newest:
            return newest[0][0]
        return tr.get(self.keys.floor) or b""

    def log_since_tx(self, tr: Transaction, cursor: bytes) -> tuple[list[str], bytes] | None:
        """Ids changed after ``cursor``, and the new cursor; None if trimmed past it."""
        floor = tr.get(self.keys.floor)
        if floor is not None and cursor < floor:
            return None
        begin = cursor + b"\x00" if cursor else self.keys.log_prefix
        entries = tr.get_range(begin, self.keys.log_end)
        if not entries:
            return [], cursor
        ids = list(dict.fromkeys(self.keys.logged_id(key) for key, _ in entries))
        return ids, entries[-1][0]

    def trim_log_tx(self, tr: Transaction, keep: int = LOG_KEEP) -> int:
        """Drop all but the newest ``keep`` entries; readers behind them resync."""
        newest = tr.get_range(
            self.keys.log_prefix, self.keys.log_end, limit=keep + 1, reverse=True
        )
        if len(newest) <= keep:
            return 0
        cut = newest[-1][0]
        tr.clear_range(self.keys.log_prefix, cut + b"\x00")
        tr.set(self.keys.floor, cut)
        return 1

    def trim_log(self, keep: int = LOG_KEEP) -> int:
        return self.store.transact(self.trim_log_tx, keep)

    # -- watches -------------------------------------------------------------

    def watch_counter_tx(self, tr: Transaction, name: str) -> Watch:
        if name not in COUNTERS:
            raise ValueError(f"no counter {name!r}")
        tr.get(self.keys.counter(name))
        return tr.watch(self.keys.counter(name))

    def watch_record_tx(self, tr: Transaction, quote_id: str) -> Watch:
        return tr.watch(self.keys.version(quote_id))

    def watch_inserts(self) -> Watch:
        return self.store.transact(self.watch_counter_tx, "inserts")

    def watch_deletes(self) -> Watch:
        return self.store.transact(self.watch_counter_tx, "deletes")

    def watch_collection(self) -> Watch:
        return self.store.transact(self.watch_counter_tx, "collection")

    def watch_updates(self) -> Watch:
        return self.store.transact(self.watch_counter_tx, "updates")

    def watch_changes(self) -> Watch:
        return self.store.transact(self.watch_counter_tx, "changes")

    def watch_record(self, quote_id: str) -> Watch:
        return self.store.transact(self.watch_record_tx, quote_id)

    # -- tenants ---------------------------------------------------------------

    def tenants(self) -> list[str]:
        return self.store.transact(tenants.list_tx)

    def with_tenant(self, name: str, create: bool = False) -> QuoteRepo:
        """The same store, another tenant (registered at once with ``create``)."""
        repo = QuoteRepo(self.store, name)
        if create:
            self.store.transact(tenants.create_tx, repo.tenant)
        return repo

    def close(self) -> None:
        self.store.close()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole collection is read.

    Reading 100,000 quotes allocates several hundred thousand objects that all
    stay alive; the collector would scan the growing heap again and again for
    nothing (about 15 % of the read). Reference counting still frees as usual.
    """
    pause = gc.isenabled()  # another thread may have paused it already: leave that to it
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if pause:
            gc.enable()


#: Every quote read from the store has all its fields set, so they share one
#: fields-set: pydantic would give each its own (728 bytes, half a quote's memory).
#: Safe because Quote is frozen; ``model_copy(update=...)`` copies it first.
_ALL_FIELDS = set(Quote.model_fields)


def _quote(quote_id: str, raw: bytes, likes: int) -> Quote:
    """A stored record as a Quote, parsed and validated in one pass of pydantic's core.

    ``raw`` is the record's JSON object; id and likes are spliced in front of its
    fields. About twice as fast as ``json.loads`` plus keyword arguments, which
    matters when a snapshot reads 100,000 quotes.
    """
    if quote_id.isprintable() and '"' not in quote_id and "\\" not in quote_id:
        id_json = f'"{quote_id}"'  # what json.dumps would write, without its cost
    else:
        id_json = json.dumps(quote_id)
    quote = Quote.model_validate_json(b'{"id":%b,"likes":%d,%b' % (id_json.encode(), likes, raw[1:]))
    object.__setattr__(quote, "__pydantic_fields_set__", _ALL_FIELDS)
    return quote
