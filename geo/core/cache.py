"""A small bounded store for the engine's results, safe to use from the app's threads.

The engine keeps what it has made by value: built layers by what they depend on
(``geo.engine.layers``), line buffers by line and distance (``geo.engine.zones.Ground``). A key looked up
again gets the same object back; when the store is full the least recently used entry goes.

:func:`once_per` keeps what depends only on a few values (a border source, a tolerance) once
per value, with the function's defaults filled in, so ``ground()`` and ``ground("osm")`` are
one entry.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Kept:
    """At most ``size`` results by key. ``get(key, make)`` returns the kept result or keeps
    ``make()``'s; two threads making the same key at once both get the first one kept.

    >>> kept = Kept(2)
    >>> kept.get("a", lambda: [1]) is kept.get("a", lambda: [2])
    True
    >>> _ = kept.get("b", list), kept.get("c", list)
    >>> "a" in kept
    False
    """

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        made = make()
        with self._lock:
            found = self._items.setdefault(key, made)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return found

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def once_per(function: Callable[..., T]) -> Callable[..., T]:
    """``functools.cache`` keyed by the arguments as the function's signature binds them, its
    defaults filled in: a call that leaves out an argument and one that gives its default
    share one entry. The wrapper has ``cache_clear`` and ``cache_info`` as ``functools.cache``.

    >>> @once_per
    ... def made(source="osm"):
    ...     return [source]
    >>> made() is made("osm") is made(source="osm")
    True
    """
    signature = inspect.signature(function)
    cached = functools.cache(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return cached(*bound.args, **bound.kwargs)

    wrapper.cache_clear = cached.cache_clear
    wrapper.cache_info = cached.cache_info
    return wrapper
