"""scripts/tune_decoder.py: the held-out tuning text is none of the counted, trained or
measured text, and the reference guard rejects a setting that loses on any set."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from vnocr.data.corpus import split_of

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


@pytest.fixture
def tune(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPTS))
    return importlib.import_module("tune_decoder")


def test_tuning_half_is_half_of_the_test_split(tune):
    paragraphs = [f"Đoạn văn số {i} của bộ kiểm tra." for i in range(20000)]
    tuning = [p for p in paragraphs if tune.in_tuning_half(p)]
    tests = [p for p in paragraphs if split_of(p) == "test"]
    assert all(split_of(p) == "test" for p in tuning)
    assert 0.35 < len(tuning) / len(tests) < 0.65


def test_reference_guard_rejects_a_loss_on_any_set(tune):
    reference = {"strip": 0.020, "partial": 0.015, "eng": 0.035}
    trade = {"strip": 0.018, "partial": 0.015, "eng": 0.036}  # lower sum, eng worse
    assert sum(trade.values()) < sum(reference.values())
    assert tune.objective("plain", trade, {}, reference) > sum(reference.values())
    within_slack = {"strip": 0.020, "partial": 0.015, "eng": 0.035 + tune.REFERENCE_SLACK / 2}
    assert tune.objective("plain", within_slack, {}, reference) == sum(within_slack.values())
    assert tune.objective("plain", trade, {}) == sum(trade.values())


def test_eng_ocr_weights_are_written_as_overrides_on_plain(tune):
    from types import SimpleNamespace

    plain = dict(tune.DEFAULT_PARAMS["plain"])
    eng = {**plain, "conf_unsure": plain["conf_unsure"] + 1.5}
    r = SimpleNamespace(params={"plain": plain, "accented": dict(tune.DEFAULT_PARAMS["accented"]),
                                tune.ENG_OCR: eng})
    written = tune.written_weights(r)
    assert written[tune.ENG_OCR] == {"conf_unsure": plain["conf_unsure"] + 1.5}
    assert written["plain"] == plain
    r.params[tune.ENG_OCR] = dict(plain)  # nothing differs: no eng-OCR entry at all
    assert tune.ENG_OCR not in tune.written_weights(r)
