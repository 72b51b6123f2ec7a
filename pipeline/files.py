"""Reading the user's files: one place that turns OS errors into one-line InputErrors."""

from __future__ import annotations

from pathlib import Path

from vnocr.encodings import decode_document
from vnocr.errors import InputError


def read_bytes(
    path: Path, *, label: str = "", limit: int | None = None,
    error: type[InputError] = InputError,
) -> bytes:
    """The file's bytes (the first `limit` only, if given); a missing, unreadable or
    directory path raises `error`, an InputError, with a one-line message.

    `label` prefixes the message ("dictionary") so the user knows which file failed."""
    name = f"{label} {path}".strip()
    try:
        with Path(path).open("rb") as f:
            return f.read() if limit is None else f.read(limit)
    except FileNotFoundError:
        raise error(f"{name}: no such file") from None
    except IsADirectoryError:
        raise error(f"{name}: is a directory") from None
    except PermissionError:
        raise error(f"{name}: permission denied") from None
    except OSError as e:
        raise error(f"{name}: cannot read ({e.strerror or e})") from None


def decode_text(data: bytes, source: str = "input", encoding: str = "auto") -> str:
    """UTF-8 (BOM allowed), or legacy Vietnamese converted (`vnocr.encodings`), or a
    clear InputError; NFC and `\\n` line ends."""
    return decode_document(data, encoding, source=source).text


def read_text(path: Path, *, label: str = "") -> str:
    """A UTF-8 text file as NFC text with `\\n` line ends, or a one-line InputError."""
    return decode_text(read_bytes(path, label=label), f"{label} {path}".strip())
