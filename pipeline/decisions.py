"""A person's review, replayed: the decisions file the review page exports, applied to
the same input's correction to give the same text the page exported.

The file names each document by the hashes of its input and of the unreviewed output,
and each decision by its place in that output (line, start, end) and the text that was
there, so a replay on a different input, or after the pipeline changed its output, is
refused instead of writing words into the wrong places. Names a person confirmed or
typed are collected for the user dictionary (`vnocr.lexicon.sources.add_user_names`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vnocr.errors import InputError
from vnocr.files import read_text
from vnocr.result import CorrectionResult
from vnocr.review_rows import text_sha256

FORMAT = "vnocr-review-decisions"
VERDICTS = ("accept", "reject", "choose", "edit")


@dataclass(frozen=True, slots=True)
class Decision:
    """What replaces output[line][start:end] (which held `after`): `text`."""

    line: int
    start: int
    end: int
    after: str
    decision: str
    text: str
    name: bool = False


@dataclass(frozen=True, slots=True)
class DocumentDecisions:
    """One reviewed document of a decisions file: what `--decisions` replays on an input.

    The two hashes tie it to the input it was reviewed on and to the output the reviewer
    saw; `decisions_for` picks it by the first and refuses it unless the second matches.
    """

    label: str
    input_sha256: str
    output_sha256: str
    decisions: tuple[Decision, ...]


def _decision(raw: Any, where: str) -> Decision:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: a decision must be an object")
    try:
        d = Decision(int(raw["line"]), int(raw["start"]), int(raw["end"]), str(raw["after"]),
                     str(raw["decision"]), str(raw["text"]), bool(raw.get("name", False)))
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(f"{where}: bad or missing field ({e})") from None
    if d.decision not in VERDICTS:
        raise InputError(f"{where}: unknown decision {d.decision!r}")
    if "\n" in d.text or d.start < 0 or d.end < d.start or d.line < 0:
        raise InputError(f"{where}: a decision must stay inside one line")
    return d


def parse_decisions(text: str, source: str = "decisions") -> list[DocumentDecisions]:
    """The documents of a decisions file (as `review.js` writes it)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{source}: not JSON ({e})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"{source}: not a vnocr decisions file (format {FORMAT!r})")
    docs = []
    for i, doc in enumerate(data.get("documents") or []):
        where = f"{source}: document {i + 1}"
        if not isinstance(doc, dict) or not isinstance(doc.get("decisions", []), list):
            raise InputError(f"{where}: malformed")
        decisions = tuple(_decision(d, f"{where}, decision {k + 1}")
                          for k, d in enumerate(doc.get("decisions", [])))
        docs.append(DocumentDecisions(str(doc.get("label") or ""), str(doc.get("input_sha256")),
                                      str(doc.get("output_sha256")), decisions))
    return docs


def read_decisions(path: Path) -> list[DocumentDecisions]:
    """The decisions file a review page exported (`--decisions`); a bad one raises
    `InputError` naming the file."""
    return parse_decisions(read_text(path, label="decisions"), str(path))


def decisions_for(result: CorrectionResult, docs: list[DocumentDecisions],
                  source: str = "input") -> DocumentDecisions:
    """The document of `docs` reviewed on this input; refused when there is none, or
    when the pipeline's output is not the one that was reviewed."""
    sha = text_sha256(result.input_text)
    doc = next((d for d in docs if d.input_sha256 == sha), None)
    if doc is None:
        raise InputError(f"{source}: the decisions file has no review of this input")
    if doc.output_sha256 != text_sha256(result.text):
        raise InputError(f"{source}: the correction differs from the one reviewed "
                         "(other options, dictionaries or model?); decisions not applied")
    return doc


def apply_decisions(result: CorrectionResult, doc: DocumentDecisions) -> str:
    """The output text with every decision applied (right to left in each line)."""
    lines = result.text.split("\n")
    by_line: dict[int, list[Decision]] = {}
    for d in doc.decisions:
        by_line.setdefault(d.line, []).append(d)
    for li, ds in by_line.items():
        line = lines[li] if li < len(lines) else None
        last = None
        for d in sorted(ds, key=lambda d: -d.start):
            if line is None or line[d.start : d.end] != d.after or (
                    last is not None and d.end > last):
                raise InputError(f"decision at line {li + 1}, column {d.start + 1}: "
                                 f"{d.after!r} is not there in the reviewed output")
            line = line[: d.start] + d.text + line[d.end :]
            last = d.start
        lines[li] = line
    return "\n".join(lines)


def reviewed_text(result: CorrectionResult, docs: list[DocumentDecisions],
                  source: str = "input") -> str:
    """The text a reviewer exported for this input's correction: its document of
    `docs`, applied (refused as `decisions_for` says)."""
    return apply_decisions(result, decisions_for(result, docs, source))


def learned_names(docs: list[DocumentDecisions]) -> list[str]:
    """Names people confirmed or typed, once each, in order of appearance."""
    seen: dict[str, None] = {}
    for doc in docs:
        for d in doc.decisions:
            if d.name and d.decision != "reject" and any(c.isalpha() for c in d.text):
                seen.setdefault(" ".join(d.text.split()), None)
    return list(seen)


__all__ = [
    "Decision",
    "DocumentDecisions",
    "apply_decisions",
    "decisions_for",
    "learned_names",
    "parse_decisions",
    "read_decisions",
    "reviewed_text",
]
