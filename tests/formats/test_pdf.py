"""The searchable PDF: poppler reads back the corrected text at the OCR's boxes, the
page images are the input's own, and qpdf finds the file sound."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import CLEAN, PHOTOCOPY, need_tool
from PIL import Image

from vnocr.cli import main
from vnocr.formats.pdf import render_pdf
from vnocr.output import PageOutput, render_document
from vnocr.text import strip_marks

pytestmark = pytest.mark.slow


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run([need_tool("pdftotext"), *args, str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def words(text: str) -> list[str]:
    return text.split()


def lines(text: str) -> list[list[str]]:
    """The words of each non-blank line: the text, whitespace aside."""
    return [ln.split() for ln in text.splitlines() if ln.strip()]


def pdf_of(tmp_path: Path, source: Path, *pages) -> Path:
    outs = [PageOutput.of(p, ("pdf",), source=str(source)) for p in pages]
    out = tmp_path / "out.pdf"
    out.write_bytes(render_document("pdf", source.name, outs))
    return out


def images(page: pikepdf.Page) -> list[pikepdf.Stream]:
    return list(page.Resources.XObject.values())


def qpdf_check(pdf: Path) -> None:
    subprocess.run([need_tool("qpdf"), "--check", str(pdf)], check=True, capture_output=True)


def word_boxes(pdf: Path) -> list[list[tuple[str, tuple[float, ...], tuple[float, float]]]]:
    """Per page: (word, (xMin, yMin, xMax, yMax), (page width, height)) from poppler."""
    xml = pdftotext(pdf, "-bbox-layout")
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.DOTALL):
        size = (float(page[1]), float(page[2]))
        pages.append([(m[5], tuple(float(m[k]) for k in range(1, 5)), size) for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page[3])])
    return pages


def assert_boxes_match(pdf: Path, layouts) -> None:
    """Every word poppler finds lies within 1 % of the page of its OCR box, in order."""
    for found, layout in zip(word_boxes(pdf), layouts, strict=True):
        assert [w for w, _, _ in found] == [w.text for w in layout.words]
        for (_, (x0, y0, x1, y1), (pw, ph)), word in zip(found, layout.words):
            sx, sy = pw / layout.width, ph / layout.height
            left, top, width, height = word.box
            assert abs(x0 - left * sx) <= 0.01 * pw and abs(x1 - (left + width) * sx) <= 0.01 * pw
            assert abs(y0 - top * sy) <= 0.01 * ph and abs(y1 - (top + height) * sy) <= 0.01 * ph


def test_clean_scan_text_boxes_image_and_structure(tmp_path, clean_page):
    out = pdf_of(tmp_path, CLEAN, clean_page)
    qpdf_check(out)
    assert words(pdftotext(out)) == words(clean_page.text)
    # the JPEG is in the PDF byte for byte
    with pikepdf.open(out) as pdf:
        (image,) = images(pdf.pages[0])
        assert image.Filter == pikepdf.Name.DCTDecode
        assert image.read_raw_bytes() == CLEAN.read_bytes()
    listed = subprocess.run([need_tool("pdfimages"), "-list", str(out)], check=True,
                            capture_output=True, text=True).stdout.splitlines()[2:]
    with Image.open(CLEAN) as im:
        assert [ln.split()[3:5] + [ln.split()[8]] for ln in listed] == [
            [str(im.width), str(im.height), "jpeg"]]
    assert_boxes_match(out, [PageOutput.of(clean_page, ("pdf",)).layout])


def test_skewed_photocopy_reads_line_for_line(tmp_path, photocopy_page):
    """The tilted page: poppler's own layout analysis (plain `pdftotext`) and the
    content order (`-raw`) both give the corrected text, line for line, and the words
    stay within 1 % of their OCR boxes."""
    out = pdf_of(tmp_path, PHOTOCOPY, photocopy_page)
    qpdf_check(out)
    assert lines(pdftotext(out)) == lines(photocopy_page.text)
    assert words(pdftotext(out, "-raw")) == words(photocopy_page.text)
    assert_boxes_match(out, [PageOutput.of(photocopy_page, ("pdf",)).layout])


def test_png_is_embedded_losslessly(tmp_path, pipeline):
    png = tmp_path / "scan.png"
    with Image.open(CLEAN) as im:
        im.save(png, dpi=(300, 300))
    page = next(pipeline.iter_pages(png))
    out = pdf_of(tmp_path, png, page)
    qpdf_check(out)
    assert words(pdftotext(out)) == words(page.text)
    with pikepdf.open(out) as pdf:
        (image,) = images(pdf.pages[0])
        pixels = pikepdf.PdfImage(image).as_pil_image()
        assert image.Filter == pikepdf.Name.FlateDecode
        assert float(pdf.pages[0].mediabox[2]) == pytest.approx(pixels.width * 72 / 300, rel=1e-3)
    with Image.open(png) as im:
        assert pixels.convert("L").tobytes() == im.convert("L").tobytes()


def test_multipage_pdf_keeps_its_pages_and_images(tmp_path, pipeline):
    """A PDF of the two scans: the output's pages are the input's pages (images
    untouched) with the corrected text of each."""
    scans = [Image.open(p) for p in (CLEAN, PHOTOCOPY)]
    src = tmp_path / "two.pdf"
    scans[0].save(src, save_all=True, append_images=scans[1:], resolution=300)
    pages = list(pipeline.iter_pages(src))
    out = pdf_of(tmp_path, src, *pages)
    qpdf_check(out)
    text, raw = pdftotext(out).split("\f"), pdftotext(out, "-raw").split("\f")
    for page, plain, in_order in zip(pages, text, raw):
        assert lines(plain) == lines(page.text)
        assert words(in_order) == words(page.text)
    assert_boxes_match(out, [PageOutput.of(p, ("pdf",)).layout for p in pages])
    with pikepdf.open(src) as before, pikepdf.open(out) as after:
        assert len(after.pages) == 2
        for a, b in zip(before.pages, after.pages):
            (ia,), (ib,) = images(a), images(b)
            assert ia.read_raw_bytes() == ib.read_raw_bytes()
            assert (ia.Width, ia.Height, ia.Filter) == (ib.Width, ib.Height, ib.Filter)
            assert list(a.mediabox) == list(b.mediabox)


def test_a_pdf_page_shown_upside_down_gets_its_text_upright(tmp_path, pipeline):
    src = tmp_path / "turned.pdf"
    with Image.open(CLEAN) as im:
        im.crop((0, 0, 1654, 470)).save(src, resolution=300)
    with pikepdf.open(src, allow_overwriting_input=True) as pdf:
        pdf.pages[0].Rotate = 180
        pdf.save(src)
    page = next(pipeline.iter_pages(src))
    out = pdf_of(tmp_path, src, page)
    assert words(pdftotext(out)) == words(page.text)


def test_search_finds_the_corrected_name_the_ocr_read_without_marks(tmp_path):
    """Read by English Tesseract (no marks), the PDF's text is the restored Vietnamese:
    a search for a marked word hits, where the raw OCR had it bare."""
    from vnocr import Options, Pipeline
    from vnocr.options import OcrOptions, TesseractOptions

    eng = Pipeline(Options(ocr=OcrOptions(tesseract=TesseractOptions(lang="eng"))))
    page = next(eng.iter_pages(CLEAN))
    out = pdf_of(tmp_path, CLEAN, page)
    text = pdftotext(out)
    restored = [w for w in PageOutput.of(page, ("pdf",)).layout.words
                if w.ocr_text and strip_marks(w.text) == w.ocr_text != w.text]
    assert restored, "English OCR of a Vietnamese page reads some words without marks"
    for w in restored[:20]:
        assert w.text in text
    assert "Trường" in text and "Trường" not in page.ocr_text


def test_cli_takes_the_format_from_the_suffix_and_refuses_text_input(tmp_path, capsys):
    out = tmp_path / "scan.pdf"
    assert main(["ocr", "--no-correct", str(CLEAN), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    qpdf_check(out)
    txt = tmp_path / "a.txt"
    txt.write_text("Son La\n", encoding="utf-8")
    assert main(["ocr", "--no-correct", str(txt), "-o", str(tmp_path / "a.pdf")]) == 3
    assert "no page image" in capsys.readouterr().err


def test_render_pdf_is_deterministic(tmp_path, clean_page):
    layout = PageOutput.of(clean_page, ("pdf",)).layout
    assert render_pdf(CLEAN, [layout]) == render_pdf(CLEAN, [layout])
