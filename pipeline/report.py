"""Self-contained HTML pages: the review page of corrections, and the eval report.

Computing and rendering are apart (dinglehopper): callers hand over finished
`CorrectionResult`s or the dict of `EvalReport.as_dict(with_text=True)`; what each line
shows comes from `vnocr.review_rows`, and this module lays it out with the templates,
style and script in `vnocr/templates/`. Jinja2 with autoescaping writes every
user-derived string, so OCR text such as `<script>` shows as text; the script's data are
the DOM's attributes (no data in the script), and a Content-Security-Policy forbids any
external fetch. The page reads without JavaScript; the script adds navigation, filters,
decisions kept in the browser, and the exports (`vnocr.decisions` replays them).
"""
from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from vnocr.alternatives import alternatives
from vnocr.encodings import ENCODING_NAMES, Run
from vnocr.files import write_output
from vnocr.result import Change, CorrectionResult
from vnocr.review_rows import LOW, Row, Seg, build_rows, document_id, text_sha256

# Confidence bands: colour classes of the page; LOW is also the default "low" threshold.
HIGH = 0.9


def band(confidence: float) -> str:
    """`high`, `mid` or `low`; NaN counts as low (nothing vouches for the change)."""
    if not math.isfinite(confidence) or confidence < LOW:
        return "low"
    return "high" if confidence >= HIGH else "mid"


@dataclass(frozen=True, slots=True)
class _Doc:
    label: str
    anchor: str
    rows: list[Row]
    summary: dict[str, int]
    document: str  # `document_id`: the key of the page's saved decisions
    input_sha256: str
    output_sha256: str
    conversions: tuple[Run, ...] = ()  # legacy-encoded runs converted on reading


def _summary(
    changes: Sequence[Change], shown: Sequence[float], lines: int, changed_lines: int
) -> dict[str, int]:
    """Counts of a page or section; `shown`: each change's confidence as shown."""
    stages = Counter(c.stage for c in changes)
    bands = Counter(band(x) for x in shown)
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


def _build_doc(
    result: CorrectionResult, label: str, index: int, counter: list[int],
    conversions: Sequence[Run] = (),
) -> _Doc:
    rows = build_rows(result, counter)
    summary = _summary(result.changes, _shown(rows), len(rows), sum(r.changed for r in rows))
    summary["unrecorded"] = sum(s.unrecorded for r in rows for s in r.after)
    summary["unsure"] = sum(bool(s.doubt) for r in rows for s in r.after)
    return _Doc(label, f"doc{index + 1}", rows, summary, document_id(result),
                text_sha256(result.input_text), text_sha256(result.text), tuple(conversions))


def _shown(rows: Sequence[Row]) -> list[float]:
    """The shown confidence of every change on `rows`, placed or not."""
    return [s.conf for r in rows for s in r.after + r.unplaced if s.change is not None]


def _fmt_conf(x: float) -> str:
    return f"{x:.2f}" if math.isfinite(x) else "n/a"


def _alternatives_json(seg: Seg) -> str:
    """A segment's alternatives for the page's data attribute: [[text, score|null,
    kind]...] (`vnocr.alternatives`)."""
    return json.dumps(alternatives(seg.change, seg.text, kept=seg.kept), ensure_ascii=False)


@cache
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
    env.filters["alts"] = _alternatives_json
    env.filters["encoding_name"] = ENCODING_NAMES.__getitem__
    env.filters["pct"] = lambda x: "n/a" if x is None else f"{100 * x:.2f}%"
    return env


def render_html(
    result: CorrectionResult | Sequence[CorrectionResult],
    *,
    title: str = "",
    labels: Sequence[str] | None = None,
    conversions: Sequence[Sequence[Run]] | None = None,
) -> str:
    """The review page as one string: every changed syllable highlighted, coloured by
    confidence and marked by stage, with a summary, legend and keyboard navigation.

    Several results (pages or files) become sections; `labels` names them.
    `conversions`: per result, the legacy-encoded runs converted when its input was read
    (`vnocr.encodings`); a section lists them, since its input column shows them converted.
    """
    results = [result] if isinstance(result, CorrectionResult) else list(result)
    if labels is not None and len(labels) != len(results):
        raise ValueError("labels must name every result")
    if conversions is not None and len(conversions) != len(results):
        raise ValueError("conversions must be given for every result")
    counter = [0]
    docs = [
        _build_doc(
            r,
            labels[i] if labels is not None else (f"Part {i + 1}" if len(results) > 1 else ""),
            i,
            counter,
            conversions[i] if conversions is not None else (),
        )
        for i, r in enumerate(results)
    ]
    total = _summary([c for r in results for c in r.changes],
                     [x for d in docs for x in _shown(d.rows)], 0, 0)
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
    conversions: Sequence[Sequence[Run]] | None = None,
) -> None:
    """Write the review page of `render_html` to `path` (`-`: stdout), atomically."""
    write_output(path, render_html(result, title=title, labels=labels, conversions=conversions),
                 label="report")


def render_eval_html(report: dict[str, Any], *, title: str = "") -> str:
    """The eval report from `EvalReport.as_dict(with_text=True)`: scores per file and
    each file's syllable alignment with every error marked by kind."""
    return (
        _env()
        .from_string(_template_text("eval.html.j2"))
        .render(title=title or "vnocr eval", r=report, style=_template_text("review.css"))
    )


def write_eval_html(report: dict[str, Any], path: Path, *, title: str = "") -> None:
    """`vnocr eval --html`: the report's page, written whole or not at all."""
    write_output(path, render_eval_html(report, title=title), label="report")


__all__ = ["band", "render_eval_html", "render_html", "write_eval_html", "write_html"]
