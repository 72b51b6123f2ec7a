"""Find the inputs of a batch and decide where each output goes.

Kept apart from the runner so the safety rules (no symlink escapes, no writes outside
OUT_DIR, no output over an input) can be read and tested on their own.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from vnocr.errors import BadOptionsError
from vnocr.files import TMP_MARK
from vnocr.output import SUFFIX

log = logging.getLogger(__name__)

# the image types `vnocr ocr` reads (vnocr.ocr._load.SUPPORTED), by their usual suffixes
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"})
INPUT_SUFFIXES = IMAGE_SUFFIXES | {".pdf", ".txt"}

# Files the runner itself writes into OUT_DIR; never inputs, never outputs.
MANIFEST_NAME = ".vnocr-manifest.jsonl"
REPORT_NAME = "vnocr-report.json"


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input: `rel` is its POSIX path relative to IN_DIR (also the key in the manifest)."""

    rel: str
    path: Path  # absolute path as walked (may be a symlink that stays inside IN_DIR)
    stem_clash: bool = False  # another input in the same folder has the same stem

    def output_rel(self, fmt: str) -> str:
        """`a/scan.pdf` → `a/scan.txt`; when `a/scan.png` also exists, `a/scan.pdf.txt`.

        Same-stem inputs keep their suffix so two inputs never share an output.
        """
        p = PurePosixPath(self.rel)
        ext = SUFFIX[fmt]
        name = p.name + ext if self.stem_clash else p.stem + ext
        return str(p.with_name(name))


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path the walk did not take, with the reason (symlink escape, loop, unreadable)."""

    rel: str
    reason: str


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def check_dirs(in_dir: Path, out_dir: Path) -> tuple[Path, Path]:
    """Resolve both folders and refuse layouts where outputs could land on inputs.

    OUT_DIR inside IN_DIR is allowed (the walk leaves it out); IN_DIR inside OUT_DIR or
    equal to it is refused, because mirrored outputs could then overwrite inputs.
    """
    if not in_dir.exists():
        raise BadOptionsError(f"{in_dir}: no such folder")
    if not in_dir.is_dir():
        raise BadOptionsError(f"{in_dir}: not a folder")
    if out_dir.exists() and not out_dir.is_dir():
        raise BadOptionsError(f"{out_dir}: exists and is not a folder")
    real_in = in_dir.resolve()
    real_out = out_dir.resolve()
    if _inside(real_in, real_out):
        raise BadOptionsError(
            f"{out_dir}: OUT_DIR must not be IN_DIR or contain it (outputs could overwrite inputs)"
        )
    return real_in, real_out


def walk_inputs(real_in: Path, real_out: Path) -> tuple[list[InputFile], list[Skipped]]:
    """Every input under `real_in`, sorted by relative path, plus what was left out and why.

    Symlinks are followed only when their target stays inside IN_DIR; a folder reached
    twice (a link loop) is walked once. OUT_DIR, when inside IN_DIR, is not walked.
    """
    found: list[tuple[str, Path]] = []
    skipped: list[Skipped] = []
    seen_dirs: set[Path] = set()

    def visit(dir_abs: Path, dir_rel: PurePosixPath) -> None:
        real = dir_abs.resolve()
        if real in seen_dirs:
            skipped.append(Skipped(str(dir_rel), "folder already walked (symlink loop)"))
            return
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(dir_abs), key=lambda e: e.name)
        except OSError as e:
            skipped.append(Skipped(str(dir_rel) or ".", f"cannot list folder ({e.strerror})"))
            return
        for entry in entries:
            rel = dir_rel / entry.name
            abs_path = Path(entry.path)
            if entry.name.startswith(TMP_MARK) or TMP_MARK in entry.name:
                continue
            try:
                is_link = entry.is_symlink()
                target = abs_path.resolve() if is_link else real / entry.name
            except (OSError, RuntimeError) as e:  # RuntimeError: link loop on old Pythons
                skipped.append(Skipped(str(rel), f"cannot resolve ({e})"))
                continue
            if is_link and not _inside(target, real_in):
                skipped.append(Skipped(str(rel), "symlink points outside IN_DIR; not followed"))
                continue
            if _inside(target, real_out):
                continue  # OUT_DIR (or a link into it) inside IN_DIR: our own outputs
            try:
                is_dir = entry.is_dir()  # follows links; escapes were refused above
                is_file = entry.is_file()
            except OSError as e:
                skipped.append(Skipped(str(rel), f"cannot stat ({e.strerror})"))
                continue
            if is_link and not (is_dir or is_file):
                skipped.append(Skipped(str(rel), "broken symlink"))
            elif is_dir:
                visit(abs_path, rel)
            elif not is_file:  # a FIFO would block the walk's hashing, a device never end
                skipped.append(Skipped(str(rel), "not a regular file (a pipe, socket or device)"))
            elif abs_path.suffix.lower() in INPUT_SUFFIXES:
                found.append((str(rel), abs_path))

    visit(real_in, PurePosixPath(""))
    stems: dict[tuple[str, str], int] = {}
    for rel, _ in found:
        p = PurePosixPath(rel)
        key = (str(p.parent), p.stem)
        stems[key] = stems.get(key, 0) + 1
    inputs = [
        InputFile(
            rel,
            path,
            stem_clash=stems[(str(PurePosixPath(rel).parent), PurePosixPath(rel).stem)] > 1,
        )
        for rel, path in found
    ]
    for s in skipped:
        log.info("skipped %s: %s", s.rel, s.reason)
    return inputs, skipped


def safe_output_path(real_out: Path, rel: str) -> Path:
    """`real_out / rel`, refusing anything that would resolve outside OUT_DIR.

    `rel` comes from the walk (no `..`), but a symlinked folder planted inside OUT_DIR
    could still lead elsewhere; check the parent after it exists.
    """
    target = real_out / rel
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    if not _inside(parent.resolve(), real_out):
        raise BadOptionsError(f"{parent}: leads outside OUT_DIR; refusing to write there")
    return target
