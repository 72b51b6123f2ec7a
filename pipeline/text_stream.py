"""Text read in bounded pieces, so that correcting a file of any size takes flat memory.

`vnocr correct` holds one piece at a time: read, decoded, restored, written. A file is
cut into pieces of equal size, at most `PIECE_BYTES` and an even number of them
(`piece_count`: worker processes, one per core, then get equal shares); a piece ends
after a blank line (a paragraph's end) once it holds half its size, else after the
line that fills it; a single line longer than `LONG_LINE` pieces is cut between words.
A file smaller than one piece is one piece, restored exactly as if it were read whole;
in a larger one the document-level facts (regime, tone style) are decided per piece.

Each piece keeps the input's own line ends (`\\n`, `\\r\\n` or `\\r`, line by line), so
the output has them too. Bytes are decoded per piece by `vnocr.encodings` (UTF-8, or
a legacy Vietnamese encoding detected per run). A NUL byte means binary data (or
UTF-16): one clear error, before the whole stream is read (`/dev/zero` would never end).

Peak memory of `vnocr correct` grows with the piece restored at once (measured on
stripped news: 50 KB 496 MB, 200 KB 635 MB, 1 MB 937 MB), hence 64 KB pieces.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO

from vnocr.encodings import Decoded, Run, decode_document
from vnocr.errors import InputError
from vnocr.result import CorrectionResult

PIECE_BYTES = 64 * 1024
LONG_LINE = 4  # pieces: a line longer than this is cut between words
_READ_BYTES = 64 * 1024
_LINE_END = re.compile(rb"\r\n|\r|\n")
_BLANK_LINE = re.compile(rb"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)")


@dataclass(frozen=True, slots=True)
class TextPiece:
    """Consecutive whole lines of the input (or one part of a very long line).

    `text` is NFC with `\\n` between lines; `line_ends[i]` is what ended line i in the
    input ("" where the input or a cut line goes on without one); `first_line` counts
    the lines before this piece; `runs` are the legacy-encoded runs converted in it,
    with lines numbered in the whole input.
    """

    text: str
    line_ends: tuple[str, ...]
    first_line: int
    runs: tuple[Run, ...] = ()

    def join(self, lines: list[str]) -> str:
        """`lines` (one per line of this piece) with the input's line ends."""
        if len(lines) != len(self.line_ends):
            raise ValueError("one output line per input line")
        return "".join(line + end for line, end in zip(lines, self.line_ends))


def piece_count(size: int) -> int:
    """How many pieces a file of `size` bytes is cut into: enough that none holds more
    than PIECE_BYTES, and an even number where more than one. Two workers, the usual
    core count, then take two equal shares: a file of three 64 KB pieces gave one
    worker two of them and the other one, so it took the time of two pieces where it
    could take that of one and a half (docs/benchmarks.md, "eng-OCR after the
    legacy-encoding shortcuts, per-part run-on ceilings and pieces of equal size")."""
    pieces = max(1, -(-size // PIECE_BYTES))
    return pieces + 1 if pieces > 1 and pieces % 2 else pieces


def piece_size(stream: BinaryIO) -> int:
    """The size of `stream`'s pieces: what is left of a file (or of any stream that can
    seek) cut into `piece_count` equal pieces; PIECE_BYTES for a pipe or a terminal,
    whose length is unknown. Depends on the input alone, so `-j 1` and `-j N` cut the
    same pieces, and their outputs are the same."""
    try:
        if not stream.seekable():
            return PIECE_BYTES
        here = stream.tell()
        size = stream.seek(0, io.SEEK_END) - here
        stream.seek(here)
    except (OSError, ValueError):
        return PIECE_BYTES
    return max(1, size // piece_count(size))


def iter_pieces(
    stream: BinaryIO, *, source: str = "input", encoding: str = "auto",
    piece_bytes: int | None = None,
) -> Iterator[TextPiece]:
    """The pieces of `stream`, in order, as soon as each is read (see the module);
    `piece_bytes`: their size, `piece_size(stream)` unless given."""
    if piece_bytes is None:
        piece_bytes = piece_size(stream)
    max_bytes = LONG_LINE * piece_bytes
    buf = b""
    line = 0
    eof = False
    while buf or not eof:
        while not eof and len(buf) < max_bytes:
            block = stream.read(_READ_BYTES)
            if not block:
                eof = True
                break
            nul = block.find(b"\0")
            if nul >= 0:
                raise InputError(
                    f"{source}: binary data, not text (a NUL byte); UTF-16 text must be "
                    "converted to UTF-8 first (iconv)")
            buf += block
            if len(buf) >= piece_bytes and _cut(buf, piece_bytes, eof=False) is not None:
                break
        if not buf:
            break
        if eof and len(buf) <= max_bytes:
            # the rest: one piece up to half a piece longer than the others (the pieces
            # before it ended after whole lines), else cut as they were
            cut = (_cut(buf, piece_bytes, eof) if 2 * len(buf) > 3 * piece_bytes
                   else None) or len(buf)
        else:
            cut = _cut(buf, piece_bytes, eof)
            if cut is None:  # one line longer than max_bytes: cut it between words
                cut = _cut_inside_line(buf, max_bytes)
        raw, buf = buf[:cut], buf[cut:]
        piece = _decode(raw, source, encoding, line)
        line += sum(1 for end in piece.line_ends if end)
        yield piece


class PieceResults:
    """The results of one input's pieces, put together as the one result that
    `Pipeline.correct_text` of the whole text gives (its line numbers, its last line).

    Held only where the whole result is wanted (JSON, the review page, a batch's
    outputs); text output is written piece by piece instead.
    """

    def __init__(self) -> None:
        self._parts: list[CorrectionResult] = []
        self._runs: list[Run] = []
        self._ends_with_line_end = True  # (an empty input too)

    def add(self, piece: TextPiece, result: CorrectionResult | None) -> None:
        """`piece`'s result (None: the piece is kept as it is, uncorrected)."""
        self._parts.append(result or CorrectionResult(text=piece.text, input_text=piece.text))
        self._runs += piece.runs
        self._ends_with_line_end = bool(piece.line_ends[-1])

    @property
    def decoded(self) -> Decoded:
        """The legacy-encoded runs converted in the whole input (its text is not kept)."""
        return Decoded("", tuple(self._runs))

    def result(self) -> CorrectionResult:
        parts = self._parts
        if self._ends_with_line_end:
            # the line after the input's last line end: `correct_text` of the whole text
            # has it too (an empty input is one empty line)
            parts = [*parts, CorrectionResult(text="", input_text="", confidences=((),))]
        return CorrectionResult.concat(parts)


def _cut(buf: bytes, piece_bytes: int, eof: bool) -> int | None:
    """Where a piece ends: after the first blank line past half a piece, else after the
    first line end past a whole piece, else after the last line end; never between the
    `\r` and `\n` of one line end. None: no line end at all."""
    # a last `\r` may be the first half of a `\r\n` still to be read
    window = buf[:-1] if not eof and buf.endswith(b"\r") else buf
    blank = _BLANK_LINE.search(window, piece_bytes // 2)
    if blank is not None and blank.end() <= 2 * piece_bytes:
        return blank.end()
    after = _LINE_END.search(window, piece_bytes)
    if after is not None:
        return after.end()
    ends = [m.end() for m in _LINE_END.finditer(window)]
    return ends[-1] if ends else None


def _cut_inside_line(buf: bytes, max_bytes: int) -> int:
    """After the last space or tab within `max_bytes`, else before the last byte that
    starts a character (no UTF-8 character is split)."""
    space = max(buf.rfind(b" ", 0, max_bytes), buf.rfind(b"\t", 0, max_bytes))
    if space > 0:
        return space + 1
    cut = max_bytes
    while cut > 1 and 0x80 <= buf[cut] < 0xC0:
        cut -= 1
    return cut


def _decode(raw: bytes, source: str, encoding: str, first_line: int) -> TextPiece:
    ends = [m.group().decode("ascii") for m in _LINE_END.finditer(raw)]
    if not raw.endswith((b"\n", b"\r")):
        ends.append("")  # the input's last line, or a line cut between words
    decoded: Decoded = decode_document(raw, encoding, source=source)
    text = decoded.text
    if text.endswith("\n") and raw.endswith((b"\n", b"\r")):
        text = text[:-1]
    if text.count("\n") + 1 != len(ends):
        raise InputError(f"{source}: line ends could not be kept apart (mixed binary data?)")
    runs = tuple(replace(run, line=run.line + first_line) for run in decoded.runs)
    return TextPiece(text, tuple(ends), first_line, runs)


__all__ = ["LONG_LINE", "PIECE_BYTES", "PieceResults", "TextPiece", "iter_pieces", "piece_count",
           "piece_size"]
