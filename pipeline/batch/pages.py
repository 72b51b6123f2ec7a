"""Page counts for planning, and single-page reads so a long PDF spreads over workers."""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from vnocr.api import PageResult
from vnocr.errors import InputImageError

if TYPE_CHECKING:
    from vnocr.api import Pipeline

log = logging.getLogger(__name__)

MULTIPAGE_SUFFIXES = frozenset({".pdf", ".tif", ".tiff"})


def count_pages(path: Path) -> int:
    """Pages in `path`, cheaply (no rendering); 1 when unknown or unreadable.

    A bad file is not reported here: the worker that reads it reports it properly.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(str(path))
            try:
                return max(1, len(pdf))
            finally:
                pdf.close()
        if suffix in (".tif", ".tiff"):
            from PIL import Image

            with Image.open(path) as im:
                return max(1, getattr(im, "n_frames", 1))
    except Exception as e:  # noqa: BLE001 - any failure: let the worker report it
        log.debug("cannot count pages of %s: %s", path, e)
    return 1


def page_reader_available() -> bool:
    """Whether the OCR stage offers what single-page reads need (else whole files)."""
    try:
        from vnocr.ocr import _load, ocr_image  # noqa: F401
    except ImportError:
        return False
    return hasattr(_load, "load_pages")


def read_pages(
    pipeline: Pipeline,
    path: Path,
    start: int,
    stop: int,
    *,
    on_page: Callable[[], None] | None = None,
) -> list[PageResult]:
    """OCR and correct pages `start`..`stop-1` exactly as `Pipeline.read` does each page;
    `on_page` is called after each one (progress).

    Pages come from the OCR stage's own loader, so a split file gives the same text as a
    whole one (a test checks it). The loader renders the pages before `start` too; that
    is why files are split into one contiguous range per worker, not into single pages:
    the cost is (workers - 1) / 2 extra renders per page, about 1-2 % of OCR time.
    """
    from vnocr.ocr import check_environment, ocr_image
    from vnocr.ocr._load import load_pages

    opts = pipeline.options
    check_environment(opts.ocr.tesseract.lang)
    corrects = opts.restore.enabled or opts.lexicon.enabled
    results: list[PageResult] = []
    images = load_pages(path, pdf_dpi=opts.ocr.pdf_dpi, max_pixels=opts.ocr.max_pixels)
    with contextlib.closing(images):
        for i, image in enumerate(images):
            if i >= stop:
                break
            if i < start:
                continue
            page = ocr_image(image, opts.ocr, i)
            result = pipeline.correct_lines(page.lines, page.line_confidences) if corrects else None
            results.append(PageResult(page.index, page.text, result, page))
            if on_page is not None:
                on_page()
    if not results:
        raise InputImageError(f"{path}: has no page {start + 1}")
    return results


def page_ranges(npages: int, parts: int) -> list[tuple[int, int]]:
    """Split pages 0..npages-1 into at most `parts` contiguous, near-equal ranges."""
    parts = max(1, min(parts, npages))
    bounds = [round(k * npages / parts) for k in range(parts + 1)]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]
