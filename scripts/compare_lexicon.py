"""Which name spans and tokens a change to the dictionary pass fixes and which it breaks.

Rules of the dictionary pass are judged by what they do to every bench sentence of
scripts/bench_lexicon.py, on several samples (seeds), both splits, stripped and eng-OCR
text, not by a rate alone. A sample used to judge rules is no longer held out: keep one
seed aside and look at it only once, at the end (docs/README_lexicon.md reports rules
judged on seeds 0–2 and measured once on seed 4).

    # once per sample: the name-heavy lines and the model's output (minutes each; the
    # same files bench_lexicon.py reads with --cache and --reuse)
    python scripts/compare_lexicon.py prepare --split dev --seed 1
    python scripts/compare_lexicon.py prepare --split test --seed 1
    # before and after a change (seconds)
    python scripts/compare_lexicon.py save runs/lex_before.pkl
    python scripts/compare_lexicon.py save runs/lex_after.pkl
    python scripts/compare_lexicon.py diff runs/lex_before.pkl runs/lex_after.pkl
    python scripts/compare_lexicon.py misses runs/lex_after.pkl --set dev_1/eng

Samples live under `--root` (default runs/lexbench): `{split}_{seed}.json` (the lines and
their name spans) and `{split}_{seed}/{regime}.json` (noisy input and the model's output).
`diff` prints each token whose output changed: FIX (now right), BREAK (was right), or
OTHER (wrong both ways), inside a name span or outside one, and a count per set.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lexicon import _norm, aligned_places, cached_items, corrupt, restored_lines

from vnocr.lexicon import fix_names, load_gazetteer
from vnocr.text import tokenize

REGIMES = ("strip", "eng")


def prepare(root: Path, split: str, seed: int, lines: int) -> None:
    name = f"{split}_{seed}"
    items = cached_items(load_gazetteer(), root / f"{name}.json", lines, seed, split)
    truth = [line for _, line, _ in items]
    for regime in REGIMES:
        restored_lines(corrupt(truth, regime, seed), root / name / f"{regime}.json")
    print(f"{name}: {len(truth)} lines, {sum(len(sp) for _, _, sp in items)} name spans")


def load_sets(root: Path) -> dict[str, dict]:
    """Every prepared sample and regime: truth, spans, noisy input, the model's output."""
    sets = {}
    for meta in sorted(root.glob("*_*.json")):
        items = json.loads(meta.read_text(encoding="utf-8"))["items"]
        for regime in REGIMES:
            saved_path = root / meta.stem / f"{regime}.json"
            if not saved_path.is_file():
                continue
            saved = json.loads(saved_path.read_text(encoding="utf-8"))
            sets[f"{meta.stem}/{regime}"] = {
                "truth": [line for _, line, _ in items],
                "spans": [[tuple(x) for x in sp] for _, _, sp in items],
                "noisy": saved["noisy"],
                "restored": saved["restored"],
            }
    return sets


def save(root: Path, out: Path) -> None:
    sets = load_sets(root)
    if not sets:
        sys.exit(f"no samples under {root}: run `prepare` first")
    gaz = load_gazetteer()
    for s in sets.values():
        s["fixed"] = fix_names(gaz, s["noisy"], s["restored"])[0]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        pickle.dump(sets, f)
    print(f"{out}: {', '.join(sets)}")


def _load(path: Path) -> dict[str, dict]:
    with path.open("rb") as f:
        return pickle.load(f)


def diff(a_path: Path, b_path: Path) -> None:
    a, b = _load(a_path), _load(b_path)
    total: Counter = Counter()
    for name in sorted(a.keys() & b.keys()):
        s, fa, fb = a[name], a[name]["fixed"], b[name]["fixed"]
        counts: Counter = Counter()
        for truth, noisy, sp, x, y in zip(s["truth"], s["noisy"], s["spans"], fa, fb):
            if x == y:
                continue
            tt, xt, yt, nt = tokenize(truth), tokenize(x), tokenize(y), tokenize(noisy)
            if len(xt) != len(yt):
                continue  # the pass keeps tokens
            in_name = {k for i, n in sp for k in range(i, i + n)}
            for k, j in enumerate(aligned_places(tt, xt)):
                if j is None or xt[j].core == yt[j].core:
                    continue
                want = _norm(tt[k].core)
                tag = ("FIX" if _norm(yt[j].core) == want
                       else "BREAK" if _norm(xt[j].core) == want else "OTHER")
                where = "name" if k in in_name else "outside"
                counts[tag, where] += 1
                seen = nt[j].core if len(nt) == len(xt) else "?"
                print(f"{name:12} {tag:5} {where:7} seen {seen!r:14} {xt[j].core!r:>14} -> "
                      f"{yt[j].core!r:14} truth {tt[k].core!r}")
        if counts:
            print(f"{name:12} " + ", ".join(f"{t} {w}: {c}" for (t, w), c in sorted(counts.items())))
        total.update(counts)
    print("all sets: " + (", ".join(f"{t} {w}: {c}" for (t, w), c in sorted(total.items()))
                          or "no token changed"))


def misses(path: Path, only: str | None) -> None:
    sets = _load(path)
    for name, s in sets.items():
        if only and name != only:
            continue
        for truth, noisy, restored, fixed, sp in zip(
            s["truth"], s["noisy"], s["restored"], s["fixed"], s["spans"]
        ):
            tt = tokenize(truth)
            outs = {}
            for label, line in (("seen", noisy), ("model", restored), ("pass", fixed)):
                toks = tokenize(line)
                outs[label] = [None if j is None else toks[j].core
                               for j in aligned_places(tt, toks)]
            for i, n in sp:
                span = range(i, i + n)
                if all(outs["pass"][k] is not None
                       and _norm(outs["pass"][k]) == _norm(tt[k].core) for k in span):
                    continue
                show = {lab: " ".join(str(outs[lab][k]) for k in span) for lab in outs}
                print(f"{name:12} {' '.join(tt[k].core for k in span)!r:26} seen "
                      f"{show['seen']!r:22} model {show['model']!r:22} pass {show['pass']!r}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", type=Path, default=Path("runs/lexbench"),
                    help="where prepared samples live (default runs/lexbench)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare", help="collect a sample and keep the model's output")
    p.add_argument("--split", choices=("dev", "test"), default="dev")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--lines", type=int, default=1500)
    p = sub.add_parser("save", help="run the dictionary pass on every sample")
    p.add_argument("out", type=Path)
    p = sub.add_parser("diff", help="tokens one saved run fixes or breaks against another")
    p.add_argument("before", type=Path)
    p.add_argument("after", type=Path)
    p = sub.add_parser("misses", help="name spans a saved run still gets wrong")
    p.add_argument("run", type=Path)
    p.add_argument("--set", dest="only", help="one set, e.g. dev_1/eng")
    args = ap.parse_args()
    if args.cmd == "prepare":
        prepare(args.root, args.split, args.seed, args.lines)
    elif args.cmd == "save":
        save(args.root, args.out)
    elif args.cmd == "diff":
        diff(args.before, args.after)
    else:
        misses(args.run, args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
