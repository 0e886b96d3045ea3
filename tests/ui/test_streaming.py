"""Many changes from many threads into a running window; closing mid-stream.

PySide6-Essentials 6.12.0 on Python 3.11 aborts (bool_dealloc) after about
570 cross-thread ``Signal.emit`` calls, and qasync emits one per
``call_soon_threadsafe``: these tests send thousands.
"""

import threading

from support.waiting import WAIT_MS
from support.window import shown_likes

from app.sync.events import Changes


def test_thousands_of_cross_thread_callbacks_reach_the_window(qtbot, aio, open_window, repo):
    threads, per_thread = 4, 1500
    quotes = [repo.insert(f"Streamer {n}", f"Stream {n}") for n in range(threads)]
    window = open_window(repo)
    applied = []

    def deliver(event):
        window.session.deliver(event)
        applied.append(1)

    def stream(quote):
        for likes in range(1, per_thread + 1):
            event = Changes(updated=(quote.replace(likes=likes),))
            aio.call_soon_threadsafe(deliver, event)

    workers = [threading.Thread(target=stream, args=(q,)) for q in quotes]
    for worker in workers:
        worker.start()
    qtbot.waitUntil(lambda: len(applied) == threads * per_thread, timeout=WAIT_MS)
    for worker in workers:
        worker.join()

    assert [shown_likes(window, q.id) for q in quotes] == [per_thread] * threads
    assert window.connection == "Connected"


def test_likes_from_many_threads_are_all_shown(qtbot, open_window, repo, other_writer):
    quote = repo.insert("Popular", "Everybody likes this one.")
    window = open_window(repo)
    threads, per_thread = 4, 50

    def like_many():
        for _ in range(per_thread):
            other_writer.like(quote.id)

    workers = [threading.Thread(target=like_many) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    qtbot.waitUntil(lambda: shown_likes(window, quote.id) == threads * per_thread, timeout=WAIT_MS)


def test_closing_while_changes_stream_in(qtbot, open_window, repo, other_writer):
    quotes = [repo.insert(f"Busy {n}", f"Busy quote {n}") for n in range(5)]
    window = open_window(repo)
    stop = threading.Event()

    def write_until_stopped():
        n = 0
        while not stop.is_set():
            other_writer.like(quotes[n % len(quotes)].id)
            if n % 10 == 0:
                other_writer.delete(other_writer.insert("Passing", f"Here and gone {n}").id)
            n += 1

    writer = threading.Thread(target=write_until_stopped)
    writer.start()
    try:
        qtbot.waitUntil(lambda: sum(shown_likes(window, q.id) for q in quotes) > 20, timeout=WAIT_MS)
        window.like(quotes[0].id)  # and one of our own in flight as we close
        with qtbot.waitSignal(window.closed, timeout=WAIT_MS):
            window.close()
    finally:
        stop.set()
        writer.join()
    assert not window.isVisible()
