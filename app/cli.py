"""The ``quotes`` command: the window, or scripting the same store from a terminal.

Exit status: 0 done; 1 it could not be done (no such quote, store
unreachable); 2 bad usage or invalid input. Errors are one line on stderr and
invalid input writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sys
from collections.abc import Callable
from pathlib import Path

from app.cli_output import print_event, print_quote, write_line
from app.cli_parser import UsageError, build_parser
from app.repo import InvalidQuote, InvalidTenant, NotFound, Quote, QuoteRepo, open_repo
from app.repo.bulk import import_many, seed
from app.repo.importing import parse_quotes
from app.repo.snapshot import read_all
from app.repo import tenants
from app.store.errors import NotAStore, StoreError
from app.sync.events import Offline, RecordState
from app.sync.live import LiveCollection, LiveRecord

log = logging.getLogger("app")


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        return _fail(str(exc), 2)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.command in (None, "gui"):
        from app.ui.app import run_gui

        return run_gui(db=args.db, cluster_file=args.cluster_file, tenant=args.tenant)
    try:
        # Input is checked before the store is opened: bad input touches nothing.
        prepared = _prepare(args)
        repo = open_repo(args.db, args.cluster_file, args.tenant)
        try:
            return COMMANDS[args.command](repo, args, prepared)
        finally:
            repo.close()
    except (UsageError, InvalidQuote, InvalidTenant, NotAStore) as exc:
        return _fail(str(exc), 2)
    except (NotFound, StoreError) as exc:
        return _fail(str(exc), 1)
    except KeyboardInterrupt:
        return 0
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): not an error
        return 0


def _fail(message: str, status: int) -> int:
    print(f"quotes: {message}", file=sys.stderr)
    return status


def _prepare(args: argparse.Namespace) -> object:
    """Validate the command's input before any store is touched."""
    tenants.validate(args.tenant)
    if args.command == "add":
        from app.repo.schema import validate_fields

        return validate_fields(author=args.author, content=args.content, as_of=args.as_of)
    if args.command == "import":
        try:
            text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read {args.file}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{args.file} is not UTF-8 text") from None
        return parse_quotes(text)
    return None


def _add(repo: QuoteRepo, args, fields) -> int:
    quote = repo.insert(fields.author, fields.content, fields.as_of)
    write_line(quote.id)
    return 0


def _like(repo: QuoteRepo, args, _) -> int:
    repo.like(args.id)
    return 0


def _delete(repo: QuoteRepo, args, _) -> int:
    quote_id = args.id
    if args.random:
        quotes = read_all(repo)
        if not quotes:
            return _fail("there are no quotes to delete", 1)
        quote_id = random.choice(quotes).id
    repo.delete(quote_id)
    write_line(quote_id)
    return 0


def _print_all(repo: QuoteRepo, as_array: bool, print_one: Callable[[Quote], None]) -> int:
    """Every quote, oldest first: one JSON array, or ``print_one`` each."""
    quotes = sorted(read_all(repo), key=lambda q: (q.inserted_at, q.id))
    if as_array:
        write_line(json.dumps([q.to_json() for q in quotes], ensure_ascii=False))
    else:
        for quote in quotes:
            print_one(quote)
    return 0


def _list(repo: QuoteRepo, args, _) -> int:
    return _print_all(repo, args.json, print_quote)


def _export(repo: QuoteRepo, args, _) -> int:
    return _print_all(repo, args.json, lambda q: write_line(json.dumps(q.to_json(), ensure_ascii=False)))


def _seed(repo: QuoteRepo, args, _) -> int:
    write_line(str(seed(repo)))
    return 0


def _import(repo: QuoteRepo, args, records) -> int:
    write_line(str(import_many(repo, records)))
    return 0


def _tenants(repo: QuoteRepo, args, _) -> int:
    for name in tenants.names(repo):
        write_line(name)
    return 0


def _watch(repo: QuoteRepo, args, _) -> int:
    if args.id is not None and repo.get(args.id) is None:
        raise NotFound(args.id)
    return asyncio.run(_follow(repo, args))


async def _follow(repo: QuoteRepo, args) -> int:
    live = LiveRecord(repo, args.id) if args.id else LiveCollection(repo)
    last: RecordState | None = None
    try:
        async for event in live:
            if isinstance(event, Offline) and event.gone:
                return _fail(event.reason, 1)
            if isinstance(event, Offline):
                print(f"quotes: store offline, retrying: {event.reason}", file=sys.stderr)
            elif isinstance(event, RecordState):
                print_event(_record_event(last, event, args.id), args.json)
                last = event
            else:
                print_event(event, args.json)
    finally:
        await live.aclose()
    return 0


def _record_event(last: RecordState | None, state: RecordState, quote_id: str) -> dict:
    if last is None:
        return {"event": "snapshot", "quote": state.quote}
    if state.quote is None:
        return {"event": "delete", "id": quote_id, "quote": None}
    kind = "insert" if last.quote is None else "update"
    return {"event": kind, "id": quote_id, "quote": state.quote}


COMMANDS: dict[str, Callable[..., int]] = {
    "add": _add,
    "like": _like,
    "delete": _delete,
    "list": _list,
    "export": _export,
    "seed": _seed,
    "import": _import,
    "tenants": _tenants,
    "watch": _watch,
}
