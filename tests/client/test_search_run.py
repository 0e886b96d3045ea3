"""A search run over a list's rows stays right while the list changes under it, a slice at a time."""

from __future__ import annotations

import random

import pytest
from support.quotes import make_quote

from app.client import row_flags
from app.client.row_flags import RowFlags
from app.client.search_index import FoldedRows
from app.client.search_run import SearchRun
from app.sync.search import fold_query, fold_quote

WORDS = ["river", "Søren", "cœur", "way", "engine", "Straße"]


def random_quote(rng: random.Random, n: int):
    return make_quote(f"q{n}", author=rng.choice(WORDS), content=f"About the {rng.choice(WORDS)} {n}")


def expected(rows, query: str) -> list[int]:
    return [int(query in fold_quote(q)) for q in rows]


@pytest.mark.parametrize("narrowing", [False, True])
def test_a_run_answers_rightly_though_rows_come_go_move_and_change_between_slices(narrowing):
    """Also when typing on: the live answer to the query typed so far says which rows may match."""
    rng = random.Random(7)
    for trial in range(40):
        rows = [random_quote(rng, n) for n in range(rng.randrange(0, 3000))]
        folded = FoldedRows(lambda a, b, rows=rows: rows[a:b], len(rows))
        if trial % 2:
            folded.fold_some(rng.randrange(1, 2000))  # some rows folded already
        query = fold_query(rng.choice(WORDS + ["e", "coeur", "soren", ""]))
        # The answer shown, or a run dropped half done by the key typed after it.
        runs = [SearchRun(query[:2], folded)] if narrowing else []
        for shown in runs:
            shown.step(len(rows) if trial % 3 else rng.randrange(len(rows) + 1))
        run = SearchRun(query, folded, within=runs[0] if runs else None)
        runs.append(run)
        next_id = len(rows)
        while not run.done:
            run.step(rng.randrange(1, 400))
            for _ in range(rng.randrange(4)):
                roll = rng.random()
                if roll < 0.3 or not rows:
                    first = rng.randrange(len(rows) + 1)
                    new = [random_quote(rng, next_id + i) for i in range(rng.randrange(1, 40))]
                    next_id += len(new)
                    rows[first:first] = new
                    folded.inserted(first, first + len(new) - 1)
                    for each in runs:
                        each.inserted(first, first + len(new) - 1)
                elif roll < 0.5:
                    first = rng.randrange(len(rows))
                    last = min(len(rows) - 1, first + rng.randrange(30))
                    del rows[first : last + 1]
                    folded.removed(first, last)
                    for each in runs:
                        each.removed(first, last)
                elif roll < 0.8:
                    row, final = rng.randrange(len(rows)), rng.randrange(len(rows))
                    rows.insert(final, rows.pop(row))
                    folded.moved(row, final)
                    for each in runs:
                        if each.moved(row, final):
                            each.changed(final, final)
                else:
                    row = rng.randrange(len(rows))
                    rows[row] = random_quote(rng, next_id)
                    next_id += 1
                    folded.changed(row, row)
                    for each in runs:
                        each.changed(row, row)
        assert list(bytes(run.matches)) == expected(rows, query), trial


def test_row_flags_count_and_find_matches_by_rank():
    rng = random.Random(3)
    for size in (0, 1, 1023, 1024, 1025, 5000):
        flags = RowFlags(bytearray(rng.random() < 0.3 for _ in range(size)))
        rows = [r for r in range(size) if flags[r]]
        assert flags.total == len(rows)
        assert [flags.row_of_rank(k) for k in range(len(rows))] == rows
        assert [flags.row_of_rank(k) for k in reversed(range(len(rows)))] == rows[::-1]
        assert all(flags.count_before(r) == sum(1 for x in rows if x < r) for r in range(0, size + 1, 97))
        if size:
            flags.set(size - 1, b"\x01")
            assert flags.row_of_rank(flags.total - 1) == size - 1


def test_folding_ahead_folds_each_row_once_and_stops():
    rows = [make_quote(f"q{n}", author="Søren") for n in range(100)]
    folded = FoldedRows(lambda a, b: rows[a:b], len(rows))
    while folded.fold_some(30):
        pass
    assert folded.unfolded == 0 and folded.texts == [fold_quote(q) for q in rows]


@pytest.mark.parametrize("none_at_first", [False, True])
@pytest.mark.parametrize("block", [2, 5, 1024])
def test_row_flags_follow_inserts_removes_moves_and_sets_like_a_flat_list(block, none_at_first, monkeypatch):
    monkeypatch.setattr(row_flags, "_BLOCK", block)
    rng = random.Random(block)
    size = rng.randrange(0, 60)
    if none_at_first:  # how a search starts: no row answered, none matching
        truth = bytearray(size)
        flags = RowFlags.none(size)
    else:
        truth = bytearray(rng.random() < 0.4 for _ in range(size))
        flags = RowFlags(truth)
    for _ in range(600):
        roll = rng.random()
        if roll < 0.3 or not truth:
            first = rng.randrange(len(truth) + 1)
            bits = bytes(rng.random() < 0.4 for _ in range(rng.randrange(1, 3 * block + 2)))
            truth[first:first] = bits
            flags.insert(first, bits)
        elif roll < 0.5:
            first = rng.randrange(len(truth))
            last = min(len(truth) - 1, first + rng.randrange(3 * block))
            del truth[first : last + 1]
            flags.remove(first, last)
        elif roll < 0.7:
            row, final = rng.randrange(len(truth)), rng.randrange(len(truth))
            truth.insert(final, truth.pop(row))
            flags.move(row, final)
        else:
            first = rng.randrange(len(truth))
            bits = bytes(rng.random() < 0.4 for _ in range(rng.randrange(1, len(truth) - first + 1)))
            truth[first : first + len(bits)] = bits
            flags.set(first, bits)
        rows = [r for r, bit in enumerate(truth) if bit]
        assert bytes(flags) == truth and len(flags) == len(truth) and flags.total == len(rows)
        if rows:
            k = rng.randrange(len(rows))
            assert flags.row_of_rank(k) == rows[k]
            assert flags.row_of_rank(min(k + 1, len(rows) - 1)) == rows[min(k + 1, len(rows) - 1)]
        row = rng.randrange(len(truth) + 1)
        assert flags.count_before(row) == truth.count(1, 0, row)
        stop = rng.randrange(row, len(truth) + 1)
        assert flags.get(row, stop) == truth[row:stop]
