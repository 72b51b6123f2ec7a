"""`vnocr correct`: restore marks and repair OCR noise in text files or stdin.

Thin: the typer command builds `Options`; `run_correct` reads, runs the Pipeline and
writes. Exactly one output line per input line.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from vnocr.api import Pipeline, check_ready
from vnocr.batch.progress import NullProgress, ProgressBar, terminal_progress
from vnocr.cli import DecisionsOption, DictsOption, HtmlPageOption, ModelDirOption, app
from vnocr.cli.targets import output_files
from vnocr.decisions import learned_names, read_decisions, reviewed_text
from vnocr.encodings import INPUT_ENCODINGS, Decoded
from vnocr.errors import BadOptionsError
from vnocr.files import STDOUT, open_input, open_output, refuse_output_over_input
from vnocr.lexicon.sources import add_user_names
from vnocr.options import (
    LexiconOptions,
    Options,
    RestoreOptions,
    default_model_dir,
    forks_after_load,
    usable_cpus,
)
from vnocr.output import SUFFIX, Format, dump_json, render_correction
from vnocr.result import CorrectionResult
from vnocr.text_stream import PieceResults, piece_count


def _check_inputs(inputs: list[str]) -> None:
    """Every input opens (`open_input`'s one-line errors), before any output is written.
    A pipe is not opened twice: its writer would write into this first open and lose it."""
    for name in inputs:
        if name != STDOUT and not (Path(name).is_fifo() or Path(name).is_char_device()):
            with open_input(name, streams=True):
                pass


@contextlib.contextmanager
def _source(name: str) -> Iterator[BinaryIO]:
    if name == STDOUT:
        yield sys.stdin.buffer
        return
    with open_input(name, streams=True) as f:  # `<(zcat a.gz)` is a pipe
        yield f


def jobs_for_input(name: str, jobs: int | None) -> int:
    """Worker processes for one input: `jobs` when given; else one per usable core, but
    no more than the file has pieces (`piece_count`: each piece is one worker's task),
    and one for stdin or a pipe, whose length is unknown (a short input gains nothing
    from workers), or where workers could not share this process's model
    (`forks_after_load`)."""
    if jobs is not None:
        return jobs
    path = Path(name)
    if name == STDOUT or not path.is_file() or not forks_after_load():
        return 1
    return max(1, min(usable_cpus(), piece_count(path.stat().st_size)))


def _correct_stream(
    pipeline: Pipeline, name: str, out: BinaryIO | None, encoding: str, *, keep: bool,
    jobs: int = 1,
) -> tuple[CorrectionResult, Decoded]:
    """Correct one input piece by piece (`Pipeline.correct_stream`, or `jobs` worker
    processes: `vnocr.batch.worker.correct_stream_in_workers`); with `out`, each
    piece's text is written as soon as it is corrected, with the input's line ends. The
    pieces' results are kept, and returned as one, only with `keep` (JSON, HTML)."""
    whole = PieceResults()
    source = "stdin" if name == STDOUT else name
    with _source(name) as stream:
        if jobs == 1:
            pieces = pipeline.correct_stream(stream, source=source, encoding=encoding)
        else:
            from vnocr.batch.worker import correct_stream_in_workers

            pieces = correct_stream_in_workers(pipeline, stream, source=source,
                                               encoding=encoding, jobs=jobs)
        for piece, result in pieces:
            if out is not None:
                out.write(piece.join(result.lines).encode("utf-8"))
            if keep:
                whole.add(piece, result)
    return whole.result(), whole.decoded


def _json_doc(name: str, result: CorrectionResult, decoded: Decoded) -> dict:
    # the input's encoding is reported only when something was converted
    detected = {"input_encoding": decoded.as_dict()} if decoded.runs else {}
    return {"input": name, **result.as_dict(), **detected}


def run_correct(
    inputs: list[str],
    options: Options,
    *,
    output: str | None = None,
    fmt: Format = Format.text,
    html: str | None = None,
    input_encoding: str = "auto",
    decisions: Path | None = None,
    learn_names: Path | None = None,
    progress: ProgressBar | None = None,
    jobs: int | None = 1,
) -> None:
    """Correct every input into stdout, a device, one file, or one file per input in a
    directory (`vnocr.cli.targets`). Text is streamed: memory stays flat on any size.
    `decisions`: a review page's decisions file, replayed on each input's correction
    (which is then held whole); `learn_names`: the user list its names are added to;
    `jobs`: worker processes correcting each input's pieces (`Pipeline.correct_stream`);
    None: as many as help (`jobs_for_input`)."""
    if inputs.count(STDOUT) > 1:
        raise BadOptionsError("stdin (-) can be given only once")
    if fmt not in (Format.text, Format.json):  # pdf, hocr, alto place words on a scan
        raise BadOptionsError(f"--format {fmt.value} needs a scan (vnocr ocr): "
                              "vnocr correct writes text or json")
    if input_encoding not in INPUT_ENCODINGS:
        raise BadOptionsError(f"--input-encoding must be one of {', '.join(INPUT_ENCODINGS)}")
    if decisions is None and learn_names is not None:
        raise BadOptionsError("--learn-names needs --decisions")
    if decisions is not None and fmt is not Format.text:
        raise BadOptionsError("--decisions gives the reviewed text: use --format text")
    reviewed = read_decisions(decisions) if decisions is not None else None
    files = output_files(inputs, output, SUFFIX[fmt.value])
    refuse_output_over_input(html, [i for i in inputs if i != STDOUT])
    _check_inputs(inputs)
    check_ready(options)
    # text is written piece by piece; JSON and reviewed text once the input is read
    streamed = fmt is Format.text and reviewed is None
    keep = html is not None or not streamed
    if not keep:  # plain text shows no next-best readings (see RestoreOptions)
        options = replace(options, restore=replace(options.restore, alternatives=False))
    pipeline = Pipeline(options)
    pipeline.load()  # before the first piece: flat memory (see Pipeline.load)
    progress = progress or NullProgress()
    progress.start(files=len(inputs), pages=len(inputs))
    docs: list[tuple[str, CorrectionResult, Decoded]] = []
    try:
        with contextlib.ExitStack() as stack:
            shared = None if files is not None else stack.enter_context(
                open_output(output or STDOUT))
            for k, name in enumerate(inputs):
                with contextlib.ExitStack() as per_input:
                    out = shared if files is None else per_input.enter_context(
                        open_output(files[k], make_parents=True))
                    result, decoded = _correct_stream(
                        pipeline, name, out if streamed else None, input_encoding, keep=keep,
                        jobs=jobs_for_input(name, jobs))
                    if keep:
                        docs.append((name, result, decoded))
                    if reviewed is not None:
                        final = replace(result, text=reviewed_text(result, reviewed, name))
                        out.write(render_correction(name, final, fmt).encode("utf-8"))
                    elif not streamed and files is not None:
                        out.write(_json([docs[-1]]).encode("utf-8"))
                progress.advance(files=1, pages=1)
            if shared is not None and not streamed and reviewed is None:
                shared.write(_json(docs).encode("utf-8"))
    finally:
        progress.close()
    if html is not None:
        from vnocr.report import write_html

        write_html([r for _, r, _ in docs], html, title=", ".join(inputs),
                   conversions=[d.runs for _, _, d in docs])
    if reviewed is not None and learn_names is not None:
        add_user_names(learn_names, learned_names(reviewed))


def _json(docs: list[tuple[str, CorrectionResult, Decoded]]) -> str:
    """One JSON document per input: the text and every change (a list for several)."""
    objs = [_json_doc(*d) for d in docs]
    return dump_json(objs if len(objs) > 1 else objs[0])


@app.command()
def correct(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(metavar="[INPUT...]", show_default=False,
                       help="Text files (UTF-8, or a legacy encoding: see --input-encoding); '-' or "
                       "nothing reads stdin."),
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
                     "changed token (line, token, offsets, before, after, confidence, stage). "
                     "(pdf, hocr, alto: vnocr ocr only.)"),
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
        int, typer.Option("--batch-size", min=1,
                          help="Text windows per network batch (more: more memory, no faster "
                          "on a CPU by scripts/bench_speed.py).")
    ] = RestoreOptions().batch_size,
    dicts: DictsOption = None,
    no_dict: Annotated[
        bool, typer.Option("--no-dict", help="Skip the dictionary (place-name) pass.")
    ] = False,
    model: ModelDirOption = None,
    input_encoding: Annotated[
        str,
        typer.Option("--input-encoding", help="auto: UTF-8, or legacy Vietnamese (TCVN3, VNI, "
                     "VISCII, VPS, CP1258 bytes; TCVN3/VNI shown as Windows-1252; VIQR) found "
                     "run by run. Or one of: " + ", ".join(INPUT_ENCODINGS[1:]) + "."),
    ] = "auto",
    jobs: Annotated[
        int | None, typer.Option("-j", "--jobs", min=1, show_default=False,
                                 help="Worker processes correcting a long input's pieces "
                                 "(equal, at most 64 KB, an even number) in parallel; they "
                                 "share the loaded model. Same output. Default: one per "
                                 "core, at most one per piece of a file; one for stdin.")
    ] = None,
    html: HtmlPageOption = None,
    decisions: DecisionsOption = None,
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
                input_encoding=input_encoding, decisions=decisions, learn_names=learn_names,
                progress=terminal_progress("correct"), jobs=jobs)
