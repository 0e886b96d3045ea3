"""Delete one quote chosen at random, in one transaction.

Choosing in one transaction and deleting in another lets two callers choose
the same quote: the second then fails with "no quote with id X" although
quotes remain. Here the choice and the delete commit together, so a caller
finds nothing to delete only when the collection is empty.

The choice reads one key, not the collection: the first record at or after a
random id (wrapping round to the first record). Ids are random UUIDs, so every
quote is about equally likely, and concurrent callers on FoundationDB conflict
only when they land on the same record. Exactly-once, like every user write
(``QuoteRepo.delete_random``).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from app.repo.schema import Quote
from app.store.base import Transaction

if TYPE_CHECKING:
    from app.repo.quotes import QuoteRepo


def delete_random(tr: Transaction, repo: QuoteRepo) -> Quote | None:
    """The quote deleted, as it was, or None if there was none."""
    begin, end = repo.keys.records
    start = repo.keys.record(str(uuid.uuid4()))
    found = tr.get_range(start, end, limit=1) or tr.get_range(begin, end, limit=1)
    if not found:
        return None
    return repo.delete(repo.keys.id_of(found[0][0]), tr=tr)
