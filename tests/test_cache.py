"""The engine's bounded store (geo.core.cache): one result per key, made once."""

import threading
import time

import pytest

from geo.core.cache import Kept


def test_a_key_asked_for_again_gives_the_same_object_and_the_oldest_goes_first():
    kept = Kept(2)
    first = kept.get("a", lambda: [1])
    assert kept.get("a", lambda: [2]) is first
    kept.get("b", list)
    kept.get("a", list)  # "a" used last: "b" is the oldest now
    kept.get("c", list)
    assert "a" in kept and "b" not in kept and len(kept) == 2


def test_many_threads_asking_for_one_key_at_once_make_it_once():
    kept, made, results = Kept(4), [], []

    def make():
        made.append(threading.get_ident())
        time.sleep(0.2)  # long enough for every thread to ask while it is being made
        return object()

    threads = [
        threading.Thread(target=lambda: results.append(kept.get("zones", make))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and len(results) == 8 and len({id(r) for r in results}) == 1


def test_making_a_key_may_ask_for_other_keys_and_a_failure_is_not_kept():
    kept = Kept(4)
    assert kept.get("layers", lambda: ("built", kept.get("border", lambda: "line"))) == (
        "built",
        "line",
    )

    def fail():
        raise ValueError("no data")

    for _ in range(2):  # the failure is raised each time, and the key stays free
        with pytest.raises(ValueError, match="no data"):
            kept.get("broken", fail)
    assert "broken" not in kept and kept.get("broken", lambda: 1) == 1
