"""Build the committed dev sets under samples/dev/: gzip TSV `noisy<TAB>truth<TAB>source`.

    python scripts/make_devsets.py            # all sets
    python scripts/make_devsets.py --only strip

strip.tsv.gz      dev-split corpus lines (5–40 syllables), marks stripped
eng.tsv.gz        real Tesseract -l eng on dev pages (mixed print/scan conditions)
vie_mixed.tsv.gz  real Tesseract -l vie on the same pages
vie_clean.tsv.gz  real Tesseract -l vie on clean 300 DPI renders of the same text
vie_photo.tsv.gz  real Tesseract -l vie on 150–200 DPI rotated, blurred, JPEG renders
oos.tsv.gz        out-of-source text (public-domain literature and reportage of the
                  1930s–40s, no corpus source), marks stripped; oos_eng.tsv.gz: the same
                  lines through the learned eng-OCR noise (`--books` names the EPUB folder)

Beside each OCR set, `<name>.conf.gz`: one line per row, Tesseract's word confidences
(0–100) of the row's OCR tokens (its whitespace-separated words), empty where the page
gave none for every word; `vnocr.data.devsets.load_confidences` reads them.

The OCR sets need `scripts/build_noise_model.py ocr` to have produced runs/ocr_pages/dev_*.
Only dev-split text is used; OCR lines that do not align with their truth line (folded
similarity < 0.5: dropped or invented lines) are dropped and counted.

`tune_eng` is no dev set: real Tesseract -l eng rows (and confidences) of the page set
`tune_mixed`, text of the corpus test split's tuning half (`in_tuning_half`), for tuning
the eng-OCR decoding weights (scripts/tune_decoder.py --eng-ocr). Corpus text that no
measurement reads stays out of the repository, so it is written to runs/tune_rows/
(`--tuning-out`), and lines whose truth a dev set holds are dropped:

    nohup nice -n 10 python scripts/build_noise_model.py ocr --pages tune_mixed=80 &
    python scripts/make_devsets.py --only tune_eng
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import posixpath
import random
import re
import sys
import zipfile
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vnocr.data.corpus import SOURCES, iter_lines, iter_paragraphs, split_lines
from vnocr.data.noise import corrupt_tokens
from vnocr.data.noise_tables import iter_page_pairs
from vnocr.text import nfc, normalize_text_tones, strip_marks

log = logging.getLogger("make_devsets")
STRIP_SOURCES = [
    "admin_docs",
    "legal_codes_vlc",
    "news_dantri_2021",
    "news_baomoi_2017",
    "wiki_vi_2017",
]
OCR_SETS = {  # output name: (page set, Tesseract language)
    "eng": ("dev_mixed", "eng"),
    "vie_mixed": ("dev_mixed", "vie"),
    "vie_clean": ("dev_clean", "vie"),
    "vie_photo": ("dev_photo", "vie"),
}
# Rows for tuning, not measuring: written under --tuning-out, never into samples/dev.
TUNING_SETS = {"tune_eng": ("tune_mixed", "eng")}
TUNING_OUT = ROOT / "runs" / "tune_rows"
# The out-of-source set, held out by source: each source one author's public-domain prose
# (EPUBs of khudocmo/khudocmo.github.io, folder `tac-gia/`, Unlicense); dialogue, rural
# and colloquial speech, names and 1930s reportage, which no corpus source holds.
OOS_WORKS = {
    "lit_nam_cao": [
        "nam-cao/chi-pheo.epub", "nam-cao/lao-hac.epub", "nam-cao/doi-mat.epub",
        "nam-cao/mot-bua-no.epub", "nam-cao/trang-sang.epub", "nam-cao/dieu-van.epub",
        "nam-cao/doi-thua.epub", "nam-cao/lang-ran.epub", "nam-cao/mot-dam-cuoi.epub",
        "nam-cao/tu-ngay-me-chet.epub", "nam-cao/bai-hoc-quet-nha.epub",
        "nam-cao/mo-sam-banh.epub", "nam-cao/ngheo.epub",
    ],
    "lit_ngo_tat_to": ["ngo-tat-to/tat-den.epub", "ngo-tat-to/viec-lang.epub"],
    "lit_vu_trong_phung": [
        "vu-trong-phung/so-do.epub", "vu-trong-phung/cam-bay-nguoi.epub",
        "vu-trong-phung/ky-nghe-lay-tay.epub",
    ],
    "lit_thach_lam": ["thach-lam/ha-noi-36-pho-phuong.epub", "thach-lam/nang-trong-vuon.epub"],
    "lit_khai_hung": ["khai-hung/hanh.epub", "khai-hung/gia-dinh.epub"],
}
OOS_PER_SOURCE = 450


def _clean(s: str) -> str:
    return " ".join(s.replace("\t", " ").split())


def write_lines(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same rows give the same bytes, so a rebuild shows no spurious diff.
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz,
    ):
        for line in lines:
            gz.write(f"{line}\n".encode())


def write_tsv(path: Path, rows: list[tuple[str, str, str]]) -> None:
    write_lines(path, [f"{_clean(noisy)}\t{_clean(truth)}\t{src}" for noisy, truth, src in rows])


def make_strip(out: Path, per_source: int, seed: int) -> dict:
    by_src: dict[str, list[str]] = defaultdict(list)
    for src, line in iter_lines("dev", STRIP_SOURCES):
        if 5 <= len(line.split()) <= 40:
            by_src[src].append(line)
    rng = random.Random(seed)
    rows = []
    counts = {}
    for src in STRIP_SOURCES:
        lines = by_src[src]
        if len(lines) > per_source:
            lines = [lines[i] for i in sorted(rng.sample(range(len(lines)), per_source))]
        counts[src] = len(lines)
        rows += [(strip_marks(t), t, src) for t in lines]
    write_tsv(out / "strip.tsv.gz", rows)
    return counts


def make_ocr(out: Path, pages_dir: Path, name: str, exclude: frozenset[str] = frozenset()
             ) -> dict:
    """`<name>.tsv.gz` and `<name>.conf.gz` from the OCR pages of its page set; rows whose
    truth's `line_key` is in `exclude` are left out (and counted)."""
    page_set, lang = {**OCR_SETS, **TUNING_SETS}[name]
    rows = []
    confidences = []
    stats: Counter[str] = Counter()
    for p in sorted((pages_dir / page_set).glob("*.json")):
        page = json.loads(p.read_text(encoding="utf-8"))
        stats["pages"] += 1
        stats["truth_lines"] += len(page["truth"])
        conf_of = {line["text"]: line.get("conf") for line in page["ocr"].get(lang, [])}
        for truth, seen, _sim, src in iter_page_pairs(page, lang):
            if line_key(truth) in exclude:
                stats["excluded"] += 1
                continue
            rows.append((seen, truth, src))
            conf = conf_of.get(seen)
            if conf is None or len(conf) != len(_clean(seen).split()):
                conf = []
                stats["no_confidences"] += 1
            confidences.append(conf)
            stats[src] += 1
    stats["kept"] = len(rows)
    stats["dropped"] = stats["truth_lines"] - len(rows)
    write_tsv(out / f"{name}.tsv.gz", rows)
    write_confidences(out / f"{name}.conf.gz", confidences)
    return dict(stats)


def write_confidences(path: Path, confidences: list[list[float]]) -> None:
    write_lines(path, [" ".join(str(round(c)) for c in conf) for conf in confidences])


def make_out_of_source(out: Path, books: Path, per_source: int, seed: int) -> dict:
    """`oos.tsv.gz` (stripped) and `oos_eng.tsv.gz` (eng-OCR noise) from `OOS_WORKS`:
    lines of 5–40 syllables, old tone style like the corpus lines, none that the corpus
    holds (`corpus_line_keys`), `per_source` drawn per source."""
    by_src: dict[str, list[str]] = {}
    for src, works in OOS_WORKS.items():
        lines = []
        for work in works:
            for para in epub_paragraphs(books / work):
                lines += split_lines(normalize_text_tones(nfc(para), "old"))
        by_src[src] = list(dict.fromkeys(t for t in lines if 5 <= len(t.split()) <= 40))
    in_corpus = corpus_line_keys()
    rng = random.Random(seed)
    rows, counts = [], {}
    for src, lines in by_src.items():
        fresh = [t for t in lines if line_key(t) not in in_corpus]
        counts[src] = {"lines": len(lines), "in_corpus": len(lines) - len(fresh)}
        if len(fresh) > per_source:
            fresh = [fresh[i] for i in sorted(rng.sample(range(len(fresh)), per_source))]
        counts[src]["kept"] = len(fresh)
        rows += [(t, src) for t in fresh]
    write_tsv(out / "oos.tsv.gz", [(strip_marks(t), t, src) for t, src in rows])
    noise_rng = random.Random(seed)
    write_tsv(out / "oos_eng.tsv.gz",
              [(" ".join(corrupt_tokens(t.split(), "eng", noise_rng)), t, src)
               for t, src in rows])
    return counts


class _TextOfPage(HTMLParser):
    """Paragraph texts of one XHTML page: a block tag or <br> ends a paragraph."""

    BREAKS = frozenset({"p", "br", "div", "li", "h1", "h2", "h3", "h4", "tr", "blockquote"})

    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[str] = [""]
        self._skip = 0  # inside <head>, <style> or <script>

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("head", "style", "script"):
            self._skip += 1
        elif tag in self.BREAKS:
            self.paragraphs.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "style", "script"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BREAKS:
            self.paragraphs.append("")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.paragraphs[-1] += data


# pages and paragraphs of the digitisers, not of the work: a modern introduction or
# biography, and credits (`Chuyển text, soát lỗi: …`, `Nguồn: vnthuquan`)
_FRONT_MATTER = frozenset({"TÁC GIẢ", "GIỚI THIỆU"})
_CREDITS = re.compile(r"soát lỗi|chuyển text|đánh máy|vnthuquan|nguồn:|tác giả:|xuất bản",
                      re.IGNORECASE)
# Icelandic eth (U+00D0/U+00F0) for Đ/đ, as old Vietnamese web pages typed it
_ETH = str.maketrans("Ðð", "Đđ")


def epub_paragraphs(path: Path) -> list[str]:
    """The paragraphs of an EPUB's text pages in reading (spine) order, NFC, Đ for the
    eth; the cover, table of contents, the digitisers' welcome, closing and introduction
    pages and their credits are not the work's text."""
    with zipfile.ZipFile(path) as z:
        opf_name = next(n for n in z.namelist() if n.endswith(".opf"))
        opf = ElementTree.fromstring(z.read(opf_name))
        ns = {"opf": "http://www.idpf.org/2007/opf"}
        href = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:manifest/opf:item", ns)}
        base = posixpath.dirname(opf_name)
        out = []
        for ref in opf.iterfind(".//opf:spine/opf:itemref", ns):
            name = unquote(href[ref.get("idref")])
            if posixpath.basename(name).startswith(("toc", "welcome", "lastpage", "cover")):
                continue
            page = _TextOfPage()
            page.feed(z.read(posixpath.join(base, name)).decode("utf-8"))
            paras = [nfc(" ".join(p.split()).translate(_ETH)) for p in page.paragraphs]
            paras = [p for p in paras if p and not _CREDITS.search(p)]
            if paras and paras[0] not in _FRONT_MATTER:
                out += paras
        return out


def line_key(line: str) -> str:
    """A line folded for the overlap check: marks, case and spacing do not count, so a
    corpus line in another tone style or typing still matches."""
    return " ".join(strip_marks(line).lower().split())


def dev_line_keys() -> frozenset[str]:
    """`line_key` of the truth of every committed dev row: what tuning rows must not hold."""
    from vnocr.data.devsets import DEV_SETS, load_devset

    return frozenset(line_key(row.truth) for name in DEV_SETS for row in load_devset(name))


def corpus_line_keys() -> set[str]:
    """`line_key` of every corpus line (every source and split, cut as the dev sets are)
    and of every whole paragraph: what the out-of-source set must not contain."""
    keys: set[str] = set()
    for source in SOURCES:
        for para in iter_paragraphs(source):
            keys.add(line_key(para))
            keys.update(line_key(line) for line in split_lines(para))
    return keys


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", type=Path, default=ROOT / "samples" / "dev")
    ap.add_argument("--pages", type=Path, default=ROOT / "runs" / "ocr_pages")
    ap.add_argument("--per-source", type=int, default=3000, help="strip set cap per source")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--books", type=Path, default=None,
                    help="folder of the out-of-source EPUBs (khudocmo's tac-gia/)")
    ap.add_argument("--tuning-out", type=Path, default=TUNING_OUT,
                    help="folder of the tuning rows (tune_eng): not samples/dev")
    ap.add_argument("--only", nargs="*", choices=["strip", "oos", *OCR_SETS, *TUNING_SETS],
                    default=None)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    todo = args.only or ["strip", *OCR_SETS, *(["oos"] if args.books else [])]
    for name in todo:
        if name == "strip":
            stats = make_strip(args.out, args.per_source, args.seed)
        elif name == "oos":
            if args.books is None:
                ap.error("--only oos needs --books")
            stats = make_out_of_source(args.out, args.books, OOS_PER_SOURCE, args.seed)
        elif name in TUNING_SETS:
            stats = make_ocr(args.tuning_out, args.pages, name, dev_line_keys())
        else:
            stats = make_ocr(args.out, args.pages, name)
        out = args.tuning_out if name in TUNING_SETS else args.out
        size = (out / f"{name}.tsv.gz").stat().st_size
        log.info("%s.tsv.gz: %s, %d bytes", name, stats, size)


if __name__ == "__main__":
    main()
