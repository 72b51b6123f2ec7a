"""Self-contained HTML pages: the review page of corrections, and the eval report.

Computing and rendering are apart (dinglehopper): callers hand over finished
`CorrectionResult`s or the dict of `EvalReport.as_dict(with_text=True)`; this module
only lays them out. Jinja2 with autoescaping writes every user-derived string, so OCR
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
        .from_string(_REVIEW_TEMPLATE)
        .render(
            title=title or "vnocr review",
            docs=docs,
            total=total,
            HIGH=HIGH,
            LOW=LOW,
            style=_STYLE,
            script=_SCRIPT,
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
        .from_string(_EVAL_TEMPLATE)
        .render(title=title or "vnocr eval", r=report, style=_STYLE)
    )


def write_eval_html(report: dict[str, Any], path: Path, *, title: str = "") -> None:
    write_output(path, render_eval_html(report, title=title), label="report")


# -- templates ------------------------------------------------------------------------

_STYLE = """
:root { --high:#c8f0c8; --mid:#ffe39a; --low:#ffb3b3; --ink:#1d1d1f; --muted:#666; }
* { box-sizing: border-box; }
body { font: 15px/1.5 "Noto Sans", "DejaVu Sans", system-ui, sans-serif; color: var(--ink);
  margin: 0; background: #fafafa; }
header, main, footer { padding: 0 1.2rem; }
h1 { font-size: 1.35rem; margin: .8rem 0 .3rem; }
h2 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
.summary { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; margin: .3rem 0; }
.summary b { font-variant-numeric: tabular-nums; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem .9rem; align-items: center;
  font-size: .9rem; color: var(--muted); margin: .3rem 0 .6rem; }
#toolbar { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid #ddd;
  padding: .45rem 1.2rem; display: flex; flex-wrap: wrap; gap: .4rem .9rem; align-items: center;
  font-size: .9rem; }
#toolbar button { font: inherit; padding: .15rem .55rem; cursor: pointer; }
#toolbar input[type=number] { width: 4.2rem; }
#pos { font-variant-numeric: tabular-nums; color: var(--muted); }
table.lines { border-collapse: collapse; width: 100%; table-layout: fixed; background: #fff; }
table.lines td, table.lines th { border-bottom: 1px solid #eee; padding: .15rem .5rem;
  vertical-align: top; }
table.lines th { text-align: left; font-weight: 600; background: #f3f3f3; }
td.n { width: 3.5rem; color: var(--muted); text-align: right; font-variant-numeric: tabular-nums; }
td.src, td.out { white-space: pre-wrap; word-break: break-word;
  font-family: "Noto Serif", "DejaVu Serif", serif; }
td.src { color: #555; }
tr.same td.src, tr.same td.out { color: #888; }
body.only-changed tr.same { display: none; }
.chg { border-radius: 3px; padding: 0 1px; cursor: pointer; }
.chg.high, .key.high { background: var(--high); }
.chg.mid, .key.mid { background: var(--mid); }
.chg.low, .key.low { background: var(--low); }
.chg.model, .key.model { border-bottom: 2px solid #333; }
.chg.dictionary, .key.dictionary { outline: 2px dashed #1f5fbf; outline-offset: -1px; }
.chg.dictionary::after { content: "D"; font: 600 .6em sans-serif; color: #1f5fbf;
  vertical-align: super; margin-left: 1px; }
.chg.unplaced { font-style: italic; margin-left: .6em; }
.chg del { opacity: .6; }  /* a cut speck: shown struck through, gone from the text */
.chg.dim { background: none; opacity: .45; outline: none; border-bottom-color: #bbb; }
.chg.dim::after { content: none; }
.chg.reviewed { box-shadow: inset 0 -3px 0 #2a8f2a; }
.chg.current { box-shadow: 0 0 0 3px #6a37d4; }
.was { text-decoration: line-through; text-decoration-color: #b33; background: #f6e6e6; }
.was.hot, .chg.hot { box-shadow: 0 0 0 2px #6a37d4; }
.unrec { text-decoration: underline dotted #b35a00 2px; background: #fff1e0; }
.unsure { text-decoration: underline wavy #c0392b 1px; text-underline-offset: 3px; }
.key { display: inline-block; padding: 0 .35rem; border-radius: 3px; color: var(--ink); }
kbd { border: 1px solid #bbb; border-radius: 3px; padding: 0 .25rem; font-size: .8rem;
  background: #f6f6f6; }
table.scores { border-collapse: collapse; background: #fff; }
table.scores td, table.scores th { border: 1px solid #ddd; padding: .2rem .6rem; text-align: right; }
table.scores td:first-child, table.scores th:first-child { text-align: left; }
.align { font-family: "Noto Serif", "DejaVu Serif", serif; line-height: 2.3; background: #fff;
  padding: .4rem .6rem; border: 1px solid #eee; }
.e { border-radius: 3px; padding: 0 2px; }
.e.case, .key.case { background: #dfe8ff; }
.e.diacritic, .key.diacritic { background: var(--mid); }
.e.other, .key.other { background: var(--low); }
.e.insert, .key.insert { background: #e6d5ff; text-decoration: line-through; }
.e.delete, .key.delete { background: #eee; color: #a00; text-decoration: underline wavy #a00; }
ruby rt { font-size: .65em; color: #444; }
.toc ol { columns: 2 22rem; margin: .2rem 0 .8rem; }
footer { color: var(--muted); font-size: .8rem; margin: 1.5rem 0; }
"""

_REVIEW_TEMPLATE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{{ title }}</title>
<style>{{ style | safe }}</style>
</head>
<body data-low="{{ LOW }}">
<header>
<h1>{{ title }}</h1>
<div class="summary" id="summary">
 <span><b id="n-changes">{{ total.changes }}</b> changes</span>
 <span>in <b>{{ total.changed_lines }}</b> of <b>{{ total.lines }}</b> lines</span>
 <span>model <b>{{ total.model }}</b></span>
 <span>dictionary <b>{{ total.dictionary }}</b></span>
 {% if total.unsure %}<span>kept but unsure <b id="n-unsure">{{ total.unsure }}</b></span>{% endif %}
 {% if total.unrecorded %}<span>unrecorded differences <b id="n-unrec">{{ total.unrecorded }}</b></span>{% endif %}
 {% if total.other_stage %}<span>other stage <b>{{ total.other_stage }}</b></span>{% endif %}
 <span>confidence ≥ {{ HIGH }} <b>{{ total.high }}</b></span>
 <span>{{ LOW }}–{{ HIGH }} <b>{{ total.mid }}</b></span>
 <span>&lt; {{ LOW }} <b>{{ total.low }}</b></span>
</div>
<div class="legend" id="legend">
 <span>Confidence:</span>
 <span class="key high">high ≥ {{ HIGH }}</span>
 <span class="key mid">medium</span>
 <span class="key low">low &lt; {{ LOW }}</span>
 <span>Stage:</span>
 <span class="key model">model (underlined)</span>
 <span class="key dictionary">dictionary (dashed, D)</span>
 <span><span class="was">struck</span> = input replaced</span>
 <span><span class="unrec">dotted</span> = changed, no record</span>
 <span><span class="unsure">wavy</span> = kept, confidence &lt; {{ LOW }}</span>
 <span>Hover a change for details; click to mark it reviewed.</span>
</div>
</header>
<div id="toolbar">
 <label><input type="checkbox" id="f-model" checked> model</label>
 <label><input type="checkbox" id="f-dictionary" checked> dictionary</label>
 <label><input type="checkbox" id="f-changed"> only changed lines</label>
 <label>low below <input type="number" id="f-low" min="0" max="1" step="0.05" value="{{ LOW }}"></label>
 <button type="button" id="b-prev" title="previous change (k)">◀ change</button>
 <button type="button" id="b-next" title="next change (j)">change ▶</button>
 <button type="button" id="b-prevlow" title="previous low-confidence change (p)">◀ low</button>
 <button type="button" id="b-nextlow" title="next low-confidence change (n)">low ▶</button>
 <span id="pos" aria-live="polite"></span>
 <span>keys: <kbd>j</kbd>/<kbd>k</kbd> change, <kbd>n</kbd>/<kbd>p</kbd> low, <kbd>r</kbd> reviewed</span>
</div>
<main>
{% if docs | length > 1 %}<nav class="toc" id="toc"><h2>Documents</h2><ol>
{% for doc in docs %}<li><a href="#{{ doc.anchor }}">{{ doc.label }}</a> — {{ doc.summary.changes }} changes{% if doc.summary.low %}, <span class="key low">{{ doc.summary.low }} low</span>{% endif %}</li>
{% endfor %}</ol></nav>{% endif %}
{% for doc in docs %}
<section class="doc" id="{{ doc.anchor }}">
{% if doc.label %}<h2>{{ doc.label }}</h2>
<div class="summary"><span><b>{{ doc.summary.changes }}</b> changes</span>
 <span>model <b>{{ doc.summary.model }}</b></span><span>dictionary <b>{{ doc.summary.dictionary }}</b></span>
 <span>low <b>{{ doc.summary.low }}</b></span><span>lines <b>{{ doc.summary.lines }}</b></span></div>{% endif %}
<table class="lines">
<colgroup><col style="width:3.5rem"><col><col></colgroup>
<thead><tr><th>#</th><th>input</th><th>corrected</th></tr></thead>
<tbody>
{% for row in doc.rows %}
<tr class="{{ 'changed' if row.changed else 'same' }}"><td class="n">{{ row.number }}</td>
<td class="src">{% for s in row.before %}{% if s.change %}<span class="was" id="w-{{ s.cid }}">{{ s.text }}</span>{% else %}{{ s.text }}{% endif %}{% endfor %}</td>
<td class="out">{% for s in row.after + row.unplaced %}{% if s.change %}{% set c = s.change %}<span class="chg {{ c.confidence | band }} {{ c.stage }}{{ ' unplaced' if s.unplaced }}" id="{{ s.cid }}" data-conf="{{ c.confidence | exact }}" data-stage="{{ c.stage }}" title="{{ c.stage }} · confidence {{ c.confidence | conf }} · {{ c.before }} → {{ c.after }}{% if c.extra.get('source') %} · {{ c.extra.get('source') }}{% endif %}">{% if c.after %}{{ s.text }}{% else %}<del>{{ c.before | trim }}</del>{% endif %}</span>{% elif s.unrecorded %}<span class="unrec" title="changed, but no stage recorded this change">{{ s.text }}</span>{% elif s.unsure is not none %}<span class="unsure" data-conf="{{ s.unsure | exact }}" title="kept as read · confidence {{ s.unsure | conf }}">{{ s.text }}</span>{% else %}{{ s.text }}{% endif %}{% endfor %}</td></tr>
{% endfor %}
</tbody>
</table>
</section>
{% endfor %}
</main>
<footer>vnocr review page: self-contained, no external resources.</footer>
<script>{{ script | safe }}</script>
</body>
</html>
"""

# The script reads only the DOM (no embedded data), so nothing user-written reaches it
# except through textContent-free attributes it never evaluates.
_SCRIPT = r"""
(function () {
  "use strict";
  var all = Array.prototype.slice.call(document.querySelectorAll(".chg"));
  var cur = -1;
  var body = document.body;
  var pos = document.getElementById("pos");
  var fModel = document.getElementById("f-model");
  var fDict = document.getElementById("f-dictionary");
  var fChanged = document.getElementById("f-changed");
  var fLow = document.getElementById("f-low");

  function low() { var v = parseFloat(fLow.value); return isNaN(v) ? 0.6 : v; }
  function conf(el) { var v = parseFloat(el.dataset.conf); return isNaN(v) ? 0 : v; }
  function shown(el) {
    var s = el.dataset.stage;
    if (s === "model" && !fModel.checked) return false;
    if (s === "dictionary" && !fDict.checked) return false;
    return true;
  }
  function apply() {
    var n = 0, nl = 0, t = low();
    all.forEach(function (el) {
      var on = shown(el);
      el.classList.toggle("dim", !on);
      if (on) { n++; if (conf(el) < t) nl++; }
    });
    body.classList.toggle("only-changed", fChanged.checked);
    body.dataset.shown = String(n);
    body.dataset.lowShown = String(nl);
    report();
  }
  function report() {
    var reviewed = all.filter(function (el) { return el.classList.contains("reviewed"); }).length;
    var at = cur >= 0 ? (cur + 1) + " of " + all.length : all.length + " changes";
    pos.textContent = at + " · " + body.dataset.shown + " shown · " + body.dataset.lowShown +
      " low · " + reviewed + " reviewed";
  }
  function go(step, onlyLow) {
    if (!all.length) return;
    var t = low();
    for (var k = 1; k <= all.length; k++) {
      var i = ((cur + step * k) % all.length + all.length) % all.length;
      var el = all[i];
      if (!shown(el) || (onlyLow && conf(el) >= t)) continue;
      if (cur >= 0) all[cur].classList.remove("current");
      cur = i;
      el.classList.add("current");
      el.scrollIntoView({block: "center"});
      report();
      return;
    }
  }
  function hot(el, on) {
    el.classList.toggle("hot", on);
    var w = document.getElementById("w-" + el.id);
    if (w) w.classList.toggle("hot", on);
  }
  all.forEach(function (el, i) {
    el.addEventListener("mouseenter", function () { hot(el, true); });
    el.addEventListener("mouseleave", function () { hot(el, false); });
    el.addEventListener("click", function () {
      el.classList.toggle("reviewed");
      if (cur >= 0) all[cur].classList.remove("current");
      cur = i; el.classList.add("current"); report();
    });
  });
  [fModel, fDict, fChanged, fLow].forEach(function (el) { el.addEventListener("change", apply); });
  document.getElementById("b-next").addEventListener("click", function () { go(1, false); });
  document.getElementById("b-prev").addEventListener("click", function () { go(-1, false); });
  document.getElementById("b-nextlow").addEventListener("click", function () { go(1, true); });
  document.getElementById("b-prevlow").addEventListener("click", function () { go(-1, true); });
  document.addEventListener("keydown", function (e) {
    if (e.target && e.target.tagName === "INPUT") return;
    if (e.key === "j") go(1, false);
    else if (e.key === "k") go(-1, false);
    else if (e.key === "n") go(1, true);
    else if (e.key === "p") go(-1, true);
    else if (e.key === "r" && cur >= 0) { all[cur].classList.toggle("reviewed"); report(); }
  });
  // Shareable views: #stage=dictionary&changed=1&low=0.5
  var h = new URLSearchParams(location.hash.replace(/^#/, ""));
  if (h.get("stage") === "model") fDict.checked = false;
  if (h.get("stage") === "dictionary") fModel.checked = false;
  if (h.get("changed") === "1") fChanged.checked = true;
  if (h.get("low") !== null && !isNaN(parseFloat(h.get("low")))) fLow.value = h.get("low");
  apply();
  body.dataset.ready = "1";
})();
"""

_EVAL_TEMPLATE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{{ title }}</title>
<style>{{ style | safe }}</style>
</head>
<body>
<header>
<h1>{{ title }}</h1>
<p>prediction <code>{{ r.pred }}</code> against truth <code>{{ r.gold }}</code>.
NFC and tone placement folded; CER over graphemes with whitespace folded; SER over word
tokens, punctuation ignored; DER counts syllables wrong only in their diacritics.</p>
<div class="legend"><span>Errors:</span>
 <span class="key case">case</span><span class="key diacritic">diacritics</span>
 <span class="key other">letters</span><span class="key insert">extra</span>
 <span class="key delete">missing</span><span>(truth above a wrong syllable)</span></div>
</header>
<main>
<table class="scores">
<thead><tr><th>file</th><th>SER</th><th>SER (no case)</th><th>CER</th><th>DER</th>
<th>syllables</th><th>chars</th></tr></thead>
<tbody>
{% for f in r.files %}<tr><td><a href="#f{{ loop.index }}">{{ f.name }}</a></td><td>{{ f.ser | pct }}</td>
<td>{{ f.ser_nocase | pct }}</td><td>{{ f.cer | pct }}</td><td>{{ f.der | pct }}</td>
<td>{{ f.syllables }}</td><td>{{ f.chars }}</td></tr>
{% endfor %}
<tr><th>total ({{ r.total.files }} files)</th><th>{{ r.total.ser | pct }}</th>
<th>{{ r.total.ser_nocase | pct }}</th><th>{{ r.total.cer | pct }}</th><th>{{ r.total.der | pct }}</th>
<th>{{ r.total.syllables }}</th><th>{{ r.total.chars }}</th></tr>
</tbody>
</table>
{% if r.only_pred or r.only_gold %}<h2>Unmatched files</h2><ul>
{% for n in r.only_pred %}<li>prediction only: {{ n }}</li>{% endfor %}
{% for n in r.only_gold %}<li>truth only: {{ n }}</li>{% endfor %}</ul>{% endif %}
{% if r.confusions is defined and r.confusions %}<h2>Most frequent errors</h2>
<table class="scores"><thead><tr><th>truth</th><th>predicted</th><th>kind</th><th>count</th></tr></thead><tbody>
{% for c in r.confusions %}<tr><td>{{ c.gold if c.gold is not none else "—" }}</td><td>{{ c.pred if c.pred is not none else "—" }}</td><td><span class="e {{ c.kind }}">{{ c.kind }}</span></td><td>{{ c.count }}</td></tr>
{% endfor %}</tbody></table>{% endif %}
{% for f in r.files %}
<h2 id="f{{ loop.index }}">{{ f.name }} — SER {{ f.ser | pct }}, CER {{ f.cer | pct }}</h2>
<div class="align">{% for a in f.alignment or [] %}{% if not loop.first and a.line is defined and a.line != loop.previtem.line %}<br>{% endif %}{% if a.kind == 'ok' %}{{ a.gold }} {% elif a.kind == 'insert' %}<span class="e insert" title="extra syllable">{{ a.pred }}</span> {% elif a.kind == 'delete' %}<span class="e delete" title="missing syllable">{{ a.gold }}</span> {% else %}<ruby class="e {{ a.kind }}" title="{{ a.kind }}: {{ a.pred }} → {{ a.gold }}">{{ a.pred }}<rt>{{ a.gold }}</rt></ruby> {% endif %}{% endfor %}</div>
{% endfor %}
</main>
<footer>vnocr eval report.</footer>
</body>
</html>
"""

__all__ = ["band", "render_eval_html", "render_html", "write_eval_html", "write_html"]
