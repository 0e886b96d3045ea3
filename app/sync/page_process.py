"""A collection's pages in id order, read by a second process.

Why: reading a million quotes is interpreter time, and a window's process has
one interpreter lock for its reader thread and its GUI thread. A child process
(``python -m app.sync.page_process DB TENANT PAGE``) reads each page's records
and likes as stored (``QuoteRepo.raw_page``, one transaction a page) and hands
them over a pipe as msgpack frames; this process only decodes them
(``QuoteRepo.decode_page``). Measured on a million quotes: whole in 2.5-2.7 s
of wall time against 3.6 s read in one process, 1.9-2.0 µs of this process's
time a quote against about 4.

Frames: a 4-byte little-endian length, then msgpack of ``("page", ids,
records, likes, after)`` (``after`` None: the last page) or ``("error",
kind, message)``.
Only the embedded store, and only where ``sys.executable`` is Python (not a
packaged app, which reads in one process as before). The child inherits the
environment (``QUOTES_FAULTS`` included: its transactions meet the same
faults); a stream given up kills it, and a child that ends early ends the
page being read with ``StoreUnavailable``: the live collection shows it
offline and starts the stream again.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import msgspec

from app.repo import QuoteRepo, StoreError, StoreGone, StoreUnavailable, UnknownTenant, open_repo
from app.repo.paged_read import RawPage
from app.repo.schema import Quote
from app.store.errors import NotAStore, StoreUnreachable

_ERRORS: dict[str, type[StoreError]] = {
    cls.__name__: cls for cls in (StoreError, StoreGone, StoreUnavailable, StoreUnreachable, NotAStore)
}
_Frame = tuple[Any, ...]
#: Where ``app`` is: the child imports it from there, wherever it was started.
_SOURCE = str(Path(__file__).resolve().parents[2])


class PageProcess:
    """A child process reading ``repo``'s pages in id order, ``page`` quotes each."""

    def __init__(self, repo: QuoteRepo, page: int) -> None:
        self._repo = repo
        path = getattr(repo.store, "path", None)
        paths = [_SOURCE, *filter(None, [os.environ.get("PYTHONPATH")])]
        self._child = subprocess.Popen(
            [sys.executable, "-m", "app.sync.page_process", str(path), repo.tenant, str(page)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
        )
        assert self._child.stdout is not None
        self._frames: IO[bytes] = self._child.stdout
        self._decode = msgspec.msgpack.Decoder().decode

    @staticmethod
    def usable(repo: QuoteRepo) -> bool:
        """True where a child can read ``repo``: an embedded store, from Python."""
        return getattr(repo.store, "path", None) is not None and not getattr(sys, "frozen", False)

    def read(self) -> tuple[list[Quote], str | None]:
        """The next page's quotes, and the id after it (None: it was the last).
        Blocks: call it on an executor."""
        frame = self._next_frame()
        if frame[0] == "page":
            _, ids, records, likes, after = frame
            return self._repo.decode_page(RawPage(ids, records, likes)), after
        if frame[0] == "error":
            _, kind, message = frame
            if kind == "UnknownTenant":
                raise UnknownTenant(self._repo.tenant, [])
            raise _ERRORS.get(kind, StoreError)(message)
        raise StoreUnavailable("the process reading the store ended before the collection did")

    def close(self) -> None:
        """Stop the child (a stream given up, or read to the end); a page being
        decoded meanwhile ends with the pipe."""
        if self._child.poll() is None:
            self._child.kill()
        self._child.wait()
        self._frames.close()  # a read under way ends first: the pipe's other end is gone

    def _next_frame(self) -> _Frame:
        try:
            size = self._frames.read(4)
            if len(size) < 4:
                return ("gone",)
            data = self._frames.read(int.from_bytes(size, "little"))
        except ValueError:  # closed: the stream was given up
            return ("gone",)
        frame: _Frame = self._decode(data)
        return frame


def _serve(db: str, tenant: str, page: int, out: IO[bytes]) -> None:
    encode = msgspec.msgpack.Encoder().encode

    def send(frame: _Frame) -> None:
        data = encode(frame)
        out.write(len(data).to_bytes(4, "little"))
        out.write(data)
        out.flush()

    try:
        repo = open_repo(db, tenant=tenant)
        after: str | None = None
        while True:
            raw, after = repo.raw_page(after, page)
            send(("page", raw.ids, raw.records, raw.likes, after))
            if after is None:  # the last page says so: nothing more to send
                break
    except UnknownTenant:
        send(("error", "UnknownTenant", tenant))
    except StoreError as exc:
        send(("error", type(exc).__name__, str(exc)))


if __name__ == "__main__":
    try:
        _serve(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.stdout.buffer)
    except BrokenPipeError:  # the reader went away: nothing to tell
        pass
