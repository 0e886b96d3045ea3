"""The commands that read or write the store once and end (``watch`` is in ``watch.py``).

Each takes the repository, the parsed arguments, the input ``prepare`` checked,
and where to write; it returns the exit status.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Iterable
from typing import Any

from app.cli import signals
from app.cli.escape import json_line, printable
from app.cli.import_file import Record
from app.cli.output import Output, oldest_first
from app.cli.signals import Interrupted
from app.cli.stdout_guard import OutputFailed
from app.cli.watch import watch
from app.repo import DuplicateImport, InvalidQuote, QuoteRepo, tenants
from app.repo.schema import QuoteFields
from app.sync.search import Search

log = logging.getLogger("app")

Command = Callable[[QuoteRepo, argparse.Namespace, Any, Output], int]


def _add(repo: QuoteRepo, args: argparse.Namespace, fields: QuoteFields, out: Output) -> int:
    quote = repo.insert(fields.author, fields.content, fields.as_of)
    try:
        out.line(quote.id)
    except OutputFailed as exc:
        exc.done = f"the quote was added as {quote.id}"  # a script must not add it again
        raise
    return 0


def _like(repo: QuoteRepo, args: argparse.Namespace, _: None, out: Output) -> int:
    repo.add_likes(args.id)
    return 0


def _edit(repo: QuoteRepo, args: argparse.Namespace, changes: dict[str, str], out: Output) -> int:
    _, edited = repo.update(
        args.id, author=changes.get("author"), content=changes.get("content"), if_version=args.if_version
    )
    out.line(str(edited.version))
    return 0


def _delete(repo: QuoteRepo, args: argparse.Namespace, _: None, out: Output) -> int:
    if args.random:
        deleted = repo.delete_random()
        if deleted is None:
            out.error("there are no quotes to delete")
            return 1
        quote_id = deleted.id
    else:
        quote_id = args.id
        repo.delete(quote_id, if_version=args.if_version)
    out.line(quote_id)
    return 0


def _list(repo: QuoteRepo, args: argparse.Namespace, _: None, out: Output) -> int:
    search = Search(args.search or "")
    quotes = [q for q in oldest_first(repo.read_all()) if search.matches(q)]
    if args.json:
        out.line(json_line([q.to_json() for q in quotes]))
    else:
        for quote in quotes:
            out.quote(quote)
    return 0


def _export(repo: QuoteRepo, args: argparse.Namespace, _: None, out: Output) -> int:
    if args.all:  # every tenant, each record naming its own
        records = [
            q.to_json() | {"tenant": name}
            for name in tenants.names(repo.store)
            for q in oldest_first(QuoteRepo(repo.store, name).read_all())
        ]
    else:
        records = [q.to_json() for q in oldest_first(repo.read_all())]
    lines: Iterable[tuple[int, str]]  # (quotes in the line, the line)
    if args.json:
        lines = [(len(records), json_line(records))]
    else:
        lines = ((1, json_line(record)) for record in records)
    written = 0
    try:
        with signals.deferred():  # stop between two lines, never inside one
            for count, line in lines:
                signals.checkpoint()
                out.line(line)
                written += count
    except (Interrupted, OutputFailed) as exc:  # only whole lines are counted
        exc.done = f"exported {written:,} of {len(records):,} quotes"
        if isinstance(exc, Interrupted) and out.stdout.in_line:
            exc.done += " and part of the next"
        raise
    return 0


def _seed(repo: QuoteRepo, args: argparse.Namespace, _: None, out: Output) -> int:
    out.line(str(repo.seed()))
    return 0


def _import(repo: QuoteRepo, args: argparse.Namespace, records: list[Record], out: Output) -> int:
    """Records naming a tenant go to it (made if need be), the others to --tenant;
    all or nothing: every id is checked in every collection before any write."""
    groups: dict[str, list[Record]] = {}
    for record in records:
        groups.setdefault(record.tenant or repo.tenant, []).append(record)
    committed = 0

    def progress(count: int) -> None:
        nonlocal committed
        committed = count
        log.info("import: %d of %d quotes committed", committed, len(records))
        signals.checkpoint()

    try:
        with signals.deferred():  # stop between two batches, never inside one
            repo.import_groups(
                {name: [r.to_import() for r in group] for name, group in groups.items()},
                create=set(groups) - {repo.tenant},
                progress=progress,
            )
    except DuplicateImport as exc:
        where = next(r.where for r in groups[exc.tenant] if r.kept and r.kept.id == exc.quote_id)
        raise InvalidQuote(f"{where}: {exc}") from None
    except Interrupted as exc:
        exc.done = f"imported {committed:,} of {len(records):,} quotes"
        raise
    out.line(str(committed))
    return 0


def _tenants(repo: QuoteRepo, args: argparse.Namespace, _: None, out: Output) -> int:
    if args.action == "create":
        if not tenants.create(repo.store, args.name):
            out.error(f"tenant {args.name.strip()!r} already exists")
            return 1
    elif args.action == "delete":
        tenants.delete(repo.store, args.name)
    else:
        for name in tenants.names(repo.store):
            out.line(printable(name))  # one line each, whatever the name holds
    return 0


COMMANDS: dict[str, Command] = {
    "add": _add,
    "edit": _edit,
    "like": _like,
    "delete": _delete,
    "list": _list,
    "export": _export,
    "seed": _seed,
    "import": _import,
    "tenants": _tenants,
    "watch": watch,
}
