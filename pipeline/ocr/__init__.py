"""The OCR stage: image or PDF → pages of lines and paragraphs with word confidences.

    from pipeline.ocr import read_document, check_environment, OcrPage
    pages = read_document(Path("scan.pdf"), OcrOptions())

Stages inside: `_load` (decode, validate), `preprocess` (OpenCV), `_tesseract` (the
only caller of Tesseract), `layout` (words → lines → paragraphs). Text is NFC here,
once, at the edge.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

from pipeline.ocr._load import load_pages
from pipeline.ocr._tesseract import check_environment, image_to_words
from pipeline.ocr.layout import OcrLine, OcrPage, OcrParagraph, OcrWord, build_page
from pipeline.ocr.preprocess import preprocess
from pipeline.options import OcrOptions, PreprocessOptions

log = logging.getLogger(__name__)

# --no-preprocess: grayscale only, the page as Tesseract would see it on its own.
_PASSTHROUGH = PreprocessOptions(drop_red=False, flatten=False, deskew=False, denoise="none",
                                 binarize="none", target_x_height=0)


def ocr_image(image: Image.Image, opts: OcrOptions, index: int = 0) -> OcrPage:
    """OCR one page image (preprocessing as `opts.preprocess` says)."""
    prep = preprocess(image, opts.preprocess if opts.preprocess.enabled else _PASSTHROUGH)
    identity = prep.scale == 1.0 and prep.skew_deg == 0.0
    t0 = time.perf_counter()
    words = image_to_words(prep.image, opts.tesseract, dpi=_dpi(image, prep.scale))
    tess_s = time.perf_counter() - t0
    return build_page(
        index,
        words,
        map_box=None if identity else prep.to_input_box,
        width=image.width,
        height=image.height,
        skew_deg=prep.skew_deg,
        scale=prep.scale,
        preprocess_s=prep.seconds,
        tesseract_s=tess_s,
    )


def _dpi(image: Image.Image, scale: float) -> int | None:
    """The resolution Tesseract should assume: the file's DPI times our rescale, if known.

    The page reaches Tesseract as PGM, which has no DPI field; without this Tesseract
    guesses from the text size.
    """
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if isinstance(dpi, tuple) else float(dpi)
    except (TypeError, ValueError, IndexError):
        return None
    return round(value * scale) if 50 <= value <= 2400 else None


def iter_document(path: Path, opts: OcrOptions) -> Iterator[OcrPage]:
    """Pages of `path` one at a time, in order (a long PDF never sits in memory whole)."""
    check_environment(opts.tesseract.lang)
    for i, image in enumerate(
        load_pages(Path(path), pdf_dpi=opts.pdf_dpi, max_pixels=opts.max_pixels)
    ):
        page = ocr_image(image, opts, i)
        log.info(
            "%s page %d: %d lines, %.2fs preprocessing, %.2fs tesseract",
            path,
            i + 1,
            len(page.lines),
            page.preprocess_s,
            page.tesseract_s,
        )
        yield page


def read_document(path: Path, opts: OcrOptions) -> list[OcrPage]:
    """OCR every page of an image, multi-page TIFF or PDF, in page order.

    Raises `InputImageError` (bad input), `MissingDependencyError` (Tesseract or its
    language data missing) or `TesseractError`.
    """
    return list(iter_document(path, opts))


__all__ = [
    "OcrLine",
    "OcrPage",
    "OcrParagraph",
    "OcrWord",
    "check_environment",
    "iter_document",
    "ocr_image",
    "read_document",
]
