"""What runs inside a worker: one input file (or one page of it) through the Pipeline.

Everything crossing the process boundary is small and picklable (`Task`, `TaskResult`);
the Pipeline with its model is built lazily once per worker process and cached, so
nothing heavy is pickled (STYLE 7). Failures come back as data, never as exceptions,
so one bad scan cannot sink the batch.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from vnocr.api import PageResult, Pipeline
from vnocr.batch.executors import report_progress
from vnocr.batch.pages import MULTIPAGE_SUFFIXES, read_pages
from vnocr.errors import ExitCode, VnocrError
from vnocr.options import Options
from vnocr.result import CorrectionResult

log = logging.getLogger(__name__)

# Errors that will hit every input alike: stop the batch instead of failing each file.
FATAL_CODES = frozenset({ExitCode.ENVIRONMENT, ExitCode.MODEL})


@dataclass(frozen=True, slots=True)
class Task:
    """One unit of work: a whole file, or pages `pages[0]`..`pages[1]-1` of a long one."""

    rel: str
    path: str
    options: Options
    want_json: bool = False
    want_html: bool = False
    pages: tuple[int, int] | None = None  # None: the whole file
    npages: int = 1  # pages of the file this task belongs to (known in the parent)


@dataclass(frozen=True, slots=True)
class PagePayload:
    index: int
    text: str
    data: dict[str, Any] | None = None  # JSON form of the page, when asked
    correction: CorrectionResult | None = None  # for the HTML review page, when asked


@dataclass(frozen=True, slots=True)
class TaskResult:
    rel: str
    part: int | None  # first page of the task's range; None for a whole file
    pages: tuple[PagePayload, ...] = ()
    error: str | None = None
    error_type: str | None = None
    exit_code: int = 0
    fatal: bool = False
    seconds: float = 0.0
    pid: int = field(default_factory=os.getpid)

    @property
    def ok(self) -> bool:
        return self.error is None


@lru_cache(maxsize=4)
def get_pipeline(options: Options) -> Pipeline:
    """One Pipeline per options per process; its model loads on first use and stays."""
    return Pipeline(options)


def init_worker(options: Options, threads: int | None = None) -> None:
    """Process-pool initializer: ignore Ctrl-C (the parent stops us), cap threads, warm up.

    With N workers on few cores, Tesseract's OpenMP and torch's intra-op threads would
    fight each other; one or two threads per worker is faster overall.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if threads is not None:
        for var in ("OMP_THREAD_LIMIT", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(threads)
    pipeline = get_pipeline(options)
    # Load the model and the gazetteer now, once, rather than inside the first task.
    for stage, enabled in (
        ("restorer", options.restore.enabled),
        ("gazetteer", options.lexicon.enabled),
    ):
        if enabled:
            try:
                getattr(pipeline, stage)
            except Exception as e:  # noqa: BLE001 - the first task reports it, as fatal
                log.debug("%s preload failed: %s", stage, e)


def _one_line(msg: str, path: str) -> str:
    """Drop the path prefix (the report names the file) and keep one line."""
    msg = (msg.strip().splitlines() or [""])[0]
    for prefix in (f"{path}: ", f"{Path(path).name}: "):
        if msg.startswith(prefix):
            return msg[len(prefix) :]
    return msg


def page_payload(page: PageResult, want_json: bool, want_html: bool = False) -> PagePayload:
    """The small, picklable part of a page that the parent needs to write outputs."""
    data = None
    correction = None
    if want_html:
        correction = page.correction or CorrectionResult(text=page.text, input_text=page.text)
    if want_json:
        # The page layout of `vnocr ocr --format json`: the OCR structure (paragraphs,
        # lines, words with confidence and box), then raw and corrected text, changes.
        as_dict = getattr(page.ocr, "as_dict", None)
        data = as_dict() if callable(as_dict) else {"index": page.index}
        data.pop("text", None)
        data["ocr_text"] = page.ocr_text
        data["text"] = page.text
        data["changes"] = [c.as_dict() for c in page.correction.changes] if page.correction else []
    return PagePayload(page.index, page.text, data, correction)


def run_task(task: Task) -> TaskResult:
    """Run one task; every failure is returned as data with a one-line reason."""
    t0 = time.perf_counter()
    part = None if task.pages is None else task.pages[0]
    try:
        pipeline = get_pipeline(task.options)
        path = Path(task.path)
        if task.pages is None and path.suffix.lower() not in MULTIPAGE_SUFFIXES:
            read = pipeline.read(path).pages
        else:  # page by page, so the progress bar moves inside a long PDF too
            start, stop = task.pages or (0, sys.maxsize)
            read = read_pages(
                pipeline, path, start, stop, on_page=lambda: report_progress((task.rel, part))
            )
        pages = tuple(page_payload(p, task.want_json, task.want_html) for p in read)
        return TaskResult(task.rel, part, pages, seconds=time.perf_counter() - t0)
    except VnocrError as e:
        code = ExitCode(e.exit_code)
        return TaskResult(
            task.rel,
            part,
            error=_one_line(str(e), task.path),
            error_type=type(e).__name__,
            exit_code=int(code),
            fatal=code in FATAL_CODES,
            seconds=time.perf_counter() - t0,
        )
    except ImportError as e:  # a stage that is not installed: same for every file
        return TaskResult(
            task.rel,
            part,
            error=f"a pipeline stage is missing: {e}",
            error_type=type(e).__name__,
            exit_code=int(ExitCode.ENVIRONMENT),
            fatal=True,
        )
    except MemoryError:
        return TaskResult(
            task.rel,
            part,
            error="out of memory",
            error_type="MemoryError",
            exit_code=int(ExitCode.BAD_INPUT),
        )
    except Exception as e:  # a bug or an unwrapped library error: report, go on
        log.exception("unexpected error on %s", task.rel)
        return TaskResult(
            task.rel,
            part,
            error=f"unexpected {type(e).__name__}: {_one_line(str(e), task.path)}",
            error_type=type(e).__name__,
            exit_code=int(ExitCode.BAD_INPUT),
            seconds=time.perf_counter() - t0,
        )
