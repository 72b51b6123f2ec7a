"""Output tree shape and the safety rules of the walk: symlinks, loops, OUT inside IN."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from batch_helpers import NO_CORRECT, outputs, write_text_tree

from vnocr.batch import BatchOptions, run_batch
from vnocr.batch.walk import check_dirs, safe_output_path, walk_inputs
from vnocr.errors import BadOptionsError


def test_output_tree_mirrors_input_tree(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    files = write_text_tree(src, n=6)
    (src / "empty_dir").mkdir()
    (src / "notes.md").write_text("not an input")
    report = run_batch(src, out, NO_CORRECT, BatchOptions(formats=("text", "json")))

    expected = set()
    for rel in files:
        stem = rel[: -len(".txt")]
        expected |= {f"{stem}.txt", f"{stem}.json"}
    assert set(outputs(out)) == expected
    assert report.done == len(files) and report.failed == 0
    for rel, text in files.items():
        assert (out / rel).read_text(encoding="utf-8") == text  # --no-correct: text as is


def test_same_stem_inputs_never_share_an_output(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "scan.txt").write_text("a\n")
    (src / "scan.png").write_bytes(b"")  # not read here; only its name matters
    inputs, _ = walk_inputs(*check_dirs(src, tmp_path / "out"))
    names = {i.rel: i.output_rel("text") for i in inputs}
    assert names == {"scan.png": "scan.png.txt", "scan.txt": "scan.txt.txt"}


def test_symlinks_out_of_in_dir_are_not_followed(tmp_path: Path) -> None:
    src, out, outside = tmp_path / "in", tmp_path / "out", tmp_path / "secret"
    write_text_tree(src, n=2)
    outside.mkdir()
    (outside / "private.txt").write_text("do not read\n")
    os.symlink(outside / "private.txt", src / "leak.txt")
    os.symlink(outside, src / "leakdir")
    os.symlink(src / "doc0.txt", src / "alias.txt")  # inside: followed
    os.symlink(tmp_path / "nowhere.txt", src / "broken.txt")

    report = run_batch(src, out, NO_CORRECT)
    got = outputs(out)
    assert "alias.txt" in got and got["alias.txt"] == (src / "doc0.txt").read_bytes()
    assert not any(b"do not read" in v for v in got.values())
    ignored = {s.rel: s.reason for s in report.ignored}
    assert "outside" in ignored["leak.txt"] and "outside" in ignored["leakdir"]
    assert "broken.txt" in ignored
    assert report.failed == 0
    # Nothing was written next to the inputs or the outside folder.
    assert sorted(p.name for p in outside.iterdir()) == ["private.txt"]


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "a").mkdir(parents=True)
    (src / "a" / "x.txt").write_text("x\n")
    os.symlink(src, src / "a" / "back")  # a/back -> in: a loop
    inputs, skipped = walk_inputs(*check_dirs(src, tmp_path / "out"))
    assert [i.rel for i in inputs] == ["a/x.txt"]
    assert any("loop" in s.reason for s in skipped)


def test_out_dir_inside_in_dir_is_left_out_of_the_walk(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write_text_tree(src, n=3)
    out = src / "converted"
    first = run_batch(src, out, NO_CORRECT)
    second = run_batch(src, out, NO_CORRECT)
    assert first.inputs == second.inputs == 3
    assert not (out / "converted").exists()


@pytest.mark.parametrize("layout", ["same", "in_inside_out"])
def test_out_dir_that_could_overwrite_inputs_is_refused(tmp_path: Path, layout: str) -> None:
    src = tmp_path / "in" if layout == "same" else tmp_path / "out" / "in"
    write_text_tree(src, n=1)
    out = src if layout == "same" else tmp_path / "out"
    with pytest.raises(BadOptionsError, match="OUT_DIR"):
        run_batch(src, out, NO_CORRECT)


def test_missing_in_dir_is_a_bad_option(tmp_path: Path) -> None:
    with pytest.raises(BadOptionsError, match="no such folder"):
        run_batch(tmp_path / "nope", tmp_path / "out", NO_CORRECT)


def test_planted_symlink_in_out_dir_cannot_lead_writes_outside(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    os.symlink(elsewhere, out / "sub")
    with pytest.raises(BadOptionsError, match="outside OUT_DIR"):
        safe_output_path(out.resolve(), "sub/doc.txt")
    assert safe_output_path(out.resolve(), "ok/doc.txt") == out.resolve() / "ok" / "doc.txt"


def test_every_image_type_vnocr_ocr_reads_is_an_input(tmp_path: Path) -> None:
    from vnocr.ocr._load import SUPPORTED

    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.png", "b.jpeg", "c.tif", "d.bmp", "e.webp", "f.pdf", "g.txt", "h.doc"):
        (src / name).write_bytes(b"")  # only the names matter to the walk
    inputs, _ = walk_inputs(*check_dirs(src, tmp_path / "out"))
    assert sorted(i.rel for i in inputs) == ["a.png", "b.jpeg", "c.tif", "d.bmp", "e.webp",
                                              "f.pdf", "g.txt"]
    assert "BMP" in SUPPORTED and "WebP" in SUPPORTED
