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

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @classmethod
    def concat(cls, parts: Sequence[CorrectionResult]) -> CorrectionResult:
        """The results of consecutive pieces of one text (`vnocr.text_stream`) as one,
        each change's line counted in the whole text."""
        changes: list[Change] = []
        offset = 0
        for part in parts:
            changes += [replace(c, line=c.line + offset) for c in part.changes]
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
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "changes": [c.as_dict() for c in self.changes],
        }


def _per_line(result: CorrectionResult, given: tuple, fill: Any) -> tuple:
    """`given` (a per-line field of `result`) with one entry per input line, `fill`
    where it has none."""
    n = result.input_text.count("\n") + 1
    return tuple(given[k] if k < len(given) else fill for k in range(n))
