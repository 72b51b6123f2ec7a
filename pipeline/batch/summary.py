"""What a batch did: the `BatchReport` returned to callers and written as
`OUT_DIR/vnocr-report.json`, with every failure and the exit code the process exits with."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vnocr.batch.walk import REPORT_NAME, Skipped
from vnocr.errors import ExitCode
from vnocr.files import write_atomic

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Failure:
    """One input the batch could not do, as `vnocr-report.json` lists it.

    Any one of them makes a batch that ran to its end exit 1; `exit_code` is the code
    of the input's own error (3 for a bad input), `error` the name of its class.
    """

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
    # Set when an error stopped the whole batch (no model, no Tesseract): its exit code.
    aborted: ExitCode | None = None
    abort_reason: str = ""  # ... and its one-line message, for the report file
    failures: list[Failure] = field(default_factory=list)
    ignored: list[Skipped] = field(default_factory=list)
    started_at: str = ""
    # Pages read other than by OCR (a PDF's own text): input -> source -> 1-based pages.
    page_sources: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    pages_by_source: dict[str, int] = field(default_factory=dict)  # every page done

    def add_sources(self, rel: str, sources: list[tuple[int, str]]) -> None:
        """Count the pages of a finished input by how each was read ((index, source))."""
        other: dict[str, list[int]] = {}
        for index, source in sources:
            self.pages_by_source[source] = self.pages_by_source.get(source, 0) + 1
            if source != "ocr":
                other.setdefault(source, []).append(index + 1)
        if other:
            self.page_sources[rel] = other

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
        """The code `vnocr batch` exits with, so the report file and `$?` agree."""
        if self.interrupted:
            return ExitCode.INTERRUPTED
        if self.aborted is not None:
            return self.aborted
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
            "aborted": self.abort_reason or None,
            "counts": {
                "inputs": self.inputs,
                "done": self.done,
                "skipped": self.skipped,
                "failed": self.failed,
                "pages": self.pages,
            },
            "pages_per_minute": None if ppm is None else round(ppm, 2),
            "exit_code": int(self.exit_code),
            "pages_by_source": dict(sorted(self.pages_by_source.items())),
            "page_sources": dict(sorted(self.page_sources.items())),
            "failures": [f.as_dict() for f in self.failures],
            "ignored": [{"path": s.rel, "reason": s.reason} for s in self.ignored],
        }

    def write(self, *, sync: bool = True) -> None:
        """Write the report file; a failure to write it is logged, never raised (the
        outputs are done, and the summary on stderr says the same)."""
        data = json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n"
        try:
            write_atomic(self.report_path, data, sync=sync)
        except OSError as e:
            log.error("cannot write %s: %s", self.report_path, e)
