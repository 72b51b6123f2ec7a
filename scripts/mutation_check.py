"""Does the suite catch the regressions users would feel? Each mutation below is applied
to a copy of the repository and the tests that should notice it are run there.

    .venv/bin/python scripts/mutation_check.py [--only NAME ...] [--markdown]

The copy (tracked and untracked-but-not-ignored files; `models/` linked, never written)
lives in a temporary folder: the checkout is never edited, whatever happens. Tests run
with `vnocr` imported from the copy (PYTHONPATH ahead of the editable install; checked
before anything runs). A mutation is *caught* when at least one test fails; the report
names them. Two environment checks run the tests with a user's own name list, model
setting and home folder: with the isolation fixture they must pass, without it fail.
Exit status 1 if any mutation escapes or a check does not behave as expected.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutation:
    name: str
    what: str  # the regression, as a user would feel it
    path: str  # file to mutate, relative to the repository
    old: str  # exact text replaced (must occur once)
    new: str
    tests: tuple[str, ...]  # the tests that should notice
    env: dict[str, str] = field(default_factory=dict)
    expect_caught: bool = True


NFC_TESTS = ("tests/test_nfc_entrances.py", "tests/test_end_to_end.py",
             "tests/restore/test_correct_cli.py")
QUALITY_TESTS = ("tests/test_quality_floors.py",)


def hostile_home(folder: Path) -> dict[str, str]:
    """A user's set-up that changes results: a name list with a name the appendix
    contains respelt, a missing model named in VNOCR_MODEL."""
    config = folder / "hostile-home" / ".config" / "vnocr"
    config.mkdir(parents=True, exist_ok=True)
    (config / "names.txt").write_text("Sơn Lá\t100000\nKế Hoách\t100000\n", encoding="utf-8")
    return {"HOME": str(folder / "hostile-home"),
            "XDG_CONFIG_HOME": str(folder / "hostile-home" / ".config"),
            "VNOCR_MODEL": str(folder / "no-such-model")}


def mutations(tmp: Path) -> list[Mutation]:
    env = hostile_home(tmp)
    return [
        Mutation("nfc-files", "decomposed text files stay decomposed",
                 "pipeline/files.py",
                 'return nfc(text.replace("\\r\\n", "\\n").replace("\\r", "\\n"))',
                 'return text.replace("\\r\\n", "\\n").replace("\\r", "\\n")', NFC_TESTS),
        Mutation("nfc-api", "Pipeline.correct_text/correct_lines without NFC: `ở̛̉ nhà̀`",
                 "pipeline/api.py",
                 "Document.from_lines([nfc(line) for line in lines], confidences)",
                 "Document.from_lines(list(lines), confidences)", NFC_TESTS),
        Mutation("nfc-ocr", "OCR words enter decomposed when Tesseract gives them so",
                 "pipeline/ocr/layout.py", "pieces = nfc(w.text).split()",
                 "pieces = w.text.split()", NFC_TESTS),
        Mutation("read-drops-confidences", "Pipeline.read corrects without OCR confidences",
                 "pipeline/api.py",
                 "result = self.correct_lines(page.lines, page.line_confidences)",
                 "result = self.correct_lines(page.lines)",
                 ("tests/test_end_to_end.py", "tests/ocr")),
        Mutation("greedy-decoding", "beam 1: 2.8 x the errors on stripped legal text",
                 "pipeline/restore/decoding.py", "BEAM = 10", "BEAM = 1", QUALITY_TESTS),
        Mutation("weak-lm", "n-gram LM at a tenth of its weight: 1.4-1.8 x the errors",
                 "pipeline/restore/decoding.py", "local = w_lm * lm.score(",
                 "local = 0.1 * w_lm * lm.score(", QUALITY_TESTS),
        Mutation("appendix-casing", "eng-OCR small letters raised to capitals too readily "
                 "(`tôn Vinh`)", "pipeline/restore/casing.py", "RAISED_TITLE = 0.97",
                 "RAISED_TITLE = 0.5", ("tests/test_appendix_snapshot.py",)),
        Mutation("identity-restorer", "the restorer returns its input",
                 "pipeline/restore/assembly.py", "new = _replace_parts(t, parts)",
                 "new = t.core", ("tests/restore/test_restorer.py",)),
        Mutation("min-confidence-all-or-nothing", "--min-confidence works only at 1.0",
                 "pipeline/restore/assembly.py",
                 "if new != t.core and conf < min_confidence:",
                 "if new != t.core and min_confidence >= 1.0:",
                 ("tests/restore/test_restorer.py",)),
        Mutation("batch-unsure-default", "the default keeps every token the model is < 95 % "
                 "sure of (batch output half restored)", "pipeline/options.py",
                 "min_confidence: float = 0.0", "min_confidence: float = 0.95",
                 ("tests/batch/test_batch_model.py",)),
        Mutation("dictionary-no-op", "the dictionary pass returns the restored text",
                 "pipeline/lexicon/line_pass.py",
                 "    return LinePass(gazetteer).fix_lines(",
                 "    return list(restored_lines), []\n    return LinePass(gazetteer).fix_lines(",
                 ("tests/lexicon/test_gazetteer.py",)),
        Mutation("user-setup-isolated", "a user's names.txt, VNOCR_MODEL and HOME, with the "
                 "isolation fixture: must change nothing", "tests/conftest.py", "", "",
                 ("tests/test_appendix_snapshot.py", "tests/test_end_to_end.py",
                  "tests/test_environment_isolation.py"), env, expect_caught=False),
        Mutation("user-setup-leaks", "the same set-up without the isolation fixture",
                 "tests/conftest.py", "@pytest.fixture(scope=\"session\", autouse=True)",
                 "@pytest.fixture(scope=\"session\")",
                 ("tests/test_appendix_snapshot.py", "tests/test_end_to_end.py",
                  "tests/test_environment_isolation.py"), env),
    ]


def copy_repository(dest: Path) -> Path:
    """The repository's files (not ignored ones) under `dest/repo`, `models/` linked, and
    `dest/import/vnocr` pointing at the copy's `pipeline/`."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    repo = dest / "repo"
    for rel in filter(None, files):
        if rel.startswith("models/") or not (ROOT / rel).is_file():
            continue
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, repo / rel)
    (repo / "models").symlink_to(ROOT / "models")
    (repo / "pipeline" / "models").symlink_to(ROOT / "models")
    (dest / "import").mkdir()
    (dest / "import" / "vnocr").symlink_to(repo / "pipeline")
    return repo


def run_tests(repo: Path, tests: tuple[str, ...], env: dict[str, str]) -> tuple[int, list[str], float]:
    """pytest on `tests` in the copy: exit code, failed test ids, seconds."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider", *tests],
        cwd=repo, env=env, capture_output=True, text=True, check=False)
    failed = re.findall(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", proc.stdout, re.MULTILINE)
    return proc.returncode, failed, time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", help="mutation names to run (default: all)")
    ap.add_argument("--markdown", action="store_true", help="print the result as a table")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="vnocr-mutation-") as tmp_name:
        tmp = Path(tmp_name)
        repo = copy_repository(tmp)
        base_env = {**os.environ, "PYTHONPATH": str(tmp / "import")}
        where = subprocess.run([sys.executable, "-c", "import vnocr; print(vnocr.__file__)"],
                               cwd=repo, env=base_env, capture_output=True, text=True,
                               check=True).stdout.strip()
        if not where.startswith(str(tmp)):
            sys.exit(f"vnocr imports from {where}, not from the copy: stopped")
        chosen = [m for m in mutations(tmp) if not args.only or m.name in args.only]
        all_tests = tuple(sorted({t for m in chosen for t in m.tests}))
        code, failed, secs = run_tests(repo, all_tests, base_env)
        if code != 0:
            sys.exit(f"the unmutated copy fails {failed or code}: fix the suite first")
        print(f"unmutated: {' '.join(all_tests)} pass ({secs:.0f} s)", file=sys.stderr)
        rows, ok = [], True
        for m in chosen:
            target = repo / m.path
            original = target.read_text(encoding="utf-8")
            if m.old and original.count(m.old) != 1:
                sys.exit(f"{m.name}: {m.old!r} occurs {original.count(m.old)} times in {m.path}")
            try:
                target.write_text(original.replace(m.old, m.new), encoding="utf-8")
                code, failed, secs = run_tests(repo, m.tests, {**base_env, **m.env})
            finally:
                target.write_text(original, encoding="utf-8")
            caught = code != 0
            ok &= caught == m.expect_caught
            verdict = ("caught" if caught else "escaped") if m.expect_caught else (
                "passes, as it must" if not caught else "FAILS")
            print(f"{m.name}: {verdict} ({len(failed)} failed, {secs:.0f} s)", file=sys.stderr)
            rows.append((m, verdict, failed))
    if args.markdown:
        print("| mutation | regression | file | verdict | failing tests |")
        print("|---|---|---|---|---|")
        for m, verdict, failed in rows:
            names = "<br>".join(f"`{f}`" for f in failed[:6]) + (
                f"<br>… {len(failed) - 6} more" if len(failed) > 6 else "")
            print(f"| {m.name} | {m.what} | `{m.path}` | {verdict} | {names or '—'} |")
    else:
        for m, verdict, failed in rows:
            print(f"{m.name}: {verdict}: {', '.join(failed) or '-'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
