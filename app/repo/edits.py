"""The bodies of a quote's edit, delete and like: what each reads decides what it conflicts with.

FoundationDB refuses a commit when a key it read (without ``snapshot``) was
written by a transaction that committed meanwhile. So:

- an **edit** reads the record (it must: a concurrent edit or delete makes it
  retry, and ``if_version`` is checked against what it read) and the likes
  only as a snapshot, for the quote it returns: a concurrent like never makes
  it retry;
- a **like** reads the record only as a snapshot (an edit never makes it
  retry) and reads the quote's insertion-index key, which only an insert and
  a delete write: a concurrent delete makes it retry (and find the quote
  gone), so no like lands on a deleted quote;
- a **delete** reads the record and the likes: it returns the quote whole,
  likes included, for an undo to put back.

``if_version`` (the version the caller saw) refuses the write with
``Conflict`` in the same transaction when the quote's text changed since.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.repo.errors import Conflict, NotFound
from app.repo.records import decode, encode
from app.repo.schema import MAX_LIKES, InvalidQuote, Quote, next_version, now, utc_micros
from app.repo.writing import changed, require_tenant
from app.store.base import Transaction, decode_int

if TYPE_CHECKING:
    from app.repo.quotes import QuoteRepo


def update(
    tr: Transaction,
    repo: QuoteRepo,
    quote_id: str,
    fields: dict[str, object],
    if_version: int | None,
) -> tuple[Quote, Quote]:
    """The body of ``QuoteRepo.update``: ``fields`` holds only those given."""
    from app.repo.validation import validate_fields  # pydantic: only where input is validated

    require_tenant(tr, repo)  # never into a collection deleted and created again
    keys = repo.keys
    raw = tr.get(keys.record(quote_id))
    if raw is None:
        raise NotFound(quote_id)
    current = decode(quote_id, raw, decode_int(tr.get(keys.likes(quote_id), snapshot=True)))
    _require_version(quote_id, if_version, current)
    valid = validate_fields(
        **{"author": current.author, "content": current.content, "as_of": current.as_of, **fields}
    )
    if (valid.author, valid.content, valid.as_of) == (current.author, current.content, current.as_of):
        return current, current  # nothing changes: nothing is written
    edited = current.replace(**valid.model_dump(), updated_at=now(), version=next_version(current.version))
    tr.set(keys.record(quote_id), encode(edited))
    tr.add(keys.version(quote_id), 1)
    changed(tr, keys, "update", quote_id)
    return current, edited


def delete(tr: Transaction, repo: QuoteRepo, quote_id: str, if_version: int | None) -> Quote:
    """The body of ``QuoteRepo.delete``: the quote as it was."""
    require_tenant(tr, repo)
    quote = repo.get(quote_id, tr=tr)
    if quote is None:
        raise NotFound(quote_id)
    _require_version(quote_id, if_version, quote)
    remove(tr, repo, quote)
    return quote


def remove(tr: Transaction, repo: QuoteRepo, quote: Quote) -> None:
    """Clear a quote's keys and log its deletion (it was read in ``tr``)."""
    keys = repo.keys
    tr.clear(keys.by_insertion(utc_micros(quote.inserted_at), quote.id))
    tr.clear(keys.record(quote.id))
    tr.clear(keys.likes(quote.id))
    tr.clear(keys.version(quote.id))
    changed(tr, keys, "delete", quote.id)


def add_likes(tr: Transaction, repo: QuoteRepo, quote_id: str, n: int) -> None:
    """The body of ``QuoteRepo.add_likes``."""
    if n < 1:
        raise ValueError("a like adds at least one")
    require_tenant(tr, repo)
    keys = repo.keys
    raw = tr.get(keys.record(quote_id), snapshot=True)
    if raw is None:
        raise NotFound(quote_id)
    inserted_at = decode(quote_id, raw, 0).inserted_at
    tr.get(keys.by_insertion(utc_micros(inserted_at), quote_id))  # conflicts with a delete only
    # A snapshot read: concurrent likes must not conflict with each other.
    if decode_int(tr.get(keys.likes(quote_id), snapshot=True)) + n > MAX_LIKES:
        raise InvalidQuote(f"this quote has the most likes a quote can have ({MAX_LIKES:,})")
    tr.add(keys.likes(quote_id), n)
    tr.add(keys.version(quote_id), 1)
    changed(tr, keys, "update", quote_id)


def _require_version(quote_id: str, if_version: int | None, current: Quote) -> None:
    if if_version is not None and if_version != current.version:
        raise Conflict(quote_id, if_version, current)
