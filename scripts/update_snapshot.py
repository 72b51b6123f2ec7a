"""Regenerate the appendix snapshot after an intended output change, and show the diff.

    .venv/bin/python scripts/update_snapshot.py

Runs `vnocr correct samples/son_la_appendix_eng_ocr.txt -o samples/son_la_appendix.vnocr.txt`
(the command tests/test_appendix_snapshot.py compares with) and prints what changed, for
the commit message; commit the new snapshot with the change that caused it.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

from vnocr.cli import main

ROOT = Path(__file__).resolve().parents[1]
INPUT = ROOT / "samples" / "son_la_appendix_eng_ocr.txt"
SNAPSHOT = ROOT / "samples" / "son_la_appendix.vnocr.txt"


def update() -> int:
    """Rewrite the snapshot; print its unified diff; return the number of changed lines."""
    before = SNAPSHOT.read_text(encoding="utf-8").splitlines(keepends=True)
    code = main(["correct", str(INPUT), "-o", str(SNAPSHOT)])
    if code:
        raise SystemExit(code)
    after = SNAPSHOT.read_text(encoding="utf-8").splitlines(keepends=True)
    diff = list(difflib.unified_diff(before, after, "snapshot before", "snapshot after"))
    sys.stdout.writelines(diff)
    changed = sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))
    print(f"{SNAPSHOT.relative_to(ROOT)}: {changed} lines changed", file=sys.stderr)
    return changed


if __name__ == "__main__":
    update()
