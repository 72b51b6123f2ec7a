"""Result objects that stages hand to each other and to users (frozen, NFC text)."""

from __future__ import annotations

from dataclasses import dataclass, field
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

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "changes": [c.as_dict() for c in self.changes],
        }
