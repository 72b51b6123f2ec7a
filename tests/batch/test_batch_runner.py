"""The runner in-process: failures reported, resume semantics, interrupts, manifest."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from batch_helpers import NO_CORRECT, outputs, write_text_tree

import vnocr.batch.plan as plan_mod
from vnocr.batch import (
    BatchAborted,
    BatchInterrupted,
    BatchOptions,
    SerialExecutor,
    run_batch,
)
from vnocr.batch.walk import MANIFEST_NAME, REPORT_NAME, TMP_MARK
from vnocr.errors import BadOptionsError, ExitCode, MissingDependencyError, ModelLoadError
from vnocr.options import OcrOptions, Options, TesseractOptions

FAST = BatchOptions(fsync=False)


def test_bad_text_files_are_reported_and_the_batch_goes_on(tmp_path, monkeypatch) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    files = write_text_tree(src, n=4)
    (src / "latin1.txt").write_bytes("Tr\xeam".encode("latin-1"))
    (src / "locked.txt").write_text("cannot be read\n")
    real_hash = plan_mod.sha256_file

    def deny(path: Path) -> str:  # root can read anything: simulate EACCES for one file
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_hash(path)

    monkeypatch.setattr(plan_mod, "sha256_file", deny)
    report = run_batch(src, out, NO_CORRECT, FAST)

    assert report.exit_code == ExitCode.FAILED_SOME
    assert (report.done, report.failed) == (len(files), 2)
    data = json.loads((out / REPORT_NAME).read_text(encoding="utf-8"))
    assert data["exit_code"] == 1
    assert data["counts"] == {"inputs": 6, "done": 4, "skipped": 0, "failed": 2, "pages": 4}
    reasons = {f["path"]: f for f in data["failures"]}
    assert "not UTF-8" in reasons["latin1.txt"]["reason"]
    assert reasons["latin1.txt"]["exit_code"] == int(ExitCode.BAD_INPUT)
    assert reasons["locked.txt"]["reason"] == "cannot read: permission denied"
    assert "latin1.txt" not in outputs(out) and "locked.txt" not in outputs(out)
    assert all("\n" not in f["reason"] for f in data["failures"])


def test_all_good_exit_code_ok_and_json_output(tmp_path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "a").mkdir(parents=True)
    (src / "a" / "x.txt").write_bytes("\ufeffHà Nội\r\ndong hai\r\n".encode())  # BOM, CRLF
    report = run_batch(src, out, NO_CORRECT, replace(FAST, formats=("json",)))
    assert report.exit_code == ExitCode.OK
    assert not (out / "a" / "x.txt").exists()  # only the formats asked for
    doc = json.loads((out / "a" / "x.json").read_text(encoding="utf-8"))
    assert doc["path"] == "a/x.txt"
    assert doc["text"] == "Hà Nội\ndong hai\n"
    assert [p["index"] for p in doc["pages"]] == [0]


def test_resume_skips_unchanged_and_redoes_changed(tmp_path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_text_tree(src, n=5)
    first = run_batch(src, out, NO_CORRECT, FAST)
    assert first.done == 5

    (src / "doc0.txt").write_text("mot dong moi\n")  # same path, new content
    (src / "new.txt").write_text("them\n")
    (out / "d1" / "sub1" / "doc1.txt").unlink()  # an output lost: redo its input
    again = run_batch(src, out, NO_CORRECT, replace(FAST, resume=True))
    assert (again.done, again.skipped, again.failed) == (3, 3, 0)
    assert (out / "doc0.txt").read_text() == "mot dong moi\n"
    assert (out / "new.txt").read_text() == "them\n"
    assert (out / "d1" / "sub1" / "doc1.txt").exists()

    # Without --resume everything is redone; with it and other options, too.
    assert run_batch(src, out, NO_CORRECT, FAST).done == 6
    json_too = run_batch(src, out, NO_CORRECT, replace(FAST, resume=True, formats=("text", "json")))
    assert json_too.done == 6 and json_too.skipped == 0
    assert (
        run_batch(
            src, out, NO_CORRECT, replace(FAST, resume=True, formats=("text", "json"))
        ).skipped
        == 6
    )


def test_changed_input_that_now_fails_loses_its_old_outputs(tmp_path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_text_tree(src, n=2)
    run_batch(src, out, NO_CORRECT, FAST)
    assert (out / "doc0.txt").exists()
    (src / "doc0.txt").write_bytes(b"\xff\xfe broken")
    report = run_batch(src, out, NO_CORRECT, replace(FAST, resume=True))
    assert [f.path for f in report.failures] == ["doc0.txt"]
    assert not (out / "doc0.txt").exists()  # a fresh run would not have it either
    manifest = (out / MANIFEST_NAME).read_text()
    assert all(
        json.loads(line)["path"] != "doc0.txt" or json.loads(line).get("removed")
        for line in manifest.splitlines()
    )


def test_torn_manifest_and_temp_files_from_a_killed_run(tmp_path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_text_tree(src, n=4)
    run_batch(src, out, NO_CORRECT, FAST)
    with open(out / MANIFEST_NAME, "ab") as f:
        f.write(b'{"path": "doc0.txt", "size": 1')  # torn last line
    stray = out / "d1" / f"{TMP_MARK}doc1.txt.123.abcd"
    stray.write_text("half")
    report = run_batch(src, out, NO_CORRECT, replace(FAST, resume=True))
    assert (report.skipped, report.done) == (4, 0)
    assert not stray.exists()
    lines = (out / MANIFEST_NAME).read_text().splitlines()
    assert len(lines) == 4 and all(json.loads(line) for line in lines)


class _StopAfter:
    """A serial executor that is 'Ctrl-C'ed after `n` inputs completed."""

    jobs = 1

    def __init__(self, n: int) -> None:
        self.n = n

    def run(self, fn, items, on_done, on_error, on_progress=None) -> None:
        for k, item in enumerate(items):
            if k == self.n:
                raise KeyboardInterrupt
            on_done(item, fn(item))

    def close(self) -> None:
        pass


def test_interrupt_keeps_only_complete_outputs_and_resume_finishes(tmp_path) -> None:
    src, out, ref = tmp_path / "in", tmp_path / "out", tmp_path / "ref"
    write_text_tree(src, n=6)
    opts = replace(FAST, formats=("text", "json"))
    with pytest.raises(BatchInterrupted) as info:
        run_batch(src, out, NO_CORRECT, opts, executor=_StopAfter(2))
    report = info.value.report
    assert report.interrupted and report.done == 2 and report.exit_code == ExitCode.INTERRUPTED
    assert json.loads((out / REPORT_NAME).read_text())["interrupted"] is True
    assert len(outputs(out)) == 4  # two inputs, two formats each, nothing partial

    resumed = run_batch(src, out, NO_CORRECT, replace(opts, resume=True), executor=SerialExecutor())
    assert (resumed.skipped, resumed.done) == (2, 4)
    run_batch(src, ref, NO_CORRECT, opts)
    assert outputs(out) == outputs(ref)


def test_broken_environment_stops_the_batch(tmp_path, monkeypatch) -> None:
    """An error that would hit every file (no model) stops the batch at the first one."""
    import vnocr.batch.worker as worker_mod

    calls = []

    class NoModel:
        def load_in_background(self) -> None:
            pass

        def iter_pages(self, path, pages=None):
            calls.append(path)
            raise ModelLoadError("no restoration model in /nowhere (config.json missing)")

    src, out = tmp_path / "in", tmp_path / "out"
    write_text_tree(src, n=3)
    monkeypatch.setattr(worker_mod, "get_pipeline", lambda options: NoModel())
    with pytest.raises(BatchAborted, match="no restoration model") as info:
        run_batch(src, out, Options(), FAST)
    assert info.value.exit_code == ExitCode.MODEL
    assert len(calls) == 1  # stopped at the first file, not reported three times
    assert outputs(out) == {}
    assert json.loads((out / REPORT_NAME).read_text())["counts"]["done"] == 0


def test_missing_tesseract_language_fails_before_any_work(tmp_path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_text_tree(src, n=1)
    (src / "scan.png").write_bytes(b"not looked at")
    options = replace(NO_CORRECT, ocr=OcrOptions(tesseract=TesseractOptions(lang="xyz")))
    with pytest.raises(MissingDependencyError, match="xyz"):
        run_batch(src, out, options, FAST)
    assert outputs(out) == {}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"jobs": 0}, "-j"),
        ({"formats": ("text", "docx")}, "unknown docx"),
        ({"formats": ()}, "at least one"),
        ({"executor": "spark"}, "local or dask"),
        ({"scheduler": "tcp://127.0.0.1:1"}, "needs --executor dask"),
    ],
)
def test_bad_batch_options(kwargs, message) -> None:
    with pytest.raises(BadOptionsError, match=message):
        BatchOptions(**kwargs)


def test_html_review_page_per_input(tmp_path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "a").mkdir(parents=True)
    (src / "a" / "x.txt").write_text("<b>dong mot</b>\n")
    report = run_batch(src, out, NO_CORRECT, replace(FAST, html=True))
    assert report.done == 1
    page = (out / "a" / "x.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "a/x.txt" in page
    assert "&lt;b&gt;dong mot&lt;/b&gt;" in page  # escaped, never live markup
    assert (out / "a" / "x.txt").exists()


def test_page_ranges_cover_every_page_once() -> None:
    from vnocr.batch.pages import page_ranges

    assert page_ranges(5, 2) == [(0, 2), (2, 5)] or page_ranges(5, 2) == [(0, 3), (3, 5)]
    assert page_ranges(1, 4) == [(0, 1)]
    for n in range(1, 30):
        for parts in range(1, 6):
            ranges = page_ranges(n, parts)
            assert [p for a, b in ranges for p in range(a, b)] == list(range(n))
            assert len(ranges) == min(n, parts)


def test_progress_and_summary_report_files_and_pages(tmp_path) -> None:
    import io

    from rich.console import Console

    from vnocr.batch import RichProgress, print_summary

    src, out = tmp_path / "in", tmp_path / "out"
    write_text_tree(src, n=4)
    (src / "bad.txt").write_bytes(b"\xff")
    buf = io.StringIO()
    console = Console(file=buf, width=120, force_terminal=False, color_system=None)
    report = run_batch(src, out, NO_CORRECT, FAST, progress=RichProgress(console))
    print_summary(report, console)
    text = buf.getvalue()
    assert "5/5 files" in text and "5/5 pages" in text and "pages/s" in text
    assert "failed: bad.txt: not UTF-8" in text
    assert "│    4 │       0 │      1 │" in text  # done, skipped, failed


def test_only_long_files_are_split_over_workers(tmp_path) -> None:
    from vnocr.batch.plan import Job, make_tasks
    from vnocr.batch.walk import InputFile

    def job(name: str, npages: int) -> Job:
        inp = InputFile(name, tmp_path / name)
        return Job(inp, 1, "0", {"text": inp.output_rel("text")}, npages)

    def plan(jobs: list[Job], n: int) -> dict[str, list]:
        tasks = make_tasks(jobs, NO_CORRECT, workers=n, split=True)
        out: dict[str, list] = {}
        for t in tasks:
            span = None if t.pages is None else (t.pages.first - 1, t.pages.last)
            out.setdefault(t.rel, []).append(span)
        return out

    # One long report among short scans: its pages are spread, the rest stay whole.
    jobs = [job("long.pdf", 40), *(job(f"s{i}.png", 1) for i in range(10))]
    got = plan(jobs, 2)
    assert got["long.pdf"] == [(0, 20), (20, 40)]
    assert all(got[f"s{i}.png"] == [None] for i in range(10))
    # Many files of similar length: each is one task (no wasted renders).
    assert all(v == [None] for v in plan([job(f"r{i}.pdf", 5) for i in range(8)], 2).values())
    # A lone PDF, or -j 1: split only with several workers.
    assert plan([job("one.pdf", 3)], 2)["one.pdf"] == [(0, 2), (2, 3)]
    assert plan([job("one.pdf", 3)], 1)["one.pdf"] == [None]
    assert plan([job("notes.txt", 3)], 2)["notes.txt"] == [None]
