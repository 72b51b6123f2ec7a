"""Turn an input file into page images (PNG/JPEG/TIFF via Pillow, PDF via pypdfium2), or
into the words of a PDF page's own text layer.

Every way a file can be bad ends here as one `InputImageError` with a one-line message,
so the rest of the stage only ever sees decoded, size-checked grayscale/RGB pages.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from vnocr.errors import InputImageError
from vnocr.files import read_bytes
from vnocr.ocr.layout import OcrPage
from vnocr.ocr.text_layer import read_text_layer
from vnocr.page_selection import PageSelection

log = logging.getLogger(__name__)

IMAGE_FORMATS = {"PNG", "JPEG", "TIFF", "MPO", "BMP", "WEBP", "PPM", "GIF"}
SUPPORTED = "PNG, JPEG, TIFF, BMP, WebP or PDF"
_PDF_MAGIC = b"%PDF-"
Source = tuple[int, Image.Image | OcrPage]  # a page's 0-based index, and what to read it from


def _check_pixels(path: Path, page: int, width: int, height: int, max_pixels: int) -> None:
    if width <= 0 or height <= 0:
        raise InputImageError(f"{path}: page {page + 1} has no pixels ({width}x{height})")
    if width * height > max_pixels:
        raise InputImageError(
            f"{path}: page {page + 1} is {width}x{height} = {width * height:,} pixels, "
            f"over the limit of {max_pixels:,}"
        )


@contextmanager
def _pixel_guard(path: Path, max_pixels: int) -> Iterator[None]:
    """Pillow's decompression-bomb check at our limit, with its warning made an error.

    Pillow checks the size from the header before decoding, so a bomb is refused
    without allocating it; we make its check agree with `OcrOptions.max_pixels`.
    Held only around Pillow calls, never across a `yield`.
    """
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                yield
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise InputImageError(
                    f"{path}: image is over the pixel limit of {max_pixels:,}"
                ) from None
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _normalise_mode(im: Image.Image) -> Image.Image:
    """Gray or RGB, 8 bit: what OpenCV and Tesseract both take without surprises."""
    if im.mode in ("L", "RGB"):
        return im
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if im.mode.startswith("I") or im.mode == "F":
        # High bit depth: stretch the used range to 8 bit rather than clip it.
        arr = np.asarray(im, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        scaled = (arr - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(arr)
        return Image.fromarray(scaled.round().astype(np.uint8), mode="L")
    if im.mode == "1":
        return im.convert("L")
    return im.convert("RGB")


def _image_pages(path: Path, max_pixels: int, wanted: _Wanted) -> Iterator[Source]:
    with _pixel_guard(path, max_pixels):
        try:
            im = Image.open(path)
        except UnidentifiedImageError:
            raise InputImageError(
                f"{path}: not an image or PDF that can be read (supported: {SUPPORTED})"
            ) from None
        except OSError as e:
            raise InputImageError(f"{path}: cannot open image ({e})") from None
    with im:
        if im.format not in IMAGE_FORMATS:
            raise InputImageError(
                f"{path}: unsupported image type {im.format} (supported: {SUPPORTED})"
            )
        # Only TIFF frames are pages; an MPO's second frame is a preview, a GIF's are frames.
        n_pages = getattr(im, "n_frames", 1) if im.format == "TIFF" else 1
        for i in wanted.indices(path, n_pages):
            with _pixel_guard(path, max_pixels):
                try:
                    im.seek(i)
                    _check_pixels(path, i, im.width, im.height, max_pixels)
                    im.load()
                    dpi = im.info.get("dpi")
                    page = _normalise_mode(ImageOps.exif_transpose(im))
                    if page is im:
                        page = im.copy()
                    if dpi:
                        page.info["dpi"] = dpi
                except (OSError, SyntaxError, ValueError, EOFError) as e:
                    raise InputImageError(
                        f"{path}: corrupt or truncated image data on page {i + 1} ({e})"
                    ) from None
            yield i, page


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page\b")  # a page, not the /Pages tree
_EMPTY_TREE = re.compile(rb"/Count\s+0\b")


def _pageless(path: Path, limit: int = 32 << 20) -> bool:
    """A PDF whose page tree says /Count 0 and that holds no page object."""
    try:
        data = read_bytes(path, limit=limit, error=InputImageError)
    except InputImageError:
        return False
    return bool(_EMPTY_TREE.search(data)) and not _PAGE_OBJECT.search(data)


def _pdf_pages(path: Path, dpi: int, max_pixels: int, wanted: _Wanted,
               text_layers: bool) -> Iterator[Source]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        # PDFium refuses a page tree without pages but sets no error code of its own for
        # it (it reports "success", or whatever the last failure in the process was), so
        # that case is recognised from the file itself.
        if _pageless(path):
            raise InputImageError(f"{path}: PDF has no pages") from None
        if getattr(e, "err_code", None) == 4:
            raise InputImageError(f"{path}: PDF is password-protected") from None
        raise InputImageError(f"{path}: corrupt or unreadable PDF ({e})") from None
    try:
        n = len(pdf)
        if n == 0:
            raise InputImageError(f"{path}: PDF has no pages")
        scale = dpi / 72.0
        for i in wanted.indices(path, n):
            page = pdf[i]
            try:
                text = read_text_layer(page, i, scale) if text_layers else None
                if text is not None:
                    yield i, text
                    continue
                w_pt, h_pt = page.get_size()
                _check_pixels(path, i, round(w_pt * scale), round(h_pt * scale), max_pixels)
                bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=True)
                image = _normalise_mode(bitmap.to_pil())
                image.info["dpi"] = (dpi, dpi)
                yield i, image
            except pdfium.PdfiumError as e:
                raise InputImageError(f"{path}: cannot render PDF page {i + 1} ({e})") from None
            finally:
                page.close()
    finally:
        pdf.close()


class _Wanted:
    """The pages a caller wants (a 1-based selection, None: all), as 0-based indices of
    a document once its page count is known; a selection it lacks entirely is an error."""

    def __init__(self, pages: PageSelection | None) -> None:
        self.pages = pages

    def indices(self, path: Path, npages: int) -> list[int]:
        if self.pages is None:
            return list(range(npages))
        found = [n - 1 for n in self.pages.numbers(npages)]
        if not found:
            noun = "page" if npages == 1 else "pages"
            raise InputImageError(
                f"{path}: has no page {self.pages.first} (it has {npages} {noun})")
        return found


def load_sources(
    path: Path, *, pdf_dpi: int = 300, max_pixels: int = 200_000_000,
    pages: PageSelection | None = None, text_layers: bool = False,
) -> Iterator[Source]:
    """Yield (index, page) for the pages of `path` in order, only those of `pages`
    (1-based) where given: a page image to OCR, or, with `text_layers`, the words of
    a PDF page's own text layer where it has one (`text_layer.read_text_layer`).

    Lazy, so a long PDF never has all its pages in memory, and pages not wanted are
    neither rendered nor decoded. Raises `InputImageError` for a missing, empty,
    corrupt, unsupported, page-less or over-large input, or one without the pages.
    """
    path = Path(path)
    head = read_bytes(path, limit=8, error=InputImageError)
    if not head:
        raise InputImageError(f"{path}: file is empty")
    wanted = _Wanted(pages)
    if head.startswith(_PDF_MAGIC):
        yield from _pdf_pages(path, pdf_dpi, max_pixels, wanted, text_layers)
    else:
        yield from _image_pages(path, max_pixels, wanted)


def load_pages(
    path: Path, *, pdf_dpi: int = 300, max_pixels: int = 200_000_000
) -> Iterator[Image.Image]:
    """Yield the pages of `path` in order as 8-bit gray or RGB Pillow images (see
    `load_sources`: every page, each rendered)."""
    for _, image in load_sources(path, pdf_dpi=pdf_dpi, max_pixels=max_pixels):
        assert isinstance(image, Image.Image)
        yield image


__all__ = ["SUPPORTED", "Source", "load_pages", "load_sources"]
