"""Reading the user's files: one place that turns OS errors into one-line InputErrors."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import InputError
from pipeline.text import nfc


def read_bytes(path: Path, *, label: str = "") -> bytes:
    """The file's bytes; a missing, unreadable or directory path is an InputError.

    `label` prefixes the message ("dictionary") so the user knows which file failed."""
    name = f"{label} {path}".strip()
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as e:
        raise InputError(f"{name}: cannot read ({e.strerror})") from None


def decode_text(data: bytes, source: str = "input") -> str:
    """UTF-8 (BOM allowed) or a clear InputError; NFC and `\\n` line ends."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            f"{source}: not UTF-8 text (bad byte at offset {e.start}); convert it with iconv first"
        ) from None
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def read_text(path: Path, *, label: str = "") -> str:
    """A UTF-8 text file as NFC text with `\\n` line ends, or a one-line InputError."""
    return decode_text(read_bytes(path, label=label), f"{label} {path}".strip())
