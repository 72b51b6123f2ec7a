"""`vnocr ocr`: scans and PDFs to text or JSON, restored unless `--no-correct`.

Thin: the typer command only builds `Options`; `run_ocr` does the work and raises
`VnocrError`s, which `vnocr.cli.main` turns into one stderr line and an exit code.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from enum import Enum
from multiprocessing import get_context
from pathlib import Path
from typing import Annotated, Any

import typer

from vnocr.cli import app
from vnocr.errors import BadOptionsError, InputError
from vnocr.options import (
    LexiconOptions,
    OcrOptions,
    Options,
    PreprocessOptions,
    RestoreOptions,
    TesseractOptions,
)


class Format(str, Enum):
    text = "text"
    json = "json"


_SUFFIX = {Format.text: ".txt", Format.json: ".json"}


def render_document(doc: Any, fmt: Format) -> str:
    """A `DocumentResult` as the text or JSON the command prints (ends with a newline)."""
    if fmt is Format.text:
        return doc.text + "\n"
    return json.dumps(document_dict(doc), ensure_ascii=False, indent=1) + "\n"


def document_dict(doc: Any) -> dict[str, Any]:
    """JSON structure: pages → paragraphs → lines → words (conf, box), plus corrected text."""
    pages = []
    for p in doc.pages:
        d: dict[str, Any] = p.ocr.as_dict() if p.ocr is not None else {"index": p.index}
        d["ocr_text"] = d.pop("text", p.ocr_text)
        d["text"] = p.text
        d["changes"] = [c.as_dict() for c in p.correction.changes] if p.correction else []
        pages.append(d)
    return {"path": str(doc.path), "text": doc.text, "pages": pages}


# -- worker processes: one Pipeline per process, loaded once -----------------------------
_pipeline = None


def _init_worker(options: Options) -> None:
    global _pipeline
    from vnocr.api import Pipeline

    # Tesseract's own threads only spin when we already run one process per core.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    _pipeline = Pipeline(options)


def _work(path: Path, fmt: Format) -> str:
    assert _pipeline is not None, "worker not initialised"
    return render_document(_pipeline.read(path), fmt)


def _results(inputs: list[Path], options: Options, fmt: Format, jobs: int) -> Iterator[str]:
    """Rendered outputs in input order; `jobs` > 1 spreads inputs over processes."""
    if jobs <= 1 or len(inputs) == 1:
        _init_worker(options)
        for p in inputs:
            yield _work(p, fmt)
        return
    # spawn, not fork: the restorer holds torch state that must not be forked.
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(inputs)),
        mp_context=get_context("spawn"),
        initializer=_init_worker,
        initargs=(options,),
    ) as pool:
        futures = [pool.submit(_work, p, fmt) for p in inputs]
        try:
            for f in futures:
                yield f.result()
        finally:
            for f in futures:
                f.cancel()


def _write_atomic(path: Path, text: str) -> None:
    """Temp file + rename: an interrupted run never leaves half an output behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _targets(inputs: list[Path], output: Path | None, fmt: Format) -> list[Path] | None:
    """Where each output goes: None = stdout; one file; or one file per input in a dir."""
    if output is None:
        return None
    as_dir = len(inputs) > 1 or output.is_dir() or str(output).endswith(os.sep)
    if not as_dir:
        return [output]
    if output.exists() and not output.is_dir():
        raise BadOptionsError(f"-o {output}: several inputs need a directory, not a file")
    names: dict[str, Path] = {}
    for p in inputs:
        name = p.stem + _SUFFIX[fmt]
        if name in names:
            raise BadOptionsError(f"{names[name]} and {p} would both be written to {output / name}")
        names[name] = p
    return [output / n for n in names]


def run_ocr(
    inputs: list[Path],
    options: Options,
    *,
    output: Path | None = None,
    fmt: Format = Format.text,
    jobs: int = 1,
) -> None:
    """OCR (and correct) every input; write to stdout, a file, or a directory."""
    if jobs < 1:
        raise BadOptionsError("-j must be at least 1")
    for p in inputs:
        if not p.exists():
            raise InputError(f"{p}: no such file")
    if any(p.suffix.lower() != ".txt" for p in inputs):
        from vnocr.ocr import check_environment

        check_environment(options.ocr.tesseract.lang)  # fail before any worker starts
    targets = _targets(inputs, output, fmt)
    if targets is None and fmt is Format.json and len(inputs) > 1:
        docs = [json.loads(s) for s in _results(inputs, options, fmt, jobs)]
        sys.stdout.write(json.dumps(docs, ensure_ascii=False, indent=1) + "\n")
        return
    for k, rendered in enumerate(_results(inputs, options, fmt, jobs)):
        if targets is None:
            sys.stdout.write(("\f" if k else "") + rendered)
            sys.stdout.flush()
        else:
            _write_atomic(targets[k], rendered)


@app.command()
def ocr(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT...",
            show_default=False,
            help="Scans to read: PNG, JPEG, TIFF (multi-page), PDF (rendered at 300 DPI).",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            show_default=False,
            help="Output file; with several inputs (or an existing directory) a directory "
            "that gets one INPUT-stem.txt/.json per input. Default: stdout.",
        ),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="text: lines and paragraphs, pages separated by form feed. json: pages → "
            "paragraphs → lines → words with confidence and box, plus the corrected text.",
        ),
    ] = Format.text,
    lang: Annotated[
        str, typer.Option("--lang", "-l", help="Tesseract language(s), e.g. vie or vie+eng.")
    ] = "vie",
    psm: Annotated[int, typer.Option("--psm", help="Tesseract page segmentation mode (0-13).")] = 3,
    no_preprocess: Annotated[
        bool,
        typer.Option(
            "--no-preprocess",
            help="Skip seal removal, flattening, deskew, rescale and turning; give "
            "Tesseract the page as is.",
        ),
    ] = False,
    jobs: Annotated[
        int, typer.Option("-j", "--jobs", min=1, help="Inputs read in parallel processes.")
    ] = 1,
    no_correct: Annotated[
        bool,
        typer.Option(
            "--no-correct",
            help="Raw OCR text: no diacritic restoration, no dictionary pass.",
        ),
    ] = False,
) -> None:
    """OCR scans and PDFs to Vietnamese text, then restore marks and repair OCR errors.

    Several inputs are read one after another (or -j at a time); the first failure
    stops the run. For whole folders that must survive bad files, use `vnocr batch`.

    Exit codes: 0 ok, 2 bad options, 3 bad input (missing, empty, corrupt or
    unsupported file, PDF without pages, over the pixel limit), 4 Tesseract or its
    language data missing, 5 Tesseract failed, 6 restoration model missing.

    Example: vnocr ocr scan.pdf -o scan.txt --no-correct
    """
    options = Options(
        ocr=OcrOptions(
            tesseract=TesseractOptions(lang=lang, psm=psm),
            preprocess=PreprocessOptions(enabled=not no_preprocess),
        ),
        restore=RestoreOptions(enabled=not no_correct),
        lexicon=LexiconOptions(enabled=not no_correct),
    )
    run_ocr(list(inputs), options, output=output, fmt=fmt, jobs=jobs)
