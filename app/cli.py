"""The ``quotes`` command: the window, or scripting the same store from a terminal.

Exit status: 0 done; 1 it could not be done (no such quote, store
unreachable); 2 bad usage or invalid input; 130 / 143 interrupted by SIGINT /
SIGTERM; 141 the reader of the output went away. Errors are one line on
stderr (control characters escaped) and invalid input writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable, Coroutine

from app import cli_signals
from app.cli_output import (
    OutputFailed,
    json_line,
    oldest_first,
    print_event,
    print_quote,
    printable,
    write_line,
)
from app.cli_parser import UsageError, build_parser
from app.cli_signals import Interrupted
from app.repo import (
    DuplicateId,
    InvalidQuote,
    InvalidTenant,
    NotFound,
    QuoteRepo,
    UnknownTenant,
    open_repo,
    tenants,
)
from app.repo.bulk import import_many, seed
from app.repo.importing import Record, parse_quotes
from app.repo.random_delete import delete_random
from app.repo.schema import validate_fields
from app.repo.snapshot import read_all
from app.store.errors import NotAStore, StoreError
from app.store.faults import InvalidFaults
from app.store.faults import from_environment as faults_from_environment
from app.sync.events import Offline, RecordState
from app.sync.filtered import SearchFilter
from app.sync.live import LiveCollection, LiveRecord
from app.sync.search import Search

log = logging.getLogger("app")

#: An import file is read whole and checked before anything is written: this
#: bounds the memory it takes (about 50,000 quotes of 5,000 characters).
MAX_IMPORT_BYTES = 256 * 2**20


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
    cli_signals.install()
    try:
        # Input is checked before the store is opened: bad input touches nothing.
        prepared = _prepare(args)
        repo = open_repo(
            args.db, args.cluster_file, args.tenant, create=_creates_store(args)
        )
        try:
            return COMMANDS[args.command](repo, args, prepared)
        finally:
            repo.close()
    except (UsageError, InvalidQuote, InvalidTenant, InvalidFaults, NotAStore) as exc:
        return _fail(str(exc), 2)
    except UnknownTenant as exc:
        return _fail(f"{exc}; create it with: quotes tenants create {exc.name}", 1)
    except (NotFound, StoreError) as exc:
        return _fail(str(exc), 1)
    except OutputFailed as exc:
        _discard_unwritten_output()
        return _fail(str(exc), 1)
    except Interrupted as exc:
        return _fail(f"interrupted: {exc.done}" if exc.done else "interrupted", exc.status)
    except BrokenPipeError:
        # The reader went away (e.g. `quotes export | head`): stop quietly, with the
        # status a shell gives a program that SIGPIPE ended, as cat or grep would.
        _discard_unwritten_output()
        return 128 + 13


def _fail(message: str, status: int) -> int:
    _say(message)
    return status


def _say(message: str) -> None:
    print(f"quotes: {printable(message)}", file=sys.stderr, flush=True)


def _discard_unwritten_output() -> None:
    """Point stdout at /dev/null, so the exit's flush cannot fail a second time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _creates_store(args: argparse.Namespace) -> bool:
    """Only commands that write may make a store file that is not there yet."""
    if args.command == "tenants":
        return args.action == "create"
    return args.command in ("add", "seed", "import")


def _prepare(args: argparse.Namespace) -> object:
    """Validate the command's input before any store is touched."""
    tenants.validate(args.tenant)
    faults_from_environment()
    if args.command == "add":
        return validate_fields(author=args.author, content=args.content, as_of=args.as_of)
    if args.command == "edit":
        return _edit_changes(args)
    if args.command == "watch" and args.id is not None and args.search is not None:
        raise UsageError("watch takes an id or --search, not both")
    if args.command == "import":
        return parse_quotes(_read_import(args.file))
    if args.command == "tenants" and args.action is not None:
        tenants.validate(args.name)
        if args.action == "delete" and not args.yes:
            raise UsageError(
                f"deleting tenant {args.name!r} deletes its quotes too: "
                "add --yes to go ahead"
            )
    return None


def _read_import(file: str) -> str:
    """The import file's text, read as bytes and decoded here: no newline
    translation, so a file and a pipe read alike; at most MAX_IMPORT_BYTES."""
    try:
        if file == "-":
            data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
        else:
            with open(file, "rb") as handle:
                data = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror}") from None
    if len(data) > MAX_IMPORT_BYTES:
        raise UsageError(f"{file} is larger than {MAX_IMPORT_BYTES // 2**20} MiB: split it")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{file} is not UTF-8 text") from None


def _edit_changes(args: argparse.Namespace) -> dict[str, str]:
    """The fields ``edit`` changes, validated (and trimmed) as ``add`` would."""
    given = {name: getattr(args, name) for name in ("author", "content")}
    given = {name: value for name, value in given.items() if value is not None}
    if not given:
        raise UsageError("edit needs --author or --content (or both)")
    # A stand-in for the field not given, so the given ones are checked as add checks them.
    fields = validate_fields(**({"author": "-", "content": "-"} | given))
    return {name: getattr(fields, name) for name in given}


def _add(repo: QuoteRepo, args, fields) -> int:
    quote = repo.insert(fields.author, fields.content, fields.as_of)
    write_line(quote.id)
    return 0


def _like(repo: QuoteRepo, args, _) -> int:
    repo.like(args.id)
    return 0


def _edit(repo: QuoteRepo, args, changes: dict[str, str]) -> int:
    repo.update(args.id, **changes)
    return 0


def _delete(repo: QuoteRepo, args, _) -> int:
    if args.random:
        quote_id = delete_random(repo)
        if quote_id is None:
            return _fail("there are no quotes to delete", 1)
    else:
        quote_id = args.id
        repo.delete(quote_id)
    write_line(quote_id)
    return 0


def _list(repo: QuoteRepo, args, _) -> int:
    search = Search(args.search or "")
    quotes = [q for q in oldest_first(read_all(repo)) if search.matches(q)]
    if args.json:
        write_line(json_line([q.to_json() for q in quotes]))
    else:
        for quote in quotes:
            print_quote(quote)
    return 0


def _export(repo: QuoteRepo, args, _) -> int:
    if args.all:  # every tenant, each record naming its own
        records = [
            q.to_json() | {"tenant": name}
            for name in tenants.names(repo)
            for q in oldest_first(read_all(QuoteRepo(repo.store, name)))
        ]
    else:
        records = [q.to_json() for q in oldest_first(read_all(repo))]
    if args.json:  # (quotes in the line, the line)
        lines = [(len(records), json_line(records))]
    else:
        lines = ((1, json_line(record)) for record in records)
    written = 0
    try:
        with cli_signals.deferred():  # stop between two lines, never inside one
            for count, line in lines:
                cli_signals.checkpoint()
                write_line(line)
                written += count
    except Interrupted as exc:
        exc.done = f"exported {written:,} of {len(records):,} quotes"
        raise
    return 0


def _seed(repo: QuoteRepo, args, _) -> int:
    write_line(str(seed(repo)))
    return 0


def _import(repo: QuoteRepo, args, records: list[Record]) -> int:
    """Records naming a tenant go to it (made if need be), the others to --tenant."""
    groups: dict[str, list[Record]] = {}
    for record in records:
        groups.setdefault(record.tenant or repo.tenant, []).append(record)
    committed = before = 0

    def progress(count: int) -> None:
        nonlocal committed
        committed = before + count
        log.info("import: %d of %d quotes committed", committed, len(records))
        cli_signals.checkpoint()

    try:
        with cli_signals.deferred():  # stop between two batches, never inside one
            for name, group in groups.items():
                if name != repo.tenant:
                    tenants.create(repo.store, name)
                target = QuoteRepo(repo.store, name)
                try:
                    import_many(target, [r.quote() for r in group], progress=progress)
                except DuplicateId as exc:
                    where = next(r.where for r in group if r.id == exc.quote_id)
                    raise InvalidQuote(f"{where}: {exc}") from None
                before = committed
    except Interrupted as exc:
        exc.done = f"imported {committed:,} of {len(records):,} quotes"
        raise
    write_line(str(committed))
    return 0


def _tenants(repo: QuoteRepo, args, _) -> int:
    if args.action == "create":
        if not tenants.create(repo.store, args.name):
            return _fail(f"tenant {args.name.strip()!r} already exists", 1)
    elif args.action == "delete":
        tenants.delete(repo.store, args.name)
    else:
        for name in tenants.names(repo):
            write_line(name)
    return 0


def _watch(repo: QuoteRepo, args, _) -> int:
    try:
        if args.id is not None and repo.get(args.id) is None:
            raise NotFound(args.id)
        return asyncio.run(_until_stopped(_follow(repo, args)))
    except Interrupted:
        return 0  # the normal way to end a watch


async def _until_stopped(following: Coroutine[None, None, int]) -> int:
    """Run ``following`` until it ends, or until SIGINT or SIGTERM: the normal end, 0.

    The loop handles the signals itself: an exception raised from a Python signal
    handler can land inside one of the loop's own callbacks, which logs and drops it.
    """
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(following)
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, task.cancel)
    try:
        return await task
    except asyncio.CancelledError:
        return 0
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


async def _follow(repo: QuoteRepo, args) -> int:
    live = LiveRecord(repo, args.id) if args.id else LiveCollection(repo)
    matching = SearchFilter(Search(args.search)) if args.search is not None else None
    last: RecordState | None = None
    try:
        async for event in live:
            if isinstance(event, Offline) and event.gone:
                return _fail(event.reason, 1)
            if matching is not None:
                event = matching.apply(event)
                if event is None:
                    continue
            if isinstance(event, Offline):
                _say(f"store offline, retrying: {event.reason}")
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
