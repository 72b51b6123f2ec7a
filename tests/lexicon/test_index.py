"""The prebuilt gazetteer index: current, and the same tables as building them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pipeline.lexicon import gazetteer as gazetteer_module
from pipeline.lexicon.gazetteer import _PHRASE, Gazetteer, build_shipped
from pipeline.lexicon.index import (
    INDEX_FILE,
    LazyMapping,
    fingerprint,
    read_index,
    write_index,
)
from pipeline.lexicon.sources import DATA_DIR


@pytest.fixture(scope="module")
def built() -> Gazetteer:
    return build_shipped()


@pytest.fixture(scope="module")
def shipped_tables():
    tables = read_index(DATA_DIR / INDEX_FILE, fingerprint(), _PHRASE)
    assert tables is not None, "stale index: run scripts/build_gazetteer_index.py"
    return tables


def test_shipped_index_holds_what_the_data_files_build(built, shipped_tables):
    want = built.tables()
    for field in ("syllables", "syllable_keys", "phrases", "collocations", "unmarked_units"):
        assert getattr(shipped_tables, field) == getattr(want, field), field
    for field in ("by_lower", "by_key", "wild", "by_fold"):
        got, expected = getattr(shipped_tables, field), getattr(want, field)
        assert list(got) == list(expected), field
        assert all(got[k] == expected[k] for k in expected), field
    phrases = [nm for names in shipped_tables.by_key.values() for nm in names
               if nm.sources == _PHRASE]
    assert phrases and all(nm.sources is _PHRASE for nm in phrases)


def test_both_ways_decide_alike(built, shipped_tables):
    fast = Gazetteer.from_tables(shipped_tables, ocr_channel=built.ocr_channel)
    lines = ["Thoat lu Chieng Sinh ve suoi", "tuyến đường T6 Hiéu, phường Chiéng Lé",
             "Ho ban Mong da xong", "Tinh Son La va tinh Hua Phan (Lao)"]
    restored = ["Thoát lũ Chiêng Sinh về suối", "tuyến đường T6 Hiéu, phường Chiềng Lé",
                "Hồ bản Mong đã xong", "Tỉnh Sơn La và tỉnh Hủa Phăn (Lào)"]
    assert fast.fix_lines(lines, restored) == built.fix_lines(lines, restored)


def test_an_index_of_other_data_is_not_used(tmp_path: Path, built, caplog, monkeypatch):
    path = tmp_path / INDEX_FILE
    write_index(built.tables(), path, "another fingerprint", _PHRASE)
    assert read_index(path, fingerprint(), _PHRASE) is None
    assert read_index(tmp_path / "missing.gz", fingerprint(), _PHRASE) is None
    # the loader then builds the tables itself, and says so
    monkeypatch.setattr(gazetteer_module, "DATA_DIR", tmp_path)
    gazetteer_module._load.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            gaz = gazetteer_module._load((), None)
        assert "stale" in caplog.text and len(gaz) == len(built)
    finally:
        gazetteer_module._load.cache_clear()


def test_lazy_mapping_parses_once_and_behaves_like_a_dict():
    calls = []

    def parse(v: str) -> int:
        calls.append(v)
        return int(v) * 2

    m = LazyMapping({"a": "1", "b": "2"}, parse)
    assert "a" in m and "c" not in m and len(m) == 2 and list(m) == ["a", "b"]
    assert m["a"] == 2 and m.get("a") == 2 and m.get("c") is None and m.get("c", 0) == 0
    assert calls == ["1"]
    with pytest.raises(KeyError):
        m["c"]
    assert dict(m.items()) == {"a": 2, "b": 4}
