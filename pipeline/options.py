"""Typed, validated options for every stage (one frozen dataclass per stage).

Each stage's owner extends only its own class; `Options` nests them.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from vnocr.errors import BadOptionsError

# The model installed with the package (`models/` in the source tree, `vnocr.models`
# once installed), so a wheel works from any directory.
DEFAULT_MODEL_DIR = Path(str(resources.files("vnocr.models") / "restore-v1"))
MODEL_ENV = "VNOCR_MODEL"


def default_model_dir() -> Path:
    """`$VNOCR_MODEL` where set (a model folder of the user's), else the shipped model."""
    env = os.environ.get(MODEL_ENV, "").strip()
    return Path(env).expanduser() if env else DEFAULT_MODEL_DIR


NETWORK_THREADS_ENV = "VNOCR_NETWORK_THREADS"
LEGACY_THREADS_ENV = "VNOCR_TORCH_THREADS"  # its name while torch ran the network


def network_threads() -> int:
    """The restorer network's intra-op threads, in ONNX Runtime or torch alike:
    `$VNOCR_NETWORK_THREADS` (or the older `$VNOCR_TORCH_THREADS`), else one (the
    network is small, and batch workers run one per core)."""
    env = os.environ.get(NETWORK_THREADS_ENV) or os.environ.get(LEGACY_THREADS_ENV)
    return int(env or "1")


def forks_after_load() -> bool:
    """Can worker processes be forked from one that holds the loaded Pipeline (sharing
    its model, copy-on-write)? Where the platform forks at all, and the network runs in
    one thread (a forked child cannot use the parent's OpenMP thread pool)."""
    return "fork" in multiprocessing.get_all_start_methods() and network_threads() == 1


def usable_cpus() -> int:
    """The cores this process may run on: its affinity mask (a container's or
    `taskset`'s limit) where the platform has one, else the machine's count."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


@dataclass(frozen=True, kw_only=True)
class TesseractOptions:
    """How Tesseract is called on a page: read by `vnocr.ocr._tesseract` on every call.

    `lang` and `psm` are Tesseract's `-l` and `--psm` for reading a page's words (its
    orientation and digit checks set their own `--psm`); a page whose reading runs past
    `timeout_s` is left empty with a warning instead of failing the run.
    """

    lang: str = "vie"
    psm: int = 3
    timeout_s: float = 120.0

    def __post_init__(self) -> None:
        if not 0 <= self.psm <= 13:
            raise BadOptionsError(f"--psm must be 0..13, got {self.psm}")
        if self.timeout_s <= 0:
            raise BadOptionsError("tesseract timeout must be positive")


@dataclass(frozen=True, kw_only=True)
class PreprocessOptions:
    """OpenCV steps before Tesseract; defaults chosen by `scripts/bench_ocr.py --ablate`."""

    enabled: bool = True
    drop_red: bool = True  # red seals and stamps read as paper (colour scans)
    flatten: bool = True  # divide out uneven lighting, on pages that have it
    orient: bool = True  # a page that reads badly is turned upright if it lies turned
    deskew: bool = True
    max_skew_deg: float = 15.0  # phone photos lie crooked by 10° and more
    denoise: str = "auto"  # none | median | auto (median on dusty pages only)
    binarize: str = "none"  # none | otsu | adaptive (none: Tesseract's own Otsu measured best)
    target_x_height: int = 16  # px; smaller print is upscaled to it; 0 = never rescale
    # px; print over 1.25 times this (and the target) is brought down to it; 0 = never
    max_x_height: int = 22

    def __post_init__(self) -> None:
        if self.denoise not in ("none", "median", "auto"):
            raise BadOptionsError(f"denoise must be none, median or auto, got {self.denoise!r}")
        if self.binarize not in ("none", "otsu", "adaptive"):
            raise BadOptionsError(
                f"binarize must be none, otsu or adaptive, got {self.binarize!r}"
            )
        if not 0 <= self.target_x_height <= 200:
            raise BadOptionsError("target x-height must be 0..200 px")
        if not 0 <= self.max_x_height <= 200:
            raise BadOptionsError("max x-height must be 0..200 px")
        if not 0 < self.max_skew_deg <= 45:
            raise BadOptionsError("max skew must be in (0, 45] degrees")


TEXT_LAYER_MODES = ("read", "ocr", "skip")


@dataclass(frozen=True, kw_only=True)
class OcrOptions:
    """Everything the OCR stage (`vnocr.ocr.iter_read`) needs to turn a file into pages.

    Holds the Tesseract and preprocessing groups, the resolution PDF pages are rendered
    at, the pixel limit past which an image is refused as a bad input, and what to do
    with a PDF page that has its own text layer.
    """

    tesseract: TesseractOptions = field(default_factory=TesseractOptions)
    preprocess: PreprocessOptions = field(default_factory=PreprocessOptions)
    pdf_dpi: int = 300
    max_pixels: int = 200_000_000
    # A PDF page that has its own text: "read" it (and correct it like any text), "ocr"
    # it anyway (--force-ocr), or "skip" it, keeping the page as it is (--skip-text).
    text_layer: str = "read"

    def __post_init__(self) -> None:
        if self.text_layer not in TEXT_LAYER_MODES:
            raise BadOptionsError(
                f"text_layer must be one of {', '.join(TEXT_LAYER_MODES)}, got {self.text_layer!r}")
        if not 50 <= self.pdf_dpi <= 1200:
            raise BadOptionsError(f"PDF DPI must be 50..1200, got {self.pdf_dpi}")


@dataclass(frozen=True, kw_only=True)
class RestoreOptions:
    """The restoration stage's settings, read by `Pipeline` when it loads and runs the model.

    `enabled=False` skips the stage; `model_dir` is the model folder loaded on first use;
    the rest are passed to each `restore_document` call.
    """

    enabled: bool = True
    model_dir: Path = field(default_factory=default_model_dir)
    tone_style: str = "auto"  # old, new, or auto: the input's own (old when it shows none)
    min_confidence: float = 0.0
    batch_size: int = 16
    # each change's next-best readings (JSON `alternatives`, the review page's choices);
    # plain text does without them, and they are some 12 % of the restoration's time
    alternatives: bool = True

    def __post_init__(self) -> None:
        if self.tone_style not in ("old", "new", "auto"):
            raise BadOptionsError(
                f"--tone-style must be old, new or auto, got {self.tone_style!r}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise BadOptionsError("--min-confidence must be between 0 and 1")
        if self.batch_size < 1:
            raise BadOptionsError("--batch-size must be at least 1")


@dataclass(frozen=True, kw_only=True)
class LexiconOptions:
    """The dictionary pass's settings, read by `Pipeline` when it repairs names.

    `user_dicts` are name lists loaded with the shipped gazetteer and the user's default
    list; `enabled=False` skips the pass.
    """

    enabled: bool = True
    user_dicts: tuple[Path, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Options:
    """All of one run's settings, one group per stage: what `Pipeline` is built with.

    The CLI builds one from its flags; a library caller builds one the same way, or
    passes none and gets every group's defaults.
    """

    ocr: OcrOptions = field(default_factory=OcrOptions)
    restore: RestoreOptions = field(default_factory=RestoreOptions)
    lexicon: LexiconOptions = field(default_factory=LexiconOptions)
