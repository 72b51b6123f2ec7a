"""Page jobs for real-OCR data: which text goes on which page, how it is degraded, Tesseract.

A job is fully described by (set name, page index): the text is drawn deterministically from
the corpus split, the degradation from a seeded RNG, so a killed run resumes page by page
and every dev line can be traced back to its page.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vnocr.data.corpus import in_tuning_half, iter_paragraphs, split_lines, split_of
from vnocr.data.render import (
    A4_HEIGHT_IN,
    LINE_SPACING,
    MARGIN_IN,
    RenderSpec,
    _load_font,
    _size_px,
    find_fonts,
    render_page,
)
from vnocr.errors import BadOptionsError
from vnocr.text import normalize_text_tones

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

# Condition of each page set: how pages are degraded, which languages read them.
CONDITIONS = {
    # Learning set and its dev twin: the whole range a user might scan.
    "mixed": ("eng", "vie"),
    # 300 DPI, no damage: what a good flatbed scan gives.
    "clean": ("vie",),
    # 150–200 DPI, crooked, blurred, dusty, JPEG: a phone photo or a photocopy.
    "photo": ("vie",),
}

# Page sets: (split, condition, sources and their share of pages).
PAGE_SETS: dict[str, tuple[str, str]] = {
    "train_mixed": ("train", "mixed"),
    "train_photo": ("train", "photo"),
    "dev_mixed": ("dev", "mixed"),
    "dev_clean": ("dev", "clean"),
    "dev_photo": ("dev", "photo"),
    # Real eng-OCR rows with confidences for tuning the eng-OCR decoding weights: the
    # tuning half of the test split (`in_tuning_half`), which no dev set reads and no
    # model trains on, printed and scanned like dev_mixed.
    "tune_mixed": ("test", "mixed"),
}
# Sets read in fewer languages than their condition: the tuning pages serve eng-OCR only.
SET_LANGS: dict[str, tuple[str, ...]] = {"tune_mixed": ("eng",)}

TRAIN_SHARES = {
    "admin_docs": 0.2,
    "legal_codes_vlc": 0.3,
    "news_dantri_2021": 0.15,
    "news_baomoi_2017": 0.15,
    "wiki_vi_2017": 0.2,
}
DEV_SOURCES = ("admin_docs", "legal_codes_vlc", "news_dantri_2021", "news_baomoi_2017")
DEV_FIRST_PAGES = 55
DEV_EXTRA_SHARES = {"legal_codes_vlc": 0.6, "news_dantri_2021": 0.4}
TUNE_SHARES = {"admin_docs": 0.25, "legal_codes_vlc": 0.4, "news_dantri_2021": 0.25,
               "news_baomoi_2017": 0.1}


def sample_spec(condition: str, rng: random.Random, fonts: list[Path]) -> RenderSpec:
    """A random but plausible print-and-scan for `condition`."""
    font = rng.choice(fonts)
    size = rng.choice([11, 11.5, 12, 12, 12.5, 13])
    if condition == "clean":
        return RenderSpec(font=font, size_pt=size, dpi=300)
    if condition == "photo":
        # Calibrated on trial pages: at 150 DPI, blur above ~0.95 px with strong JPEG tips
        # Tesseract vie from a few % to 30 %+ syllable errors; milder settings than these
        # read almost perfectly (1 %), which is not what a photocopy gives.
        dpi = rng.choice([150, 150, 150, 175])
        return RenderSpec(
            font=font,
            size_pt=rng.choice([11, 11.5, 12, 12.5]),
            dpi=dpi,
            rotate_deg=rng.choice([-1, 1]) * rng.uniform(0.5, 3.0),
            blur=rng.uniform(0.65, 0.9) * dpi / 150,
            speckle=rng.uniform(0.0008, 0.0018),
            jpeg_quality=rng.randint(30, 50),
            ink_spread=1 if (dpi >= 175 and rng.random() < 0.25) else 0,
        )
    if condition == "mixed":
        dpi = rng.choice([150, 200, 200, 250, 300, 300])
        return RenderSpec(
            font=font,
            size_pt=size,
            dpi=dpi,
            rotate_deg=0.0 if rng.random() < 0.5 else rng.uniform(-2.0, 2.0),
            blur=rng.uniform(0.0, 1.0) * dpi / 300,
            speckle=0.0 if rng.random() < 0.5 else rng.uniform(0.0001, 0.001),
            jpeg_quality=None if rng.random() < 0.5 else rng.randint(35, 90),
            ink_spread=1 if (dpi >= 200 and rng.random() < 0.3) else 0,
        )
    raise BadOptionsError(f"unknown page condition {condition!r}")


def wrap(text: str, spec: RenderSpec) -> list[str]:
    """Word-wrap a paragraph to the page width: each printed line becomes one truth line."""
    font = _load_font(str(spec.font), _size_px(spec))
    return wrap_words(text, font.getlength, (8.27 - 2 * MARGIN_IN) * spec.dpi)


def wrap_words(text: str, length: Callable[[str], float], width: float,
               first_indent: float = 0.0) -> list[str]:
    """Greedy word wrap by printed `length`; the first line is `first_indent` narrower."""
    lines: list[str] = []
    cur = ""
    for w in text.split():
        cand = f"{cur} {w}" if cur else w
        if cur and length(cand) > width - (0.0 if lines else first_indent):
            lines.append(cur)
            cur = w
        else:
            cur = cand
    if cur:
        lines.append(cur)
    return lines


def lines_per_page(spec: RenderSpec) -> int:
    """How many text lines of `spec`'s type size fill an A4 page between its margins."""
    return int((A4_HEIGHT_IN - 2 * MARGIN_IN) * 72 / (spec.size_pt * LINE_SPACING))


def _pick(para: str, salt: str, keep_one_in: int) -> bool:
    return int(hashlib.md5((salt + para).encode()).hexdigest(), 16) % keep_one_in == 0


def text_stream(
    split: str, sources: dict[str, float], seed: int, salt: str = "pg",
    keep: Callable[[str], bool] | None = None,
) -> Iterator[tuple[str, str]]:
    """Endless (source, paragraph) in old tone style, sources mixed by share, deterministic.

    Train paragraphs are thinned by a salted hash so pages spread over the whole corpus
    rather than its first files' openings; dev uses every paragraph of its split. `keep`
    narrows the split further (the tuning half of test).
    """
    rng = random.Random(seed)
    thin = {"train": 200, "dev": 1, "test": 1}[split]
    iters = {}
    for s in sources:
        keep_one_in = 1 if s == "admin_docs" or split != "train" else thin
        iters[s] = (p for p in iter_paragraphs(s)
                    if split_of(p) == split and _pick(p, salt, keep_one_in)
                    and (keep is None or keep(p)))
    names = list(sources)
    weights = [sources[s] for s in names]
    while names:
        s = rng.choices(names, weights=weights)[0]
        try:
            para = next(iters[s])
        except StopIteration:
            i = names.index(s)
            del names[i], weights[i]
            continue
        for line in split_lines(normalize_text_tones(para, "old")):
            yield s, line


@dataclass(frozen=True)
class PageJob:
    """Everything needed to render and OCR one training page, planned ahead by `plan_pages`.

    Picklable and self-contained, so `run_job` can run it in any worker process and
    write the same page again from the same job (its `seed` fixes the degradation).
    """

    set_name: str
    index: int
    condition: str
    langs: tuple[str, ...]
    spec: RenderSpec
    lines: tuple[str, ...]
    sources: tuple[str, ...]
    seed: int


def plan_pages(set_name: str, n_pages: int) -> list[PageJob]:
    """The first `n_pages` pages of a set: text filled line by line, one spec per page."""
    split, condition = PAGE_SETS[set_name]
    fonts = find_fonts()
    keep = None
    if split == "test":
        # The dev sources, its own stream seed, the tuning half only; baomoi's long
        # paragraphs are drawn less often, so that it does not fill most lines.
        shares = TUNE_SHARES
        stream_seed = 3000
        salt = "pg"
        keep = in_tuning_half
    elif split == "dev":
        shares = {s: (0.4 if s == "news_baomoi_2017" else 0.2) for s in DEV_SOURCES}
        # Dev pages share their text across conditions: one stream seed for all dev sets,
        # so the same truth lines are measured clean, photographed and eng-read.
        stream_seed = 1000
        salt = "pg"
    else:
        shares = TRAIN_SHARES
        # Each train set reads its own thinned slice of the corpus (train_mixed kept the
        # original salt, so pages OCR'd before train_photo existed stay valid).
        stream_seed = 2000
        salt = "pg" if set_name == "train_mixed" else set_name
    stream = text_stream(split, shares, stream_seed, salt, keep)
    text_rng = random.Random(stream_seed)
    jobs = []
    pending: list[tuple[str, str]] = []
    used: set[str] = set()
    for i in range(n_pages):
        if split == "dev" and i == DEV_FIRST_PAGES:
            # Paragraph-level draws favour long news paragraphs: the first pages came out
            # 80 % baomoi. Later pages take legal and dantri text only, never a line twice.
            first = text_stream(split, DEV_EXTRA_SHARES, stream_seed + 1, salt)
            stream = ((src, line) for src, line in first if line not in used)
            pending = []
        seed = int(hashlib.md5(f"{set_name}/{i}".encode()).hexdigest(), 16) % 2**31
        rng = random.Random(seed)
        # The text layout must not depend on the condition (dev text is shared), so lines
        # are wrapped with a fixed reference font/size/width per page index.
        ref = RenderSpec(font=fonts[text_rng.randrange(len(fonts))], size_pt=12, dpi=300)
        spec = sample_spec(condition, rng, fonts)
        n = lines_per_page(ref)
        page: list[tuple[str, str]] = []
        while len(page) < n:
            if not pending:
                try:
                    src, para_line = next(stream)
                except StopIteration:
                    break
                used.add(para_line)
                pending = [(src, w) for w in wrap(para_line, ref)]
            page.append(pending.pop(0))
        if not page:
            break
        jobs.append(
            PageJob(
                set_name=set_name,
                index=i,
                condition=condition,
                langs=SET_LANGS.get(set_name, CONDITIONS[condition]),
                spec=spec,
                lines=tuple(t for _, t in page),
                sources=tuple(s for s, _ in page),
                seed=seed,
            )
        )
    return jobs


def ocr_lines(image: Image.Image, lang: str, psm: int = 6, timeout: int = 120) -> list[dict]:
    """Tesseract on one page: text lines with the mean and minimum word confidence."""
    import pytesseract  # the OCR stage proper lives in pipeline/ocr; this is data-building

    d = pytesseract.image_to_data(
        image,
        lang=lang,
        config=f"--psm {psm}",
        output_type=pytesseract.Output.DICT,
        timeout=timeout,
    )
    lines: dict[tuple[int, int, int], list[tuple[str, float]]] = {}
    for i, word in enumerate(d["text"]):
        if not word.strip():
            continue
        key = (d["block_num"][i], d["par_num"][i], d["line_num"][i])
        lines.setdefault(key, []).append((word, float(d["conf"][i])))
    out = []
    for key in sorted(lines):
        words = lines[key]
        out.append(
            {
                "text": " ".join(w for w, _ in words),
                "conf": [round(c, 1) for _, c in words],
            }
        )
    return out


def run_job(job: PageJob, out_dir: Path) -> Path:
    """Render, OCR with each language, write `<set>/<index>.json` atomically. Skips done pages."""
    path = out_dir / job.set_name / f"{job.index:05d}.json"
    if path.exists():
        return path
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    img = render_page(list(job.lines), job.spec, seed=job.seed)
    result = {
        "set": job.set_name,
        "index": job.index,
        "condition": job.condition,
        "seed": job.seed,
        "spec": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(job.spec).items()},
        "truth": list(job.lines),
        "sources": list(job.sources),
        "ocr": {lang: ocr_lines(img, lang) for lang in job.langs},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return path
