"""What the review page shows, line by line: every change placed in both columns, and
every token the pipeline kept but a reader should look at.

One placement for the page and for applying a person's decisions (`vnocr.decisions`):
both cut the output line at the same spans, so a decision made on the page names the
same characters when it is replayed. Computed from a finished `CorrectionResult`; the
restorer is not consulted again.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from vnocr.calibration import KEPT, Calibration, shipped
from vnocr.restore.candidates import is_protected
from vnocr.result import Change, CorrectionResult, KeptWord
from vnocr.text import is_vietnamese_syllable, tokenize

# Below this shown confidence a change is "low" on the page; below this raw confidence a
# kept token is doubtful, for a kind of text the calibration table has no threshold for.
LOW = 0.6
# Below this OCR word confidence a kept word is doubtful too ("ocr unsure"), for a kind
# the table has no threshold for: on vie-OCR text the errors left are mostly misreads
# that are real syllables (`di` for đi), which the restorer keeps confidently but
# Tesseract had doubted. The table's thresholds per kind are chosen on every document of
# the dev sets by scripts/review_calibration.py: the fewest words flagged at which each
# set's share of errors caught reaches 90 % at its lower bound across documents.
OCR_DOUBT = 0.8

# What eng-OCR prints for a mark it could not place, and scanner specks: a token with
# one of these next to its letters was not read cleanly.
_DEBRIS = re.compile(r"[¢€£@&|~^{}\[\]\\<>«»¬°§©®™•_]")


@dataclass(frozen=True, slots=True)
class Seg:
    """A piece of a rendered line: plain text, a change (`cid` names it in the page), a
    difference no change records, or a kept token the page flags (`doubt` says why)."""

    text: str
    change: Change | None = None
    cid: str = ""
    unplaced: bool = False
    unrecorded: bool = False  # differs from the input, but no Change accounts for it
    # kept as it was, but doubtful: "unsure", "ocr unsure", "debris" or "not a syllable"
    doubt: str = ""
    # the confidence the page shows: a change's or a doubtful token's, calibrated
    # (`vnocr.calibration`)
    conf: float = math.nan
    # a doubtful token's record where the restorer weighed other readings of it
    kept: KeptWord | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One line: the input's and the output's segments; `start`s locate output segments."""

    number: int  # 1-based
    before: list[Seg]
    after: list[Seg]
    unplaced: list[Seg]
    changed: bool

    def placed(self) -> list[tuple[int, Seg]]:
        """(offset in the output line, segment) of every segment of the output line."""
        out, pos = [], 0
        for seg in self.after:
            out.append((pos, seg))
            pos += len(seg.text)
        return out


def document_id(result: CorrectionResult) -> str:
    """The review's key: input and output together, so decisions made on one run's page
    are never restored onto a page of different text."""
    h = hashlib.sha256()
    h.update(result.input_text.encode("utf-8"))
    h.update(b"\0")
    h.update(result.text.encode("utf-8"))
    return h.hexdigest()


def text_sha256(text: str) -> str:
    """A text's fingerprint: decisions are replayed only on the text they were made on."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def doubt_of(core: str, trail: str, lead: str) -> str:
    """Why a token the pipeline left as it was deserves a look, or "".

    Debris: a mark symbol glued to or inside the word (`gỡ&`, `dé)ng`). Not a syllable:
    letters no Vietnamese syllable is spelt with, where the restorer's own rules do not
    protect the token as a code, number, abbreviation or foreign word."""
    if not core or not any(c.isalpha() for c in core):
        return ""
    if _DEBRIS.search(core) or _DEBRIS.search(lead[-1:] + trail[:1]):
        return "debris"
    parts = [p for p in re.split(r"[\W_]+", core) if p]
    if all(p.isalpha() for p in parts):
        if core.isupper() and len(core) > 1 or all(is_vietnamese_syllable(p) for p in parts):
            return ""  # abbreviations (UBND), words
        return "not a syllable" if core.isalpha() else "debris"
    if is_protected(core, trail):
        return ""  # numbers, codes, units
    return "not a syllable"


def _input_span(line: str, c: Change) -> tuple[int, int] | None:
    """Where `c.before` sits in the input line: its offsets, else its token index."""
    if 0 <= c.start <= c.end <= len(line) and line[c.start : c.end] == c.before:
        return c.start, c.end
    return _token_span(line, c)


def _token_span(line: str, c: Change) -> tuple[int, int] | None:
    toks = tokenize(line)
    last = c.token + max(c.ntokens, 1) - 1
    if c.token < 0 or last >= len(toks):
        return None
    a, b = toks[c.token], toks[last]
    start = a.core_start if a.core else a.start
    end = (b.core_start + len(b.core)) if b.core else b.start + len(b.text)
    return start, end


def _output_spans(
    in_line: str, out_line: str, changes: list[Change], in_spans: list[tuple[int, int] | None]
) -> list[tuple[int, int] | None]:
    """Offsets of each change's `after` in the output line.

    First try the exact route — the output is the input with each span replaced — and
    shift offsets; otherwise fall back to the token index (tokens stay aligned, one
    output token per input token), and as a last resort search for `after`.
    """
    placed = sorted((s, i) for i, s in enumerate(in_spans) if s is not None)
    if len(placed) == len(changes) and all(
        placed[k][0][1] <= placed[k + 1][0][0] for k in range(len(placed) - 1)
    ):
        pieces, pos, shift, spans = [], 0, 0, [None] * len(changes)
        for (s, e), i in placed:
            pieces.append(in_line[pos:s])
            pieces.append(changes[i].after)
            spans[i] = (s + shift, s + shift + len(changes[i].after))
            shift += len(changes[i].after) - (e - s)
            pos = e
        pieces.append(in_line[pos:])
        if "".join(pieces) == out_line:
            return spans
    spans = []
    for c in changes:
        s = _token_span(out_line, c)
        if s is None or out_line[s[0] : s[1]] != c.after:
            i = out_line.find(c.after) if c.after else -1
            s = (i, i + len(c.after)) if i >= 0 else s
        spans.append(s)
    return spans


def _segments(
    line: str, spans: list[tuple[int, int] | None], changes: list[Change], cids: list[str],
    shown: list[float],
) -> tuple[list[Seg], list[Seg]]:
    """Cut `line` at the spans; overlapping or unplaceable changes come back apart.
    `shown`: each change's confidence as the page shows it."""
    order = sorted((s, i) for i, s in enumerate(spans) if s is not None)
    segs: list[Seg] = []
    rest: list[Seg] = []
    pos = 0
    used = set()
    for (s, e), i in order:
        if s < pos:
            continue
        if s > pos:
            segs.append(Seg(line[pos:s]))
        segs.append(Seg(line[s:e], changes[i], cids[i], conf=shown[i]))
        used.add(i)
        pos = e
    if pos < len(line):
        segs.append(Seg(line[pos:]))
    for i, c in enumerate(changes):
        if i not in used:
            rest.append(Seg(c.after, c, cids[i], True, conf=shown[i]))
    return segs, rest


def input_token_of(in_line: str, out_line: str) -> list[int | None]:
    """Per output token, the index of the input token it was read as, found by aligning
    the tokens (restoration cuts specks at a line's edges, so counts may differ); None
    for a token not in the input as such."""
    ta, tb = tokenize(in_line), tokenize(out_line)
    if len(ta) == len(tb):
        return list(range(len(tb)))
    out: list[int | None] = [None] * len(tb)
    sm = difflib.SequenceMatcher(None, [t.text for t in ta], [t.text for t in tb],
                                 autojunk=False)
    for a, b, n in sm.get_matching_blocks():
        out[b : b + n] = range(a, a + n)
    return out


def ocr_per_output_token(
    in_line: str, out_line: str, ocr: Sequence[float] | None
) -> list[float | None] | None:
    """The OCR's confidence (`ocr`: one per input token) of each output token read as
    it was (see `input_token_of`); None for a token not in the input as such, and
    without `ocr`."""
    if ocr is None or len(ocr) != len(tokenize(in_line)):
        return None
    return [ocr[j] if j is not None else None for j in input_token_of(in_line, out_line)]


def _mark_unchanged(
    in_line: str, out_line: str, segs: list[Seg], confs: Sequence[float] | None = None,
    ocr_confs: Sequence[float] | None = None, *, kind: str = "",
    calibration: Calibration, kept: Sequence[KeptWord] = (),
) -> list[Seg]:
    """Mark output tokens no Change covers: changed anyway, or kept but doubtful.

    A safety net for review: whatever a stage forgot to record still stands out, and so
    does a token the model kept while unsure of it (when there is one confidence per
    output token), that the OCR read with a confidence under the kind's threshold
    (`ocr_confs`, one per input token), or that is no Vietnamese word as written; the
    thresholds are the calibration's for the text's `kind`; a doubtful token carries
    its `KeptWord` from `kept` (the line's), if any. Differences are
    looked for only when both lines have as many tokens (the pipeline keeps them
    aligned).
    """
    tb = tokenize(out_line)
    ta = tokenize(in_line) if in_line != out_line else tb
    same_count = len(ta) == len(tb)
    if confs is not None and len(confs) != len(tb):
        confs = None
    ocr_confs = ocr_per_output_token(in_line, out_line, ocr_confs)
    kept_at: list[KeptWord | None] = [None] * len(tb)
    if kept:
        by_token = {k.token: k for k in kept}
        kept_at = [by_token.get(j) if j is not None else None
                   for j in input_token_of(in_line, out_line)]
    low = calibration.kept_low.get(kind, LOW)
    ocr_doubt = calibration.ocr_doubt.get(kind, OCR_DOUBT)
    covered, pos = [], 0
    for seg in segs:
        if seg.change is not None:
            covered.append((pos, pos + len(seg.text)))
        pos += len(seg.text)
    # A token a change touches is accounted for (its quotes and commas stay as they were).
    marks: list[tuple[int, int, Seg]] = []
    for i, y in enumerate(tb):
        s, e = y.start, y.start + len(y.text)
        if any(s < ce and cs < e for cs, ce in covered):
            continue
        conf = confs[i] if confs is not None else math.nan
        if same_count and ta[i].text != y.text:
            marks.append((s, e, Seg("", unrecorded=True)))
            continue
        ocr = ocr_confs[i] if ocr_confs is not None else None  # per output token
        unsure = confs is not None and not conf >= low and y.core
        ocr_unsure = ocr is not None and ocr < ocr_doubt and y.core
        doubt = ("unsure" if unsure else doubt_of(y.core, y.trail, y.lead)
                 or ("ocr unsure" if ocr_unsure else ""))
        if doubt:
            cs = s + len(y.lead)
            shown = calibration.shown(conf, kind=kind, stage=KEPT, ocr=ocr)
            record = kept_at[i] if kept_at[i] is not None and kept_at[i].word == y.core else None
            marks.append((cs, cs + len(y.core), Seg("", doubt=doubt, conf=shown, kept=record)))
    if not marks:
        return segs
    out: list[Seg] = []
    pos = 0
    for seg in segs:
        end = pos + len(seg.text)
        if seg.change is not None:
            out.append(seg)
            pos = end
            continue
        cur = pos
        for s, e, mark in marks:
            s, e = max(s, cur), min(e, end)
            if s >= e:
                continue
            if s > cur:
                out.append(Seg(out_line[cur:s]))
            out.append(Seg(out_line[s:e], unrecorded=mark.unrecorded, doubt=mark.doubt,
                           conf=mark.conf, kept=mark.kept))
            cur = e
        if cur < end:
            out.append(Seg(out_line[cur:end]))
        pos = end
    return out


def change_ocr_confidence(c: Change, ocr: Sequence[float] | None) -> float | None:
    """The OCR's least confidence in the input tokens `c` replaced (`ocr`: its line's,
    one per input token), None without."""
    span = ocr[c.token : c.token + max(c.ntokens, 1)] if ocr is not None and c.token >= 0 else ()
    return min(span) if span else None


def build_rows(
    result: CorrectionResult, counter: list[int] | None = None, *,
    calibration: Calibration | None = None,
) -> list[Row]:
    """Every line of `result` as a `Row`; `counter` numbers changes across several
    results (`c1`, `c2`, ...) so that ids stay unique on one page. `calibration`: the
    shown confidences and doubt thresholds (the shipped table by default)."""
    counter = counter if counter is not None else [0]
    calibration = calibration if calibration is not None else shipped()
    in_lines = result.input_text.split("\n")
    out_lines = result.text.split("\n")
    n = max(len(in_lines), len(out_lines))
    by_line: dict[int, list[Change]] = {}
    for c in result.changes:
        # A change pointing past the text still must be shown: park it on the last line.
        by_line.setdefault(min(max(c.line, 0), n - 1), []).append(c)
    kept_by_line: dict[int, list[KeptWord]] = {}
    for kw in result.kept_alternatives:
        kept_by_line.setdefault(kw.line, []).append(kw)
    rows = []
    for k in range(n):
        a = in_lines[k] if k < len(in_lines) else ""
        b = out_lines[k] if k < len(out_lines) else ""
        ch = by_line.get(k, [])
        cids = []
        for _ in ch:
            counter[0] += 1
            cids.append(f"c{counter[0]}")
        confs = result.confidences[k] if k < len(result.confidences) else None
        ocr = result.ocr_confidences[k] if k < len(result.ocr_confidences) else None
        kind = result.regimes[k] if k < len(result.regimes) else ""
        # calibrated for the text's kind, the change's stage and the OCR's doubt
        shown = [calibration.shown(c.confidence, kind=kind, stage=c.stage,
                                   ocr=change_ocr_confidence(c, ocr)) for c in ch]
        in_spans = [_input_span(a, c) for c in ch]
        before, _ = _segments(a, in_spans, ch, cids, shown)
        after, unplaced = _segments(b, _output_spans(a, b, ch, in_spans), ch, cids, shown)
        after = _mark_unchanged(a, b, after, confs, ocr, kind=kind, calibration=calibration,
                                kept=kept_by_line.get(k, ()))
        rows.append(Row(k + 1, before, after, unplaced, bool(ch) or a != b))
    return rows


__all__ = ["LOW", "OCR_DOUBT", "Row", "Seg", "build_rows", "change_ocr_confidence",
           "document_id", "doubt_of", "input_token_of", "ocr_per_output_token", "text_sha256"]
