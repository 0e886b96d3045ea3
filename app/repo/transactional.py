"""``@transactional``: one function that runs in a transaction or opens one.

In the manner of FoundationDB's ``@fdb.transactional``, a decorated function
has a ``tr`` parameter. Called with a ``Transaction`` there, it runs in that
transaction (so transactional functions compose into one); called without
one, it runs in a new transaction on a store, in the store's retry loop:

    @transactional
    def names(tr): ...                 # names(store) or names(tr)

    class QuoteRepo:
        @transactional(once=True)
        def like(self, tr, quote_id): ...   # repo.like(id) or repo.like(tr, id)

A function's first argument (``self`` for a method, else the store itself or
any object with a ``store``) says which store to open a transaction on. Once
a write it opened has committed, that argument's ``after_write()`` runs, if it
has one (the repository trims its change log now and then, never inside a
user's write).

``once=True`` makes a write exactly-once: the retry loop runs the body again
after ``commit_unknown_result`` (1021) although the first commit may have
happened. A token made once per call, outside the loop, is checked and
recorded inside the transaction; a run that finds it returns what the first
run returned (so results of such functions must be JSON values). Tokens are
keyed by time and cleared when the change log is trimmed.
"""

from __future__ import annotations

import functools
import inspect
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from app.repo.keys import once_token
from app.store.base import Store, Transaction


def transactional(fn: Callable | None = None, *, once: bool = False) -> Callable:
    if fn is None:
        return functools.partial(transactional, once=once)
    index = list(inspect.signature(fn).parameters).index("tr")

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if len(args) > index and isinstance(args[index], Transaction):
            return fn(*args, **kwargs)
        if index == 0:  # fn(tr, ...): the caller passed a store (or a repo) there
            store, head, rest = _store_of(args[0]), (), args[1:]
        else:  # a method: the caller left tr out
            store, head, rest = _store_of(args[0]), args[:index], args[index:]
        body = _Bound(fn, head, rest, kwargs)
        if not once:
            return store.transact(body)
        result = store.transact(_Once(body))
        after_write = getattr(args[0], "after_write", None)
        if after_write is not None:
            after_write()
        return result

    return wrapper


def _store_of(target: Any) -> Store:
    return target if isinstance(target, Store) else target.store


class _Bound:
    """``fn`` with every argument but the transaction; ``__wrapped__`` names the body."""

    def __init__(self, fn: Callable, head: tuple, rest: tuple, kwargs: dict) -> None:
        self.__wrapped__ = fn
        self._call = lambda tr: fn(*head, tr, *rest, **kwargs)

    def __call__(self, tr: Transaction) -> Any:
        return self._call(tr)


class _Once:
    """Runs the body at most once per call, whatever the retry loop does."""

    def __init__(self, body: _Bound) -> None:
        self.__wrapped__ = body.__wrapped__
        self._body = body
        self._token = once_token(int(time.time() * 1000), uuid.uuid4().hex)

    def __call__(self, tr: Transaction) -> Any:
        done = tr.get(self._token)
        if done is not None:
            return json.loads(done)
        result = self._body(tr)
        tr.set(self._token, json.dumps(result).encode())
        return result
