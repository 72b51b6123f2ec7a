"""Large blocks get mappings of their own (freed: gone from the resident set) once
`vnocr.allocator` has set glibc's thresholds."""

from __future__ import annotations

import ctypes
import os
import platform
import subprocess
import sys

import pytest

# Frees a 16 MB block (which by default raises glibc's mmap threshold to 16 MB), trims
# the heap (glibc maps a block only when the heap's free top cannot hold it, and how
# much free top the imports leave varies), then
# prints whether a new block of argv[2] bytes got a mapping of its own (glibc's count
# of mmapped bytes, `mallinfo2().hblkhd`, grows by it) rather than a place in the heap
# (where, freed, it stays resident behind any live block above it). Counted, not looked up in
# /proc/self/maps: where the heap cannot grow, glibc maps heap space too.
_PROBE = """
import ctypes, sys
class Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
        "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Mallinfo2
if sys.argv[1] != "default":
    from vnocr.allocator import give_large_blocks_back, reusing_heap
    assert give_large_blocks_back()
    held = reusing_heap()
    held.__enter__()  # "reusing": the block below comes while it is held
    if sys.argv[1] == "fixed":
        held.__exit__(None, None, None)  # held and let go: fixed again
big = b"x" * (16 << 20)
del big
libc.malloc_trim(0)  # else a block may fit the free top of the heap left by imports
mapped = libc.mallinfo2().hblkhd
block = b"y" * int(sys.argv[2])
print(libc.mallinfo2().hblkhd - mapped >= len(block))
"""

glibc_only = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc"
    or not hasattr(ctypes.CDLL(None), "mallinfo2"),
    reason="the thresholds are glibc's (elsewhere the call does nothing); mallinfo2: 2.33+")


def _mapped_apart(mode: str, size: int = 2 << 20) -> bool:
    # glibc's MALLOC_*_ variables fix the thresholds too (a library imported earlier in
    # this process may have set one: dask's distributed sets MALLOC_TRIM_THRESHOLD_)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    out = subprocess.run([sys.executable, "-c", _PROBE, mode, str(size)],
                         capture_output=True, text=True, check=True, env=env)
    return out.stdout.strip() == "True"


@glibc_only
def test_large_blocks_get_a_mapping_of_their_own():
    assert not _mapped_apart("default")  # the threshold rose past them
    assert _mapped_apart("fixed")


@glibc_only
def test_the_ocr_stage_reuses_the_heap_and_lets_go_of_it():
    """Page images and OpenCV temporaries come from the heap while `reusing_heap` is held
    (a fresh mapping each cost page faults: 0.25 s of CPU a page); fixed again after."""
    assert not _mapped_apart("reusing", 8 << 20)
    assert _mapped_apart("fixed", 8 << 20)


def test_reusing_the_heap_changes_nothing_where_the_command_line_did_not_choose(monkeypatch):
    from vnocr import allocator

    monkeypatch.setattr(allocator, "_flat_memory", False)
    calls = []
    monkeypatch.setattr(allocator, "give_large_blocks_back", lambda: calls.append(1))
    with allocator.reusing_heap():
        pass
    assert calls == []


@glibc_only
def test_the_networks_activations_get_a_mapping_of_their_own():
    """A batch's activations (8 KB to 1 MB) fragmented the heaps at a 1 MB threshold:
    the resident set of one long stream grew some 1.2 MB a piece (`vnocr.allocator`)."""
    assert _mapped_apart("fixed", 256 << 10)


def test_every_command_sets_it_first(monkeypatch, capsys):
    from vnocr import allocator
    from vnocr.cli import main

    calls = []
    monkeypatch.setattr(allocator, "give_large_blocks_back", lambda: calls.append(1))
    assert main(["correct", "--help"]) == 0
    assert calls == [1]


def test_free_pages_go_back_only_where_the_command_line_chose_flat_memory(monkeypatch):
    """A library host keeps its allocator as it is: no trim unless `give_large_blocks_back`
    ran in the process (as every command does)."""
    from vnocr import allocator

    monkeypatch.setattr(allocator, "_flat_memory", False)
    assert not allocator.release_free_pages()
    if allocator.give_large_blocks_back():  # glibc
        assert allocator.release_free_pages()


def test_each_piece_of_a_stream_is_followed_by_a_trim(monkeypatch):
    import io

    from vnocr import api
    from vnocr.options import LexiconOptions, Options, RestoreOptions

    calls = []
    monkeypatch.setattr(api, "release_free_pages", lambda: calls.append(1))
    pipeline = api.Pipeline(Options(restore=RestoreOptions(enabled=False),
                                    lexicon=LexiconOptions(enabled=False)))
    text = ("xin chao\n" * 20_000).encode()  # more than one 64 KB piece
    pieces = [piece for piece, _ in pipeline.correct_stream(io.BytesIO(text))]
    assert len(pieces) > 1 and len(calls) == len(pieces)
