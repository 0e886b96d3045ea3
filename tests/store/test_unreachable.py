"""The ``unreachable_file`` fault: the embedded store goes away as a cluster does, and comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.store.errors import StoreUnavailable, StoreUnreachable
from app.store.faults import InvalidFaults, parse
from app.store.sqlite import SQLiteStore


def test_while_the_file_exists_every_call_fails_as_unreachable_and_then_answers(tmp_path: Path) -> None:
    switch = tmp_path / "down"
    store = SQLiteStore(tmp_path / "quotes.db", faults=parse(f"unreachable_file={switch}"))
    try:
        store.transact(lambda tr: tr.set(b"k", b"1"))
        assert store.silent_when_down  # views ping it, as they ping a cluster
        switch.touch()
        with pytest.raises(StoreUnreachable):
            store.ping()
        with pytest.raises(StoreUnreachable):
            store.transact(lambda tr: tr.set(b"k", b"2"))
        switch.unlink()
        store.ping()
        assert store.transact(lambda tr: tr.get(b"k")) == b"1"  # the refused write wrote nothing
    finally:
        store.close()


def test_unreachable_is_a_kind_of_unavailable_and_needs_a_path() -> None:
    assert issubclass(StoreUnreachable, StoreUnavailable)
    with pytest.raises(InvalidFaults, match="needs a file path"):
        parse("unreachable_file=")


def test_a_store_without_the_fault_is_not_pinged(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "quotes.db", faults=None)
    try:
        assert not store.silent_when_down
    finally:
        store.close()
