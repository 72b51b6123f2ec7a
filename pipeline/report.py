"""Self-contained HTML pages: the review page of corrections, and the eval report.

Computing and rendering are apart (dinglehopper): callers hand over finished
`CorrectionResult`s or the dict of `EvalReport.as_dict(with_text=True)`; this module
only lays them out, with the templates, style and script in `vnocr/templates/`. Jinja2 with autoescaping writes every user-derived string, so OCR
text such as `<script>` shows as text; no data is embedded in the script (it reads the
DOM), and a Content-Security-Policy forbids any external fetch. The page works without
JavaScript; the script adds navigation and filters.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from vnocr.files import write_output
from vnocr.result import Change, CorrectionResult
from vnocr.text import tokenize

# Confidence bands: colour classes of the page and the default "low" threshold.
HIGH = 0.9
LOW = 0.6


def band(confidence: float) -> str:
    """`high`, `mid` or `low`; NaN counts as low (nothing vouches for the change)."""
    if not math.isfinite(confidence) or confidence < LOW:
        return "low"
    return "high" if confidence >= HIGH else "mid"


@dataclass(frozen=True, slots=True)
class Seg:
    """A piece of a rendered line: plain text, or a change (`cid` names it in the page)."""

    text: str
    change: Change | None = None
    cid: str = ""
    unplaced: bool = False
    unrecorded: bool = False  # differs from the input, but no Change accounts for it
    unsure: float | None = None  # kept as it was, with this (low) confidence


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
    line: str, spans: list[tuple[int, int] | None], changes: list[Change], cids: list[str]
) -> tuple[list[Seg], list[Seg]]:
    """Cut `line` at the spans; overlapping or unplaceable changes come back apart."""
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
        segs.append(Seg(line[s:e], changes[i], cids[i]))
        used.add(i)
        pos = e
    if pos < len(line):
        segs.append(Seg(line[pos:]))
    for i, c in enumerate(changes):
        if i not in used:
            rest.append(Seg(c.after, c, cids[i], True))
    return segs, rest


def _annotate(
    in_line: str, out_line: str, segs: list[Seg], confs: Sequence[float] | None = None
) -> list[Seg]:
    """Mark output tokens no Change covers: changed anyway, or kept with low confidence.

    A safety net for review: whatever a stage forgot to record still stands out, and so
    does a token the model kept while unsure of it. Differences are looked for only when
    both lines have as many tokens (the pipeline keeps them aligned); confidences only
    when there is one per output token.
    """
    tb = tokenize(out_line)
    ta = tokenize(in_line) if in_line != out_line else tb
    same_count = len(ta) == len(tb)
    if confs is not None and len(confs) != len(tb):
        confs = None
    if (in_line == out_line or not same_count) and confs is None:
        return segs
    covered, pos = [], 0
    for seg in segs:
        if seg.change is not None:
            covered.append((pos, pos + len(seg.text)))
        pos += len(seg.text)
    # A token a change touches is accounted for (its quotes and commas stay as they were).
    marks: list[tuple[int, int, str, float]] = []
    for i, y in enumerate(tb):
        s, e = y.start, y.start + len(y.text)
        if any(s < ce and cs < e for cs, ce in covered):
            continue
        if same_count and ta[i].text != y.text:
            marks.append((s, e, "unrecorded", math.nan))
        elif confs is not None and not confs[i] >= LOW and y.core:
            marks.append((s + len(y.lead), s + len(y.lead) + len(y.core), "unsure", confs[i]))
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
        for s, e, kind, conf in marks:
            s, e = max(s, cur), min(e, end)
            if s >= e:
                continue
            if s > cur:
                out.append(Seg(out_line[cur:s]))
            if kind == "unrecorded":
                out.append(Seg(out_line[s:e], unrecorded=True))
            else:
                out.append(Seg(out_line[s:e], unsure=conf))
            cur = e
        if cur < end:
            out.append(Seg(out_line[cur:end]))
        pos = end
    return out


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    before: list[Seg]
    after: list[Seg]
    unplaced: list[Seg]
    changed: bool


@dataclass(frozen=True, slots=True)
class _Doc:
    label: str
    anchor: str
    rows: list[_Row]
    summary: dict[str, int]


def _summary(changes: Sequence[Change], lines: int, changed_lines: int) -> dict[str, int]:
    stages = Counter(c.stage for c in changes)
    bands = Counter(band(c.confidence) for c in changes)
    return {
        "lines": lines,
        "changed_lines": changed_lines,
        "changes": len(changes),
        "model": stages.get("model", 0),
        "dictionary": stages.get("dictionary", 0),
        "other_stage": sum(v for k, v in stages.items() if k not in ("model", "dictionary")),
        "high": bands.get("high", 0),
        "mid": bands.get("mid", 0),
        "low": bands.get("low", 0),
    }


def _build_doc(result: CorrectionResult, label: str, index: int, counter: list[int]) -> _Doc:
    in_lines = result.input_text.split("\n")
    out_lines = result.text.split("\n")
    n = max(len(in_lines), len(out_lines))
    by_line: dict[int, list[Change]] = {}
    for c in result.changes:
        # A change pointing past the text still must be shown: park it on the last line.
        by_line.setdefault(min(max(c.line, 0), n - 1), []).append(c)
    rows = []
    for k in range(n):
        a = in_lines[k] if k < len(in_lines) else ""
        b = out_lines[k] if k < len(out_lines) else ""
        ch = by_line.get(k, [])
        cids = []
        for _ in ch:
            counter[0] += 1
            cids.append(f"c{counter[0]}")
        in_spans = [_input_span(a, c) for c in ch]
        before, _ = _segments(a, in_spans, ch, cids)
        after, unplaced = _segments(b, _output_spans(a, b, ch, in_spans), ch, cids)
        confs = result.confidences[k] if k < len(result.confidences) else None
        after = _annotate(a, b, after, confs)
        rows.append(_Row(k + 1, before, after, unplaced, bool(ch) or a != b))
    summary = _summary(result.changes, n, sum(r.changed for r in rows))
    summary["unrecorded"] = sum(s.unrecorded for r in rows for s in r.after)
    summary["unsure"] = sum(s.unsure is not None for r in rows for s in r.after)
    return _Doc(label, f"doc{index + 1}", rows, summary)


def _fmt_conf(x: float) -> str:
    return f"{x:.2f}" if math.isfinite(x) else "n/a"


@lru_cache(maxsize=None)
def _template_text(name: str) -> str:
    """A file of `vnocr/templates/` (package data): page templates, the style, the script."""
    return (resources.files("vnocr") / "templates" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["band"] = band
    env.filters["conf"] = _fmt_conf
    # Full precision for the script, so its "low" agrees with the summary's bands.
    env.filters["exact"] = lambda x: repr(float(x))
    env.filters["pct"] = lambda x: "n/a" if x is None else f"{100 * x:.2f}%"
    return env


def render_html(
    result: CorrectionResult | Sequence[CorrectionResult],
    *,
    title: str = "",
    labels: Sequence[str] | None = None,
) -> str:
    """The review page as one string: every changed syllable highlighted, coloured by
    confidence and marked by stage, with a summary, legend and keyboard navigation.

    Several results (pages or files) become sections; `labels` names them.
    """
    results = [result] if isinstance(result, CorrectionResult) else list(result)
    if labels is not None and len(labels) != len(results):
        raise ValueError("labels must name every result")
    counter = [0]
    docs = [
        _build_doc(
            r,
            labels[i] if labels is not None else (f"Part {i + 1}" if len(results) > 1 else ""),
            i,
            counter,
        )
        for i, r in enumerate(results)
    ]
    total = _summary([c for r in results for c in r.changes], 0, 0)
    total["lines"] = sum(d.summary["lines"] for d in docs)
    total["changed_lines"] = sum(d.summary["changed_lines"] for d in docs)
    total["unrecorded"] = sum(d.summary["unrecorded"] for d in docs)
    total["unsure"] = sum(d.summary["unsure"] for d in docs)
    return (
        _env()
        .from_string(_template_text("review.html.j2"))
        .render(
            title=title or "vnocr review",
            docs=docs,
            total=total,
            HIGH=HIGH,
            LOW=LOW,
            style=_template_text("review.css"),
            script=_template_text("review.js"),
        )
    )


def write_html(
    result: CorrectionResult | Sequence[CorrectionResult],
    path: Path,
    *,
    title: str = "",
    labels: Sequence[str] | None = None,
) -> None:
    """Write the review page of `render_html` to `path` (`-`: stdout), atomically."""
    write_output(path, render_html(result, title=title, labels=labels), label="report")


def render_eval_html(report: dict[str, Any], *, title: str = "") -> str:
    """The eval report from `EvalReport.as_dict(with_text=True)`: scores per file and
    each file's syllable alignment with every error marked by kind."""
    return (
        _env()
        .from_string(_template_text("eval.html.j2"))
        .render(title=title or "vnocr eval", r=report, style=_template_text("review.css"))
    )


def write_eval_html(report: dict[str, Any], path: Path, *, title: str = "") -> None:
    write_output(path, render_eval_html(report, title=title), label="report")


__all__ = ["band", "render_eval_html", "render_html", "write_eval_html", "write_html"]
