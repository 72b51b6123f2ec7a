"""The document that flows through the correction stages, built once from the input.

Each stage takes a `Document` and returns a new one (`doc = stage(doc)`, as spaCy's
components do): restoration (`Restorer.restore_document`) and the dictionary pass
(`Pipeline` glues it to the gazetteer). What a stage decides about the whole text is
decided once, by that stage, and recorded here for the stages after it.

Some facts look alike but are different facts, decided on different text with
different evidence, and are kept apart under names that say which:

* `TextFacts.eng_ocr` (restoration): plain-regime input whose words show eng-OCR debris
  in ≥ 6 % of ≥ 20 words, judged against the model's syllables; it switches decoding
  rules (symbols read as letters, merged syllables, OCR capitals).
  `Document.ocr_debris` (dictionary pass): debris in ≥ 2 % and ≥ 2 of the speck-cut
  input's words, judged against the gazetteer's syllables, whatever the regime; it
  decides whether an unknown unmarked word is debris or foreign.
* `TextFacts.tone_style` (restoration): the convention restored words are written in,
  the input's where its marks are trustworthy. `Document.names_tone_style` (dictionary
  pass): the convention the restored text follows, which repaired names follow.

On the dev sets in documents of 40 lines the two OCR facts disagree on 67 of 502
documents (the dictionary's counts typed, stripped and vie-OCR text with a few debris
words), the two tone styles on 12: made one, either would change outputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from vnocr.result import Change, CorrectionResult, KeptWord
from vnocr.text import Token, ToneStyle, nfc, tokenize

if TYPE_CHECKING:
    from vnocr.restore.assembly import RestoredLine

Confidences = Sequence[Sequence[float] | None] | None


@dataclass(frozen=True, slots=True)
class TextFacts:
    """What restoration decided about the whole input, before decoding it."""

    regime: str  # "accented": marks trustworthy; "plain": absent or unreliable
    eng_ocr: bool  # plain text showing eng-OCR debris (`regime.looks_like_ocr`), not typed
    tone_style: ToneStyle  # the convention restored words are written in
    damaged: bool  # accented or eng-OCR text on a page whose OCR doubts mark misreads

    @property
    def kind(self) -> str:
        """"accented" (vie-OCR, typed Vietnamese), "eng_ocr" or "plain" (stripped,
        partly typed): the kinds whose confidences the review page calibrates apart."""
        return "eng_ocr" if self.eng_ocr else self.regime


@dataclass(frozen=True, slots=True)
class Document:
    """The input (lines, their tokens, OCR word confidences), the text as the stages so
    far left it, and what they decided and changed."""

    lines: tuple[str, ...]
    tokens: tuple[tuple[Token, ...], ...]  # `vnocr.text.tokenize` of each input line
    confidences: Confidences = None  # per line, per token, 0..1 (from OCR), as given
    text: tuple[str, ...] = ()  # the current text, line for line with `lines`
    # The input token-aligned with `text` (specks that restoration cut are left out),
    # and per line the cuts: (where in `aligned_input`, characters, tokens of the input)
    # of each (empty: nothing cut).
    aligned_input: tuple[str, ...] = ()
    aligned_tokens: tuple[tuple[Token, ...], ...] = ()  # `tokenize` of each `aligned_input`
    cuts: tuple[tuple[tuple[int, int, int], ...], ...] = ()
    changes: tuple[Change, ...] = ()
    kept_alternatives: tuple[KeptWord, ...] = ()  # words kept, with the restorer's doubts
    token_confidences: tuple[tuple[float, ...], ...] = ()  # per line: the chosen outputs'
    facts: TextFacts | None = None  # decided by restoration
    ocr_debris: bool | None = None  # decided by the dictionary pass
    names_tone_style: ToneStyle | None = None  # ... also

    @classmethod
    def from_lines(cls, lines: Sequence[str], confidences: Confidences = None) -> Document:
        """The document before any stage: its text is its input."""
        lines = tuple(lines)
        tokens = tuple(tuple(tokenize(line)) for line in lines)
        return cls(lines, tokens, confidences, text=lines, aligned_input=lines,
                   aligned_tokens=tokens, cuts=((),) * len(lines))

    def restored(self, restored: Sequence[RestoredLine], facts: TextFacts) -> Document:
        """The document after restoration: its lines, changes and confidences, and the
        input without the specks it cut (tokenised again only where specks were cut: a
        line is tokenised once for every stage)."""
        aligned = tuple(r.aligned_input if r.aligned_input is not None else line
                        for r, line in zip(restored, self.lines))
        aligned_tokens = tuple(
            tuple(tokenize(r.aligned_input)) if r.aligned_input is not None else tokens
            for r, tokens in zip(restored, self.tokens))
        return replace(
            self,
            text=tuple(r.text for r in restored),
            aligned_input=aligned,
            aligned_tokens=aligned_tokens,
            cuts=tuple(r.cuts for r in restored),
            changes=self.changes + tuple(c for r in restored for c in r.changes),
            kept_alternatives=tuple(k for r in restored for k in r.kept),
            token_confidences=tuple(tuple(r.confidences) for r in restored),
            facts=facts,
        )

    def names_fixed(
        self, text: Sequence[str], changes: Sequence[Change], *, ocr_debris: bool,
        tone_style: ToneStyle,
    ) -> Document:
        """The document after the dictionary pass: `changes` are offsets in
        `aligned_input`, placed back in the input here, and supersede earlier changes
        on the tokens they cover (a word kept by restoration and named here is kept no
        more)."""
        placed = [_shift(c, self.cuts[c.line], self.lines[c.line]) if self.cuts[c.line] else c
                  for c in changes]
        covered = {(c.line, c.token + k) for c in placed for k in range(c.ntokens)}
        kept = [c for c in self.changes if (c.line, c.token) not in covered]
        return replace(
            self,
            text=tuple(text),
            changes=tuple(sorted(kept + placed, key=lambda c: (c.line, c.token))),
            kept_alternatives=tuple(k for k in self.kept_alternatives
                                    if (k.line, k.token) not in covered),
            ocr_debris=ocr_debris,
            names_tone_style=tone_style,
        )

    def result(self) -> CorrectionResult:
        """What users get: the text, line for line with the input, and every change.
        NFC at this exit: a mark the input stacked on a restored letter (`ộ́`) would
        otherwise stay a separate combining character."""
        return CorrectionResult(
            text=nfc("\n".join(self.text)),
            input_text="\n".join(self.lines),
            changes=self.changes,
            confidences=self.token_confidences,
            ocr_confidences=tuple(
                tuple(c) if c is not None else None for c in self.confidences
            ) if self.confidences else (),
            regimes=(self.facts.kind,) * len(self.lines) if self.facts is not None else (),
            kept_alternatives=self.kept_alternatives,
        )


def _shift(change: Change, cuts: tuple[tuple[int, int, int], ...], line: str) -> Change:
    """A change found on a line whose specks were cut (`cuts`), placed in the input
    `line`: moved by the characters and tokens of every cut before it, and widened over
    any cut inside it (a name read across a speck between its words)."""
    start, end, token, ntokens = change.start, change.end, change.token, change.ntokens
    for at, chars, tokens in cuts:
        if at <= change.start:
            start, end, token = start + chars, end + chars, token + tokens
        elif at < change.end:
            end, ntokens = end + chars, ntokens + tokens
    if ntokens == change.ntokens:
        return replace(change, start=start, end=end, token=token)
    return replace(change, start=start, end=end, token=token, ntokens=ntokens,
                   before=line[start:end])
