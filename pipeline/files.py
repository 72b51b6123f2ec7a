"""The user's files: reading them (OS errors become one-line InputErrors) and writing
outputs (one atomic writer for every file the package writes, one rule for `-o`)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from vnocr.encodings import decode_document
from vnocr.errors import BadOptionsError, InputError, OutputError


@contextlib.contextmanager
def open_input(
    path: str | Path, *, label: str = "", streams: bool = False,
    error: type[InputError] = InputError,
) -> Iterator[BinaryIO]:
    """The user's input file, opened for reading; OS failures are one-line `error`s.

    The open never blocks: a FIFO without a writer would hang `open()` forever, so it
    is opened non-blocking and then read normally (no writer: it reads as empty). Pipes
    and devices are accepted only with `streams` (`vnocr correct <(zcat a.gz)`); where
    a file is needed (images, PDFs, dictionaries) they are refused.
    """
    name = f"{label} {path}".strip()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise error(f"{name}: no such file") from None
    except PermissionError:
        raise error(f"{name}: permission denied") from None
    except OSError as e:
        raise error(f"{name}: cannot read ({e.strerror or e})") from None
    f = os.fdopen(fd, "rb")
    with f:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise error(f"{name}: is a directory")
        if not stat.S_ISREG(mode) and not streams:
            raise error(f"{name}: not a regular file (a pipe or a device)")
        os.set_blocking(fd, True)
        yield f  # (a failure while reading is the caller's to name: it may be its writing)


def read_bytes(
    path: Path, *, label: str = "", limit: int | None = None,
    error: type[InputError] = InputError,
) -> bytes:
    """A regular file's bytes (the first `limit` only, if given); a missing,
    unreadable or directory path, a pipe or a device raises `error`, an InputError,
    with a one-line message. `label` prefixes it ("dictionary") so the user knows
    which file failed."""
    with open_input(path, label=label, error=error) as f:
        return f.read() if limit is None else f.read(limit)


def decode_text(data: bytes, source: str = "input", encoding: str = "auto") -> str:
    """UTF-8 (BOM allowed), or legacy Vietnamese converted (`vnocr.encodings`), or a
    clear InputError; NFC and `\\n` line ends."""
    return decode_document(data, encoding, source=source).text


def read_text(path: Path, *, label: str = "") -> str:
    """A UTF-8 text file as NFC text with `\\n` line ends, or a one-line InputError."""
    return decode_text(read_bytes(path, label=label), f"{label} {path}".strip())


# -- writing ---------------------------------------------------------------------------
STDOUT = "-"  # `-o -`: the output goes to standard output
# Temp files of `atomic_file` start with this, so a folder sweep (and the batch walk)
# can tell them from real files after a run was killed.
TMP_MARK = ".vnocr-tmp."


def _fsync_dir(path: Path) -> None:
    """The rename itself must survive a crash, not only the file's bytes."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_file(path: Path, *, sync: bool = True) -> Iterator[BinaryIO]:
    """A binary file that appears at `path` whole, or not at all.

    It is written as a temp file in `path`'s folder (a rename never crosses file
    systems), fsynced, then renamed over `path`. The temp file is created with mode
    0666 so the umask applies as it would to any new file (0644 under umask 022); a
    regular file being replaced keeps its own mode. `path` itself is replaced, so a
    caller that must not replace a symlink or a device resolves it first
    (`write_output` does).
    """
    path = Path(path)
    tmp = path.with_name(f"{TMP_MARK}{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        with contextlib.suppress(FileNotFoundError):
            st = os.stat(path)
            if stat.S_ISREG(st.st_mode):
                os.fchmod(fd, stat.S_IMODE(st.st_mode))
        with os.fdopen(fd, "wb") as f:
            yield f
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if sync:
        _fsync_dir(path.parent)


def write_atomic(path: Path, data: bytes | str, *, sync: bool = True) -> None:
    """`data` (str as UTF-8) into `path` through `atomic_file`."""
    with atomic_file(path, sync=sync) as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


def is_stream(path: str | Path) -> bool:
    """A device, FIFO or socket: written to in place, never replaced by a file."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


@contextlib.contextmanager
def open_output(
    target: str | Path, *, label: str = "output", make_parents: bool = False,
    sync: bool = True,
) -> Iterator[BinaryIO]:
    """A user-named output, opened the way a shell redirection would, but atomically.

    `-` is stdout (left open); a device or FIFO (`/dev/null`, `/dev/stdout`) is written
    to as a stream; a symlink is written through to its target, which stays a symlink;
    a regular or new file is replaced atomically (`atomic_file`), so a failure midway
    leaves the old file (or none) and no partial one. An OS failure is an `OutputError`
    naming the file and `label` ("cannot write report (...)"). `make_parents` creates
    missing folders on the way, as `vnocr ocr -o a/b.txt` does.
    """
    if str(target) == STDOUT:
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(os.path.realpath(target))  # through symlinks, to what they name
    try:
        if is_stream(path):
            with open(path, "wb") as f:
                yield f
            return
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path, sync=sync) as f:
            yield f
    except OSError as e:
        raise OutputError(f"{target}: cannot write {label} ({e.strerror or e})") from None


def write_output(
    target: str | Path,
    data: bytes | str,
    *,
    label: str = "output",
    make_parents: bool = False,
    sync: bool = True,
) -> None:
    """`data` (str as UTF-8) into a user-named output (`open_output`'s rules)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with open_output(target, label=label, make_parents=make_parents, sync=sync) as f:
        f.write(raw)


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one existing file (through links, `..`, hard links)."""
    if STDOUT in (str(a), str(b)):
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_output_over_input(output: str | Path | None, inputs: Iterable[str | Path]) -> None:
    """Stop before anything is read when `-o` names one of the inputs: the atomic
    rename would replace the input with its own output."""
    if output is None:
        return
    for inp in inputs:
        if same_file(output, inp):
            raise BadOptionsError(f"-o {output}: is also an input; refusing to overwrite it")
