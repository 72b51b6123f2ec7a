"""The words of a PDF page's own text layer, as an `OcrPage` placed like OCR words.

A born-digital page (or one a scanner already OCR'd) holds its text: reading it is
exact and takes milliseconds, where OCR takes seconds and misreads. PDFium gives each
character with its box; characters join into words at spaces and into lines at the
line breaks PDFium inserts, and a line further below the one before it than its own
height (or one above it: the next column) starts a paragraph. Boxes are put in the
pixels of the page as the loader renders it (its crop box at the PDF DPI, turned by
/Rotate), so every output places these words exactly as it places OCR words.

Text typed in a legacy font (TCVN3, VNI) comes out of PDFium as Latin-1 look-alikes:
`vnocr.encodings` converts such runs, as for a text file. A page whose layer is too
small or mostly unmappable glyphs is not taken as text: it is OCR'd.
"""

from __future__ import annotations

import logging
from typing import Any

from vnocr.ocr.layout import Box, OcrLine, OcrPage, OcrParagraph, OcrWord, union_box
from vnocr.text import nfc

log = logging.getLogger(__name__)

# A page reads as text when its layer holds this many letters and digits (a page number
# or a stamp alone does not make a scan a text page) ...
MIN_TEXT_CHARS = 8
# ... and at most this share of its glyphs map to no character (a font without a
# ToUnicode map: PDFium returns control characters or U+FFFD).
MAX_UNMAPPED = 0.1
_BREAKS = frozenset("\r\n")
PtBox = tuple[float, float, float, float]  # left, bottom, right, top (PDF points)


def read_text_layer(page: Any, index: int, scale: float) -> OcrPage | None:
    """The text layer of the pypdfium2 `page` as an `OcrPage` (word confidences 1.0),
    in the pixels of the page rendered at `scale` pixels per point; None when the page
    has no usable text layer (OCR it)."""
    textpage = page.get_textpage()
    try:
        lines = _lines(textpage)
    finally:
        textpage.close()
    chars = [c for line in lines for word, _ in line for c in word]
    letters = sum(c.isalnum() for c in chars)
    unmapped = sum(_unmapped(c) for c in chars)
    if letters < MIN_TEXT_CHARS or unmapped > MAX_UNMAPPED * len(chars):
        return None
    to_pixels, width, height = _pixel_mapping(page, scale)
    placed = [[(text, to_pixels(box)) for text, box in line] for line in lines]
    texts = _decoded([[text for text, _ in line] for line in placed])
    paragraphs = _paragraphs([_words(line, converted) for line, converted in zip(placed, texts)])
    log.debug("page %d: text layer of %d words", index + 1, len(chars))
    return OcrPage(index, paragraphs, width=width, height=height)


def _unmapped(c: str) -> bool:
    return c == "\ufffd" or (ord(c) < 32 and c not in "\t\r\n")


def _lines(textpage: Any) -> list[list[tuple[str, PtBox]]]:
    """The layer's lines, each a list of (word, box in points), in PDFium's order."""
    import pypdfium2.raw as pdfium_c

    lines: list[list[tuple[str, PtBox]]] = [[]]
    word: list[str] = []
    boxes: list[PtBox] = []

    def end_word() -> None:
        if word:
            lines[-1].append(("".join(word), _union_pt(boxes)))
            word.clear()
            boxes.clear()

    for i in range(textpage.count_chars()):
        c = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i) or 0xFFFD)
        if c in _BREAKS:
            end_word()
            if lines[-1]:
                lines.append([])
        elif c.isspace():
            end_word()
        else:
            word.append(c)
            box = textpage.get_charbox(i)
            if box[2] > box[0] and box[3] > box[1]:
                boxes.append(box)
    end_word()
    return [line for line in lines if line]


def _union_pt(boxes: list[PtBox]) -> PtBox:
    if not boxes:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _pixel_mapping(page: Any, scale: float):
    """A function from boxes in points to boxes in pixels of the rendered page, and
    that page's width and height in pixels."""
    left, bottom, right, top = page.get_cropbox()
    w0, h0 = (right - left) * scale, (top - bottom) * scale
    rotation = page.get_rotation() % 360

    def turn(x: float, y: float) -> tuple[float, float]:
        """A point of the unturned page (y down) on the page turned clockwise."""
        if rotation == 90:
            return h0 - y, x
        if rotation == 180:
            return w0 - x, h0 - y
        if rotation == 270:
            return y, w0 - x
        return x, y

    def to_pixels(box: PtBox) -> Box:
        x0, y0 = turn((box[0] - left) * scale, (top - box[3]) * scale)
        x1, y1 = turn((box[2] - left) * scale, (top - box[1]) * scale)
        return (round(min(x0, x1)), round(min(y0, y1)), round(abs(x1 - x0)), round(abs(y1 - y0)))

    width, height = (h0, w0) if rotation in (90, 270) else (w0, h0)
    return to_pixels, round(width), round(height)


def _decoded(lines: list[list[str]]) -> list[list[str]]:
    """The words of each line with legacy-encoded runs converted to Unicode (NFC); a
    line whose conversion changed its number of words gives that line's new words."""
    from vnocr.encodings import decode_document

    joined = "\n".join(" ".join(words) for words in lines)
    converted = decode_document(joined.encode("utf-8"), source="text layer").text.split("\n")
    if len(converted) != len(lines):  # never expected: conversion keeps lines
        return [[nfc(w) for w in words] for words in lines]
    return [line.split() for line in converted]


def _words(line: list[tuple[str, Box]], texts: list[str]) -> OcrLine:
    """One line's words at their boxes; when conversion changed the word count, the
    line's box is shared among the new words by their letters."""
    if len(texts) == len(line):
        return OcrLine(tuple(OcrWord(t, 1.0, box) for t, (_, box) in zip(texts, line)))
    from vnocr.corrected_words import split_box

    boxes = split_box(union_box(box for _, box in line), texts)
    return OcrLine(tuple(OcrWord(t, 1.0, box) for t, box in zip(texts, boxes)))


def _paragraphs(lines: list[OcrLine]) -> tuple[OcrParagraph, ...]:
    """Lines grouped into paragraphs: a new one after a gap taller than the line, or
    where the next line starts above the last (a new column or block)."""
    groups: list[list[OcrLine]] = []
    last: Box | None = None
    for line in lines:
        if not line.words:
            continue
        box = line.box
        if last is None or box[1] < last[1] or box[1] - (last[1] + last[3]) > max(box[3], last[3]):
            groups.append([])
        groups[-1].append(line)
        last = box
    return tuple(OcrParagraph(tuple(g)) for g in groups)


__all__ = ["MIN_TEXT_CHARS", "read_text_layer"]
