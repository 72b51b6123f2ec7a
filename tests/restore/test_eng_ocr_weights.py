"""The eng-OCR weight set: `decode_weights["eng_ocr"]` in a model's config overrides
plain's weights for Vietnamese read by Tesseract's English model, and for nothing else
(stripped and partly typed text keep plain's)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from vnocr.errors import ModelLoadError
from vnocr.options import DEFAULT_MODEL_DIR
from vnocr.restore import Restorer
from vnocr.restore.network import CONFIG_FILE
from vnocr.restore.restorer import ENG_OCR
from vnocr.text import tokenize

# Eng-OCR debris (marks on no syllable, digits in words) in over 6 % of 20+ words.
ENG_LINES = ["Pang bo thanh phé Son La d3 dat dugc nhiéu thanh tich trong nam qua"] * 3
# The same words typed without marks: plain, not eng-OCR.
PLAIN_LINES = ["Dang bo thanh pho Son La da dat duoc nhieu thanh tich trong nam qua"] * 3


def facts_of(restorer: Restorer, lines: list[str]):
    return restorer.facts(lines, [tokenize(line) for line in lines], None)


def with_weights(tmp_path: Path, decode_weights: dict) -> Path:
    """The shipped model folder with `decode_weights` in its config (files linked)."""
    folder = tmp_path / "model"
    folder.mkdir()
    for f in Path(DEFAULT_MODEL_DIR).iterdir():
        if f.name != CONFIG_FILE and f.is_file():
            (folder / f.name).symlink_to(f)
    config = json.loads((Path(DEFAULT_MODEL_DIR) / CONFIG_FILE).read_text(encoding="utf-8"))
    config["decode_weights"] = decode_weights
    (folder / CONFIG_FILE).write_text(json.dumps(config), encoding="utf-8")
    return folder


def test_the_test_lines_are_eng_ocr_and_plain(restorer):
    assert facts_of(restorer, ENG_LINES).eng_ocr
    plain = facts_of(restorer, PLAIN_LINES)
    assert plain.regime == "plain" and not plain.eng_ocr


def test_eng_ocr_weights_are_read_from_config_as_overrides_on_plain(tmp_path):
    shipped = json.loads((Path(DEFAULT_MODEL_DIR) / CONFIG_FILE).read_text(encoding="utf-8"))
    weights = {k: dict(v) for k, v in shipped["decode_weights"].items() if k != ENG_OCR}
    plain_copy = weights["plain"].get("copy_word", -1.5)
    weights[ENG_OCR] = {"copy_word": plain_copy - 1.0, "w_lm": 0.75}
    r = Restorer.from_pretrained(with_weights(tmp_path, weights))
    assert r.params[ENG_OCR]["copy_word"] == plain_copy - 1.0
    assert r.params[ENG_OCR]["w_lm"] == 0.75
    assert r.params["plain"]["copy_word"] == plain_copy  # plain keeps its own
    others = set(r.params["plain"]) - {"copy_word", "w_lm"}
    assert all(r.params[ENG_OCR][k] == r.params["plain"][k] for k in others)


def test_an_unknown_eng_ocr_weight_is_a_load_error(tmp_path):
    with pytest.raises(ModelLoadError, match="no_such_weight"):
        Restorer.from_pretrained(with_weights(tmp_path, {ENG_OCR: {"no_such_weight": 1.0}}))


@contextmanager
def weights_kept(restorer: Restorer) -> Iterator[None]:
    """Put every weight and the eng-OCR overrides back as they were (the restorer is the
    session's), in place: the candidate generators hold the same dicts."""
    params = {k: dict(v) for k, v in restorer.params.items()}
    overrides = dict(restorer.eng_ocr_overrides)
    try:
        yield
    finally:
        for k, v in params.items():
            restorer.params[k].clear()
            restorer.params[k].update(v)
            restorer.generators[k].forget()
        restorer.eng_ocr_overrides.clear()
        restorer.eng_ocr_overrides.update(overrides)


def weights_used(restorer: Restorer, monkeypatch, lines: list[str]) -> tuple[list[str], set]:
    """The restored lines and the ids of the weight dicts the search was given."""
    used: set[int] = set()
    decode_all = Restorer._decode_all.__get__(restorer)

    def spy(streams, p):
        used.add(id(p))
        return decode_all(streams, p)

    monkeypatch.setattr(restorer, "_decode_all", spy)
    texts = [x.text for x in restorer.restore(lines)]
    monkeypatch.undo()
    return texts, used


def test_eng_ocr_weights_decode_eng_ocr_text_only(restorer, monkeypatch):
    eng_before, eng_used = weights_used(restorer, monkeypatch, ENG_LINES)
    plain_before, plain_used = weights_used(restorer, monkeypatch, PLAIN_LINES)
    assert eng_used == {id(restorer.params[ENG_OCR])}
    assert plain_used == {id(restorer.params["plain"])}
    with weights_kept(restorer):
        # every word copied as it was read: eng-OCR debris stays debris
        restorer.set_param(ENG_OCR, "copy_debris", 50.0)
        restorer.set_param(ENG_OCR, "copy_word", 50.0)
        eng, _ = weights_used(restorer, monkeypatch, ENG_LINES)
        plain, _ = weights_used(restorer, monkeypatch, PLAIN_LINES)
    assert eng != eng_before
    assert plain == plain_before


def test_a_plain_weight_reaches_eng_ocr_text_unless_overridden(restorer):
    name = "unk_lm"
    old = restorer.params["plain"][name]
    with weights_kept(restorer):
        restorer.eng_ocr_overrides.pop(name, None)
        restorer.set_param("plain", name, old - 1.0)
        assert restorer.params[ENG_OCR][name] == old - 1.0
        restorer.set_param(ENG_OCR, name, old + 1.0)
        restorer.set_param("plain", name, old - 2.0)
        assert restorer.params[ENG_OCR][name] == old + 1.0
    assert restorer.params["plain"][name] == old
