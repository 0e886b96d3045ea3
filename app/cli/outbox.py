"""``quotes outbox``: the changes a window queued while the store was out of reach, and ``--queue``.

The command line stays definite by default: a write against a store that
does not answer exits 1 and queues nothing. ``like``, ``add``, ``edit`` and
``delete`` with ``--queue`` join the outbox instead (exit 0; ``add`` prints
the id the quote will have; ``edit`` and ``delete`` need ``--if-version``,
the version they are to be made against). ``quotes outbox`` lists what waits
for the store and collection chosen, ``outbox send`` sends it in order (each
change once, whoever else sends it), ``outbox discard`` drops it.
"""

from __future__ import annotations

import argparse
import sqlite3
import uuid
from typing import Any

from app.cli.output import Output
from app.client.conflicts import Change
from app.client.offline import store_key
from app.client.outbox import Conflicted, Dropped, Entry, Kind, Outbox, Sent
from app.repo import open_repo, tenants
from app.repo.schema import Quote, QuoteFields, new_version, now
from app.store import open_store


def run(args: argparse.Namespace, out: Output) -> int:
    """``quotes outbox [send | discard]``."""
    outbox = _outbox(args)
    try:
        return _run(args, outbox, out)
    except sqlite3.Error as exc:  # the local file, not the store
        out.error(f"cannot use the outbox {outbox.path}: {exc}")
        return 1
    finally:
        outbox.close()


def _run(args: argparse.Namespace, outbox: Outbox, out: Output) -> int:
    entries = outbox.entries(tenants.validate(args.tenant))
    if args.action == "discard":
        out.line(str(outbox.discard(entries)))
        return 0
    if args.action == "send":
        return _send(args, outbox, entries, out)
    for entry in entries:
        out.line(f"{entry.queued_at.astimezone():%Y-%m-%d %H:%M}  {entry.describe()}")
    return 0


def queue_instead(args: argparse.Namespace, prepared: Any, out: Output) -> int:
    """The write ``args`` asks for, queued in the outbox (the store did not answer)."""
    if args.command in ("edit", "delete") and (getattr(args, "random", False) or args.if_version is None):
        out.error(f"{args.command} --queue needs --if-version V: the version it is to be made against")
        return 2
    tenant = tenants.validate(args.tenant)
    outbox = _outbox(args)
    try:
        if args.command == "like":
            outbox.queue(tenant, Kind.LIKE, args.id)
        elif args.command == "add":
            assert isinstance(prepared, QuoteFields)
            at = now()
            new = Quote(str(uuid.uuid4()), prepared.author, prepared.content, 0, at, at, prepared.as_of)
            outbox.queue(tenant, Kind.ADD, new.id, new.replace(version=new_version()))
            out.line(new.id)
        else:
            seen = Quote(args.id, "", "", 0, now(), now(), None, args.if_version)
            change = (
                Change(prepared.get("author"), prepared.get("content")) if args.command == "edit" else None
            )
            outbox.queue(tenant, Kind(args.command), args.id, seen, change)
            if args.command == "delete":
                out.line(args.id)
    except sqlite3.Error as exc:
        out.error(f"the store does not answer, and the outbox {outbox.path} cannot be used: {exc}")
        return 1
    finally:
        outbox.close()
    out.error("the store does not answer: queued in the outbox ('quotes outbox send' sends it)")
    return 0


def _send(args: argparse.Namespace, outbox: Outbox, entries: list[Entry], out: Output) -> int:
    if not entries:
        return 0
    repo = open_repo(args.db, args.cluster_file, args.tenant)
    failed = 0
    try:
        while entries:
            outcomes = outbox.send_next(repo, entries)
            entries = entries[len(outcomes) :]
            for outcome in outcomes:
                if isinstance(outcome, Sent):
                    out.line(f"sent: {outcome.entry.describe()}")
                else:
                    failed += 1
                    out.error(_why(outcome))
    finally:
        repo.close()
    return 1 if failed else 0


def _why(outcome: Dropped | Conflicted) -> str:
    if isinstance(outcome, Dropped):
        return outcome.note
    theirs = outcome.conflict.theirs
    return (
        f"not sent: {outcome.entry.describe()}: quote {theirs.id} changed since "
        f"(it is at version {theirs.version}); taken off the outbox"
    )


def _outbox(args: argparse.Namespace) -> Outbox:
    """The outbox of the store ``args`` names (the store is not asked anything)."""
    store = open_store(args.db, args.cluster_file, create=False, probe=False)
    try:
        return Outbox(store_key(store))
    finally:
        store.close()
