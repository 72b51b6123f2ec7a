#!/usr/bin/env python3
"""`vnocr correct` against pyvi's `ViUtils.add_accents`, as whole processes.

What a user waits for: each run is a fresh process (interpreter start, imports, model and
table loading included) that reads a file and writes the restored one. The systems run
alternately, run after run, so a busy machine slows them alike; the table gives medians
of wall time, CPU time (user + system: steadier than wall on a shared machine) and peak
RSS, syllables per second, the speed against pyvi's, and each output's syllable error
rate against the truth (the same for every batch size: the output does not change).

Inputs, written from the dev sets (`samples/dev/`):
- stripped: the first 1,000 lines of each source of `strip.tsv.gz` (~86k syllables);
- eng-OCR: all of `eng.tsv.gz` (~38k syllables, English-model OCR of Vietnamese).

    python scripts/bench_speed.py                      # 3 runs each, batch size 16
    python scripts/bench_speed.py --jobs 1 2           # ... and `vnocr correct -j 2`

Run k runs every input with every system before run k + 1 starts; besides the ratio of
medians, the eng-OCR throughput ratios are also given as the median of each run's own
ratio (its two inputs timed seconds apart), which a machine whose speed drifts over
minutes moves less.

`vnocr --batch-size N` runs with `-j 1` (one process); `..., default -j` without `-j`
(one worker process per core, at most one per piece of the input).
    python scripts/bench_speed.py --runs 5 --batch-sizes 16 32 64
    python scripts/bench_speed.py --inputs stripped    # one input only
    python scripts/bench_speed.py --baseline ../other-checkout   # before/after, alternating

`--baseline DIR` adds `vnocr correct` of another checkout of this repository (its
`pipeline/` imported as `vnocr` ahead of the installed one; the model of this one), so a
change is timed against the code before it in the same alternation.

`--equal-size` also times the stripped text cut to the eng-OCR file's syllable count
(the first rows of each source, as many of each) and prints an extra, labelled ratio:
eng-OCR's throughput against stripped text of its own size, where start-up weighs the
same on both (on the full files it weighs 2.3 x more on the smaller eng-OCR one). The
ratio on the full files is printed as before.
    python scripts/bench_speed.py --inputs eng-OCR stripped --equal-size
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_restore import load_devset

from vnocr.evaluate import Scores

# Runs in the pyvi child: read, restore line by line, write (as bench_restore's system).
PYVI_CHILD = """
import sys
from pyvi import ViUtils
out = []
for line in open(sys.argv[1], encoding="utf-8").read().split("\\n"):
    try:
        out.append(ViUtils.add_accents(line))
    except (KeyError, IndexError, ValueError):  # rare labels crash pyvi
        out.append(line)
open(sys.argv[2], "w", encoding="utf-8").write("\\n".join(out))
"""

EQUAL_SIZE = "stripped, eng-OCR's size"  # see --equal-size
INPUTS: dict[str, Callable[[], list[tuple]]] = {
    "stripped": lambda: load_devset("strip", limit=1000),
    "eng-OCR": lambda: load_devset("eng"),
}


@dataclass
class Runs:
    """One system on one input: per run wall seconds, CPU seconds, peak RSS (bytes)."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    pss: list[int] = field(default_factory=list)
    ser: float = float("nan")


@dataclass(frozen=True)
class System:
    """How to run one system: its argv for (input, output), and extra environment."""

    argv: Callable[[Path, Path], list[str]]
    env: dict[str, str] = field(default_factory=dict)


def _process_tree(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid] + [p for c in children for p in _process_tree(int(c))]


def _proportional_kb(pid: int) -> int:
    """The process's proportional set size (a page shared by n processes counts 1/n)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _sample_pss(pid: int, done: threading.Event, peak: list[int]) -> None:
    """The peak, sampled every 0.1 s, of the summed PSS of `pid` and its descendants:
    the memory a command takes with its forked workers, their shared pages once."""
    while not done.wait(0.1):
        peak[0] = max(peak[0], sum(map(_proportional_kb, _process_tree(pid))) * 1024)


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds and peak RSS of one child process (its workers
    included), read from its own resource usage (`wait4`), so the parent's memory never
    counts; and the peak summed PSS of its process tree (Linux; 0 elsewhere)."""
    with tempfile.TemporaryFile() as err:  # a pipe would fill and stall the child
        t0 = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err,
                                 env={**os.environ, **env})
        done, pss = threading.Event(), [0]
        sampler = threading.Thread(target=_sample_pss, args=(child.pid, done, pss))
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - t0
        done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(argv)} failed: {err.read().decode()[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, pss[0]


def syllable_count(rows: list[tuple]) -> int:
    return sum(len(row[1].split()) for row in rows)


def cut_to_size(rows: list[tuple], syllables: int) -> list[tuple]:
    """The first k rows of each source of `rows` (in their order), k the one whose
    total syllable count comes nearest `syllables`: the same mix of sources, smaller."""
    def first(k: int) -> list[tuple]:
        seen: dict[str, int] = {}
        kept = []
        for row in rows:
            seen[row[2]] = seen.get(row[2], 0) + 1
            if seen[row[2]] <= k:
                kept.append(row)
        return kept

    most = max(Counter(row[2] for row in rows).values(), default=0)
    return first(min(range(most + 1), key=lambda k: abs(syllable_count(first(k)) - syllables)))


def error_rate(output: Path, rows: list[tuple]) -> float:
    scores = Scores()
    for pred, (_, truth, *_) in zip(output.read_text(encoding="utf-8").split("\n"), rows):
        scores.add(pred, truth)
    return scores.ser


def systems(batch_sizes: list[int], baseline: Path | None, work: Path,
            jobs: list[int] = (1,)) -> dict[str, System]:
    """Name → how to run a process restoring one file into another."""
    def vnocr(size: int, workers: int | None = 1) -> Callable[[Path, Path], list[str]]:
        extra = [] if workers is None else ["-j", str(workers)]
        return lambda src, dst: [sys.executable, "-m", "vnocr", "correct", str(src), "-o",
                                 str(dst), "--batch-size", str(size), *extra]

    found = {"pyvi": System(lambda src, dst: [sys.executable, "-c", PYVI_CHILD, str(src),
                                              str(dst)])}
    if baseline is not None:
        (work / "baseline").mkdir(exist_ok=True)
        (work / "baseline" / "vnocr").symlink_to((baseline / "pipeline").resolve())
        env = {"PYTHONPATH": str(work / "baseline")}
        for size in batch_sizes:
            found[f"vnocr baseline --batch-size {size}"] = System(vnocr(size), env)
    for size in batch_sizes:
        found[f"vnocr --batch-size {size}"] = System(vnocr(size))
    found[f"vnocr --batch-size {batch_sizes[-1]}, default -j"] = System(
        vnocr(batch_sizes[-1], None))
    for workers in (j for j in jobs if j > 1):
        found[f"vnocr --batch-size {batch_sizes[-1]} -j {workers}"] = System(
            vnocr(batch_sizes[-1], workers))
    return found


def bench(inputs: dict[str, list[tuple]], found_systems: dict[str, System], runs: int,
          work: Path) -> dict[str, tuple[int, dict[str, Runs]]]:
    """Each input's syllable count and each system's runs on it. Run k times every
    input with every system, one after the other, before run k + 1 starts: the runs of
    one index are seconds apart, so the ratio of two inputs' times within a run is
    spared the machine's slower and faster minutes (see `paired_ratio`)."""
    srcs, found = {}, {}
    for name, rows in inputs.items():
        srcs[name] = work / f"{name.replace(' ', '_').replace(',', '')}.txt"
        srcs[name].write_text("\n".join(row[0] for row in rows), encoding="utf-8")
        found[name] = {system: Runs() for system in found_systems}
    for k in range(runs):
        for name, rows in inputs.items():
            for system, runs_of in found[name].items():
                dst = srcs[name].with_suffix(f".{k}.out")
                how = found_systems[system]
                wall, cpu, rss, pss = run_once(how.argv(srcs[name], dst), how.env)
                runs_of.wall.append(wall)
                runs_of.cpu.append(cpu)
                runs_of.rss.append(rss)
                runs_of.pss.append(pss)
                runs_of.ser = error_rate(dst, rows)
                print(f"  {name} run {k + 1}: {system}: {wall:.2f} s wall, {cpu:.2f} s CPU, "
                      f"{rss / 2**20:.0f} MB, PSS {pss / 2**20:.0f} MB", file=sys.stderr,
                      flush=True)
    return {name: (syllable_count(rows), found[name]) for name, rows in inputs.items()}


def paired_ratio(a: tuple[int, Runs], b: tuple[int, Runs]) -> float:
    """The median over runs of input a's throughput (syllables per wall second) against
    input b's in the same run, by one system."""
    (syl_a, runs_a), (syl_b, runs_b) = a, b
    return statistics.median((syl_a / wa) / (syl_b / wb)
                             for wa, wb in zip(runs_a.wall, runs_b.wall))


def table(name: str, syllables: int, found: dict[str, Runs]) -> list[str]:
    med = statistics.median
    pyvi = found["pyvi"]
    header = ("| system | wall s | CPU s | peak RSS MB (largest process) | peak PSS MB (all "
              "processes) | syllables/s | × pyvi's speed (wall) | SER % |")
    lines = [f"**{name}** ({syllables:,} syllables)", "", header,
             "|---|---|---|---|---|---|---|---|"]
    for system, r in found.items():
        wall = med(r.wall)
        lines.append(
            f"| {system} | {wall:.2f} ({min(r.wall):.2f}–{max(r.wall):.2f}) | {med(r.cpu):.2f} "
            f"| {med(r.rss) / 2**20:.0f} | {med(r.pss) / 2**20:.0f} | {syllables / wall:,.0f} "
            f"| {med(pyvi.wall) / wall:.2f} | {100 * r.ser:.2f} |")
    return [*lines, ""]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--batch-sizes", type=int, nargs="+", default=[16])  # vnocr correct's default
    ap.add_argument("--inputs", nargs="+", choices=list(INPUTS), default=list(INPUTS))
    ap.add_argument("--baseline", type=Path, help="another checkout to time alongside")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1],
                    help="also time `vnocr correct -j N` for each N > 1 (the last batch size)")
    ap.add_argument("--equal-size", action="store_true",
                    help="also time the stripped text cut to the eng-OCR file's syllable count "
                    "and print that throughput ratio as an extra line")
    args = ap.parse_args()
    if args.equal_size and not {"eng-OCR", "stripped"} <= set(args.inputs):
        ap.error("--equal-size needs both inputs, eng-OCR and stripped")
    command = (f"python scripts/bench_speed.py --runs {args.runs} "
               f"--batch-sizes {' '.join(map(str, args.batch_sizes))}"
               + (f" --jobs {' '.join(map(str, args.jobs))}" if args.jobs != [1] else "")
               + (f" --inputs {' '.join(args.inputs)}" if args.inputs != list(INPUTS) else "")
               + (f" --baseline {args.baseline}" if args.baseline else "")
               + (" --equal-size" if args.equal_size else ""))
    out = ["## Speed: vnocr correct against pyvi, whole processes", "",
           (f"Median of {args.runs} alternating runs each (min–max wall in brackets), "
            f"{os.cpu_count()} CPUs, `{command}`."), ""]
    throughput, per_cpu_second = {}, {}
    inputs = {name: INPUTS[name]() for name in args.inputs}
    if args.equal_size:
        inputs[EQUAL_SIZE] = cut_to_size(inputs["stripped"], syllable_count(inputs["eng-OCR"]))
    with tempfile.TemporaryDirectory() as tmp:
        found_systems = systems(args.batch_sizes, args.baseline, Path(tmp), args.jobs)
        results = bench(inputs, found_systems, args.runs, Path(tmp))
    last = f"vnocr --batch-size {args.batch_sizes[-1]}"
    labelled = (("one process", last), ("default -j", f"{last}, default -j"))
    for name, (syllables, found) in results.items():
        out += table(name, syllables, found)
        for label, system in labelled:
            throughput[label, name] = syllables / statistics.median(found[system].wall)
            per_cpu_second[label, name] = syllables / statistics.median(found[system].cpu)

    def runs_of(name: str, system: str) -> tuple[int, Runs]:
        return results[name][0], results[name][1][system]

    for label, system in labelled:
        if all((label, name) in throughput for name in INPUTS):
            ratio = throughput[label, "eng-OCR"] / throughput[label, "stripped"]
            paired = paired_ratio(runs_of("eng-OCR", system), runs_of("stripped", system))
            out.append(f"eng-OCR throughput ({label}): {ratio:.2f} × the stripped text's "
                       f"(median of the runs' own ratios: {paired:.2f} ×).")
    for label, system in labelled:
        if (label, EQUAL_SIZE) in throughput and (label, "eng-OCR") in throughput:
            ratio = throughput[label, "eng-OCR"] / throughput[label, EQUAL_SIZE]
            by_cpu = per_cpu_second[label, "eng-OCR"] / per_cpu_second[label, EQUAL_SIZE]
            paired = paired_ratio(runs_of("eng-OCR", system), runs_of(EQUAL_SIZE, system))
            out.append(f"Extra, equal sizes: eng-OCR throughput ({label}): {ratio:.2f} × that "
                       "of the stripped text cut to its syllable count (start-up weighs alike; "
                       f"by CPU seconds {by_cpu:.2f} ×; median of the runs' own ratios "
                       f"{paired:.2f} ×).")
    print("\n".join(out))


if __name__ == "__main__":
    main()
