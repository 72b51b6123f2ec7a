"""End to end through Tesseract: text quality, page order, structure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from ocr_helpers import LINES, render
from PIL import Image

from vnocr.evaluate import cer
from vnocr.ocr import read_document
from vnocr.options import OcrOptions, PreprocessOptions, TesseractOptions
from vnocr.text import nfc

PAGE_WORDS = ["Một", "Hai", "Ba"]


def _numbered_pages(font: Path, dpi: int = 200) -> list[Image.Image]:
    return [
        render([f"Trang số {k + 1}: {w} người dự họp."], font, dpi=dpi)
        for k, w in enumerate(PAGE_WORDS)
    ]


def test_rendered_page_reads_with_cer_under_2_percent(font, tmp_path):
    path = tmp_path / "page.png"
    render(LINES, font, dpi=300, rotate_deg=1.2, blur=0.5).save(path)
    (page,) = read_document(path, OcrOptions())
    rate, n = cer(page.text, "\n".join(LINES))
    assert n > 300
    assert rate < 0.02, page.text
    assert page.text == nfc(page.text)
    assert abs(page.skew_deg - 1.2) < 0.3



def test_vietnamese_script_model_reads_beside_vie(font, tmp_path):
    """`--lang vie+Vietnamese` (tesseract-ocr-script-viet, which `make setup` installs)
    goes through the whole OCR stage, footnote and stamp steps included."""
    path = tmp_path / "page.png"
    render(LINES[:4], font, dpi=300).save(path)
    (page,) = read_document(path, OcrOptions(tesseract=TesseractOptions(lang="vie+Vietnamese")))
    assert cer(page.text, "\n".join(LINES[:4]))[0] < 0.02, page.text

def test_low_resolution_crooked_page_still_reads(font, tmp_path):
    path = tmp_path / "photo.jpg"
    render(LINES, font, dpi=150, rotate_deg=-2.4, blur=0.7, speckle=0.003, jpeg_quality=50).save(
        path
    )
    (page,) = read_document(path, OcrOptions())
    assert cer(page.text, "\n".join(LINES))[0] < 0.05, page.text


@pytest.mark.parametrize(("damage", "step", "without"), [
    # a spine's shadow: Tesseract's one global threshold loses the shaded side
    ({"shadow": 0.62}, "flatten", 0.1),
    # red seals over the text: their grey rings cut the lines apart
    ({"seals": 2}, "drop_red", 0.05),
])
def test_preprocessing_undoes_a_real_scans_damage(font, tmp_path, damage, step, without):
    path = tmp_path / "page.png"
    render(LINES, font, dpi=150, **damage).save(path)
    truth = "\n".join(LINES)
    (page,) = read_document(path, OcrOptions())
    assert cer(page.text, truth)[0] < 0.01, page.text
    (raw,) = read_document(path, OcrOptions(preprocess=PreprocessOptions(**{step: False})))
    assert cer(raw.text, truth)[0] > without


def test_a_page_lying_on_its_side_is_turned_upright(font, tmp_path):
    upright_path, turned_path = tmp_path / "upright.png", tmp_path / "turned.png"
    img = render(LINES, font, dpi=150)
    img.save(upright_path)
    img.rotate(90, expand=True).save(turned_path)  # a landscape sheet scanned sideways
    truth = "\n".join(LINES)
    (page,) = read_document(turned_path, OcrOptions())
    assert page.rotation == 90 and (page.width, page.height) == (img.height, img.width)
    assert cer(page.text, truth)[0] < 0.01, page.text
    # boxes are on the page as given: the upright first word, turned with it
    (upright,) = read_document(upright_path, OcrOptions())
    left, top, w, h = upright.paragraphs[0].lines[0].words[0].box
    assert page.paragraphs[0].lines[0].words[0].box == (top, img.width - left - w, h, w)
    (unturned,) = read_document(turned_path, OcrOptions(preprocess=PreprocessOptions(orient=False)))
    assert cer(unturned.text, truth)[0] > 0.3 and unturned.rotation == 0


def test_multipage_tiff_keeps_page_order(font, tmp_path):
    pages = _numbered_pages(font)
    path = tmp_path / "doc.tif"
    pages[0].save(path, save_all=True, append_images=pages[1:], compression="tiff_deflate")
    got = read_document(path, OcrOptions())
    assert [p.index for p in got] == [0, 1, 2]
    for k, (p, w) in enumerate(zip(got, PAGE_WORDS, strict=True)):
        assert f"{k + 1}" in p.text and w in p.text, p.text


def test_pdf_keeps_page_order(font, tmp_path):
    pages = [p.convert("RGB") for p in _numbered_pages(font)]
    path = tmp_path / "doc.pdf"
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=200)
    got = read_document(path, OcrOptions(pdf_dpi=150))
    assert len(got) == 3
    for k, (p, w) in enumerate(zip(got, PAGE_WORDS, strict=True)):
        assert f"{k + 1}" in p.text and w in p.text, p.text
    # Rasterised at 150 DPI from a 200 DPI page: 0.75 times the pixels.
    assert abs(got[0].width / pages[0].width - 0.75) < 0.01


def test_structure_paragraphs_lines_words(font, tmp_path):
    path = tmp_path / "two_paragraphs.png"
    render(LINES[:2] + [""] + LINES[2:4], font, dpi=300).save(path)
    opts = OcrOptions(tesseract=TesseractOptions(psm=3))
    (page,) = read_document(path, opts)
    assert page.lines.count("") >= 1
    assert len(page.lines) == len(page.line_confidences)
    for line, confs in zip(page.lines, page.line_confidences, strict=True):
        if line == "":
            assert confs is None
        else:
            assert len(confs) == len(line.split()) and all(0 <= c <= 1 for c in confs)
    d = page.as_dict()
    words = [w for par in d["paragraphs"] for ln in par["lines"] for w in ln["words"]]
    assert len(words) == sum(len(ln.split()) for ln in page.lines)
    for w in words:
        x, y, bw, bh = w["box"]
        assert 0 <= x and 0 <= y and x + bw <= page.width + 2 and y + bh <= page.height + 2


def test_no_preprocess_gives_tesseract_the_page_as_is(font, tmp_path):
    path = tmp_path / "p.png"
    render(LINES[:3], font, dpi=300, rotate_deg=1.0).save(path)
    (page,) = read_document(path, OcrOptions(preprocess=PreprocessOptions(enabled=False)))
    assert page.skew_deg == 0.0 and page.scale == 1.0
    assert "nhân dân" in page.text


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_box_on_the_turned_page_maps_back_to_the_page_as_given(turn):
    from vnocr.ocr import _unturn_box

    width, height = 100, 200
    page = np.zeros((height, width), np.uint8)
    page[30:34, 10:15] = 255  # a mark at left 10, top 30, 5 wide, 4 high
    upright = np.asarray(Image.fromarray(page).rotate(-turn, expand=True))
    ys, xs = np.nonzero(upright)
    box = (int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))
    assert _unturn_box(box, turn, width, height) == (10, 30, 5, 4)


def test_large_print_is_read_smaller_and_its_boxes_land_on_the_page_as_given(font, tmp_path):
    """300 DPI print of 14 pt (32 px) goes to Tesseract at 22 px; each word's box is
    where the same word stands when the page is read at full size."""
    path = tmp_path / "large.png"
    render(LINES[:4], font, dpi=300, size_pt=14).save(path)
    (small,) = read_document(path, OcrOptions())
    (full,) = read_document(path, OcrOptions(preprocess=PreprocessOptions(max_x_height=0)))
    assert small.scale < 0.75 and full.scale == 1.0
    assert cer(small.text, "\n".join(LINES[:4]))[0] < 0.02, small.text

    def boxes(page):
        d = page.as_dict()
        return {w["text"]: w["box"] for par in d["paragraphs"] for ln in par["lines"]
                for w in ln["words"]}

    same = boxes(small).keys() & boxes(full).keys()
    assert len(same) > 20
    for word in same:
        a, b = boxes(small)[word], boxes(full)[word]
        assert all(abs(p - q) <= 4 for p, q in zip(a, b, strict=True)), (word, a, b)
