"""`vnocr correct`: restore marks and repair OCR noise in text files or stdin.

Thin: the typer command builds `Options`; `run_correct` reads, runs the Pipeline and
writes. Exactly one output line per input line.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from vnocr.api import Pipeline
from vnocr.cli import app
from vnocr.cli.ocr import _write_atomic
from vnocr.encodings import INPUT_ENCODINGS, Decoded, decode_document
from vnocr.errors import BadOptionsError
from vnocr.files import read_bytes
from vnocr.options import DEFAULT_MODEL_DIR, LexiconOptions, Options, RestoreOptions
from vnocr.result import CorrectionResult


class Format(str, Enum):
    text = "text"
    json = "json"


def _read_input(name: str, encoding: str = "auto") -> Decoded:
    if name == "-":
        return decode_document(sys.stdin.buffer.read(), encoding, source="stdin")
    return decode_document(read_bytes(Path(name)), encoding, source=name)


def _render(name: str, result: CorrectionResult, fmt: Format, decoded: Decoded) -> str:
    if fmt is Format.text:
        return result.text + ("" if result.text.endswith("\n") else "\n")
    # reported only when something was converted: UTF-8 input keeps its output as it was
    detected = {"input_encoding": decoded.as_dict()} if decoded.runs else {}
    doc = {"input": name, **result.as_dict(), **detected}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def run_correct(
    inputs: list[str],
    options: Options,
    *,
    output: Path | None = None,
    fmt: Format = Format.text,
    html: Path | None = None,
    input_encoding: str = "auto",
) -> None:
    """Correct every input; stdout, one file, or one file per input in a directory."""
    if inputs.count("-") > 1:
        raise BadOptionsError("stdin (-) can be given only once")
    texts = [(name, _read_input(name, input_encoding)) for name in inputs]  # fail on bad input first
    pipeline = Pipeline(options)
    results = [(name, pipeline.correct_text(decoded.text)) for name, decoded in texts]
    if html is not None:
        from vnocr.report import write_html

        write_html([r for _, r in results], html, title=", ".join(inputs))
    rendered = [_render(name, r, fmt, decoded) for (name, r), (_, decoded) in zip(results, texts)]
    if output is None:
        if fmt is Format.json and len(rendered) > 1:
            docs = [json.loads(s) for s in rendered]
            sys.stdout.write(json.dumps(docs, ensure_ascii=False, indent=1) + "\n")
        else:
            sys.stdout.write("".join(rendered))
        return
    if len(inputs) == 1 and not output.is_dir():
        _write_atomic(output, rendered[0])
        return
    if output.exists() and not output.is_dir():
        raise BadOptionsError(f"-o {output}: several inputs need a directory, not a file")
    suffix = ".txt" if fmt is Format.text else ".json"
    for (name, _), text in zip(results, rendered):
        stem = "stdin" if name == "-" else Path(name).stem
        _write_atomic(output / f"{stem}{suffix}", text)


@app.command()
def correct(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(metavar="[INPUT...]", show_default=False,
                       help="UTF-8 text files; '-' or nothing reads stdin."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", show_default=False,
                     help="Output file, or a directory for several inputs. Default: stdout."),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f",
                     help="text: the corrected text, line for line. json: the text and every "
                     "changed token (line, token, offsets, before, after, confidence, stage)."),
    ] = Format.text,
    tone_style: Annotated[
        str, typer.Option("--tone-style", help="old: hóa, thủy, khỏe. new: hoá, thuỷ, khoẻ. "
                          "auto: the input's own convention (old where it shows none).")
    ] = "auto",
    min_confidence: Annotated[
        float,
        typer.Option("--min-confidence", min=0.0, max=1.0,
                     help="Keep a token as it was when the model is less sure than this."),
    ] = 0.0,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Text windows per network batch.")
    ] = 64,
    dicts: Annotated[
        list[Path] | None,
        typer.Option("--dict", show_default=False,
                     help="Extra names for the dictionary pass: one per line, or "
                     "name<TAB>weight. Repeatable. $XDG_CONFIG_HOME/vnocr/names.txt "
                     "(~/.config/vnocr/names.txt) is read too when it exists."),
    ] = None,
    no_dict: Annotated[
        bool, typer.Option("--no-dict", help="Skip the dictionary (place-name) pass.")
    ] = False,
    model: Annotated[
        Path, typer.Option("--model", help="Restoration model folder.")
    ] = DEFAULT_MODEL_DIR,
    html: Annotated[
        Path | None,
        typer.Option("--html", show_default=False,
                     help="Also write a self-contained HTML review page of every change."),
    ] = None,
    input_encoding: Annotated[
        str,
        typer.Option("--input-encoding",
                     help=f"{'|'.join(INPUT_ENCODINGS)}. auto: UTF-8, with legacy Vietnamese (TCVN3, VNI, VISCII, VPS, "
                     "Windows-1258, VIQR) detected and converted per run. utf-8: convert "
                     "nothing. Another name: convert every non-Unicode run from it."),
    ] = "auto",
) -> None:
    """Restore Vietnamese diacritics and repair OCR errors in text.

    Input may be text typed without marks, text read by an English-model OCR, or
    Vietnamese OCR output. Line breaks, numbers, codes and punctuation are kept.

    Example: vnocr correct report.txt -o report.fixed.txt
    """
    options = Options(
        restore=RestoreOptions(model_dir=model, tone_style=tone_style,
                               min_confidence=min_confidence, batch_size=batch_size),
        lexicon=LexiconOptions(enabled=not no_dict, user_dicts=tuple(dicts or ())),
    )
    run_correct(inputs or ["-"], options, output=output, fmt=fmt, html=html,
                input_encoding=input_encoding)
