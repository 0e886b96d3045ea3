"""One byte a row, 1 where the row matches a search, kept in blocks that count their matches.

A view over the matches asks for the k-th matching row (to show it) and a
row's rank among the matches (to map a change of the list onto the view),
and the list changes a row at a time while it is shown: a like moves a card,
someone adds or deletes a quote. One flat ``bytearray`` would make each
change cost a count over every row (milliseconds at a million rows, so a
burst of live changes could not keep up). Here the bytes are cut into blocks
of about ``_BLOCK`` rows, each with its count of matches: a change touches
one block, and where rows and ranks start (a prefix sum over the counts, a
thousand of them at a million rows) is worked out again only when asked.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

#: Rows a block holds, about (between half and twice this).
_BLOCK = 1024


class RowFlags:
    """``flags[r]`` is 1 if row ``r`` matches; counts and finds matches by rank."""

    def __init__(self, flags: bytes | bytearray) -> None:
        self._blocks = [bytearray(flags[a : a + _BLOCK]) for a in range(0, len(flags), _BLOCK)]
        self._counts = [block.count(1) for block in self._blocks]
        self._length = len(flags)
        #: How many rows match (asked for on every index a view makes).
        self.total = sum(self._counts)
        #: The first row and the first rank of each block, while no block changes in length or count.
        self._starts: tuple[list[int], list[int]] | None = None
        #: The last (rank, row) found: views ask for neighbouring ranks.
        self._last = (-1, -1)

    @classmethod
    def none(cls, count: int) -> RowFlags:
        """``count`` rows, none matching (what a search starts from: a new one each
        key, so cheaply: 0.1 ms at a million rows, where cutting bytes takes 1 ms)."""
        flags = cls(b"")
        whole, rest = divmod(count, _BLOCK)
        flags._blocks = [bytearray(_BLOCK) for _ in range(whole)] + ([bytearray(rest)] if rest else [])
        flags._counts = [0] * len(flags._blocks)
        flags._length = count
        return flags

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, row: int) -> int:
        block, offset = self._find(row)
        return self._blocks[block][offset]

    def __bytes__(self) -> bytes:
        return b"".join(self._blocks)

    def get(self, first: int, stop: int) -> bytes:
        """The flags of rows ``first`` to ``stop`` - 1."""
        parts = []
        while first < stop:
            block, offset = self._find(first)
            part = self._blocks[block][offset : offset + stop - first]
            parts.append(part)
            first += len(part)
        return b"".join(parts)

    def count_before(self, row: int) -> int:
        """How many rows before ``row`` match: the rank ``row`` has (or would have) among them."""
        if row >= self._length:
            return self.total
        block, offset = self._find(row)
        return self._ranks()[block] + self._blocks[block].count(1, 0, offset)

    def row_of_rank(self, rank: int) -> int:
        """The row of the match of rank ``rank`` (0 <= rank < total)."""
        last_rank, last_row = self._last
        if last_rank != -1 and last_rank <= rank <= last_rank + 8:
            block, offset = self._find(last_row)
            steps = rank - last_rank
        else:
            ranks = self._ranks()
            block = bisect_right(ranks, rank) - 1  # the last to start at or before ``rank``: it holds it
            offset, steps = -1, rank - ranks[block] + 1
        while steps:
            flags = self._blocks[block]
            found = flags.find(1, offset + 1)
            if found == -1:
                block, offset = block + 1, -1
                continue
            offset, steps = found, steps - 1
        row = self._rows()[block] + offset
        self._last = (rank, row)
        return row

    # -- changes ----------------------------------------------------------------------

    def insert(self, first: int, bits: bytes) -> None:
        """Rows ``first`` to ``first + len(bits) - 1`` come, flagged ``bits``."""
        if not bits:
            return
        if not self._blocks:
            self._blocks, self._counts = [bytearray()], [0]
        if first >= self._length:
            block, offset = len(self._blocks) - 1, len(self._blocks[-1])
        else:
            block, offset = self._find(first)
        self._blocks[block][offset:offset] = bits
        self._counts[block] += bits.count(1)
        self.total += bits.count(1)
        self._length += len(bits)
        self._split(block)
        self._changed()

    def remove(self, first: int, last: int) -> None:
        """Rows ``first`` to ``last`` go."""
        remaining = last - first + 1
        block, offset = self._find(first)
        while remaining:
            flags = self._blocks[block]
            gone = flags[offset : offset + remaining]
            del flags[offset : offset + remaining]
            self._counts[block] -= gone.count(1)
            self.total -= gone.count(1)
            self._length -= len(gone)
            remaining -= len(gone)
            if flags:
                block, offset = block + 1, 0
            else:
                del self._blocks[block], self._counts[block]
                offset = 0
        self._changed()

    def move(self, row: int, final: int) -> None:
        """Row ``row`` is now row ``final``."""
        bit = bytes([self[row]])
        self.remove(row, row)
        self.insert(final, bit)

    def set(self, first: int, bits: bytes) -> None:
        """Rows ``first`` to ``first + len(bits) - 1`` are flagged ``bits`` now."""
        done = 0
        while done < len(bits):
            block, offset = self._find(first + done)
            flags = self._blocks[block]
            part = bits[done : done + len(flags) - offset]
            change = part.count(1) - flags.count(1, offset, offset + len(part))
            self._counts[block] += change
            self.total += change
            flags[offset : offset + len(part)] = part
            done += len(part)
        self._changed()

    # -- blocks -------------------------------------------------------------------------

    def _find(self, row: int) -> tuple[int, int]:
        """The block holding ``row`` and the row's place in it."""
        rows = self._rows()
        block = bisect_right(rows, row) - 1
        return block, row - rows[block]

    def _split(self, block: int) -> None:
        flags = self._blocks[block]
        if len(flags) > 2 * _BLOCK:
            parts = [flags[a : a + _BLOCK] for a in range(0, len(flags), _BLOCK)]
            self._blocks[block : block + 1] = parts
            self._counts[block : block + 1] = [part.count(1) for part in parts]

    def _changed(self) -> None:
        self._starts = None
        self._last = (-1, -1)

    def _rows(self) -> list[int]:
        return self._prefix()[0]

    def _ranks(self) -> list[int]:
        return self._prefix()[1]

    def _prefix(self) -> tuple[list[int], list[int]]:
        if self._starts is None:
            rows = list(accumulate((len(b) for b in self._blocks), initial=0))
            ranks = list(accumulate(self._counts, initial=0))
            self._starts = (rows[:-1] or [0], ranks[:-1] or [0])
        return self._starts
