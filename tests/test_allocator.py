"""glibc gives freed large blocks back at once once `vnocr.allocator` has set it."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

# Frees a 16 MB block (which by default raises glibc's mmap threshold to 16 MB), then
# frees twenty 2 MB blocks, each followed by a small live one, and prints how many MB
# the resident set shrank.
_PROBE = """
import sys
if sys.argv[1] == "fixed":
    from vnocr.allocator import give_large_blocks_back
    assert give_large_blocks_back()
def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20
big = b"x" * (16 << 20)
del big
blocks, small = [], []
for _ in range(20):
    blocks.append(b"y" * (2 << 20))
    small.append(b"z" * 2000)
before = rss_mb()
del blocks
print(before - rss_mb())
"""

glibc_only = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="the thresholds are glibc's (elsewhere the call does nothing)")


def _shrink_mb(mode: str) -> float:
    out = subprocess.run([sys.executable, "-c", _PROBE, mode], capture_output=True,
                         text=True, check=True)
    return float(out.stdout)


@glibc_only
def test_freed_large_blocks_leave_the_resident_set_at_once():
    assert _shrink_mb("default") < 10  # held in the heap, behind the small blocks
    assert _shrink_mb("fixed") > 35  # each had a mapping of its own


def test_every_command_sets_it_first(monkeypatch, capsys):
    from vnocr import allocator
    from vnocr.cli import main

    calls = []
    monkeypatch.setattr(allocator, "give_large_blocks_back", lambda: calls.append(1))
    assert main(["correct", "--help"]) == 0
    assert calls == [1]
