"""The prebuilt gazetteer index: current, and the same tables as building them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from vnocr.lexicon import fix_names
from vnocr.lexicon import gazetteer as gazetteer_module
from vnocr.lexicon.gazetteer import _PHRASE, Gazetteer, build_shipped
from vnocr.lexicon.index import (
    INDEX_FILE,
    LazyMapping,
    fingerprint,
    read_index,
    write_index,
)
from vnocr.lexicon.sources import DATA_DIR, Name
from vnocr.lexicon.user_overlay import Overlay
from vnocr.text import span_key


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
    for field in ("by_lower", "by_key", "wild", "by_fold", "dropped"):
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
    assert fix_names(fast, lines, restored) == fix_names(built, lines, restored)


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


def _user_names(built: Gazetteer) -> list[Name]:
    """User entries that touch each merge rule of Gazetteer.__init__."""
    def user(text: str, weight: float = 100.0, source: str = "user:a.txt") -> Name:
        return Name(text, span_key(text), weight, (source,), frozenset())

    dropped = next(low for low, nm in built.dropped.items() if nm.is_admin_unit)
    kept_plain = next(nm for low, nm in built.by_lower.items()
                      if nm.key == low and " " in low and nm.weight < 50 and "a" in nm.text
                      and all(o.key == o.text.lower() for o in built.by_key[nm.key]
                              if o.sources is not _PHRASE))
    marked = kept_plain.text.replace("a", "á", 1)
    assert span_key(marked) == kept_plain.key and marked != kept_plain.text
    phrase = next(p for p in sorted(built.phrases) if " " in p and p not in built.by_lower)
    return [
        user("Lò Văn Mười"),                       # a new name
        user("Lò Văn Mười", 7.0, "user:b.tsv"),    # the same from a second list: weights add
        user("Chiềng sinh"),                       # a shipped spelling: the user's case wins
        user(dropped.title()),                      # an unmarked unit that had gone comes back
        user(marked),                               # a marked spelling: the unmarked one goes
        user(phrase.title()),                       # a name where a phrase was
        user("Son La", 3.0),                        # unmarked, a marked name more frequent: stays
    ]


def test_user_names_over_the_index_give_the_tables_a_full_build_gives(built, shipped_tables):
    names = _user_names(built)
    want = build_shipped(names)
    got = Gazetteer.from_tables(shipped_tables, user_names=names)
    assert set(got.by_lower) == set(want.by_lower) and len(got) == len(want)
    assert all(got.by_lower[k] == want.by_lower[k] for k in want.by_lower)
    assert set(got.by_key) == set(want.by_key)
    assert all(sorted(got.by_key[k], key=repr) == sorted(want.by_key[k], key=repr)
               for k in want.by_key)  # (the merge order aside)
    for field in ("wild", "by_fold"):
        a, b = getattr(got, field), getattr(want, field)
        assert set(a) == set(b) and all(set(a[k]) == set(b[k]) for k in b), field
    assert got.unmarked_units == want.unmarked_units
    assert sorted(got.user_names) == sorted(want.user_names)
    # each rule was exercised
    assert want.by_lower["lò văn mười"].weight == 107.0
    assert want.by_lower["chiềng sinh"].text == "Chiềng sinh"
    assert names[4].text.lower() in want.by_lower and names[4].key not in want.by_lower
    lines = ["ong Lo Van Muoi o Chieng Sinh", "xa Chieng Sinh, tinh Son La"]
    assert fix_names(got, lines, lines) == fix_names(want, lines, lines)


def test_overlay_replaces_adds_and_hides_keys():
    m = Overlay({"a": 1, "b": 2, "c": 3}, {"b": 20, "d": 4}, {"c", "d"})
    assert list(m) == ["a", "b", "d"] and len(m) == 3
    assert m["b"] == 20 and m["d"] == 4 and m.get("c") is None and "c" not in m
    with pytest.raises(KeyError):
        m["c"]
