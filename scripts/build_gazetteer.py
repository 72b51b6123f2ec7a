"""Build the shipped administrative-unit gazetteer from the `vietnamadminunits` package.

Both maps are kept, before and after the 2025 merger: documents written before July
2025 (and most archives) name the 63 provinces and their districts, newer ones the 34
provinces and their wards, and users convert both. The package's SQLite database is
the source (MIT); gazetteer extracts given with `--check` (TSV) serve as a cross-check.

Output (gzip TSV, NFC, old tone style, names with digits such as `Phường 1` dropped):
`name<TAB>sources<TAB>type:count,...` where sources is `admin-2025` and/or
`admin-legacy` and the counts say how many units of each type carry the name.

    python scripts/build_gazetteer.py --out pipeline/lexicon/data/admin.tsv.gz
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import logging
import re
from pathlib import Path

from vnocr.lexicon.types import ADMIN_TYPES
from vnocr.text import nfc, normalize_text_tones

log = logging.getLogger("build_gazetteer")

Entry = tuple[str, str, str]  # (name, type word, source)


def _clean(name: str) -> str:
    return normalize_text_tones(nfc(" ".join(name.split())), "old")


def split_type(full: str) -> tuple[str, str] | None:
    """`Thành phố Sơn La` → (`thành phố`, `Sơn La`); None when no known type word leads."""
    words = _clean(full).split()
    for m in (3, 2, 1):
        typ = " ".join(words[:m]).lower()
        if typ in ADMIN_TYPES and len(words) > m:
            return typ, " ".join(words[m:])
    return None


def _add(out: list[Entry], full: str | None, source: str) -> None:
    if not full:
        return
    parsed = split_type(full)
    if parsed is None:
        log.debug("no type word in %r", full)
        return
    typ, name = parsed
    if any(c.isdigit() for c in name):
        return
    out.append((name, typ, source))
    # `Chân Mây - Lăng Cô`: a text names the parts, and spans never cross a dash
    parts = [p.strip() for p in re.split(r"\s+[-–]\s+", name)]
    if len(parts) > 1:
        out.extend((p, typ, source) for p in parts if p)


def from_package() -> list[Entry]:
    from vietnamadminunits.database import get_data

    out: list[Entry] = []
    for r in get_data(["province", "ward"], table="admin_units"):
        _add(out, r["province"], "admin-2025")
        _add(out, r["ward"], "admin-2025")
    for r in get_data(["province", "district", "ward"], table="admin_units_legacy"):
        _add(out, r["province"], "admin-legacy")
        _add(out, r["district"], "admin-legacy")
        _add(out, r["ward"], "admin-legacy")
    return out


def from_shared(lexicon: Path) -> list[Entry]:
    """The reference TSVs: used to check that the package gives the same names."""
    out: list[Entry] = []
    with open(lexicon / "vn_admin_2025.tsv", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            _add(out, r["province"], "admin-2025")
            _add(out, r["ward"], "admin-2025")
    with open(lexicon / "vn_admin_legacy_pre2025.tsv", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            _add(out, r["province"], "admin-legacy")
            _add(out, r["district"], "admin-legacy")
            _add(out, r["ward"], "admin-legacy")
    return out


def unit_counts(entries: list[Entry]) -> dict[str, tuple[set[str], collections.Counter[str]]]:
    """Per name: its sources and how many units of each type carry it.

    Rows repeat a province or district once per ward, so a unit is counted once by
    (name, type, source).
    """
    seen = set(entries)
    table: dict[str, tuple[set[str], collections.Counter[str]]] = {}
    for name, typ, source in sorted(seen):
        sources, types = table.setdefault(name, (set(), collections.Counter()))
        sources.add(source)
        types[typ] += 1
    return table


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", type=Path, default=Path("pipeline/lexicon/data/admin.tsv.gz"))
    ap.add_argument(
        "--check",
        type=Path,
        default=Path("../shared/lexicon"),
        help="reference TSVs to compare with (skipped when absent)",
    )
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    entries = from_package()
    table = unit_counts(entries)
    if (args.check / "vn_admin_2025.tsv").exists():
        ref = {(n, s) for n, _, s in from_shared(args.check)}
        mine = {(n, s) for n, _, s in entries}
        log.info(
            "reference check: %d names only in the package, %d only in %s",
            len(mine - ref),
            len(ref - mine),
            args.check,
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(
            "# name\tsources\ttypes (type:units) — built by scripts/build_gazetteer.py "
            "from vietnamadminunits (MIT)\n"
        )
        for name in sorted(table):
            sources, types = table[name]
            ts = ",".join(f"{t}:{c}" for t, c in sorted(types.items(), key=lambda x: (-x[1], x[0])))
            f.write(f"{name}\t{','.join(sorted(sources))}\t{ts}\n")
    n25 = sum("admin-2025" in s for s, _ in table.values())
    nleg = sum("admin-legacy" in s for s, _ in table.values())
    log.info(
        "%d distinct names (%d in the 2025 map, %d in the legacy map) -> %s",
        len(table),
        n25,
        nleg,
        args.out,
    )


if __name__ == "__main__":
    main()
