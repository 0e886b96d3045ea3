"""The ``quotes`` command's arguments and the help a person reads."""

from __future__ import annotations

import argparse
import difflib
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, Protocol

from app import __version__
from app.cli import outbox_arguments
from app.repo.schema import MAX_LIKES, MAX_VERSION
from app.repo.tenants import DEFAULT


class UsageError(Exception):
    """Bad usage or invalid input: exit status 2."""


class Writable(Protocol):
    """Where help goes: standard output, guarded (``stdout_guard``) or not."""

    def write(self, text: str, /) -> int: ...


class _Parser(argparse.ArgumentParser):
    """Errors raise ``UsageError``; help and version go to ``stdout`` (then ``SystemExit(0)``)."""

    def __init__(self, stdout: Writable | None = None, **kwargs: Any) -> None:
        super().__init__(formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)
        self.stdout = stdout or sys.stdout

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")

    def _print_message(self, message: str, file: Any = None) -> None:
        if message:
            self.stdout.write(message)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        """A mistyped choice (``quotes lsit``) is answered with the closest one, if any
        (argparse's own suggestions come only with Python 3.14)."""
        choices = action.choices
        if choices is not None and isinstance(value, str) and value not in choices:
            close = difflib.get_close_matches(value, [str(choice) for choice in choices], n=1)
            if close:
                raise argparse.ArgumentError(action, f"invalid choice: {value!r}; did you mean {close[0]!r}?")
        super()._check_value(action, value)


DESCRIPTION = """\
A live list of quotes. With no command, opens the window.

Every open window and every 'quotes watch', on this machine (the embedded
store) or on every machine of a FoundationDB cluster, sees each like, new
quote and deletion as it happens."""

EPILOG = """\
examples:
  quotes                                   open the window
  quotes add --author Seneca --content "Luck is preparation meeting opportunity."
  quotes like 1b7064c4-1049-4839-8d16-f71a357512e7
  quotes watch --json                      follow every change as JSON lines
  quotes --tenant work list                another collection in the same store
  quotes --cluster-file /etc/foundationdb/fdb.cluster list

Every quote has a version (list --json, watch --json) that changes whenever
its author or content changes, never on likes. 'edit' and 'delete' take
--if-version V: they change nothing and exit 1 if the quote has changed since
you saw version V. Without it the last write wins.

exit status: 0 done, every byte of the output written; 1 it could not be done
(no such quote, it changed since --if-version, store unreachable, the output
could not be written whole, or a write whose outcome stayed unknown: the line
says it may have been made); 2 bad usage or invalid input (nothing is
written); 130 / 143 / 129 interrupted by Ctrl+C / SIGTERM / SIGHUP (one line
says what was done; a write that committed reports success whatever signal
follows); 141 the program reading the output closed it (e.g. 'quotes export |
head'). 'quotes watch' runs until interrupted, and then exits 0."""

#: name -> (one-line help, longer description with an example)
COMMANDS = {
    "gui": ("open the window (the default)", "Open the window on the store and tenant chosen."),
    "add": (
        "add a quote; prints its id",
        "Add a quote. Author (at most 200 characters) and content (at most 5,000)\n"
        "are required and must not be blank; surrounding white space is trimmed.\n\n"
        'example: quotes add --author "Heraclitus" --content "Everything flows."',
    ),
    "edit": (
        "change a quote's author or content",
        "Change the author, the content, or both, of the quote with this id; its id\n"
        "and likes stay. The same rules as add apply. Prints the quote's new version\n"
        "(unchanged if the edit changes nothing, and then nothing is written).\n"
        "--if-version V: only if the quote is still at version V (as 'list --json'\n"
        "showed it); if someone changed it since, nothing is written and it exits 1\n"
        "naming the newer version. Without --if-version the last write wins.\n\n"
        'example: quotes edit ID --if-version 4211 --content "Everything flows."',
    ),
    "like": ("add one like to a quote", "Add one like to the quote with this id.\n\nexample: quotes like ID"),
    "delete": (
        "delete a quote",
        "Delete the quote with this id, or one chosen at random; prints its id.\n"
        "--if-version V: only if the quote is still at version V; if its author or\n"
        "content changed since, nothing is deleted and it exits 1 naming the newer\n"
        "version. Without --if-version the last write wins.\n\n"
        "examples: quotes delete ID\n          quotes delete ID --if-version 4211\n"
        "          quotes delete --random",
    ),
    "list": (
        "print the collection",
        "Print every quote: id, likes, content and author, oldest first. Invisible\n"
        "and format characters (control characters, zero-width spaces, bidirectional\n"
        "marks, ...) are shown escaped (\\u200b), a backslash doubled; never with --json.\n"
        "--json: every field, the version included (what --if-version takes).\n"
        "--search: only quotes whose author or content contains the text, ignoring\n"
        "case and accents.\n\n"
        'examples: quotes list --search rene        finds "René Descartes"\n'
        "          quotes list --json > quotes.json",
    ),
    "watch": (
        "print changes as they happen, until interrupted",
        "Print the collection, then each insert, update and delete as it happens,\n"
        "until Ctrl+C (or SIGTERM), then exit 0. With an id, follow that one quote.\n"
        "While the store cannot be read it says so and retries; if its file is\n"
        "deleted, moved or damaged it ends with status 1.\n"
        "--search: only quotes whose author or content contains the text; a quote\n"
        "that starts matching (added or edited) is an insert, one that stops\n"
        "matching (deleted or edited) is a delete.\n\n"
        '--json: the first line is {"event": "snapshot", ...}, then one line per change:\n'
        '{"event": "insert" | "update" | "delete", "id": ..., "quote": {...} | null};\n'
        'each quote with every field, its "version" included.\n\n'
        "example: quotes watch --json --search heraclitus",
    ),
    "seed": (
        "add the two sample quotes if they are missing",
        "Add the two sample quotes (René Descartes and Heraclitus) unless they are\n"
        "there already; prints how many were added (2, then 0).",
    ),
    "import": (
        "add quotes from JSON lines or a JSON array",
        "Add quotes from a file of JSON lines or one JSON array of\n"
        '{"author": ..., "content": ...} objects, or of whole quotes as export writes\n'
        "them: their ids, likes and times are kept (an id already in use is refused),\n"
        "and records with a tenant (export --all) go back to that tenant, which is\n"
        'created if needed ({"tenant": NAME} alone creates an empty one). Every\n'
        "record is checked first: one bad record anywhere and nothing is imported.\n"
        "All or nothing: Ctrl+C (or a failure) takes back what was written. Prints\n"
        "the count; on a terminal, a progress line on stderr while it works.\n"
        f"likes, if given, is a whole number from 0 to {MAX_LIKES:,} (2**53 - 1,\n"
        "exact in every JSON reader); as_of, inserted_at and updated_at are ISO 8601\n"
        "times with their offset from UTC (Z, +02:00, +05:30:15), kept as that exact\n"
        "instant in UTC; a time without an offset is refused. Lines end with \\n (or\n"
        "\\r\\n) only; a line is at most 16 MiB, a file at most 256 MiB.\n\n"
        "example (a copy of the collection in a new tenant):\n"
        "  quotes export > backup.jsonl && quotes tenants create copy &&\n"
        "  quotes --tenant copy import backup.jsonl",
    ),
    "export": (
        "write the collection as JSON lines",
        "Write every quote, oldest first, as JSON lines with every field (what\n"
        "import reads back exactly). --all: every tenant, each line naming its\n"
        'tenant, and {"tenant": NAME} for a tenant without quotes: a backup of the\n'
        "whole store. A record the store holds damaged (written by another program)\n"
        "is left out and named on stderr, and the exit status is 1. Interrupted, it exits\n"
        "130 (143 for SIGTERM) and says how many quotes it wrote; exit status 0\n"
        "means the whole collection was written.\n\n"
        "example: quotes export --all > backup.jsonl",
    ),
    "outbox": outbox_arguments.HELP,
    "tenants": (
        "list, create or delete tenants",
        "List the tenants (separate collections) in the store, or create or delete\n"
        "one. 'default' always exists; any other tenant is created on purpose, and a\n"
        "command given an unknown tenant changes nothing.\n\n"
        "examples: quotes tenants\n"
        "          quotes tenants create work\n"
        "          quotes tenants delete work --yes   (deletes its quotes too)",
    ),
}


def _iso_time(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None


def _version(text: str) -> int:
    try:
        version = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a version (a whole number): {text!r}") from None
    if not 0 <= version <= MAX_VERSION:
        raise argparse.ArgumentTypeError(f"a version is a whole number from 0 to {MAX_VERSION:,}")
    return version


def build_parser(stdout: Writable | None = None) -> argparse.ArgumentParser:
    """The command line's parser; its help and version are written to ``stdout``."""
    parser = _Parser(stdout, prog="quotes", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"quotes {__version__}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        help="the embedded store's file (default: one in your user data folder)",
    )
    where.add_argument(
        "--cluster-file",
        metavar="PATH",
        help="use a FoundationDB cluster (default: $FDB_CLUSTER_FILE if set)",
    )
    parser.add_argument(
        "--tenant",
        metavar="NAME",
        default=DEFAULT,
        help="the collection to use (default: %(default)s)",
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=["debug", "info", "warning", "error"],
        help="how much to log on stderr (default: %(default)s)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands = {
        name: sub.add_parser(name, help=short, description=long, stdout=parser.stdout)
        for name, (short, long) in COMMANDS.items()
    }
    commands["add"].add_argument("--author", required=True, help="who said it")
    commands["add"].add_argument("--content", required=True, help="what was said")
    commands["add"].add_argument(
        "--as-of", type=_iso_time, help="when it was said (ISO 8601, with its offset: Z, +02:00)"
    )
    commands["edit"].add_argument("id", help="the quote's id (see 'quotes list')")
    commands["edit"].add_argument("--author", help="the new author")
    commands["edit"].add_argument("--content", help="the new content")
    for name in ("edit", "delete"):
        commands[name].add_argument(
            "--if-version",
            metavar="V",
            type=_version,
            help="only if the quote is still at version V (else exit 1, nothing written)",
        )
    commands["like"].add_argument("id", help="the quote's id (see 'quotes list')")
    which = commands["delete"].add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", help="the quote's id")
    which.add_argument("--random", action="store_true", help="delete a quote chosen at random")
    commands["list"].add_argument("--json", action="store_true", help="print one JSON array")
    commands["watch"].add_argument("--json", action="store_true", help="one JSON object a line")
    for name in ("list", "watch"):
        commands[name].add_argument(
            "--search", metavar="TEXT", help="only quotes whose author or content contains TEXT"
        )
    commands["watch"].add_argument("id", nargs="?", help="follow this one quote")
    commands["import"].add_argument("file", help="the file to read ('-' for standard input)")
    commands["export"].add_argument("--json", action="store_true", help="one JSON array instead")
    commands["export"].add_argument("--all", action="store_true", help="every tenant")
    tenant_actions = commands["tenants"].add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    create = tenant_actions.add_parser("create", help="create a tenant", stdout=parser.stdout)
    create.add_argument("name", help="the new tenant's name (at most 64 characters)")
    delete = tenant_actions.add_parser("delete", help="delete a tenant and its quotes", stdout=parser.stdout)
    delete.add_argument("name", help="the tenant to delete")
    delete.add_argument("--yes", action="store_true", help="really delete it and its quotes")
    outbox_arguments.add_arguments(commands)
    return parser
