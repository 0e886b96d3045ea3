"""Fault injection in the manner of FoundationDB's simulator (BUGGIFY).

``QUOTES_FAULTS="seed=7,commit_unknown_result=0.2,not_committed=0.1"`` makes
both engines fail transactions the way a cluster does, so that the code above
them is proven idempotent and exactly-once here, not first in production:

- ``not_committed`` (1020): the commit is refused, nothing is written;
- ``commit_unknown_result`` (1021): half the time after the commit really
  happened, half the time before; the retry loop runs the body again;
- ``commit_timed_out`` (1031): the commit happens, then the transaction times
  out (what FoundationDB's client buggify does, with the commit still in
  flight); an unknown result too, so the retry loop runs the body again.
  A read-only attempt that armed watches fails its commit the same way
  (the real client does), so the body runs again to arm them;
- ``transaction_too_old`` (1007): a read fails, as after 5 seconds;
- ``watch_error``: a watch fails instead of firing.

``unreachable_file=PATH``: while a file exists at PATH, every transaction
and ping fails as on a cluster that does not answer (``StoreUnreachable``),
and watches stay silent, as a cluster's do; delete the file and the store
answers again. Tests toggle it to take the store away and bring it back
(the embedded engine only: a real cluster is stopped instead).

``client_buggify=P`` (a percentage, 0-100) asks the FoundationDB client
library for its own fault injection instead (CLIENT_BUGGIFY: conflicts,
1021 after a real commit, 1031 with the commit in flight, 1007 and
``future_version`` 1009 on reads, proxy memory limits 1042/1078): the
FoundationDB engine sets the client's buggify network options before the
network starts, so it holds for the whole process. The embedded engine
refuses it (``InvalidFaults``): it has no client library to ask.

The same seed gives the same faults for the same sequence of transactions in
one process. Off unless asked.
"""

from __future__ import annotations

import os
import random
import threading
from pathlib import Path

ENV = "QUOTES_FAULTS"
NAMES = (
    "not_committed",
    "commit_unknown_result",
    "commit_timed_out",
    "transaction_too_old",
    "watch_error",
)
#: The real FoundationDB client's own fault injection, in percent (FoundationDB only).
CLIENT_BUGGIFY = "client_buggify"
#: While a file exists at this path, the embedded store does not answer.
UNREACHABLE_FILE = "unreachable_file"


class InvalidFaults(ValueError):
    """``QUOTES_FAULTS`` does not parse; the message says what is wrong."""


class Faults:
    """Seeded coin flips, one per chance of a fault (thread-safe)."""

    def __init__(
        self,
        seed: int,
        chances: dict[str, float],
        client_buggify: int = 0,
        unreachable_file: Path | None = None,
    ) -> None:
        self.seed = seed
        self.chances = dict(chances)
        #: Percent of the FoundationDB client's buggify sections that fire (0: off).
        self.client_buggify = client_buggify
        #: While a file exists here, the store does not answer (None: never).
        self.unreachable_file = unreachable_file
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def hit(self, name: str) -> bool:
        """Whether the fault ``name`` strikes now."""
        chance = self.chances.get(name, 0.0)
        if chance <= 0.0:
            return False
        with self._lock:
            return self._random.random() < chance

    def unreachable(self) -> bool:
        """Whether the store is to behave as a cluster that does not answer, now."""
        return self.unreachable_file is not None and self.unreachable_file.exists()

    def coin(self) -> bool:
        with self._lock:
            return self._random.random() < 0.5

    def __repr__(self) -> str:
        return (
            f"Faults(seed={self.seed}, {self.chances}, client_buggify={self.client_buggify}, "
            f"unreachable_file={self.unreachable_file})"
        )


def parse(text: str) -> Faults | None:
    """The faults ``text`` asks for (None for none), or ``InvalidFaults``."""
    seed, chances, client_buggify = 0, {}, 0
    unreachable_file: Path | None = None
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep:
            raise InvalidFaults(f"{ENV}: expected name=value, got {part!r}")
        if name == "seed":
            try:
                seed = int(value)
            except ValueError:
                raise InvalidFaults(f"{ENV}: seed must be a whole number, got {value!r}") from None
            continue
        if name == CLIENT_BUGGIFY:
            client_buggify = _percent(value)
            continue
        if name == UNREACHABLE_FILE:
            if not value.strip():
                raise InvalidFaults(f"{ENV}: {UNREACHABLE_FILE} needs a file path")
            unreachable_file = Path(value.strip())
            continue
        if name not in NAMES:
            raise InvalidFaults(
                f"{ENV}: unknown fault {name!r} "
                f"(known: seed, {', '.join(NAMES)}, {CLIENT_BUGGIFY}, {UNREACHABLE_FILE})"
            )
        try:
            chance = float(value)
        except ValueError:
            chance = -1.0
        if not 0.0 <= chance <= 1.0:
            raise InvalidFaults(f"{ENV}: {name} must be a probability from 0 to 1, got {value!r}")
        chances[name] = chance
    if not any(chances.values()) and not client_buggify and unreachable_file is None:
        return None
    return Faults(seed, chances, client_buggify, unreachable_file)


def _percent(value: str) -> int:
    try:
        percent = int(value)
    except ValueError:
        percent = -1
    if not 0 <= percent <= 100:
        raise InvalidFaults(
            f"{ENV}: {CLIENT_BUGGIFY} must be a whole percentage from 0 to 100, got {value!r}"
        )
    return percent


#: A store's ``faults`` argument by default: whatever ``QUOTES_FAULTS`` asks for.
FROM_ENVIRONMENT = object()


def resolve(faults: Faults | None | object) -> Faults | None:
    """``faults`` as given, or read from the environment for ``FROM_ENVIRONMENT``."""
    if isinstance(faults, Faults) or faults is None:
        return faults
    return from_environment()


def from_environment() -> Faults | None:
    """The faults asked for in ``QUOTES_FAULTS`` (None when unset or all zero)."""
    return parse(os.environ.get(ENV, ""))
