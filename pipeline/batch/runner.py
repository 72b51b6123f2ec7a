"""`run_batch`: walk IN_DIR, plan against the manifest, run tasks, write outputs, report.

The parent process owns every write: workers return pages, the parent renders and
writes each output atomically, then records the input in the manifest. Outputs are a
pure function of the input bytes and the options, so a resumed run writes exactly what
an uninterrupted run would have written. The steps live in their own modules: `walk`
(inputs), `plan` (what to redo, tasks), `worker` (inside a worker), `collect` (results
to files), `summary` (the report).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from vnocr.api import check_ready
from vnocr.batch.collect import BatchAborted, Collector
from vnocr.batch.executors import Executor
from vnocr.batch.manifest import Manifest, sweep_temp_files
from vnocr.batch.plan import Plan, make_tasks, options_fingerprint, plan_jobs
from vnocr.batch.progress import NullProgress, ProgressBar
from vnocr.batch.summary import BatchReport, Failure
from vnocr.batch.walk import MANIFEST_NAME, check_dirs, walk_inputs
from vnocr.batch.worker import make_executor, run_task
from vnocr.errors import BadOptionsError, ExitCode, VnocrError
from vnocr.options import Options
from vnocr.output import HTML, Format
from vnocr.page_selection import PageSelection

log = logging.getLogger(__name__)

FORMATS = tuple(f.value for f in Format)
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
    pages: PageSelection | None = None  # `--pages 1-3,7` of every input; None: all

    def __post_init__(self) -> None:
        if self.jobs < 1:
            raise BadOptionsError(f"-j must be at least 1, got {self.jobs}")
        if not self.formats:
            raise BadOptionsError(f"--format needs at least one of: {', '.join(FORMATS)}")
        bad = [f for f in self.formats if f not in FORMATS]
        if bad:
            raise BadOptionsError(
                f"--format: unknown {', '.join(bad)} (choose from {', '.join(FORMATS)})")
        if len(set(self.formats)) != len(self.formats):
            raise BadOptionsError("--format lists a format twice")
        if self.executor not in EXECUTORS:
            raise BadOptionsError(f"--executor must be local or dask, got {self.executor!r}")
        if self.scheduler and self.executor != "dask":
            raise BadOptionsError("--scheduler needs --executor dask")

    @property
    def kinds(self) -> tuple[str, ...]:
        """Every output written per input: the formats, then the review page."""
        return self.formats + ((HTML,) if self.html else ())


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C: the run stopped cleanly; `report` says how far it got."""

    def __init__(self, report: BatchReport) -> None:
        super().__init__("interrupted")
        self.report = report


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

    Raises `BatchInterrupted` on Ctrl-C, `BatchAborted` (or the `VnocrError` itself)
    when the environment is broken, `BadOptionsError` for bad folders; a bad input file
    is a `Failure` in the report, never an exception. Once OUT_DIR exists the report is
    written whatever happens, with the exit code the error carries.
    """
    options = options or Options()
    batch = batch or BatchOptions()
    t0 = time.perf_counter()
    report = _open_report(Path(in_dir), Path(out_dir), batch)
    with _only_batch_in(report.out_dir):  # (a second batch must not write the report)
        try:
            _run(report, options, batch, progress or NullProgress(), executor)
        except KeyboardInterrupt:
            report.interrupted = True
        except VnocrError as e:
            report.aborted = ExitCode(e.exit_code)
            report.abort_reason = str(e)
            raise
        finally:
            report.elapsed_s = time.perf_counter() - t0
            report.failures.sort(key=lambda f: f.path)
            report.write(sync=batch.fsync)
    if report.interrupted:
        raise BatchInterrupted(report)
    return report


@contextlib.contextmanager
def _only_batch_in(out_dir: Path) -> Iterator[None]:
    """One batch at a time writes into OUT_DIR: a second one would redo every input and
    race the first on the manifest. The lock is the kernel's (flock on the folder
    itself), so it leaves no file behind and a killed batch holds none."""
    fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BadOptionsError(f"{out_dir}: another vnocr batch is writing there; "
                                  "wait for it or choose another OUT_DIR") from None
        yield
    finally:
        os.close(fd)


def _open_report(in_dir: Path, out_dir: Path, batch: BatchOptions) -> BatchReport:
    """Check both folders, create OUT_DIR, start the report."""
    real_in, real_out = check_dirs(in_dir, out_dir)
    try:
        real_out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BadOptionsError(f"{out_dir}: cannot create ({e.strerror})") from None
    started = datetime.now(UTC).isoformat(timespec="seconds")
    return BatchReport(real_in, real_out, batch.jobs, batch.executor, started_at=started)


def _run(
    report: BatchReport,
    options: Options,
    batch: BatchOptions,
    progress: ProgressBar,
    executor: Executor | None,
) -> None:
    """Plan, check the environment once, run the tasks; fills `report`."""
    manifest = Manifest(report.out_dir / MANIFEST_NAME, sync=batch.fsync)
    plan = _plan(report, manifest, options, batch)
    if plan.jobs:  # fail once, before any worker starts
        check_ready(options, inputs=[j.inp.path for j in plan.jobs])
    manifest.records = plan.kept
    manifest.start(fresh=not plan.kept)
    tasks = make_tasks(plan.jobs, options, workers=batch.jobs, split=batch.split_pages)
    collector = Collector(
        report,
        plan.jobs,
        manifest=manifest,
        previous=plan.previous,
        fingerprint=plan.fingerprint,
        progress=progress,
    )
    own_executor = executor is None
    try:
        with collector.guard:
            progress.start(files=len(plan.jobs), pages=sum(len(j.wanted) for j in plan.jobs))
            if tasks:
                executor = executor or make_executor(
                    options, batch.jobs, backend=batch.executor, scheduler=batch.scheduler
                )
                executor.run(
                    run_task, tasks, collector.on_done, collector.on_error, collector.on_progress
                )
    finally:
        progress.close()
        manifest.close()
        if own_executor and executor is not None:
            with contextlib.suppress(Exception):
                executor.close()


def _plan(report: BatchReport, manifest: Manifest, options: Options, batch: BatchOptions) -> Plan:
    """Sweep a killed run's temp files, walk IN_DIR and decide what to (re)do."""
    sweep_temp_files(report.out_dir)
    inputs, report.ignored = walk_inputs(report.in_dir, report.out_dir)
    report.inputs = len(inputs)
    previous = manifest.load()
    fingerprint = options_fingerprint(options, batch.kinds, batch.pages)
    plan = plan_jobs(
        inputs, previous, report.out_dir, batch.kinds, fingerprint, resume=batch.resume,
        pages=batch.pages,
    )
    report.skipped = len(plan.kept)
    report.failures.extend(plan.unreadable)
    return plan


__all__ = [
    "BatchAborted",
    "BatchInterrupted",
    "BatchOptions",
    "BatchReport",
    "Failure",
    "run_batch",
]
