"""The review page's shown confidence and its doubt thresholds, per kind of text.

The restorer's raw confidence is a local posterior of the decoder: on stripped text a
change at 0.95 is right 99 times in 100, on vie-OCR text four times in five (dev sets).
The page shows instead the share of such changes that were right, as far as the
number of them seen supports it (`lower_bound`): a monotone (isotonic) step function of
the raw confidence, fitted per text kind
(`CorrectionResult.regimes`), stage and OCR word confidence on the fit half of the dev
sets by `scripts/review_calibration.py`, which also chooses, per kind, the thresholds
under which a kept word is doubtful, from every document of the dev sets: the fewest
words highlighted at which each dev set of the kind has a share of its errors left
highlighted whose lower bound across documents (`clustered_lower_bound`) reaches the
target. Both ship in `calibration.json`; nothing is fitted at run time. A kind or
stage the table lacks shows the raw confidence and the defaults passed in.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

TABLE_NAME = "calibration.json"
KEPT = "kept"  # the stage key of words the pipeline kept (their restorer's confidence)
# The OCR word confidence that parts "sure" from "unsure" input words in the table's keys.
OCR_SURE = 0.9
# The shown confidence is the share right a block of the fit half supports at 95 %
# (one-sided), not its share as seen (`lower_bound`).
BOUND_Z = 1.645


@dataclass(frozen=True, slots=True)
class Step:
    """A non-decreasing step function: `values[k]` from `starts[k]` on (and below
    `starts[0]`, `values[0]`)."""

    starts: tuple[float, ...]
    values: tuple[float, ...]

    def __call__(self, x: float) -> float:
        if not math.isfinite(x):
            return x
        return self.values[max(bisect.bisect_right(self.starts, x) - 1, 0)]

    def as_dict(self) -> dict[str, list[float]]:
        return {"starts": [round(s, 6) for s in self.starts],
                "values": [round(v, 4) for v in self.values]}


def isotonic_step(
    x: Sequence[float], y: Sequence[float], *, prior: float = 10.0, z: float = BOUND_Z
) -> Step:
    """The least-squares non-decreasing fit of `y` (0/1: right or not) on `x`
    (pool-adjacent-violators), each block's share pulled towards the overall one by
    `prior` pseudo-observations, so that a small block of lucky changes does not show
    1.0 (on vie-OCR text blocks of ten changes fitted at 0.91 were right 60-83 % of the
    time on the other half of the dev sets), then lowered to the share its size
    supports (`lower_bound` at `z`); pooled once more after each step to stay
    monotone."""
    order = sorted(range(len(x)), key=lambda i: x[i])
    xs = [float(x[i]) for i in order]
    blocks = _pool([(float(y[i]), 1.0, xs[k]) for k, i in enumerate(order)])
    overall = sum(y) / max(len(y), 1)
    pulled = _pool([((v * w + prior * overall) / (w + prior), w, s) for v, w, s in blocks])
    final = _pool([(lower_bound(v, w, z=z), w, s) for v, w, s in pulled])
    return Step(tuple(s for _, _, s in final), tuple(v for v, _, _ in final))


def lower_bound(share: float, n: float, *, z: float = BOUND_Z) -> float:
    """Wilson's lower confidence bound on a share right seen as `share` of `n` changes:
    what a block can claim at the confidence `z` stands for (1.645: 95 %, one-sided).
    A block of thousands keeps its share (eng-OCR, stripped text). The top block of
    vie-OCR changes to words the OCR doubted (77 at a raw >= 0.96, 74 right on the fit
    half, 0.93 once pulled) shows 0.86: whether it reached 0.9 was the luck of the
    split (fitted on the other half it fell under 0.9), and the 52 changes it had shown
    at 0.93 on the report half were 96 % right, short of what a reviewer reads into
    >= 0.9. `z` = 0: the share itself."""
    if z <= 0 or n <= 0:
        return share
    z2 = z * z / n
    spread = z * math.sqrt(share * (1.0 - share) / n + z2 / (4 * n))
    return max(0.0, (share + z2 / 2 - spread) / (1 + z2))


def clustered_lower_bound(
    caught: Sequence[float], errors: Sequence[float], *, z: float = BOUND_Z
) -> float:
    """The share `sum(caught) / sum(errors)` less `z` standard errors, the documents
    (one `caught`, `errors` pair each) being the sampled units: errors come in clusters
    (one photocopy of the dev sets holds 96 of its half's 231 errors left), so a share
    of errors varies from one set of documents to another far more than a count of
    independent errors would say. A ratio estimate's variance across documents; one
    document (no spread to measure) or `z` = 0: the share itself; no errors: 1."""
    total = float(sum(errors))
    if total <= 0:
        return 1.0
    share = float(sum(caught)) / total
    n = len(errors)
    if z <= 0 or n < 2:
        return share
    spread = sum((c - share * e) ** 2 for c, e in zip(caught, errors)) * n / (n - 1)
    return share - z * math.sqrt(spread) / total


def _pool(points: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Pool adjacent violators of (value, weight, start) in start order: merge any block
    whose value falls below its predecessor's, and points of equal start."""
    out: list[list[float]] = []
    for v, w, s in points:
        out.append([v, w, s])
        while len(out) > 1 and (out[-2][0] >= out[-1][0] or out[-2][2] == out[-1][2]):
            v2, w2, _ = out.pop()
            v1, w1, s1 = out[-1]
            out[-1] = [(v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, s1]
    return [(v, w, s) for v, w, s in out]


def change_key(kind: str, stage: str, ocr: float | None, raw: float) -> str:
    """The table's key of a change (or of a kept word, stage KEPT): kind/stage/band, the
    band "certain" for a change whose raw confidence is 1 (a rule decided, or the search
    had one candidate: no posterior; on eng-OCR dev text 79 % of such model changes are
    right, 99.5 % of those at 0.999), else the OCR's: "sure", "unsure" or "none"."""
    if raw >= 1.0 and stage != KEPT:
        band = "certain"
    else:
        band = "none" if ocr is None else ("sure" if ocr >= OCR_SURE else "unsure")
    return f"{kind}/{stage}/{band}"


def fallback_keys(kind: str, stage: str) -> tuple[str, str]:
    """The keys a change falls back on where its own has too few samples to fit."""
    return f"{kind}/{stage}/any", f"any/{stage}/any"


@dataclass(frozen=True, slots=True)
class Calibration:
    """The shipped table: a `Step` per change key, and per kind the thresholds under
    which a kept word is doubtful (the restorer's confidence, the OCR's)."""

    changes: dict[str, Step]
    kept_low: dict[str, float]
    ocr_doubt: dict[str, float]

    def shown(self, raw: float, *, kind: str, stage: str, ocr: float | None) -> float:
        """The confidence the page shows for a change: the fitted share right of its
        key, else of its kind and stage whatever the OCR said, else of its stage in any
        kind of text (`fallback_keys`), else `raw`; `raw` too where the kind is not known
        (no restoration ran, or a result built by hand)."""
        if not kind:
            return raw
        for key in (change_key(kind, stage, ocr, raw), *fallback_keys(kind, stage)):
            step = self.changes.get(key)
            if step is not None:
                return step(raw)
        return raw

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Calibration:
        return cls(
            {k: Step(tuple(v["starts"]), tuple(v["values"])) for k, v in d["changes"].items()},
            dict(d.get("kept_low", {})),
            dict(d.get("ocr_doubt", {})),
        )

    def as_dict(self) -> dict[str, Any]:
        return {"changes": {k: s.as_dict() for k, s in sorted(self.changes.items())},
                "kept_low": self.kept_low, "ocr_doubt": self.ocr_doubt}


EMPTY = Calibration({}, {}, {})


@cache
def shipped() -> Calibration:
    """The package's table (EMPTY where it is missing: raw confidences shown)."""
    path = resources.files("vnocr") / TABLE_NAME
    if not path.is_file():
        return EMPTY
    return Calibration.from_dict(json.loads(path.read_text(encoding="utf-8")))


__all__ = ["BOUND_Z", "EMPTY", "KEPT", "OCR_SURE", "TABLE_NAME", "Calibration", "Step",
           "change_key", "clustered_lower_bound", "fallback_keys", "isotonic_step",
           "lower_bound", "shipped"]
