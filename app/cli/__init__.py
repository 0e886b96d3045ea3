"""The ``quotes`` command: the window, or scripting the same store from a terminal.

Exit status: 0 done; 1 it could not be done (no such quote, the quote changed
since the version ``--if-version`` names, store unreachable, or a write whose
outcome stayed unknown: the line says it may have been made); 2 bad usage or
invalid input; 130 / 143 interrupted by SIGINT / SIGTERM; 141 the reader of
the output went away. Errors are one line on stderr (control characters
escaped) and invalid input writes nothing. A write that ends "may have been
made" is rare: the store settles an unknown commit result by running the
write's token again until it knows, so that line appears only when the store
stayed unreachable past the retry budget.

``main`` runs in the caller's process and leaves it as it found it: the
signal handlers and the log handler it installs are removed when it returns,
and it writes to the streams it is given (the process's own by default).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import BinaryIO, TextIO

from app.cli import signals
from app.cli.commands import COMMANDS
from app.cli.output import Output, OutputFailed
from app.cli.parser import UsageError, build_parser
from app.cli.prepare import creates_store, prepare
from app.cli.signals import Interrupted
from app.repo import Conflict, InvalidQuote, InvalidTenant, NotFound, UnknownTenant, open_repo
from app.store.errors import NotAStore, StoreError
from app.store.faults import InvalidFaults

_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: BinaryIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    open_window: Callable[..., int] | None = None,
) -> int:
    """Run the command ``argv`` (default: the process's arguments); its exit status.

    ``stdin`` is read as bytes (``import -``); ``stdout`` and ``stderr`` take text.
    ``open_window(db=, cluster_file=, tenant=)`` runs the window for ``gui`` (and
    no command): the command line sits beside the user interface, not above
    it, so the program's entry point (``app.main``) hands it in.
    """
    out = Output(stdout or sys.stdout, stderr or sys.stderr)
    try:
        args = build_parser(out.stdout).parse_args(argv)
    except UsageError as exc:
        out.error(str(exc))
        return 2
    except SystemExit as exc:  # --help and --version print, then exit 0
        return int(exc.code or 0)
    with _logging_to(out.stderr, args.log_level.upper()):
        if args.command in (None, "gui"):
            if open_window is None:
                out.error("this program has no window; use a command (quotes --help)")
                return 2
            return open_window(db=args.db, cluster_file=args.cluster_file, tenant=args.tenant)
        with signals.installed():
            return _run(args, stdin or sys.stdin.buffer, out, own_stdout=stdout is None)


def _run(args: argparse.Namespace, stdin: BinaryIO, out: Output, own_stdout: bool) -> int:
    try:
        prepared = prepare(args, stdin, out.stderr)  # before the store is opened: bad input touches nothing
        repo = open_repo(args.db, args.cluster_file, args.tenant, create=creates_store(args))
        try:
            return COMMANDS[args.command](repo, args, prepared, out)
        finally:
            repo.close()
    except (UsageError, InvalidQuote, InvalidTenant, InvalidFaults, NotAStore) as exc:
        out.error(str(exc))
        return 2
    except UnknownTenant as exc:
        out.error(f"{exc}; create it with: quotes tenants create {exc.name}")
        return 1
    except (NotFound, Conflict, StoreError) as exc:
        out.error(str(exc))
        return 1
    except OutputFailed as exc:
        if own_stdout:
            _discard_unwritten_output()
        out.error(str(exc))
        return 1
    except Interrupted as exc:
        out.error(f"interrupted: {exc.done}" if exc.done else "interrupted")
        return exc.status
    except BrokenPipeError:
        # The reader went away (e.g. `quotes export | head`): stop quietly, with the
        # status a shell gives a program that SIGPIPE ended, as cat or grep would.
        if own_stdout:
            _discard_unwritten_output()
        return 128 + 13


@contextmanager
def _logging_to(stream: TextIO, level: str) -> Iterator[None]:
    """Log records at ``level`` and above go to ``stream`` while the command runs."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(_LOG_FORMAT))
    root = logging.getLogger()
    level_before = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(level_before)


def _discard_unwritten_output() -> None:
    """Point the process's stdout at /dev/null, so the exit's flush cannot fail a second time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
