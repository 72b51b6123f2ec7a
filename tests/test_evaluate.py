"""Metrics on hand-computed cases, and `vnocr eval` on files and directories."""

from __future__ import annotations

import json
import math
import sys
import unicodedata
from pathlib import Path

import pytest

from vnocr.cli import main
from vnocr.errors import InputError
from vnocr.evaluate import (
    Scores,
    align_syllables,
    cer,
    char_errors,
    der,
    evaluate_paths,
    graphemes,
    ser,
    syllable_breakdown,
    syllable_errors,
)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# -- metric values --------------------------------------------------------------------


def test_tone_placement_variants_score_the_same():
    # hoá (new style) against hóa (old style): one convention after folding.
    assert cer("hoá", "hóa") == (0.0, 3)
    assert ser("hoá học, thuỷ lợi", "Hóa học thủy lợi") == (0.25, 4)  # only the case of H
    assert ser("hoá học, thuỷ lợi", "Hóa học thủy lợi", ignore_case=True) == (0.0, 4)
    assert ser("khoẻ", "khỏe") == (0.0, 1)


def test_nfd_input_equals_nfc():
    gold = "Tiếng Việt có dấu"
    assert cer(nfd(gold), gold) == (0.0, len(gold))
    assert ser(nfd(gold), gold) == (0.0, 4)
    # Truth in NFD counts graphemes, not code points: 17 characters either way.
    assert char_errors("", nfd(gold)) == (17, 17)


def test_missing_marks_hand_computed():
    # Two letters wrong (ê→e, ệ→e) out of 10 characters; both syllables wrong, for marks.
    assert cer("tieng Viet", "tiếng Việt") == (0.2, 10)
    assert ser("tieng Viet", "tiếng Việt") == (1.0, 2)
    assert der("tieng Viet", "tiếng Việt") == (1.0, 2)


def test_case_insensitive_ser():
    assert ser("HÀ NỘI ngày", "Hà Nội ngày") == (2 / 3, 3)
    assert ser("HÀ NỘI ngày", "Hà Nội ngày", ignore_case=True) == (0.0, 3)


def test_whitespace_folded_for_cer_punctuation_ignored_for_ser():
    assert cer("a  b\n\t c ", "a b c") == (0.0, 5)
    assert ser("Hà Nội, ngày 5.", "Hà Nội ngày 5") == (0.0, 4)
    # CER sees the comma: one insertion over 11 characters.
    assert cer("Hà Nội, ngày", "Hà Nội ngày") == (1 / 11, 11)


def test_empty_truth():
    assert cer("", "") == (0.0, 0)
    assert ser("", "") == (0.0, 0)
    rate, n = cer("abc", "")
    assert n == 0 and math.isinf(rate)
    rate, n = ser("một", "")
    assert n == 0 and math.isinf(rate)
    # Empty prediction against real truth: every syllable missed.
    assert ser("", "một hai") == (1.0, 2)


def test_grapheme_clusters_count_once():
    # x + combining acute has no precomposed form: one grapheme, two code points.
    assert graphemes("x\u0301y") == ["x\u0301", "y"]
    assert char_errors("y", "x\u0301") == (1, 1)  # one substitution, not two edits
    assert char_errors("x\u0301y", "x\u0301y") == (0, 2)


def test_breakdown_by_kind():
    # Diagonal alignment is the only optimal one: no token repeats at a shift.
    b = syllable_breakdown("Tôi Đi hoc xe", "tôi đi học nhà")
    assert b == {"case": 2, "diacritic": 1, "other": 1, "insert": 0, "delete": 0, "n": 4}
    assert syllable_breakdown("tôi đi học thêm", "tôi đi học")["insert"] == 1
    assert syllable_breakdown("tôi học", "tôi đi học")["delete"] == 1
    # Upper case without marks is still a diacritic error (letters right, marks wrong).
    assert syllable_breakdown("HOC", "học")["diacritic"] == 1


def test_alignment_yields_gaps_and_matches_error_count():
    pairs = list(align_syllables("tôi học thêm", "tôi đi học"))
    assert ("tôi", "tôi", "ok") in pairs
    assert ("đi", None, "delete") in pairs
    assert (None, "thêm", "insert") in pairs
    errors = sum(k != "ok" for _, _, k in pairs)
    assert errors == syllable_errors("tôi học thêm", "tôi đi học")[0] == 2


def test_scores_are_weighted_by_truth_length():
    s = Scores()
    s.add("a b", "a c")  # 1 error / 2
    s.add("x", "x y z")  # 2 errors / 3
    assert s.syllables == 5 and s.syl_err == 3
    assert s.ser == pytest.approx(0.6)  # not the mean of 0.5 and 0.667
    other = Scores()
    other.add("Hoc", "học")
    s.merge(other)
    assert (s.syl_err, s.syl_err_diacritic, s.syllables, s.pairs) == (4, 1, 6, 3)
    assert s.as_json()["der"] == pytest.approx(1 / 6, abs=1e-6)


def test_empty_truth_json_is_null():
    s = Scores()
    s.add("x", "")
    assert math.isinf(s.cer)
    assert s.as_json()["cer"] is None and s.as_json()["char_errors"] == 1


# -- files and directories ------------------------------------------------------------


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    pred, gold = tmp_path / "pred", tmp_path / "gold"
    (pred / "sub").mkdir(parents=True)
    (gold / "sub").mkdir(parents=True)
    (pred / "a.txt").write_text("tieng Viet\n", encoding="utf-8")
    (gold / "a.txt").write_text("tiếng Việt\n", encoding="utf-8")
    (pred / "sub" / "b.txt").write_text(nfd("hoá học"), encoding="utf-8")
    (gold / "sub" / "b.gt.txt").write_text("\ufeffhóa học\r\n", encoding="utf-8")
    (pred / "extra.txt").write_text("x", encoding="utf-8")
    (gold / "missing.txt").write_text("y", encoding="utf-8")
    (gold / "scan.jpg").write_bytes(b"\xff\xd8")  # not text: ignored
    return pred, gold


def test_evaluate_paths_matches_by_relative_path(tmp_path):
    pred, gold = _tree(tmp_path)
    r = evaluate_paths(pred, gold)
    assert [f.name for f in r.files] == ["a.txt", "sub/b.txt"]
    assert r.only_pred == ["extra.txt"] and r.only_gold == ["missing.txt"]
    assert r.total.syllables == 4 and r.total.syl_err == 2
    assert r.files[1].scores.syl_err == 0  # NFD, new tone style, BOM and CRLF all folded


def test_cli_eval_directories_json(tmp_path, capsys):
    pred, gold = _tree(tmp_path)
    html = tmp_path / "eval.html"
    assert main(["eval", str(pred), str(gold), "--json", "--html", str(html)]) == 0
    out, err = capsys.readouterr()
    d = json.loads(out)
    assert d["total"]["files"] == 2
    assert d["total"]["ser"] == 0.5 and d["total"]["syllables"] == 4
    assert d["total"]["der"] == 0.5
    assert d["total"]["cer"] == pytest.approx(2 / 17, abs=1e-6)
    assert {f["name"]: f["ser"] for f in d["files"]} == {"a.txt": 1.0, "sub/b.txt": 0.0}
    assert d["only_pred"] == ["extra.txt"] and d["only_gold"] == ["missing.txt"]
    assert "without a partner" in err
    assert {"gold": "tiếng", "pred": "tieng", "kind": "diacritic", "count": 1} in d["confusions"]
    assert len(d["confusions"]) == 2
    page = html.read_text(encoding="utf-8")
    assert "sub/b.txt" in page and "<rt>tiếng</rt>" in page


def test_cli_eval_two_files_table(tmp_path, capsys):
    p, g = tmp_path / "p.txt", tmp_path / "g.txt"
    p.write_text("Toi di hoc\n", encoding="utf-8")
    g.write_text("Tôi đi học\n", encoding="utf-8")
    assert main(["eval", str(p), str(g)]) == 0
    out = capsys.readouterr().out
    header, _, row = out.splitlines()[:3]
    assert header.split() == ["file", "SER", "SER-nocase", "CER", "DER", "syllables", "chars"]
    assert row.split() == ["p.txt", "100.00%", "100.00%", "30.00%", "100.00%", "3", "10"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "no such file"),
        ("latin1", "not UTF-8"),
        ("mixed", "give two of a kind"),
        ("nomatch", "no matching .txt files"),
    ],
)
def test_cli_eval_bad_input_exit_3(tmp_path, capsys, setup, message):
    g = tmp_path / "g.txt"
    g.write_text("một", encoding="utf-8")
    p = tmp_path / "p.txt"
    if setup == "latin1":
        p.write_bytes("một".encode("utf-16"))
    elif setup == "mixed":
        p = tmp_path / "dir"
        p.mkdir()
    elif setup == "nomatch":
        p, g = tmp_path / "d1", tmp_path / "d2"
        p.mkdir()
        g.mkdir()
        (p / "a.txt").write_text("x", encoding="utf-8")
        (g / "b.txt").write_text("x", encoding="utf-8")
    assert main(["eval", str(p), str(g)]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vnocr: error:") and message in lines[0]


def test_evaluate_paths_raises_input_error(tmp_path):
    with pytest.raises(InputError):
        evaluate_paths(tmp_path / "nope.txt", tmp_path / "nope2.txt")


# -- the benchmark script's structure (no model, no OCR: the "input" peer only) --------


def _benchmark():
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "scripts" / "benchmark.py"
    spec = importlib.util.spec_from_file_location("vnocr_benchmark", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


def test_benchmark_spread_takes_evenly_spaced_items():
    bm = _benchmark()
    assert bm.spread(list(range(10)), 5) == [0, 2, 4, 6, 8]
    assert bm.spread(list(range(3)), 10) == [0, 1, 2]
    assert bm.spread(list(range(3)), None) == [0, 1, 2]


def test_benchmark_scores_a_regime_and_renders_the_table(tmp_path):
    import gzip

    bm = _benchmark()
    dev = tmp_path / "dev"
    dev.mkdir()
    with gzip.open(dev / "strip.tsv.gz", "wt", encoding="utf-8") as f:
        f.write("Toi di hoc\tTôi đi học\tadmin\n")
        f.write("Ha Noi\tHà Nội\tnews\n")
        f.write("broken row without truth\n")
    regime = bm.REGIMES["stripped"]
    r = bm.run_system(regime, "input", dev_dir=dev, samples=tmp_path, limit=None, runs=1)
    assert r["n"] == 2 and r["amount"] == 5
    assert r["scores"]["ser"] == 1.0 and r["scores"]["der"] == 1.0
    assert r["by_source"]["admin"]["syllables"] == 3 and r["by_source"]["news"]["n"] == 1
    missing = bm.run_system(
        bm.REGIMES["eng-ocr"], "input", dev_dir=dev, samples=tmp_path, limit=None, runs=1
    )
    assert "not built yet" in missing["error"]
    meta = {"command": "c", "date": "d", "commit": "x", "machine": "m", "notes": "n"}
    table = bm.markdown(
        [(regime, "input", r), (bm.REGIMES["eng-ocr"], "vnocr", missing)], meta
    ).splitlines()
    rows = [line for line in table if line.startswith(("| stripped", "| eng"))]
    assert len(rows) == 2
    assert "| 100.00 % |" in rows[0] and "2 lines" in rows[0]
    assert rows[1].endswith("not built yet |") and rows[1].count("|") == rows[0].count("|")
    assert "| input as is | 100.00 % | 100.00 % |" in table  # SER by source: admin, news


def test_benchmark_rewrites_only_the_readme_block(tmp_path):
    """The README's results table comes from the same rows as docs/benchmarks.md."""
    bm = _benchmark()
    regime = bm.REGIMES["stripped"]
    scored = {"n": 2, "unit": "lines", "amount": 5, "seconds": 1.0,
              "scores": {"ser": 0.5}, "by_source": {}}
    vnocr_row = dict(scored, scores={"ser": 0.025})
    meta = {"command": "c", "date": "d", "commit": "x", "machine": "m", "notes": "n"}
    summary = bm.readme_summary([(regime, "input", scored), (regime, "vnocr", vnocr_row)], meta)
    assert "50.00 %" in summary and "**2.50 %**" in summary
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{bm.README_START}\nold table\n{bm.README_END}\noutro\n")
    assert bm.update_readme(readme, summary)
    text = readme.read_text()
    assert "old table" not in text and summary in text
    assert text.startswith("intro\n") and text.endswith(f"{bm.README_END}\noutro\n")
    unmarked = tmp_path / "OTHER.md"
    unmarked.write_text("no markers\n")
    assert not bm.update_readme(unmarked, summary)
    assert unmarked.read_text() == "no markers\n"


def test_benchmark_writes_only_its_part_of_the_benchmarks_file(tmp_path):
    """Sections other scripts measure (encodings, review calibration) survive a run."""
    bm = _benchmark()
    doc = tmp_path / "benchmarks.md"
    assert bm.write_benchmarks(doc, "# table one")  # a new file gets the markers
    doc.write_text(doc.read_text() + "\n## Legacy encodings\n\nhand-written\n")
    assert bm.write_benchmarks(doc, "# table two")
    text = doc.read_text()
    assert "table one" not in text and "# table two" in text
    assert text.endswith("## Legacy encodings\n\nhand-written\n")
    unmarked = tmp_path / "old.md"
    unmarked.write_text("# old table\n\n## Hand-written\n")
    assert not bm.write_benchmarks(unmarked, "# table three")
    assert unmarked.read_text() == "# old table\n\n## Hand-written\n"
