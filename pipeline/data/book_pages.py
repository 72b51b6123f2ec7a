"""Pages set like a 1990s Vietnamese history book, with their truth, to measure OCR on
printed prose that administrative pages do not show.

What such a page has that `render.render_page` lacks: justified serif body text with
indented paragraphs, italic date clauses with bracketed years (`năm Tân Dậu /541/`,
`(1544)`), small raised footnote numbers right after a word, the footnotes themselves
under a short rule at the foot of the page, and a page number under them. The truth
follows the convention of the transcribed real pages: printed text only, one line per
printed line, paragraphs apart by a blank line; a footnote number is written as its
digits, a word of its own after the word it follows (`Thuấn 1`); the footnotes come
after the body, apart by a blank line; the page number is not text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFont

from vnocr.data.admin_pages import SERIF_FONT_SETS, Sheet
from vnocr.data.render import RenderSpec, degrade
from vnocr.evaluate import syllable_tokens

# Cyclical year names of the kind these books print before a bracketed year.
_CAN_CHI = ("Tân Dậu", "Giáp Thìn", "Ất Tỵ", "Mậu Ngọ", "Canh Thân", "Nhâm Tuất", "Quý Hợi",
            "Bính Tý", "Đinh Sửu", "Kỷ Mão")
# Footnote bodies: the references and glosses such books carry.
_NOTES = (
    "Theo Đại Việt sử ký toàn thư, Ngoại kỷ, quyển 4.",
    "Xem Khâm định Việt sử thông giám cương mục, Tiền biên, quyển 2.",
    "Có sách chép là năm sau; ở đây theo Việt sử lược.",
    "Tên cũ của vùng đất này, nay thuộc tỉnh Thanh Hóa.",
    "Về sự kiện này, xem thêm chương trước.",
    "An Nam chí lược của Lê Tắc cũng chép như vậy.",
)
_SUPER = 0.6  # footnote number size, of the body size
_RAISE = 0.42  # how far its baseline sits above the body's, of the body size


@dataclass(frozen=True)
class BookPage:
    """A rendered book page, its truth (see the module docstring) and where its
    footnotes are in that truth, as indices into `syllable_tokens(truth)`: the raised
    numbers, and the footnotes at the foot of the page."""

    image: Image.Image
    truth: str
    note_numbers: frozenset[int] = frozenset()
    notes: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    italic: bool = False
    note: int | None = None  # the footnote number printed after the word


def _decorate(paragraph: str, rng: random.Random, first_note: int) -> tuple[list[_Word], int]:
    """The paragraph's words, one italic date clause and at most one footnote number
    added after sentence ends; returns the words and the next footnote number."""
    words = [_Word(w) for w in paragraph.split()]
    ends = [i for i, w in enumerate(words) if w.text.endswith((".", ","))] or [len(words) - 1]
    k = rng.choice(ends)
    year = rng.randint(40, 1900)
    if rng.random() < 0.5:
        clause = ["năm", *rng.choice(_CAN_CHI).split(), f"/{year}/"]
    else:
        clause = ["vào", "năm", f"({year})"]
    head = words[k].text.rstrip(".,")
    tail = words[k].text[len(head):]
    words[k:k + 1] = [_Word(head), *(_Word(w, italic=True) for w in clause[:-1]),
                      _Word(clause[-1] + tail, italic=True)]
    note = first_note
    if rng.random() < 0.7:
        pick = rng.choice([i for i, w in enumerate(words) if w.text[-1:].isalpha()] or [0])
        words[pick] = _Word(words[pick].text, words[pick].italic, note)
        note += 1
    return words, note


class _Setter(Sheet):
    """Justified lines of `_Word`s on an A5 page, top to bottom."""

    def __init__(self, fonts: tuple[str, str, str], size_pt: float, dpi: int) -> None:
        super().__init__(fonts, size_pt, dpi, page_in=(5.8, 8.3), margins_in=(0.75, 0.65),
                         leading=1.35)
        self.font["sup"] = ImageFont.truetype(fonts[0], round(self.px * _SUPER))
        self.space = self.font["r"].getlength(" ")
        self.y += self.px

    def _width(self, w: _Word) -> float:
        width = self.font["i" if w.italic else "r"].getlength(w.text)
        return width + (self.font["sup"].getlength(str(w.note)) if w.note else 0.0)

    def lines(self, words: list[_Word], indent: float, measure: float) -> list[list[_Word]]:
        out: list[list[_Word]] = [[]]
        used = indent
        for w in words:
            need = self._width(w) + (self.space if out[-1] else 0.0)
            if out[-1] and used + need > measure:
                out.append([])
                used, need = 0.0, self._width(w)
            out[-1].append(w)
            used += need
        return out

    def set_line(self, line: list[_Word], x: float, measure: float, justify: bool) -> None:
        widths = [self._width(w) for w in line]
        gap = self.space
        if justify and len(line) > 1:
            gap = (measure - sum(widths)) / (len(line) - 1)
        for w, width in zip(line, widths, strict=True):
            font = self.font["i" if w.italic else "r"]
            self.draw.text((x, self.y), w.text, font=font, fill=0, anchor="ls")
            if w.note:
                self.draw.text((x + font.getlength(w.text), self.y - _RAISE * self.px),
                               str(w.note), font=self.font["sup"], fill=0, anchor="ls")
            x += width + gap
        self.y += self.pitch


def _line_truth(line: list[_Word]) -> tuple[str, list[int]]:
    """The line's truth, and where its footnote numbers are in it (syllable tokens)."""
    parts: list[str] = []
    numbers: list[int] = []
    n = 0
    for w in line:
        parts.append(w.text)
        n += len(syllable_tokens(w.text))
        if w.note:
            parts.append(str(w.note))
            numbers.append(n)
            n += 1
    return " ".join(parts), numbers


def render_book_page(
    paragraphs: list[str],
    *,
    seed: int = 0,
    dpi: int = 300,
    page_number: int | None = None,
    degrade_spec: dict | None = None,
) -> BookPage:
    """One A5 book page from `paragraphs` (as many as fit), decorated from `seed`.
    `degrade_spec` holds `RenderSpec` fields (blur, speckle, rotate_deg, jpeg_quality,
    ink_spread) for a print-and-scan copy."""
    rng = random.Random(seed)
    fonts = SERIF_FONT_SETS[seed % len(SERIF_FONT_SETS)]
    setter = _Setter(fonts, rng.choice((10.5, 11.0, 11.5)), dpi)
    note_font = ImageFont.truetype(fonts[0], round(setter.px * 0.82))
    measure = setter.right - setter.left
    indent = round(0.3 * dpi)
    truth: list[str] = []
    notes: list[tuple[int, str]] = []
    note_numbers: list[int] = []
    n_tokens = 0  # syllable tokens of the truth so far
    next_note = 1
    foot = setter.height - round(0.75 * dpi)
    for para in paragraphs:
        words, after = _decorate(para, rng, next_note)
        lines = setter.lines(words, indent, measure)
        new_notes = [(n, rng.choice(_NOTES)) for n in range(next_note, after)]
        room = foot - setter.pitch * (len(notes) + len(new_notes) + 2)
        if setter.y + setter.pitch * len(lines) > room:
            break
        for i, line in enumerate(lines):
            x = setter.left + (indent if i == 0 else 0)
            setter.set_line(line, x, measure - (indent if i == 0 else 0), i < len(lines) - 1)
            text, numbers = _line_truth(line)
            note_numbers += [n_tokens + k for k in numbers]
            n_tokens += len(syllable_tokens(text))
            truth.append(text)
        truth.append("")
        notes += new_notes
        next_note = after
    notes_start = n_tokens
    if notes:
        y = foot - round(setter.pitch * 0.9) * len(notes) - setter.pitch // 2
        setter.draw.line([setter.left, y, setter.left + measure * 0.3, y], fill=0,
                         width=max(1, dpi // 200))
        for n, text in notes:
            y += round(setter.pitch * 0.9)
            setter.draw.text((setter.left + indent, y), f"{n}. {text}", font=note_font, fill=0,
                             anchor="ls")
            truth.append(f"{n}. {text}")
            n_tokens += len(syllable_tokens(truth[-1]))
    if page_number is not None:
        setter.draw.text(((setter.left + setter.right) / 2, setter.height - round(0.4 * dpi)),
                         str(page_number), font=setter.font["r"], fill=0, anchor="ms")
    spec = RenderSpec(font=Path(fonts[0]), dpi=dpi, **(degrade_spec or {}))
    image = degrade(setter.img, spec, seed=seed)
    image.info["dpi"] = (dpi, dpi)
    return BookPage(image, "\n".join(truth).strip() + "\n", frozenset(note_numbers),
                    frozenset(range(notes_start, n_tokens)))


__all__ = ["BookPage", "render_book_page"]
