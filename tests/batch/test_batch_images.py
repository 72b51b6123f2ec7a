"""Scans and PDFs through the batch (needs Tesseract with `vie`, as `make test` sets up)."""

from __future__ import annotations

import json
from pathlib import Path

from batch_helpers import NO_CORRECT, outputs, render_pages, write_image_inputs
from PIL import Image

from vnocr.api import Pipeline
from vnocr.batch import BatchOptions, run_batch
from vnocr.batch.walk import REPORT_NAME
from vnocr.errors import ExitCode
from vnocr.options import OcrOptions

# Rendered test pages are at most 2500 x 800 pixels (PDFs render at 300 DPI); the 'huge' one is over this limit.
LIMITED = NO_CORRECT.__class__(
    ocr=OcrOptions(max_pixels=3_000_000), restore=NO_CORRECT.restore, lexicon=NO_CORRECT.lexicon
)


def test_bad_scans_are_reported_and_good_ones_converted(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_image_inputs(src / "good", pdf_pages=2)
    bad = src / "bad"
    bad.mkdir()
    (bad / "zero.png").write_bytes(b"")
    png = (src / "good" / "scan.png").read_bytes()
    (bad / "cut.png").write_bytes(png[: len(png) // 3])
    (bad / "noise.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    pdf = (src / "good" / "report.pdf").read_bytes()
    (bad / "cut.pdf").write_bytes(pdf[: len(pdf) // 2])
    Image.new("L", (2000, 2000), 255).save(bad / "huge.png")

    report = run_batch(src, out, LIMITED, BatchOptions(fsync=False))
    assert report.exit_code == ExitCode.FAILED_SOME
    assert (report.done, report.failed) == (2, 5)
    reasons = {
        f["path"]: f["reason"] for f in json.loads((out / REPORT_NAME).read_text())["failures"]
    }
    assert set(reasons) == {
        f"bad/{n}" for n in ("zero.png", "cut.png", "noise.jpg", "cut.pdf", "huge.png")
    }
    assert "empty" in reasons["bad/zero.png"]
    assert "pixel limit" in reasons["bad/huge.png"]
    assert "PDF" in reasons["bad/cut.pdf"]
    assert set(outputs(out)) == {"good/scan.txt", "good/report.txt"}
    text = (out / "good" / "report.txt").read_text(encoding="utf-8")
    assert text.count("\f") == 1 and text.index("Trang 1") < text.index("Trang 2")
    assert "nhân dân" in text


def test_pages_spread_over_workers_give_the_whole_file_result(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    pages = render_pages(3)
    first, *rest = (p.copy() for p in pages)
    first.save(src / "long.pdf", save_all=True, append_images=rest, resolution=200)
    first, *rest = (p.copy() for p in pages[:2])
    first.save(src / "long.tif", save_all=True, append_images=rest, dpi=(200, 200))
    fmt = BatchOptions(formats=("text", "json"), fsync=False)
    whole = run_batch(src, tmp_path / "whole", NO_CORRECT, fmt)
    split = run_batch(
        src,
        tmp_path / "split",
        NO_CORRECT,
        BatchOptions(formats=("text", "json"), fsync=False, jobs=2),
    )
    assert whole.pages == split.pages == 5
    ref = outputs(tmp_path / "whole")
    assert outputs(tmp_path / "split") == ref
    text = ref["long.pdf.txt"].decode()
    assert [part.splitlines()[0].strip() for part in text.split("\f")] == [
        "Trang 1",
        "Trang 2",
        "Trang 3",
    ]
    # The batch reads page by page; `Pipeline.read` (what `vnocr ocr` uses) agrees.
    assert Pipeline(NO_CORRECT).read(src / "long.pdf").text + "\n" == text
    doc = json.loads(ref["long.pdf.json"])
    assert [p["index"] for p in doc["pages"]] == [0, 1, 2]
    assert doc["pages"][2]["paragraphs"]  # the OCR structure travels in JSON
