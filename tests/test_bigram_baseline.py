"""The bigram baseline of scripts/benchmark.py (scripts/bigram_baseline.py), on the
shipped model's counts: it restores the obvious and never crashes on odd input."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from vnocr.text import strip_marks

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bigram_baseline.py"


@pytest.fixture(scope="module")
def baseline():
    spec = importlib.util.spec_from_file_location("vnocr_bigram_baseline", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod.BigramBaseline.from_model_dir()


def test_restores_an_obvious_sentence(baseline):
    assert baseline.restore_line("Toi di hoc o Ha Noi.") == "Tôi đi học ở Hà Nội."


def test_keeps_spacing_punctuation_case_and_unknown_tokens(baseline):
    line = '  "Nguoi dan"  noi: 123/KH, ASEAN ... UBND TINH Son La!'
    out = baseline.restore_line(line)
    assert strip_marks(out) == line  # only marks change, token for token
    assert out.startswith('  "Người dân"  n') and ": 123/KH, ASEAN ... " in out
    assert out.endswith("UBND TỈNH Sơn La!")


def test_empty_and_coreless_input(baseline):
    assert baseline.restore_lines([]) == []
    assert baseline.restore_lines(["", "   ", "... !", "-"]) == ["", "   ", "... !", "-"]


def test_sentence_end_restarts_the_context(baseline):
    """Each sentence reads as it would alone: the path through the first sentence's best
    end goes on."""
    first, second = "Toi di hoc.", "Ha Noi dep lam"
    alone = [baseline.restore_line(first), baseline.restore_line(second)]
    assert baseline.restore_line(f"{first} {second}") == " ".join(alone)
