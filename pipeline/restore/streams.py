"""Slot streams: the input's tokens cut into the units the search decides on.

A slot is one token (or one of two merged syllables, or one part of a token glued from
several words) awaiting a decision; a stream is a sentence of slots, context crossing
line ends but not blank lines nor a heading's edges (`heading_lines`). Streams are
searched independently, so they are also grouped (`groups`) to bound memory without
changing any output.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np

from vnocr.restore.candidates import (
    SYMBOL_WORDS,
    CandidateGenerator,
    TokenCandidates,
    capitals_line,
)
from vnocr.restore.casing import in_name_runs, lone_capitals, title_among_capitals
from vnocr.restore.glued import split_glued
from vnocr.restore.heading_lines import heading_breaks
from vnocr.restore.merged import MergedWordSplitter
from vnocr.restore.network import COPY
from vnocr.restore.run_on import RunOnSplitter
from vnocr.restore.vocab import ends_sentence, mid_sentence
from vnocr.text import Token

GROUP_SLOTS = 10_000  # tokens decoded together (see groups)
FIRST_GROUP_SLOTS = 2_500  # the first group's size; each next one doubles (see groups)
STREAM_CUT = 500  # tokens: a longer stream with no sentence end is cut (see _cut_here)
# channel score: eng dev merged pairs ≤ -6.1 (or none), debris of one syllable ≥ -5.6
SINGLE_READING = -6.0
MEMO_SIZE = 65_536  # token forms whose merged cut is remembered (see merged_cuts)


@dataclass
class Slot:
    """One token of a paragraph stream awaiting a decision."""

    line: int
    index: int
    token: Token
    conf: float | None
    net: tuple | None = None  # network state, its top ids (empty: not computed)
    written: TokenCandidates | None = None  # the candidates read off the token as written
    ends: bool = False  # the token closes a sentence
    mid: bool = False  # mid-sentence, not first on its line (see vocab.mid_sentence)
    # first on its line, and the line before ended on a small letter, nothing after it
    runs_on: bool = False
    lone_caps: bool = False  # in capitals, in a line of small letters, its neighbours not
    heading: bool = False  # its line is a heading in capitals (see candidates.capitals_line)
    # the one word of such a line in title case (see casing.title_among_capitals)
    title_in_capitals: bool = False
    in_name: bool = False  # in title case beside another such word (see casing.in_name_runs)
    # first on the first line under a heading in capitals (blank lines between), no
    # heading itself: it opens a sentence (`KẾ HOẠCH` / `Về việc`)
    opens: bool = False
    prev: Slot | None = None  # the slot before in the stream, decided before this one
    choice: int = -1  # the decoded output id
    surface: str | None = None  # ... and the word written for it
    ids: np.ndarray | None = None  # candidate out ids
    lm_ids: np.ndarray | None = None
    static: np.ndarray | None = None  # channel + network score per candidate
    # per candidate, its local posterior on the chosen path (decoding.py); only where the
    # choice is not sure: the runners-up offered for review
    posteriors: np.ndarray | None = None


def build_streams(
    toks: list[list[Token]],
    confidences: list[list[float] | None] | None,
    edges: list[tuple[int, int]],
    split: Callable[[str, str], tuple[int, ...]] | None = None,
    ocr_text: bool = False,
    accented: bool = False,
    cell_starts: Sequence[frozenset[int]] | None = None,
) -> list[list[Slot]]:
    """Sentences as token streams; context crosses line ends, and blank lines only
    inside a sentence that runs on (`_runs_across`: a page's or column's break), not a
    heading's edges (`heading_breaks`), nor the tab between a table row's cells
    (`cell_starts`: per line, the indices of tokens that open a cell after the first,
    `table_cells`): a cell is read as a text of its own.
    Specks at a line's edges (`edges`: how many at its start and end) are left out.
    `split(core, lead)`, where given, finds where syllables run together in a token
    start (`hợpgiữa`: see merged.py and run_on.py): each is a slot, written back with
    a space.
    `ocr_text`: eng-OCR text, whose apostrophes may stand for spaces; `accented`: text
    whose marks are trustworthy (both for split_glued)."""
    streams: list[list[Slot]] = []
    current: list[Slot] = []
    last: Slot | None = None  # the slot before, also across a cut of a long stream
    under_heading = False  # the last line with words was a heading (`Slot.opens`)
    capitals = [capitals_line(line_toks) for line_toks in toks]
    breaks = heading_breaks(toks, capitals)
    across = _runs_across(toks, capitals)
    for li, line_toks in enumerate(toks):
        if not line_toks and li in across:
            continue
        if not line_toks:
            if current:
                streams.append(current)
                current = []
            last = None
            continue
        confs = confidences[li] if confidences and li < len(confidences) else None
        prev_trail = None  # a line's first word may open a heading or a paragraph
        lead, trail = edges[li]
        lone_caps = lone_capitals(line_toks)
        in_name = in_name_runs(line_toks) if accented else [False] * len(line_toks)
        heading = capitals[li]
        title_caps = title_among_capitals(line_toks) if heading else [False] * len(line_toks)
        opens, under_heading = under_heading and not heading, heading
        if current and li and breaks[li - 1]:
            streams.append(current)
            current = []
        cells = cell_starts[li] if cell_starts else frozenset()
        for ti, t in enumerate(line_toks):
            if ti in cells:
                if current:
                    streams.append(current)
                    current = []
                last, prev_trail = None, None
            if ti < lead or ti >= len(line_toks) - trail:
                continue
            if not t.core:
                prev_trail = None
                continue
            conf = confs[ti] if confs is not None and ti < len(confs) else None
            parts = split_glued(t.core, ocr_gaps=ocr_text, accented=accented)
            mid = mid_sentence(prev_trail, t.lead)
            runs_on = (prev_trail is None and last is not None and not t.lead
                       and _runs_on(last.token))
            prev_trail = t.trail
            cuts = split(t.core, t.lead) if split and len(parts) == 1 else ()
            if cuts:
                bounds = (0, *cuts, len(t.core))
                for offset, end in itertools.pairwise(bounds):
                    after = t.trail if end == len(t.core) else ""
                    sub = Token(t.core_start + offset, "", t.core[offset:end], after)
                    current.append(Slot(li, ti, sub, conf, mid=mid or offset > 0,
                                        runs_on=runs_on and not offset, heading=heading,
                                        prev=last))
                    last = current[-1]
            elif len(parts) == 1:
                if parts[0][1] != t.core:  # a word and its footnote number (`phố1`)
                    t = Token(t.start, t.lead, parts[0][1], t.core[len(parts[0][1]):] + t.trail)
                current.append(Slot(li, ti, t, conf, mid=mid, runs_on=runs_on,
                                    lone_caps=lone_caps[ti], heading=heading, prev=last,
                                    opens=opens, title_in_capitals=title_caps[ti],
                                    in_name=in_name[ti]))
            else:
                for k, (offset, part) in enumerate(parts):
                    end = offset + len(part)
                    nxt = parts[k + 1][0] if k + 1 < len(parts) else len(t.core)
                    sub = Token(t.core_start + offset, "", part, t.core[end:nxt] or t.trail)
                    current.append(Slot(li, ti, sub, conf, heading=heading))
            last = current[-1]
            opens = False
            if ends_sentence(t.trail):
                current[-1].ends = True
                # Sentences are searched side by side (see decoding.py); the LM
                # restarts its context at a sentence start anyway.
                streams.append(current)
                current = []
                last = None
            elif _cut_here(current, ti == len(line_toks) - trail - 1):
                streams.append(current)
                current = []
    if current:
        streams.append(current)
    return streams


def table_cells(line: str, line_toks: Sequence[Token]) -> frozenset[int]:
    """Indices of the tokens a tab precedes: a table row's cells after the first
    (`vnocr.ocr.layout.OcrLine.text` writes a row's cells tab-separated)."""
    if "\t" not in line:
        return frozenset()
    return frozenset(ti for ti in range(1, len(line_toks))
                     if "\t" in line[line_toks[ti - 1].start:line_toks[ti].start])


def merged_cuts(
    merged: MergedWordSplitter, gen: CandidateGenerator, *, regime: str, ocr_text: bool,
    run_on: RunOnSplitter | None = None,
) -> Callable[[str, str], tuple[int, ...]]:
    """`merged_cut` as `build_streams`'s `split(core, lead)`, memoised: text repeats its
    words, and the answer depends on nothing else while `gen`'s weights stay as they
    are (`Restorer._merged_cuts` keeps one memo per weight set). In eng-OCR text every
    token is asked, and a long one is searched for a run-on cut (run_on.py)."""
    cut = partial(merged_cut, merged, gen, regime=regime, ocr_text=ocr_text, run_on=run_on)
    return lru_cache(maxsize=MEMO_SIZE)(cut)


def merged_cut(
    merged: MergedWordSplitter, gen: CandidateGenerator, core: str, lead: str, *,
    regime: str, ocr_text: bool, run_on: RunOnSplitter | None = None,
) -> tuple[int, ...]:
    """Where merged syllables start in `core` after its first (see merged.py, and
    run_on.py for eng-OCR's longer runs); empty when it is no such token. In text with
    trustworthy marks (vie-OCR, typed Vietnamese) and in eng-OCR text; plain text
    typed without marks is as its writer wrote it."""
    if regime == "accented":
        return merged.cuts(core, lead)
    if not ocr_text:
        return ()
    # the cheap, memoised test first: it rejects nearly every token, and the
    # one-syllable reading would otherwise be searched for every token with an empty
    # trail beside its real one (another memo entry)
    cut = merged.split_plain(core)
    if cut is not None:
        return (cut,) if no_single_reading(core, gen) else ()
    return run_on.cuts(core, gen) if run_on is not None else ()


def no_single_reading(core: str, gen: CandidateGenerator) -> bool:
    """No syllable explains the token better than SINGLE_READING (a merged pair
    has none: `thiétké`; debris of one syllable has: `gido` is giáo). Capitals are
    read in small letters: a word in capitals that is no syllable is kept as an
    abbreviation, with no reading at all (`NGUDI` is người too)."""
    found = gen.for_token(core.lower() if core.isupper() else core, "", False)
    readings = found.channel[found.ids != COPY]
    return not len(readings) or float(readings.max()) < SINGLE_READING


def symbol_word(token: Token) -> Token:
    """Symbols that eng-OCR prints for letters join the token's core, to be restored: a
    lone `&` or `@` (its print of ở), a bar glued before or after letters (`|é` for lễ,
    `b|` for bị), an opening bracket glued before small letters that it never closes
    (`[a`, `[an`: là, lần). Other punctuation stays around the core."""
    if not token.core:
        if token.trail or token.lead not in SYMBOL_WORDS:
            return token
        return Token(token.start, "", token.lead, "")
    lead, core, trail = token.lead, token.core, token.trail
    if lead.endswith("|") or (lead.endswith("[") and core[:1].islower()
                              and "]" not in token.trail):
        lead, core = lead[:-1], lead[-1] + core
    if trail.startswith("|") and not trail.startswith("||"):
        core, trail = core + "|", trail[1:]
    return token if core == token.core else Token(token.start, lead, core, trail)


def groups(streams: list[list[Slot]]) -> Iterator[list[list[Slot]]]:
    """Consecutive streams of about GROUP_SLOTS slots in all, decoded one group after
    the other: a slot's network state and candidates take some 3 KB, so a book-length
    text decoded at once took 1.1 GB for 200,000 words. Streams are searched
    independently, so grouping changes no output.

    The first group is small and each next one twice the size, up to GROUP_SLOTS: the
    network scores a group while the one before it is decoded (`vnocr.restore.ahead`),
    but nothing is decoded while the first is scored, and the search takes some three
    times the network's time per token, so a doubling group is always ready in time."""
    group: list[list[Slot]] = []
    size = 0
    limit = FIRST_GROUP_SLOTS
    for stream in streams:
        group.append(stream)
        size += len(stream)
        if size >= limit:
            yield group
            group, size = [], 0
            limit = min(2 * limit, GROUP_SLOTS)
    if group:
        yield group


def _cut_here(stream: list[Slot], line_end: bool) -> bool:
    """Does a long stream without a sentence end (a table, a list, text without full
    stops) stop after its last token? The search takes one step per token of its longest
    stream, all streams at once: one 20,000-word stream took 4x as long as the same
    words in sentences. Cut at a line end once STREAM_CUT tokens are in, anywhere at
    twice that. The next stream's LM context starts as a sentence's does, so cuts are
    rare (no output of the dev sets, in documents of 40 lines, changed)."""
    n = len(stream)
    return n >= 2 * STREAM_CUT or n >= STREAM_CUT and line_end


def _runs_across(toks: list[list[Token]], capitals: list[bool]) -> set[int]:
    """The blank lines inside a sentence: the line with words before them ends on a
    small letter with nothing after it (`_runs_on`), the one after opens with a small
    letter, neither a heading. OCR puts a blank line where a paragraph breaks over a
    page, a column or a footnote block (`định hướng quan` / `trọng để xây dựng`)."""
    found: set[int] = set()
    before: int | None = None  # the last line with words
    blanks: list[int] = []
    for li, line_toks in enumerate(toks):
        if not line_toks:
            blanks.append(li)
            continue
        first = line_toks[0]
        if (blanks and before is not None and not capitals[before] and not capitals[li]
                and _runs_on(toks[before][-1]) and not first.lead and first.core[:1].islower()):
            found.update(blanks)
        before, blanks = li, []
    return found


def _runs_on(last: Token) -> bool:
    """The line whose last token is `last` ends on a small letter, nothing after it."""
    return not last.trail and last.core[-1:].islower()
