"""Each command's input, checked before any store is opened: bad input touches nothing."""

from __future__ import annotations

import argparse
from typing import BinaryIO, TextIO

from app.cli.parser import UsageError
from app.repo import tenants
from app.store.faults import from_environment as faults_from_environment


def creates_store(args: argparse.Namespace) -> bool:
    """Only commands that write may make a store file that is not there yet."""
    if args.command == "tenants":
        return bool(args.action == "create")
    return args.command in ("add", "seed", "import")


def prepare(args: argparse.Namespace, stdin: BinaryIO, stderr: TextIO) -> object:
    """The command's input, validated; ``UsageError`` or ``InvalidQuote`` if it is bad.

    An import file is checked whole here (``check_file``: every record, in
    memory bounded by one record and the ids of whole quotes), with its
    progress line on ``stderr`` if that is a terminal."""
    tenants.validate(args.tenant)
    faults_from_environment()

    if args.command == "add":
        from app.repo.validation import validate_fields  # pydantic: only where input is validated

        return validate_fields(author=args.author, content=args.content, as_of=args.as_of)
    if args.command == "edit":
        return _edit_changes(args)
    if args.command == "delete" and args.random and args.if_version is not None:
        raise UsageError("delete --random takes no --if-version")
    if args.command == "watch" and args.id is not None and args.search is not None:
        raise UsageError("watch takes an id or --search, not both")
    if args.command == "import":
        return _check_import(args.file, stdin, stderr)
    if args.command == "tenants" and args.action is not None:
        tenants.validate(args.name)
        if args.action == "delete" and not args.yes:
            raise UsageError(f"deleting tenant {args.name!r} deletes its quotes too: add --yes to go ahead")
    return None


def _check_import(file: str, stdin: BinaryIO, stderr: TextIO) -> object:
    """The import file checked (a ``CheckedFile``): read as bytes, so a file and a
    pipe read alike."""
    from app.cli.import_progress import ProgressLine
    from app.client.transfer.importing import check_file

    progress = ProgressLine(stderr)
    try:
        if file == "-":
            return check_file(stdin, name="standard input", progress=progress)
        try:
            handle = open(file, "rb")  # noqa: SIM115 (the CheckedFile closes it)
        except OSError as exc:
            raise UsageError(f"cannot read {file}: {exc.strerror}") from None
        return check_file(handle, name=file, progress=progress)  # it closes the file
    finally:
        progress.clear()


def _edit_changes(args: argparse.Namespace) -> dict[str, str]:
    """The fields ``edit`` changes, validated (and trimmed) as ``add`` would."""
    given = {name: getattr(args, name) for name in ("author", "content")}
    given = {name: value for name, value in given.items() if value is not None}
    if not given:
        raise UsageError("edit needs --author or --content (or both)")
    from app.repo.validation import validate_fields

    # A stand-in for the field not given, so the given ones are checked as add checks them.
    fields = validate_fields(**({"author": "-", "content": "-"} | given))
    return {name: getattr(fields, name) for name in given}
