"""`vnocr batch` as a user runs it: exit codes, stderr only, SIGKILL + resume, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from batch_helpers import NO_CORRECT, REPO, cli_env, outputs, run_cli, vnocr_cmd

from vnocr.batch import BatchOptions, run_batch
from vnocr.batch.walk import MANIFEST_NAME, REPORT_NAME, TMP_MARK


def _many_files(root: Path, n: int) -> None:
    for i in range(n):
        p = root / f"box{i % 5}" / f"page{i:03d}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"Bao cao so {i}\nUy ban nhan dan tinh Son La\n" * (1 + i % 3))


def _manifest_lines(out: Path) -> int:
    try:
        return (out / MANIFEST_NAME).read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        vnocr_cmd(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
        cwd=REPO,
        start_new_session=True,  # its own process group: we signal only it
    )


def _wait_for_progress(proc: subprocess.Popen, out: Path, at_least: int) -> None:
    deadline = time.monotonic() + 60
    while _manifest_lines(out) < at_least:
        assert proc.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "no progress"
        time.sleep(0.01)


def test_mixed_tree_exit_code_report_and_clean_stdout(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    _many_files(src, 3)
    (src / "bad.txt").write_bytes(b"\x81\x82 cp1258?")
    res = run_cli("batch", str(src), str(out), "--no-correct", "--format", "text,json")
    assert res.returncode == 1, res.stderr
    assert res.stdout == ""  # stdout is for text output; the batch writes files
    assert "bad.txt" in res.stderr and "failed" in res.stderr
    report = json.loads((out / REPORT_NAME).read_text())
    assert [f["path"] for f in report["failures"]] == ["bad.txt"]
    assert report["counts"]["done"] == 3
    assert len(outputs(out)) == 6


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    res = run_cli("batch", str(tmp_path / "in"), str(tmp_path / "out"), "--format", "docx")
    assert res.returncode == 2
    assert res.stderr.strip().splitlines()[-1].startswith("vnocr: error:")
    assert run_cli("batch", str(tmp_path / "nope"), str(tmp_path / "out")).returncode == 2


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigkill_then_resume_equals_uninterrupted_run(tmp_path: Path, jobs: str) -> None:
    src, out, ref = tmp_path / "in", tmp_path / "out", tmp_path / "ref"
    _many_files(src, 50)
    args = ("batch", str(src), str(out), "--no-correct", "--format", "text,json", "-j", jobs)
    proc = _start(*args)
    _wait_for_progress(proc, out, 10)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers, mid-way
    proc.communicate(timeout=30)
    partial = _manifest_lines(out)
    assert 10 <= partial < 50

    res = run_cli(*args, "--resume")
    assert res.returncode == 0, res.stderr
    report = json.loads((out / REPORT_NAME).read_text())
    assert report["counts"]["skipped"] >= 10
    assert report["counts"]["skipped"] + report["counts"]["done"] == 50

    run_batch(src, ref, NO_CORRECT, BatchOptions(formats=("text", "json"), fsync=False))
    assert outputs(out) == outputs(ref)  # byte for byte, same file set
    assert not [p for p in out.rglob("*") if TMP_MARK in p.name]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_cleanly_with_exit_130(tmp_path: Path, jobs: str) -> None:
    src, out, ref = tmp_path / "in", tmp_path / "out", tmp_path / "ref"
    _many_files(src, 120)
    proc = _start("batch", str(src), str(out), "--no-correct", "-j", jobs, "--no-progress")
    _wait_for_progress(proc, out, 10)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err.decode()
    report = json.loads((out / REPORT_NAME).read_text())
    assert report["interrupted"] is True and report["counts"]["done"] < 120

    run_batch(src, ref, NO_CORRECT, BatchOptions(fsync=False))
    expected = outputs(ref)
    got = outputs(out)
    assert got and all(expected[rel] == data for rel, data in got.items())  # only whole files
    assert not [p for p in out.rglob("*") if TMP_MARK in p.name]
    assert len(got) == report["counts"]["done"]
