"""`vnocr correct` end to end through `vnocr.cli.main` (the console script's body)."""

from __future__ import annotations

import io
import json
import sys

import pytest

from vnocr.cli import main

APPENDIX_LIKE = "Pang bo thanh phé Son La d3 dat dugc\n\nthu ngan sach 3.455 ty dong, 353-KL/TU\n"


def run(capsys, *args: str, stdin: bytes | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = main(["correct", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_file_in_text_out_line_for_line(tmp_path, capsys):
    src = tmp_path / "in.txt"
    src.write_text(APPENDIX_LIKE, encoding="utf-8")
    code, out, err = run(capsys, str(src), "--no-dict")
    assert code == 0, err
    assert out.split("\n")[1] == ""
    assert len(out.split("\n")) == len(APPENDIX_LIKE.split("\n"))
    assert out.startswith("Đảng bộ thành phố Sơn La đã đạt được")
    assert "3.455" in out and "353-KL/TU" in out


def test_stdin_and_json_changes(capsys, monkeypatch):
    code, out, err = run(capsys, "-", "--format", "json", "--no-dict",
                         stdin=b"Ket qua tot\n", monkeypatch=monkeypatch)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["text"].startswith("Kết quả tốt")
    first = doc["changes"][0]
    assert (first["before"], first["after"], first["stage"]) == ("Ket", "Kết", "model")
    assert 0.0 < first["confidence"] <= 1.0


def test_output_file_and_tone_style(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text("cong nghiep hoa\n", encoding="utf-8")
    dst = tmp_path / "out.txt"
    code, out, _ = run(capsys, str(src), "-o", str(dst), "--tone-style", "new", "--no-dict")
    assert code == 0 and out == ""
    assert dst.read_text(encoding="utf-8") == "công nghiệp hoá\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"caf\xe9 au lait\n", "not UTF-8"), (None, "no such file")],
)
def test_bad_input_is_one_line_exit_3(tmp_path, capsys, content, message):
    src = tmp_path / "bad.txt"
    if content is not None:
        src.write_bytes(content)
    code, out, err = run(capsys, str(src))
    assert code == 3
    assert out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_bad_option_exit_2(capsys):
    code, _, _ = run(capsys, "--min-confidence", "2")
    assert code == 2


@pytest.mark.parametrize("fmt", ["pdf", "hocr", "alto"])
def test_scan_formats_are_refused(capsys, fmt):
    code, out, err = run(capsys, "--format", fmt)
    assert code == 2 and out == "" and "vnocr ocr" in err


def test_missing_model_is_exit_6(tmp_path, capsys):
    src = tmp_path / "in.txt"
    src.write_text("ket qua\n", encoding="utf-8")
    code, _, err = run(capsys, str(src), "--model", str(tmp_path / "nope"))
    assert code == 6 and "no restoration model" in err
