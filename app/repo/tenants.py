"""Tenants are key prefixes (FoundationDB 8.0 removed its own tenants)."""

from __future__ import annotations

import unicodedata

from fdb import tuple as fdbtuple

from app.repo.errors import InvalidTenant
from app.repo.keys import ROOT, TENANTS, tenant_key, tenant_name
from app.store.base import Transaction

DEFAULT = "default"
#: Bumped (atomic add) whenever the registry changes: one key a watch can follow.
#: Outside the TENANTS range, so listing the tenants never sees it.
VERSION = fdbtuple.pack(ROOT + ("tenants-version",))
MAX_NAME = 64


def validate(name: str) -> str:
    """The trimmed name, or ``InvalidTenant`` saying what is wrong with it."""
    if not isinstance(name, str):
        raise InvalidTenant("tenant name must be text")
    name = name.strip()
    if not name:
        raise InvalidTenant("tenant name must not be blank")
    if len(name) > MAX_NAME:
        raise InvalidTenant(f"tenant name is too long (at most {MAX_NAME} characters)")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise InvalidTenant("tenant name must not contain control characters")
    return name


def key(name: str) -> bytes:
    return tenant_key(name)


def list_tx(tr: Transaction) -> list[str]:
    return [tenant_name(k) for k, _ in tr.get_range(TENANTS.start, TENANTS.stop)]


def create_tx(tr: Transaction, name: str) -> None:
    tr.set(tenant_key(validate(name)), b"")
    tr.add(VERSION, 1)
