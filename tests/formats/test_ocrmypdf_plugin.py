"""The OCRmyPDF plugin: its two OCR hooks on their own, then `ocrmypdf --plugin` end to end.

Both give the words `vnocr ocr` gives for the same page. The hook tests place the
session's corrected page (no OCR run of their own); the end-to-end tests run OCRmyPDF
on a one-page PDF holding the sample scan's JPEG bytes at 300 DPI, the resolution
vnocr assumes for the sample, so OCRmyPDF's page image has the sample's pixels.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import CLEAN, need_tool
from pikepdf import Name
from PIL import Image

from vnocr.corrected_words import corrected_page

pytest.importorskip("ocrmypdf", reason="OCRmyPDF is not installed (pip install 'vnocr[ocrmypdf]')")
from ocrmypdf.hocrtransform import HocrParser

from vnocr import ocrmypdf_plugin
from vnocr.ocrmypdf_plugin import GRAFTED_FONT, VnocrOcrEngine, get_ocr_engine

SCAN_DPI = 300  # the sample JPEG has no resolution; vnocr takes it as 300 DPI


@pytest.fixture
def placed_clean(monkeypatch, clean_page):
    """`read_page` answering with the session's corrected clean sample."""
    return _answer(monkeypatch, clean_page)


@pytest.fixture
def placed_photocopy(monkeypatch, photocopy_page):
    """`read_page` answering with the photocopy sample, where the correction changed a
    word (its OCR reading is an hOCR alternative in `vnocr ocr --format hocr`)."""
    return _answer(monkeypatch, photocopy_page)


def _answer(monkeypatch, page):
    layout = corrected_page(page.ocr, page.correction)
    monkeypatch.setattr(ocrmypdf_plugin, "read_page", lambda image: (layout, page.text))
    return layout


@pytest.fixture
def page_image(tmp_path) -> Path:
    """The sample's pixels as OCRmyPDF hands a page over: a PNG with its resolution."""
    path = tmp_path / "000001_ocr.png"
    with Image.open(CLEAN) as im:
        im.save(path, dpi=(150, 150))
    return path


def test_engine_chosen_unless_ocr_is_off():
    assert isinstance(get_ocr_engine(None), VnocrOcrEngine)
    assert isinstance(get_ocr_engine(_Opts("auto")), VnocrOcrEngine)
    assert get_ocr_engine(_Opts("none")) is None


def test_generate_hocr_words_are_the_corrected_words(placed_photocopy, photocopy_page,
                                                     page_image, tmp_path):
    """OCRmyPDF's parser joins all text inside a word: no OCR alternative may be there."""
    assert any(w.ocr_text for w in placed_photocopy.words), "the sample has a corrected word"
    hocr, text = tmp_path / "page.hocr", tmp_path / "page.txt"
    VnocrOcrEngine.generate_hocr(page_image, hocr, text, None)
    page = HocrParser(hocr).parse()  # OCRmyPDF's own reader of engine hOCR
    assert [w.text for w in page.words] == photocopy_page.text.split()
    assert [w.bbox.left for w in page.words] == [w.box[0] for w in placed_photocopy.words]
    assert all(w.confidence is not None for w in page.words)
    assert (page.bbox.right, page.bbox.bottom) == (placed_photocopy.width,
                                                   placed_photocopy.height)
    assert text.read_text(encoding="utf-8").split() == photocopy_page.text.split()


def test_generate_pdf_is_an_invisible_text_page_of_the_image_size(placed_clean, clean_page,
                                                                  page_image, tmp_path):
    pdf_path, text = tmp_path / "page.pdf", tmp_path / "page.txt"
    VnocrOcrEngine.generate_pdf(page_image, pdf_path, text, None)
    with pikepdf.open(pdf_path) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        w_pt, h_pt = (float(v) for v in page.mediabox[2:])
        # PNG keeps its resolution in pixels per metre: 150 DPI comes back as 150.01
        assert w_pt == pytest.approx(placed_clean.width * 72 / 150, rel=1e-3)
        assert h_pt == pytest.approx(placed_clean.height * 72 / 150, rel=1e-3)
        assert Name.XObject not in page.obj.Resources  # no image: text only
        assert list(page.obj.Resources.Font.keys()) == [str(GRAFTED_FONT)]
        assert isinstance(page.obj.Contents, pikepdf.Stream)  # one stream, as grafted
        modes = [ops for ops, op in pikepdf.parse_content_stream(page, "Tr")]
        assert modes == [[3]]  # invisible
    assert _pdftotext(pdf_path).split() == clean_page.text.split()
    assert text.read_text(encoding="utf-8").split() == clean_page.text.split()


@pytest.fixture(scope="module")
def scan_pdf(tmp_path_factory) -> Path:
    """A one-page PDF of the sample scan: its JPEG bytes as they are, at 300 DPI."""
    path = tmp_path_factory.mktemp("ocrmypdf") / "in.pdf"
    pdf = pikepdf.new()
    with Image.open(CLEAN) as im:
        width, height = im.size
    image = pikepdf.Stream(pdf, CLEAN.read_bytes(), Type=Name.XObject, Subtype=Name.Image,
                           Width=width, Height=height, ColorSpace=Name.DeviceGray,
                           BitsPerComponent=8, Filter=Name.DCTDecode)
    w_pt, h_pt = width * 72 / SCAN_DPI, height * 72 / SCAN_DPI
    page = pikepdf.Page(pikepdf.Dictionary(
        Type=Name.Page, MediaBox=[0, 0, w_pt, h_pt],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))))
    page.obj.Contents = pdf.make_stream(f"q {w_pt} 0 0 {h_pt} 0 0 cm /Im0 Do Q".encode())
    pdf.pages.append(page)
    pdf.save(path)
    return path


@pytest.mark.slow
def test_ocrmypdf_sandwich_route_gives_the_corrected_words(scan_pdf, clean_page, tmp_path):
    """`--pdf-renderer sandwich` grafts `generate_pdf`'s page: word for word."""
    out = _ocrmypdf(scan_pdf, tmp_path / "out.pdf", "--pdf-renderer", "sandwich")
    assert _pdftotext(out).split() == clean_page.text.split()
    _check_output(out)


@pytest.mark.slow
def test_ocrmypdf_default_route_gives_the_corrected_text(scan_pdf, clean_page, tmp_path):
    """OCRmyPDF's own renderer (fpdf2) draws `generate_hocr`'s words at their boxes; it
    spaces words by its own rule, so pdftotext may join two close words ("TrạmY"):
    the text is compared with whitespace aside."""
    out = _ocrmypdf(scan_pdf, tmp_path / "out.pdf")
    assert "".join(_pdftotext(out).split()) == "".join(clean_page.text.split())
    _check_output(out)


def _ocrmypdf(source: Path, out: Path, *args: str) -> Path:
    """OCRmyPDF's CLI with the plugin (one worker: each loads the model); PDF/A where
    Ghostscript is at hand, plain PDF otherwise."""
    output_type = "pdfa" if shutil.which("gs") else "pdf"
    cmd = [sys.executable, "-m", "ocrmypdf", "--plugin", "vnocr.ocrmypdf_plugin", "--jobs", "1",
           "--output-type", output_type, *args, str(source), str(out)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    return out


def _check_output(out: Path) -> None:
    """The page image stays the sample's JPEG at its size; qpdf finds no fault."""
    listing = subprocess.run([need_tool("pdfimages"), "-list", str(out)], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    assert len(listing) == 1
    fields = listing[0].split()
    assert (fields[3], fields[4], fields[8]) == ("1654", "2338", "jpeg")
    subprocess.run([need_tool("qpdf"), "--check", str(out)], capture_output=True, check=True)


def _pdftotext(path: Path) -> str:
    return subprocess.run([need_tool("pdftotext"), str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


class _Opts:
    def __init__(self, ocr_engine: str) -> None:
        self.ocr_engine = ocr_engine
