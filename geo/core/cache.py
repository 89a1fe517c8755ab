"""A small bounded store for the engine's results, safe to use from the app's threads.

The engine keeps what it has made by value: built layers by what they depend on
(``geo.engine.layers``), line buffers by line and distance (``geo.engine.zones.Ground``). A key looked up
again gets the same object back; when the store is full the least recently used entry goes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Kept:
    """At most ``size`` results by key. ``get(key, make)`` returns the kept result or keeps
    ``make()``'s. A key is made once even when many threads ask for it at once (the app's
    sessions after the same change of D): the first makes it, the others wait for it and get
    the same object. ``make`` may ask for other keys of the same store.

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
        self._making: dict[Hashable, threading.Lock] = {}  # a lock per key being made

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
            making = self._making.setdefault(key, threading.Lock())
        with making:
            with self._lock:
                if key in self._items:  # made by another thread while this one waited
                    self._items.move_to_end(key)
                    return self._items[key]
            try:
                made = make()
            finally:
                with self._lock:
                    self._making.pop(key, None)
            with self._lock:
                self._items[key] = made
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
