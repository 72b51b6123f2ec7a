"""`vnocr ocr` output shapes: stdout text with form feeds, JSON structure, -o file/dir, -j."""

from __future__ import annotations

import json
import subprocess
import sys

from ocr_helpers import LINES, render

from vnocr.cli import main
from vnocr.errors import ExitCode


def test_help_lists_options(capsys):
    assert main(["ocr", "--help"]) == 0
    out = capsys.readouterr().out
    for opt in (
        "--output",
        "--format",
        "--lang",
        "--psm",
        "--no-preprocess",
        "--jobs",
        "--no-correct",
        "Exit codes",
    ):
        assert opt in out


def test_help_paragraphs_flow_at_any_width(capsys, monkeypatch):
    # the docstrings' own line ends are not kept: a wide terminal gets whole sentences
    monkeypatch.setenv("COLUMNS", "200")
    for command, sentence in (
        ("ocr", "its text is read, legacy encodings (TCVN3, VNI) converted, and corrected"),
        ("batch", "PDFs and .txt files under IN_DIR are converted into the same relative"),
    ):
        assert main([command, "--help"]) == 0
        assert any(sentence in line for line in capsys.readouterr().out.splitlines())


def test_multipage_text_output_separates_pages_with_form_feed(capsys, tmp_path, font):
    pages = [render([f"Trang {w} của văn bản."], font, dpi=200) for w in ("một", "hai")]
    tif = tmp_path / "two.tif"
    pages[0].save(tif, save_all=True, append_images=pages[1:])
    assert main(["ocr", "--no-correct", str(tif)]) == 0
    out = capsys.readouterr().out
    first, second = out.split("\f")
    assert "một" in first and "hai" in second


def test_json_output_carries_structure(capsys, tmp_path, font):
    png = tmp_path / "p.png"
    render(LINES[:2], font, dpi=300).save(png)
    assert main(["ocr", "--no-correct", "--format", "json", str(png)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["path"] == str(png)
    (page,) = doc["pages"]
    assert page["text"] == page["ocr_text"] == doc["text"]  # nothing corrected
    assert page["changes"] == []
    word = page["paragraphs"][0]["lines"][0]["words"][0]
    assert set(word) == {"text", "conf", "box"} and 0 <= word["conf"] <= 1 and len(word["box"]) == 4
    assert "Ủy" in page["text"]


def test_output_file_and_directory(capsys, tmp_path, font):
    a, b = tmp_path / "a.png", tmp_path / "b.jpg"
    render(["Thứ nhất."], font, dpi=200).save(a)
    render(["Thứ hai."], font, dpi=200).save(b)
    out_file = tmp_path / "one.txt"
    assert main(["ocr", "--no-correct", str(a), "-o", str(out_file)]) == 0
    assert "nhất" in out_file.read_text(encoding="utf-8")
    out_dir = tmp_path / "out"
    assert main(["ocr", "--no-correct", "-f", "json", str(a), str(b), "-o", str(out_dir)]) == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.json", "b.json"]
    assert "hai" in json.loads((out_dir / "b.json").read_text(encoding="utf-8"))["text"]
    assert capsys.readouterr().out == ""


def test_two_inputs_with_the_same_stem_are_refused(capsys, tmp_path, font):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    for d in ("x", "y"):
        render(["Trùng tên."], font, dpi=150).save(tmp_path / d / "scan.png")
    code = main(
        [
            "ocr",
            "--no-correct",
            str(tmp_path / "x" / "scan.png"),
            str(tmp_path / "y" / "scan.png"),
            "-o",
            str(tmp_path / "out"),
        ]
    )
    assert code == ExitCode.BAD_OPTIONS
    assert "both be written" in capsys.readouterr().err


def test_parallel_jobs_keep_input_order(tmp_path, font):
    paths = []
    for k, w in enumerate(("một", "hai", "ba")):
        p = tmp_path / f"{k}.png"
        render([f"Tờ số {w}."], font, dpi=200).save(p)
        paths.append(str(p))
    proc = subprocess.run(
        [sys.executable, "-m", "vnocr", "ocr", "--no-correct", "-j", "2", *paths],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    docs = proc.stdout.split("\f")
    assert [("một" in d, "hai" in d, "ba" in d) for d in docs] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]
