"""Many quotes at once: import, and the two sample quotes.

An import writes in batches, each one transaction under 1 MB by the engine's
own count (``get_approximate_size``; FoundationDB allows 10 MB and advises
staying under 1). Each batch is exactly-once: a retry after an unknown commit
result does not import it twice. Before the first batch every id is checked,
with reads issued many at a time, so that a taken id is refused before
anything is written. ``QuoteRepo.import_many`` and ``QuoteRepo.seed`` run these.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from app.repo import changelog
from app.repo.errors import DuplicateId
from app.repo.schema import Quote, QuoteFields, check_whole, now
from app.repo.transactional import NEW, transactional
from app.repo.writing import put_new, ready_for_inserts
from app.store.base import Transaction
from app.store.errors import StoreError

if TYPE_CHECKING:
    from app.repo.quotes import QuoteRepo

#: Stop adding to a batch once the transaction affects this many bytes.
BATCH_BYTES = 900_000
#: Records whose ids one batch checks (with one ``get_many``).
BATCH_RECORDS = 2_000

SAMPLES = (
    QuoteFields(author="René Descartes", content="Cogito, ergo sum."),
    QuoteFields(author="Heraclitus", content="One cannot step twice in the same river."),
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
    """Import quotes; the count. ``DuplicateId`` (before writing) if an id is taken.

    ``progress`` is called with the running total after each committed batch.
    """
    quotes = new_quotes(items)
    seen: set[str] = set()
    for quote in quotes:
        if quote.id in seen:
            raise DuplicateId(quote.id)
        seen.add(quote.id)
    for start in range(0, len(quotes), BATCH_RECORDS):
        taken = repo.get_many([q.id for q in quotes[start : start + BATCH_RECORDS]])
        if taken:
            raise DuplicateId(next(iter(taken)))
    done = 0
    try:
        while done < len(quotes):
            done += _write_batch(repo, quotes, done)
            if progress is not None:
                progress(done)
    except StoreError as exc:  # say how far it got: those batches stay
        raise type(exc)(f"{exc} (imported {done} quotes before that)") from exc
    changelog.maybe_trim(repo.store, repo.keys, writes=done)
    return done


@transactional(once=True)
def _write_batch(repo: QuoteRepo, quotes: list[Quote], start: int, *, tr: Transaction = NEW) -> int:
    """Write quotes from ``start`` until the batch is full; how many it wrote."""
    ready_for_inserts(tr, repo)
    chunk = quotes[start : start + BATCH_RECORDS]
    taken = tr.get_many([repo.keys.record(q.id) for q in chunk])
    written = 0
    for quote, existing in zip(chunk, taken, strict=True):
        if existing is not None:
            raise DuplicateId(quote.id)
        put_new(tr, repo.keys, quote)
        written += 1
        if tr.get_approximate_size() >= BATCH_BYTES:
            break
    return written


def sample_id(fields: QuoteFields) -> str:
    return str(uuid.uuid5(_SAMPLES_NAMESPACE, f"{fields.author}\n{fields.content}"))


def seed(tr: Transaction, repo: QuoteRepo, first_run: bool) -> int:
    """The body of ``QuoteRepo.seed``."""
    ready_for_inserts(tr, repo)
    if first_run:
        if tr.get(repo.keys.seeded) is not None:
            return 0
        tr.set(repo.keys.seeded, b"1")
    at, added = now(), 0
    for n, fields in enumerate(SAMPLES):
        quote_id = sample_id(fields)
        if tr.get(repo.keys.record(quote_id)) is None:
            moment = at + timedelta(microseconds=n)
            new = Quote(id=quote_id, likes=0, inserted_at=moment, updated_at=moment, **fields.model_dump())
            put_new(tr, repo.keys, new)
            added += 1
    return added
