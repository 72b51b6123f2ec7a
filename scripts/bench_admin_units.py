"""Benchmark administrative-unit names in sentences full of them, with and without the
register's hierarchy (lexicon/hierarchy.py).

Sentences come from the corpus's dev split (md5 % 100 == 0; `--split test` takes
md5 % 100 == 1, never tuned on) and are kept when their truth names at least
`--min-units` units after administrative type words (`xã Chiềng Sinh, huyện Mai Sơn`:
a unit name known with that type, by exact spelling). Each is stripped of its marks
(or given eng-OCR token noise), restored by the model alone and passed through the
dictionary with and without the hierarchy; we report the share of unit-name spans
exactly right, and per sentence the spans the hierarchy fixed and broke.

    python scripts/bench_admin_units.py --lines 240
    python scripts/bench_admin_units.py --split test --lines 240 --regimes strip,eng

`--register DIR` (the folder of the register's tables, as scripts/build_gazetteer.py
reads them) builds the sentences from the register instead: units drawn alike from
every province, rare names as often as common ones (the corpus names the well-known
ones), each with its district and province before the 2025 merger or its province
after it, in a few sentence frames of administrative prose.

    python scripts/bench_admin_units.py --register ../shared/lexicon --lines 600 \
        --regimes strip,eng
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import random
import sys
from pathlib import Path

from bench_lexicon import _norm, aligned_places, corrupt, name_spans, restored_lines, score
from build_admin_hierarchy import TABLES
from build_gazetteer import split_type

from vnocr.lexicon import load_gazetteer
from vnocr.lexicon.gazetteer import Gazetteer
from vnocr.lexicon.hierarchy import AdminHierarchy
from vnocr.lexicon.line_pass import LinePass
from vnocr.lexicon.types import ADMIN_TYPES, MAX_TYPE_TOKENS
from vnocr.text import tokenize

log = logging.getLogger("bench_admin_units")

Item = tuple[str, list[tuple[int, int]]]  # a true line, its unit-name spans


def unit_spans(line: str, gaz: Gazetteer) -> list[tuple[int, int]]:
    """The gazetteer names in `line` that follow an administrative type word they are
    known with (`name_spans`, then the type test)."""
    cores = [t.core.lower() for t in tokenize(line)]
    out = []
    for i, n in name_spans(line, gaz):
        nm = gaz.by_lower.get(" ".join(cores[i : i + n]))
        types = [" ".join(cores[i - m : i]) for m in range(1, MAX_TYPE_TOKENS + 1) if i >= m]
        if nm is not None and any(t in ADMIN_TYPES and t in nm.types for t in types):
            out.append((i, n))
    return out


def collect(gaz: Gazetteer, n_lines: int, min_units: int, seed: int, split: str) -> list[Item]:
    from vnocr.data.corpus import iter_lines

    items = []
    for _, line in iter_lines(split):
        spans = unit_spans(line, gaz)
        if len(spans) >= min_units:
            items.append((line, spans))
    random.Random(seed).shuffle(items)
    log.info("%d %s lines name %d+ units", len(items), split, min_units)
    return items[:n_lines]


# sentence frames for the register's units ({} is the unit with its district and
# province, or its province)
FRAMES = (
    "Hộ gia đình ở {} đã được hỗ trợ kinh phí.",
    "Trụ sở Ủy ban nhân dân {} được xây dựng mới.",
    "Tuyến đường đi qua địa bàn {} dài 12 km.",
    "Ông được bầu làm Chủ tịch Hội Nông dân {} năm 2020.",
)


def register_lines(tables: Path, n_lines: int, seed: int) -> list[str]:
    """`n_lines` sentences naming register units, half of them legacy (ward, district,
    province), half after the 2025 merger (ward, province), drawn uniformly."""
    rng = random.Random(seed)

    def rows(table: str) -> list[dict[str, str]]:
        with open(tables / TABLES[table], encoding="utf-8") as f:
            return list(csv.DictReader(f, delimiter="\t"))

    def written(full: str) -> str | None:
        parsed = split_type(full)
        return None if parsed is None else f"{parsed[0]} {parsed[1]}"

    lines = []
    for table, columns in (("legacy", ("ward", "district", "province")),
                           ("2025", ("ward", "province"))):
        picked = rng.sample(rows(table), n_lines // 2)
        for row in picked:
            parts = [written(row[c]) for c in columns]
            if all(parts):
                lines.append(rng.choice(FRAMES).format(", ".join(parts)))
    return lines


def cached(gaz: Gazetteer, args: argparse.Namespace) -> list[Item]:
    cache = Path(f"/tmp/vnocr_bench_admin_{args.split}.json")
    key = f"{args.split}:{args.lines}:{args.min_units}:{args.seed}:{len(gaz)}:{args.register}"
    if cache.is_file():
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("key") == key:
            return [(line, [tuple(x) for x in sp]) for line, sp in data["items"]]
    if args.register:
        items = [(line, spans) for line in register_lines(args.register, args.lines, args.seed)
                 if len(spans := unit_spans(line, gaz)) >= args.min_units]
    else:
        items = collect(gaz, args.lines, args.min_units, args.seed, args.split)
    cache.write_text(json.dumps({"key": key, "items": items}, ensure_ascii=False),
                     encoding="utf-8")
    return items


def span_results(truth: list[str], out: list[str], spans: list[list[tuple[int, int]]]
                 ) -> list[bool]:
    """Per unit-name span, in order: exactly right (case folded as `score` does)?"""
    ok = []
    for t_line, o_line, sp in zip(truth, out, spans):
        tt, ot = tokenize(t_line), tokenize(o_line)
        oc = [None if k is None else ot[k].core for k in aligned_places(tt, ot)]
        ok.extend(all(oc[k] is not None and _norm(tt[k].core) == _norm(oc[k])
                      for k in range(i, i + n)) for i, n in sp)
    return ok


def each_sentence_alone(line_pass: LinePass, noisy: list[str], restored: list[str]
                        ) -> list[str]:
    """The pass's lines with each sentence its own paragraph (a blank line between):
    the sentences are unrelated, and the places one names say nothing of another's."""
    def spaced(lines: list[str]) -> list[str]:
        return [x for line in lines for x in (line, "")]
    return line_pass.fix_lines(spaced(noisy), spaced(restored))[0][::2]


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=240)
    ap.add_argument("--min-units", type=int, default=2)
    ap.add_argument("--regimes", default="strip")
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--register", type=Path,
                    help="sentences built from the register's tables in this folder")
    ap.add_argument("--reuse", help="keep the model's output per regime in this folder")
    ap.add_argument("--show", type=int, default=0, help="print this many changed lines")
    args = ap.parse_args()
    if args.register:
        args.split = "register"
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)

    gaz = load_gazetteer()
    items = cached(gaz, args)
    truth = [line for line, _ in items]
    spans = [sp for _, sp in items]
    print(f"{len(truth)} {args.split} lines, {sum(map(len, spans))} unit-name spans\n")
    print("| regime | system | unit names right % | other-token acc % | fixed | broken |")
    print("|---|---|---|---|---|---|")
    for regime in args.regimes.split(","):
        noisy = corrupt(truth, regime, args.seed)
        dump = Path(args.reuse) / f"admin-{args.split}-{regime}.json" if args.reuse else None
        restored, _ = restored_lines(noisy, dump)
        flat = each_sentence_alone(LinePass(gaz, AdminHierarchy({})), noisy, restored)
        nested = each_sentence_alone(LinePass(gaz), noisy, restored)
        before = span_results(truth, flat, spans)
        for system, out in (("model alone", restored), ("+ dictionary", flat),
                            ("+ dictionary + hierarchy", nested)):
            row = score(truth, out, spans).row()
            after = span_results(truth, out, spans)
            fixed = sum(a and not b for a, b in zip(after, before))
            broken = sum(b and not a for a, b in zip(after, before))
            print(f"| {regime} | {system} | {row['name_acc']:.1f} | {row['other_acc']:.2f} "
                  f"| {fixed} | {broken} |")
        shown = 0
        for t, a, b in zip(truth, flat, nested):
            if a != b and shown < args.show:
                print(f"\n  truth  {t}\n  flat   {a}\n  nested {b}")
                shown += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
