"""The outbox command's words for the parser: its help and its ``--queue`` option.

Apart from ``app.cli.outbox`` (what the command does), which loads the outbox,
its store and pydantic: every command's parser is built on every start, and a
reading command must not pay for them.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping

HELP = (
    "list, send or discard the changes waiting to be sent",
    "The changes a window made while the store was out of reach (and 'like',\n"
    "'add', 'edit' and 'delete' with --queue) wait in an outbox on this computer\n"
    "until they are sent, once each, in order. With no action, list those of this\n"
    "store and collection, oldest first; 'send' sends them (exit 1 if the store\n"
    "does not answer, or if some could not be made: each says why); 'discard'\n"
    "drops them unsent. A change whose quote was edited or deleted meanwhile is\n"
    "not made: it is named and taken off the outbox.\n\n"
    "examples: quotes outbox\n          quotes outbox send\n          quotes outbox discard",
)
#: Commands that can join the outbox instead of failing.
QUEUEABLE = ("like", "add", "edit", "delete")


def add_arguments(commands: Mapping[str, argparse.ArgumentParser]) -> None:
    """The outbox's own actions, and ``--queue`` on the writes that can wait."""
    outbox = commands["outbox"]
    actions = outbox.add_subparsers(dest="action", metavar="ACTION", parser_class=type(outbox))
    stdout = getattr(outbox, "stdout", None)
    actions.add_parser("send", help="send the changes waiting, in order", stdout=stdout)
    actions.add_parser("discard", help="drop the changes waiting, unsent", stdout=stdout)
    for name in QUEUEABLE:
        commands[name].add_argument(
            "--queue",
            action="store_true",
            help="if the store does not answer, wait in the outbox (see 'quotes outbox')",
        )
