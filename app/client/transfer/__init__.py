"""Import and export: the file format and the work, for the command line and the window.

- ``import_quotes(repo, stream, progress=, cancelled=)``: reads JSON lines or
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

from app.client.transfer.exporting import Export, export_quotes, json_line, oldest_first
from app.client.transfer.importing import ImportCancelled, Progress, import_quotes
from app.client.transfer.reading import MAX_IMPORT_BYTES, MAX_RECORD_BYTES

__all__ = [
    "MAX_IMPORT_BYTES",
    "MAX_RECORD_BYTES",
    "Export",
    "ImportCancelled",
    "Progress",
    "export_quotes",
    "import_quotes",
    "json_line",
    "oldest_first",
]
