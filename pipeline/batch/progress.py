"""Progress reporting, injected into the runner: never on stdout.

The runner only calls the `ProgressBar` protocol; the CLI chooses the rich bar on
stderr, tests and library users get `NullProgress`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Task as ProgressTask

    from vnocr.batch.runner import BatchReport


class ProgressBar(Protocol):
    """What the batch runner and `vnocr ocr`/`correct` report progress to, in files and pages.

    The caller calls `start` once with the totals counted up front, `advance` as files
    and pages finish, and `close` at the end, whatever happened; any object with these
    three methods will do.
    """

    def start(self, *, files: int, pages: int) -> None: ...

    def advance(self, *, files: int = 0, pages: int = 0, extra_pages: int = 0) -> None:
        """`extra_pages`: a file turned out to have more pages than counted up front."""

    def close(self) -> None: ...


class NullProgress:
    """A `ProgressBar` that shows nothing, where no bar is wanted.

    Used for `--no-progress`, for a stderr that is not a terminal, and by default for
    library callers and tests.
    """

    def start(self, *, files: int, pages: int) -> None:
        pass

    def advance(self, *, files: int = 0, pages: int = 0, extra_pages: int = 0) -> None:
        pass

    def close(self) -> None:
        pass


def stderr_console() -> Console:
    """A rich console on stderr, since stdout carries only the output."""
    from rich.console import Console

    return Console(file=sys.stderr, highlight=False)


class RichProgress:
    """Files and pages done, pages/s and ETA on a rich bar on stderr."""

    def __init__(
        self, console: Console | None = None, *, transient: bool = False, label: str = "batch"
    ) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class PagesPerSecond(ProgressColumn):
            def render(self, task: ProgressTask) -> Text:
                speed = task.finished_speed or task.speed
                return Text("–– pages/s" if speed is None else f"{speed:.2f} pages/s")

        self._progress = Progress(
            TextColumn(f"[bold]{label}"),
            BarColumn(bar_width=16),
            TextColumn("{task.fields[files]}/{task.fields[files_total]} files"),
            MofNCompleteColumn(),
            TextColumn("pages"),
            PagesPerSecond(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console or stderr_console(),
            transient=transient,
            speed_estimate_period=120.0,
        )
        self._task = None
        self._files = 0

    def start(self, *, files: int, pages: int) -> None:
        self._progress.start()
        self._task = self._progress.add_task("batch", total=pages, files=0, files_total=files)

    def advance(self, *, files: int = 0, pages: int = 0, extra_pages: int = 0) -> None:
        if self._task is None:
            return
        self._files += files
        if extra_pages:
            total = self._progress.tasks[0].total or 0
            self._progress.update(self._task, total=total + extra_pages)
        self._progress.update(self._task, advance=pages, files=self._files)

    def close(self) -> None:
        self._progress.stop()


def terminal_progress(label: str) -> ProgressBar:
    """A bar on stderr when stderr is a terminal; nothing when it is piped or logged,
    where a bar's redraws would only fill the file."""
    if sys.stderr.isatty():
        return RichProgress(label=label, transient=True)
    return NullProgress()


def print_summary(report: BatchReport, console: Console | None = None) -> None:
    """The end-of-run table on stderr: done, skipped, failed, pages, time."""
    from rich.table import Table

    console = console or stderr_console()
    title = "vnocr batch (interrupted)" if report.interrupted else "vnocr batch"
    table = Table(title=title, title_justify="left")
    for col in ("done", "skipped", "failed", "pages", "time", "pages/min"):
        table.add_column(col, justify="right")
    ppm = report.pages_per_minute
    table.add_row(
        str(report.done),
        str(report.skipped),
        str(report.failed),
        str(report.pages),
        f"{report.elapsed_s:.1f} s",
        "–" if ppm is None else f"{ppm:.1f}",
    )
    console.print(table)
    if report.ignored:
        console.print(
            f"  not followed: {len(report.ignored)} (symlinks out of IN_DIR, loops)",
            markup=False,
            soft_wrap=True,
        )
    for f in report.failures[:20]:
        console.print(f"  failed: {f.path}: {f.reason}", markup=False, soft_wrap=True)
    if len(report.failures) > 20:
        console.print(f"  … and {len(report.failures) - 20} more", markup=False, soft_wrap=True)
    if report.failures or report.ignored:
        console.print(f"  details: {report.report_path}", markup=False, soft_wrap=True)
