"""The key layout, in one place (tuple-encoded, the same on both engines).

("quotes", "tenants", name)                 -> epoch      tenant registry: 8 random bytes a creation
("quotes", "tenants-version")               -> int64 LE   bumped on create/delete (watched)
("quotes", "tokens", shard, version, token) -> JSON       exactly-once tokens and results: shard
                                                          (0-255, from the token) spreads them over
                                                          the key space; version: the read version
                                                          of the write's first attempt
("quotes", "once", ...)                     -> JSON       tokens of older versions (cleared by trims)
("quotes", "t", name) + ...                 tenant prefix (FDB 8.0 has no tenants)
    ("Quote", "r", id)                      -> JSON       record fields
    ("Quote", "l", id)                      -> int64 LE   likes (atomic add)
    ("Quote", "v", id)                      -> int64 LE   record version (single-record watch)
    ("Quote", "n", micros, id)              -> b""        by insertion time (UTC micros): newest first
    ("Quote", "n-complete")                 -> b"1"       every record has its "n" entry
    ("Quote", "m", counter)                 -> int64 LE   metadata counters
    ("Quote", "log") + stamp + (id,)        -> op         change log, commit order
    ("Quote", "floor")                      -> log key    oldest entry trimmed away
    ("Quote", "seeded")                     -> b"1"       the samples were offered once
"""

from __future__ import annotations

from typing import Any

from fdb import tuple as fdbtuple

from app.store.base import STAMP_LEN, versionstamp_key


def _pack(items: tuple[Any, ...]) -> bytes:
    packed: bytes = fdbtuple.pack(items)
    return packed


def _last(key: bytes, prefix_len: int = 0) -> Any:
    """The last element of the tuple packed in ``key`` after ``prefix_len`` bytes."""
    return fdbtuple.unpack(key, prefix_len=prefix_len)[-1]


ROOT = ("quotes",)
TENANTS = fdbtuple.range(ROOT + ("tenants",))
TENANTS_VERSION = _pack(ROOT + ("tenants-version",))
LEGACY_ONCE = fdbtuple.range(ROOT + ("once",))
#: Shards of the exactly-once tokens: a token's first byte picks one.
TOKEN_SHARDS = 256
COUNTERS = ("inserts", "deletes", "collection", "updates", "changes")


def tenant_key(name: str) -> bytes:
    return _pack(ROOT + ("tenants", name))


def tenant_name(key: bytes) -> str:
    return str(_last(key))


def tenant_data(name: str) -> tuple[bytes, bytes]:
    """Every key of one tenant's collections."""
    inner = fdbtuple.range(ROOT + ("t", name))
    return inner.start, inner.stop


def once_token(version: int, token: bytes) -> bytes:
    """The key of a token (random bytes) first tried at read version ``version``."""
    return _pack(ROOT + ("tokens", token[0] % TOKEN_SHARDS, version, token))


def once_tokens_before(version: int) -> list[tuple[bytes, bytes]]:
    """The ranges (one per shard) of tokens first tried before ``version``."""
    return [
        (_pack(ROOT + ("tokens", shard)), _pack(ROOT + ("tokens", shard, version)))
        for shard in range(TOKEN_SHARDS)
    ]


def _packed_text(text: str) -> bytes:
    """``_pack((text,))`` without the tuple layer's per-call overhead
    (a streamed page builds 4,000 keys): a string is \x02, its UTF-8 with each
    NUL escaped as \x00\xff, then \x00."""
    return b"\x02" + text.encode().replace(b"\x00", b"\x00\xff") + b"\x00"


class QuoteKeys:
    """Keys of the Quote schema under one tenant's prefix."""

    def __init__(self, tenant: str) -> None:
        self.prefix = _pack(ROOT + ("t", tenant, "Quote"))
        self.log_prefix = self.prefix + _pack(("log",))
        self.log_end = self.log_prefix + b"\xff"
        self.floor = self.prefix + _pack(("floor",))
        self.seeded = self.prefix + _pack(("seeded",))
        self.insertion_index_complete = self.prefix + _pack(("n-complete",))
        self._records = self.prefix + _pack(("r",))
        self._likes = self.prefix + _pack(("l",))
        #: A likes key without its packed id.
        self.likes_prefix = self._likes
        self._versions = self.prefix + _pack(("v",))
        #: Where the packed id starts in a record, likes or version key
        #: (after the prefix and the packed one-letter kind, ``\x02 kind \x00``).
        self.packed_id_start = len(self.prefix) + 3

    def record(self, quote_id: str) -> bytes:
        return self._records + _packed_text(quote_id)

    def likes(self, quote_id: str) -> bytes:
        return self._likes + _packed_text(quote_id)

    def version(self, quote_id: str) -> bytes:
        return self._versions + _packed_text(quote_id)

    def by_insertion(self, inserted_at_micros: int, quote_id: str) -> bytes:
        if 0 < inserted_at_micros < 2**63:  # fast path (an import writes one a quote): n, int, id
            size = (inserted_at_micros.bit_length() + 7) // 8
            number = bytes((0x14 + size,)) + inserted_at_micros.to_bytes(size, "big")
            return self.prefix + b"\x02n\x00" + number + _packed_text(quote_id)
        return self.prefix + _pack(("n", inserted_at_micros, quote_id))

    def id_by_insertion(self, key: bytes) -> str:
        body = key[len(self.prefix) :]
        # Fast path (a streamed read decodes one per quote): \x02 n \x00, then a
        # positive int (code 0x15-0x1c and that many bytes), then \x02 id \x00.
        code = body[3] if len(body) > 3 else 0
        start = 4 + code - 0x14
        if (
            0x15 <= code <= 0x1C
            and body[:3] == b"\x02n\x00"
            and body[start : start + 1] == b"\x02"
            and body[-1:] == b"\x00"
            and b"\x00" not in body[start + 1 : -1]
        ):
            return body[start + 1 : -1].decode()
        return str(_last(key, len(self.prefix)))

    @property
    def all_by_insertion(self) -> tuple[bytes, bytes]:
        return self._range("n")

    def counter(self, name: str) -> bytes:
        return self.prefix + _pack(("m", name))

    @property
    def records(self) -> tuple[bytes, bytes]:
        return self._range("r")

    def _range(self, kind: str) -> tuple[bytes, bytes]:
        inner = fdbtuple.range((kind,))
        return self.prefix + inner.start, self.prefix + inner.stop

    def id_of(self, key: bytes) -> str:
        body = key[len(self.prefix) :]
        # Fast path (a snapshot decodes 200,000 of these): (one-letter kind, id)
        # is \x02 kind \x00 \x02 id \x00, and an id without NUL needs no unescaping.
        if (
            body[:1] == body[3:4] == b"\x02"
            and body[2:3] == body[-1:] == b"\x00"
            and b"\x00" not in body[4:-1]
        ):
            return body[4:-1].decode()
        return str(_last(key, len(self.prefix)))

    def ids_of_packed(self, packed: list[bytes]) -> list[str]:
        """The ids of record, likes or version keys given from ``packed_id_start`` on
        (a page of a snapshot at a time: a million ids, a second less than ``id_of``)."""
        joined = b"".join(packed)
        if b"\x00\xff" not in joined and joined.count(b"\x00") == len(packed):
            # Each ends with its only NUL: if each is (text,), none needs unescaping.
            if all(p[0] == 2 and p[-1] == 0 for p in packed):
                return [p[1:-1].decode() for p in packed]
        return [str(fdbtuple.unpack(p)[-1]) for p in packed]

    def log_entry(self, quote_id: str) -> bytes:
        """A raw versionstamped key: one log entry per record per commit."""
        return versionstamp_key(self.log_prefix, _packed_text(quote_id))

    def logged_id(self, key: bytes) -> str:
        return str(_last(key[len(self.log_prefix) + STAMP_LEN :]))
