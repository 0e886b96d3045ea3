"""A writer for ``read_under_load``: likes random quotes until told to stop.

``python -m benchmarks.read_under_load_writer DB QUOTES SEED``: prints
``ready``, likes quotes ``id_of(0 .. QUOTES-1)`` at random as fast as the
store takes them, and on a line on stdin prints ``liked N`` and exits.
"""

from __future__ import annotations

import random
import sys
import threading

from app.repo import QuoteRepo
from app.store.sqlite import SQLiteStore
from benchmarks._common import id_of


def main() -> None:
    path, quotes, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    repo = QuoteRepo(SQLiteStore(path, faults=None))
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
    rng, liked = random.Random(seed), 0
    print("ready", flush=True)
    while not stop.is_set():
        repo.add_likes(id_of(rng.randrange(quotes)))
        liked += 1
    print("liked", liked, flush=True)
    repo.close()


if __name__ == "__main__":
    main()
