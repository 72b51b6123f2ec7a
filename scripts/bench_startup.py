#!/usr/bin/env python3
"""Where the time of one `vnocr correct` goes: each run is a fresh process, as a user's is.

Phases, timed inside the process (wall clock; CPU seconds beside them): importing and
loading the model, restoring, loading the gazetteer, the dictionary pass (with whatever
it builds on first use), and the whole process from outside (interpreter start and
imports included). The targets: the whole command under 5 s on the appendix, the
dictionary's load and pass under 10 % of it.

    python scripts/bench_startup.py                       # the appendix, 5 runs
    python scripts/bench_startup.py --runs 9 FILE.txt
    python scripts/bench_startup.py --dict names.txt    # with a user dictionary
    python scripts/bench_startup.py --backends onnxruntime torch   # alternately

`--backends` runs the network in each (`$VNOCR_BACKEND`), run after run, one table each.

Each run also times the command itself, `vnocr correct INPUT -o FILE` (argument parsing
and the output file included), as a fresh process. `--baseline DIR` runs another
checkout of this repository alternately (its `pipeline/` imported as `vnocr` ahead of the
installed one, the model of this one), with `--baseline-path DIR` ahead of it too (say an
older or newer command-line library, installed with `pip install --target DIR`):

    python scripts/bench_startup.py --runs 11 --baseline /tmp/base --baseline-path /tmp/typer29
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = ROOT / "samples" / "son_la_appendix_eng_ocr.txt"
PHASES = ("model", "restore", "gazetteer", "dictionary")

# Runs in the child: the same steps as `vnocr correct` (Pipeline.correct_lines), timed.
CHILD = """
import json, sys, time
clock = lambda: (time.perf_counter(), time.process_time())
marks = [clock()]
from pathlib import Path
from vnocr.api import Pipeline
from vnocr.files import read_text
from vnocr.options import LexiconOptions, Options
p = Pipeline(Options(lexicon=LexiconOptions(user_dicts=tuple(map(Path, sys.argv[2:])))))
lines = read_text(sys.argv[1]).split("\\n")
p.restorer; marks.append(clock())
out = [r.text for r in p.restorer.restore(lines)]; marks.append(clock())
g = p.gazetteer; marks.append(clock())
from vnocr.lexicon import fix_names  # loaded with the gazetteer
fix_names(g, lines, out); marks.append(clock())
print(json.dumps({"wall": [b[0] - a[0] for a, b in zip(marks, marks[1:])],
                  "cpu": [b[1] - a[1] for a, b in zip(marks, marks[1:])]}))
"""


def one_run(path: Path, dicts: list[Path], backend: str | None,
            pythonpath: str | None = None) -> dict:
    """One fresh process of the timed steps (`CHILD`), then one of the command itself;
    `pythonpath`: import paths ahead of the installed vnocr (a baseline checkout)."""
    env = dict(os.environ)
    if backend:
        env["VNOCR_BACKEND"] = backend
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    res = _timed([sys.executable, "-c", CHILD, str(path), *map(str, dicts)], env)
    res.update(json.loads(res.pop("stdout").strip().splitlines()[-1]))
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "vnocr", "correct", str(path), "-o",
                   str(Path(tmp) / "out.txt"), *(a for d in dicts for a in ("--dict", str(d)))]
        done = _timed(command, env)
    res["command"], res["command_cpu"] = done["process"], done["process_cpu"]
    return res


def _timed(argv: list[str], env: dict[str, str]) -> dict:
    """Wall and CPU seconds of one child process (and what it printed)."""
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    return {"process": time.perf_counter() - t0, "process_cpu": _children_cpu() - cpu0,
            "stdout": out.stdout}


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", nargs="?", type=Path, default=DEFAULT_INPUT)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dict", type=Path, action="append", default=[],
                    help="a user dictionary, as `vnocr correct --dict` (repeatable)")
    ap.add_argument("--backends", nargs="+", choices=("onnxruntime", "torch"),
                    help="run the network in each, alternately (default: vnocr's choice)")
    ap.add_argument("--baseline", type=Path,
                    help="another checkout of this repository, run alternately")
    ap.add_argument("--baseline-path", action="append", default=[], type=Path,
                    help="an import path ahead of the baseline's (repeatable)")
    args = ap.parse_args()
    backends = args.backends or [None]
    dicts = [p.resolve() for p in args.dict]
    with tempfile.TemporaryDirectory() as tmp:
        systems: dict[str, tuple[str | None, str | None]] = {
            f"{args.input.name}" + (f", network in {b}" if b else ""): (b, None)
            for b in backends}
        if args.baseline is not None:
            (Path(tmp) / "vnocr").symlink_to((args.baseline / "pipeline").resolve())
            path = os.pathsep.join(map(str, [*(p.resolve() for p in args.baseline_path), tmp]))
            systems[f"{args.input.name}, baseline {args.baseline}"] = (backends[0], path)
        runs: dict[str, list[dict]] = {name: [] for name in systems}
        for _ in range(args.runs):
            for name, (backend, pythonpath) in systems.items():
                runs[name].append(one_run(args.input, dicts, backend, pythonpath))
    for name, system_runs in runs.items():
        print_table(name, system_runs)


def print_table(title: str, runs: list[dict]) -> None:
    med = statistics.median
    print(f"{title}: {len(runs)} fresh processes, median (min–max) seconds\n")
    print("| phase | wall s | CPU s |\n|---|---|---|")
    for i, name in enumerate(PHASES):
        wall = [r["wall"][i] for r in runs]
        cpu = [r["cpu"][i] for r in runs]
        print(f"| {name} | {med(wall):.2f} ({min(wall):.2f}–{max(wall):.2f}) | {med(cpu):.2f} |")
    proc = [r["process"] for r in runs]
    cpu = [r["process_cpu"] for r in runs]
    print(f"| whole process | {med(proc):.2f} ({min(proc):.2f}–{max(proc):.2f}) | "
          f"{med(cpu):.2f} |")
    command = [r["command"] for r in runs]
    print(f"| `vnocr correct` (the command) | {med(command):.2f} ({min(command):.2f}–"
          f"{max(command):.2f}) | {med(r['command_cpu'] for r in runs):.2f} |")
    share = [(r["wall"][2] + r["wall"][3]) / r["process"] for r in runs]
    print(f"\ndictionary (gazetteer load + pass): {100 * med(share):.1f} % of the process "
          f"(runs: {100 * min(share):.1f}–{100 * max(share):.1f} %)\n")

if __name__ == "__main__":
    main()
