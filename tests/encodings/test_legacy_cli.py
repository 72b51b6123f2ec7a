"""`vnocr correct` on legacy files gives what it gives on the Unicode original."""

from __future__ import annotations

import json

import pytest

from vnocr.cli import main
from vnocr.encodings import encode_legacy, encode_run

ORIGINAL = "Cộng hoà xã hội chủ nghĩa Việt Nam\nThành phố đã hoàn thành vượt mức chỉ tiêu đề ra.\n"


def correct(capsys, path, *args: str) -> str:
    assert main(["correct", str(path), "--no-dict", *args]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_file_corrects_like_the_unicode_original(tmp_path, capsys, encoding):
    unicode_file = tmp_path / "unicode.txt"
    unicode_file.write_text(ORIGINAL, encoding="utf-8")
    legacy_file = tmp_path / f"{encoding}.txt"
    legacy_file.write_bytes(encode_legacy(ORIGINAL, encoding))
    mojibake_file = tmp_path / f"{encoding}-pdf.txt"
    mojibake_file.write_text(encode_run(ORIGINAL, encoding), encoding="utf-8")
    expected = correct(capsys, unicode_file)
    assert correct(capsys, legacy_file) == expected
    assert correct(capsys, mojibake_file) == expected
    doc = json.loads(correct(capsys, legacy_file, "--format", "json"))
    assert doc["input_encoding"]["encodings"] == [encoding]
    assert "input_encoding" not in json.loads(correct(capsys, unicode_file, "--format", "json"))


def test_input_encoding_utf8_converts_nothing(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_bytes(encode_legacy(ORIGINAL, "tcvn3"))
    assert main(["correct", str(path), "--no-dict", "--input-encoding", "utf-8"]) == 3
    assert "not UTF-8" in capsys.readouterr().err


def test_review_page_lists_the_converted_runs(tmp_path, capsys):
    legacy_file = tmp_path / "tcvn3.txt"
    legacy_file.write_bytes(encode_legacy(ORIGINAL, "tcvn3"))
    unicode_file = tmp_path / "unicode.txt"
    unicode_file.write_text(ORIGINAL, encoding="utf-8")
    page = tmp_path / "review.html"
    correct(capsys, legacy_file, "--html", str(page))
    html = page.read_text(encoding="utf-8")
    assert "Legacy encoding converted before correction: TCVN3 (ABC) (2 runs)" in html
    assert "Céng hoµ x· héi" in html and "<td>TCVN3 (ABC) (file bytes)</td>" in html
    correct(capsys, unicode_file, "--html", str(page))
    assert "Legacy encoding converted" not in page.read_text(encoding="utf-8")
