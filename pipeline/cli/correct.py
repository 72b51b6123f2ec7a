"""`vnocr correct`: restore marks and repair OCR noise in text files or stdin.

Thin: the typer command builds `Options`; `run_correct` reads, runs the Pipeline and
writes. Exactly one output line per input line.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from vnocr.api import Pipeline, check_ready
from vnocr.batch.progress import NullProgress, ProgressBar, terminal_progress
from vnocr.cli import ModelDirOption, app
from vnocr.cli.targets import output_files
from vnocr.decisions import apply_decisions, decisions_for, learned_names, read_decisions
from vnocr.errors import BadOptionsError
from vnocr.files import (
    STDOUT,
    decode_text,
    output_stream,
    read_text,
    refuse_output_over_input,
    write_output,
)
from vnocr.lexicon.sources import add_user_names
from vnocr.options import LexiconOptions, Options, RestoreOptions, default_model_dir
from vnocr.output import SUFFIX, Format, dump_json, render_correction


def _read_input(name: str) -> str:
    if name == STDOUT:
        return decode_text(sys.stdin.buffer.read(), "stdin")
    return read_text(Path(name))


def run_correct(
    inputs: list[str],
    options: Options,
    *,
    output: str | None = None,
    fmt: Format = Format.text,
    html: str | None = None,
    decisions: Path | None = None,
    learn_names: Path | None = None,
    progress: ProgressBar | None = None,
) -> None:
    """Correct every input; stdout, a device, one file, or one file per input in a
    directory (`vnocr.cli.targets`). `decisions`: a review page's decisions file, replayed
    on each input's correction; `learn_names`: the user list its names are added to."""
    if inputs.count(STDOUT) > 1:
        raise BadOptionsError("stdin (-) can be given only once")
    if decisions is None and learn_names is not None:
        raise BadOptionsError("--learn-names needs --decisions")
    if decisions is not None and fmt is not Format.text:
        raise BadOptionsError("--decisions gives the reviewed text: use --format text")
    reviewed = read_decisions(decisions) if decisions is not None else None
    files = output_files(inputs, output, SUFFIX[fmt.value])
    refuse_output_over_input(html, [i for i in inputs if i != STDOUT])
    check_ready(options, ocr=False)
    texts = [(name, _read_input(name)) for name in inputs]  # fail on bad input first
    pipeline = Pipeline(options)
    progress = progress or NullProgress()
    progress.start(files=len(texts), pages=len(texts))
    try:
        results = []
        for name, text in texts:
            results.append((name, pipeline.correct_text(text)))
            progress.advance(files=1, pages=1)
    finally:
        progress.close()
    if html is not None:
        from vnocr.report import write_html

        write_html([r for _, r in results], html, title=", ".join(inputs))
    if reviewed is not None:
        results = [(name, replace(r, text=apply_decisions(r, decisions_for(r, reviewed, name))))
                   for name, r in results]
        if learn_names is not None:
            add_user_names(learn_names, learned_names(reviewed))
    rendered = [render_correction(name, r, fmt) for name, r in results]
    if files is not None:
        for target, text in zip(files, rendered):
            write_output(target, text, make_parents=True)
        return
    with output_stream(output or STDOUT) as out:
        if fmt is Format.json and len(rendered) > 1:
            docs = [{"input": name, **r.as_dict()} for name, r in results]
            out.write(dump_json(docs).encode("utf-8"))
        else:
            out.write("".join(rendered).encode("utf-8"))


@app.command()
def correct(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(metavar="[INPUT...]", show_default=False,
                       help="UTF-8 text files; '-' or nothing reads stdin."),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", show_default=False,
                     help="Output file ('-': stdout), or a directory for several inputs. "
                     "Default: stdout."),
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
    model: ModelDirOption = None,
    html: Annotated[
        str | None,
        typer.Option("--html", show_default=False,
                     help="Also write a self-contained HTML review page of every change, "
                     "where each can be accepted, rejected or replaced, and the "
                     "decisions exported."),
    ] = None,
    decisions: Annotated[
        Path | None,
        typer.Option("--decisions", show_default=False,
                     help="Apply a decisions file exported from the review page: the "
                     "output is the reviewed text (refused if this input or its "
                     "correction is not the one reviewed)."),
    ] = None,
    learn_names: Annotated[
        Path | None,
        typer.Option("--learn-names", show_default=False,
                     help="Add the names confirmed or typed in the --decisions file to this "
                     "user list (e.g. ~/.config/vnocr/names.txt, read by every later run)."),
    ] = None,
) -> None:
    """Restore Vietnamese diacritics and repair OCR errors in text.

    Input may be text typed without marks, text read by an English-model OCR, or
    Vietnamese OCR output. Line breaks, numbers, codes and punctuation are kept.

    Example: vnocr correct report.txt -o report.fixed.txt
    """
    options = Options(
        restore=RestoreOptions(model_dir=model or default_model_dir(), tone_style=tone_style,
                               min_confidence=min_confidence, batch_size=batch_size),
        lexicon=LexiconOptions(enabled=not no_dict, user_dicts=tuple(dicts or ())),
    )
    run_correct(inputs or [STDOUT], options, output=output, fmt=fmt, html=html,
                decisions=decisions, learn_names=learn_names,
                progress=terminal_progress("correct"))
