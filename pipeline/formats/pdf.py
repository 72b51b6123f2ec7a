"""Searchable PDF: the original page images with the corrected words as invisible text.

Each page keeps its image as it came: the pages of an input PDF are copied with their
content untouched (no image is decoded or re-encoded), a JPEG is embedded as the very
bytes of the file (DCTDecode), any other image losslessly (Flate; 1 bit per pixel for
a black-and-white page). Over it goes a text layer in render mode 3 (invisible) with
the glyphless font of `pdf_font`: each corrected word at its box, stretched to the
box's width, lines in reading order, so selecting a line copies the corrected line
and `pdftotext` returns the corrected text. pikepdf (qpdf) writes every object.

A page of an input PDF that has its own text (read from it, not OCR'd) is copied as
it is: an invisible corrected layer over visible text made `pdftotext` interleave the
two readings word by word, so the corrected text of such a page goes to the text,
JSON, hOCR and ALTO outputs only.

Coordinates: words are written in the pixels of the page upright (the OCR may have
read a page turned), y up; one `cm` per page maps them onto the page: back through
the turn, from pixels to points, and through the PDF page's own /Rotate and crop box.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Collection, Sequence
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING, Any

import pikepdf
from pikepdf import ContentStreamInstruction as Op
from pikepdf import Matrix, Name, Operator

from vnocr.corrected_words import CorrectedPage
from vnocr.formats.pdf_font import (
    ADVANCE,
    ASCENT,
    DESCENT,
    FONT_NAME,
    encode_text,
    glyphless_font,
)

if TYPE_CHECKING:  # Pillow is imported where a page image is read, not with this module
    from PIL import Image

DEFAULT_DPI = 300.0  # an image without a plausible resolution is taken as a 300 DPI scan
_PDF_MAGIC = b"%PDF-"
# pdftotext parts two words when the gap between them is over 0.1 to 0.15 em (by mode);
# a quarter em keeps two words with touching boxes apart in every mode
WORD_GAP = 0.25
# poppler joins words into a line while their baselines differ by under 0.5 em
# (maxIntraLineDelta): a word's baseline follows the line's slope for at most 0.2 em
# either side of the line's middle, 0.4 em in all
BASELINE_STEP = 0.2
# poppler drops a glyph drawn within 0.1 em of the same glyph before it as a duplicate
# (dupMaxPriDelta): a speck read as ",," keeps both commas at 0.15 em each
MIN_GLYPH = 0.15


def render_pdf(source: Path, pages: Sequence[CorrectedPage], *,
               bare: Collection[int] = ()) -> bytes:
    """The searchable PDF of `pages` (in order) of the scan or PDF `source`; the pages
    of a PDF whose indices are in `bare` are copied as they are, without a text layer
    (they hold their own text)."""
    with open(source, "rb") as f:
        is_pdf = f.read(5) == _PDF_MAGIC
    if is_pdf:
        with pikepdf.open(source) as src:
            return _save(_from_pdf(src, pages, bare))
    return _save(_from_images(source, pages))


def _save(pdf: pikepdf.Pdf) -> bytes:
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True)  # the same input gives the same bytes
    return buf.getvalue()


# -- pages --------------------------------------------------------------------------
def _from_pdf(src: pikepdf.Pdf, pages: Sequence[CorrectedPage], bare: Collection[int]
              ) -> pikepdf.Pdf:
    """A new PDF of the chosen pages of `src`, each with a text layer on top (except
    those in `bare`)."""
    out = pikepdf.new()
    font = glyphless_font(out)
    for layout in pages:
        out.pages.append(src.pages[layout.index])
        if layout.index in bare:
            continue
        page = out.pages[-1]
        box = [float(v) for v in page.obj.get(Name.CropBox, page.mediabox)]
        rotate = int(page.obj.get(Name.Rotate, 0)) % 360
        _add_text_layer(out, page, layout, font, _pdf_page_matrix(box, rotate, layout))
    return out


def _from_images(source: Path, pages: Sequence[CorrectedPage]) -> pikepdf.Pdf:
    """A PDF with one page per chosen image page, the image filling it."""
    from vnocr.ocr import load_pages

    out = pikepdf.new()
    font = glyphless_font(out)
    wanted = {p.index: p for p in pages}
    done: dict[int, pikepdf.Page] = {}
    for i, image in enumerate(load_pages(source)):
        if i in wanted:
            done[i] = _image_page(out, source, i, image, wanted[i], font)
        if len(done) == len(wanted):
            break
    for layout in pages:
        out.pages.append(done[layout.index])
    return out


def _image_page(out: pikepdf.Pdf, source: Path, index: int, image: Image.Image,
                layout: CorrectedPage, font: pikepdf.Object) -> pikepdf.Page:
    dpi = _dpi(image.info.get("dpi"))
    w_pt, h_pt = image.width * 72.0 / dpi, image.height * 72.0 / dpi
    xobject = _image_xobject(out, source, index, image)
    page = pikepdf.Page(pikepdf.Dictionary(
        Type=Name.Page, MediaBox=[0, 0, w_pt, h_pt],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=xobject)),
    ))
    draw = [Op([], Operator("q")), Op([w_pt, 0, 0, h_pt, 0, 0], Operator("cm")),
            Op([Name.Im0], Operator("Do")), Op([], Operator("Q"))]
    page.obj.Contents = out.make_stream(pikepdf.unparse_content_stream(draw))
    _add_text_layer(out, page, layout, font, _pdf_page_matrix([0, 0, w_pt, h_pt], 0, layout))
    return page


def _dpi(value: Any) -> float:
    """The resolution in Pillow's `info["dpi"]` (whatever the file held) where plausible."""
    try:
        dpi = float(value[0]) if isinstance(value, tuple) else float(value)
    except (TypeError, ValueError, IndexError):
        return DEFAULT_DPI
    return dpi if 50 <= dpi <= 2400 else DEFAULT_DPI


def _image_xobject(out: pikepdf.Pdf, source: Path, index: int, image: Image.Image
                   ) -> pikepdf.Stream:
    """The page image as an image XObject: a JPEG file's own bytes where they show the
    page as the OCR saw it, otherwise the decoded pixels, Flate-compressed."""
    common = {"Type": Name.XObject, "Subtype": Name.Image, "Width": image.width,
              "Height": image.height}
    jpeg = _jpeg_bytes(source, index, image)
    if jpeg is not None:
        space = Name.DeviceGray if image.mode == "L" else Name.DeviceRGB
        return pikepdf.Stream(out, jpeg, Filter=Name.DCTDecode, BitsPerComponent=8,
                              ColorSpace=space, **common)
    colors = image.getcolors(2) if image.mode == "L" else None
    if colors is not None and {c for _, c in colors} <= {0, 255}:
        data, bits, space = image.convert("1").tobytes(), 1, Name.DeviceGray
    else:
        space = Name.DeviceGray if image.mode == "L" else Name.DeviceRGB
        data, bits = image.tobytes(), 8
    return pikepdf.Stream(out, zlib.compress(data, 6), Filter=Name.FlateDecode,
                          BitsPerComponent=bits, ColorSpace=space, **common)


def _jpeg_bytes(source: Path, index: int, image: Image.Image) -> bytes | None:
    """The file's bytes when it is a single JPEG, gray or RGB, not turned by EXIF,
    of the same size as the page the OCR read; None otherwise."""
    from PIL import Image

    if index != 0:
        return None
    with Image.open(source) as im:
        if im.format != "JPEG" or im.mode not in ("L", "RGB") or im.size != image.size:
            return None
        if im.getexif().get(0x0112, 1) != 1:  # EXIF orientation: the loader turned it
            return None
    return Path(source).read_bytes()


# -- the text layer -----------------------------------------------------------------
def _pdf_page_matrix(box: list[float], rotate: int, layout: CorrectedPage) -> Matrix:
    """Upright page pixels (y up) → PDF user space of a page with crop box `box` and
    /Rotate `rotate`, on which the OCR read a `layout.width` x `layout.height` image
    (the page as displayed) turned by `layout.rotation`."""
    llx, lly, urx, ury = min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), \
        max(box[1], box[3])
    w, h = urx - llx, ury - lly
    shown_w, shown_h = (h, w) if rotate in (90, 270) else (w, h)
    width, height = layout.width, layout.height
    up_h = width if layout.rotation in (90, 270) else height
    # upright pixels, y up → upright pixels, y down
    m = Matrix(1, 0, 0, -1, 0, up_h)
    # upright pixels → pixels of the image as read (the inverse of the OCR's turn)
    m = m @ {
        0: Matrix(),
        90: Matrix(0, -1, 1, 0, 0, height),  # (x, y) → (y, H - x)
        180: Matrix(-1, 0, 0, -1, width, height),
        270: Matrix(0, 1, -1, 0, width, 0),  # (x, y) → (W - y, x)
    }[layout.rotation]
    # image pixels (y down) → points of the page as displayed (y up)
    m = m @ Matrix(shown_w / width, 0, 0, -shown_h / height, 0, shown_h)
    # displayed page → user space (the inverse of /Rotate), then the crop box's corner
    m = m @ {
        0: Matrix(),
        90: Matrix(0, 1, -1, 0, w, 0),  # u = w - Y, v = X
        180: Matrix(-1, 0, 0, -1, w, h),
        270: Matrix(0, -1, 1, 0, 0, h),  # u = Y, v = h - X
    }[rotate]
    return m @ Matrix().translated(llx, lly)


def _add_text_layer(out: pikepdf.Pdf, page: pikepdf.Page, layout: CorrectedPage,
                    font: pikepdf.Object, matrix: Matrix) -> None:
    """Append the invisible words to `page`'s content, after wrapping what is there in
    q/Q (content that leaves its graphics state changed cannot move the text)."""
    resources = page.obj.get(Name.Resources)
    if resources is None:
        page.obj.Resources = resources = pikepdf.Dictionary()
    if Name.Font not in resources:
        resources.Font = pikepdf.Dictionary()
    resources.Font[FONT_NAME] = font
    ops = _text_ops(layout, matrix)
    if not ops:
        return
    page.contents_add(out.make_stream(b"q\n"), prepend=True)
    page.contents_add(out.make_stream(b"Q\n" + pikepdf.unparse_content_stream(ops)))


def _text_ops(layout: CorrectedPage, matrix: Matrix) -> list[Op]:
    """Each line in one font size, its words upright, each on the line's baseline
    moved along the line's slope by at most `BASELINE_STEP` em (scans are rarely
    straight). Extraction (poppler) keeps words on one line only while their
    baselines lie within half an em of each other: the tilted photocopy's lines drawn
    on their true slope came out in two halves. The em is the median height of the
    line's words, the slope's rise taken out (a speck read as a comma does not shrink
    it); the descent reaches their median bottom edge. Each word starts at its box and
    is stretched to its box's width (at least `MIN_GLYPH` em a glyph), a little less
    where the next word follows closer than extraction's word gap; a space fills the
    gap to the next word."""
    up_h = layout.width if layout.rotation in (90, 270) else layout.height
    ops = [Op([], Operator("q")), Op(list(matrix.shorthand), Operator("cm")),
           Op([], Operator("BT")), Op([3], Operator("Tr"))]
    n_words = 0
    for line in layout.lines:
        boxes = [_upright_box(w.box, layout) for w in line.words]
        slope = _slope(boxes)
        centres = [x + w / 2 for x, _, w, _ in boxes]
        mid = sum(centres) / len(centres)
        # each word's rise along the slope, from the line's middle
        rises = [slope * (c - mid) for c in centres]
        low = median(t + h - r for (_, t, _, h), r in zip(boxes, rises))
        high = median(t - r for (_, t, _, _), r in zip(boxes, rises))
        size = low - high
        if size <= 0:
            continue
        em = size * ADVANCE / 1000.0  # one glyph's advance at 100 % scale
        step = BASELINE_STEP * size
        ops.append(Op([FONT_NAME, round(size, 2)], Operator("Tf")))
        for k, (word, (left, _, width, _), rise) in enumerate(zip(line.words, boxes, rises)):
            baseline = low + max(-step, min(step, rise)) + DESCENT / 1000.0 * size
            gap = boxes[k + 1][0] - (left + width) if k + 1 < len(boxes) else None
            if gap is not None and gap < WORD_GAP * size:
                shrink = min(WORD_GAP * size - gap, width / 4)
                width, gap = width - shrink, gap + shrink
            width = max(width, len(word.text) * MIN_GLYPH * size)
            ops += [Op([_scale(width, len(word.text) * em)], Operator("Tz")),
                    Op([1, 0, 0, 1, left, round(up_h - baseline, 2)], Operator("Tm")),
                    Op([pikepdf.String(encode_text(word.text))], Operator("Tj"))]
            if gap is not None:
                ops += [Op([_scale(gap, em)], Operator("Tz")),
                        Op([pikepdf.String(encode_text(" "))], Operator("Tj"))]
            n_words += 1
    if not n_words:
        return []
    return ops + [Op([], Operator("ET")), Op([], Operator("Q"))]


def _scale(width: float, advance: float) -> float:
    """The horizontal scale (Tz, per cent) that makes `advance` span `width`; a gap of
    nothing or less still gets a sliver, so the space stays between the words."""
    return round(max(width, 0.5) / advance * 100.0, 3)


def _slope(boxes: Sequence[tuple[int, int, int, int]]) -> float:
    """A line's slope (down per right, image pixels) from its words' centres: a least-
    squares fit, 0 for a line of one word; kept within ±0.1 (6 degrees)."""
    if len(boxes) < 2:
        return 0.0
    xs = [b[0] + b[2] / 2 for b in boxes]
    ys = [b[1] + b[3] / 2 for b in boxes]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    if var <= 0:
        return 0.0
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var
    return max(-0.1, min(0.1, slope))


def _upright_box(box: tuple[int, int, int, int], layout: CorrectedPage
                 ) -> tuple[int, int, int, int]:
    """A box of the image as read, in the pixels of the page turned upright."""
    left, top, w, h = box
    W, H = layout.width, layout.height
    if layout.rotation == 90:
        return (H - top - h, left, h, w)
    if layout.rotation == 180:
        return (W - left - w, H - top - h, w, h)
    if layout.rotation == 270:
        return (top, W - left - w, h, w)
    return box


assert ASCENT - DESCENT == 1000  # a box's height is one em: size = height fills it

__all__ = ["render_pdf"]
