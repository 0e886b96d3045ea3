"""Import and export: the file format and the work, for the command line and the window.

- ``import_quotes(repo, stream, progress=, cancelled=)`` (or its two passes,
  ``check_file`` and ``CheckedFile.import_into``, the first before a store is
  opened): reads JSON lines or
  a JSON array of quotes (new ones, or whole ones as an export wrote them)
  and imports them all or nothing, in memory bounded by one batch plus the
  ids of whole quotes (``importing``), reporting ``Progress`` and stopping
  when ``cancelled()`` says so (``ImportCancelled``, nothing imported);
- ``export_quotes(repo, every_collection=)``: the records to write, oldest
  first, empty collections included, and the damaged records left out
  (``Export``); ``json_line`` writes one record as one line.

Qt-free: the window runs these on a worker thread, the command line in its
own. The format is in ``records`` (one record) and ``reading`` (the file).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.client.transfer.exporting import Export, export_quotes, json_line, oldest_first
    from app.client.transfer.importing import (
        CheckedFile,
        ImportCancelled,
        Progress,
        check_file,
        import_quotes,
    )
    from app.client.transfer.reading import MAX_IMPORT_BYTES, MAX_RECORD_BYTES

#: Loaded on first use: exporting never loads the import's validation (pydantic).
_WHERE = {
    "Export": "exporting",
    "export_quotes": "exporting",
    "json_line": "exporting",
    "oldest_first": "exporting",
    "CheckedFile": "importing",
    "ImportCancelled": "importing",
    "Progress": "importing",
    "check_file": "importing",
    "import_quotes": "importing",
    "MAX_IMPORT_BYTES": "reading",
    "MAX_RECORD_BYTES": "reading",
}

__all__ = [
    "MAX_IMPORT_BYTES",
    "MAX_RECORD_BYTES",
    "CheckedFile",
    "Export",
    "ImportCancelled",
    "Progress",
    "check_file",
    "export_quotes",
    "import_quotes",
    "json_line",
    "oldest_first",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
