"""The one writer of output files (`vnocr.files`): atomic, umask-respecting, and never
replacing what is not a regular file."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from vnocr.errors import BadOptionsError, OutputError
from vnocr.files import (
    TMP_MARK,
    atomic_file,
    refuse_output_over_input,
    write_atomic,
    write_output,
)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_file_gets_0644_under_umask_022(tmp_path, umask_022):
    write_output(tmp_path / "a.txt", "xin chào\n")
    write_atomic(tmp_path / "b.txt", b"x")
    assert mode(tmp_path / "a.txt") == mode(tmp_path / "b.txt") == 0o644
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "xin chào\n"


def test_umask_077_is_respected_too(tmp_path):
    old = os.umask(0o077)
    try:
        write_output(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert mode(tmp_path / "a.txt") == 0o600


def test_replaced_file_keeps_its_mode(tmp_path, umask_022):
    p = tmp_path / "a.txt"
    p.write_text("old")
    p.chmod(0o640)
    write_output(p, "new")
    assert p.read_text() == "new" and mode(p) == 0o640


def test_failed_write_leaves_old_content_and_no_temp_file(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("old")
    with pytest.raises(RuntimeError), atomic_file(p) as f:
        f.write(b"half")
        raise RuntimeError("killed")
    assert p.read_text() == "old"
    assert [q.name for q in tmp_path.iterdir()] == ["a.txt"]


def test_dev_null_stays_a_device(tmp_path):
    write_output("/dev/null", "nothing\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_char_device_made_by_mknod_stays_a_device(tmp_path):
    dev = tmp_path / "null"
    try:
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:
        pytest.skip("mknod needs root")
    write_output(dev, "x")
    assert stat.S_ISCHR(os.lstat(dev).st_mode)
    assert [q.name for q in tmp_path.iterdir()] == ["null"]


def test_fifo_is_written_as_a_stream(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_output(fifo, "qua ống\n")
    reader.join(timeout=10)
    assert got == ["qua ống\n".encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_symlink_is_written_through(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_output(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new"


def test_dash_is_stdout(capsysbinary):
    write_output("-", "ra màn hình\n")
    assert capsysbinary.readouterr().out == "ra màn hình\n".encode()


def test_unwritable_target_is_one_line_output_error(tmp_path):
    with pytest.raises(OutputError, match=r"no/dir/x.txt: cannot write output \("):
        write_output(tmp_path / "no" / "dir" / "x.txt", "x")
    with pytest.raises(OutputError, match="cannot write report"):
        write_output(tmp_path, "x", label="report")
    write_output(tmp_path / "made" / "x.txt", "x", make_parents=True)
    assert (tmp_path / "made" / "x.txt").read_text() == "x"


def test_temp_files_are_marked_for_the_sweep(tmp_path):
    with atomic_file(tmp_path / "a.txt") as f:
        names = [q.name for q in tmp_path.iterdir()]
        f.write(b"x")
    assert len(names) == 1 and names[0].startswith(TMP_MARK)


def test_output_over_input_is_refused(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("x")
    (tmp_path / "alias.txt").symlink_to(src)
    os.link(src, tmp_path / "hard.txt")
    for same in (src, tmp_path / "alias.txt", tmp_path / "hard.txt", tmp_path / "." / "in.txt"):
        with pytest.raises(BadOptionsError, match="is also an input"):
            refuse_output_over_input(same, [tmp_path / "other.txt", src])
    refuse_output_over_input(tmp_path / "new.txt", [src])
    refuse_output_over_input("-", [src])
    refuse_output_over_input(None, [src])
