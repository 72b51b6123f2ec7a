"""Bad input, odd files and correct text: one clean error line or an output that keeps
the user's text, never a hang, a traceback or a lost word."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import threading
import unicodedata
from pathlib import Path

import pytest

from vnocr.errors import InputError
from vnocr.text_stream import iter_pieces

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pipeline():
    """One pipeline for the module: the shipped model and names."""
    from vnocr import LexiconOptions, Options, Pipeline

    return Pipeline(Options(lexicon=LexiconOptions(user_dicts=())))


def vnocr(*args: str, stdin: bytes | None = None, timeout: float = 120,
          cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real console entry point in a fresh process; `timeout` only guards a hang."""
    return subprocess.run([sys.executable, "-m", "vnocr", *args], input=stdin,
                          capture_output=True, timeout=timeout, cwd=cwd, check=False)


def one_error_line(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.decode()
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("vnocr: error: "), err
    return lines[0]


# -- usage errors: one line, exit 2 ------------------------------------------------------
@pytest.mark.parametrize("args", [
    [], ["foo"], ["correct", "--bogus", "x"], ["ocr", "-j", "0", "x.png"],
    ["correct", "--format", "xml", "x"], ["correct", "--min-confidence", "nan", "x"],
    ["batch"], ["correct", "--input-encoding", "ebcdic", "x"],
])
def test_usage_errors_are_one_line_and_exit_2(args):
    proc = vnocr(*args)
    assert proc.returncode == 2
    one_error_line(proc)
    assert proc.stdout == b""


# -- inputs that are no regular files -----------------------------------------------------
def test_a_fifo_without_writer_does_not_hang(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    proc = vnocr("correct", "--no-dict", str(fifo), timeout=60)
    assert proc.returncode == 0 and proc.stdout == b""  # no writer: an empty input
    ocr = vnocr("ocr", "--no-correct", str(fifo), timeout=60)
    assert ocr.returncode == 3
    assert "not a regular file" in one_error_line(ocr)


def test_a_fifo_with_a_writer_is_read_as_a_stream(tmp_path):
    """What `vnocr correct <(zcat a.gz)` hands over."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as f:
            f.write("Hôm nay trời đẹp\n".encode())

    writer = threading.Thread(target=write)
    writer.start()
    proc = vnocr("correct", str(fifo), timeout=120)
    writer.join(timeout=30)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode() == "Hôm nay trời đẹp\n"


def test_binary_input_stops_at_once():
    proc = vnocr("correct", "/dev/zero", timeout=60)  # it would never end
    assert proc.returncode == 3
    assert "binary data" in one_error_line(proc)


# -- the user's text is kept ---------------------------------------------------------------
def test_line_ends_are_the_inputs_own(tmp_path):
    src = tmp_path / "in.txt"
    src.write_bytes("Hôm nay trời đẹp\r\nChúng tôi đi học\nvề nhà\r\nkhông".encode())
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    proc = vnocr("correct", str(src))
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == src.read_bytes()  # correct text, CRLF, LF, no final newline
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before


def test_one_very_long_token_is_read_in_linear_time(tmp_path):
    """Quadratic regexes once took 40 s on 60k letters; 200k now take seconds (the
    subprocess timeout only stops a hang)."""
    src = tmp_path / "long.txt"
    token = "Ab" * 100_000
    src.write_text(token + "\n")
    proc = vnocr("correct", "--no-dict", str(src), timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode() == token + "\n"


@pytest.mark.parametrize("text", [
    "Cả nhà ăn cơm ạ", "Dạ vâng ạ", "ừ thì", "Xếp loại: B", "Hạng mục e", "Anh ấy nói: ừ",
])
def test_one_letter_words_of_typed_text_are_no_specks(pipeline, text):
    out = pipeline.correct_text(text).text
    assert len(out.split()) == len(text.split()), out


def test_output_is_nfc_even_from_stacked_marks(pipeline):
    for text in ("ộ́ thì", "a\u0301\u0301 b", "Đa\u0323\u0302ng bộ"):
        out = pipeline.correct_text(text).text
        assert unicodedata.is_normalized("NFC", out), ascii(out)


@pytest.mark.parametrize("bad", [None, b"Dang bo", 5, ["a", "b"]])
def test_the_api_rejects_what_is_no_text(pipeline, bad):
    with pytest.raises(TypeError, match="str"):
        pipeline.correct_text(bad)


# -- pieces: flat memory on any size ----------------------------------------------------------
def _pieces(data: bytes, piece_bytes: int = 64) -> list:
    import io

    return list(iter_pieces(io.BytesIO(data), piece_bytes=piece_bytes))


def test_pieces_keep_every_line_and_line_end():
    lines = [f"dòng {i} có vài chữ" for i in range(60)]
    ends = ["\r\n" if i % 3 else "\n" for i in range(60)]
    data = "".join(f"{line}{end}" for line, end in zip(lines, ends)).encode()
    pieces = _pieces(data)
    assert len(pieces) > 5
    assert "".join(p.join(p.text.split("\n")) for p in pieces).encode() == data
    assert [p.first_line for p in pieces] == sorted({p.first_line for p in pieces})


def test_pieces_end_after_a_blank_line_where_there_is_one():
    para = "một hai ba bốn năm sáu bảy tám\n" * 3
    data = (para + "\n").encode() * 10
    for piece in _pieces(data, piece_bytes=150)[:-1]:
        assert piece.line_ends[-1] and piece.text.endswith("\n")  # ends in the blank line


def test_a_giant_line_is_cut_between_words():
    data = ("chữ " * 5000).encode()
    pieces = _pieces(data, piece_bytes=1024)
    assert len(pieces) > 3
    assert "".join(p.join(p.text.split("\n")) for p in pieces).encode() == data
    assert all(p.line_ends == ("",) for p in pieces)


def test_a_file_smaller_than_a_piece_is_one_piece():
    data = "Dòng một\r\n\r\nDòng hai\n".encode()
    (piece,) = _pieces(data, piece_bytes=1 << 16)
    assert piece.text == "Dòng một\n\nDòng hai" and piece.line_ends == ("\r\n", "\r\n", "\n")


def test_a_nul_byte_is_binary():
    with pytest.raises(InputError, match="binary"):
        _pieces("chữ\0".encode("utf-16-le"))


def test_a_text_file_in_a_batch_is_corrected_piece_by_piece_as_correct_does(
        pipeline, tmp_path, monkeypatch):
    """`vnocr batch` reads a .txt through `Pipeline.correct_stream`, the loop of
    `vnocr correct`: the same pieces, so the same text, and never the file whole."""
    from vnocr import api, text_stream
    from vnocr.batch.worker import Task, read_task

    read: list[str] = []

    def small_pieces(stream, **kw):
        for piece in text_stream.iter_pieces(stream, **kw, piece_bytes=64):
            read.append(piece.text)
            yield piece

    monkeypatch.setattr(api, "iter_pieces", small_pieces)
    data = "".join(f"dong so {i} co vai chu\r\n" + "\n" * (i % 4 == 3) for i in range(24))
    path = tmp_path / "doc.txt"
    path.write_bytes(data.encode())
    with path.open("rb") as f:
        streamed = list(pipeline.correct_stream(f, source=str(path)))
    assert len(streamed) > 3
    corrected = "".join(piece.join(result.lines) for piece, result in streamed)
    read.clear()
    (page,) = read_task(Task(rel="doc.txt", path=str(path), options=pipeline.options))
    assert read == [piece.text for piece, _ in streamed]
    assert page.text == corrected.replace("\r\n", "\n") != data.replace("\r\n", "\n")
    (whole,) = pipeline.iter_pages(path)
    assert whole.ocr_text == data.replace("\r\n", "\n")
    assert whole.correction.input_text == whole.ocr_text


def _small_pieces(monkeypatch) -> None:
    """`Pipeline.correct_stream` and `correct_stream_in_workers` cut their input into
    64-byte pieces (not 64 KB)."""
    from vnocr import api, text_stream
    from vnocr.batch import worker

    for module in (api, worker):
        monkeypatch.setattr(module, "iter_pieces", lambda stream, **kw: text_stream.iter_pieces(
            stream, **kw, piece_bytes=64))


def test_pieces_corrected_by_worker_processes_come_back_in_order_and_the_same(
        pipeline, monkeypatch):
    """`correct_stream_in_workers`: each piece is corrected in a forked worker, alone,
    as in one process (`Pipeline.correct_stream`); the pieces come back in order."""
    import io

    from vnocr.batch.worker import correct_stream_in_workers

    _small_pieces(monkeypatch)
    data = "".join(f"dong so {i} co vai chu\n" + "\n" * (i % 3 == 2) for i in range(30))
    alone = list(pipeline.correct_stream(io.BytesIO(data.encode())))
    shared = list(correct_stream_in_workers(pipeline, io.BytesIO(data.encode()), jobs=2))
    assert len(alone) > 6
    assert [p.text for p, _ in shared] == [p.text for p, _ in alone]
    assert [r.text for _, r in shared] == [r.text for _, r in alone]
    assert "số 29 có vài" in "".join(r.text for _, r in shared)


def _die(task: object) -> None:
    """A worker's task that kills its process."""
    os._exit(3)


def test_workers_and_one_process_cut_the_same_equal_pieces(pipeline, monkeypatch):
    """Without a size given, both paths cut a stream by its own size (`piece_size`):
    the same pieces, an even number of them, and the same text."""
    import io

    from vnocr import text_stream
    from vnocr.batch.worker import correct_stream_in_workers

    monkeypatch.setattr(text_stream, "PIECE_BYTES", 256)
    data = "".join(f"dong so {i} co vai chu\n" for i in range(60)).encode()  # 5 x 256
    alone = list(pipeline.correct_stream(io.BytesIO(data)))
    shared = list(correct_stream_in_workers(pipeline, io.BytesIO(data), jobs=2))
    assert len(alone) == 6
    assert [p.text for p, _ in shared] == [p.text for p, _ in alone]
    assert [r.text for _, r in shared] == [r.text for _, r in alone]


def test_a_worker_process_that_dies_is_a_clear_error(pipeline, monkeypatch):
    import io

    from vnocr.batch import worker
    from vnocr.errors import ExitCode, WorkerDiedError

    _small_pieces(monkeypatch)
    monkeypatch.setattr(worker, "correct_text_task", _die)
    with pytest.raises(WorkerDiedError, match="worker process died") as info:
        list(worker.correct_stream_in_workers(pipeline, io.BytesIO(b"mot hai ba\n" * 40)))
    assert info.value.exit_code == ExitCode.ENVIRONMENT


def test_correct_with_jobs_writes_the_same_file(tmp_path):
    src = tmp_path / "in.txt"
    src.write_bytes(b"Dang bo thanh pho Son La da dat duoc\r\nket qua quan trong\r\n")
    assert vnocr("correct", str(src), "-o", str(tmp_path / "one.txt")).returncode == 0
    proc = vnocr("correct", str(src), "-j", "2", "-o", str(tmp_path / "two.txt"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "two.txt").read_bytes() == (tmp_path / "one.txt").read_bytes()


def test_workers_by_default_only_for_a_file_of_several_pieces(tmp_path, monkeypatch):
    """`vnocr correct` without -j: one worker per core, no more than the file has
    pieces (an even number: a file of three 64 KB has four); stdin, a pipe and a
    one-piece file are corrected in this process."""
    from vnocr.cli import correct as correct_cli
    from vnocr.text_stream import PIECE_BYTES

    monkeypatch.setattr(correct_cli, "usable_cpus", lambda: 4)
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text("mot dong\n")
    large.write_bytes(b"x" * (2 * PIECE_BYTES + 1))
    assert correct_cli.jobs_for_input(str(small), None) == 1
    assert correct_cli.jobs_for_input(str(large), None) == 4
    assert correct_cli.jobs_for_input("-", None) == 1
    assert correct_cli.jobs_for_input(str(large), 1) == 1
    monkeypatch.setattr(correct_cli, "usable_cpus", lambda: 2)
    assert correct_cli.jobs_for_input(str(large), None) == 2
    monkeypatch.setattr(correct_cli, "forks_after_load", lambda: False)
    assert correct_cli.jobs_for_input(str(large), None) == 1


def test_a_file_is_cut_into_an_even_number_of_equal_pieces():
    """Two workers get equal shares: three pieces' worth of lines become four pieces of
    about a quarter each; a file of one piece stays one, and a stream that cannot
    seek (its size unknown) is cut at PIECE_BYTES."""
    import io

    from vnocr.text_stream import PIECE_BYTES, piece_count, piece_size

    assert [piece_count(n) for n in (0, 1, PIECE_BYTES, PIECE_BYTES + 1)] == [1, 1, 1, 2]
    assert piece_count(2 * PIECE_BYTES + 1) == piece_count(4 * PIECE_BYTES) == 4
    line = "Đảng bộ thành phố Sơn La đã đạt được nhiều kết quả quan trọng\n".encode()
    data = line * (5 * PIECE_BYTES // 2 // len(line))  # two and a half pieces' worth
    pieces = _pieces(data, piece_bytes=None)
    assert len(pieces) == 4
    sizes = [len(p.text.encode()) for p in pieces]
    assert max(sizes) - min(sizes) <= len(pieces) * len(line)  # each ends after a line
    assert "".join(p.join(p.text.split("\n")) for p in pieces).encode() == data

    class Pipe(io.BytesIO):
        def seekable(self):
            return False

    assert piece_size(Pipe(data)) == PIECE_BYTES
    stream = io.BytesIO(data)
    stream.seek(len(data) // 2)  # what is left of it
    assert piece_size(stream) == (len(data) - len(data) // 2) // 2


# -- full and read-only file systems ------------------------------------------------------
@contextlib.contextmanager
def _tmpfs(path: Path, options: str):
    """A tmpfs mounted at `path` for the block (root can mount one; elsewhere the test
    cannot run)."""
    path.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                      capture_output=True, check=False).returncode != 0:
        pytest.skip(f"mounting a tmpfs ({options}) needs root")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.fixture
def small_fs(tmp_path):
    """A 64 KB file system, to fill."""
    with _tmpfs(tmp_path / "fs", "size=64k") as mnt:
        yield mnt


def _fill(fs: Path) -> None:
    with open(fs / "filler", "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 512)
        except OSError:
            pass


def test_a_full_disk_is_one_line_and_leaves_no_partial_file(small_fs, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("Hôm nay trời đẹp\n" * 2000)
    _fill(small_fs)
    before = set(os.listdir(small_fs))
    proc = vnocr("correct", "--no-dict", str(src), "-o", str(small_fs / "out.txt"))
    assert proc.returncode == 3
    assert "No space left" in one_error_line(proc) and "cannot write" in proc.stderr.decode()
    assert set(os.listdir(small_fs)) == before  # no out.txt, no temp file


def test_a_batch_on_a_full_disk_stops_with_its_reason_in_the_report(small_fs, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for k in range(3):
        (src / f"doc{k}.txt").write_text("Hôm nay trời đẹp\n" * 400)
    out = small_fs / "out"
    out.mkdir()
    (out / "vnocr-report.json").write_text("{}")  # room kept for the report
    filler = small_fs / "filler"
    _fill(small_fs)
    (out / "vnocr-report.json").unlink()
    proc = vnocr("batch", "--no-correct", "--no-progress", str(src), str(out))
    assert proc.returncode == 3
    assert "cannot write outputs" in one_error_line(proc)
    report = json.loads((out / "vnocr-report.json").read_text())
    assert report["exit_code"] == 3 and "No space left" in report["aborted"]
    assert filler.exists()


def test_a_read_only_target_is_one_line(tmp_path):
    with _tmpfs(tmp_path / "ro", "ro") as ro:
        src = tmp_path / "in.txt"
        src.write_text("Hôm nay\n")
        for args in (["correct", "--no-dict", str(src), "-o", str(ro / "o.txt")],
                     ["ocr", "--no-correct", str(REPO / "samples" / "admin_scan_clean.jpg"),
                      "-o", str(ro / "o.txt")],
                     ["batch", "--no-correct", "--no-progress", str(tmp_path),
                      str(ro / "out")]):
            proc = vnocr(*args)
            assert proc.returncode in (2, 3), args
            assert "Read-only" in one_error_line(proc)


# -- batch: odd files in the tree, and one batch at a time ------------------------------------
def test_a_fifo_in_the_tree_is_listed_as_ignored(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text("Hôm nay\n")
    os.mkfifo(src / "b.txt")
    proc = vnocr("batch", "--no-correct", "--no-progress", str(src), str(out), timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads((out / "vnocr-report.json").read_text())
    assert {"path": "b.txt", "reason": "not a regular file (a pipe, socket or device)"} in \
        report["ignored"]
    assert (out / "a.txt").is_file()


def test_a_second_batch_into_the_same_folder_is_refused(tmp_path):
    import fcntl

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    (src / "a.txt").write_text("Hôm nay\n")
    fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a running batch holds it
        proc = vnocr("batch", "--no-correct", "--no-progress", str(src), str(out))
    finally:
        os.close(fd)
    assert proc.returncode == 2
    assert "another vnocr batch" in one_error_line(proc)
    assert os.listdir(out) == []  # nothing written, not even a report
