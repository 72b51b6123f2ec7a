"""Network states computed one group ahead, in a worker thread.

The network's forward pass (ONNX Runtime's or torch's) releases the GIL; the rest of a
group's work (candidates, the search, the words written back) is Python and numpy. Scoring
group k+1 while group k is decoded keeps both cores busy: the same arithmetic in the
same order, one thread each, so the outputs stay the same to the bit. One group
ahead, no more: a group's states take some 30 MB.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

Group = TypeVar("Group")


def scored_ahead(
    groups: Iterable[Group], score: Callable[[Group], None],
) -> Iterator[tuple[Group, Future[None]]]:
    """Each group with the future of `score(group)`, which runs in a worker thread; the
    next group's is started before a group is handed out, so it runs while the caller
    works on this one. The caller waits on the future before it reads the states."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vnocr-network") as pool:
        it = iter(groups)
        current = next(it, None)
        if current is None:
            return
        pending = pool.submit(score, current)
        for upcoming in it:
            following = pool.submit(score, upcoming)
            yield current, pending
            pending.result()  # raised here if the caller never waited on it
            current, pending = upcoming, following
        yield current, pending
        pending.result()
