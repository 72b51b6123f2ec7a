"""With the shipped model: one batch with correction on (skipped until the model exists)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vnocr.batch import BatchOptions, run_batch
from vnocr.options import DEFAULT_MODEL_DIR, Options

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "config.json").exists(), reason="models/restore-v1 not built yet"
)


def test_batch_restores_text_with_the_model(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "docs").mkdir(parents=True)
    lines = ["Uy ban nhan dan tinh", "Ke hoach phat trien kinh te xa hoi nam 2025"]
    (src / "docs" / "plan.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = run_batch(src, out, Options(), BatchOptions(formats=("text", "json"), jobs=1))
    assert report.failed == 0 and report.done == 1
    text = (out / "docs" / "plan.txt").read_text(encoding="utf-8")
    assert text == "Ủy ban nhân dân tỉnh\nKế hoạch phát triển kinh tế xã hội năm 2025\n"
    doc = json.loads((out / "docs" / "plan.json").read_text(encoding="utf-8"))
    changes = doc["pages"][0]["changes"]
    assert [(c["line"], c["before"], c["after"]) for c in changes][:3] == [
        (0, "Uy", "Ủy"), (0, "nhan", "nhân"), (0, "dan", "dân")]
    assert len(changes) == 12  # every word but `ban`, `kinh` and `2025`
