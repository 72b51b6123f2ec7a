"""Per-document name memory: a name the document repeats is read one way throughout.

The restorer and the dictionary pass read each line on its own, so a local name in no
list (a hamlet, a person: `Trần Thảo`, `Kim Chi`) that the document repeats with
different OCR noise can come out with different marks in different lines. After both
passes, the document's runs of capitalised syllables (and their pieces of two or more
syllables) are grouped by their letters without marks. Where one reading of a group is
clearly best supported — the restorer's confidence in each occurrence summed, a name
the dictionary wrote or knows counting as sure — the doubtful occurrences (read with
low confidence, never one the dictionary wrote) take it. One syllable alone is no name
here: capitals of a sentence's first word and common words share keys too often
(`Văn`/`Vân`, `Chi`/`Chỉ` on every dev set).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Sequence
from dataclasses import dataclass

from vnocr.lexicon.spans import apply_name_case, is_heading, joins, letters_case, sentence_starts
from vnocr.result import Change
from vnocr.text import (
    Token,
    closes_sentence,
    has_syllable_shape,
    lower_old,
    span_key,
    tokenize,
)

MIN_TOKENS = 2  # a name is a run of at least this many capitalised syllables
DOUBTFUL = 0.6  # restorer confidence below which an occurrence's reading may yield
MARGIN = 2.0  # the winning reading's support over all the other readings' together
MIN_SUPPORTERS = 2  # occurrences (or a gazetteer entry) backing the winner
SURE = 1.0  # the support of an occurrence the dictionary wrote, and of a known name


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Tokens first..first+len(tokens)-1 of a line, as the text now reads them."""

    line: int
    first: int
    tokens: tuple[Token, ...]
    reading: str  # lowercase, old tone style: readings compare whatever the style
    confidence: float  # the restorer's least confident token; SURE where the dictionary wrote it
    sure: bool  # written by the dictionary pass: never rewritten

    @property
    def key(self) -> str:
        return span_key(self.reading)


def remember_names(
    input_lines: Sequence[str], lines: Sequence[str],
    token_confidences: Sequence[Sequence[float]], changes: Sequence[Change], *,
    known: Container[str] = frozenset(),
) -> tuple[list[str], list[Change]]:
    """`lines` (token-aligned with `input_lines`) with each doubtful occurrence of a
    repeated name in the document's best-supported reading, and `changes` plus one
    `Change` per rewritten occurrence (offsets in `input_lines`). `token_confidences`:
    the restorer's, per line and token; `changes`: the dictionary pass's, whose names
    count as sure; `known`: lowercase old-style names (the gazetteer's)."""
    written = {(c.line, c.token + k) for c in changes for k in range(c.ntokens)}
    occurrences = name_occurrences(lines, token_confidences, written)
    winners = best_readings(occurrences, known)
    out = list(lines)
    new_changes: list[Change] = []
    rewritten: set[tuple[int, int]] = set()
    # longest first: a whole name decides before its pieces do
    for occ in sorted(occurrences, key=lambda o: (-len(o.tokens), o.line, o.first)):
        winner = winners.get(occ.key)
        cover = {(occ.line, occ.first + k) for k in range(len(occ.tokens))}
        if (winner is None or winner.reading == occ.reading or occ.sure
                or occ.confidence >= DOUBTFUL or cover & rewritten):
            continue
        change = _rewrite(occ, winner, input_lines[occ.line], out[occ.line])
        if change is None:
            continue
        out[occ.line] = _written(out[occ.line], occ, change.after)
        new_changes.append(change)
        rewritten |= cover
    merged = sorted([*changes, *new_changes], key=lambda c: (c.line, c.token))
    return out, merged


def name_occurrences(
    lines: Sequence[str], token_confidences: Sequence[Sequence[float]],
    written: Container[tuple[int, int]] = frozenset(),
) -> list[Occurrence]:
    """Every run of MIN_TOKENS or more capitalised syllables joined without punctuation
    (a sentence's first capital left out) and every piece of it of MIN_TOKENS or more,
    outside headings (in capitals, case says nothing). `written`: (line, token) pairs
    the dictionary wrote."""
    found: list[Occurrence] = []
    line_starts = True
    for li, line in enumerate(lines):
        toks = tokenize(line)
        confs = token_confidences[li] if li < len(token_confidences) else ()
        starts = sentence_starts(toks, line_starts)
        if line.strip():
            line_starts = closes_sentence(line)
        if len(confs) != len(toks) or is_heading(toks):
            continue
        for first, last in _runs(toks, starts):
            for i in range(first, last + 1):
                for j in range(i + MIN_TOKENS - 1, last + 1):
                    sure = all((li, k) in written for k in range(i, j + 1))
                    piece = tuple(toks[i : j + 1])
                    found.append(Occurrence(
                        li, i, piece, lower_old(" ".join(t.core for t in piece)),
                        SURE if sure else min(confs[i : j + 1]),
                        any((li, k) in written for k in range(i, j + 1)),
                    ))
    return found


def best_readings(
    occurrences: Sequence[Occurrence], known: Container[str] = frozenset()
) -> dict[str, Occurrence]:
    """Per key with more than one reading, an occurrence of the reading that wins
    clearly: support (summed confidence, SURE more for a known name) at least MARGIN
    times the others' together, from at least MIN_SUPPORTERS occurrences or names."""
    by_key: dict[str, dict[str, list[Occurrence]]] = defaultdict(lambda: defaultdict(list))
    for occ in occurrences:
        by_key[occ.key][occ.reading].append(occ)
    winners: dict[str, Occurrence] = {}
    for key, readings in by_key.items():
        if len(readings) < 2:
            continue
        support = {r: sum(o.confidence for o in occs) + (SURE if r in known else 0.0)
                   for r, occs in readings.items()}
        best = max(support, key=lambda r: (support[r], r))
        others = sum(support.values()) - support[best]
        backers = len(readings[best]) + (best in known)
        if support[best] >= MARGIN * others and backers >= MIN_SUPPORTERS:
            winners[key] = max(readings[best], key=lambda o: o.confidence)
    return winners


def _runs(toks: list[Token], starts: list[bool]) -> list[tuple[int, int]]:
    """(first, last) token of each run of MIN_TOKENS or more capitalised syllables."""
    runs = []
    k = 0
    while k < len(toks):
        if not _capitalised(toks[k]):
            k += 1
            continue
        last = k
        while (last + 1 < len(toks) and _capitalised(toks[last + 1])
               and not starts[last + 1] and joins(toks[last], toks[last + 1])):
            last += 1
        first = k + 1 if starts[k] else k  # every sentence's first word has a capital
        if last - first + 1 >= MIN_TOKENS:
            runs.append((first, last))
        k = last + 1
    return runs


def _capitalised(tok: Token) -> bool:
    return letters_case(tok.core) == "title" and has_syllable_shape(tok.core)


def _rewrite(occ: Occurrence, winner: Occurrence, inp: str, line: str) -> Change | None:
    """The change that writes `winner`'s reading over `occ`, each word in its own case;
    None where the input's tokens do not line up with the text's."""
    in_toks = tokenize(inp)
    if len(in_toks) != len(tokenize(line)):
        return None
    words = [apply_name_case(w.core, letters_case(t.core))
             for w, t in zip(winner.tokens, occ.tokens)]
    after = _spaced(line, occ, words)
    first, last = in_toks[occ.first], in_toks[occ.first + len(occ.tokens) - 1]
    start, end = first.core_start, last.core_start + len(last.core)
    before_text = line[occ.tokens[0].core_start : occ.tokens[-1].core_start + len(occ.tokens[-1].core)]
    if len(after) != len(before_text):
        return None  # same letters, other marks: the same length in NFC, else no rewrite
    return Change(
        line=occ.line, token=occ.first, start=start, end=end, before=inp[start:end],
        after=after, confidence=winner.confidence, stage="dictionary",
        ntokens=len(occ.tokens),
        extra={"source": "document", "restored": before_text},
    )


def _spaced(line: str, occ: Occurrence, words: list[str]) -> str:
    """The new words with the spacing the line had between the old ones."""
    after = words[0]
    for a, b, word in zip(occ.tokens, occ.tokens[1:], words[1:]):
        after += line[a.core_start + len(a.core) : b.core_start] + word
    return after


def _written(line: str, occ: Occurrence, after: str) -> str:
    start = occ.tokens[0].core_start
    end = occ.tokens[-1].core_start + len(occ.tokens[-1].core)
    return line[:start] + after + line[end:]
