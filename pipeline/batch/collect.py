"""The parent's side of a running batch: results come in, outputs go out.

`Collector` gets the executor's callbacks (`on_done`, `on_error`, `on_progress`): it
moves the progress bar page by page, puts the pages of a split file back together,
writes each finished input's outputs atomically and then records it in the manifest,
and turns every failure into a `Failure` of the report. `InterruptGuard` keeps Ctrl-C
from landing between an input's outputs and its manifest record.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self

from vnocr.batch.manifest import Manifest, Record
from vnocr.batch.plan import Job
from vnocr.batch.progress import ProgressBar
from vnocr.batch.summary import BatchReport, Failure
from vnocr.batch.walk import safe_output_path
from vnocr.batch.worker import Task, TaskResult
from vnocr.errors import ExitCode, OutputError, VnocrError
from vnocr.files import write_atomic
from vnocr.output import render_document

log = logging.getLogger(__name__)


class BatchAborted(VnocrError):
    """An error that would hit every input (no Tesseract, no model): stop the batch."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = ExitCode(exit_code)


class InterruptGuard:
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


class Collector:
    """Executor callbacks of one batch run (see the module docstring)."""

    def __init__(
        self,
        report: BatchReport,
        jobs: list[Job],
        *,
        manifest: Manifest,
        previous: dict[str, Record],
        fingerprint: str,
        progress: ProgressBar,
    ) -> None:
        self.report = report
        self.by_rel = {j.inp.rel: j for j in jobs}
        self.manifest = manifest
        self.previous = previous
        self.fingerprint = fingerprint
        self.progress = progress
        self.guard = InterruptGuard()
        # Pages reported from inside running tasks (long files), by (input, first page).
        self._in_task_pages: dict[tuple[str, int | None], int] = {}
        self._settled: set[tuple[str, int | None]] = set()

    # -- executor callbacks ------------------------------------------------------------
    def on_progress(self, msg: tuple[str, int | None]) -> None:
        rel, part = msg
        if (rel, part) in self._settled or rel not in self.by_rel:
            return  # a late message for a task whose result is already counted
        self._in_task_pages[(rel, part)] = self._in_task_pages.get((rel, part), 0) + 1
        self.progress.advance(pages=1)

    def on_done(self, task: Task, result: TaskResult) -> None:
        job = self.by_rel[task.rel]
        expected = task.expected_pages
        shown = self._settle(task)
        if result.fatal:
            raise BatchAborted(result.error or "worker failed", result.exit_code)
        if not result.ok:
            self.progress.advance(pages=max(0, expected - shown))
            self._fail(job, result.error or "failed", result.error_type or "Error",
                       result.exit_code)
            return
        got = len(result.pages)
        self.progress.advance(pages=max(0, got - shown), extra_pages=max(0, got - expected))
        job.results[result.part] = result
        if job.failed or len(job.results) < job.tasks:
            return
        if job.tasks > 1:  # a split file must come back whole, each selected page once
            got_idx = sorted(p.index for r in job.results.values() for p in r.pages)
            wanted = job.wanted
            if got_idx != wanted:
                reason = f"pages came back incomplete ({len(got_idx)} of {len(wanted)})"
                self._fail(job, reason, "InputImageError", int(ExitCode.BAD_INPUT))
                return
        with self.guard.critical():
            self.report.pages += self._commit(job)
            self.report.done += 1
        self.progress.advance(files=1)

    def on_error(self, task: Task, exc: BaseException) -> None:
        job = self.by_rel[task.rel]
        self.progress.advance(pages=max(0, task.expected_pages - self._settle(task)))
        self._fail(
            job,
            f"worker crashed ({type(exc).__name__}: {exc})".strip(),
            type(exc).__name__,
            int(ExitCode.BAD_INPUT),
        )

    # -- steps -------------------------------------------------------------------------
    def _settle(self, task: Task) -> int:
        """Pages of `task` already shown by `on_progress`; later messages are ignored."""
        key = (task.rel, task.part)
        self._settled.add(key)
        return self._in_task_pages.pop(key, 0)

    def _fail(self, job: Job, reason: str, error: str, code: int) -> None:
        if job.failed:
            return
        job.failed = True
        self.report.failures.append(Failure(job.inp.rel, reason, error, code))
        with self.guard.critical():
            self._remove_stale(job)
        self.progress.advance(files=1)

    def _commit(self, job: Job) -> int:
        """Write every output of a finished input atomically, then record it; returns pages."""
        pages = sorted((p for r in job.results.values() for p in r.pages), key=lambda p: p.index)
        real_out = self.report.out_dir
        try:
            for kind, rel_out in job.outputs.items():
                data = render_document(kind, job.inp.rel, pages, sha256=job.sha256)
                write_atomic(safe_output_path(real_out, rel_out), data, sync=self.manifest.sync)
            self.manifest.add(
                Record(
                    path=job.inp.rel,
                    size=job.size,
                    sha256=job.sha256,
                    outputs=tuple(job.outputs.values()),
                    options=self.fingerprint,
                    pages=len(pages),
                )
            )
        except OSError as e:  # a full disk or a read-only OUT_DIR fails every input alike
            raise BatchAborted(f"{real_out}: cannot write outputs ({e.strerror or e}); "
                               "finished outputs are kept, rerun with --resume",
                               int(OutputError.exit_code)) from None
        self.report.add_sources(job.inp.rel, [(p.index, p.page_source) for p in pages])
        log.info("done %s (%d pages)", job.inp.rel, len(pages))
        return len(pages)

    def _remove_stale(self, job: Job) -> None:
        """A changed input that now fails must not keep the outputs of its old version."""
        old = self.previous.get(job.inp.rel)
        if old is None:
            return
        for rel_out in old.outputs:
            with contextlib.suppress(OSError):
                (Path(self.report.out_dir) / rel_out).unlink()
        self.manifest.remove(job.inp.rel)
