"""`vnocr batch IN_DIR OUT_DIR`: thin wrapper over `vnocr.batch.run_batch`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from vnocr.cli import (
    DictsOption,
    ForceOcrOption,
    LangOption,
    ModelDirOption,
    PsmOption,
    SkipTextOption,
    app,
    error,
    text_layer_mode,
)
from vnocr.errors import BadOptionsError, ExitCode


@app.command()
def batch(
    in_dir: Annotated[
        Path, typer.Argument(show_default=False, help="Folder to convert (walked recursively).")
    ],
    out_dir: Annotated[
        Path,
        typer.Argument(show_default=False, help="Where outputs go; IN_DIR's tree is mirrored."),
    ],
    jobs: Annotated[
        int | None, typer.Option("-j", "--jobs", min=1, show_default=False,
                                 help="Worker processes (or Dask workers). Default: one per "
                                 "core.")
    ] = None,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Skip inputs already done and unchanged; redo changed ones."),
    ] = False,
    formats: Annotated[
        str, typer.Option("--format", help="Comma-separated outputs per input: text, json, pdf (searchable), "
                     "hocr, alto.")
    ] = "text",
    executor: Annotated[
        str,
        typer.Option("--executor", help="local (process pool) or dask (distributed cluster)."),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            show_default=False,
            help="Dask scheduler address (tcp://host:port); workers must see IN_DIR at the "
            "same path. Default: a local cluster of -j workers on loopback.",
        ),
    ] = None,
    no_correct: Annotated[
        bool,
        typer.Option("--no-correct", help="OCR only: skip restoration and the dictionary pass."),
    ] = False,
    html: Annotated[
        bool, typer.Option("--html", help="Also write a review page (NAME.html) per input.")
    ] = False,
    lang: LangOption = "vie",
    psm: PsmOption = 3,
    pages: Annotated[
        str | None,
        typer.Option("--pages", show_default=False,
                     help="Pages of each input to read, counted from 1: e.g. 1-3,7 or 5- "
                     "(default: all). An input that has none of them fails (exit 3)."),
    ] = None,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bar.")] = False,
    dicts: DictsOption = None,
    force_ocr: ForceOcrOption = False,
    skip_text: SkipTextOption = False,
    model: ModelDirOption = None,
) -> None:
    """Convert a folder of scans, PDFs and .txt files; one output per input.

    Images (.png .jpg .jpeg .tif .tiff .bmp .webp), PDFs and .txt files under IN_DIR are
    converted into the same relative place under OUT_DIR (a/scan.pdf → a/scan.txt; a/scan.pdf.txt
    when another input in a/ shares the stem). Progress and a summary go to stderr;
    OUT_DIR/vnocr-report.json lists every failure with its reason. Symlinks leading out
    of IN_DIR are not followed. PDF pages with their own text are read, not OCR'd
    (--force-ocr, --skip-text); the report counts pages by the way they were read.
    Exit code 1 when any input failed; 130 when interrupted
    (finished outputs are kept: rerun with --resume).
    """
    from vnocr.batch import (
        BatchInterrupted,
        BatchOptions,
        NullProgress,
        RichProgress,
        print_summary,
        run_batch,
    )
    from vnocr.options import (
        LexiconOptions,
        Options,
        RestoreOptions,
        TesseractOptions,
        usable_cpus,
    )
    from vnocr.page_selection import PageSelection

    options = Options()
    tesseract = TesseractOptions(lang=lang, psm=psm)
    options = replace(options, ocr=replace(options.ocr, tesseract=tesseract,
                                           text_layer=text_layer_mode(force_ocr, skip_text)))
    if model is not None:
        options = replace(options, restore=RestoreOptions(model_dir=model))
    if dicts:
        if no_correct:
            raise BadOptionsError("--dict needs the dictionary pass: drop --no-correct")
        from vnocr.lexicon.sources import read_user_dict

        for path in dicts:  # a bad list fails once here, not once per document
            read_user_dict(path)
        # absolute: workers (Dask's too) may run elsewhere than this directory
        options = replace(options, lexicon=LexiconOptions(
            user_dicts=tuple(p.resolve() for p in dicts)))
    if no_correct:
        options = replace(
            options, restore=RestoreOptions(enabled=False), lexicon=LexiconOptions(enabled=False)
        )
    bopts = BatchOptions(
        jobs=usable_cpus() if jobs is None else jobs,
        resume=resume,
        formats=tuple(f.strip() for f in formats.split(",") if f.strip()),
        executor=executor,
        scheduler=scheduler,
        html=html,
        pages=PageSelection.of(pages),
    )
    progress = NullProgress() if no_progress else RichProgress()
    try:
        report = run_batch(in_dir, out_dir, options, bopts, progress=progress)
    except BatchInterrupted as e:
        print_summary(e.report)
        error("interrupted; finished outputs are kept, rerun with --resume")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except KeyboardInterrupt:  # while walking and hashing, before any output
        error("interrupted")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    print_summary(report)
    if report.exit_code != ExitCode.OK:
        raise typer.Exit(int(report.exit_code))
