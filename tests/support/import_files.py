"""Reading an import file's records the way ``import`` does, from text in a test."""

from __future__ import annotations

import io

from app.client.transfer.reading import Source, values
from app.client.transfer.records import Record, record


def parse_quotes(text: str) -> list[Record]:
    """Every record of ``text`` (an import file), checked; ``InvalidQuote`` names the first bad one."""
    source = Source(io.BytesIO(text.encode("utf-8", "surrogatepass")), "the file")
    return [record(where, item) for where, item in values(source)]
