"""glibc's allocator set so that a long correction gives its large blocks back at once.

By default glibc raises its mmap threshold each time a large block is freed (up to
32 MB): after the first network batch, the network's and the decoder's temporaries
(hundreds of KB to several MB each) come from the heap instead of their own mappings.
The heap cannot shrink below its highest live block, and its free space is reused
only where a new block fits, so the peak of `vnocr correct` crept up piece after
piece, with no Python object left alive (tracemalloc: +3 MB after the first 64 KB
piece, RSS +80 MB). A fixed threshold keeps every large block in a mapping of its
own, unmapped when freed: `vnocr correct` on 3 MB of stripped text (48 pieces) peaked
at 841 MB before, 675 MB with this, 640 MB with `Pipeline.load` too
(`scripts/bench_memory.py`'s input).

Between two pieces of a stream, `release_free_pages` hands the heap's free pages back
(`malloc_trim`): the small blocks of a piece (Python objects, numpy's and torch's
small arrays) leave free pages scattered through the heap, which the top-only trim of
`free` never returns. 1.5 MB of stripped text in one process (24 pieces): resident
after a piece 35 MB lower with it, for 5 ms of CPU a piece (a piece takes 2 s).

The OCR stage is the other way round: its page images and OpenCV temporaries are
large blocks allocated and freed many times a page, and each fresh mapping is paid for
again in page faults. `reusing_heap` lets them come from the heap, reused from one
allocation to the next, for the stretch it is held (the OCR of one page): `vnocr batch
-j 1` on 24 rendered pages (`scripts/bench_batch.py`): 7.3 s of system time with the
fixed threshold throughout, 1.5 s with the heap reused for the OCR of each page (and
trimmed after it), 0.5 s with it reused throughout; CPU a page 1.91 -> 1.66 s, peak
RSS 516 -> 529 MB (567 MB reused throughout).

Only the command line sets these (a library should not retune its host's allocator):
`release_free_pages` trims, and `reusing_heap` changes anything, only in a process that
called `give_large_blocks_back`. Where the C library is not glibc (macOS, musl) all
three do nothing.
"""

from __future__ import annotations

import ctypes
import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

# mallopt parameters (glibc's malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# Blocks from this size up get a mapping of their own. Below it, the network's
# activations (8 KB to 1 MB a batch, allocated in its worker thread, many freed in the
# main one) and the decoder's arrays fragment the heaps: with the threshold at 1 MB
# their free space grew 1-2 MB a piece after the caches had stopped, and the resident
# set some 1.2 MB a piece (1.5 MB of stripped text, 24 pieces in one process: resident
# after piece 12 / 17 525 / 534 MB at 1 MB, 486 / 494 at 256 KB, 474 / 478 at 128 KB;
# the growth from piece 12 to 23 in the network thread's arena and the main heap
# 6.3 + 2.2 MB at 1 MB, 3.1 + 0.5 MB at 128 KB). The price is the fresh mappings'
# page faults, all in system time: `vnocr correct` on 1 MB, both thresholds run side by
# side, 40.8 → 43.7 s of CPU (user 36.5 s in both), peak 559 → 525 MB.
LARGE_BLOCK = 128 * 1024
# glibc's highest mmap threshold on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX): under
# `reusing_heap` only blocks over it (a page over ~30 M pixels) get a mapping.
HEAP_BLOCK_MAX = 32 * 1024 * 1024

# whether this process chose flat memory (`give_large_blocks_back`): trimming then too
_flat_memory = False


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """The C library the interpreter runs on, if it has `mallopt` (the process's own
    symbols: `find_library` would run ldconfig on every start)."""
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") else None


def give_large_blocks_back(large_block: int = LARGE_BLOCK) -> bool:
    """Fix glibc's mmap and trim thresholds at `large_block` bytes (see the module);
    False where the C library has no `mallopt`."""
    libc = _glibc()
    if libc is None:
        return False
    ok = bool(libc.mallopt(_M_MMAP_THRESHOLD, large_block)) and bool(
        libc.mallopt(_M_TRIM_THRESHOLD, large_block))
    if not ok:
        log.debug("mallopt refused a threshold of %d bytes", large_block)
    global _flat_memory
    _flat_memory = ok
    return ok


def release_free_pages() -> bool:
    """Return the heap's free pages to the system (`malloc_trim(0)`, see the module), in
    a process that called `give_large_blocks_back`; False where nothing was done."""
    libc = _glibc()
    if not _flat_memory or libc is None or not hasattr(libc, "malloc_trim"):
        return False
    libc.malloc_trim(0)
    return True


@contextmanager
def reusing_heap() -> Iterator[None]:
    """Large blocks from the heap, and no trimming of its top, while held (see the
    module: the OCR of a page); the fixed thresholds of `give_large_blocks_back` again
    afterwards, with the heap's free pages given back. Does nothing in a process that
    did not call `give_large_blocks_back`. Never hold it across a `yield`: the stage
    that runs meanwhile would get the heap's blocks too."""
    libc = _glibc()
    if not _flat_memory or libc is None:
        yield
        return
    libc.mallopt(_M_MMAP_THRESHOLD, HEAP_BLOCK_MAX)
    libc.mallopt(_M_TRIM_THRESHOLD, 2 * HEAP_BLOCK_MAX)
    try:
        yield
    finally:
        give_large_blocks_back()
        release_free_pages()


__all__ = ["HEAP_BLOCK_MAX", "LARGE_BLOCK", "give_large_blocks_back", "release_free_pages",
           "reusing_heap"]
