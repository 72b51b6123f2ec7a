"""`--pages` on a batch: which pages each input gives, split over workers or not, the
exit-3 failure of an input without them, and `--resume` when the selection changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batch_helpers import NO_CORRECT, outputs, render_pages, run_cli

from vnocr.batch import BatchOptions, run_batch
from vnocr.batch.plan import Job, make_tasks, options_fingerprint
from vnocr.batch.walk import REPORT_NAME, InputFile
from vnocr.errors import ExitCode
from vnocr.page_selection import PageSelection


def _job(tmp_path: Path, name: str, npages: int, pages: str | None) -> Job:
    inp = InputFile(name, tmp_path / name)
    return Job(inp, 1, "0", {"text": inp.output_rel("text")}, npages, PageSelection.of(pages))


def test_split_ranges_hold_only_selected_pages(tmp_path) -> None:
    job = _job(tmp_path, "long.pdf", 40, "1-3,7,30-")
    assert job.wanted == [0, 1, 2, 6, *range(29, 40)]
    tasks = make_tasks([job], NO_CORRECT, workers=2, split=True)
    assert job.tasks == 2
    got = [t.pages.numbers(40) for t in tasks]
    assert got[0] + got[1] == [n + 1 for n in job.wanted]
    assert abs(len(got[0]) - len(got[1])) <= 1
    assert sum(t.expected_pages for t in tasks) == len(job.wanted)
    # Unsplit: one task with the selection; past the end: one task, so the worker says so.
    (whole,) = make_tasks([_job(tmp_path, "a.pdf", 5, "2-3")], NO_CORRECT, workers=1, split=True)
    assert whole.pages == PageSelection.parse("2-3") and whole.expected_pages == 2
    past = _job(tmp_path, "b.pdf", 5, "9-")
    (task,) = make_tasks([past], NO_CORRECT, workers=4, split=True)
    assert past.wanted == [] and task.pages == PageSelection.parse("9-")


def test_the_selection_is_part_of_the_fingerprint() -> None:
    kinds = ("text",)
    base = options_fingerprint(NO_CORRECT, kinds)
    assert options_fingerprint(NO_CORRECT, kinds, PageSelection.parse("1-3")) != base
    assert options_fingerprint(NO_CORRECT, kinds, PageSelection.parse("1-3")) == \
        options_fingerprint(NO_CORRECT, kinds, PageSelection.parse("3,1-2"))


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("in")
    pages = render_pages(4)
    first, *rest = (p.copy() for p in pages)
    first.save(src / "report.pdf", save_all=True, append_images=rest, resolution=200)
    pages[0].save(src / "scan.png")
    return src


def _first_lines(text: str) -> list[str]:
    return [part.splitlines()[0].strip() for part in text.split("\f")]


@pytest.mark.parametrize("jobs", [1, 2])
def test_batch_reads_exactly_the_selected_pages(scans, tmp_path, jobs) -> None:
    out = tmp_path / "out"
    opts = BatchOptions(formats=("text", "json"), fsync=False, jobs=jobs,
                        pages=PageSelection.parse("2,4-9"))
    report = run_batch(scans, out, NO_CORRECT, opts)
    assert (report.done, report.pages) == (1, 2)
    got = outputs(out)
    assert _first_lines(got["report.txt"].decode()) == ["Trang 2", "Trang 4"]
    assert [p["index"] for p in json.loads(got["report.json"])["pages"]] == [1, 3]
    # The one-page scan has no page 2: its own failure, with exit code 3.
    (failure,) = json.loads((out / REPORT_NAME).read_text())["failures"]
    assert failure["path"] == "scan.png" and failure["exit_code"] == int(ExitCode.BAD_INPUT)
    assert "has no page 2" in failure["reason"]
    assert report.exit_code == ExitCode.FAILED_SOME


def test_resume_redoes_inputs_when_the_selection_changes(scans, tmp_path) -> None:
    out = tmp_path / "out"

    def run(pages: str) -> object:
        return run_batch(scans, out, NO_CORRECT, BatchOptions(
            fsync=False, resume=True, pages=PageSelection.parse(pages)))

    first = run("1")
    assert (first.done, first.skipped) == (2, 0)
    again = run("1")
    assert (again.done, again.skipped) == (0, 2)
    changed = run("3")
    assert (changed.done, changed.failed) == (1, 1)
    assert _first_lines((out / "report.txt").read_text()) == ["Trang 3"]
    assert not (out / "scan.txt").exists()  # it has no page 3: its old output goes


def test_cli_pages_option(scans, tmp_path) -> None:
    out = tmp_path / "out"
    done = run_cli("batch", str(scans), str(out), "--no-correct", "--no-progress",
                   "--pages", "3")
    assert done.returncode == int(ExitCode.FAILED_SOME), done.stderr
    assert _first_lines((out / "report.txt").read_text()) == ["Trang 3"]
    bad = run_cli("batch", str(scans), str(out), "--pages", "3-1")
    assert bad.returncode == int(ExitCode.BAD_OPTIONS) and "--pages" in bad.stderr
