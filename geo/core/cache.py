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
