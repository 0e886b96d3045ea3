"""The ``quotes`` command: the window, or scripting the same store from a terminal.

Exit status: 0 done; 1 it could not be done (no such quote, the quote changed
since the version ``--if-version`` names, store unreachable, or a write whose
outcome stayed unknown: the line says it may have been made); 2 bad usage or
invalid input; 130 / 143 / 129 interrupted by SIGINT / SIGTERM / SIGHUP
(``watch``: 0, its normal end); 141 the reader of the output went away. Exit
0 means every byte of the output was written (``stdout_guard``), and a write
that committed is reported as done whatever signal comes after it
(``signals``). Errors are one line on stderr (invisible characters escaped)
and invalid input writes nothing. A write that ends "may have been
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
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import BinaryIO, TextIO

from app.cli import arguments, signals
from app.cli.commands import COMMANDS
from app.cli.output import Output
from app.cli.parser import UsageError, build_parser
from app.cli.prepare import creates_store, prepare
from app.cli.signals import Interrupted
from app.cli.stdout_guard import OutputFailed
from app.repo import (
    Conflict,
    InvalidQuote,
    InvalidTenant,
    NotFound,
    QuoteRepo,
    UnknownTenant,
    open_repo,
    tenants,
)
from app.store.errors import NotAStore, StoreError, StoreUnreachable
from app.store.faults import InvalidFaults

_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: Commands that write (or read) in one step: a signal while it runs lets it
#: finish and report, so its exit status says what it did.
_ONE_STEP = frozenset({"add", "like", "edit", "delete", "seed", "tenants"})


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
        arguments.check_text(args)
    except UsageError as exc:
        out.error(str(exc))
        return 2
    except OutputFailed as exc:  # --help or --version could not be written whole
        out.error(str(exc))
        return exc.status
    except SystemExit as exc:  # --help and --version print, then exit 0
        return int(exc.code or 0)
    with _logging_to(out.stderr, args.log_level.upper()):
        if args.command in (None, "gui"):
            if open_window is None:
                out.error("this program has no window; use a command (quotes --help)")
                return 2
            return open_window(db=args.db, cluster_file=args.cluster_file, tenant=args.tenant)
        with signals.installed():
            try:
                status = _run(args, stdin or sys.stdin.buffer, out)
                signals.settle()
            except Interrupted as exc:  # one that came while another outcome was reported
                signals.settle()
                status = _interrupted(args, exc, out)
        return status


def _run(args: argparse.Namespace, stdin: BinaryIO, out: Output) -> int:
    try:
        signals.checkpoint()  # a signal that came while the program started
        prepared = prepare(args, stdin, out.stderr)  # before the store is opened: bad input touches nothing
        if args.command == "outbox":
            from app.cli import outbox  # the outbox, its store and pydantic: for this command only

            return outbox.run(args, out)
        try:
            repo = open_repo(args.db, args.cluster_file, args.tenant, create=creates_store(args))
            try:
                return _execute(args, repo, prepared, out)
            finally:
                repo.close()
        except StoreUnreachable:
            if not getattr(args, "queue", False):
                raise
            from app.cli import outbox

            return outbox.queue_instead(args, prepared, out)
    except (UsageError, InvalidQuote, InvalidTenant, InvalidFaults, NotAStore) as exc:
        signals.settle()
        out.error(str(exc))
        return 2
    except UnknownTenant as exc:
        signals.settle()
        if (args.command == "tenants" and args.action == "delete") or not _creatable(exc.name):
            out.error(str(exc))
        else:
            out.error(f"{exc}; create it with: {arguments.command(args, 'tenants', 'create', exc.name)}")
        return 1
    except NotFound as exc:
        signals.settle()
        if arguments.looks_like_id(exc.quote_id):
            out.error(str(exc))
            return 1
        out.error(f"{exc} (a quote id looks like {arguments.ID_EXAMPLE}: see 'quotes list')")
        return 2
    except (Conflict, StoreError) as exc:
        signals.settle()
        out.error(str(exc))
        return 1
    except OutputFailed as exc:
        signals.settle()
        if not exc.done and _printed_after_writing(args):
            exc.done = "the change was made"  # only its report was lost
        out.error(str(exc))
        return exc.status
    except Interrupted as exc:
        signals.settle()
        return _interrupted(args, exc, out)


def _execute(args: argparse.Namespace, repo: QuoteRepo, prepared: object, out: Output) -> int:
    """The command; one of a single step runs with signals deferred (``_ONE_STEP``)."""
    if args.command not in _ONE_STEP:
        return COMMANDS[args.command](repo, args, prepared, out)
    signals.checkpoint()  # one kept pending (see signals): nothing is written yet
    try:
        with signals.deferred():
            return COMMANDS[args.command](repo, args, prepared, out)
    except Interrupted as exc:  # a second signal: the write was cut, perhaps after its commit
        exc.done = "the change may have been made" if _printed_after_writing(args) else ""
        raise


def _printed_after_writing(args: argparse.Namespace) -> bool:
    """Whether the command writes, and prints only once its write committed."""
    if args.command == "tenants":
        return args.action is not None
    return args.command in ("add", "like", "edit", "delete", "seed", "import")


def _creatable(name: str) -> bool:
    """Whether a tenant of that name may be created (so a hint may suggest it)."""
    try:
        tenants.validate_new(name)
    except InvalidTenant:
        return False
    return True


def _interrupted(args: argparse.Namespace, exc: Interrupted, out: Output) -> int:
    """A signal stopped the command: ``watch`` ends normally, any other says what it had done."""
    if args.command == "watch":
        return 0
    out.error(f"interrupted: {exc.done}" if exc.done else "interrupted")
    return exc.status


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
