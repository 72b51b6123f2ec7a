"""Words from Tesseract → lines → paragraphs → one page, and the page's text and JSON.

Tesseract numbers every word by (block, paragraph, line) in reading order; we keep
that order and that grouping, so text output rebuilds lines and paragraphs exactly
as Tesseract saw them: lines joined by newlines, paragraphs by a blank line. A row of
a ruled table (`tables`) is one line whose cells are separated by a tab.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from vnocr.ocr.glyphs import mend_glyphs
from vnocr.text import nfc

Box = tuple[int, int, int, int]  # left, top, width, height (input-page pixels)


def union_box(boxes: Iterable[Box]) -> Box:
    """The smallest box holding all `boxes` ((0, 0, 0, 0) for none)."""
    bs = list(boxes)
    if not bs:
        return (0, 0, 0, 0)
    x0 = min(b[0] for b in bs)
    y0 = min(b[1] for b in bs)
    x1 = max(b[0] + b[2] for b in bs)
    y1 = max(b[1] + b[3] for b in bs)
    return (x0, y0, x1 - x0, y1 - y0)


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One word as Tesseract read it, with where it stands on the page and how sure it was.

    Its box places the word in hOCR, ALTO and the PDF text layer; a low confidence (0..1)
    tells the restorer the word may be misread, so more readings of it are weighed.
    """

    text: str  # NFC
    conf: float  # 0..1
    box: Box
    footnote_marker: bool = False  # a raised footnote number (`footnotes`)

    def __post_init__(self) -> None:
        if nfc(self.text) != self.text:
            raise ValueError("OcrWord text must be NFC")

    def as_dict(self) -> dict[str, Any]:
        found = {"text": self.text, "conf": round(self.conf, 4), "box": list(self.box)}
        return {**found, "footnote_marker": True} if self.footnote_marker else found


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One line of words in reading order: a unit of the page's text and of its JSON.

    Each line becomes one line of `OcrPage.text` (and so one input line of the
    restorer); a table row carries the column of each word so its text keeps the cells.
    """

    words: tuple[OcrWord, ...]
    # A table row's: the column of each word (`tables`); () for a line of running text.
    cells: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.cells and len(self.cells) != len(self.words):
            raise ValueError("OcrLine cells must give one column per word")

    @property
    def text(self) -> str:
        """The words joined by spaces; in a table row, cells by one tab per column
        boundary, so an empty cell keeps its place (`1\t\t5`) and a column reads as
        one tab-separated field (a tab is whitespace to every tokenizer, so each word
        is still one token). Empty cells after the last word are not written."""
        if not self.cells:
            return " ".join(w.text for w in self.words)
        parts = ["\t" * self.cells[0], self.words[0].text]
        for k in range(1, len(self.words)):
            gap = self.cells[k] - self.cells[k - 1]
            parts += ["\t" * gap if gap > 0 else " ", self.words[k].text]
        return "".join(parts)

    @property
    def box(self) -> Box:
        return union_box(w.box for w in self.words)

    def mapped(self, map_box: Callable[[int, int, int, int], Box]) -> OcrLine:
        """The line with each word's box passed through `map_box`."""
        return replace(self, words=tuple(replace(w, box=map_box(*w.box)) for w in self.words))

    def as_dict(self) -> dict[str, Any]:
        found = {
            "text": self.text,
            "box": list(self.box),
            "words": [w.as_dict() for w in self.words],
        }
        return {**found, "cells": list(self.cells)} if self.cells else found


@dataclass(frozen=True, slots=True)
class OcrParagraph:
    """Lines Tesseract grouped together, set apart from the next paragraph by a blank line."""

    lines: tuple[OcrLine, ...]

    @property
    def box(self) -> Box:
        return union_box(ln.box for ln in self.lines)

    def mapped(self, map_box: Callable[[int, int, int, int], Box]) -> OcrParagraph:
        """The paragraph with each word's box passed through `map_box`."""
        return OcrParagraph(tuple(ln.mapped(map_box) for ln in self.lines))

    def as_dict(self) -> dict[str, Any]:
        return {"box": list(self.box), "lines": [ln.as_dict() for ln in self.lines]}


@dataclass(frozen=True, slots=True)
class OcrTable:
    """A ruled table of the page: its box and each row's cell boxes, left to right
    (input-page pixels). Its text is in the page's lines, one line per row."""

    box: Box
    cells: tuple[tuple[Box, ...], ...]

    def as_dict(self) -> dict[str, Any]:
        return {"box": list(self.box), "rows": len(self.cells),
                "columns": len(self.cells[0]) if self.cells else 0,
                "cells": [[list(b) for b in row] for row in self.cells]}


@dataclass(frozen=True, slots=True)
class OcrPage:
    """One OCR'd page: the structure, and the flat views the restorer needs."""

    index: int
    paragraphs: tuple[OcrParagraph, ...]
    width: int = 0
    height: int = 0
    skew_deg: float = 0.0
    scale: float = 1.0
    rotation: int = 0  # degrees the page was turned clockwise to be read upright
    preprocess_s: float = 0.0
    tesseract_s: float = 0.0
    # Page furniture kept out of the text but in the page's data (see `reading_order`).
    page_numbers: tuple[OcrLine, ...] = ()
    stamps: tuple[Box, ...] = ()  # received-stamps whose words were left out
    tables: tuple[OcrTable, ...] = ()  # ruled tables, read row by row
    _lines: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _confs: tuple[tuple[float, ...] | None, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lines: list[str] = []
        confs: list[tuple[float, ...] | None] = []
        for k, par in enumerate(self.paragraphs):
            if k:
                lines.append("")
                confs.append(None)
            for ln in par.lines:
                lines.append(ln.text)
                confs.append(tuple(w.conf for w in ln.words))
        object.__setattr__(self, "_lines", tuple(lines))
        object.__setattr__(self, "_confs", tuple(confs))

    @property
    def lines(self) -> list[str]:
        """The lines of `text` in order; the blank lines between paragraphs are ""."""
        return list(self._lines)

    @property
    def line_confidences(self) -> list[list[float] | None]:
        """Per line, one confidence (0..1) per whitespace token; None for blank lines."""
        return [list(c) if c is not None else None for c in self._confs]

    @property
    def text(self) -> str:
        return "\n".join(self._lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "width": self.width,
            "height": self.height,
            "skew_deg": self.skew_deg,
            "rotation": self.rotation,
            "scale": round(self.scale, 4),
            "text": self.text,
            "paragraphs": [p.as_dict() for p in self.paragraphs],
            "page_numbers": [ln.as_dict() for ln in self.page_numbers],
            "stamps": [list(b) for b in self.stamps],
            "tables": [t.as_dict() for t in self.tables],
        }


def build_page(
    index: int,
    words: Iterable[Any],
    *,
    map_box: Callable[[int, int, int, int], Box] | None = None,
    **meta: Any,
) -> OcrPage:
    """Group Tesseract words (objects with block/par/line/left/top/width/height/conf/text).

    Words containing spaces are split so that `line_confidences` has exactly one value
    per whitespace token of the line (the restorer relies on that). Text enters NFC,
    with Tesseract's crossed-D slips mended (`glyphs`); a word marked `footnote_marker`
    (`footnotes`) stays marked in the page's data, a word's table column (`cell`, set
    by `tables`) makes its line a table row.
    """
    paragraphs: list[list[list[OcrWord]]] = []
    columns: dict[int, list[int]] = {}  # id of a line's word list -> its words' columns
    last_par: tuple[int, int] | None = None
    last_line: tuple[int, int, int] | None = None
    for w in words:
        box = (w.left, w.top, w.width, w.height)
        if map_box is not None:
            box = map_box(*box)
        conf = round(min(1.0, max(0.0, float(w.conf) / 100.0)), 4)
        pieces = mend_glyphs(nfc(w.text)).split()
        if not pieces:
            continue
        par_key = (w.block, w.par)
        line_key = (w.block, w.par, w.line)
        if par_key != last_par:
            paragraphs.append([])
            last_par = par_key
            last_line = None
        if line_key != last_line:
            paragraphs[-1].append([])
            last_line = line_key
        marker = bool(getattr(w, "footnote_marker", False))
        paragraphs[-1][-1].extend(OcrWord(p, conf, box, marker) for p in pieces)
        column = getattr(w, "cell", -1)
        if column >= 0:
            columns.setdefault(id(paragraphs[-1][-1]), []).extend([column] * len(pieces))
    return OcrPage(
        index,
        tuple(OcrParagraph(tuple(OcrLine(tuple(ln), tuple(columns.get(id(ln), ())))
                                 for ln in par if ln)) for par in paragraphs),
        **meta,
    )


__all__ = ["Box", "OcrLine", "OcrPage", "OcrParagraph", "OcrTable", "OcrWord", "build_page",
           "union_box"]
