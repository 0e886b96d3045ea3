"""The commands that read or write the store once and end (``watch`` is in ``watch.py``).

Each takes the repository, the parsed arguments, the input ``prepare`` checked,
and where to write; it returns the exit status.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from app.cli import signals
from app.cli.output import Output
from app.cli.signals import Interrupted
from app.client.transfer.exporting import json_line, oldest_first
from app.repo import QuoteRepo, tenants
from app.sync.search import Search

if TYPE_CHECKING:
    from app.client.transfer.importing import CheckedFile
    from app.repo.schema import QuoteFields


Command = Callable[[QuoteRepo, argparse.Namespace, Any, Output], int]


def _add(repo: QuoteRepo, args: argparse.Namespace, fields: QuoteFields, out: Output) -> int:
    quote = repo.insert(fields.author, fields.content, fields.as_of)
    out.line(quote.id)
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
    _report_damaged(out, [(repo.tenant, quote_id, why) for quote_id, why in sorted(repo.damaged.items())])
    return 0


def _report_damaged(out: Output, damaged: list[tuple[str, str, str]]) -> None:
    """One line for the records left out because the store holds them damaged."""
    if damaged:
        named = ", ".join(f"{quote_id} ({why})" for _, quote_id, why in damaged[:5])
        more = f" and {len(damaged) - 5:,} more" if len(damaged) > 5 else ""
        out.error(f"left out {len(damaged):,} damaged record(s) the store holds: {named}{more}")


def _export(repo: QuoteRepo, args: argparse.Namespace, _: None, out: Output) -> int:
    from app.client.transfer import export_quotes

    exported = export_quotes(repo, every_collection=args.all)
    records = exported.records
    lines: Iterable[tuple[int, str]]  # (quotes in the line, the line)
    if args.json:
        lines = [(exported.quotes, json_line(records))]
    else:
        lines = ((int("id" in record), json_line(record)) for record in records)
    written = 0
    try:
        with signals.deferred():  # stop between two lines, never inside one
            for count, line in lines:
                signals.checkpoint()
                out.line(line)
                written += count
    except Interrupted as exc:
        exc.done = f"exported {written:,} of {exported.quotes:,} quotes"
        raise
    _report_damaged(out, exported.damaged)
    return 1 if exported.damaged else 0


def _seed(repo: QuoteRepo, args: argparse.Namespace, _: None, out: Output) -> int:
    out.line(str(repo.seed()))
    return 0


def _import(repo: QuoteRepo, args: argparse.Namespace, checked: CheckedFile, out: Output) -> int:
    """All or nothing: interrupted, it takes back what it had written."""
    from app.cli.import_progress import ProgressLine

    progress = ProgressLine(out.stderr)
    try:
        with checked, signals.deferred():  # stop between two batches, never inside one
            imported = checked.import_into(repo, progress=progress)
    except Interrupted as exc:
        exc.done = f"nothing imported (of {checked.quotes:,} quotes)"
        raise
    finally:
        progress.clear()
    out.line(str(imported))
    return 0


def _watch(repo: QuoteRepo, args: argparse.Namespace, prepared: None, out: Output) -> int:
    from app.cli.watch import watch  # asyncio and the live feed: only for watch

    return watch(repo, args, prepared, out)


def _tenants(repo: QuoteRepo, args: argparse.Namespace, _: None, out: Output) -> int:
    if args.action == "create":
        if not tenants.create(repo.store, args.name):
            out.error(f"tenant {args.name.strip()!r} already exists")
            return 1
    elif args.action == "delete":
        tenants.delete(repo.store, args.name)
    else:
        for name in tenants.names(repo.store):
            out.line(name)
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
    "watch": _watch,
}
