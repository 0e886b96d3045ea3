"""The key layout's fast paths give exactly the tuple layer's keys."""

from __future__ import annotations

import pytest
from fdb import tuple as fdbtuple

from app.repo.keys import QuoteKeys

ODD_IDS = ["0010d4a4-d3aa-4196-a2b0-e6d9c01224e0", "", "a\x00b", "\x00", "é🙂", "x\xff", "\x02n\x00"]


@pytest.mark.parametrize("quote_id", ODD_IDS)
@pytest.mark.parametrize("tenant", ["default", "naïve\x00tenant"])
def test_record_likes_and_version_keys_are_the_tuple_layers(tenant, quote_id) -> None:
    keys = QuoteKeys(tenant)
    for kind, key in (("r", keys.record), ("l", keys.likes), ("v", keys.version)):
        assert key(quote_id) == keys.prefix + fdbtuple.pack((kind, quote_id))
        assert keys.id_of(key(quote_id)) == quote_id


@pytest.mark.parametrize("quote_id", ODD_IDS)
@pytest.mark.parametrize("micros", [0, 1, 1_733_300_000_000_000, 2**64, -5])
def test_ids_read_back_from_the_insertion_index(quote_id, micros) -> None:
    keys = QuoteKeys("default")
    assert keys.id_by_insertion(keys.by_insertion(micros, quote_id)) == quote_id
