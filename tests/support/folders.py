"""A store's folder deleted under it, as ``rm -rf`` does it.

Why a helper: a store open in the folder may write a file of its own there
(SQLite's write-ahead log or shared memory) between ``shutil.rmtree`` listing
the folder and removing it, and the removal then fails with "Directory not
empty" (seen once in a CI run). A person would run ``rm -rf`` again: so does
this, until the folder is gone.
"""

from __future__ import annotations

import errno
import shutil
import time
from pathlib import Path

from support.waiting import WAIT_S


def delete_folder(folder: Path) -> None:
    """Delete ``folder`` and all in it, again if a file appeared in it meanwhile."""
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            shutil.rmtree(folder)
            return
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.ENOENT) or time.monotonic() > deadline:
                raise
            if not folder.exists():
                return
