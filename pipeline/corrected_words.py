"""The corrected words of an OCR'd page, each with a box and a confidence.

Searchable PDF, hOCR, ALTO and the JSON layout all place the *corrected* text where
the OCR found the words, so they all take it from `corrected_page`. The restorer
keeps tokens 1:1 with its input except where a `Change` says otherwise: a change
covers `ntokens` input tokens and writes `after` over its characters, which may make
several words (a merged word split: `thànhphố` → `thành phố`) or none (specks cut at a
line's edge; a speck cut between words widens the word before it). Per line, each
change and the tokens it covers are one group; the group's output words take the
group's OCR boxes one for one when the counts agree, or else share the group's box in
proportion to their characters.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vnocr.ocr.layout import Box, OcrLine, OcrPage, OcrWord, union_box
from vnocr.result import Change, CorrectionResult
from vnocr.text import tokenize

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CorrectedWord:
    """One output word at its place on the page.

    `conf` is the confidence of the word as written: the OCR's for a word the
    correction kept, the deciding stage's (`Change.confidence`) for one it changed.
    `ocr_text`/`ocr_conf`: the OCR's reading of the same place, only where it differs.
    """

    text: str
    conf: float
    box: Box
    ocr_text: str | None = None
    ocr_conf: float | None = None

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "conf": round(self.conf, 4),
                             "box": list(self.box)}
        if self.ocr_text is not None:
            d["ocr_text"] = self.ocr_text
            d["ocr_conf"] = round(self.ocr_conf or 0.0, 4)
        return d


@dataclass(frozen=True, slots=True)
class CorrectedLine:
    """One OCR line's corrected words, for the formats that place text on the page.

    hOCR and ALTO write one text line per `CorrectedLine`, at the box its words cover;
    the searchable PDF writes its words in order along the line, so selecting the
    line copies the corrected line.
    """

    words: tuple[CorrectedWord, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> Box:
        return union_box([w.box for w in self.words])

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "box": list(self.box),
                "words": [w.as_dict() for w in self.words]}


@dataclass(frozen=True, slots=True)
class CorrectedParagraph:
    """The corrected lines of one OCR paragraph, one block of hOCR and of ALTO."""

    lines: tuple[CorrectedLine, ...]

    @property
    def box(self) -> Box:
        return union_box([ln.box for ln in self.lines])

    def as_dict(self) -> dict[str, Any]:
        return {"box": list(self.box), "lines": [ln.as_dict() for ln in self.lines]}


@dataclass(frozen=True, slots=True)
class CorrectedPage:
    """A page's corrected words in the OCR's reading order and grouping, on the page
    image the OCR read (`width` x `height` pixels; boxes in its pixels, even where the
    page was read turned). The page furniture kept out of the text comes along as
    read, for the formats that place it: page numbers and received-stamps' boxes."""

    index: int
    width: int
    height: int
    paragraphs: tuple[CorrectedParagraph, ...]
    rotation: int = 0  # degrees the page image was turned clockwise to be read upright
    page_numbers: tuple[CorrectedLine, ...] = ()
    stamps: tuple[Box, ...] = ()

    @property
    def lines(self) -> list[CorrectedLine]:
        return [ln for par in self.paragraphs for ln in par.lines]

    @property
    def words(self) -> list[CorrectedWord]:
        return [w for ln in self.lines for w in ln.words]


def corrected_page(ocr: OcrPage, correction: CorrectionResult | None) -> CorrectedPage:
    """`ocr`'s words as `correction` left them (as read, without one).

    The correction's input lines are `ocr.lines`: the OCR lines in order, with a blank
    line between paragraphs; its output is line for line with them.
    """
    out_lines = correction.lines if correction is not None else ocr.lines
    changes: dict[int, list[Change]] = {}
    for c in correction.changes if correction is not None else ():
        changes.setdefault(c.line, []).append(c)
    paragraphs = []
    li = 0
    for k, par in enumerate(ocr.paragraphs):
        if k:
            li += 1  # the blank line between paragraphs
        lines = []
        for ocr_line in par.lines:
            words = _line_words(ocr_line, ocr.lines[li], out_lines[li], changes.get(li, []))
            if words:
                lines.append(CorrectedLine(tuple(words)))
            li += 1
        if lines:
            paragraphs.append(CorrectedParagraph(tuple(lines)))
    page_numbers = tuple(CorrectedLine(tuple(CorrectedWord(w.text, w.conf, w.box) for w in ln.words))
                         for ln in ocr.page_numbers if ln.words)
    return CorrectedPage(ocr.index, ocr.width, ocr.height, tuple(paragraphs), ocr.rotation,
                         page_numbers, ocr.stamps)


def _line_words(
    line: OcrLine, in_text: str, out_text: str, changes: list[Change]
) -> list[CorrectedWord]:
    """The output words of one line, grouped with the OCR words they came from."""
    tokens = tokenize(in_text)
    out_words = out_text.split()
    groups = _groups(in_text, tokens, changes)
    if len(tokens) != len(line.words) or sum(len(g[2]) for g in groups) != len(out_words):
        # the changes do not account for the line: its words share the line's box
        log.debug("line %r: changes do not align its words; boxes shared", out_text)
        groups = [(0, len(line.words), out_words, [])]
    words: list[CorrectedWord] = []
    pos = 0
    for a, b, produced, group_changes in _absorb_inner_cuts(groups):
        texts = out_words[pos : pos + len(produced)]
        pos += len(produced)
        words.extend(_group_words(line.words[a:b], texts, group_changes))
    return words


Group = tuple[int, int, list[str], list[Change]]  # input tokens [a, b), output words, changes


def _groups(line: str, tokens: Sequence[Any], changes: list[Change]) -> list[Group]:
    """The line's tokens in groups: each unchanged token alone, each change with the
    tokens it covers (overlapping changes in one group), with the words it produces."""
    spans: list[tuple[int, int, list[Change]]] = []
    for c in sorted(changes, key=lambda c: (c.token, c.start)):
        end = c.token + max(c.ntokens, 1)
        if spans and c.token < spans[-1][1]:
            a, b, cs = spans[-1]
            spans[-1] = (a, max(b, end), [*cs, c])
        else:
            spans.append((c.token, end, [c]))
    groups: list[Group] = []
    t = 0
    for a, b, cs in spans:
        groups.extend((i, i + 1, [tokens[i].text], []) for i in range(t, min(a, len(tokens))))
        b = min(b, len(tokens))
        if a >= b:
            continue
        start, end = tokens[a].start, tokens[b - 1].start + len(tokens[b - 1].text)
        text = line[start:end]
        for c in sorted(cs, key=lambda c: -c.start):
            # a cut speck run takes the space beside it too, outside the tokens
            cut_from, cut_to = max(c.start, start) - start, min(c.end, end) - start
            if 0 <= cut_from <= cut_to:
                text = text[:cut_from] + c.after + text[cut_to:]
        groups.append((a, b, text.split(), cs))
        t = b
    groups.extend((i, i + 1, [tokens[i].text], []) for i in range(t, len(tokens)))
    return groups


def _absorb_inner_cuts(groups: list[Group]) -> list[Group]:
    """`groups` with each group that writes nothing between two that write words (a
    speck cut between words) joined to the one before, whose word's box then spans it:
    a text layer with a speck's gap left between two words reads them apart (poppler
    put a line's last word on a line of its own)."""
    # the last group that writes a word: a cut after it is no cut between words
    last_writing = max((k for k, g in enumerate(groups) if g[2]), default=-1)
    joined: list[Group] = []
    for k, (a, b, produced, cs) in enumerate(groups):
        inner = not produced and joined and joined[-1][2] and k < last_writing
        if inner:
            pa, _, p_produced, p_cs = joined[-1]
            joined[-1] = (pa, b, p_produced, [*p_cs, *cs])
        else:
            joined.append((a, b, produced, cs))
    return joined


def _group_words(
    sources: Sequence[OcrWord], texts: list[str], changes: list[Change]
) -> list[CorrectedWord]:
    """Output words `texts` placed on the OCR words `sources` they were made from."""
    if not texts:
        return []  # dropped (specks)
    conf = min((c.confidence for c in changes), default=None)
    if len(texts) == len(sources):
        return [_word(t, s.box, [s], conf) for t, s in zip(texts, sources)]
    boxes = split_box(union_box([s.box for s in sources]), texts)
    return [_word(t, box, sources, conf) for t, box in zip(texts, boxes)]


def _word(text: str, box: Box, sources: Sequence[OcrWord], conf: float | None) -> CorrectedWord:
    ocr_text = " ".join(s.text for s in sources)
    ocr_conf = min(s.conf for s in sources)
    if text == ocr_text:
        return CorrectedWord(text, ocr_conf, box)
    return CorrectedWord(text, conf if conf is not None else ocr_conf, box, ocr_text, ocr_conf)


def split_box(box: Box, texts: Sequence[str]) -> list[Box]:
    """`box` cut left to right into one box per text, widths in proportion to their
    characters, with one character's width for each space between them."""
    left, top, width, height = box
    units = sum(len(t) for t in texts) + len(texts) - 1
    per = width / units if units else 0.0
    boxes = []
    pos = 0
    for t in texts:
        x0 = left + round(pos * per)
        pos += len(t)
        x1 = left + round(pos * per)
        boxes.append((x0, top, max(0, x1 - x0), height))
        pos += 1
    return boxes


__all__ = [
    "CorrectedLine",
    "CorrectedPage",
    "CorrectedParagraph",
    "CorrectedWord",
    "corrected_page",
    "split_box",
]
