"""The real document that motivated vnocr, corrected byte for byte as committed.

A provincial report read by Tesseract's English model: every stage (eng-OCR regime,
merged words, specks, the dictionary's place names) shows in it. After an intended
change, regenerate the snapshot with `.venv/bin/python scripts/update_snapshot.py`,
which prints the diff for the commit.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from vnocr.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_appendix_output_is_the_committed_snapshot(capsys):
    code = main(["correct", str(SAMPLES / "son_la_appendix_eng_ocr.txt")])
    out, err = capsys.readouterr()
    assert code == 0, err
    snapshot = (SAMPLES / "son_la_appendix.vnocr.txt").read_text(encoding="utf-8")
    if out != snapshot:
        diff = "".join(difflib.unified_diff(snapshot.splitlines(keepends=True),
                                            out.splitlines(keepends=True),
                                            "snapshot", "output", n=0))
        raise AssertionError("output differs from the snapshot (intended? run "
                             "scripts/update_snapshot.py):\n" + diff[:4000])
