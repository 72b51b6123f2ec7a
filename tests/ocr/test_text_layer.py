"""PDF pages that have their own text: read from it (no Tesseract), corrected like any
text, legacy fonts converted; `--force-ocr` and `--skip-text`; mixed PDFs page by page."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from ocr_helpers import LINES, render
from pikepdf import Name

import vnocr.ocr
from vnocr.api import Pipeline
from vnocr.batch import BatchOptions, run_batch
from vnocr.encodings import encode_legacy
from vnocr.ocr.text_layer import read_text_layer
from vnocr.options import OcrOptions, Options

REPO = Path(__file__).resolve().parents[2]
# Typed without marks, as many born-digital reports are.
STRIPPED = [b"Uy ban nhan dan tinh Son La", b"Dang bo thanh pho Son La bao cao ket qua"]
SCALE = 300 / 72


def text_pdf(pages: list[list[bytes]], *, rotate: int = 0) -> pikepdf.Pdf:
    """Born-digital pages: each line of (WinAnsi) bytes typed in Helvetica, 14 pt."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
        Encoding=Name.WinAnsiEncoding))
    for lines in pages:
        body = b"".join(b"(" + line + b") Tj T*\n" for line in lines)
        page = pikepdf.Page(pikepdf.Dictionary(
            Type=Name.Page, MediaBox=[0, 0, 612, 792], Rotate=rotate,
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))))
        page.obj.Contents = pdf.make_stream(b"BT /F1 14 Tf 72 720 Td 18 TL\n" + body + b"ET\n")
        pdf.pages.append(page)
    return pdf


@pytest.fixture(scope="module")
def typed_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("typed") / "typed.pdf"
    text_pdf([STRIPPED]).save(path)
    return path


@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory, font) -> Path:
    """Page 1 a scan (an image only), page 2 typed text."""
    folder = tmp_path_factory.mktemp("mixed")
    buf = io.BytesIO()
    render(LINES[:2], font, dpi=200).save(buf, format="PDF", resolution=200)
    pdf = pikepdf.open(io.BytesIO(buf.getvalue()))
    typed = text_pdf([STRIPPED])
    pdf.pages.append(typed.pages[0])
    pdf.save(folder / "mixed.pdf")
    return folder / "mixed.pdf"


@pytest.fixture
def tesseract_calls(monkeypatch) -> list[str]:
    """Every call into the Tesseract wrapper, by name (the calls still run)."""
    calls: list[str] = []
    for name in ("image_to_words", "page_turn"):
        real = getattr(vnocr.ocr, name)

        def counted(*a, _real=real, _name=name, **k):
            calls.append(_name)
            return _real(*a, **k)

        monkeypatch.setattr(vnocr.ocr, name, counted)
    return calls


def _layer(pdf: pikepdf.Pdf, index: int = 0):
    buf = io.BytesIO()
    pdf.save(buf)
    doc = pdfium.PdfDocument(buf.getvalue())
    return read_text_layer(doc[index], index, SCALE)


def test_words_lines_and_boxes_of_a_text_layer() -> None:
    page = _layer(text_pdf([STRIPPED]))
    assert page.lines == [s.decode() for s in STRIPPED]
    assert (page.width, page.height) == (2550, 3300)
    first = page.paragraphs[0].lines[0].words[0]
    assert first.conf == 1.0
    left, top, width, height = first.box  # "Uy" at 72 pt from the left, 720 pt up
    assert abs(left - 72 * SCALE) < 10 and abs(top + height - (792 - 720) * SCALE) < 20
    assert 0 < width < 100 and 20 < height < 80
    # /Rotate 90: the page is read as shown, turned; the boxes stay on it
    turned = _layer(text_pdf([STRIPPED], rotate=90))
    assert (turned.width, turned.height) == (3300, 2550)
    for line in turned.paragraphs[0].lines:
        for w in line.words:
            assert 0 <= w.box[0] and w.box[0] + w.box[2] <= 3300 and w.box[1] + w.box[3] <= 2550


def test_legacy_font_text_is_converted_and_a_page_number_is_no_text_layer() -> None:
    tcvn3 = encode_legacy("Cộng hòa xã hội chủ nghĩa Việt Nam", "tcvn3")
    assert _layer(text_pdf([[tcvn3]])).lines == ["Cộng hòa xã hội chủ nghĩa Việt Nam"]
    assert _layer(text_pdf([[b"- 3 -"]])) is None


def test_a_typed_page_is_corrected_without_tesseract(typed_pdf, tesseract_calls) -> None:
    (page,) = Pipeline().iter_pages(typed_pdf)
    assert tesseract_calls == []
    assert page.source == "text-layer"
    assert page.text.splitlines()[0] == "Ủy ban nhân dân tỉnh Sơn La"
    assert page.ocr_text.splitlines()[0] == STRIPPED[0].decode()


def test_force_ocr_and_skip_text(typed_pdf, tesseract_calls) -> None:
    forced = Options(ocr=OcrOptions(text_layer="ocr"))
    (page,) = Pipeline(forced).iter_pages(typed_pdf)
    assert page.source == "ocr" and "image_to_words" in tesseract_calls
    assert "Sơn La" in page.text
    tesseract_calls.clear()
    kept = Options(ocr=OcrOptions(text_layer="skip"))
    (page,) = Pipeline(kept).iter_pages(typed_pdf)
    assert tesseract_calls == []
    assert (page.source, page.correction) == ("skipped", None)
    assert page.text == "\n".join(s.decode() for s in STRIPPED)


def test_mixed_pdf_is_read_page_by_page(mixed_pdf, tesseract_calls) -> None:
    pages = list(Pipeline().iter_pages(mixed_pdf))
    assert [p.source for p in pages] == ["ocr", "text-layer"]
    assert tesseract_calls.count("image_to_words") == 1
    assert "nhân dân" in pages[0].text and "Sơn La" in pages[1].text


def _pdftotext(path: Path) -> str:
    exe = shutil.which("pdftotext")
    assert exe, "pdftotext missing: run `make setup` (apt package poppler-utils)"
    return subprocess.run([exe, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _vnocr(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vnocr", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=300, check=False)


def test_cli_json_and_pdf_output_of_a_mixed_pdf(mixed_pdf, tmp_path) -> None:
    done = _vnocr("ocr", str(mixed_pdf), "-f", "json", "-o", str(tmp_path / "m.json"))
    assert done.returncode == 0, done.stderr
    doc = json.loads((tmp_path / "m.json").read_text())
    assert [p["source"] for p in doc["pages"]] == ["ocr", "text-layer"]
    assert doc["pages"][1]["corrected_paragraphs"][0]["lines"][0]["words"][0]["text"] == "Ủy"
    # PDF: the typed page is copied as it was (its own text, no layer added), the
    # scanned one gains the corrected words
    for flag in ((), ("--skip-text",)):
        out = tmp_path / f"m{len(flag)}.pdf"
        done = _vnocr("ocr", str(mixed_pdf), *flag, "-o", str(out))
        assert done.returncode == 0, done.stderr
        with pikepdf.open(mixed_pdf) as src, pikepdf.open(out) as got:
            assert got.pages[1].obj.Contents.read_bytes() == \
                src.pages[1].obj.Contents.read_bytes()
            assert Name.Font not in src.pages[0].obj.Resources
            assert Name.Font in got.pages[0].obj.Resources  # the text layer's
        scanned, typed = _pdftotext(out).split("\f")[:2]
        assert "nhân dân" in scanned
        assert typed.split() == b" ".join(STRIPPED).decode().split()
    bad = _vnocr("ocr", str(mixed_pdf), "--skip-text", "--force-ocr")
    assert bad.returncode == 2 and "exclude" in bad.stderr


def test_batch_report_says_how_each_page_was_read(mixed_pdf, typed_pdf, tmp_path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(mixed_pdf, src / "mixed.pdf")
    shutil.copy(typed_pdf, src / "typed.pdf")
    report = run_batch(src, tmp_path / "out", Options(), BatchOptions(fsync=False))
    d = report.as_dict()
    assert d["pages_by_source"] == {"ocr": 1, "text-layer": 2}
    assert d["page_sources"] == {"mixed.pdf": {"text-layer": [2]},
                                 "typed.pdf": {"text-layer": [1]}}


def test_text_layer_words_enter_nfc() -> None:
    """A PDF's text may hold decomposed marks (PDFium passes them on as they are)."""
    from vnocr.ocr.text_layer import _decoded

    nfd = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh")
    for words in _decoded([nfd.split()]):
        assert words == ["Ủy", "ban", "nhân", "dân", "tỉnh"]
        assert all(unicodedata.is_normalized("NFC", w) for w in words)
