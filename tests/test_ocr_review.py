"""`vnocr ocr --html` and `--decisions`: a scan's review page, and its decisions replayed
on the same scan (refused on another). Tesseract is replaced by a page of known words
(`fake_ocr`); everything after it is the real pipeline."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from fake_ocr import fake_tesseract, read_as
from PIL import Image

from vnocr.cli import main
from vnocr.errors import ExitCode

PLAN = "Đề nghị các phòng, ban chuyên môn phối hợp triển khai kế hoach này."
REPORT = "Các đơn vị báo cáo kết quả thực hiện nhiệm vụ trước ngày 15 tháng 12."


@pytest.fixture()
def scan(tmp_path: Path, monkeypatch) -> Path:
    """A blank page that reads as two lines, `hoach` doubted (restored as hoạch)."""
    fake_tesseract(monkeypatch, [read_as(REPORT), read_as(PLAN, {"hoach": 20.0})])
    path = tmp_path / "scan.png"
    Image.new("L", (1200, 400), 255).save(path)
    return path


def _decisions(page: str, text: str) -> dict:
    """What the page's Export decisions writes when its first change is replaced by
    `text`: the section's hashes and the change's place, from the page's attributes."""
    section = re.search(r'data-input-sha256="(\w+)" data-output-sha256="(\w+)"', page)
    assert section, "the page names its input and output"
    chg = re.search(r'class="chg[^"]*"[^>]* data-key="(\d+):(\d+):(\d+)"[^>]*'
                    r'data-after="([^"]*)"', page)
    line, start, end = (int(x) for x in chg.group(1, 2, 3))
    return {"format": "vnocr-review-decisions", "version": 1, "documents": [{
        "label": "scan.png", "input_sha256": section.group(1),
        "output_sha256": section.group(2), "decisions": [{
            "line": line, "start": start, "end": end, "after": unescape(chg.group(4)),
            "decision": "edit", "text": text}]}]}


def test_decisions_from_the_scans_review_page_are_replayed(scan, tmp_path, capsys):
    page = tmp_path / "review.html"
    assert main(["ocr", str(scan), "--html", str(page)]) == 0
    corrected = capsys.readouterr().out
    assert "kế hoạch này" in corrected
    html = page.read_text(encoding="utf-8")
    decisions = tmp_path / "d.json"
    decisions.write_text(json.dumps(_decisions(html, "HOẠCH")), encoding="utf-8")
    assert main(["ocr", str(scan), "--decisions", str(decisions)]) == 0
    assert capsys.readouterr().out == corrected.replace("kế hoạch này", "kế HOẠCH này")


def test_decisions_are_refused_on_another_scan(scan, tmp_path, monkeypatch, capsys):
    page = tmp_path / "review.html"
    assert main(["ocr", str(scan), "--html", str(page)]) == 0
    decisions = tmp_path / "d.json"
    decisions.write_text(json.dumps(_decisions(page.read_text(encoding="utf-8"), "x")),
                         encoding="utf-8")
    fake_tesseract(monkeypatch, [read_as(REPORT), read_as(PLAN.replace("này", "nọ"),
                                                          {"hoach": 20.0})])
    capsys.readouterr()
    assert main(["ocr", str(scan), "--decisions", str(decisions)]) == ExitCode.BAD_INPUT
    captured = capsys.readouterr()
    assert "no review of this input" in captured.err and captured.out == ""
    assert main(["ocr", str(scan), "--decisions", str(decisions), "-f", "json"]) == (
        ExitCode.BAD_OPTIONS)
