"""Errors that carry their exit code; only `vnocr.cli` turns them into `sys.exit`."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of the `vnocr` command (documented in the README)."""

    OK = 0
    FAILED_SOME = 1  # a batch finished but at least one input failed
    BAD_OPTIONS = 2  # usage error: unknown option, bad value
    BAD_INPUT = 3  # input file unreadable, corrupt, empty, unsupported or too large
    ENVIRONMENT = 4  # broken environment: Tesseract or its language data missing
    TESSERACT = 5  # Tesseract ran and failed
    MODEL = 6  # the restoration model could not be loaded
    INTERRUPTED = 130  # Ctrl-C


class VnocrError(Exception):
    """Base class: `str(err)` is the one line printed on stderr."""

    exit_code: ExitCode = ExitCode.BAD_INPUT


class BadOptionsError(VnocrError):
    """A usage error found after parsing (conflicting options, a bad range); exit 2.

    Raised by the commands and by the library's own checks (the option groups of
    `vnocr.options`, a `--pages` selection), so a library caller gets the message the
    CLI would print.
    """

    exit_code = ExitCode.BAD_OPTIONS


class InputError(VnocrError):
    """The input itself is bad: corrupt, empty, unsupported, non-UTF-8, too large."""

    exit_code = ExitCode.BAD_INPUT


class InputImageError(InputError):
    """A scan or PDF cannot be turned into page images (corrupt, empty, too large); exit 3.

    Raised by `vnocr.ocr` while loading a page, before Tesseract runs, so a caller can
    tell a bad scan from a bad text input while both keep the bad-input exit code.
    """


class OutputError(VnocrError):
    """An output cannot be written (no such folder, permission, disk full); the exit
    code is that of a bad input, the only one `eval --html` ever gave it."""

    exit_code = ExitCode.BAD_INPUT


class MissingDependencyError(VnocrError):
    """Tesseract, its `vie` data or another system piece is absent."""

    exit_code = ExitCode.ENVIRONMENT


class WorkerDiedError(VnocrError):
    """A worker process died (killed, out of memory): nothing it was given is written."""

    exit_code = ExitCode.ENVIRONMENT


class TesseractError(VnocrError):
    """Tesseract failed on a page, or the page image could not be written for it; exit 5."""

    exit_code = ExitCode.TESSERACT


class ModelLoadError(VnocrError):
    """The restoration model (or a noise table of `vnocr.data`) cannot be loaded or run; exit 6.

    Raised before any text is restored, by `check_ready` or when the model is first
    loaded: a missing `config.json`, an unknown `$VNOCR_BACKEND`, a network that runs in
    no backend.
    """

    exit_code = ExitCode.MODEL
