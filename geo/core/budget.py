"""What one piece of work may spend on a server shared by everyone: a time budget checked
between its steps, and the memory it used handed back to the system once it is done.

The limits on a user's file (``geo.userfiles.reading``) bound each step of reading and
classifying it; the budget bounds the whole, so that on a busy server one upload cannot hold
a thread and the CPU that every other reader shares for longer than it allows. It is checked
between steps (a step in GEOS or in a parser is not interrupted), so the work stops at the
first check after the time is spent.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import time
from collections.abc import Callable


class BudgetExceeded(Exception):
    """The work took longer than its budget (``seconds``)."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds


class Budget:
    """``seconds`` of work from now, checked with :meth:`check`; ``Budget(None)`` never runs out.

    >>> Budget(None).check()
    >>> ticks = iter([0.0, 0.5, 2.0])
    >>> budget = Budget(1.0, clock=lambda: next(ticks))
    >>> budget.check()
    >>> try:
    ...     budget.check()
    ... except BudgetExceeded as spent:
    ...     print(spent.seconds)
    1.0
    """

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._end = None if seconds is None else clock() + seconds

    def check(self) -> None:
        """Raise BudgetExceeded if the time is spent."""
        if self._end is not None and self._clock() > self._end:
            raise BudgetExceeded(self.seconds)


def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    with contextlib.suppress(OSError, AttributeError, TypeError):
        return ctypes.CDLL(name).malloc_trim
    return None


_TRIM = _malloc_trim()


def give_back_memory() -> None:
    """Collect what is no longer used and return the C library's free memory to the system.

    Python hands freed memory back to the C allocator, which keeps most of it in its arenas
    (one per thread that allocated it: every session of the app runs in a thread) for later
    use; the process then holds what one large upload once needed for as long as it runs.
    ``malloc_trim`` (glibc) returns the free pages; elsewhere only the collection is done.
    """
    gc.collect()
    if _TRIM is not None:
        _TRIM(0)
