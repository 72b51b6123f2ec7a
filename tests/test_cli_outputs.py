"""Unix conventions of every command's outputs: modes, `-o -`, devices, FIFOs, links,
an output over an input, stdin, `--model`, and the batch report's exit code."""

from __future__ import annotations

import io
import json
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from vnocr.cli import main
from vnocr.errors import ExitCode

REPO = Path(__file__).resolve().parents[1]
SCAN = REPO / "samples" / "admin_scan_clean.jpg"
TEXT = "Dang bo thanh pho Son La\nKet qua tot\n"


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def src(tmp_path) -> Path:
    p = tmp_path / "in.txt"
    p.write_text(TEXT, encoding="utf-8")
    return p


# The commands that take -o, each reading `src`; fast variants (no model for ocr).
def ocr_args(src: Path) -> list[str]:
    return ["ocr", "--no-correct", str(src)]


def correct_args(src: Path) -> list[str]:
    return ["correct", "--no-dict", str(src)]


COMMANDS = [ocr_args, correct_args]


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_every_output_is_0644_under_umask_022(tmp_path, src, capsys, umask_022):
    assert main([*ocr_args(src), "-o", str(tmp_path / "o.txt")]) == 0
    assert main([*correct_args(src), "-o", str(tmp_path / "c.txt"),
                 "--html", str(tmp_path / "c.html")]) == 0
    assert main(["eval", str(src), str(src), "--html", str(tmp_path / "e.html")]) == 0
    batch_in = tmp_path / "b"
    batch_in.mkdir()
    (batch_in / "x.txt").write_text(TEXT)
    assert main(["batch", "--no-correct", "--no-progress", "--format", "text,json", "--html",
                 str(batch_in), str(tmp_path / "bo")]) == 0
    written = [tmp_path / n for n in ("o.txt", "c.txt", "c.html", "e.html")]
    written += [p for p in (tmp_path / "bo").iterdir() if p.is_file()]
    assert len(written) == 4 + 5  # x.txt, x.json, x.html, manifest, report
    assert {p.name: oct(mode(p)) for p in written} == {p.name: "0o644" for p in written}


@pytest.mark.parametrize("command", COMMANDS)
def test_dash_writes_stdout(command, src, capsys):
    assert main([*command(src), "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert main(command(src)) == 0
    assert out == capsys.readouterr().out and out.strip()


@pytest.mark.parametrize("command", COMMANDS)
def test_dev_null_and_a_mknod_device_stay_devices(command, tmp_path, src, capsys):
    dev = tmp_path / "null"
    os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    for target in ("/dev/null", str(dev)):
        assert main([*command(src), "-o", target]) == 0, capsys.readouterr().err
        assert stat.S_ISCHR(os.lstat(target).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "null"]


@pytest.mark.parametrize("command", COMMANDS)
def test_fifo_gets_the_output_as_a_stream(command, tmp_path, src, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert main([*command(src), "-o", str(fifo)]) == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert main(command(src)) == 0
    assert got == [capsys.readouterr().out.encode()]


@pytest.mark.parametrize("command", COMMANDS)
def test_symlink_target_is_written_through(command, tmp_path, src, capsys):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert main([*command(src), "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert main(command(src)) == 0
    assert real.read_text(encoding="utf-8") == capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS)
def test_output_over_input_is_refused_before_reading(command, tmp_path, src, capsys):
    alias = tmp_path / "alias.txt"
    alias.symlink_to(src)
    for target in (str(src), str(alias)):
        assert main([*command(src), "-o", target]) == ExitCode.BAD_OPTIONS
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "is also an input" in err
    other = tmp_path / "other.txt"
    other.write_text(TEXT)
    # Two inputs into their own folder: in.txt would be written over itself.
    assert main([*command(src), str(other), "-o", str(tmp_path)]) == ExitCode.BAD_OPTIONS
    assert src.read_text(encoding="utf-8") == TEXT


def test_correct_html_over_input_is_refused(src, capsys):
    assert main([*correct_args(src), "--html", str(src)]) == ExitCode.BAD_OPTIONS
    assert src.read_text(encoding="utf-8") == TEXT


def test_ocr_reads_an_image_from_stdin(monkeypatch, capsys):
    assert main(["ocr", "--no-correct", str(SCAN)]) == 0
    from_file = capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SCAN.read_bytes())))
    assert main(["ocr", "--no-correct", "-", "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["path"] == "-" and doc["text"] + "\n" == from_file


def test_ocr_pages_option(tmp_path, capsys):
    assert main(["ocr", "--no-correct", "--pages", "2", str(SCAN)]) == ExitCode.BAD_INPUT
    assert "has no page 2" in capsys.readouterr().err
    assert main(["ocr", "--no-correct", "--pages", "x", str(SCAN)]) == ExitCode.BAD_OPTIONS


@pytest.mark.parametrize("command", [["ocr"], ["correct"]])
def test_missing_model_dir_exits_6_with_one_line(command, tmp_path, src, capsys):
    out = tmp_path / "out.txt"
    code = main([*command, str(src), "--model", str(tmp_path / "none"), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == ExitCode.MODEL and err.count("\n") == 1 and "no restoration model" in err
    assert not out.exists()


def test_batch_report_records_the_exit_code_the_process_exits_with(tmp_path, capsys):
    batch_in = tmp_path / "b"
    batch_in.mkdir()
    (batch_in / "x.txt").write_text(TEXT)
    out = tmp_path / "bo"
    code = main(["batch", "--no-progress", "--model", str(tmp_path / "none"),
                 str(batch_in), str(out)])
    assert code == ExitCode.MODEL
    assert json.loads((out / "vnocr-report.json").read_text())["exit_code"] == code
    (batch_in / "bad.txt").write_bytes(b"\xff")
    code = main(["batch", "--no-progress", "--no-correct", str(batch_in), str(out)])
    assert code == ExitCode.FAILED_SOME
    assert json.loads((out / "vnocr-report.json").read_text())["exit_code"] == code


def test_no_progress_on_stderr_when_it_is_not_a_terminal(src, capsys):
    assert main(correct_args(src)) == 0
    assert main(ocr_args(src)) == 0
    assert capsys.readouterr().err == ""


def test_progress_bar_only_on_a_terminal(monkeypatch):
    from vnocr.batch.progress import NullProgress, RichProgress, terminal_progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert isinstance(terminal_progress("ocr"), NullProgress)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert isinstance(terminal_progress("ocr"), RichProgress)
