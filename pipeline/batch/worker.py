"""What runs inside a worker: one input file (or one page of it) through the Pipeline.

Everything crossing the process boundary is small and picklable (`Task`, `TaskResult`);
the Pipeline with its model is built lazily once per worker process and cached, so
nothing heavy is pickled. Failures come back as data, never as exceptions,
so one bad scan cannot sink the batch.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from vnocr.allocator import give_large_blocks_back, release_free_pages
from vnocr.api import Pipeline
from vnocr.batch.executors import (
    DaskExecutor,
    Executor,
    ProcessExecutor,
    SerialExecutor,
    report_progress,
)
from vnocr.errors import ExitCode, VnocrError, WorkerDiedError
from vnocr.options import Options, forks_after_load, usable_cpus
from vnocr.output import PageOutput
from vnocr.page_selection import PageSelection
from vnocr.result import CorrectionResult
from vnocr.text_stream import TextPiece, iter_pieces

log = logging.getLogger(__name__)

# Errors that will hit every input alike: stop the batch instead of failing each file.
FATAL_CODES = frozenset({ExitCode.ENVIRONMENT, ExitCode.MODEL})


@dataclass(frozen=True, slots=True)
class Task:
    """One unit of work: a whole file, or some of its pages (a range of a long file in a
    batch, `--pages` of `vnocr ocr`)."""

    rel: str  # the name the parent knows the input by (relative to IN_DIR in a batch)
    path: str
    options: Options
    kinds: tuple[str, ...] = ("text",)  # what will be rendered: text, json, html
    pages: PageSelection | None = None  # None: the whole file
    npages: int = 1  # pages of the file this task belongs to (known in the parent)

    @property
    def part(self) -> int | None:
        """First page (0-based) of the task's selection; None for a whole file."""
        return None if self.pages is None else self.pages.first - 1

    @property
    def expected_pages(self) -> int:
        return self.npages if self.pages is None else self.pages.count(self.npages)


@dataclass(frozen=True, slots=True)
class TaskResult:
    """What a worker sends back for one `Task`: its pages, or the failure as data.

    A failure never crosses the process boundary as an exception: `error` is its one-line
    reason, `exit_code` the code it maps to, and `fatal` says it would hit every input
    alike (no model, no Tesseract), so the parent stops the batch.
    """

    rel: str
    part: int | None  # first page of the task's range; None for a whole file
    pages: tuple[PageOutput, ...] = ()
    error: str | None = None
    error_type: str | None = None
    exit_code: int = 0
    fatal: bool = False
    seconds: float = 0.0
    pid: int = field(default_factory=os.getpid)

    @property
    def ok(self) -> bool:
        return self.error is None


_pipelines: dict[Options, Pipeline] = {}


def get_pipeline(options: Options) -> Pipeline:
    """One Pipeline per options per process; its model loads on first use and stays."""
    pipeline = _pipelines.get(options)
    if pipeline is None:
        pipeline = _pipelines[options] = Pipeline(options)
    return pipeline


def share_pipeline(pipeline: Pipeline) -> None:
    """Make `pipeline` this process's for its options (`get_pipeline`): the one that
    workers forked from here inherit, loaded, instead of building their own."""
    _pipelines[pipeline.options] = pipeline


def correct_stream_in_workers(
    pipeline: Pipeline, stream: BinaryIO, *, source: str = "input", encoding: str = "auto",
    jobs: int = 2,
) -> Iterator[tuple[TextPiece, CorrectionResult]]:
    """`Pipeline.correct_stream`'s pieces, each with its correction, in order, corrected
    by `jobs` worker processes forked from this one, which share `pipeline`'s loaded
    model (`make_executor`). Each piece is corrected alone either way, so the text is
    the same; at most 2 x `jobs` pieces are in flight, so memory stays flat."""
    share_pipeline(pipeline)
    executor = make_executor(pipeline.options, jobs)
    queued: deque[TextPiece] = deque()  # imap answers in the order it was given

    def tasks() -> Iterator[tuple[Options, str]]:
        for piece in iter_pieces(stream, source=source, encoding=encoding):
            queued.append(piece)
            yield pipeline.options, piece.text

    try:
        for _, result in executor.imap(correct_text_task, tasks()):
            yield queued.popleft(), result
    except BrokenProcessPool as e:
        raise WorkerDiedError("a worker process died (out of memory?)") from e
    finally:
        executor.close()


def correct_text_task(task: tuple[Options, str]) -> CorrectionResult:
    """A worker's share of a text stream (`correct_stream_in_workers`): one
    piece's text corrected, then the heap's free pages given back."""
    options, text = task
    result = get_pipeline(options).correct_text(text)
    release_free_pages()
    return result


def init_worker(options: Options, threads: int | None = None) -> None:
    """Process-pool initializer: ignore Ctrl-C (the parent stops us), cap threads, warm up
    (a no-op in a worker forked from a parent that preloaded the Pipeline).

    With N workers on few cores, Tesseract's OpenMP and torch's intra-op threads would
    fight each other; one or two threads per worker is faster overall.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    give_large_blocks_back()  # as in the parent: `vnocr.allocator`
    if threads is not None:
        for var in ("OMP_THREAD_LIMIT", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(threads)
    preload_pipeline(options)


def preload_pipeline(options: Options) -> None:
    """Load this process's Pipeline's model and gazetteer now, once, rather than inside
    the first task; a failure is left for the first task to report (as fatal)."""
    pipeline = get_pipeline(options)
    for stage, enabled in (
        ("restorer", options.restore.enabled),
        ("gazetteer", options.lexicon.enabled),
    ):
        if enabled:
            try:
                getattr(pipeline, stage)
            except Exception as e:  # noqa: BLE001 - the first task reports it, as fatal
                log.debug("%s preload failed: %s", stage, e)


def make_executor(
    options: Options, jobs: int, *, backend: str = "local", scheduler: str | None = None
) -> Executor:
    """Where tasks of `vnocr ocr -j` and `vnocr batch` run: this process for one job, a
    process pool, or Dask. Each worker gets an equal share of the cores for Tesseract's
    and torch's own threads.

    The pool's workers are forked after this process loaded the Pipeline: they share
    its model and tables, copy-on-write, instead of each importing torch and loading
    them again (seconds and some 400 MB a worker). Where that is not safe
    (`forks_after_load`) they are spawned and load it once each."""
    threads = max(1, usable_cpus() // jobs)
    if backend == "dask":
        env = {v: str(threads) for v in ("OMP_THREAD_LIMIT", "OMP_NUM_THREADS")}
        return DaskExecutor(jobs, scheduler, worker_env=env)
    if jobs == 1:  # the model loads while the first page is read (`load_in_background`)
        get_pipeline(options).load_in_background()
        return SerialExecutor()
    if forks_after_load():
        preload_pipeline(options)
        return ProcessExecutor(jobs, initializer=init_worker, initargs=(options, threads),
                               start_method="fork")
    return ProcessExecutor(jobs, initializer=init_worker, initargs=(options, threads))


def _one_line(msg: str, path: str) -> str:
    """Drop the path prefix (the report names the file) and keep one line."""
    msg = (msg.strip().splitlines() or [""])[0]
    for prefix in (f"{path}: ", f"{Path(path).name}: "):
        if msg.startswith(prefix):
            return msg[len(prefix) :]
    return msg


def read_task(task: Task) -> tuple[PageOutput, ...]:
    """Read and correct the task's pages, telling the parent after each page (progress
    inside a long PDF); errors propagate (`run_task` turns them into data)."""
    pipeline = get_pipeline(task.options)
    pages = []
    for page in pipeline.iter_pages(Path(task.path), task.pages):
        pages.append(PageOutput.of(page, task.kinds, source=task.path))
        report_progress((task.rel, task.part))
    return tuple(pages)


def run_task(task: Task) -> TaskResult:
    """Run one task; every failure is returned as data with a one-line reason."""
    t0 = time.perf_counter()
    part = task.part
    try:
        pages = read_task(task)
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
