"""Build the shipped administrative hierarchy: which province and district each unit
name lies in, before and after the 2025 merger.

A unit name is shared by units of many provinces (`Tân An`, `Chiềng Sinh`), and a
text that names the province or district around it says which one is meant
(lexicon/hierarchy.py). Sources are the register's tables (the same rows as
scripts/build_gazetteer.py's): the 2025 map (province → ward), the legacy map
(province → district → ward) and the old-to-new map, which puts every old ward and
district inside its new province too (an archive names the old district, a new
document the new province).

Output (gzip TSV, NFC, old tone style, names as build_gazetteer.py cleans them):
`name<TAB>parent|parent|...<TAB>district|district|...`, one row per name, its parents
over every unit that carries it, then the districts alone (a paragraph that names the
district says more than one that names only the province).

    python scripts/build_admin_hierarchy.py --tables /path/to/lexicon \\
        --out pipeline/lexicon/data/admin_parents.tsv.gz
"""

from __future__ import annotations

import argparse
import csv
import gzip
import logging
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from build_gazetteer import split_type

log = logging.getLogger("build_admin_hierarchy")

TABLES = {
    "2025": "vn_admin_2025.tsv",
    "legacy": "vn_admin_legacy_pre2025.tsv",
    "mapping": "vn_admin_old_to_new_2025_mapping.tsv",
}


def _name(full: str | None) -> str | None:
    """`Huyện Mai Sơn` → `Mai Sơn`; None for an unparsed or numbered unit."""
    parsed = split_type(full) if full else None
    if parsed is None or any(c.isdigit() for c in parsed[1]):
        return None
    return parsed[1]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        yield from csv.DictReader(f, delimiter="\t")


def unit_chains(tables: Path) -> Iterator[tuple[str | None, ...]]:
    """Every (unit, parent, parent, ...) chain of full names the three tables give."""
    for r in _rows(tables / TABLES["2025"]):
        yield r["ward"], r["province"]
    for r in _rows(tables / TABLES["legacy"]):
        yield r["ward"], r["district"], r["province"]
        yield r["district"], r["province"]
    for r in _rows(tables / TABLES["mapping"]):
        yield r["old_ward"], r["old_district"], r["old_province"], r["new_province"]
        yield r["old_district"], r["old_province"], r["new_province"]
        yield r["new_ward"], r["new_province"]


def ward_districts(tables: Path) -> Iterator[tuple[str | None, str | None]]:
    """Every (ward, district) pair of full names: the legacy map's, and the old wards
    of the old-to-new map."""
    for r in _rows(tables / TABLES["legacy"]):
        yield r["ward"], r["district"]
    for r in _rows(tables / TABLES["mapping"]):
        yield r["old_ward"], r["old_district"]


def districts_by_name(tables: Path) -> dict[str, set[str]]:
    """Per unit name: the names of the districts any unit of that name lies in (its own
    name left out)."""
    out: dict[str, set[str]] = defaultdict(set)
    for ward, district in ward_districts(tables):
        unit, within = _name(ward), _name(district)
        if unit is not None and within is not None and within != unit:
            out[unit].add(within)
    return out


def parents_by_name(tables: Path) -> dict[str, set[str]]:
    """Per unit name: the names of every province and district any unit of that name
    lies in (its own name left out: `xã Mai Sơn` of `huyện Mai Sơn` says nothing)."""
    out: dict[str, set[str]] = defaultdict(set)
    for chain in unit_chains(tables):
        names = [_name(full) for full in chain]
        unit, parents = names[0], names[1:]
        if unit is None:
            continue
        out[unit].update(p for p in parents if p is not None and p != unit)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tables", type=Path, required=True,
                    help="folder with " + ", ".join(TABLES.values()))
    ap.add_argument("--out", type=Path,
                    default=Path("pipeline/lexicon/data/admin_parents.tsv.gz"))
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    table = parents_by_name(args.tables)
    districts = districts_by_name(args.tables)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("# name\tparents\tdistricts — built by scripts/build_admin_hierarchy.py\n")
        for name in sorted(table):
            f.write(f"{name}\t{'|'.join(sorted(table[name]))}"
                    f"\t{'|'.join(sorted(districts.get(name, ())))}\n")
    log.info("%d unit names, %d with parents", len(table), sum(bool(v) for v in table.values()))


if __name__ == "__main__":
    main()
