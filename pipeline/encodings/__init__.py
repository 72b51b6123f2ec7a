"""Legacy Vietnamese encodings detected and converted to NFC Unicode before restoration.

`decode_document` reads a text file's bytes: UTF-8 as before, and otherwise TCVN3 (ABC),
VNI Windows, VISCII, VPS or Windows-1258 bytes; inside valid Unicode it also converts runs
of those encodings as Windows-1252 showed them (PDF text layers, .doc exports) and VIQR.
Detection is per run (a line, or the part of a line outside Unicode-only words), so a
legacy heading font mixed into Unicode body text converts on its own; text that is already
Unicode Vietnamese, other languages' accents and code stay as they are (see `detect`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from vnocr.encodings.convert import (
    BYTE_ENCODINGS,
    ENCODING_NAMES,
    SENTENCE_END_MARK,
    convert_bytes,
    convert_run,
    decode_legacy,
    encode_legacy,
    encode_run,
)
from vnocr.encodings.detect import best_reading, rank_byte_encodings, score, surface_runs
from vnocr.encodings.viqr import uses_escapes
from vnocr.errors import BadOptionsError, InputError

INPUT_ENCODINGS = ("auto", "utf-8", "tcvn3", "vni", "viscii", "vps", "cp1258", "viqr")
_WRAPPED_LINE = 60  # characters: a line this long ending in a small letter goes on
_SENTENCE_END = re.compile(SENTENCE_END_MARK + "$")  # at a line's end


@dataclass(frozen=True)
class Run:
    """One converted stretch: its line (1-based), the encoding, `form` "bytes" (the file's
    own bytes) or "text" (legacy text inside Unicode: Windows-1252 mojibake or VIQR),
    and the run before and after conversion (bytes shown as Windows-1252 would)."""

    line: int
    encoding: str
    form: str
    before: str
    after: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "encoding": self.encoding, "form": self.form,
                "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Decoded:
    """NFC text with `\\n` line ends, and every run converted on the way."""

    text: str
    runs: tuple[Run, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """What the JSON output reports: the encodings found and each converted run."""
        return {"encodings": sorted({r.encoding for r in self.runs}),
                "runs": [r.as_dict() for r in self.runs]}


def decode_document(data: bytes, encoding: str = "auto", *, source: str = "input") -> Decoded:
    """A text file's bytes as NFC text. `encoding`: one of `INPUT_ENCODINGS`; "auto"
    detects per run, "utf-8" converts nothing, a legacy name converts every run that is
    not Unicode already. An undecodable file raises a one-line InputError."""
    if encoding not in INPUT_ENCODINGS:
        raise BadOptionsError(f"unknown input encoding {encoding!r} (one of {', '.join(INPUT_ENCODINGS)})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if encoding in ("utf-8", "viqr"):
            raise InputError(
                f"{source}: not UTF-8 text (bad byte at offset {e.start}); convert it with iconv first"
            ) from None
        return _decode_legacy_bytes(data, encoding, source=source, bad_offset=e.start)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if encoding == "utf-8":
        return Decoded(_nfc("\n".join(lines)))
    return _convert_text_lines([_nfc(line) for line in lines], encoding)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _opens_sentence(previous_lines: list[str]) -> bool:
    """Whether a line starts a sentence: after no line, a sentence end, or a short line
    (a heading); not after a long line cut mid-sentence (wrapped text) or a comma."""
    last = next((line.rstrip() for line in reversed(previous_lines) if line.strip()), None)
    if last is None or _SENTENCE_END.search(last):
        return True
    return not (last.endswith((",", ";", "-")) or (len(last) >= _WRAPPED_LINE and last[-1].islower()))


def _convert_text_lines(lines: list[str], encoding: str) -> Decoded:
    """Unicode lines with legacy runs converted: detected ("auto") or all in `encoding`.
    Detection runs twice when it finds something: the encodings found on their own then
    vouch for runs with less evidence (a one-word line of the same heading font)."""
    decoded = _convert_text_pass(lines, encoding, frozenset())
    found = frozenset(r.encoding for r in decoded.runs)
    if encoding != "auto" or not found:
        return decoded
    return _convert_text_pass(lines, encoding, found)


def _convert_text_pass(lines: list[str], encoding: str, found_elsewhere: frozenset[str]) -> Decoded:
    escaped = uses_escapes("\n".join(lines))
    out: list[str] = []
    runs: list[Run] = []
    for number, line in enumerate(lines, 1):
        pieces, last = [], 0
        for start, end in surface_runs(line):
            run = line[start:end]
            opens = start == 0 and _opens_sentence(out)
            if encoding == "auto":
                found = best_reading(run, escaped_viqr=escaped, sentence_start=opens,
                                     whole_line=run == line.strip(),
                                     found_elsewhere=found_elsewhere)
            else:
                found = (encoding, convert_run(run, encoding, sentence_start=opens, escaped=escaped))
            if found is not None and found[1] != run:
                runs.append(Run(number, found[0], "text", run, found[1]))
                run = found[1]
            pieces += [line[last:start], run]
            last = end
        out.append("".join(pieces) + line[last:])
    return Decoded(_nfc("\n".join(out)), tuple(runs))


def _decode_legacy_bytes(data: bytes, encoding: str, *, source: str, bad_offset: int) -> Decoded:
    """A file that is not UTF-8: each line in the document's legacy encoding (detected
    over all its lines), except lines that are valid UTF-8 and read better so."""
    raw_lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    if encoding == "auto":
        encoding = _document_encoding(raw_lines, source=source, bad_offset=bad_offset)
    out: list[str] = []
    runs: list[Run] = []
    for number, raw in enumerate(raw_lines, 1):
        try:
            unicode_line = _nfc(raw.decode("utf-8"))
        except UnicodeDecodeError:
            unicode_line = None
        if unicode_line is not None and score(unicode_line).net >= score(
                convert_bytes(raw, encoding, sentence_start=False)).net:
            out.append(unicode_line)
            continue
        legacy = convert_bytes(raw, encoding, sentence_start=_opens_sentence(out))
        out.append(legacy)
        runs.append(Run(number, encoding, "bytes", raw.decode("cp1252", errors="replace"), legacy))
    return Decoded("\n".join(out), tuple(runs))


def _document_encoding(raw_lines: list[bytes], *, source: str, bad_offset: int) -> str:
    """The legacy encoding whose reading of the non-UTF-8 lines is most Vietnamese; an
    InputError naming what was tried when none reads as Vietnamese."""
    legacy_lines = [raw for raw in raw_lines if not _is_utf8(raw)]
    (best, best_score), *_ = rank_byte_encodings(legacy_lines)
    if not best_score.readable:
        tried = ", ".join(ENCODING_NAMES[e] for e in ("utf-8", *BYTE_ENCODINGS) if e in ENCODING_NAMES)
        raise InputError(
            f"{source}: not UTF-8 (bad byte at offset {bad_offset}) nor Vietnamese in {tried}; "
            "convert it with iconv first or name its encoding with --input-encoding"
        )
    return best


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


__all__ = [
    "BYTE_ENCODINGS", "ENCODING_NAMES", "INPUT_ENCODINGS", "Decoded", "Run",
    "decode_document", "decode_legacy", "encode_legacy", "encode_run",
]
