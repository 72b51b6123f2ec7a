"""vnocr as OCRmyPDF's OCR engine: `ocrmypdf --plugin vnocr.ocrmypdf_plugin in.pdf out.pdf`.

OCRmyPDF keeps what it does best (rasterising, PDF/A, optimisation, metadata) and asks
the engine for each page image's text. This engine reads the image with vnocr's own
OCR and correction (`Pipeline.iter_pages`), so the text layer OCRmyPDF grafts holds the
*corrected* Vietnamese at the OCR's word boxes. Both of OCRmyPDF's routes are served:
its default renderer (fpdf2) parses the hOCR of `generate_hocr`, and
`--pdf-renderer sandwich` grafts the text-only page of `generate_pdf`.

The plugin is loaded by `--plugin` only, not through an `ocrmypdf` entry point:
OCRmyPDF loads every entry-point plugin on every run and `--ocr-engine` accepts only
its own engines, so an installed entry point would replace Tesseract for all users of
that environment. `--ocr-engine none` still turns OCR off.

What OCRmyPDF asks but vnocr answers itself: the language is vnocr's Tesseract
language (`vie`), whatever `-l` says (`-l` is checked against Tesseract's installed
languages, as with OCRmyPDF's own engine). Orientation and skew are reported as 0:
vnocr turns a page that reads badly upright and deskews before Tesseract, mapping the
word boxes back onto the image as given, so the layer fits the page as OCRmyPDF keeps
it (`--rotate-pages` and `--deskew` therefore change nothing).
"""

from __future__ import annotations

import functools
import io
import tempfile
from collections.abc import Set as AbstractSet
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pikepdf
from ocrmypdf import hookimpl
from ocrmypdf.pluginspec import OcrEngine, OrientationConfidence
from pikepdf import ContentStreamInstruction as Op
from pikepdf import Name, Operator
from PIL import Image

from vnocr import __version__
from vnocr.api import Pipeline
from vnocr.corrected_words import CorrectedLine, CorrectedPage, CorrectedParagraph, corrected_page
from vnocr.formats.hocr import render_hocr
from vnocr.formats.pdf import DEFAULT_DPI, render_pdf
from vnocr.formats.pdf_font import FONT_NAME
from vnocr.output import text_file

if TYPE_CHECKING:  # OCRmyPDF's options model, as its plugin specification names it
    from ocrmypdf import OcrOptions as OcrmypdfOptions

GRAFTED_FONT = Name("/F1")  # the font name OCRmyPDF's sandwich graft looks for


@functools.cache
def _pipeline() -> Pipeline:
    """One pipeline per OCRmyPDF worker process: the model and gazetteer load once."""
    return Pipeline()


def read_page(image: Path) -> tuple[CorrectedPage, str]:
    """The corrected words of one page image at their boxes, and the page's corrected
    text (paragraphs apart by a blank line, as `vnocr ocr` prints it)."""
    page = next(iter(_pipeline().iter_pages(image)))
    return corrected_page(page.ocr, page.correction), page.text


def write_hocr(image: Path, output_hocr: Path, output_text: Path) -> None:
    """The corrected hOCR of `image` and its text (OCRmyPDF's `--sidecar`)."""
    layout, text = read_page(image)
    output_hocr.write_text(render_hocr(image.name, [_without_alternatives(layout)]),
                           encoding="utf-8")
    output_text.write_text(text_file(text), encoding="utf-8")


def write_text_pdf(image: Path, output_pdf: Path, output_text: Path) -> None:
    """A one-page PDF of `image`'s size at its resolution holding only the invisible
    corrected words (OCRmyPDF grafts it onto the page), and the page's text."""
    layout, text = read_page(image)
    with Image.open(image) as im:
        width, height = im.size
        x_dpi, y_dpi = _resolution(im.info.get("dpi"))
    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "blank.pdf"
        pdf = pikepdf.new()
        pdf.add_blank_page(page_size=(width * 72.0 / x_dpi, height * 72.0 / y_dpi))
        pdf.save(blank)
        # the text layer is placed on a PDF page the way vnocr places it on any PDF
        # page: image pixels stretched over the page's crop box
        text_pdf = render_pdf(blank, [replace(layout, index=0)])
    output_pdf.write_bytes(_graftable(text_pdf))
    output_text.write_text(text_file(text), encoding="utf-8")


def _graftable(text_pdf: bytes) -> bytes:
    """`text_pdf` as OCRmyPDF's sandwich graft reads a Tesseract page: it takes the
    page's content as one stream and copies only a font named `/F1` (or `/f-0-0`)."""
    with pikepdf.open(io.BytesIO(text_pdf)) as pdf:
        page = pdf.pages[0]
        fonts = page.obj.Resources.Font
        fonts[GRAFTED_FONT] = fonts[FONT_NAME]
        del fonts[FONT_NAME]
        ops = [Op([GRAFTED_FONT, *operands[1:]], op) if op == Operator("Tf") else Op(operands, op)
               for operands, op in pikepdf.parse_content_stream(page)]
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _without_alternatives(layout: CorrectedPage) -> CorrectedPage:
    """`layout` without the OCR's readings: OCRmyPDF's hOCR parser takes all the text
    inside a word, so a kept alternative would be joined to the corrected word."""
    return replace(layout, paragraphs=tuple(
        CorrectedParagraph(tuple(
            CorrectedLine(tuple(replace(w, ocr_text=None, ocr_conf=None) for w in line.words))
            for line in par.lines))
        for par in layout.paragraphs))


def _resolution(dpi: object) -> tuple[float, float]:
    """The image's resolution (x, y); OCRmyPDF writes it into every page image, and
    without it a 300 DPI scan is assumed."""
    if isinstance(dpi, tuple) and len(dpi) == 2 and all(float(v) > 0 for v in dpi):
        return float(dpi[0]), float(dpi[1])
    return DEFAULT_DPI, DEFAULT_DPI


class VnocrOcrEngine(OcrEngine):
    """Tesseract, then vnocr's restoration and dictionary pass, for each page image."""

    @staticmethod
    def version() -> str:
        return __version__

    @staticmethod
    def creator_tag(options: OcrmypdfOptions) -> str:
        return f"vnocr {__version__} (Tesseract + diacritic restoration)"

    def __str__(self) -> str:
        return f"vnocr {__version__}"

    @staticmethod
    def languages(options: OcrmypdfOptions) -> AbstractSet[str]:
        """Tesseract's installed languages: `-l` is only checked (see the module)."""
        import pytesseract

        return set(pytesseract.get_languages())

    @staticmethod
    def get_orientation(input_file: Path, options: OcrmypdfOptions) -> OrientationConfidence:
        return OrientationConfidence(angle=0, confidence=0.0)

    @staticmethod
    def get_deskew(input_file: Path, options: OcrmypdfOptions) -> float:
        return 0.0

    @staticmethod
    def generate_hocr(input_file: Path, output_hocr: Path, output_text: Path,
                      options: OcrmypdfOptions) -> None:
        write_hocr(Path(input_file), Path(output_hocr), Path(output_text))

    @staticmethod
    def generate_pdf(input_file: Path, output_pdf: Path, output_text: Path,
                     options: OcrmypdfOptions) -> None:
        write_text_pdf(Path(input_file), Path(output_pdf), Path(output_text))


@hookimpl
def get_ocr_engine(options: OcrmypdfOptions | None) -> OcrEngine | None:
    """vnocr, unless `--ocr-engine none` turned OCR off (OCRmyPDF asks the plugin given
    by `--plugin` before its own engines)."""
    if options is not None and getattr(options, "ocr_engine", "auto") == "none":
        return None
    return VnocrOcrEngine()


__all__ = ["VnocrOcrEngine", "get_ocr_engine", "read_page", "write_hocr", "write_text_pdf"]
