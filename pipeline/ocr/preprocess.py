"""OpenCV preprocessing before Tesseract: grayscale (red seals dropped), flatten, deskew,
rescale, denoise, binarize.

Each step is a plain function so the benchmark (`scripts/bench_ocr.py --ablate`) can
switch it on and off; the defaults in `PreprocessOptions` are the measured winners.
Rotation and scaling are done in one `warpAffine`, and the matrix is kept so word
boxes can be mapped back to the input image.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from vnocr.ocr.ink import dark_ink, ink_components, text_ink, text_ink_mask
from vnocr.ocr.skew import estimate_skew, least_measurable_skew, skew_work_copy
from vnocr.options import PreprocessOptions

log = logging.getLogger(__name__)

_MAX_SCALE = 4.0
# Print is brought down to `max_x_height` only when it is this much larger: a rescale
# then removes at least a third of the pixels Tesseract must read.
_DOWNSCALE_MARGIN = 1.25
_MAX_OUTPUT_PIXELS = 80_000_000
_MAX_SIDE = 32_000  # Tesseract refuses an image with a side over 32767 px ("Image too large")
_STATS_FULL_WIDTH = 2900
_DUSTY = 0.2  # speck_ratio above which `denoise="auto"` considers the median (clean pages: 0)
# Share of the dust's ink the 3x3 median must remove for `denoise="auto"` to apply it.
# Measured: 1 px specks (150-200 DPI scans, upscaled low-resolution and fax pages) 0.99-1.0;
# 300 DPI specks 3 px wide 0.44-0.48; the same shrunk by 0.75 (heavy photocopies) 0.83-0.95.
_CLEARED = 0.7
_RED_LEAD = 50  # a pixel whose red exceeds its green and blue by this much is red ink
_GRAY_ROWS = 64  # rows of a colour page converted to grey at a time (`to_gray`)
_BACKGROUND_WORK = 400  # px: the long side of the page on which the paper is estimated
# Paper brightness spread (1 - 2nd/98th percentile) above which a page is flattened:
# rendered clean, photocopied, fax and 600 DPI pages of scripts/bench_ocr.py 0.000-0.008,
# the two sample scans 0.04 and 0.11, its shadowed pages (`--conditions shadow`) 0.57-0.58.
_UNEVEN = 0.15
# The paper estimated on the tilt search's ~1000 px copy (`skew_work_copy`) rather than on
# the page: its unevenness differed by at most 0.004 on 65 pages (bench_ocr's ten
# conditions, bench_layout's pages, the real and sample scans), so a page under
# `_UNEVEN` by ten times that is even without the page's own estimate (17 ms of a 300
# DPI page's 25 go to shrinking it).
_UNEVEN_MARGIN = 0.04


@dataclass(frozen=True, slots=True)
class Preprocessed:
    """The image Tesseract sees, and how it relates to the input page."""

    image: np.ndarray  # uint8, single channel
    skew_deg: float  # counter-clockwise tilt of the text found in the input (corrected)
    scale: float  # output px per input px
    x_height: float | None  # median x-height in input px, None when no text was found
    matrix: np.ndarray  # 2x3 affine: input coordinates -> output coordinates
    seconds: float
    # (left, top, width, height) of each `dark_ink` blob of `image`, where the x-height
    # search labelled this very image; None where it did not (see `preprocess`)
    ink_blobs: np.ndarray | None = None
    # `dark_ink(image)` where `ink_blobs` is given: the mask they were labelled in (the
    # footnote-marker search reads it too; Otsu again on a 300 DPI page was ~7 ms)
    ink_mask: np.ndarray | None = None

    def to_input_box(self, left: int, top: int, width: int, height: int) -> tuple[int, ...]:
        """Map a box found on the processed image back to the input page (axis-aligned)."""
        inv = cv2.invertAffineTransform(self.matrix)
        xs = (left, left + width, left, left + width)
        ys = (top, top, top + height, top + height)
        pts = np.array([[x, y, 1.0] for x, y in zip(xs, ys, strict=True)]) @ inv.T
        x0, y0 = pts.min(axis=0)
        x1, y1 = pts.max(axis=0)
        return (round(x0), round(y0), round(x1 - x0), round(y1 - y0))


def to_gray(image: Image.Image | np.ndarray, drop_red: bool = False) -> np.ndarray:
    """8-bit single channel: Tesseract binarises internally and needs no colour.

    `drop_red`: red ink (the seals and stamps on administrative documents, often right
    over the signer's lines) is taken at its red channel's brightness, as light as the
    paper, instead of as a grey Tesseract reads as ink; black text under a seal stays
    black (it is dark in every channel).

    A colour page is converted `_GRAY_ROWS` rows at a time: its channels and the red
    test then live in a few small blocks reused for every stripe, not in page-sized
    arrays each paid for in fresh pages (the whole RGB copy, three channels, the red
    mask: 69 -> 15 ms CPU on a 300 DPI RGB scan in `vnocr batch`, same bytes)."""
    if isinstance(image, Image.Image):
        if image.mode == "L":
            return np.asarray(image)
        if image.mode != "RGB":
            image = image.convert("RGB")
    elif image.ndim != 3:
        return image
    height, width = (image.height, image.width) if isinstance(image, Image.Image) \
        else image.shape[:2]
    gray = np.empty((height, width), np.uint8)
    for top in range(0, height, _GRAY_ROWS):
        bottom = min(height, top + _GRAY_ROWS)
        rgb = np.asarray(image.crop((0, top, width, bottom))) \
            if isinstance(image, Image.Image) else image[top:bottom]
        _gray_rows(rgb, gray[top:bottom], drop_red)
    return gray


def _gray_rows(rgb: np.ndarray, gray: np.ndarray, drop_red: bool) -> None:
    """`to_gray` of the stripe `rgb`, written into `gray`."""
    cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY, dst=gray)
    if drop_red:
        r, g, b = cv2.split(rgb)
        red = cv2.subtract(r, cv2.max(g, b)) >= _RED_LEAD
        gray[red] = r[red]


def paper_background(gray: np.ndarray) -> np.ndarray:
    """The paper's brightness under every pixel: the page with its ink closed over by a
    window wider than a text line, estimated on a ~400 px copy and blurred back up."""
    h, w = gray.shape
    f = max(1.0, max(h, w) / _BACKGROUND_WORK)
    small = cv2.resize(gray, (max(1, round(w / f)), max(1, round(h / f))),
                       interpolation=cv2.INTER_AREA)
    k = 2 * max(3, round(min(small.shape) / 40)) + 1
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    paper = cv2.GaussianBlur(paper, (0, 0), k / 2)
    return cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)


def flatten(gray: np.ndarray, paper: np.ndarray | None = None) -> np.ndarray:
    """Divide out uneven lighting (a spine's shadow, a phone photo's vignette), so one
    global threshold (Tesseract's Otsu) separates ink from paper everywhere."""
    paper = paper_background(gray) if paper is None else paper
    return cv2.divide(gray, cv2.max(paper, 1), scale=255)  # 8-bit, saturating


def unevenness(paper: np.ndarray) -> float:
    """How unevenly the paper is lit: 1 - (2nd / 98th percentile of its brightness)."""
    lo, hi = np.percentile(paper[:: max(1, paper.shape[0] // 200),
                                 :: max(1, paper.shape[1] // 200)], [2, 98])
    return float(1.0 - lo / hi) if hi > 0 else 0.0


@dataclass(frozen=True, slots=True)
class TextStats:
    """What the connected components of a page say about its print and its dirt."""

    x_height: float | None  # median letter height in px; None when no text was found
    speck_ratio: float  # dust-sized components per letter-sized one (0 on a clean page)
    # the components' boxes (left, top, width, height) where the ink is dark on light
    # paper, and the mask they were labelled in: the footnote-marker search needs the
    # same ones (`Preprocessed.ink_blobs`, `Preprocessed.ink_mask`)
    blobs: np.ndarray | None = None
    ink: np.ndarray | None = None


def _dust_area(x_height: float) -> int:
    """The largest component, in px, counted as dust: too small even for a diacritic's
    dot, whose side is about an eighth of the x-height."""
    return max(2, round((x_height / 8) ** 2))


def text_stats(gray: np.ndarray) -> TextStats:
    """One connected-component pass for both the x-height and the amount of dust.

    Most glyphs of running text are x-height tall; diacritics and specks are separate,
    smaller components, so they are dropped before the median is taken. Components of
    at most max(2, (x-height/8)²) px are too small even for a diacritic dot: dust.
    """
    mask, flipped = text_ink(gray)
    n, _, stats = ink_components(mask)
    blobs = None if flipped else stats[1:n, :4].astype(np.int64)
    ink = None if flipped else mask
    if n <= 1:
        return TextStats(None, 0.0, blobs, ink)
    hts = stats[1:, cv2.CC_STAT_HEIGHT]
    wds = stats[1:, cv2.CC_STAT_WIDTH]
    area = stats[1:, cv2.CC_STAT_AREA]
    cand = (hts >= 4) & (wds >= 2) & (area >= 8) & (hts < gray.shape[0] // 4)
    if cand.sum() < 20:
        return TextStats(None, 0.0, blobs, ink)
    # A rough height weighted by ink: letters carry far more ink than dust, so even a
    # page with more specks than letters (600 DPI dust is 4 px wide) is measured right.
    order = np.argsort(hts[cand], kind="stable")
    cum = np.cumsum(area[cand][order])
    rough = float(hts[cand][order][np.searchsorted(cum, cum[-1] / 2)])
    letters = cand & (hts >= 0.6 * rough) & (hts <= 2.5 * rough)
    xh = float(np.median(hts[letters]))
    dust = int((area <= _dust_area(xh)).sum())
    return TextStats(xh, dust / max(1, int(letters.sum())), blobs, ink)


def _page_stats(gray: np.ndarray) -> TextStats:
    """`text_stats`, on a half-size copy of scans over ~350 DPI (A4 wider than 2900 px).

    The component pass is the dearest part of preprocessing: on a 600 DPI page it was
    a quarter of Tesseract's time. Half size still leaves letters over 20 px.
    """
    if gray.shape[1] <= _STATS_FULL_WIDTH:
        return text_stats(gray)
    half = cv2.resize(gray, (gray.shape[1] // 2, gray.shape[0] // 2), interpolation=cv2.INTER_AREA)
    st = text_stats(half)
    return TextStats(st.x_height * 2 if st.x_height else None, st.speck_ratio)


def dust_cleared(image: np.ndarray, filtered: np.ndarray, x_height: float) -> float:
    """Share of the dust's ink in `image` that is gone from `filtered` (0.0 without dust).

    A 3x3 median removes only what is thinner than its kernel. Where the specks are
    that fine (scans up to 200 DPI, shrunk heavy scans) it takes all of them; where they
    are as wide as the strokes (300 DPI dust is ~3 px) it takes half of them and rounds
    the letters as much, which cost errors on every such page measured.
    """
    ink = text_ink_mask(image)
    n, labels, stats = ink_components(ink)
    area = stats[:, cv2.CC_STAT_AREA]
    is_dust = area <= _dust_area(x_height)
    is_dust[0] = False  # the paper
    total = int(area[is_dust].sum())
    if total == 0:
        return 0.0
    removed = np.bincount(labels[(ink == 1) & (text_ink_mask(filtered) == 0)], minlength=n)
    return float(removed[is_dust].sum() / total)


def estimate_x_height(gray: np.ndarray) -> float | None:
    """Median height of letter-sized connected components, in px (None: no text)."""
    return text_stats(gray).x_height


def _within_tesseract_limit(scale: float, w: int, h: int, skew_deg: float) -> float:
    """`scale`, lowered where the rescaled (and deskewed) page would have a side longer
    than Tesseract accepts: a 20000 x 200 px strip of small print must not be doubled."""
    c, s = abs(math.cos(math.radians(skew_deg))), abs(math.sin(math.radians(skew_deg)))
    longest = max(w * c + h * s, w * s + h * c)
    return min(scale, _MAX_SIDE / longest) if longest * scale > _MAX_SIDE else scale


def _affine(w: int, h: int, angle_deg: float, scale: float) -> tuple[np.ndarray, int, int]:
    """One matrix for rotate-by-`angle_deg` (CCW) and scale, sized to keep every corner."""
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle_deg, scale)
    corners = np.array([[0, 0, 1], [w, 0, 1], [0, h, 1], [w, h, 1]], dtype=np.float64) @ m.T
    x0, y0 = corners.min(axis=0)
    x1, y1 = corners.max(axis=0)
    m[0, 2] -= x0
    m[1, 2] -= y0
    return m, math.ceil(x1 - x0), math.ceil(y1 - y0)


def _turned(gray: np.ndarray, skew_deg: float, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(matrix, image): `gray` turned by -`skew_deg` and enlarged by `scale` (≥ 1) in one
    warp, the corners the turn uncovers filled with paper, not black."""
    h, w = gray.shape
    m, ow, oh = _affine(w, h, -skew_deg, scale)
    paper = int(np.percentile(gray[:: max(1, h // 200), :: max(1, w // 200)], 90))
    out = cv2.warpAffine(gray, m, (ow, oh),
                         flags=cv2.INTER_CUBIC if scale > 1.0 else cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=paper)
    return m, out


def binarize(gray: np.ndarray, method: str, x_height: float | None = None) -> np.ndarray:
    """Otsu (one global threshold) or adaptive Gaussian (window a few letters wide)."""
    if method == "otsu":
        _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        return out
    if method == "adaptive":
        block = int(4 * (x_height or 20)) | 1
        return cv2.adaptiveThreshold(
            gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, max(block, 15), 15
        )
    return gray


def preprocess(image: Image.Image | np.ndarray, opts: PreprocessOptions) -> Preprocessed:
    """Run the enabled steps in order: gray → flatten (unevenly lit pages only) →
    (deskew + rescale in one warp) → denoise → binarize."""
    t0 = time.perf_counter()
    gray = to_gray(image, drop_red=opts.drop_red)
    work = None  # the tilt search's copy of `gray`, where made already
    if opts.flatten:
        # The page's own paper estimate only where the work copy's says it may be uneven
        work = skew_work_copy(gray)
        if unevenness(paper_background(work)) >= _UNEVEN - _UNEVEN_MARGIN:
            paper = paper_background(gray)
            if unevenness(paper) >= _UNEVEN:
                gray = flatten(gray, paper)
                work = None
    h, w = gray.shape
    skew = estimate_skew(gray, opts.max_skew_deg, work_copy=work) if opts.deskew else 0.0
    if abs(skew) < least_measurable_skew(w):
        skew = 0.0
    need_stats = opts.target_x_height or opts.denoise == "auto"
    stats = _page_stats(gray) if need_stats else TextStats(None, 0.0)
    xh = stats.x_height
    scale = 1.0
    if xh and opts.target_x_height:
        target = opts.target_x_height
        # Small print up to the target; large print (300 DPI scans of 12 pt and more,
        # 28 px and over, and anything finer-scanned) down to `max_x_height`. Tesseract read such
        # print worse (words glued where it lost the spaces of blurred print) and
        # slower, its time growing with the pixels; print near either bound is left
        # alone (resampling costs sharpness: x12 on 300 DPI pages doubled CER).
        if xh < target / 1.2:
            scale = min(_MAX_SCALE, target / xh)
        elif opts.max_x_height and xh > _DOWNSCALE_MARGIN * max(target, opts.max_x_height):
            scale = max(target, opts.max_x_height) / xh
        if w * h * scale * scale > _MAX_OUTPUT_PIXELS:
            scale = max(1.0, math.sqrt(_MAX_OUTPUT_PIXELS / (w * h)))
    scale = _within_tesseract_limit(scale, w, h, skew)
    interp = cv2.INTER_CUBIC if scale > 1.0 else cv2.INTER_AREA
    if skew != 0.0 and scale < 1.0:
        # Brought down by area first, then turned: a warp samples the page, and its
        # samples broke the thin rules of tilted scanned tables (no table found).
        smaller = cv2.resize(gray, (round(w * scale), round(h * scale)), interpolation=interp)
        m, out = _turned(smaller, skew)
        m = m @ np.array([[smaller.shape[1] / w, 0.0, 0.0], [0.0, smaller.shape[0] / h, 0.0],
                          [0.0, 0.0, 1.0]])
    elif skew != 0.0:
        m, out = _turned(gray, skew, scale)
    elif scale != 1.0:
        out = cv2.resize(gray, (round(w * scale), round(h * scale)), interpolation=interp)
        m = np.array([[scale, 0.0, 0.0], [0.0, scale, 0.0]])
    else:
        m = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
        out = gray
    # After the rescale: a 3x3 median on small clean print eats strokes and dots
    # (measured: CER 0.05 % -> 3.5 % on clean 120-200 DPI pages); on dusty pages it wins
    # where it clears the dust, i.e. where the specks are finer than its kernel.
    cleared = None
    if opts.denoise == "median":
        out = cv2.medianBlur(out, 3)
    elif opts.denoise == "auto" and xh and stats.speck_ratio >= _DUSTY:
        filtered = cv2.medianBlur(out, 3)
        cleared = dust_cleared(out, filtered, xh * scale)
        if cleared >= _CLEARED:
            out = filtered
    out = binarize(out, opts.binarize, xh * scale if xh else None)
    seconds = time.perf_counter() - t0
    log.debug(
        "preprocess: skew %.2f°, x-height %s, dust %.2f (median clears %s), scale %.2f, %.3fs",
        skew,
        xh,
        stats.speck_ratio,
        cleared,
        scale,
        seconds,
    )
    # the blobs found at full size on the very image Tesseract gets (`_page_stats`
    # halves wide scans): the footnote search thresholds and labels it once, not twice
    same = out is gray and gray.shape[1] <= _STATS_FULL_WIDTH
    return Preprocessed(np.ascontiguousarray(out), skew, scale, xh, m, seconds,
                        stats.blobs if same else None, stats.ink if same else None)


__all__ = [
    "Preprocessed",
    "binarize",
    "dark_ink",
    "dust_cleared",
    "estimate_skew",
    "estimate_x_height",
    "flatten",
    "ink_components",
    "least_measurable_skew",
    "paper_background",
    "preprocess",
    "skew_work_copy",
    "text_stats",
    "to_gray",
    "unevenness",
]
