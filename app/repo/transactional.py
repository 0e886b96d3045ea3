"""``@transactional``: one function that runs in the caller's transaction or opens one.

In the manner of FoundationDB's ``@fdb.transactional``, the transaction has one
place in every signature: a keyword-only parameter ``tr`` whose default is
``NEW``, after every other parameter::

    class QuoteRepo:
        @transactional(once=True)
        def delete(self, quote_id: str, *, tr: Transaction = NEW) -> Quote: ...

    repo.delete(quote_id)           # a transaction of its own, in the store's retry loop
    repo.delete(quote_id, tr=tr)    # inside the caller's transaction: they commit together

    @transactional
    def names(store: Store, *, tr: Transaction = NEW) -> list[str]: ...

The decorator keeps the signature (``Callable[P, R] -> Callable[P, R]``), so a
type checker sees every call as written, and refuses at import a function
whose ``tr`` is not keyword-only. The first argument (``self``, a ``Store``, or
any object with a ``store``) names the store a new transaction runs on. Once a
write it opened has committed, that argument's ``after_write()`` runs, if it
has one (the repository trims its change log now and then, never inside a
user's write).

``once=True`` makes a write exactly-once: the retry loop runs the body again
after ``commit_unknown_result`` (1021) although the first commit may have
happened. A token made once per call, outside the loop, is checked and
recorded inside the transaction; a run that finds it returns what the first
run returned (``app.repo.once_results`` stores it: quotes, tuples and lists of
them, text, numbers, None). A token's key starts with a shard taken from the
token (tokens spread over the key space, not all on the newest shard), then
the read version of the call's first attempt: trims clear tokens older than
``changelog.ONCE_TTL_VERSIONS``, measured in store versions, never by a
client's clock. A run that wrote nothing (a no-op: a tenant that existed,
samples already there) records no token. In the caller's transaction,
``once`` does nothing: the outermost exactly-once call's token covers
everything inside it.

A write made long before it is sent (an offline outbox) brings its own token:
``with once_as(OnceToken(token, version, remember)): repo.like(id)``. The
token was made when the user acted; ``version`` is the read version of the
first attempt ever made to send it (None until then), which ``remember`` is
given before that attempt writes anything, so that a send cut short (an
unknown result, a quit) and taken up again, even by another process, checks
the same key and never applies the write twice.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Final, Generic, ParamSpec, TypeVar, cast, overload

from app.repo import once_results
from app.repo.keys import once_token
from app.store.base import Store, Transaction

P = ParamSpec("P")
R = TypeVar("R")


class _NewTransaction:
    """The default of every ``tr``: "open a transaction of your own"."""

    def __repr__(self) -> str:
        return "NEW"


#: ``tr``'s default: the decorator replaces it with a transaction of its own.
NEW: Final = cast(Transaction, _NewTransaction())


@dataclass(frozen=True)
class OnceToken:
    """The exactly-once token of a write made earlier (see the module's docstring)."""

    #: 16 random bytes, made when the user acted.
    token: bytes
    #: The read version of the first attempt to send it (None: never tried).
    version: int | None = None
    #: Told the read version of this call's first attempt before it writes; returns
    #: the version to use (the first ever remembered, if another send got there first).
    remember: Callable[[int], int] | None = None


_GIVEN: ContextVar[OnceToken | None] = ContextVar("once_token", default=None)


@contextmanager
def once_as(token: OnceToken) -> Iterator[None]:
    """The next exactly-once write opened in this context uses ``token``."""
    reset = _GIVEN.set(token)
    try:
        yield
    finally:
        _GIVEN.reset(reset)


@overload
def transactional(fn: Callable[P, R], /) -> Callable[P, R]: ...


@overload
def transactional(*, once: bool = False) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def transactional(
    fn: Callable[P, R] | None = None, /, *, once: bool = False
) -> Callable[P, R] | Callable[[Callable[P, R]], Callable[P, R]]:
    if fn is None:
        return functools.partial(_decorate, once=once)
    return _decorate(fn, once=once)


def _decorate(fn: Callable[P, R], once: bool) -> Callable[P, R]:
    # Read from the code object rather than inspect.signature: loading inspect
    # would cost every command's start (a dozen modules).
    code = fn.__code__
    keyword_only = code.co_varnames[code.co_argcount : code.co_argcount + code.co_kwonlyargcount]
    if "tr" not in keyword_only:
        raise TypeError(f"{fn.__qualname__}: a transactional function takes a keyword-only 'tr'")
    if (fn.__kwdefaults__ or {}).get("tr") is not NEW:
        raise TypeError(f"{fn.__qualname__}: 'tr' must default to NEW")

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if kwargs.get("tr", NEW) is not NEW:
            return fn(*args, **kwargs)
        target = args[0]
        store = _store_of(target)

        body = _Body(fn, args, kwargs)
        if not once:
            return store.transact(body)
        result = store.transact(_Once(body))
        after_write = getattr(target, "after_write", None)
        if after_write is not None:
            after_write()
        return result

    return wrapper


def _store_of(target: object) -> Store:
    if isinstance(target, Store):
        return target
    store = getattr(target, "store", None)
    if not isinstance(store, Store):
        raise TypeError(f"a transactional function's first argument names no store: {target!r}")
    return store


class _Body(Generic[R]):
    """One call's body: ``fn`` with its arguments and the retry loop's transaction.
    ``__wrapped__`` names ``fn``, so a store can tell one function's bodies
    from another's across calls (the embedded engine starts a function it
    has seen writing as a writer)."""

    def __init__(self, fn: Callable[..., R], args: tuple[object, ...], kwargs: dict[str, object]) -> None:
        self.__wrapped__ = fn
        self._args = args
        self._kwargs = {name: value for name, value in kwargs.items() if name != "tr"}

    def __call__(self, tr: Transaction) -> R:
        return self.__wrapped__(*self._args, **self._kwargs, tr=tr)


class _Once(Generic[R]):
    """Runs the body at most once per call, whatever the retry loop does."""

    def __init__(self, body: _Body[R]) -> None:
        self._body = body
        self.__wrapped__ = body  # the function, for the store (``_Body``)
        given = _GIVEN.get()
        _GIVEN.set(None)  # one write per token: the calls this write makes get their own
        self._token = uuid.uuid4().bytes if given is None else given.token
        self._remember = None if given is None else given.remember
        #: Known once the first attempt (of this call, or of an earlier send) knows its read version.
        self._key = None if given is None or given.version is None else once_token(given.version, self._token)

    def __call__(self, tr: Transaction) -> R:
        if self._key is None:
            version = tr.get_read_version()
            if self._remember is not None:
                version = self._remember(version)
            self._key = once_token(version, self._token)
        done = tr.get(self._key)
        if done is not None:
            return cast(R, once_results.decode(done))
        result = self._body(tr)
        if tr.wrote:
            tr.set(self._key, once_results.encode(result))
        return result
