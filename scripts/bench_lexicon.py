"""Benchmark the dictionary pass on name-heavy held-out sentences.

Sentences come from the dev split of the corpus (md5 % 100 == 0; never mined, never
trained on; `--split test` takes md5 % 100 == 1 instead) and are kept when they contain
gazetteer names, found in the *truth* by exact spelling: Title-case spans of 2–4
syllables, or one syllable after a type word it is known with. Each sentence is corrupted (stripped: every mark gone; eng: learned eng-OCR token
noise from `vnocr.data.noise`, one noisy token per true token so spans stay aligned),
restored by the model alone, and then passed through the dictionary. We report:

* name accuracy: share of name spans whose every syllable is exactly right (case too);
* other-token accuracy: share of all other word tokens exactly right;
* what the dictionary changed outside names (fixed / broken tokens);
* time of the model and of the dictionary pass.

    python scripts/bench_lexicon.py --regimes strip,eng --lines 1500 \
        --appendix samples/son_la_appendix_eng_ocr.txt     # dev split, plus cost on a real file
    python scripts/bench_lexicon.py --split test --regimes strip,eng --lines 1500
    python scripts/bench_lexicon.py --restorer none    # dictionary alone on the noisy text
    python scripts/bench_lexicon.py --reuse /tmp/lexbench  # keep the model's output to tune
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from vnocr.lexicon import fix_names, load_gazetteer
from vnocr.lexicon.gazetteer import Gazetteer
from vnocr.lexicon.spans import letters_case
from vnocr.lexicon.types import MAX_TYPE_TOKENS, TYPE_WORDS
from vnocr.text import normalize_text_tones, normalize_tone, tokenize

log = logging.getLogger("bench_lexicon")


def name_spans(line: str, gaz: Gazetteer) -> list[tuple[int, int]]:
    """(first token, length) of every gazetteer name in a correct line, longest first."""
    toks = tokenize(line)
    cores = [t.core for t in toks]
    title = [bool(c) and letters_case(c) == "title" for c in cores]
    spans: list[tuple[int, int]] = []
    taken = [False] * len(toks)
    for n in range(4, 0, -1):
        for i in range(len(toks) - n + 1):
            if any(taken[i : i + n]) or not all(title[i : i + n]):
                continue
            if any(toks[k].trail or toks[k + 1].lead for k in range(i, i + n - 1)):
                continue
            text = normalize_text_tones(" ".join(cores[i : i + n])).lower()
            nm = gaz.by_lower.get(text)
            if nm is None:
                continue
            if n == 1:
                typ = None
                for m in range(1, MAX_TYPE_TOKENS + 1):
                    if i - m >= 0:
                        cand = " ".join(cores[i - m : i]).lower()
                        if cand in TYPE_WORDS:
                            typ = cand
                if typ is None or typ not in nm.types:
                    continue
            spans.append((i, n))
            for k in range(i, i + n):
                taken[k] = True
    return sorted(spans)


def collect(
    gaz: Gazetteer, n_lines: int, seed: int, split: str = "dev"
) -> list[tuple[str, str, list[tuple[int, int]]]]:
    from vnocr.data.corpus import iter_lines

    by_source: dict[str, list[tuple[str, str, list[tuple[int, int]]]]] = {}
    for source, line in iter_lines(split):
        if len(line.split()) < 4:
            continue
        spans = name_spans(line, gaz)
        if spans:
            by_source.setdefault(source, []).append((source, line, spans))
    rng = random.Random(seed)
    out = []
    # half from the administrative and legal sources (what users convert), half news/wiki
    pools = sorted(by_source)
    per = max(1, n_lines // len(pools))
    for s in pools:
        items = by_source[s]
        rng.shuffle(items)
        out.extend(items[:per])
    rng.shuffle(out)
    log.info("name lines per source: %s", {s: min(per, len(v)) for s, v in by_source.items()})
    return out[:n_lines]


def corrupt(lines: list[str], regime: str, seed: int) -> list[str]:
    from vnocr.data.noise import corrupt_tokens

    rng = random.Random(seed)
    return [" ".join(corrupt_tokens(line.split(), regime, rng)) for line in lines]


@dataclass
class Score:
    spans: int = 0
    spans_ok: int = 0
    other: int = 0
    other_ok: int = 0
    realigned_lines: int = 0  # a cut speck changed the token count (see aligned_places)
    by_source: Counter = field(default_factory=Counter)

    def row(self) -> dict:
        return {
            "name_acc": 100.0 * self.spans_ok / max(1, self.spans),
            "other_acc": 100.0 * self.other_ok / max(1, self.other),
            "spans": self.spans,
            "other_tokens": self.other,
            "realigned_lines": self.realigned_lines,
        }


def _norm(core: str) -> str:
    return normalize_tone(core, "old")


def aligned_places(truth_toks, out_toks) -> list[int | None]:
    """The index of the output token at each truth token's place. The pipeline keeps
    tokens aligned except where it cuts specks (`năm ngoái. l`): then a minimal alignment
    places them, and a truth token with no output counterpart gets None (wrong)."""
    if len(truth_toks) == len(out_toks):
        return list(range(len(truth_toks)))
    placed: list[int | None] = [None] * len(truth_toks)
    a = [_norm(t.core) for t in truth_toks]
    b = [_norm(t.core) for t in out_toks]
    for op in Levenshtein.opcodes(a, b):
        same_length = op.src_end - op.src_start == op.dest_end - op.dest_start
        if op.tag in ("equal", "replace") and same_length:
            for k in range(op.src_end - op.src_start):
                placed[op.src_start + k] = op.dest_start + k
    return placed


def _core_at(toks, k: int | None) -> str | None:
    return None if k is None else toks[k].core


def score(truth: list[str], out: list[str], spans: list[list[tuple[int, int]]]) -> Score:
    sc = Score()
    for t_line, o_line, sp in zip(truth, out, spans):
        tt, ot = tokenize(t_line), tokenize(o_line)
        oc = [_core_at(ot, k) for k in aligned_places(tt, ot)]
        sc.realigned_lines += len(tt) != len(ot)
        in_name = [False] * len(tt)
        for i, n in sp:
            sc.spans += 1
            ok = all(oc[k] is not None and _norm(tt[k].core) == _norm(oc[k])
                     for k in range(i, i + n))
            sc.spans_ok += ok
            for k in range(i, i + n):
                in_name[k] = True
        for k, t in enumerate(tt):
            if in_name[k] or not any(c.isalpha() for c in t.core):
                continue
            sc.other += 1
            sc.other_ok += oc[k] is not None and _norm(t.core) == _norm(oc[k])
    return sc


def letterless_spans(truth: list[str], noisy: list[str], spans) -> int:
    """Name spans of which the noise left some word without a letter (`Hoa ` for Hoa Kỳ):
    no pass can restore what is not there."""
    count = 0
    for t_line, n_line, sp in zip(truth, noisy, spans):
        tt, nt = tokenize(t_line), tokenize(n_line)
        placed = aligned_places(tt, nt)
        for i, n in sp:
            count += any(placed[k] is None or not any(c.isalpha() for c in nt[placed[k]].core)
                         for k in range(i, i + n))
    return count


def side_effects(truth, before, after, spans) -> dict:
    """Tokens outside the true name spans that the dictionary pass changed."""
    fixed = broken = changed = 0
    for t_line, b_line, a_line, sp in zip(truth, before, after, spans):
        tt, bt, at = tokenize(t_line), tokenize(b_line), tokenize(a_line)
        if len(bt) != len(at):
            continue  # the dictionary pass keeps tokens; never seen
        in_name = {k for i, n in sp for k in range(i, i + n)}
        for k, j in enumerate(aligned_places(tt, bt)):
            if k in in_name or j is None or bt[j].core == at[j].core:
                continue
            changed += 1
            fixed += _norm(at[j].core) == _norm(tt[k].core)
            broken += _norm(bt[j].core) == _norm(tt[k].core)
    return {"changed": changed, "fixed": fixed, "broken": broken}


def restore(lines: list[str], how: str, model_dir: str | None) -> list[str]:
    """The restoration model alone (the Pipeline with the dictionary pass off)."""
    if how == "none":
        return list(lines)
    from vnocr.options import RestoreOptions
    from vnocr.restore import load_restorer

    ropts = RestoreOptions()
    r = load_restorer(Path(model_dir) if model_dir else ropts.model_dir)
    out: list[str] = []
    for i in range(0, len(lines), 256):
        out.extend(x.text for x in r.restore(lines[i : i + 256], None, batch_size=ropts.batch_size))
    return out


def cached_items(
    gaz: Gazetteer, cache: Path, n_lines: int, seed: int, split: str
) -> list[tuple[str, str, list[tuple[int, int]]]]:
    """`collect`'s lines, kept in `cache` (a full corpus read) for the next run with the
    same split, size, seed and gazetteer."""
    key = f"{split}:{n_lines}:{seed}:{len(gaz)}"
    if cache.is_file():
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("key") == key:
            return [(s, line, [tuple(x) for x in sp]) for s, line, sp in data["items"]]
    items = collect(gaz, n_lines, seed, split)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"key": key, "items": items}, ensure_ascii=False),
                     encoding="utf-8")
    return items


def restored_lines(
    noisy: list[str], dump: Path | None, how: str = "model", model_dir: str | None = None
) -> tuple[list[str], float]:
    """The restorer's output for `noisy` and its seconds, kept in `dump` (when given) and
    read back from it on the next run (to tune the dictionary pass alone)."""
    if dump is not None and dump.is_file():
        saved = json.loads(dump.read_text(encoding="utf-8"))
        assert saved["noisy"] == noisy, f"{dump} was made from other lines"
        return saved["restored"], saved["model_s"]
    t0 = time.perf_counter()
    restored = restore(noisy, how, model_dir)
    t_model = time.perf_counter() - t0
    if dump is not None:
        dump.parent.mkdir(parents=True, exist_ok=True)
        dump.write_text(json.dumps({"noisy": noisy, "restored": restored, "model_s": t_model},
                                   ensure_ascii=False), encoding="utf-8")
    return restored, t_model


def appendix_cost(path: Path, model_dir: str | None, repeats: int = 5) -> dict:
    """CPU seconds of the dictionary pass against restoration on one real document.

    The gazetteer is loaded in a fresh process by `vnocr correct`, so its load time is
    measured too (in this process it is already cached: reported from `load_gazetteer`'s
    first call in main)."""
    import statistics

    from vnocr.options import RestoreOptions
    from vnocr.restore import load_restorer

    lines = path.read_text(encoding="utf-8").split("\n")
    r = load_restorer(Path(model_dir) if model_dir else RestoreOptions().model_dir)
    gaz = load_gazetteer()
    t_model, t_dict = [], []
    for _ in range(repeats):
        c = time.process_time()
        out = [x.text for x in r.restore(lines, None)]
        t_model.append(time.process_time() - c)
        gaz._cache.clear()
        c = time.process_time()
        fix_names(gaz, lines, out)
        t_dict.append(time.process_time() - c)
    return {
        "tokens": sum(len(x.split()) for x in lines),
        "restore_cpu_s": round(statistics.median(t_model), 3),
        "dictionary_cpu_s": round(statistics.median(t_dict), 3),
    }


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--lines", type=int, default=1500)
    ap.add_argument("--regimes", default="strip,eng")
    ap.add_argument("--restorer", choices=("model", "none"), default="model")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--split",
        choices=("dev", "test"),
        default="dev",
        help="dev (md5 %% 100 == 0, what the pass was tuned on) or test (== 1)",
    )
    ap.add_argument("--model-dir", help="restoration model folder (default: the shipped one)")
    ap.add_argument(
        "--reuse",
        help="keep the model's output per regime in this folder and "
        "reuse it on the next run (to tune the dictionary pass alone)",
    )
    ap.add_argument("--json", help="write the results here too")
    ap.add_argument(
        "--cache",
        default=None,
        help="name lines are collected once (a full corpus read) and kept here "
        "(default /tmp/vnocr_bench_lexicon_<split>.json)",
    )
    ap.add_argument("--show", type=int, default=0, help="print this many changed lines")
    ap.add_argument(
        "--appendix",
        help="also time both stages on this real document "
        "(e.g. samples/son_la_appendix_eng_ocr.txt)",
    )
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)

    t0 = time.process_time()
    gaz = load_gazetteer()
    t_load = time.process_time() - t0
    cache = Path(args.cache or f"/tmp/vnocr_bench_lexicon_{args.split}.json")
    items = cached_items(gaz, cache, args.lines, args.seed, args.split)
    truth = [line for _, line, _ in items]
    spans = [sp for _, _, sp in items]
    log.info("%d name-heavy %s lines, %d name spans", len(truth), args.split, sum(map(len, spans)))
    results = {"lines": len(truth), "gazetteer_load_s": round(t_load, 3), "regimes": {}}
    print(
        "| regime | system | name acc % | other-token acc % | name spans | other tokens | time s |"
    )
    print("|---|---|---|---|---|---|---|")
    for regime in args.regimes.split(","):
        noisy = corrupt(truth, regime, args.seed)
        dump = Path(args.reuse) / f"{regime}.json" if args.reuse else None
        restored, t_model = restored_lines(noisy, dump, args.restorer, args.model_dir)
        t0 = time.perf_counter()
        fixed, changes = fix_names(gaz, noisy, restored)
        t_dict = time.perf_counter() - t0
        base_name = "input as is" if args.restorer == "none" else "model alone"
        rows = {
            base_name: (score(truth, restored, spans).row(), t_model),
            f"{'dictionary alone' if args.restorer == 'none' else 'model + dictionary'}": (
                score(truth, fixed, spans).row(),
                t_model + t_dict,
            ),
        }
        for system, (row, t) in rows.items():
            print(
                f"| {regime} | {system} | {row['name_acc']:.1f} | {row['other_acc']:.2f} | "
                f"{row['spans']} | {row['other_tokens']} | {t:.1f} |"
            )
        fx = side_effects(truth, restored, fixed, spans)
        lost = letterless_spans(truth, noisy, spans)
        results["regimes"][regime] = {
            "systems": {k: {**v[0], "time_s": round(v[1], 2)} for k, v in rows.items()},
            "dictionary_s": round(t_dict, 3),
            "model_s": round(t_model, 3),
            "changes": len(changes),
            "outside_names": fx,
            "letterless_spans": lost,
        }
        print(
            f"|  | dictionary pass: {t_dict:.2f} s ({100 * t_dict / max(t_model, 1e-9):.1f} % of "
            f"the model), {len(changes)} changes; outside names: {fx}; name spans with a "
            f"word the noise left without letters: {lost} |  |  |  |  |  |"
        )
        if args.show:
            shown = 0
            for t, n_, r, f in zip(truth, noisy, restored, fixed):
                if r != f and shown < args.show:
                    shown += 1
                    print(
                        f"  truth: {t}\n  noisy: {n_}\n  model: {r}\n  +dict: {f}\n",
                        file=sys.stderr,
                    )
    if args.appendix:
        cost = appendix_cost(Path(args.appendix), args.model_dir)
        results["appendix"] = cost
        print(
            f"\n{args.appendix}: {cost['tokens']} tokens; restoration {cost['restore_cpu_s']} s "
            f"CPU, dictionary pass {cost['dictionary_cpu_s']} s CPU "
            f"({100 * cost['dictionary_cpu_s'] / cost['restore_cpu_s']:.1f} %); "
            f"gazetteer load (once per process) {t_load:.2f} s CPU"
        )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
