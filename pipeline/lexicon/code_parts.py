"""How the corpus spells the abbreviations inside document codes (`15/2020/NĐ-CP`).

Stripped text and eng-OCR drop the bar of Đ, and inside a code nothing else tells D
from Đ. Counts of the abbreviation standing alone do not decide it: the corpus writes
`ND` alone more often than `NĐ` (some 85 to 51 times: initials, English) and `GD` alone
about as often as `GĐ` (167 to 89), yet inside codes it writes `NĐ` 851 times and `ND`
hardly ever, `GD` 2,522 times and `GĐ` 21. So the code parts are counted on their own
(scripts/build_code_parts.py, the corpus's training split), and this table, not the
abbreviations' own counts, spells a part inside a code.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from vnocr.text import tokenize

CODE_PARTS_FILE = Path(__file__).resolve().parent / "data" / "code_parts.tsv.gz"
# an abbreviation inside a code, with or without its Đ: `NĐ` in 15/2020/NĐ-CP
CODE_PART = re.compile(r"(?<![^\W\d_])[A-ZĐ]{2,8}(?![^\W\d_])")
MIN_COUNT = 3  # a spelling seen fewer times in codes is not listed
# a spelling with Đ is listed where the corpus's codes write it at least this many times
# as often as the same part with D (NĐ 851, QĐ 717, LĐ 195 times, their D forms
# rarely; GĐ 21 times to GD's 2,522 is not)
MARGIN = 3.0


def in_code(core: str) -> bool:
    """A token core that is a document code or joins abbreviations (`-`, `/` or `&`)."""
    return "-" in core or "/" in core or "&" in core


def count_code_parts(paragraphs: Iterable[str]) -> Counter[str]:
    """How often each abbreviation with a D or Đ occurs inside a code, as spelled."""
    counts: Counter[str] = Counter()
    for paragraph in paragraphs:
        for token in tokenize(paragraph):
            if in_code(token.core):
                counts.update(p for p in CODE_PART.findall(token.core) if "D" in p or "Đ" in p)
    return counts


def barred_spellings(counts: Mapping[str, int]) -> dict[str, str]:
    """Part as written without bars → its spelling with Đ, where the codes write that
    one at least `MIN_COUNT` times and `MARGIN` times as often as the written one."""
    out: dict[str, str] = {}
    for part, n in counts.items():
        plain = part.replace("Đ", "D")
        if part != plain and n >= MIN_COUNT and n >= MARGIN * counts.get(plain, 0):
            best = out.get(plain)
            if best is None or n > counts[best]:
                out[plain] = part
    return out


def write_code_parts(counts: Mapping[str, int], path: Path = CODE_PARTS_FILE) -> None:
    """The table: one `plain<TAB>spelling` row per part whose codes spell it with Đ."""
    rows = sorted(barred_spellings(counts).items())
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.writelines(f"{plain}\t{spelled}\n" for plain, spelled in rows)


@lru_cache(maxsize=1)
def code_part_spellings(path: Path = CODE_PARTS_FILE) -> dict[str, str]:
    """The shipped table (`write_code_parts`); empty where it is missing."""
    if not path.is_file():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return dict(line.rstrip("\n").split("\t") for line in f if line.strip())
