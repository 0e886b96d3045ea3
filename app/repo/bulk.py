"""Many quotes at once: import, and the two sample quotes.

An import writes in batches, each one transaction under 1 MB by the engine's
own count (``get_approximate_size``; FoundationDB allows 10 MB and advises
staying under 1). FoundationDB's count is more than keys and values: each
mutation adds its key and value and about 40 bytes, and each key read or
written with a conflict adds a conflict range (32 bytes and twice the key),
so the ids a batch checks are read ``BATCH_RECORDS`` at a time, record keys
only: the reads take well under half the budget. Each batch is exactly-once:
a retry after an unknown commit result does not import it twice.

An import is all-or-nothing across collections (``import_groups``): every
record is checked and every id looked up in its target collection before
anything is written, and the collections to create are created in the first
batch's transaction. ``QuoteRepo.import_many`` (one collection) and
``QuoteRepo.seed`` run these too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, NamedTuple

from app.repo import changelog, tenants
from app.repo.errors import DuplicateImport
from app.repo.schema import Quote, check_whole, now
from app.repo.transactional import NEW, transactional
from app.repo.writing import put_new, ready_for_inserts
from app.store.base import Transaction, decode_int
from app.store.errors import StoreError

if TYPE_CHECKING:
    from app.repo.quotes import QuoteRepo
    from app.repo.validation import QuoteFields

#: Stop adding to a batch once the transaction affects this many bytes.
BATCH_BYTES = 900_000
#: Records whose ids one batch checks (with one ``get_many``).
BATCH_RECORDS = 1_000


class Sample(NamedTuple):
    """A sample quote's text (seeded as it is: no validation to load)."""

    author: str
    content: str


SAMPLES = (
    Sample(author="René Descartes", content="Cogito, ergo sum."),
    Sample(author="Heraclitus", content="One cannot step twice in the same river."),
)
#: The samples' ids are fixed, so seeding twice adds nothing.
_SAMPLES_NAMESPACE = uuid.UUID("5b0e3f52-2d33-4c3e-9a57-5f0f7e2f9c11")


def new_quotes(items: Iterable[Quote | tuple[QuoteFields, int]]) -> list[Quote]:
    """Whole quotes kept as they are; new ones given ids and distinct, ordered times."""
    start, quotes = now(), list[Quote]()
    for n, item in enumerate(items):
        if isinstance(item, Quote):
            quotes.append(check_whole(item))
            continue
        fields, likes = item
        at = start + timedelta(microseconds=n)  # file order is insertion order
        quotes.append(
            Quote(id=str(uuid.uuid4()), likes=likes, inserted_at=at, updated_at=at, **fields.model_dump())
        )
    return quotes


def import_many(
    repo: QuoteRepo,
    items: Iterable[Quote | tuple[QuoteFields, int]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Import quotes into one collection; the count. ``DuplicateId`` (before
    writing) if an id is taken."""
    return import_groups(repo, {repo.tenant: items}, set(), progress)


def import_groups(
    repo: QuoteRepo,
    groups: dict[str, Iterable[Quote | tuple[QuoteFields, int]]],
    create: set[str],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Import quotes into several collections of ``repo``'s store (tenant name
    -> items); the count.

    The tenants in ``create`` are made (in the first batch's transaction) unless
    they exist; the others must exist (``UnknownTenant``). ``DuplicateImport``
    before anything is written if an id is taken in its collection or repeated.
    ``progress`` is called with the running total after each committed batch.
    """
    targets = [(type(repo)(repo.store, name), new_quotes(items)) for name, items in groups.items()]
    for target, quotes in targets:
        _check_free(target, quotes, must_exist=target.tenant not in create)
    done = 0  # committed so far, every collection
    to_create = sorted(create)
    try:
        for target, quotes in targets:
            written = 0
            while written < len(quotes) or to_create:
                batch = _write_batch(target, quotes, written, to_create)
                written, done, to_create = written + batch, done + batch, []
                if progress is not None:
                    progress(done)
            changelog.maybe_trim(repo.store, target.keys, writes=written)
    except StoreError as exc:  # say how far it got: those batches stay
        raise type(exc)(f"{exc} (imported {done} quotes before that)") from exc
    return done


def _check_free(repo: QuoteRepo, quotes: list[Quote], must_exist: bool) -> None:
    """``DuplicateImport`` unless every id is new to the file and to the collection."""
    seen: set[str] = set()
    for quote in quotes:
        if quote.id in seen:
            raise DuplicateImport(repo.tenant, quote.id)
        seen.add(quote.id)
    if not must_exist and not tenants.exists(repo.store, repo.tenant):
        return  # made by this import: nothing in it yet
    for start in range(0, len(quotes), BATCH_RECORDS):
        taken = _taken(repo, [q.id for q in quotes[start : start + BATCH_RECORDS]])
        if taken:
            raise DuplicateImport(repo.tenant, taken[0])


@transactional
def _taken(repo: QuoteRepo, ids: list[str], *, tr: Transaction = NEW) -> list[str]:
    """Those of ``ids`` that a quote of the collection has (``UnknownTenant`` if
    there is no such collection)."""
    tenants.require(repo.store, repo.tenant, tr=tr)
    found = tr.get_many([repo.keys.record(i) for i in ids])
    return [i for i, raw in zip(ids, found, strict=True) if raw is not None]


@transactional(once=True)
def _write_batch(
    repo: QuoteRepo, quotes: list[Quote], start: int, create: list[str], *, tr: Transaction = NEW
) -> int:
    """Create the tenants in ``create``, then write quotes from ``start`` until
    the batch is full; how many it wrote."""
    for name in create:
        tenants.create(repo.store, name, tr=tr)
    if start >= len(quotes):
        return 0
    ready_for_inserts(tr, repo)
    chunk = quotes[start : start + BATCH_RECORDS]
    taken = tr.get_many([repo.keys.record(q.id) for q in chunk])
    written = 0
    for quote, existing in zip(chunk, taken, strict=True):
        if existing is not None:
            raise DuplicateImport(repo.tenant, quote.id)
        put_new(tr, repo.keys, quote)
        written += 1
        if tr.get_approximate_size() >= BATCH_BYTES:
            break
    return written


def sample_id(fields: Sample | QuoteFields) -> str:
    return str(uuid.uuid5(_SAMPLES_NAMESPACE, f"{fields.author}\n{fields.content}"))


def _brand_new(tr: Transaction, repo: QuoteRepo) -> bool:
    """Nothing was ever written to the collection (no insert, import or restore,
    even one deleted since) and the store has no other collection."""
    ever = decode_int(tr.get(repo.keys.counter("inserts")))
    return ever == 0 and tenants.names(repo.store, tr=tr) == [tenants.DEFAULT]


def seed(tr: Transaction, repo: QuoteRepo, first_run: bool) -> int:
    """The body of ``QuoteRepo.seed``."""
    ready_for_inserts(tr, repo)
    if first_run:
        if tr.get(repo.keys.seeded) is not None:
            return 0
        tr.set(repo.keys.seeded, b"1")
        if not _brand_new(tr, repo):
            return 0
    at, added = now(), 0
    for n, fields in enumerate(SAMPLES):
        quote_id = sample_id(fields)
        if tr.get(repo.keys.record(quote_id)) is None:
            moment = at + timedelta(microseconds=n)
            new = Quote(
                id=quote_id,
                likes=0,
                inserted_at=moment,
                updated_at=moment,
                author=fields.author,
                content=fields.content,
            )
            put_new(tr, repo.keys, new)
            added += 1
    return added
