"""Reading an import file as a stream of JSON values: JSON lines or one JSON array.

The file is read a line (or, in an array, a record) at a time, so memory
holds one record however large the file is: a line or a record is at most
``MAX_RECORD_BYTES``, the whole file at most ``MAX_IMPORT_BYTES``.

The parser is strict where Python's ``json`` is lenient, so hostile files are
refused with one line naming the record: NaN and Infinity, numbers that no
64-bit store can hold, a field given twice, nesting deeper than Python can
recurse, bytes that are not UTF-8 (a BOM at the start is fine). Lines are
split on ``\\n`` only (``\\r\\n`` tolerated): U+2028, U+2029 and U+0085 are
text inside a quote, not line ends.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import BinaryIO, Protocol

from app.repo.schema import InvalidQuote

#: The largest file an import takes (a guard against an endless source).
MAX_IMPORT_BYTES = 256 * 2**20
#: The longest line (or array record) an import takes: far more than the
#: longest quote, JSON-escaped, and the most memory one record takes.
MAX_RECORD_BYTES = 16 * 2**20
#: Longer numbers are refused before Python converts them (which takes time
#: quadratic in the digits, and fails past 4,300).
_MAX_DIGITS = 100
_CHUNK = 64 * 2**10
_BLANK = " \t\r\n"
_BLANK_BYTES = _BLANK.encode()


class _Refused(ValueError):
    """Valid JSON that no quote can be made of; the message says why."""


def _refuse_constant(name: str) -> None:
    raise _Refused(f"{name} is not a number JSON allows")


def _whole_number(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise _Refused(f"a number has more than {_MAX_DIGITS} digits")
    return int(text)


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"field {_field(key)} appears twice")
        result[key] = value
    return result


def _field(name: str) -> str:
    return repr(name if len(name) <= 40 else name[:40] + "…")


_DECODER = json.JSONDecoder(
    object_pairs_hook=_object, parse_constant=_refuse_constant, parse_int=_whole_number
)


def _refusal(where: str, exc: Exception) -> InvalidQuote:
    if isinstance(exc, json.JSONDecodeError):
        return InvalidQuote(f"{where}: not valid JSON ({exc.msg}, line {exc.lineno})")
    if isinstance(exc, RecursionError):
        return InvalidQuote(f"{where}: nested too deeply")
    return InvalidQuote(f"{where}: {exc}")


class Readable(Protocol):
    """What ``Source`` reads: a binary file, or one that copies what is read."""

    def read(self, size: int, /) -> bytes: ...

    def readline(self, limit: int, /) -> bytes: ...


class Source:
    """A binary stream read in order, counting its bytes against the cap."""

    def __init__(self, stream: BinaryIO | Readable, name: str) -> None:
        self.stream = stream
        self.name = name
        #: Bytes read so far.
        self.done = 0

    def _counted(self, data: bytes) -> bytes:
        self.done += len(data)
        if self.done > MAX_IMPORT_BYTES:
            raise InvalidQuote(f"{self.name} is larger than {MAX_IMPORT_BYTES // 2**20} MiB: split it")
        return data

    def read(self, size: int) -> bytes:
        try:
            return self._counted(self.stream.read(size))
        except OSError as exc:
            raise self._unreadable(exc) from None

    def readline(self) -> bytes:
        try:
            return self._counted(self.stream.readline(MAX_RECORD_BYTES + 1))
        except OSError as exc:
            raise self._unreadable(exc) from None

    def _unreadable(self, exc: OSError) -> InvalidQuote:
        return InvalidQuote(f"cannot read {self.name}: {exc.strerror}")

    def text(self, data: bytes) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidQuote(f"{self.name} is not UTF-8 text") from None


def values(source: Source) -> Iterator[tuple[str, object]]:
    """Every JSON value of the file with where it is ("line 3", "record 2");
    ``InvalidQuote`` naming the first that is not valid JSON."""
    raw, number = source.readline().removeprefix(codecs.BOM_UTF8), 1
    while raw.endswith(b"\n") and not raw.strip(_BLANK_BYTES):  # blank lines before the first record
        raw, number = source.readline(), number + 1
    if raw.lstrip(_BLANK_BYTES).startswith(b"["):
        yield from _array(source, raw, number)
    else:
        yield from _lines(source, raw, number)


def _lines(source: Source, raw: bytes, number: int) -> Iterator[tuple[str, object]]:
    any_record = False
    while raw:
        if len(raw) > MAX_RECORD_BYTES:
            raise InvalidQuote(f"line {number} is longer than {MAX_RECORD_BYTES // 2**20} MiB")
        line = source.text(raw).removesuffix("\n").removesuffix("\r")
        if line.strip():
            where = f"line {number}"
            try:
                yield where, _DECODER.decode(line)
            except (json.JSONDecodeError, _Refused, RecursionError) as exc:
                raise _refusal(where, exc) from None
            any_record = True
        raw, number = source.readline(), number + 1
    if not any_record:
        raise InvalidQuote("the file holds no quotes")


class _Text:
    """The array's text, decoded a chunk at a time, with the line number of its start."""

    def __init__(self, source: Source, first: bytes, line: int) -> None:
        self.source = source
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.buffer = ""
        self.pos = 0
        self.line = line
        self.ended = False
        self._add(first)

    def _add(self, data: bytes) -> None:
        try:
            self.buffer += self.decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise InvalidQuote(f"{self.source.name} is not UTF-8 text") from None
        self.ended = not data

    def more(self) -> bool:
        """Read another chunk, dropping what was parsed; False at the end."""
        if self.ended:
            return False
        self.line += self.buffer.count("\n", 0, self.pos)
        self.buffer, self.pos = self.buffer[self.pos :], 0
        self._add(self.source.read(_CHUNK))
        return True

    def skip_blank(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in _BLANK:
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.more():
                return ""

    def value(self, where: str) -> object:
        """The JSON value at the current position (reading more until it is whole)."""
        while True:
            try:
                item, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                if len(self.buffer) - self.pos <= MAX_RECORD_BYTES and self.more():
                    continue  # perhaps only cut short by the chunk
                lineno = self.line + self.buffer.count("\n", 0, exc.pos)
                raise InvalidQuote(f"{where}: not valid JSON ({exc.msg}, line {lineno})") from None
            except (_Refused, RecursionError) as exc:
                raise _refusal(where, exc) from None
            self.pos = end
            return item


def _array(source: Source, first: bytes, line: int) -> Iterator[tuple[str, object]]:
    text = _Text(source, first, line)
    text.skip_blank()
    text.pos += 1  # the "["
    number = 0
    if text.skip_blank() == "]":
        text.pos += 1
    else:
        while True:
            number += 1
            if text.skip_blank() == "":
                raise InvalidQuote(f"record {number}: not valid JSON (the array is not closed)")
            yield f"record {number}", text.value(f"record {number}")
            after = text.skip_blank()
            text.pos += 1
            if after == "]":
                break
            if after != ",":
                raise InvalidQuote(
                    f"record {number}: not valid JSON (Expecting ',' delimiter, line {text.line})"
                )
    if text.skip_blank() != "":
        raise InvalidQuote(f"the file: not valid JSON (Extra data after the array, line {text.line})")
    if number == 0:
        raise InvalidQuote("the file holds no quotes")
