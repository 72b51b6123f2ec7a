"""Result objects that stages hand to each other and to users (frozen, NFC text)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Change:
    """One replaced token span: where, what was there, what is there now, and who did it.

    `line` and `token` index the input; `start`/`end` are character offsets in the
    input line; `ntokens` tokens were replaced by as many output tokens.
    """

    line: int
    token: int
    start: int
    end: int
    before: str
    after: str
    confidence: float
    stage: str  # "model" or "dictionary"
    ntokens: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        d = {
            "line": self.line,
            "token": self.token,
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
            "confidence": round(self.confidence, 4),
            "stage": self.stage,
        }
        if self.ntokens != 1:
            d["ntokens"] = self.ntokens
        d.update(self.extra)
        return d


@dataclass(frozen=True, slots=True)
class KeptWord:
    """A word the restorer kept as written although it was not sure of it: the
    next-best readings it weighed, with their posteriors, best first. Not a `Change`
    (nothing changed); the review page offers them where it doubts the word.

    `line`, `token`, `start` and `end` index the input, as a `Change`'s do."""

    line: int
    token: int
    start: int
    end: int
    word: str
    # the restorer's posterior of its choice (as in `CorrectionResult.confidences`): of
    # keeping the word, or of the reading `min_confidence` turned down, listed first
    confidence: float
    alternatives: tuple[tuple[str, float], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "token": self.token,
            "start": self.start,
            "end": self.end,
            "word": self.word,
            "confidence": round(self.confidence, 4),
            "alternatives": [list(a) for a in self.alternatives],
        }


@dataclass(frozen=True, slots=True)
class CorrectionResult:
    """Corrected text, line for line with the input, and every change made."""

    text: str
    input_text: str
    changes: tuple[Change, ...] = ()
    # Per output line, per token: the confidence of the chosen output.
    confidences: tuple[tuple[float, ...], ...] = ()
    # Per input line, per token: the OCR's word confidence (0..1), None for a line
    # without; empty when the input came with none (typed text). The review page flags
    # kept words the OCR doubted.
    ocr_confidences: tuple[tuple[float, ...] | None, ...] = ()
    # Per input line: the text's kind as restoration decided it for the piece the line
    # was in ("plain", "eng_ocr" or "accented", see `TextFacts.kind`); empty without
    # restoration. The review page calibrates its shown confidence per kind.
    regimes: tuple[str, ...] = ()
    # Words kept as written whose posterior was below the search's "sure" threshold,
    # with the restorer's next-best readings (see `KeptWord`); none where a later stage
    # changed the word.
    kept_alternatives: tuple[KeptWord, ...] = ()

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @classmethod
    def concat(cls, parts: Sequence[CorrectionResult]) -> CorrectionResult:
        """The results of consecutive pieces of one text (`vnocr.text_stream`) as one,
        each change's line counted in the whole text."""
        changes: list[Change] = []
        kept: list[KeptWord] = []
        offset = 0
        for part in parts:
            changes += [replace(c, line=c.line + offset) for c in part.changes]
            kept += [replace(k, line=k.line + offset) for k in part.kept_alternatives]
            offset += part.input_text.count("\n") + 1
        return cls(
            text="\n".join(p.text for p in parts),
            input_text="\n".join(p.input_text for p in parts),
            changes=tuple(changes),
            confidences=tuple(c for p in parts for c in p.confidences),
            ocr_confidences=(
                tuple(c for p in parts for c in _per_line(p, p.ocr_confidences, None))
                if any(p.ocr_confidences for p in parts) else ()),
            regimes=(
                tuple(r for p in parts for r in _per_line(p, p.regimes, ""))
                if any(p.regimes for p in parts) else ()),
            kept_alternatives=tuple(kept),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "changes": [c.as_dict() for c in self.changes],
            "kept_alternatives": [k.as_dict() for k in self.kept_alternatives],
        }


def _per_line(result: CorrectionResult, given: tuple, fill: Any) -> tuple:
    """`given` (a per-line field of `result`) with one entry per input line, `fill`
    where it has none."""
    n = result.input_text.count("\n") + 1
    return tuple(given[k] if k < len(given) else fill for k in range(n))
