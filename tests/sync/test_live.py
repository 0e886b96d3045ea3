"""Live queries: a snapshot, then batches of changes; a live record.

No pytest-asyncio: each test runs its coroutine with ``asyncio.run`` and waits
on conditions with ``asyncio.wait_for``, never with fixed sleeps.
"""

from __future__ import annotations

import asyncio
import random
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from support.engines import Engine
from support.live_events import STEP, next_event, rest_of_stream, run

from app.repo import Quote, QuoteRepo, changelog
from app.repo.schema import QuoteFields, now
from app.sync.events import Changes, Offline, RecordState, Snapshot
from app.sync.live import FIRST_PAGE, LiveCollection, LiveRecord

ROOT = Path(__file__).resolve().parents[2]


async def until(condition: Callable[[], bool], timeout: float = STEP) -> None:
    """Poll ``condition`` until it holds (a condition wait, not a fixed sleep)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.005)


def by_id(quotes) -> dict[str, Quote]:
    return {q.id: q for q in quotes}


def ids(quotes) -> set[str]:
    return {q.id for q in quotes}


@pytest.fixture
def three(repo) -> list[Quote]:
    return [repo.insert(f"Author {i}", f"Quote {i}.") for i in range(3)]


class Model:
    """What a client (the list model) holds: a snapshot with batches applied."""

    def __init__(self) -> None:
        self.quotes: dict[str, Quote] = {}

    def apply(self, event) -> None:
        if isinstance(event, Snapshot):
            self.quotes = by_id(event.quotes)
            return
        assert isinstance(event, Changes), event
        for quote in event.inserted:
            assert quote.id not in self.quotes, "inserted twice"
            self.quotes[quote.id] = quote
        for quote in event.updated:
            assert quote.id in self.quotes, "updated a quote we never had"
            self.quotes[quote.id] = quote
        for quote_id in event.deleted:
            assert quote_id in self.quotes, "deleted a quote we never had"
            del self.quotes[quote_id]


# -- live collection ----------------------------------------------------------------


def test_snapshot_then_inserted_updated_deleted(repo, three) -> None:
    async def scenario() -> None:
        live = LiveCollection(repo)
        try:
            snapshot = await next_event(live)
            assert isinstance(snapshot, Snapshot)
            assert by_id(snapshot.quotes) == by_id(three)

            added = repo.insert("New", "Fresh.")
            event = await next_event(live)
            assert event == Changes(inserted=(repo.get(added.id),))

            repo.like(three[0].id)
            event = await next_event(live)
            assert event == Changes(updated=(repo.get(three[0].id),))
            assert event.updated[0].likes == 1

            repo.update(three[1].id, content="Edited.")
            event = await next_event(live)
            assert [q.content for q in event.updated] == ["Edited."]
            assert not event.inserted and not event.deleted

            repo.delete(three[2].id)
            event = await next_event(live)
            assert event == Changes(deleted=(three[2].id,))

            assert live.quotes == by_id(repo.read_all())
        finally:
            await live.aclose()

    run(scenario())


def test_a_stream_starts_with_a_few_screens_of_quotes_then_reads_full_pages(repo) -> None:
    repo.import_many([(QuoteFields(author="A", content=f"Quote {n}."), 0) for n in range(700)])

    async def scenario() -> None:
        live = LiveCollection(repo, stream="newest", page=300)
        try:
            sizes = [len((await next_event(live)).quotes)]
            pages, _ = await rest_of_stream(live)
            sizes += map(len, pages)
            assert sizes == [FIRST_PAGE, 300, 200]  # 700 quotes: the first page is shown sooner
        finally:
            await live.aclose()

    run(scenario())


def test_a_streamed_collection_comes_newest_first_and_loses_no_change_made_meanwhile(repo, three) -> None:
    older = [repo.insert(f"Older {n}", f"Older quote {n}.") for n in range(2)]
    newest_first = [*reversed(older), *reversed(three)]

    async def scenario() -> None:
        live = LiveCollection(repo, stream="newest", page=2)
        try:
            first = await next_event(live)
            assert first == Snapshot(tuple(newest_first[:2]), complete=False)
            # Made while the rest is read: a later page sees some, the catch-up all.
            repo.like(three[0].id)
            repo.delete(older[1].id)  # already streamed
            added = repo.insert("Added", "While streaming.")
            pages, event = await rest_of_stream(live)
            streamed = [*first.quotes, *(quote for page in pages for quote in page)]
            assert [q.id for q in streamed] == [q.id for q in newest_first]
            assert isinstance(event, Changes) and event.completes
            assert event.deleted == (older[1].id,)
            assert repo.get(added.id) in event.inserted
            assert repo.get(three[0].id) in event.updated + event.inserted or any(
                q == repo.get(three[0].id) for q in streamed
            )
            model = Model()
            model.apply(Snapshot(tuple(streamed)))
            model.apply(event)
            assert model.quotes == by_id(repo.read_all()) == live.quotes

            repo.like(three[1].id)  # and it goes on as a live collection
            assert await next_event(live) == Changes(updated=(repo.get(three[1].id),))
        finally:
            await live.aclose()

    run(scenario())


def test_a_first_page_stream_reads_the_rest_in_id_order_and_loses_no_change(repo, three) -> None:
    older = [repo.insert(f"Older {n}", f"Older quote {n}.") for n in range(5)]
    newest_first = [*reversed(older), *reversed(three)]

    async def scenario() -> None:
        live = LiveCollection(repo, stream="first-page", page=2)
        try:
            first = await next_event(live)
            assert first == Snapshot(tuple(newest_first[:2]), complete=False, total=8)
            repo.like(three[0].id)  # made while the rest is read: the catch-up has it
            added = repo.insert("Added", "While streaming.")
            pages, event = await rest_of_stream(live)
            rest = [quote.id for page in pages for quote in page]
            assert rest == sorted(rest), "in id order"
            assert len(rest) == len(set(rest)), "each quote once"
            assert set(rest) - {added.id} == {q.id for q in newest_first[2:]}
            assert isinstance(event, Changes) and event.completes
            assert added.id in rest or repo.get(added.id) in event.inserted
            assert live.quotes == by_id(repo.read_all())
            # Every quote the stream brought, as it brought it (the catch-up not in it).
            streamed = {q.id: q for q in (*first.quotes, *(q for page in pages for q in page))}
            assert event.index is not None and dict(event.index) == streamed
        finally:
            await live.aclose()

    run(scenario())


def test_a_collection_without_a_complete_index_is_read_whole(repo, three) -> None:
    repo.store.transact(lambda tr: tr.clear(repo.keys.insertion_index_complete))  # as before it

    async def scenario() -> None:
        live = LiveCollection(repo, stream="newest")
        try:
            snapshot = await next_event(live)
            assert snapshot.complete and by_id(snapshot.quotes) == by_id(three)
        finally:
            await live.aclose()

    run(scenario())


def test_burst_committed_before_the_read_is_one_batch(repo, three) -> None:
    async def scenario() -> None:
        live = LiveCollection(repo)
        try:
            model = Model()
            model.apply(await next_event(live))
            # All of this commits before the live query reads again.
            a = repo.insert("A", "Burst a.")
            b = repo.insert("B", "Burst b.")
            repo.like(three[0].id)
            repo.like(three[0].id)
            repo.update(three[1].id, author="Renamed")
            repo.delete(three[2].id)
            transient = repo.insert("T", "Here and gone.")
            repo.delete(transient.id)
            repo.like(a.id)

            batch = await next_event(live)
            assert ids(batch.inserted) == {a.id, b.id}
            assert ids(batch.updated) == {three[0].id, three[1].id}
            assert set(batch.deleted) == {three[2].id}
            assert by_id(batch.inserted)[a.id].likes == 1
            assert by_id(batch.updated)[three[0].id].likes == 2
            model.apply(batch)
            assert model.quotes == by_id(repo.read_all())

            # Nothing of the burst is left over for a second batch.
            repo.like(b.id)
            after = await next_event(live)
            assert after == Changes(updated=(repo.get(b.id),))
        finally:
            await live.aclose()

    run(scenario())


def test_a_batch_reads_only_the_records_that_changed(repo) -> None:
    quotes = [repo.insert(f"Author {i}", f"Quote {i}.") for i in range(50)]

    async def scenario() -> None:
        live = LiveCollection(repo)
        try:
            await next_event(live)
            repo.like(quotes[17].id)
            event = await next_event(live)
            assert event == Changes(updated=(repo.get(quotes[17].id),))
            assert event.records_read == 1
            repo.delete(quotes[3].id)
            repo.like(quotes[4].id)
            event = await next_event(live)
            assert event.deleted == (quotes[3].id,)
            assert ids(event.updated) == {quotes[4].id}
            assert event.records_read == 2
        finally:
            await live.aclose()

    run(scenario())


def test_log_trimmed_past_the_cursor_falls_back_to_a_full_reread(repo) -> None:
    quotes = [repo.insert(f"Author {i}", f"Quote {i}.") for i in range(20)]

    async def scenario() -> None:
        live = LiveCollection(repo)
        try:
            model = Model()
            model.apply(await next_event(live))
            repo.like(quotes[5].id)
            repo.delete(quotes[6].id)
            added = repo.insert("New", "After the cursor.")
            # Not its count: under injected faults, a trim whose commit came back unknown
            # runs again and finds nothing left. What follows shows the log was trimmed.
            changelog.trim(repo.store, repo.keys, 0)

            event = await next_event(live)
            assert event.records_read == 20  # 19 left + 1 new: everything was read
            assert ids(event.inserted) == {added.id}
            assert ids(event.updated) == {quotes[5].id}
            assert event.deleted == (quotes[6].id,)
            model.apply(event)
            assert model.quotes == by_id(repo.read_all())

            # From the new cursor it is incremental again.
            repo.like(quotes[7].id)
            event = await next_event(live)
            assert event == Changes(updated=(repo.get(quotes[7].id),))
            assert event.records_read == 1
        finally:
            await live.aclose()

    run(scenario())


def test_live_collections_end_equal_to_a_fresh_read(repo, three) -> None:
    rng = random.Random(1234)
    pages = {"one page": 1000, "a page a quote": 1}

    async def scenario() -> None:
        lives = {mode: LiveCollection(repo, page=size) for mode, size in pages.items()}
        models = {mode: Model() for mode in pages}
        try:
            for mode, live in lives.items():
                models[mode].apply(await next_event(live))
            for round_number in range(12):
                alive = [q.id for q in repo.read_all()]
                for _ in range(rng.randint(1, 6)):
                    choice = rng.random()
                    if choice < 0.3 or len(alive) < 2:
                        alive.append(repo.insert("R", f"Round {round_number}.").id)
                    elif choice < 0.5:
                        victim = alive.pop(rng.randrange(len(alive)))
                        repo.delete(victim)
                    elif choice < 0.7:
                        repo.update(rng.choice(alive), content=f"Edit {rng.random()}")
                    else:
                        repo.like(rng.choice(alive), rng.randint(1, 3))
                repo.like(rng.choice(alive))  # at least one net change per round
                expected = by_id(repo.read_all())
                for mode, live in lives.items():
                    event = await next_event(live)
                    models[mode].apply(event)
                    assert models[mode].quotes == expected, mode
                    assert live.quotes == expected, mode
        finally:
            for live in lives.values():
                await live.aclose()

    run(scenario())


async def like_in_another_process(engine: Engine, repo: QuoteRepo, quote_id: str) -> None:
    """A like made by another program on the same store."""
    code = (
        "from app.repo import QuoteRepo\n"
        f"store = {engine.open_source}\n"
        f"try:\n    QuoteRepo(store, {repo.tenant!r}).add_likes({quote_id!r})\n"
        "finally:\n    store.close()\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        code,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()


@pytest.mark.e2e
def test_change_from_another_process_reaches_the_live_collection(engine, repo, three) -> None:
    async def scenario() -> None:
        live = LiveCollection(repo)
        try:
            await next_event(live)
            waiting = asyncio.ensure_future(next_event(live))
            await like_in_another_process(engine, repo, three[1].id)
            event = await waiting
            assert isinstance(event, Changes)
            assert [(q.id, q.likes) for q in event.updated] == [(three[1].id, 1)]
        finally:
            await live.aclose()

    run(scenario())


def test_aclose_ends_iteration_without_hanging(repo, three) -> None:
    async def scenario() -> None:
        live = LiveCollection(repo)
        got_snapshot = asyncio.Event()
        events = []

        async def consume() -> None:
            async for event in live:
                events.append(event)
                got_snapshot.set()

        consumer = asyncio.ensure_future(consume())
        await asyncio.wait_for(got_snapshot.wait(), STEP)
        await live.aclose()  # while the consumer waits on the watch
        await asyncio.wait_for(consumer, 5)
        assert len(events) == 1 and isinstance(events[0], Snapshot)
        with pytest.raises(StopAsyncIteration):
            await next_event(live)
        # Writes after closing go nowhere and raise nothing.
        repo.like(three[0].id)

    run(scenario(), timeout=20)


def test_aclose_before_the_first_read(repo) -> None:
    async def scenario() -> None:
        live = LiveCollection(repo)
        await live.aclose()
        with pytest.raises(StopAsyncIteration):
            await next_event(live)

    run(scenario(), timeout=10)


def test_idle_rechecks_do_not_pile_up_watches(repo, three, monkeypatch) -> None:
    """Each re-read arms a new watch; the one it replaces must not stay pending."""
    armed = []
    watch_counter = repo.watch

    def spy(name, *, tr):
        watch = watch_counter(name, tr=tr)
        armed.append(watch)
        return watch

    monkeypatch.setattr(repo, "watch", spy)

    async def scenario() -> None:
        live = LiveCollection(repo, recheck=0.01)
        await next_event(live)
        rechecking = asyncio.ensure_future(next_event(live))
        try:
            await until(lambda: len(armed) >= 10)
            pending = [w for w in armed[:-1] if not w.done()]
            assert len(pending) <= 1, f"{len(pending)} replaced watches are still pending"
            repo.like(three[0].id)
            event = await rechecking
            assert ids(event.updated) == {three[0].id}
        finally:
            rechecking.cancel()
            await live.aclose()
        await until(lambda: all(w.done() for w in armed))

    run(scenario())


def test_closed_store_is_reported_offline(engine, repo, three) -> None:
    own = QuoteRepo(engine.reopen(), repo.tenant)  # closed here; the fixture's store stays open

    async def scenario() -> None:
        live = LiveCollection(own)
        try:
            await next_event(live)
            own.close()  # cancels the armed watch: the live query re-reads
            event = await next_event(live)
            assert isinstance(event, Offline)
            assert "closed" in event.reason
        finally:
            await live.aclose()

    run(scenario())


# -- live record ---------------------------------------------------------------------


def test_live_record_follows_likes_updates_delete_and_reinsert(repo, three) -> None:
    target = three[1]

    async def scenario() -> None:
        live = LiveRecord(repo, target.id)
        try:
            assert await next_event(live) == RecordState(target)

            repo.like(three[0].id)  # another quote: nothing for this record
            repo.like(target.id)
            state = await next_event(live)
            assert state == RecordState(repo.get(target.id))
            assert state.quote.likes == 1

            repo.update(target.id, content="Edited.")
            state = await next_event(live)
            assert state.quote.content == "Edited."
            assert state.quote.likes == 1

            repo.delete(target.id)
            assert await next_event(live) == RecordState(None)

            at = now()
            repo.restore(
                Quote(
                    id=target.id, author="Back", content="Here again.", likes=0, inserted_at=at, updated_at=at
                )
            )
            state = await next_event(live)
            assert state.quote is not None
            assert (state.quote.id, state.quote.content, state.quote.likes) == (
                target.id,
                "Here again.",
                0,
            )
        finally:
            await live.aclose()

    run(scenario())


def test_live_record_of_an_unknown_id_starts_deleted_then_appears(repo) -> None:
    quote_id = str(uuid.uuid4())

    async def scenario() -> None:
        live = LiveRecord(repo, quote_id)
        try:
            assert await next_event(live) == RecordState(None)
            waiting = asyncio.ensure_future(next_event(live))
            repo.insert("Other", "Not this one.")
            at = now()
            repo.restore(
                Quote(id=quote_id, author="A", content="Now.", likes=0, inserted_at=at, updated_at=at)
            )
            state = await waiting
            assert state.quote is not None and state.quote.id == quote_id
        finally:
            await live.aclose()

    run(scenario())


@pytest.mark.e2e
def test_live_record_sees_a_like_from_another_process(engine, repo, three) -> None:
    async def scenario() -> None:
        live = LiveRecord(repo, three[0].id)
        try:
            await next_event(live)
            waiting = asyncio.ensure_future(next_event(live))
            await like_in_another_process(engine, repo, three[0].id)
            state = await waiting
            assert state.quote.likes == 1
        finally:
            await live.aclose()

    run(scenario())


def test_live_record_aclose_ends_iteration(repo, three) -> None:
    async def scenario() -> None:
        live = LiveRecord(repo, three[0].id)
        first = await next_event(live)
        assert first.quote == three[0]
        waiting = asyncio.ensure_future(live.__anext__())
        await live.aclose()
        with pytest.raises(StopAsyncIteration):
            await asyncio.wait_for(waiting, 5)

    run(scenario(), timeout=20)
