"""What wakes the SQLite engine's watch thread: file events, or polling that backs off.

- ``FileEvents`` (Linux): inotify, through ``inotify_simple``, on the store's
  ``-wal`` file (every commit in WAL mode appends to it with ``write()``), the
  main file (checkpoints write it) and its folder (the store file deleted,
  moved or replaced). The thread sleeps in ``poll()`` until the kernel reports
  one of these, so an idle store costs nothing; a commit in another process
  wakes it within microseconds. ``inotify_simple`` rather than ``watchdog``:
  it hands us the descriptor to ``poll()`` in our own thread, where watchdog
  passes every event through its buffer, emitter and observer threads (its
  buffer holds back only moves, to pair them) before a handler sees it.
- ``Polling``: where events are not available (another system, no inotify,
  the library missing) or not wanted (``QUOTES_WATCH_MODE=poll``, e.g. a
  network file system, where inotify does not see other machines' writes).
  Nothing but the caller's timeout wakes it.

The caller (``WatchRegistry``) sets the timeout: 1 ms after a change, doubling
while nothing changes up to ``slowest``. With events that ceiling is a safety
net (one cheap check a second): a commit is only visible once its writer has
updated the shared index *after* its last ``write()``, and inotify says
nothing when a folder above the store's is moved.
"""

from __future__ import annotations

import logging
import os
import select
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: ``QUOTES_WATCH_MODE``: "events" (the default: file events where available) or "poll".
MODE_VARIABLE = "QUOTES_WATCH_MODE"
MODES = ("events", "poll")


@dataclass(frozen=True)
class Wakeup:
    #: A store file was written (or events were lost): look at ``data_version``.
    changed: bool = False
    #: The main file was written (a checkpoint, or another program overwriting or
    #: truncating it, which ``data_version`` does not show): re-read the watched keys.
    rewritten: bool = False


QUIET = Wakeup()


class Polling:
    """No events: only the timeout (or ``interrupt``) ends a wait."""

    description = "polling (1 ms after a change, backing off to 100 ms at rest)"
    slowest = 0.1

    def __init__(self) -> None:
        self._interrupted = threading.Event()

    def wait(self, timeout: float | None) -> Wakeup:
        self._interrupted.wait(timeout)
        self._interrupted.clear()
        return QUIET

    def idle(self) -> None:
        """Sleep until ``interrupt``."""
        self.wait(None)

    def interrupt(self) -> None:
        self._interrupted.set()

    def close(self) -> None:
        pass


class FileEvents:
    """inotify on the store's files and folder; ``interrupt`` through a pipe."""

    description = "file events (inotify)"
    slowest = 1.0

    def __init__(self, path: Path) -> None:
        from inotify_simple import INotify, flags

        self._flags = flags
        self._path = path
        self._wal_name = path.name + "-wal"
        self._inotify = INotify()
        try:
            self._folder = self._inotify.add_watch(
                path.parent,
                flags.CREATE
                | flags.DELETE
                | flags.MOVED_FROM
                | flags.MOVED_TO
                | flags.DELETE_SELF
                | flags.MOVE_SELF,
            )
            self._main = self._inotify.add_watch(path, flags.MODIFY)
            self._watch_wal()
        except BaseException:
            self._inotify.close()
            raise
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(self._wake_write, False)
        self._poller = select.poll()
        self._poller.register(self._inotify.fileno(), select.POLLIN)
        self._poller.register(self._wake_read, select.POLLIN)

    def idle(self) -> None:
        """Sleep until ``interrupt``, whatever the files do: with no watch armed there is
        nothing to check. Their events wait in the kernel's queue meanwhile (a full
        queue says so, and counts as a change), and the next ``wait`` reads them."""
        select.select([self._wake_read], [], [])
        try:
            os.read(self._wake_read, 4096)
        except BlockingIOError:
            pass

    def _watch_wal(self) -> None:
        """Watch the ``-wal`` file; it may not exist yet (its creation is seen in the folder)."""
        try:
            self._inotify.add_watch(self._path.with_name(self._wal_name), self._flags.MODIFY)
        except FileNotFoundError:
            pass

    def wait(self, timeout: float | None) -> Wakeup:
        ready = self._poller.poll(None if timeout is None else timeout * 1000)
        if not ready:
            return QUIET
        try:
            os.read(self._wake_read, 4096)
        except BlockingIOError:
            pass
        return self._read_events()

    def _read_events(self) -> Wakeup:
        """What the events say; any event wakes the caller, which then checks the store
        file's identity (the folder's events: the file deleted, moved or replaced)."""
        flags = self._flags
        changed = rewritten = False
        for event in self._inotify.read(timeout=0):
            if event.mask & flags.Q_OVERFLOW or event.wd == self._main:
                changed = rewritten = True
            elif event.wd != self._folder:
                changed = True
            elif event.name == self._wal_name and event.mask & (flags.CREATE | flags.MOVED_TO):
                self._watch_wal()
                changed = True
        return Wakeup(changed, rewritten)

    def interrupt(self) -> None:
        try:
            os.write(self._wake_write, b"\0")
        except BlockingIOError:  # the pipe is full: the thread has a wake-up waiting anyway
            pass

    def close(self) -> None:
        self._inotify.close()
        os.close(self._wake_read)
        os.close(self._wake_write)


def watch_mode(mode: str | None) -> str:
    """``mode``, checked (``ValueError``), or by default ``$QUOTES_WATCH_MODE``, else "events"."""
    if mode is None:
        mode = os.environ.get(MODE_VARIABLE) or "events"
        if mode not in MODES:
            log.warning("%s=%s is not one of %s: using events", MODE_VARIABLE, mode, MODES)
            mode = "events"
    elif mode not in MODES:
        raise ValueError(f"watch mode {mode!r} is not one of {MODES}")
    return mode


def open_wakeups(path: Path, mode: str) -> FileEvents | Polling:
    """File events where ``mode`` (see ``watch_mode``) allows them."""
    source: FileEvents | Polling
    if mode == "poll":
        source, why = Polling(), "as asked"
    elif not sys.platform.startswith("linux"):
        source, why = Polling(), f"no file events on {sys.platform}"
    else:
        try:
            source, why = FileEvents(path), ""
        except ImportError:
            source, why = Polling(), "inotify_simple is not installed"
        except OSError as exc:
            source, why = Polling(), f"inotify unavailable: {exc.strerror or exc}"
    log.info("watches on %s woken by %s%s", path, source.description, f" ({why})" if why else "")
    return source
