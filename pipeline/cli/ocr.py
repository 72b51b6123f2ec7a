"""`vnocr ocr`: scans and PDFs to text or JSON, restored unless `--no-correct`.

Thin: the typer command only builds `Options`; `run_ocr` does the work and raises
`VnocrError`s, which `vnocr.cli.main` turns into one stderr line and an exit code.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from vnocr.api import check_ready
from vnocr.batch.progress import NullProgress, ProgressBar, terminal_progress
from vnocr.batch.worker import Task, make_executor, read_task
from vnocr.cli import (
    DecisionsOption,
    ForceOcrOption,
    HtmlPageOption,
    LangOption,
    ModelDirOption,
    PsmOption,
    SkipTextOption,
    app,
    text_layer_mode,
)
from vnocr.cli.targets import output_files
from vnocr.decisions import DocumentDecisions, read_decisions, reviewed_text
from vnocr.errors import BadOptionsError, InputError, VnocrError
from vnocr.files import STDOUT, open_output, refuse_output_over_input, write_output
from vnocr.options import (
    LexiconOptions,
    OcrOptions,
    Options,
    PreprocessOptions,
    RestoreOptions,
    TesseractOptions,
    default_model_dir,
    usable_cpus,
)
from vnocr.output import (
    HTML,
    SUFFIX,
    Format,
    PageOutput,
    document_dict,
    dump_json,
    format_for,
    render_document,
)
from vnocr.page_selection import PageSelection
from vnocr.result import CorrectionResult


@contextlib.contextmanager
def spooled_stdin(inputs: list[str]) -> Iterator[list[Path]]:
    """The input paths, with `-` replaced by a temp file holding stdin's bytes (the
    loaders and worker processes need a file); removed afterwards."""
    if STDOUT not in inputs:
        yield [Path(n) for n in inputs]
        return
    folder = Path(tempfile.mkdtemp(prefix="vnocr-stdin-"))
    try:
        spool = folder / "stdin"
        with spool.open("wb") as f:
            shutil.copyfileobj(sys.stdin.buffer, f)
        yield [spool if n == STDOUT else Path(n) for n in inputs]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _pages_total(paths: list[Path], selection: PageSelection | None) -> int:
    from vnocr.batch.pages import count_pages

    counts = [1 if p.suffix.lower() == ".txt" else count_pages(p) for p in paths]
    return sum(n if selection is None else selection.count(n) for n in counts)


def _reraise(task: Task, exc: BaseException) -> None:
    """A worker failed: the first failure stops the run, as one line."""
    if isinstance(exc, VnocrError):
        raise exc
    raise InputError(f"{task.rel}: worker crashed ({type(exc).__name__}: {exc})") from exc


def run_ocr(
    inputs: list[str],
    options: Options,
    *,
    output: str | None = None,
    fmt: Format | None = None,
    jobs: int | None = 1,
    pages: str | None = None,
    html: str | None = None,
    decisions: Path | None = None,
    progress: ProgressBar | None = None,
) -> None:
    """OCR (and correct) every input (`-`: an image on stdin); write to stdout, a
    device, a file, or a folder (`vnocr.cli.targets`), in input order. `fmt` None:
    the format `output`'s suffix names (`scan.pdf`), text otherwise. `html`: also one
    review page of every input's pages; `decisions`: the decisions exported from such a
    page (or from `vnocr batch --html`'s), replayed on each page: the text is the
    reviewed text, refused for a page that was not reviewed. `jobs` None: one worker
    process per usable core, at most one per input."""
    fmt = fmt or format_for(output)
    jobs = usable_cpus() if jobs is None else jobs
    if decisions is not None and fmt is not Format.text:
        raise BadOptionsError("--decisions gives the reviewed text: use --format text")
    reviewed = read_decisions(decisions) if decisions is not None else None
    refuse_output_over_input(html, [i for i in inputs if i != STDOUT])
    if jobs < 1:
        raise BadOptionsError("-j must be at least 1")
    if inputs.count(STDOUT) > 1:
        raise BadOptionsError("stdin (-) can be given only once")
    selection = PageSelection.of(pages)
    files = output_files(inputs, output, SUFFIX[fmt.value])
    if files is None and fmt is Format.pdf and len(inputs) > 1:
        raise BadOptionsError("several PDFs cannot share one stream: give -o a directory")
    for name in inputs:
        if name != STDOUT and not Path(name).exists():
            raise InputError(f"{name}: no such file")
    check_ready(options, inputs=inputs)
    progress = progress or NullProgress()
    # the review page's kind keeps each page's correction: the page and the replay need it
    kinds = (fmt.value,) + ((HTML,) if html is not None or reviewed is not None else ())
    with spooled_stdin(inputs) as paths, contextlib.ExitStack() as stack:
        tasks = [
            Task(name, str(path), options, kinds, pages=selection)
            for name, path in zip(inputs, paths)
        ]
        order = {id(t): k for k, t in enumerate(tasks)}
        stream = None if files is not None else stack.enter_context(open_output(output or STDOUT))
        writer = _DocumentWriter(inputs, fmt, files=files, stream=stream, reviewed=reviewed)

        def on_done(task: Task, pages: tuple[PageOutput, ...]) -> None:
            writer.add(order[id(task)], pages)
            progress.advance(files=1)

        progress.start(files=len(tasks), pages=_pages_total(paths, selection))
        stack.callback(progress.close)
        executor = make_executor(options, min(jobs, len(tasks)))
        stack.callback(executor.close)
        executor.run(read_task, tasks, on_done, _reraise, lambda _: progress.advance(pages=1))
        writer.close()
    if html is not None:
        from vnocr.report import write_html

        write_html(writer.corrections, Path(html), title=", ".join(inputs),
                   labels=writer.labels)


def review_label(name: str, page: PageOutput, npages: int) -> str:
    """A page's section on an OCR review page: the input, and the page of several."""
    return name if npages == 1 else f"{name}, page {page.index + 1}"


def _reviewed_pages(name: str, pages: tuple[PageOutput, ...],
                    reviewed: list[DocumentDecisions]) -> tuple[PageOutput, ...]:
    """The pages with the reviewer's decisions applied to their text."""
    return tuple(
        replace(p, text=reviewed_text(p.correction, reviewed, review_label(name, p, len(pages))))
        if p.correction is not None else p
        for p in pages
    )


class _DocumentWriter:
    """Writes finished documents in input order: into one stream (text separated by form
    feeds; several JSON documents as one list, at the end) or into one file each."""

    def __init__(
        self,
        names: list[str],
        fmt: Format,
        *,
        files: list[Path] | None,
        stream: BinaryIO | None,
        reviewed: list[DocumentDecisions] | None = None,
    ) -> None:
        self.names, self.fmt, self.files, self.stream = names, fmt, files, stream
        self.reviewed = reviewed
        self._waiting: dict[int, tuple[PageOutput, ...]] = {}
        self._next = 0
        self._json_docs: list[dict] = []
        # every page's correction, as it was before any review, and its section's label
        self.corrections: list[CorrectionResult] = []
        self.labels: list[str] = []

    def add(self, k: int, pages: tuple[PageOutput, ...]) -> None:
        """Document `k` is done; write it and every later one already done."""
        self._waiting[k] = pages
        while self._next in self._waiting:
            self._write(self._next, self._waiting.pop(self._next))
            self._next += 1

    def _write(self, k: int, pages: tuple[PageOutput, ...]) -> None:
        name = self.names[k] if self.names[k] == STDOUT else str(Path(self.names[k]))
        for p in pages:
            if p.correction is not None:
                self.corrections.append(p.correction)
                self.labels.append(review_label(name, p, len(pages)))
        if self.reviewed is not None:
            pages = _reviewed_pages(name, pages, self.reviewed)
        if self.files is not None:
            rendered = render_document(self.fmt, name, pages)
            write_output(self.files[k], rendered, make_parents=True)
        elif self.fmt is Format.json and len(self.names) > 1:
            self._json_docs.append(document_dict(name, pages))
        else:
            assert self.stream is not None
            rendered = render_document(self.fmt, name, pages)
            if isinstance(rendered, str):
                rendered = (("\f" if k else "") + rendered).encode("utf-8")
            self.stream.write(rendered)
            self.stream.flush()

    def close(self) -> None:
        if self.stream is not None and self._json_docs:
            self.stream.write(dump_json(self._json_docs).encode("utf-8"))


@app.command()
def ocr(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...",
            show_default=False,
            help="Scans to read: PNG, JPEG, TIFF (multi-page), BMP, WebP, PDF (rendered at "
            "300 DPI); "
            "'-' reads one from stdin.",
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            show_default=False,
            help="Output file ('-': stdout); with several inputs (or an existing directory) "
            "a directory that gets one INPUT-stem.txt/.json per input. Default: stdout.",
        ),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            show_default=False,
            help="text: lines and paragraphs, pages separated by form feed. json: pages → "
            "paragraphs → lines → words with confidence and box, plus the corrected text "
            "and words. pdf: the scan with the corrected text as a searchable layer. "
            "hocr, alto: the corrected words with boxes. Default: from -o's suffix "
            "(.pdf, .hocr, .json, .xml: ALTO), else text.",
        ),
    ] = None,
    lang: LangOption = "vie",
    psm: PsmOption = 3,
    no_preprocess: Annotated[
        bool,
        typer.Option(
            "--no-preprocess",
            help="Skip seal removal, flattening, deskew, rescale and turning; give "
            "Tesseract the page as is.",
        ),
    ] = False,
    jobs: Annotated[
        int | None, typer.Option("-j", "--jobs", min=1, show_default=False,
                                 help="Inputs read in parallel processes. Default: one per "
                                 "core, at most one per input.")
    ] = None,
    no_correct: Annotated[
        bool,
        typer.Option(
            "--no-correct",
            help="Raw OCR text: no diacritic restoration, no dictionary pass.",
        ),
    ] = False,
    pages: Annotated[
        str | None,
        typer.Option("--pages", show_default=False,
                     help="Pages to read, counted from 1: e.g. 1-3,7 or 5- (default: all)."),
    ] = None,
    force_ocr: ForceOcrOption = False,
    skip_text: SkipTextOption = False,
    model: ModelDirOption = None,
    html: HtmlPageOption = None,
    decisions: DecisionsOption = None,
) -> None:
    """OCR scans and PDFs to Vietnamese text, then restore marks and repair OCR errors.

    A PDF page that has its own text (born digital) is not OCR'd: its text is read,
    legacy encodings (TCVN3, VNI) converted, and corrected like any text; the JSON
    says per page which way it went ("source").

    Several inputs are read one after another (or -j at a time); the first failure
    stops the run. For whole folders that must survive bad files, use 'vnocr batch'.
    INPUT '-' is one image or PDF on stdin. '-o -' is stdout; -o to a device or FIFO
    streams into it, to a symlink writes its target; an output that is also an input
    is refused (exit 2). Progress shows on stderr when stderr is a terminal.

    Exit codes: 0 ok, 2 bad options, 3 bad input (missing, empty, corrupt or
    unsupported file, PDF without pages, over the pixel limit), 4 Tesseract or its
    language data missing, 5 Tesseract failed, 6 restoration model missing.

    Example: vnocr ocr scan.pdf -o scan.txt --no-correct
    """
    options = Options(
        ocr=OcrOptions(
            tesseract=TesseractOptions(lang=lang, psm=psm),
            preprocess=PreprocessOptions(enabled=not no_preprocess),
            text_layer=text_layer_mode(force_ocr, skip_text),
        ),
        restore=RestoreOptions(enabled=not no_correct, model_dir=model or default_model_dir()),
        lexicon=LexiconOptions(enabled=not no_correct),
    )
    run_ocr(list(inputs), options, output=output, fmt=fmt, jobs=jobs, pages=pages, html=html,
            decisions=decisions, progress=terminal_progress("ocr"))
