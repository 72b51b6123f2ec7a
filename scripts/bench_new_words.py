#!/usr/bin/env python3
"""Where a regime's time goes: the first reading of a text against a second one.

A restoration's cost per syllable has two parts: what every slot costs (the network,
the search, the words written back), and what each word costs the first time a process
meets it (its candidates: channel alignments and fuzzy key searches; run-on and merge
cuts; the dictionary's look-ups), which a process keeps for the rest of its life. The
second reading of the same text in the same process pays only the first part, so
(first − second) is the cost of the new words. `bench_speed.py` times whole processes;
this tells which part makes one input slower per syllable than another.

Each input is read in a fresh process (no other input warms its memos): the pipeline is
loaded, the text corrected piece by piece as `vnocr correct -j 1` does
(`Pipeline.correct_stream`), then corrected again. Per reading: wall seconds, the main
thread's CPU seconds (the network runs one group ahead in a worker thread), the whole
process's CPU seconds, and microseconds of main-thread CPU per syllable.

    python scripts/bench_new_words.py                    # stripped and eng-OCR inputs
    python scripts/bench_new_words.py --runs 3           # medians of 3 fresh processes
    python scripts/bench_new_words.py --inputs eng-OCR
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_speed import INPUTS, syllable_count

# Runs in the child: load, read twice, print the clocks of each reading as JSON.
CHILD = """
import io, json, sys, time
from dataclasses import replace
from vnocr.api import Pipeline
from vnocr.options import Options

options = Options()
options = replace(options, restore=replace(options.restore, alternatives=False))
pipeline = Pipeline(options)
pipeline.correct_lines(["xin chao"])  # loads the model, tables and gazetteer
data = open(sys.argv[1], "rb").read()
readings = []
for _ in range(2):
    wall, thread, process = time.perf_counter(), time.thread_time(), time.process_time()
    for _piece in pipeline.correct_stream(io.BytesIO(data), source=sys.argv[1]):
        pass
    readings.append([time.perf_counter() - wall, time.thread_time() - thread,
                     time.process_time() - process])
print(json.dumps(readings))
"""


def read_twice(path: Path) -> list[list[float]]:
    """[wall, main-thread CPU, process CPU] of the first and second reading of `path` in
    one fresh process."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the child failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", nargs="*", default=list(INPUTS), choices=list(INPUTS))
    ap.add_argument("--runs", type=int, default=1, help="fresh processes per input (medians)")
    args = ap.parse_args()

    print("| input | syllables | reading | wall s | main-thread CPU s | process CPU s "
          "| main-thread µs / syllable |")
    print("|---|---:|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as work:
        for name in args.inputs:
            rows = INPUTS[name]()
            syllables = syllable_count(rows)
            path = Path(work) / "input.txt"
            path.write_text("\n".join(row[0] for row in rows), encoding="utf-8")
            runs = [read_twice(path) for _ in range(args.runs)]
            medians = [[statistics.median(run[k][c] for run in runs) for c in range(3)]
                       for k in range(2)]
            for label, (wall, thread, process) in zip(("first", "second"), medians):
                print(f"| {name} | {syllables:,} | {label} | {wall:.2f} | {thread:.2f} "
                      f"| {process:.2f} | {thread / syllables * 1e6:.0f} |", flush=True)
            new_words = medians[0][1] - medians[1][1]
            print(f"| {name} | | first − second (new words) | "
                  f"{medians[0][0] - medians[1][0]:.2f} | {new_words:.2f} | "
                  f"{medians[0][2] - medians[1][2]:.2f} | "
                  f"{new_words / syllables * 1e6:.0f} |", flush=True)


if __name__ == "__main__":
    main()
