"""Write public-domain Vietnamese prose from EPUBs as an extra counting corpus: gzip text,
NFC, one paragraph per line (the format of the training corpus files).

The corpus is news, Wikipedia and legal text; novels, essays and reportage of the
1930s–1960s add the dialogue words, pronouns and older vocabulary it lacks. Only authors
who died more than 50 years ago (Vietnam's term is life + 50 years) and whose Vietnamese
text is their own (no translations by living or unknown translators) are listed, and
none of the out-of-source dev set's authors (that set stays held out by source).

    python scripts/literary_corpus.py --books DIR --out /tmp/literary.txt.gz

`DIR` is the `tac-gia/` folder of khudocmo/khudocmo.github.io (Unlicense); the text is
never committed, only counted (`scripts/build_ngrams.py --extra`).
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_devsets import OOS_WORKS, epub_paragraphs

# author folder: (author, years of life, works); prose only, verse (lục bát, song thất
# lục bát, phú) and translated classics left out
LITERARY_WORKS: dict[str, tuple[str, str, list[str]]] = {
    "hoang-dao": ("Hoàng Đạo", "1906–1948", [
        "bun-lay-nuoc-dong", "con-duong-sang", "truoc-vanh-mong-ngua"]),
    "nhat-linh": ("Nhất Linh", "1906–1963", [
        "buom-trang", "doan-tuyet", "doi-ban", "ngheo"]),
    "nguyen-huy-tuong": ("Nguyễn Huy Tưởng", "1912–1960", [
        "an-tu", "dem-hoi-long-tri", "la-co-theu-sau-chu-vang", "luy-hoa",
        "song-mai-voi-thu-do"]),
    "tran-trong-kim": ("Trần Trọng Kim", "1883–1953", [
        "nho-giao", "phat-luc", "vuong-duong-minh", "viet-nam-van-pham"]),
}
# edition notes of the tusachtiengviet / TVE-4U EPUBs (`Tên sách :`, `Kiểm tra chính tả :`)
_EDITION_NOTE = re.compile(
    r"^(tên sách|soạn giả|nguồn sách|kiểm tra chính tả|biên tập ebook|thực hiện|thể loại"
    r"|ngày hoàn thành|the happiness project|tve-4u|thông tin ebook|ebook này)\b|^-{3,}$",
    re.IGNORECASE)
# Chinese characters: quoted Hán text, not Vietnamese
_HAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")
# old orthography joins the syllables of a word by hyphens (`Phật-giáo`); the corpus and
# the pipeline's input write them apart
_SYLLABLE_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def literary_paragraphs(path: Path) -> list[str]:
    """The prose paragraphs of one EPUB, in modern spacing: no edition notes, no
    paragraph holding Chinese characters."""
    paras = (_SYLLABLE_HYPHEN.sub(" ", p) for p in epub_paragraphs(path))
    return [p for p in paras if not _EDITION_NOTE.search(p) and not _HAN.search(p)]


def work_paths(books: Path) -> list[Path]:
    """The EPUBs of LITERARY_WORKS under `books`; refuses any held-out author."""
    held_out = {w.split("/")[0] for works in OOS_WORKS.values() for w in works}
    clash = held_out & LITERARY_WORKS.keys()
    if clash:
        raise ValueError(f"held-out authors listed: {sorted(clash)}")
    return [books / folder / f"{work}.epub"
            for folder, (_, _, works) in LITERARY_WORKS.items() for work in works]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--books", type=Path, required=True, help="the tac-gia/ folder")
    ap.add_argument("--out", type=Path, default=Path("/tmp/literary.txt.gz"))
    args = ap.parse_args()
    total = 0
    with gzip.open(args.out, "wt", encoding="utf-8") as f:
        for path in work_paths(args.books):
            paras = literary_paragraphs(path)
            nchars = sum(len(p) for p in paras)
            total += nchars
            print(f"{path.parent.name}/{path.name}\t{len(paras)} paragraphs\t{nchars} chars")
            f.writelines(p + "\n" for p in paras)
    print(f"total {total} chars -> {args.out}")


if __name__ == "__main__":
    main()
