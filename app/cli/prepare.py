"""Each command's input, checked before any store is opened: bad input touches nothing."""

from __future__ import annotations

import argparse
from typing import BinaryIO

from app.cli.import_file import parse_quotes
from app.cli.parser import UsageError
from app.repo import tenants
from app.repo.schema import validate_fields
from app.store.faults import from_environment as faults_from_environment

#: An import file is read whole and checked before anything is written: this
#: bounds the memory it takes (about 50,000 quotes of 5,000 characters).
MAX_IMPORT_BYTES = 256 * 2**20


def creates_store(args: argparse.Namespace) -> bool:
    """Only commands that write may make a store file that is not there yet."""
    if args.command == "tenants":
        return bool(args.action == "create")
    return args.command in ("add", "seed", "import")


def prepare(args: argparse.Namespace, stdin: BinaryIO) -> object:
    """The command's input, validated; ``UsageError`` or ``InvalidQuote`` if it is bad."""
    tenants.validate(args.tenant)
    faults_from_environment()
    if args.command == "add":
        return validate_fields(author=args.author, content=args.content, as_of=args.as_of)
    if args.command == "edit":
        return _edit_changes(args)
    if args.command == "delete" and args.random and args.if_version is not None:
        raise UsageError("delete --random takes no --if-version")
    if args.command == "watch" and args.id is not None and args.search is not None:
        raise UsageError("watch takes an id or --search, not both")
    if args.command == "import":
        return parse_quotes(_read_import(args.file, stdin))
    if args.command == "tenants" and args.action is not None:
        tenants.validate(args.name)
        if args.action == "delete" and not args.yes:
            raise UsageError(f"deleting tenant {args.name!r} deletes its quotes too: add --yes to go ahead")
    return None


def _read_import(file: str, stdin: BinaryIO) -> str:
    """The import file's text, read as bytes and decoded here: no newline
    translation, so a file and a pipe read alike; at most MAX_IMPORT_BYTES."""
    try:
        if file == "-":
            data = stdin.read(MAX_IMPORT_BYTES + 1)
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
