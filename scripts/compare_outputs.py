"""Which dev lines a decoder change fixes and which it breaks, set by set.

Rule work on the restorer is judged by what it does to every dev line, not only by a
rate: save the outputs of one version, change the code, save again, compare.

    python scripts/compare_outputs.py save runs/before.pkl            # all dev sets
    python scripts/compare_outputs.py save runs/after.pkl --sets eng vie_photo
    python scripts/compare_outputs.py diff runs/before.pkl runs/after.pkl [--show 20]

Lines are restored as documents of 40 (`--doc-lines`), like the report rows of
scripts/bench_restore.py; `partial` is the stripped set typed with only some marks
(first 200 rows per source). `diff` prints, per set, the syllable errors fixed and
broken and the lines that got worse (input, before, after, truth).

`appendix` is the real job, `samples/son_la_appendix_eng_ocr.txt`, restored as one
document: it has no truth, so `diff` prints every line that changed, to be read by eye.
A rule that only looked at the dev pages (mostly news) once cut wrapped lines there.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_restore import load_devset

from vnocr.evaluate import syllable_errors
from vnocr.options import DEFAULT_MODEL_DIR

SETS = ["strip", "partial", "eng", "vie_clean", "vie_photo", "appendix"]
APPENDIX = Path(__file__).resolve().parents[1] / "samples" / "son_la_appendix_eng_ocr.txt"


def save(path: Path, sets: list[str], doc_lines: int, model_dir: Path) -> None:
    from vnocr.restore import load_restorer

    restorer = load_restorer(model_dir)
    saved = {}
    for name in sets:
        if name == "appendix":
            lines = APPENDIX.read_text(encoding="utf-8").split("\n")
            rows = [(line, None, "appendix") for line in lines]
            saved[name] = (rows, [r.text for r in restorer.restore(lines)])
            continue
        rows = load_devset(name, 200 if name == "partial" else None)
        lines = [noisy for noisy, _, _ in rows]
        out: list[str] = []
        for i in range(0, len(lines), doc_lines):
            out.extend(r.text for r in restorer.restore(lines[i : i + doc_lines]))
        saved[name] = (rows, out)
        print(f"{name}: {len(rows)} lines", flush=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(saved))


def diff(before_path: Path, after_path: Path, show: int) -> None:
    before = pickle.loads(before_path.read_bytes())
    after = pickle.loads(after_path.read_bytes())
    for name in before:
        if name not in after:
            continue
        rows, old = before[name]
        _, new = after[name]
        fixed = broken = 0
        worse = []
        if name == "appendix":
            changed = [(noisy, a, b) for (noisy, _, _), a, b in zip(rows, old, new) if a != b]
            print(f"== appendix: {len(changed)} lines changed (no truth: read them)")
            for noisy, a, b in changed:
                print(f"   input  {noisy}\n   before {a}\n   after  {b}\n")
            continue
        for (noisy, truth, _), a, b in zip(rows, old, new):
            if a == b:
                continue
            ea, _ = syllable_errors(a, truth)
            eb, _ = syllable_errors(b, truth)
            fixed += max(0, ea - eb)
            broken += max(0, eb - ea)
            if eb > ea:
                worse.append((noisy, a, b, truth))
        print(f"== {name}: {fixed} syllable errors fixed, {broken} broken")
        for noisy, a, b, truth in worse[:show]:
            print(f"   input  {noisy}\n   before {a}\n   after  {b}\n   truth  {truth}\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("save", help="restore the dev sets and keep the outputs")
    s.add_argument("out", type=Path)
    s.add_argument("--sets", nargs="*", default=SETS, choices=SETS)
    s.add_argument("--doc-lines", type=int, default=40)
    s.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    d = sub.add_parser("diff", help="lines fixed and broken between two saved runs")
    d.add_argument("before", type=Path)
    d.add_argument("after", type=Path)
    d.add_argument("--show", type=int, default=20, help="worse lines printed per set")
    args = ap.parse_args()
    if args.cmd == "save":
        save(args.out, args.sets, args.doc_lines, args.model)
    else:
        diff(args.before, args.after, args.show)


if __name__ == "__main__":
    main()
