"""Page counts for planning, and page ranges so a long PDF spreads over workers.

A range is read by `Pipeline.iter_pages`, the loop every command uses, so a split file
gives the same text as a whole one (a test checks it). The loader renders the pages
before a range too; that is why files are split into one contiguous range per worker,
not into single pages: the cost is (workers - 1) / 2 extra renders per page, about
1-2 % of OCR time.
"""

from __future__ import annotations

import itertools
import logging
from pathlib import Path

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


def page_ranges(npages: int, parts: int) -> list[tuple[int, int]]:
    """Split pages 0..npages-1 into at most `parts` contiguous, near-equal ranges."""
    parts = max(1, min(parts, npages))
    bounds = [round(k * npages / parts) for k in range(parts + 1)]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]
