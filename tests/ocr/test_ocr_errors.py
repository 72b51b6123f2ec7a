"""Bad input and a broken environment: one stderr line, the documented exit code, no traceback."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytesseract
import pytest
from ocr_helpers import render
from PIL import Image

from vnocr.cli import main
from vnocr.errors import ExitCode, MissingDependencyError
from vnocr.ocr._tesseract import check_environment


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["ocr", "--no-correct", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _assert_one_line(err: str, *needles: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("vnocr: error: ")
    for n in needles:
        assert n in lines[0], lines[0]


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a huge size: Pillow must refuse it from the header alone."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _bad_inputs(tmp: Path, font: Path) -> dict[str, tuple[Path, str]]:
    cases = {}
    empty = tmp / "empty.png"
    empty.write_bytes(b"")
    cases["empty"] = (empty, "empty")
    garbage = tmp / "garbage.jpg"
    garbage.write_bytes(b"this is not an image, just bytes\n" * 20)
    cases["not an image"] = (garbage, "not an image")
    good = tmp / "good.png"
    render(["Một dòng chữ."], font, dpi=150).save(good)
    data = good.read_bytes()
    truncated = tmp / "truncated.png"
    truncated.write_bytes(data[: len(data) // 2])
    cases["truncated"] = (truncated, "corrupt or truncated")
    ico = tmp / "icon.ico"
    Image.new("L", (32, 32), 255).save(ico)
    cases["unsupported"] = (ico, "unsupported image type ICO")
    docx = tmp / "report.docx"
    docx.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    cases["office file"] = (docx, "not an image or PDF")
    # The corrupt PDF goes first: PDFium keeps its last error code, and a page-less
    # PDF must still be told apart after it.
    bad_pdf = tmp / "bad.pdf"
    bad_pdf.write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    cases["corrupt pdf"] = (bad_pdf, "corrupt or unreadable PDF")
    no_pages = tmp / "no_pages.pdf"
    pdfium.PdfDocument.new().save(no_pages)
    cases["pdf without pages"] = (no_pages, "PDF has no pages")
    bomb = tmp / "bomb.png"
    bomb.write_bytes(_png_header_only(30_000, 30_000))
    cases["over pixel limit"] = (bomb, "pixel limit")
    cases["missing"] = (tmp / "nowhere.png", "no such file")
    return cases


def test_each_bad_input_gives_exit_3_and_one_line(capsys, tmp_path, font):
    for name, (path, needle) in _bad_inputs(tmp_path, font).items():
        code, out, err = _run(capsys, str(path))
        assert code == ExitCode.BAD_INPUT, (name, err)
        assert out == "", name
        _assert_one_line(err, str(path), needle)


def test_pixel_limit_is_checked_per_page_for_pdfs(tmp_path):
    from vnocr.errors import InputImageError
    from vnocr.ocr import read_document
    from vnocr.options import OcrOptions

    pdf = tmp_path / "big.pdf"
    Image.new("RGB", (850, 1100), "white").save(pdf, resolution=100)  # 8.5 x 11 in
    with pytest.raises(InputImageError, match="over the limit"):
        read_document(pdf, OcrOptions(pdf_dpi=300, max_pixels=5_000_000))


def test_missing_tesseract_gives_exit_4(capsys, tmp_path, monkeypatch, font):
    page = tmp_path / "p.png"
    render(["Một dòng chữ."], font, dpi=150).save(page)
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "no-tesseract"))
    code, _, err = _run(capsys, str(page))
    assert code == ExitCode.ENVIRONMENT
    _assert_one_line(err, "tesseract not found", "apt-get install tesseract-ocr")


def test_tesseract_missing_from_path_gives_exit_4(capsys, tmp_path, monkeypatch, font):
    page = tmp_path / "p.png"
    render(["Một dòng chữ."], font, dpi=150).save(page)
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "tesseract")
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = _run(capsys, str(page))
    assert code == ExitCode.ENVIRONMENT
    _assert_one_line(err, "tesseract not found")


def test_missing_language_data_gives_exit_4(capsys, tmp_path, monkeypatch, font):
    page = tmp_path / "p.png"
    render(["Một dòng chữ."], font, dpi=150).save(page)
    empty_tessdata = tmp_path / "tessdata"
    empty_tessdata.mkdir()
    monkeypatch.setenv("TESSDATA_PREFIX", str(empty_tessdata))
    code, _, err = _run(capsys, str(page))
    assert code == ExitCode.ENVIRONMENT
    _assert_one_line(err, "language data missing: vie", "tesseract-ocr-vie")
    monkeypatch.delenv("TESSDATA_PREFIX")
    code, _, err = _run(capsys, "--lang", "vie+xyz", str(page))
    assert code == ExitCode.ENVIRONMENT
    _assert_one_line(err, "missing: xyz")


def test_missing_script_model_names_its_debian_package(tmp_path, monkeypatch):
    """`Vietnamese` (Tesseract's script model) is installed by tesseract-ocr-script-viet,
    not by a package named after the model."""
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd",
                        str(_fake_tesseract(tmp_path, "exit 1")))
    with pytest.raises(MissingDependencyError, match="apt-get install tesseract-ocr-script-viet"):
        check_environment("vie+Vietnamese")



def _fake_tesseract(tmp_path, action: str):
    """A `tesseract` that reports version 5.3.0 and the vie language, and runs `action`
    (shell) for any recognition call."""
    fake = tmp_path / "tesseract"
    fake.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        "  --version) echo 'tesseract 5.3.0';;\n"
        "  --list-langs) echo 'List of available languages in \"/x/\" (1):'; echo vie;;\n"
        f"  *) {action};;\n"
        "esac\n"
    )
    fake.chmod(0o755)
    return fake

def test_tesseract_failure_gives_exit_5(capsys, tmp_path, monkeypatch, font):
    page = tmp_path / "p.png"
    render(["Một dòng chữ."], font, dpi=150).save(page)
    fake = _fake_tesseract(tmp_path, "echo 'Error: simulated crash in page layout' >&2; exit 1")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(fake))
    code, _, err = _run(capsys, str(page))
    assert code == ExitCode.TESSERACT
    _assert_one_line(err, "tesseract failed", "simulated crash")


def test_bad_option_values_give_exit_2(capsys, tmp_path, font):
    page = tmp_path / "p.png"
    render(["Một dòng chữ."], font, dpi=150).save(page)
    code, _, err = _run(capsys, "--psm", "42", str(page))
    assert code == ExitCode.BAD_OPTIONS
    _assert_one_line(err, "--psm")
    code, _, err = _run(capsys, "--format", "xml", str(page))
    assert code == ExitCode.BAD_OPTIONS and "Traceback" not in err


def test_tesseract_timeout_gives_an_empty_page_and_a_warning(tmp_path, monkeypatch, caplog, font):
    from vnocr.ocr import read_document
    from vnocr.options import OcrOptions, TesseractOptions

    page = tmp_path / "p.png"
    render(["Một dòng chữ."], font, dpi=150).save(page)
    fake = _fake_tesseract(tmp_path, "exec sleep 30")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(fake))
    opts = OcrOptions(tesseract=TesseractOptions(timeout_s=0.5))
    with caplog.at_level("WARNING"):
        (result,) = read_document(page, opts)
    assert result.text == "" and result.lines == []
    assert "timed out" in caplog.text
