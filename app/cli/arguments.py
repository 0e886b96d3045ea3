"""What the command line checks in its arguments beyond their syntax, and the hints it gives.

- An argument that holds text (an id, a tenant, an author, a search) must be
  text: bytes that are not UTF-8 (``quotes like $'\\xff'``) are bad input.
  Paths (``--db``, ``--cluster-file``, ``import FILE``) may be any bytes, as
  file names on Linux may.
- An id that names no quote is "could not be done" (exit 1) when it has the
  form of the ids this program gives (a UUID: the quote may have been deleted
  meanwhile), and bad input (exit 2) otherwise (``quotes like nonsense``: a
  typo, or an argument in the wrong place). Ids kept from an import may have
  other forms; those work as any other id does.
- Hints name commands to type: every name in them is shell-quoted, and they
  repeat the options that chose the store, so they work as written.
"""

from __future__ import annotations

import argparse
import re
import shlex

from app.cli.escape import is_text
from app.cli.parser import UsageError

#: Arguments that name files: any bytes are allowed.
_PATHS = frozenset({"db", "cluster_file", "file"})
_OPTION_NAMES = {"id": "the id", "tenant": "--tenant", "name": "the tenant name", "search": "--search"}
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
ID_EXAMPLE = "1b7064c4-1049-4839-8d16-f71a357512e7"


def check_text(args: argparse.Namespace) -> None:
    """``UsageError`` naming the first argument that is not text."""
    for name, value in vars(args).items():
        if name not in _PATHS and isinstance(value, str) and not is_text(value):
            shown = _OPTION_NAMES.get(name, f"--{name.replace('_', '-')}")
            raise UsageError(f"{shown} is not text (bytes that are not UTF-8)")


def looks_like_id(text: str) -> bool:
    """Whether ``text`` has the form of the ids this program gives its quotes."""
    return _UUID.fullmatch(text) is not None


def command(args: argparse.Namespace, *words: str) -> str:
    """The ``quotes`` command line ``words`` on the store ``args`` chose, shell-quoted."""
    where: list[str] = []
    if args.db is not None:
        where += ["--db", str(args.db)]
    if args.cluster_file is not None:
        where += ["--cluster-file", args.cluster_file]
    return shlex.join(["quotes", *where, *words])
