"""`vnocr eval PRED GOLD`: CER, SER, case-insensitive SER and DER per file and in total.

Thin: `vnocr.evaluate.evaluate_paths` computes once; this module only renders the
result as a text table, JSON or an HTML report (all from `EvalReport.as_dict`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from vnocr.cli import app
from vnocr.evaluate import EvalReport, evaluate_paths


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.2f}%"


def format_table(d: dict) -> str:
    """A plain text table of the report dict (what a terminal user reads)."""
    head = ("file", "SER", "SER-nocase", "CER", "DER", "syllables", "chars")
    rows = [
        (
            f["name"],
            _pct(f["ser"]),
            _pct(f["ser_nocase"]),
            _pct(f["cer"]),
            _pct(f["der"]),
            str(f["syllables"]),
            str(f["chars"]),
        )
        for f in d["files"]
    ]
    t = d["total"]
    if len(rows) > 1:
        rows.append(
            (
                f"TOTAL ({t['files']} files)",
                _pct(t["ser"]),
                _pct(t["ser_nocase"]),
                _pct(t["cer"]),
                _pct(t["der"]),
                str(t["syllables"]),
                str(t["chars"]),
            )
        )
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def fmt(r: tuple[str, ...]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))
        ).rstrip()

    lines = [fmt(head), "  ".join("-" * w for w in widths)]
    lines += [fmt(r) for r in rows]
    for name in d["only_pred"]:
        lines.append(f"unmatched (prediction only): {name}")
    for name in d["only_gold"]:
        lines.append(f"unmatched (truth only): {name}")
    return "\n".join(lines)


@app.command("eval")
def eval_command(
    pred: Annotated[
        Path,
        typer.Argument(metavar="PRED", help="Predicted text file, or a directory of .txt files."),
    ],
    gold: Annotated[
        Path,
        typer.Argument(metavar="GOLD", help="Truth file, or a directory matched by relative path."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Also write a self-contained HTML report with the alignments."),
    ] = None,
) -> None:
    """Score predicted text against the truth (NFC, tone placement folded: hoá = hóa).

    CER: graphemes, whitespace folded. SER: word tokens, punctuation ignored.

    DER: syllables wrong only in their diacritics (restoration misses, not OCR misses).

    Directories: .txt files matched by relative path; x.gt.txt matches x.txt.
    """
    report: EvalReport = evaluate_paths(pred, gold)
    d = report.as_dict()
    if html is not None:
        from vnocr.report import write_eval_html

        write_eval_html(report.as_dict(with_text=True), html)
    if as_json:
        print(json.dumps(d, ensure_ascii=False, indent=2))
    else:
        print(format_table(d))
    if d["only_pred"] or d["only_gold"]:
        n = len(d["only_pred"]) + len(d["only_gold"])
        print(f"vnocr: warning: {n} file(s) without a partner were not scored", file=sys.stderr)
