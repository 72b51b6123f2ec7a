"""Plan a batch: which inputs to (re)do against the manifest, and the tasks to run.

An input is skipped on `--resume` only when its bytes, the options and the outputs it
would produce all match what the manifest recorded and those outputs still exist.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from vnocr.batch.manifest import Record, sha256_file
from vnocr.batch.pages import MULTIPAGE_SUFFIXES, count_pages, page_ranges
from vnocr.batch.summary import Failure
from vnocr.batch.walk import InputFile
from vnocr.batch.worker import Task, TaskResult
from vnocr.errors import ExitCode
from vnocr.options import Options
from vnocr.page_selection import PageSelection

# Bump when the output format changes, so --resume redoes old outputs. batch-2: a blank
# document's text file is "\n" (one empty line), as `vnocr ocr` and `correct` write it.
_VERSION = "batch-2"


@dataclass(slots=True)
class Job:
    """One input to (re)do, with what the manifest will record once it is written."""

    inp: InputFile
    size: int
    sha256: str
    outputs: dict[str, str]  # kind (text, json, html) -> path relative to OUT_DIR
    npages: int
    selection: PageSelection | None = None  # `--pages`; None: every page
    tasks: int = 1
    results: dict[int | None, TaskResult] = field(default_factory=dict)
    failed: bool = False

    @property
    def wanted(self) -> list[int]:
        """The 0-based indices of the pages this input must come back with."""
        if self.selection is None:
            return list(range(self.npages))
        return [n - 1 for n in self.selection.numbers(self.npages)]


@dataclass(slots=True)
class Plan:
    """What `plan_jobs` decided for one batch run, for the runner to act on.

    `jobs` are the inputs this run reads; `kept` are those `--resume` leaves as they are
    (they go back into the manifest unchanged); `unreadable` are inputs that could not
    even be hashed, reported as failures without running.
    """

    previous: dict[str, Record]  # what the manifest held before this run
    fingerprint: str  # of the options, recorded with every input done
    jobs: list[Job] = field(default_factory=list)
    kept: dict[str, Record] = field(default_factory=dict)  # done before, unchanged
    unreadable: list[Failure] = field(default_factory=list)


def options_fingerprint(
    options: Options, kinds: tuple[str, ...], pages: PageSelection | None = None
) -> str:
    """Changes when anything that shapes the outputs changes (the page selection too),
    so `--resume` redoes them."""
    parts: list[str] = [repr(options), repr(sorted(kinds)), _VERSION]
    if pages is not None:
        parts.append(f"pages:{pages.spans!r}")
    if options.lexicon.enabled:
        for path in options.lexicon.user_dicts:  # a list edited since: its names may apply
            with contextlib.suppress(OSError):
                parts.append(f"dict:{hashlib.sha256(Path(path).read_bytes()).hexdigest()}")
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


def plan_jobs(
    inputs: list[InputFile],
    previous: dict[str, Record],
    real_out: Path,
    kinds: tuple[str, ...],
    fingerprint: str,
    *,
    resume: bool,
    pages: PageSelection | None = None,
) -> Plan:
    """Hash every input; keep the unchanged ones (`resume`), plan the rest."""
    plan = Plan(previous, fingerprint)
    for inp in inputs:
        try:
            size = inp.path.stat().st_size
            digest = sha256_file(inp.path)
        except OSError as e:
            plan.unreadable.append(_read_failure(inp.rel, e))
            continue
        outputs = {kind: inp.output_rel(kind) for kind in kinds}
        rec = previous.get(inp.rel)
        if (
            resume
            and rec is not None
            and rec.size == size
            and rec.sha256 == digest
            and rec.options == fingerprint
            and rec.outputs == tuple(outputs.values())
            and all((real_out / o).is_file() for o in rec.outputs)
        ):
            plan.kept[inp.rel] = rec
            continue
        plan.jobs.append(Job(inp, size, digest, outputs, count_pages(inp.path), pages))
    return plan


def make_tasks(jobs: list[Job], options: Options, *, workers: int, split: bool) -> list[Task]:
    """One task per file; a long multi-page file is cut into one run of its selected
    pages per worker (`split`), and each job learns how many tasks it has.

    "Long" means more than half a worker's fair share of all selected pages: then it
    would otherwise keep one worker busy after the others ran dry. Shorter files stay
    whole, since the loader of a range opens the file again (wasted work). A selection
    that misses the document entirely is one task, so the worker reports it (exit 3).
    """
    long_file = max(1.0, sum(len(j.wanted) for j in jobs) / (2 * workers))
    split = split and workers > 1
    tasks: list[Task] = []
    for job in jobs:
        path = str(job.inp.path)
        kinds = tuple(job.outputs)
        wanted = job.wanted
        if split and len(wanted) > long_file and job.inp.path.suffix.lower() in MULTIPAGE_SUFFIXES:
            ranges = page_ranges(len(wanted), workers)
            tasks.extend(
                Task(job.inp.rel, path, options, kinds, npages=job.npages,
                     pages=PageSelection.of([n + 1 for n in wanted[start:stop]]))
                for start, stop in ranges
            )
            job.tasks = len(ranges)
        else:
            tasks.append(Task(job.inp.rel, path, options, kinds, npages=job.npages,
                              pages=job.selection))
            job.tasks = 1
    return tasks
