"""The only module that talks to Tesseract (through `pytesseract.image_to_data`).

Environment checks turn a missing binary or missing language data into
`MissingDependencyError` with a fix hint before any page is read; a Tesseract failure
becomes `TesseractError`; a timeout gives an empty page and a warning, so one bad
scan does not sink a batch.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytesseract

from vnocr.errors import MissingDependencyError, TesseractError
from vnocr.options import TesseractOptions

log = logging.getLogger(__name__)

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie (or run `make setup`)"

# OpenMP threads inside Tesseract spin while they wait; on a busy 2-core machine one
# page took 15-43 s with 2 threads and 2-2.6 s with 1 (see docs/README_ocr.md). We
# parallelise over pages instead. A value the user set is respected.
_THREAD_ENV = "OMP_THREAD_LIMIT"

_checked: set[tuple[str, str, str, str]] = set()


@dataclass(frozen=True, slots=True)
class TsvWord:
    """One row of Tesseract's TSV at word level (level 5)."""

    block: int
    par: int
    line: int
    word: int
    left: int
    top: int
    width: int
    height: int
    conf: float  # 0..100
    text: str
    footnote_marker: bool = False  # a raised footnote number read again (`footnotes`)
    cell: int = -1  # column of the ruled table the word sits in (`tables`); -1: none


def _cmd() -> str:
    return str(pytesseract.pytesseract.tesseract_cmd)


def _run(args: list[str], timeout: float = 30.0) -> subprocess.CompletedProcess[str]:
    cmd = _cmd()
    try:
        return subprocess.run(
            [cmd, *args], capture_output=True, text=True, timeout=timeout, check=False
        )
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        raise MissingDependencyError(
            f"tesseract not found (looked for {cmd!r}); install it: {INSTALL_HINT}"
        ) from None
    except subprocess.TimeoutExpired:
        raise MissingDependencyError(f"tesseract ({cmd!r}) does not answer") from None


def check_environment(lang: str) -> None:
    """Raise `MissingDependencyError` unless Tesseract runs and has every language in `lang`.

    `lang` may combine models (`vie+eng`). Results are cached per binary, PATH and
    TESSDATA_PREFIX, so a batch pays for the check once.
    """
    key = (_cmd(), os.environ.get("PATH", ""), os.environ.get("TESSDATA_PREFIX", ""), lang)
    if key in _checked:
        return
    if os.sep not in key[0] and shutil.which(key[0]) is None:
        raise MissingDependencyError(f"tesseract not found on PATH; install it: {INSTALL_HINT}")
    version = _run(["--version"])
    if version.returncode != 0:
        raise MissingDependencyError(
            f"tesseract ({key[0]!r}) does not run: {_tail(version.stderr or version.stdout)}"
        )
    listed = _run(["--list-langs"])
    have = {ln.strip() for ln in listed.stdout.splitlines()[1:] if ln.strip()}
    wanted = [x for x in lang.split("+") if x]
    if not wanted:
        raise MissingDependencyError("no Tesseract language given (e.g. --lang vie)")
    missing = [x for x in wanted if x not in have]
    if missing:
        where = listed.stdout.splitlines()[0] if listed.stdout else "tessdata"
        pkgs = " ".join(_package(x) for x in missing)
        raise MissingDependencyError(
            f"Tesseract language data missing: {', '.join(missing)} ({where.strip()}); "
            f"install it: apt-get install {pkgs}"
        )
    _checked.add(key)


# Script models (capitalised names) ship in Debian's tesseract-ocr-script-* packages,
# named by the script's ISO 15924 code rather than by the model's name.
_SCRIPT_PACKAGES = {"Vietnamese": "tesseract-ocr-script-viet",
                    "Latin": "tesseract-ocr-script-latn"}


def _package(lang: str) -> str:
    """The Debian package that installs Tesseract's `lang` model."""
    return _SCRIPT_PACKAGES.get(lang, f"tesseract-ocr-{lang.lower().replace('_', '-')}")


def _tail(text: str, n: int = 200) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return (lines[-1] if lines else "no message")[-n:]


def _parse_tsv(tsv: str) -> list[TsvWord]:
    """Word rows of Tesseract's TSV, conf kept as a float (pytesseract's dict rounds it)."""
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = "\t".join(cells[11:]).strip()
        if not text:
            continue
        _, _, block, par, line, word, left, top, width, height = (int(c) for c in cells[:10])
        words.append(
            TsvWord(block, par, line, word, left, top, width, height, float(cells[10]), text)
        )
    return words


@contextmanager
def _page_file(image: np.ndarray) -> Iterator[Path | None]:
    """The page as a temporary PGM file for Tesseract (None if it cannot be written),
    with Tesseract's OpenMP threads limited as `_THREAD_ENV` says."""
    os.environ.setdefault(_THREAD_ENV, "1")
    with tempfile.TemporaryDirectory(prefix="vnocr-") as tmp:
        src = Path(tmp) / "page.pgm"
        yield src if cv2.imwrite(str(src), image) else None


def image_to_words(
    image: np.ndarray, opts: TesseractOptions, *, dpi: int | None = None
) -> list[TsvWord]:
    """OCR one page image and return its words in Tesseract's reading order.

    The page goes to Tesseract as PGM: PNG encoding (pytesseract's default) cost up to
    half of Tesseract's own time on a 300 DPI page.
    """
    check_environment(opts.lang)
    with _page_file(image) as src:
        if src is None:
            raise TesseractError("could not write the page image for tesseract")
        try:
            tsv = pytesseract.image_to_data(
                str(src),
                lang=opts.lang,
                config=f"--psm {opts.psm}" + (f" --dpi {dpi}" if dpi else ""),
                output_type=pytesseract.Output.STRING,
                timeout=opts.timeout_s,
            )
        except pytesseract.TesseractNotFoundError:
            raise MissingDependencyError(
                f"tesseract not found (looked for {_cmd()!r}); install it: {INSTALL_HINT}"
            ) from None
        except pytesseract.TesseractError as e:
            raise TesseractError(f"tesseract failed (exit {e.status}): {_tail(e.message)}") from e
        except RuntimeError as e:
            if "timeout" not in str(e).lower():
                raise
            log.warning("tesseract timed out after %ss; page left empty", opts.timeout_s)
            return []
    return _parse_tsv(tsv)


def read_digits(image: np.ndarray, opts: TesseractOptions) -> list[TsvWord]:
    """The words of a one-line image read as digits only (`--psm 7`, a whitelist): the
    footnote markers of a page, set side by side (`footnotes`). Empty when nothing is
    read or Tesseract fails: a marker left unread costs only itself."""
    with _page_file(image) as src:
        if src is None:
            return []
        try:
            tsv = pytesseract.image_to_data(
                str(src), lang=opts.lang,
                config="--psm 7 -c tessedit_char_whitelist=0123456789",
                output_type=pytesseract.Output.STRING, timeout=opts.timeout_s,
            )
        except (pytesseract.TesseractError, RuntimeError) as e:
            log.debug("reading footnote markers failed: %s", _tail(str(e)))
            return []
    return _parse_tsv(tsv)


def page_turn(image: np.ndarray, opts: TesseractOptions) -> tuple[int, float] | None:
    """Tesseract's orientation detection (OSD, `--psm 0`): the clockwise turn (0, 90,
    180 or 270 degrees) that sets the page upright, and its confidence. None when it
    cannot tell (too little text, no `osd` data installed, a timeout)."""
    with _page_file(image) as src:
        if src is None:
            return None
        try:
            osd = pytesseract.image_to_osd(
                str(src), config="--psm 0", output_type=pytesseract.Output.DICT,
                timeout=opts.timeout_s,
            )
        except (pytesseract.TesseractError, RuntimeError) as e:
            log.debug("orientation detection failed: %s", _tail(str(e)))
            return None
    try:
        return int(osd["rotate"]) % 360, float(osd["orientation_conf"])
    except (KeyError, TypeError, ValueError):
        return None


__all__ = ["INSTALL_HINT", "TsvWord", "check_environment", "image_to_words", "page_turn",
           "read_digits"]
