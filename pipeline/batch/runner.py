"""`run_batch`: walk IN_DIR, plan against the manifest, run tasks, write outputs, report.

The parent process owns every write: workers return text and JSON, the parent writes
each output atomically, then records the input in the manifest. Outputs are a pure
function of the input bytes and the options, so a resumed run writes exactly what an
uninterrupted run would have written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from vnocr.batch.executors import DaskExecutor, Executor, ProcessExecutor, SerialExecutor
from vnocr.batch.manifest import Manifest, Record, atomic_write, sha256_file, sweep_temp_files
from vnocr.batch.pages import MULTIPAGE_SUFFIXES, count_pages, page_ranges
from vnocr.batch.progress import NullProgress, ProgressBar
from vnocr.batch.walk import (
    MANIFEST_NAME,
    REPORT_NAME,
    InputFile,
    Skipped,
    check_dirs,
    safe_output_path,
    walk_inputs,
)
from vnocr.batch.worker import Task, TaskResult, init_worker, run_task
from vnocr.errors import BadOptionsError, ExitCode, VnocrError
from vnocr.options import Options

log = logging.getLogger(__name__)

_VERSION = "batch-1"  # bump when the output format changes, so --resume redoes old outputs
FORMATS = ("text", "json")
EXECUTORS = ("local", "dask")


@dataclass(frozen=True, kw_only=True)
class BatchOptions:
    """How the batch runs (the Pipeline's own options are `pipeline.options.Options`)."""

    jobs: int = 1
    resume: bool = False
    formats: tuple[str, ...] = ("text",)
    executor: str = "local"
    scheduler: str | None = None
    html: bool = False  # a review page per input (vnocr.report)
    split_pages: bool = True  # spread the pages of long PDFs/TIFFs over workers
    fsync: bool = True  # durability of outputs and manifest; tests may turn it off

    def __post_init__(self) -> None:
        if self.jobs < 1:
            raise BadOptionsError(f"-j must be at least 1, got {self.jobs}")
        if not self.formats:
            raise BadOptionsError("--format needs at least one of: text, json")
        bad = [f for f in self.formats if f not in FORMATS]
        if bad:
            raise BadOptionsError(f"--format: unknown {', '.join(bad)} (choose from text, json)")
        if len(set(self.formats)) != len(self.formats):
            raise BadOptionsError("--format lists a format twice")
        if self.executor not in EXECUTORS:
            raise BadOptionsError(f"--executor must be local or dask, got {self.executor!r}")
        if self.scheduler and self.executor != "dask":
            raise BadOptionsError("--scheduler needs --executor dask")


@dataclass(frozen=True, slots=True)
class Failure:
    path: str  # relative to IN_DIR
    reason: str  # one line
    error: str  # error class name
    exit_code: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "reason": self.reason,
            "error": self.error,
            "exit_code": self.exit_code,
        }


@dataclass
class BatchReport:
    """What happened; also written to `OUT_DIR/vnocr-report.json`."""

    in_dir: Path
    out_dir: Path
    jobs: int
    executor: str
    inputs: int = 0
    done: int = 0
    skipped: int = 0
    pages: int = 0
    elapsed_s: float = 0.0
    interrupted: bool = False
    failures: list[Failure] = field(default_factory=list)
    ignored: list[Skipped] = field(default_factory=list)
    started_at: str = ""

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def report_path(self) -> Path:
        return self.out_dir / REPORT_NAME

    @property
    def pages_per_minute(self) -> float | None:
        return 60.0 * self.pages / self.elapsed_s if self.pages and self.elapsed_s > 0 else None

    @property
    def exit_code(self) -> ExitCode:
        if self.interrupted:
            return ExitCode.INTERRUPTED
        return ExitCode.FAILED_SOME if self.failures else ExitCode.OK

    def as_dict(self) -> dict[str, Any]:
        from vnocr import __version__

        ppm = self.pages_per_minute
        return {
            "vnocr": __version__,
            "in_dir": str(self.in_dir),
            "out_dir": str(self.out_dir),
            "started_at": self.started_at,
            "elapsed_s": round(self.elapsed_s, 3),
            "jobs": self.jobs,
            "executor": self.executor,
            "interrupted": self.interrupted,
            "counts": {
                "inputs": self.inputs,
                "done": self.done,
                "skipped": self.skipped,
                "failed": self.failed,
                "pages": self.pages,
            },
            "pages_per_minute": None if ppm is None else round(ppm, 2),
            "exit_code": int(self.exit_code),
            "failures": [f.as_dict() for f in self.failures],
            "ignored": [{"path": s.rel, "reason": s.reason} for s in self.ignored],
        }


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C: the run stopped cleanly; `report` says how far it got."""

    def __init__(self, report: BatchReport) -> None:
        super().__init__("interrupted")
        self.report = report


class BatchAborted(VnocrError):
    """An error that would hit every input (no Tesseract, no model): stop the batch."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = ExitCode(exit_code)


# -- plan ------------------------------------------------------------------------------
@dataclass(slots=True)
class _Job:
    """One input to (re)do, with what the manifest will record once it is written."""

    inp: InputFile
    size: int
    sha256: str
    outputs: dict[str, str]  # format -> path relative to OUT_DIR
    npages: int
    tasks: int = 1
    results: dict[int | None, TaskResult] = field(default_factory=dict)
    failed: bool = False


def options_fingerprint(options: Options, formats: tuple[str, ...]) -> str:
    """Changes when anything that shapes the outputs changes, so `--resume` redoes them."""
    parts: list[str] = [repr(options), repr(sorted(formats)), _VERSION]
    if options.restore.enabled:
        for name in ("config.json", "model.safetensors"):
            with contextlib.suppress(OSError):
                st = (Path(options.restore.model_dir) / name).stat()
                parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _read_failure(rel: str, e: OSError) -> Failure:
    reason = e.strerror or str(e)
    if isinstance(e, PermissionError):
        reason = "permission denied"
    return Failure(rel, f"cannot read: {reason}", type(e).__name__, int(ExitCode.BAD_INPUT))


# -- interrupts ------------------------------------------------------------------------
class _InterruptGuard:
    """Defers Ctrl-C while an input's outputs and manifest record are being written."""

    def __init__(self) -> None:
        self.depth = 0
        self.pending = False
        self._old: Any = None
        self._installed = False

    def __enter__(self) -> Self:
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handler)
            self._installed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._old)

    def _handler(self, signum: int, frame: object) -> None:
        if self.depth:
            self.pending = True
        else:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def critical(self) -> Iterator[None]:
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
        if not self.depth and self.pending:
            self.pending = False
            raise KeyboardInterrupt


# -- run -------------------------------------------------------------------------------
def make_executor(options: Options, batch: BatchOptions) -> Executor:
    threads = max(1, (os.cpu_count() or 1) // batch.jobs)
    if batch.executor == "dask":
        env = {v: str(threads) for v in ("OMP_THREAD_LIMIT", "OMP_NUM_THREADS")}
        return DaskExecutor(batch.jobs, batch.scheduler, worker_env=env)
    if batch.jobs == 1:
        return SerialExecutor()
    return ProcessExecutor(batch.jobs, initializer=init_worker, initargs=(options, threads))


def run_batch(
    in_dir: str | Path,
    out_dir: str | Path,
    options: Options | None = None,
    batch: BatchOptions | None = None,
    *,
    progress: ProgressBar | None = None,
    executor: Executor | None = None,
) -> BatchReport:
    """Convert every input under `in_dir` into `out_dir`; see the module docstring.

    Raises `BatchInterrupted` on Ctrl-C (after writing the report), `BatchAborted` when
    the environment is broken, `BadOptionsError` for bad folders; a bad input file is
    a `Failure` in the report, never an exception.
    """
    options = options or Options()
    batch = batch or BatchOptions()
    progress = progress or NullProgress()
    t0 = time.perf_counter()
    real_in, real_out = check_dirs(Path(in_dir), Path(out_dir))
    try:
        real_out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BadOptionsError(f"{out_dir}: cannot create ({e.strerror})") from None
    report = BatchReport(
        real_in,
        real_out,
        batch.jobs,
        batch.executor,
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    sweep_temp_files(real_out)
    inputs, report.ignored = walk_inputs(real_in, real_out)
    report.inputs = len(inputs)

    manifest = Manifest(real_out / MANIFEST_NAME, sync=batch.fsync)
    previous = manifest.load()
    kinds = batch.formats + (("html",) if batch.html else ())
    fingerprint = options_fingerprint(options, kinds)
    jobs: list[_Job] = []
    kept: dict[str, Record] = {}
    for inp in inputs:
        try:
            size = inp.path.stat().st_size
            digest = sha256_file(inp.path)
        except OSError as e:
            report.failures.append(_read_failure(inp.rel, e))
            continue
        outputs = {fmt: inp.output_rel(fmt) for fmt in kinds}
        rec = previous.get(inp.rel)
        if (
            batch.resume
            and rec is not None
            and rec.size == size
            and rec.sha256 == digest
            and rec.options == fingerprint
            and rec.outputs == tuple(outputs.values())
            and all((real_out / o).is_file() for o in rec.outputs)
        ):
            report.skipped += 1
            kept[inp.rel] = rec
            continue
        jobs.append(_Job(inp, size, digest, outputs, count_pages(inp.path)))

    if any(j.inp.path.suffix.lower() != ".txt" for j in jobs):
        _check_ocr_environment(options)  # fail once, before any worker starts
    manifest.records = kept
    manifest.start(fresh=not kept)
    tasks = _make_tasks(jobs, options, batch)
    by_rel = {j.inp.rel: j for j in jobs}
    _count_tasks(jobs, tasks)
    guard = _InterruptGuard()

    def fail(job: _Job, reason: str, error: str, code: int) -> None:
        if job.failed:
            return
        job.failed = True
        report.failures.append(Failure(job.inp.rel, reason, error, code))
        with guard.critical():
            _remove_stale(job, previous.get(job.inp.rel), real_out, manifest)
        progress.advance(files=1)

    # Pages reported from inside running tasks (long files), by (input, first page).
    in_task_pages: dict[tuple[str, int | None], int] = {}
    settled: set[tuple[str, int | None]] = set()

    def on_progress(msg: tuple[str, int | None]) -> None:
        rel, part = msg
        if (rel, part) in settled or rel not in by_rel:
            return  # a late message for a task whose result is already counted
        in_task_pages[(rel, part)] = in_task_pages.get((rel, part), 0) + 1
        progress.advance(pages=1)

    def settle(task: Task) -> int:
        """Pages of `task` already shown by `on_progress`; later messages are ignored."""
        key = (task.rel, None if task.pages is None else task.pages[0])
        settled.add(key)
        return in_task_pages.pop(key, 0)

    def on_done(task: Task, result: TaskResult) -> None:
        job = by_rel[task.rel]
        expected = _expected_pages(task)
        shown = settle(task)
        if result.fatal:
            raise BatchAborted(result.error or "worker failed", result.exit_code)
        if not result.ok:
            progress.advance(pages=max(0, expected - shown))
            fail(job, result.error or "failed", result.error_type or "Error", result.exit_code)
            return
        got = len(result.pages)
        progress.advance(pages=max(0, got - shown), extra_pages=max(0, got - expected))
        job.results[result.part] = result
        if job.failed or len(job.results) < job.tasks:
            return
        if job.tasks > 1:  # a split file must come back whole, each page once
            got_idx = sorted(p.index for r in job.results.values() for p in r.pages)
            if got_idx != list(range(job.npages)):
                reason = f"pages came back incomplete ({len(got_idx)} of {job.npages})"
                fail(job, reason, "InputImageError", int(ExitCode.BAD_INPUT))
                return
        with guard.critical():
            report.pages += _commit(job, real_out, manifest, fingerprint)
            report.done += 1
        progress.advance(files=1)

    def on_error(task: Task, exc: BaseException) -> None:
        job = by_rel[task.rel]
        progress.advance(pages=max(0, _expected_pages(task) - settle(task)))
        fail(
            job,
            f"worker crashed ({type(exc).__name__}: {exc})".strip(),
            type(exc).__name__,
            int(ExitCode.BAD_INPUT),
        )

    own_executor = executor is None
    interrupted = False
    try:
        with guard:
            try:
                progress.start(files=len(jobs), pages=sum(j.npages for j in jobs))
                if tasks:
                    executor = executor or make_executor(options, batch)
                    executor.run(run_task, tasks, on_done, on_error, on_progress)
            except KeyboardInterrupt:
                interrupted = True
            finally:
                progress.close()
                manifest.close()
                if own_executor and executor is not None:
                    with contextlib.suppress(Exception):
                        executor.close()
    finally:
        report.interrupted = interrupted
        report.elapsed_s = time.perf_counter() - t0
        report.failures.sort(key=lambda f: f.path)
        _write_report(report, batch.fsync)
    if interrupted:
        raise BatchInterrupted(report)
    return report


def _make_tasks(jobs: list[_Job], options: Options, batch: BatchOptions) -> list[Task]:
    """One task per file; a long multi-page file is cut into one page range per worker.

    "Long" means more than half a worker's fair share of all pages: then it would
    otherwise keep one worker busy after the others ran dry. Shorter files stay whole,
    since the loader of a range renders the pages before it too (wasted work).
    """
    long_file = sum(j.npages for j in jobs) / (2 * batch.jobs)
    split = (
        batch.split_pages
        and batch.jobs > 1
        and any(j.npages > max(1.0, long_file) for j in jobs)
        and _pages_supported()
    )
    tasks: list[Task] = []
    for job in jobs:
        want = {"want_json": "json" in job.outputs, "want_html": "html" in job.outputs}
        path = str(job.inp.path)
        if (
            split
            and job.npages > max(1.0, long_file)
            and job.inp.path.suffix.lower() in MULTIPAGE_SUFFIXES
        ):
            tasks.extend(
                Task(job.inp.rel, path, options, **want, pages=rng, npages=job.npages)
                for rng in page_ranges(job.npages, batch.jobs)
            )
        else:
            tasks.append(Task(job.inp.rel, path, options, **want, npages=job.npages))
    return tasks


def _check_ocr_environment(options: Options) -> None:
    """Tesseract and its languages present? Raises `MissingDependencyError` if not."""
    try:
        from vnocr.ocr import check_environment
    except ImportError as e:
        raise BatchAborted(f"the OCR stage is missing: {e}", int(ExitCode.ENVIRONMENT)) from None
    check_environment(options.ocr.tesseract.lang)


def _expected_pages(task: Task) -> int:
    return task.npages if task.pages is None else task.pages[1] - task.pages[0]


def _count_tasks(jobs: list[_Job], tasks: list[Task]) -> None:
    counts: dict[str, int] = {}
    for t in tasks:
        counts[t.rel] = counts.get(t.rel, 0) + 1
    for j in jobs:
        j.tasks = counts.get(j.inp.rel, 0)


def _pages_supported() -> bool:
    from vnocr.batch.pages import page_reader_available

    return page_reader_available()


def _commit(job: _Job, real_out: Path, manifest: Manifest, fingerprint: str) -> int:
    """Write every output of a finished input atomically, then record it; returns pages."""
    pages = sorted((p for r in job.results.values() for p in r.pages), key=lambda p: p.index)
    text = "\f".join(p.text for p in pages)
    for fmt, rel_out in job.outputs.items():
        if fmt == "text":  # as `vnocr ocr` prints it: a text file ends with a newline
            data = (text if not text or text.endswith("\n") else text + "\n").encode("utf-8")
        elif fmt == "html":
            from vnocr.report import render_html

            labels = [f"page {p.index + 1}" for p in pages] if len(pages) > 1 else None
            corrections = [p.correction for p in pages]
            data = render_html(corrections, title=job.inp.rel, labels=labels).encode("utf-8")
        else:
            doc = {
                "path": job.inp.rel,
                "sha256": job.sha256,
                "text": text,
                "pages": [p.data for p in pages],
            }
            data = (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        atomic_write(safe_output_path(real_out, rel_out), data, sync=manifest.sync)
    manifest.add(
        Record(
            path=job.inp.rel,
            size=job.size,
            sha256=job.sha256,
            outputs=tuple(job.outputs.values()),
            options=fingerprint,
            pages=len(pages),
        )
    )
    log.info("done %s (%d pages)", job.inp.rel, len(pages))
    return len(pages)


def _remove_stale(job: _Job, old: Record | None, real_out: Path, manifest: Manifest) -> None:
    """A changed input that now fails must not keep the outputs of its old version."""
    if old is None:
        return
    for rel_out in old.outputs:
        with contextlib.suppress(OSError):
            (real_out / rel_out).unlink()
    manifest.remove(job.inp.rel)


def _write_report(report: BatchReport, sync: bool) -> None:
    data = json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"
    try:
        atomic_write(report.report_path, data.encode("utf-8"), sync=sync)
    except OSError as e:
        log.error("cannot write %s: %s", report.report_path, e)
