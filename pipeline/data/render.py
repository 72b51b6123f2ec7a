"""Render clean text lines to degraded page images, so Tesseract can show us its real errors.

The noise model is learned from what Tesseract does to pages we made ourselves,
where the truth is known line by line. Every degradation is driven by one seed, so a page can
be rebuilt exactly from (lines, spec, seed).
"""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from vnocr.errors import BadOptionsError, MissingDependencyError

log = logging.getLogger(__name__)

# Letters that only a font with real Vietnamese coverage has (stacked marks, horn vowels, đ).
VIETNAMESE_PROBE = "ệữượĐđỹẫặờỰỗ"

A4_WIDTH_IN = 8.27
A4_HEIGHT_IN = 11.69
MARGIN_IN = 0.8
LINE_SPACING = 1.45  # baseline-to-baseline / font size: room for stacked marks on capitals

_FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
    Path.home() / ".local/share/fonts",
)
# Styles a body-text page is not set in; skipped by name before the font is even opened.
_NON_BODY = (
    "bold",
    "italic",
    "oblique",
    "mono",
    "light",
    "thin",
    "black",
    "medium",
    "semi",
    "extra",
    "condensed",
    "narrow",
    "math",
    "heavy",
    "display",
)


def _has_glyphs(path: Path, text: str) -> bool:
    from fontTools.ttLib import TTFont, TTLibError  # imported here to keep import light

    try:
        with TTFont(path, lazy=True, fontNumber=0) as f:
            cmap = f.getBestCmap() or {}
    except (OSError, TTLibError, ValueError, KeyError, AssertionError) as e:
        # Broken or unsupported font files are simply not candidates.
        log.debug("skipping font %s: %s", path, e)
        return False
    return all(ord(c) in cmap for c in text if not c.isspace())


@lru_cache(maxsize=8)
def _find_fonts(dirs: tuple[Path, ...], text: str, body_only: bool) -> tuple[Path, ...]:
    found = []
    for d in dirs:
        if not d.is_dir():
            continue
        for p in sorted(d.rglob("*")):
            if p.suffix.lower() not in (".ttf", ".otf"):
                continue
            if body_only and any(w in p.stem.lower() for w in _NON_BODY):
                continue
            if _has_glyphs(p, text):
                found.append(p)
    # One file per family stem: the same font may be installed twice (e.g. under two dirs).
    seen: set[str] = set()
    unique = []
    for p in found:
        if p.name not in seen:
            seen.add(p.name)
            unique.append(p)
    return tuple(unique)


def find_fonts(
    *, text: str = VIETNAMESE_PROBE, body_only: bool = True, dirs: list[Path] | None = None
) -> list[Path]:
    """Installed TTF/OTF fonts that can set Vietnamese, checked by glyph coverage of `text`.

    Coverage is read from the font's cmap (fontTools), not trusted from its name: many Noto
    fonts are for other scripts. `body_only` keeps upright regular faces, what reports use.
    Sorted by path, so a seed picks the same font on every machine with the same fonts.
    """
    use = tuple(dirs) if dirs is not None else _FONT_DIRS
    env = os.environ.get("VNOCR_FONT_DIR")
    if dirs is None and env:
        use = (Path(env), *use)
    return list(_find_fonts(use, text, body_only))


@dataclass(frozen=True)
class RenderSpec:
    """How one page is printed and degraded. Units: points, dots per inch, degrees, pixels.

    blur: Gaussian radius in pixels at `dpi`. speckle: fraction of pixels hit by dust
    (0.001–0.01 is a photocopy). ink_spread: pixels by which strokes thicken (toner bleed).
    shadow: how much light a book's spine takes at the left edge (0.6: the page there is
    40 % as bright), with a vignette towards the corners, as a phone photo has.
    seals: red round seals stamped over the text (the page becomes RGB), as on signed
    administrative documents.
    jpeg_quality: None keeps the page lossless.
    """

    font: Path
    size_pt: float = 12
    dpi: int = 300
    rotate_deg: float = 0.0
    blur: float = 0.0
    speckle: float = 0.0
    jpeg_quality: int | None = None
    ink_spread: int = 0
    shadow: float = 0.0
    seals: int = 0

    def __post_init__(self) -> None:
        if not 4 <= self.size_pt <= 72:
            raise BadOptionsError(f"font size {self.size_pt} pt is outside 4..72")
        if not 50 <= self.dpi <= 1200:
            raise BadOptionsError(f"dpi {self.dpi} is outside 50..1200")
        if not -45 <= self.rotate_deg <= 45:
            raise BadOptionsError(f"rotation {self.rotate_deg}° is outside -45..45")
        if self.blur < 0 or not 0 <= self.speckle <= 0.2 or self.ink_spread < 0:
            raise BadOptionsError(
                "blur, speckle and ink_spread must be non-negative (speckle ≤ 0.2)"
            )
        if not 0 <= self.shadow <= 0.9:
            raise BadOptionsError(f"shadow {self.shadow} is outside 0..0.9")
        if not 0 <= self.seals <= 10:
            raise BadOptionsError(f"{self.seals} seals is outside 0..10")
        if self.jpeg_quality is not None and not 1 <= self.jpeg_quality <= 100:
            raise BadOptionsError(f"JPEG quality {self.jpeg_quality} is outside 1..100")


@lru_cache(maxsize=64)
def _load_font(path: str, size_px: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(path, size=size_px)
    except OSError as e:
        raise MissingDependencyError(f"cannot load font {path}: {e}") from e


def line_fits(line: str, spec: RenderSpec) -> bool:
    """Whether `line` fits between the margins of an A4-width page, so callers can wrap first."""
    font = _load_font(str(spec.font), _size_px(spec))
    return font.getlength(line) <= (A4_WIDTH_IN - 2 * MARGIN_IN) * spec.dpi


def _size_px(spec: RenderSpec) -> int:
    return max(4, round(spec.size_pt * spec.dpi / 72))


def render_clean(lines: list[str], spec: RenderSpec) -> Image.Image:
    """The undegraded page: black text on white, one given line per printed line.

    The page is A4 wide (wider only when a line would not fit, so a line is never broken
    and the truth stays line-aligned) and as tall as the lines need, at least one A4 page
    would be wasteful for Tesseract's time.
    """
    size_px = _size_px(spec)
    font = _load_font(str(spec.font), size_px)
    margin = round(MARGIN_IN * spec.dpi)
    pitch = round(size_px * LINE_SPACING)
    widest = max((font.getlength(s) for s in lines), default=0.0)
    width = max(round(A4_WIDTH_IN * spec.dpi), int(widest) + 2 * margin + 1)
    height = 2 * margin + pitch * max(1, len(lines))
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    ascent, _ = font.getmetrics()
    for i, line in enumerate(lines):
        # Baseline placement: the first line's marks sit inside the top margin, never clipped.
        y = margin + i * pitch + (pitch - size_px) // 2
        draw.text((margin, y + ascent), line, font=font, fill=0, anchor="ls")
    return img


def degrade(img: Image.Image, spec: RenderSpec, *, seed: int = 0) -> Image.Image:
    """Apply the spec's degradations in the order a real copy suffers them.

    Toner spreads on the glass, the sheet lies crooked, optics blur, the lighting falls
    unevenly, dust lands, seals are pressed on, and the scanner finally compresses.
    Random parts (speckle, paper grain, where the seals go) come from `seed` alone.
    """
    rng = np.random.default_rng(seed)
    if spec.ink_spread > 0:
        img = img.filter(ImageFilter.MinFilter(2 * spec.ink_spread + 1))
    if spec.rotate_deg:
        img = img.rotate(
            spec.rotate_deg, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255
        )
    if spec.blur > 0:
        img = img.filter(ImageFilter.GaussianBlur(spec.blur))
    if spec.shadow > 0:
        a = np.asarray(img, dtype=np.float32)
        h, w = a.shape
        x = np.linspace(0, 1, w)[None, :]
        y = np.linspace(0, 1, h)[:, None]
        light = (1.0 - spec.shadow * np.exp(-x / 0.18)
                 - 0.4 * spec.shadow * ((x - 0.5) ** 2 + (y - 0.5) ** 2))
        img = Image.fromarray(np.clip(a * light, 0, 255).astype(np.uint8), "L")
    if spec.speckle > 0:
        a = np.asarray(img, dtype=np.float32)
        # Paper grain grows with the dust level; clipped so clean paper stays white-ish.
        a = a + rng.normal(0.0, min(40.0, 4000.0 * spec.speckle), a.shape)
        # Dust: dark grains a few pixels across at scan resolution, plus white drop-outs.
        grain = max(1, round(spec.dpi / 150))
        seeds = rng.random(a.shape) < spec.speckle / (grain * grain)
        if grain > 1:
            mask = Image.fromarray(seeds.astype(np.uint8) * 255, "L")
            seeds = np.asarray(mask.filter(ImageFilter.MaxFilter(2 * (grain // 2) + 1))) > 0
        a[seeds] = rng.uniform(0, 160, int(seeds.sum()))
        a[rng.random(a.shape) < spec.speckle / 4] = 255
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
    if spec.seals:
        img = _stamp_seals(img, spec, rng)
    if spec.jpeg_quality is not None:
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=spec.jpeg_quality)
        buf.seek(0)
        img = Image.open(buf).convert(img.mode)
        img.load()
    return img


_SEAL_RED = np.array([0.85, 0.10, 0.15])  # the ink's colour: it keeps this share of each channel


def _stamp_seals(img: Image.Image, spec: RenderSpec, rng: np.random.Generator) -> Image.Image:
    """Red round seals (two rings, a star, a word) pressed over the page: RGB out."""
    w, h = img.size
    mask = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(mask)
    r = round(0.16 * w)
    font = _load_font(str(spec.font), max(8, r // 4))
    for _ in range(spec.seals):
        cx, cy = rng.uniform(0.25, 0.75) * w, rng.uniform(0.2, 0.8) * h
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=255, width=max(3, w // 250))
        q = 0.7 * r
        draw.ellipse([cx - q, cy - q, cx + q, cy + q], outline=255, width=max(2, w // 400))
        draw.regular_polygon((cx, cy - 0.45 * r, 0.12 * r), 5, fill=255)
        draw.text((cx, cy), "ỦY BAN", font=font, fill=255, anchor="mm")
    ink = np.asarray(mask, dtype=np.float32)[..., None] / 255.0 * 0.9  # pressed unevenly
    paper = np.asarray(img.convert("L"), dtype=np.float32)[..., None]
    rgb = paper * (1.0 - ink * (1.0 - _SEAL_RED))
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")


def render_page(lines: list[str], spec: RenderSpec, *, seed: int = 0) -> Image.Image:
    """Grayscale page with one given line per printed line, degraded per `spec` from `seed`.

    The image carries its resolution in `info["dpi"]`, so Tesseract and our OCR stage see
    the real DPI when the page is saved.
    """
    if any("\n" in s for s in lines):
        raise BadOptionsError("a line to render must not contain a newline")
    img = degrade(render_clean(lines, spec), spec, seed=seed)
    img.info["dpi"] = (spec.dpi, spec.dpi)
    return img
