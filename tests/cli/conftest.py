"""Fixtures of the command-line tests: what a refused command must leave unchanged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from support.cli import Cli

from app.repo import QuoteRepo

State = tuple[list[dict[str, Any]], dict[str, int]]


@pytest.fixture
def state(cli: Cli, repo: QuoteRepo) -> Callable[[], State]:
    """What the collection holds, and its counters: a refused command changes neither."""
    return lambda: (cli.listed(), repo.counters())


@pytest.fixture
def seeded(cli: Cli, state: Callable[[], State]) -> State:
    """The state after ``quotes seed``."""
    cli.ok("seed")
    return state()
