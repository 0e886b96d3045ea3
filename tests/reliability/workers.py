"""Writer processes for the reliability tests: each reports every write it completed.

Run as ``python -m tests.reliability.workers DB SEED WRITES``: mixes WRITES likes,
adds and deletes on one store and prints one JSON line per write *after* it
committed (flushed), so whatever the test reads was confirmed; a delete is
also announced before it starts.
"""

from __future__ import annotations

import json
import random
import sys

from app.repo import NotFound, open_repo


def main() -> None:
    db, seed, writes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    repo = open_repo(db)
    ids = [q.id for q in repo.read_all()]
    for _ in range(writes):
        roll = rng.random()
        try:
            if roll < 0.3 or not ids:
                quote = repo.insert(f"writer {seed}", f"quote {rng.random()}")
                ids.append(quote.id)
                report("add", quote.id)
            elif roll < 0.9:
                quote_id = rng.choice(ids)
                repo.like(quote_id)
                report("like", quote_id)
            else:
                quote_id = ids.pop(rng.randrange(len(ids)))
                report("deleting", quote_id)  # a kill may land after the commit
                repo.delete(quote_id)
                report("delete", quote_id)
        except NotFound:  # another writer deleted it first
            ids = [q.id for q in repo.read_all()]
    repo.close()


def report(op: str, quote_id: str) -> None:
    sys.stdout.write(json.dumps({"op": op, "id": quote_id}) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
