"""`vnocr batch --format pdf,hocr,alto` writes each per input; the files are sound."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import CLEAN, need_tool

from vnocr.cli import main

pytestmark = pytest.mark.slow


def test_batch_writes_pdf_hocr_and_alto(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(CLEAN, src / "scan.jpg")
    assert main(["batch", str(src), str(out), "--format", "pdf,hocr,alto,text",
                 "--no-progress"]) == 0
    assert sorted(p.name for p in out.iterdir() if "vnocr-" not in p.name) == [
        "scan.hocr", "scan.pdf", "scan.txt", "scan.xml"]
    text = subprocess.run([need_tool("pdftotext"), str(out / "scan.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert text.split() == (out / "scan.txt").read_text(encoding="utf-8").split()
    assert "ocrx_word" in (out / "scan.hocr").read_text(encoding="utf-8")


def test_batch_refuses_an_unknown_format(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    assert main(["batch", str(tmp_path / "in"), str(tmp_path / "out"), "--format", "docx"]) == 2
    assert "pdf" in capsys.readouterr().err
