"""The OCR stage: image or PDF → pages of lines and paragraphs with word confidences.

    from vnocr.ocr import read_document, check_environment, OcrPage
    pages = read_document(Path("scan.pdf"), OcrOptions())

Stages inside: `_load` (decode, validate), `text_layer` (a PDF page's own text),
`preprocess` (OpenCV), `_tesseract` (the only caller of Tesseract), `tables` (ruled
tables: words set row by row), `stamps` and `footnotes` (words Tesseract read from a
stamp left out, raised footnote numbers read again as words of their own), `layout`
(words → lines → paragraphs). Text is NFC here, once, at the edge.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from PIL import Image

from vnocr.allocator import reusing_heap
from vnocr.ocr._load import Source, load_pages, load_sources
from vnocr.ocr._tesseract import check_environment, image_to_words, page_turn, read_digits
from vnocr.ocr.footnotes import split_markers
from vnocr.ocr.layout import Box, OcrLine, OcrPage, OcrParagraph, OcrTable, OcrWord, build_page
from vnocr.ocr.preprocess import Preprocessed, preprocess
from vnocr.ocr.reading_order import arrange
from vnocr.ocr.rules import page_rules
from vnocr.ocr.stamps import split_stamped
from vnocr.ocr.tables import find_tables, tabulate
from vnocr.options import OcrOptions, PreprocessOptions
from vnocr.page_selection import PageSelection

log = logging.getLogger(__name__)

# --no-preprocess: grayscale only, the page as Tesseract would see it on its own.
_PASSTHROUGH = PreprocessOptions(drop_red=False, flatten=False, deskew=False, denoise="none",
                                 binarize="none", target_x_height=0)


# Mean word confidence under which a page may lie on its side or upside down: rendered
# clean, photocopied, fax and low-resolution pages read 0.91-0.96, the same pages turned
# by 90 or 180 degrees 0.42-0.51 (Tesseract reads a page turned by 270 itself).
UNREAD_CONF = 0.7
TURN_CONF = 2.0  # Tesseract's orientation confidence needed to turn the page


def ocr_image(image: Image.Image, opts: OcrOptions, index: int = 0) -> OcrPage:
    """OCR one page image (preprocessing as `opts.preprocess` says). A page that reads
    badly is asked for its orientation; one lying on its side or upside down (a
    landscape table, a sheet fed the wrong way) is turned upright and read again."""
    prep_opts = opts.preprocess if opts.preprocess.enabled else _PASSTHROUGH
    page, prep = _read(image, prep_opts, opts, index)
    if not (opts.preprocess.enabled and opts.preprocess.orient) or _mean_conf(page) >= UNREAD_CONF:
        return page
    t0 = time.perf_counter()
    found = page_turn(prep.image, opts.tesseract)
    osd_s = time.perf_counter() - t0
    if found is None or found[0] == 0 or found[1] < TURN_CONF:
        return replace(page, tesseract_s=page.tesseract_s + osd_s)
    turn = found[0]
    upright = image.rotate(-turn, expand=True)  # PIL turns counter-clockwise
    upright.info.update(image.info)
    turned, _ = _read(upright, prep_opts, opts, index,
                      unturn=lambda *box: _unturn_box(box, turn, image.width, image.height))
    log.info("page %d lay turned by %d degrees (confidence %.1f): read upright",
             index + 1, turn, found[1])
    better = turned if _mean_conf(turned) > _mean_conf(page) else page
    return replace(better, rotation=turn if better is turned else 0,
                   width=image.width, height=image.height,
                   preprocess_s=page.preprocess_s + turned.preprocess_s,
                   tesseract_s=page.tesseract_s + osd_s + turned.tesseract_s)


def _read(
    image: Image.Image, prep_opts: PreprocessOptions, opts: OcrOptions, index: int,
    unturn: Callable[[int, int, int, int], Box] | None = None,
) -> tuple[OcrPage, Preprocessed]:
    """Preprocess and read one page image; word boxes are mapped back through the
    preprocessing and then `unturn` (a page that was turned upright first)."""
    prep = preprocess(image, prep_opts)
    identity = prep.scale == 1.0 and prep.skew_deg == 0.0
    x_height = prep.x_height * prep.scale if prep.x_height else None
    rules = page_rules(prep.image, 2.0 * x_height) if x_height else None
    tables = find_tables(rules, 2.0 * x_height) if rules is not None else []
    t0 = time.perf_counter()
    words = image_to_words(prep.image, opts.tesseract, dpi=_dpi(image, prep.scale))
    tess_s = time.perf_counter() - t0
    words, stamps = split_stamped(words, rules, x_height)
    words = split_markers(prep.image, words, partial(read_digits, opts=opts.tesseract),
                          prep.ink_blobs, prep.ink_mask)
    words = tabulate(words, tables)

    def upright(*box: int) -> Box:
        return box if identity else prep.to_input_box(*box)

    def to_input(*box: int) -> Box:
        return unturn(*upright(*box)) if unturn is not None else upright(*box)

    # Arranged as read (upright, boxes on the image given): the reading order compares
    # positions, which a page turned upright has only before `unturn`.
    page = build_page(
        index,
        words,
        map_box=None if identity else upright,
        width=image.width,
        height=image.height,
        skew_deg=prep.skew_deg,
        scale=prep.scale,
        preprocess_s=prep.seconds,
        tesseract_s=tess_s,
    )
    arranged = arrange(page.paragraphs)
    paragraphs, numbers = arranged.paragraphs, arranged.page_numbers
    if unturn is not None:
        paragraphs = tuple(par.mapped(unturn) for par in paragraphs)
        numbers = tuple(line.mapped(unturn) for line in numbers)
    found = tuple(
        OcrTable(to_input(*t.box), tuple(tuple(to_input(*b) for b in row) for row in t.cell_boxes()))
        for t in tables)
    return replace(page, paragraphs=paragraphs, page_numbers=numbers,
                   stamps=tuple(to_input(*b) for b in stamps), tables=found), prep


def _mean_conf(page: OcrPage) -> float:
    confs = [c for line in page.line_confidences if line for c in line]
    return sum(confs) / len(confs) if confs else 0.0


def _unturn_box(box: Box, turn: int, width: int, height: int) -> Box:
    """A box found on the page turned clockwise by `turn` degrees, on the page as given
    (`width` x `height`)."""
    left, top, w, h = box
    corners = [(left, top), (left + w, top + h)]
    if turn == 90:
        pts = [(y, height - x) for x, y in corners]
    elif turn == 180:
        pts = [(width - x, height - y) for x, y in corners]
    elif turn == 270:
        pts = [(width - y, x) for x, y in corners]
    else:
        return box
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


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


@dataclass(frozen=True, slots=True)
class ReadPage:
    """A page as the OCR stage read it, and how: "ocr" (Tesseract), "text-layer" (the
    PDF's own text, to be corrected like any text) or "skipped" (the PDF's own text,
    kept as it is: `OcrOptions.text_layer == "skip"`)."""

    page: OcrPage
    source: str


def iter_read(
    path: Path, opts: OcrOptions, pages: PageSelection | None = None
) -> Iterator[ReadPage]:
    """Pages of `path` one at a time, in order (a long PDF never sits in memory whole);
    with `pages`, only those (1-based), and reading stops after the last one wanted. A
    PDF page with a text layer is read from it unless `opts.text_layer` is "ocr".

    A selection that matches no page of the document raises `InputImageError`.
    """
    sources = load_sources(Path(path), pdf_dpi=opts.pdf_dpi, max_pixels=opts.max_pixels,
                           pages=pages, text_layers=opts.text_layer != "ocr")
    with contextlib.closing(sources):
        while True:
            # Decoding and OCR reuse the heap (`reusing_heap`); whatever runs on the
            # page after the `yield` (the correction) does not.
            with reusing_heap():
                read = _read_next(sources, path, opts)
            if read is None:
                return
            yield read


def _read_next(sources: Iterator[Source], path: Path, opts: OcrOptions) -> ReadPage | None:
    """The next page of `sources`, read (None: no pages left)."""
    found = next(sources, None)
    if found is None:
        return None
    i, source = found
    if isinstance(source, OcrPage):
        log.info("%s page %d: %d lines from its text layer", path, i + 1, len(source.lines))
        return ReadPage(source, "skipped" if opts.text_layer == "skip" else "text-layer")
    check_environment(opts.tesseract.lang)  # only a page to OCR needs Tesseract (cached)
    page = ocr_image(source, opts, i)
    log.info(
        "%s page %d: %d lines, %.2fs preprocessing, %.2fs tesseract",
        path,
        i + 1,
        len(page.lines),
        page.preprocess_s,
        page.tesseract_s,
    )
    return ReadPage(page, "ocr")


def iter_document(
    path: Path, opts: OcrOptions, pages: PageSelection | None = None
) -> Iterator[OcrPage]:
    """The pages of `iter_read`, without how each was read."""
    for read in iter_read(path, opts, pages):
        yield read.page


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
    "OcrTable",
    "OcrWord",
    "ReadPage",
    "check_environment",
    "iter_document",
    "iter_read",
    "load_pages",
    "ocr_image",
    "read_document",
]
