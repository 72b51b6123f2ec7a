"""Noise sampling: 1:1 tokens, seeded, strip removes every mark, learned tables behave like
the OCR they were learned from (eng wrecks marks, vie mostly keeps them)."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnocr.data.noise import (
    NoiseModel,
    corrupt_line,
    corrupt_mixed,
    corrupt_tokens,
)
from vnocr.errors import BadOptionsError
from vnocr.text import strip_marks, strip_tone

LINE = (
    "Đảng bộ, chính quyền, nhân dân các dân tộc thành phố Sơn La đã nỗ lực thực hiện "
    "10 Đề án và 03 khâu đột phá; đều đạt được những kết quả tích cực (QL6, 3.455 ha)."
)
TOKENS = LINE.split()
REGIMES = ["strip", "partial", "eng", "vie"]

vi_words = st.lists(
    st.text(
        alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọ"
        "ồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐÂÊƯƠ0123456789.,;:()-“”",
        min_size=1,
        max_size=8,
    ),
    min_size=0,
    max_size=30,
)


@pytest.mark.parametrize("regime", REGIMES)
@settings(max_examples=40, deadline=None)
@given(words=vi_words, seed=st.integers(0, 2**16))
def test_corrupt_tokens_is_one_to_one(regime, words, seed):
    out = corrupt_tokens(words, regime, random.Random(seed))
    assert len(out) == len(words)
    assert all(tok and not any(c.isspace() for c in tok) for tok in out)


@pytest.mark.parametrize("regime", REGIMES)
def test_same_seed_same_noise(regime):
    a = [corrupt_line(LINE, regime, random.Random(5)) for _ in range(3)]
    b = corrupt_tokens(TOKENS, regime, random.Random(9))
    assert len(set(a)) == 1
    assert b == corrupt_tokens(TOKENS, regime, random.Random(9))
    if regime != "strip":
        outs = {corrupt_line(LINE, regime, random.Random(s)) for s in range(10)}
        assert len(outs) > 1


def test_strip_removes_every_mark():
    out = " ".join(corrupt_tokens(TOKENS, "strip", random.Random(0)))
    assert not any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", out))
    assert "đ" not in out.lower()
    assert (
        out == "Dang bo, chinh quyen, nhan dan cac dan toc thanh pho Son La da no luc "
        "thuc hien 10 De an va 03 khau dot pha; deu dat duoc nhung ket qua tich cuc "
        "(QL6, 3.455 ha)."
    )


def test_partial_keeps_some_words_and_strips_others():
    rng = random.Random(1)
    kept = stripped = 0
    for _ in range(50):
        out = corrupt_tokens(TOKENS, "partial", rng)
        for t, o in zip(TOKENS, out, strict=True):
            assert o in (t, strip_marks(t), strip_tone(t))
            if strip_marks(t) != t:
                kept += o == t
                stripped += o == strip_marks(t)
    assert kept > 100 and stripped > 100
    everything = corrupt_tokens(TOKENS, "partial", rng, rate=1.0)
    assert all(o in (strip_marks(t), strip_tone(t)) for t, o in zip(TOKENS, everything))


def test_rate_forces_changes_in_ocr_regimes():
    rng = random.Random(2)
    words = [t for t in TOKENS if any(c.isalpha() for c in t)]
    for regime in ("eng", "vie"):
        assert corrupt_tokens(words, regime, rng, rate=0.0) == words
        forced = corrupt_tokens(words, regime, rng, rate=1.0)
        assert all(o != t for t, o in zip(words, forced, strict=True))


def _syllable_change_rate(regime: str) -> float:
    rng = random.Random(3)
    changed = total = 0
    for _ in range(200):
        out = corrupt_tokens(TOKENS, regime, rng)
        changed += sum(o != t for t, o in zip(TOKENS, out, strict=True))
        total += len(TOKENS)
    return changed / total


def test_learned_tables_look_like_their_ocr():
    eng, vie = _syllable_change_rate("eng"), _syllable_change_rate("vie")
    # Tesseract eng cannot write most marked letters; vie reads them mostly right.
    assert eng > 0.35
    assert vie < 0.15
    assert eng > 3 * vie
    model = NoiseModel.load("eng")
    assert model.chars["ệ"].p_same < 0.2
    assert NoiseModel.load("vie").chars["ệ"].p_same > 0.8


def test_line_noise_is_one_line_and_mixed_covers_regimes():
    rng = random.Random(4)
    outs = [corrupt_mixed(LINE, rng) for _ in range(100)]
    assert all("\n" not in o for o in outs)
    assert any(o == strip_marks(LINE) for o in outs)
    assert any(o != strip_marks(LINE) and o != LINE for o in outs)


def test_unknown_regime_is_refused():
    with pytest.raises(BadOptionsError):
        corrupt_tokens(TOKENS, "ocr", random.Random(0))
    with pytest.raises(BadOptionsError):
        NoiseModel.load("strip")


def test_tables_are_learned_from_aligned_pages(tmp_path):
    import json

    truth = ["kết quả của Đảng bộ", "những việc của huyện", "bảo đảm của dân"] * 2
    ocr = [
        {"text": t}
        for t in ["két qua cua Pang bo ~", "nhitng viéc cua huyén", ": bao dam cua dan"] * 2
    ]
    page = {"truth": truth, "sources": ["admin_docs"] * 6, "ocr": {"eng": ocr}}
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "00000.json").write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")
    from vnocr.data.noise_tables import build_tables_from_pages

    stats = build_tables_from_pages([pages], "eng", tmp_path / "noise")
    assert stats["lines"] == 6
    model = NoiseModel.load("eng", tmp_path / "noise")
    assert model.tokens["của"][0].items == ["cua"]  # seen 6 times, always "cua"
    assert model.events["ins_end"] == 2 and model.events["ins_start"] == 2
    assert dict(zip(model.n_end.items, model.n_end.cum, strict=True)) == {0: 4, 1: 6}
    assert dict(zip(model.chars["ữ"].items, model.chars["ữ"].cum, strict=True)) == {"it": 2}
    # No vie reading on the page: nothing to learn, an empty but valid table.
    assert build_tables_from_pages([pages], "vie", tmp_path / "noise")["lines"] == 0


def test_committed_dev_sets_are_aligned_and_from_the_dev_split():
    from vnocr.data.devsets import DEV_DIR, load_devset

    rows = load_devset("strip")
    assert len(rows) >= 2000
    by_src = {r.source for r in rows}
    assert {"legal_codes_vlc", "news_dantri_2021", "wiki_vi_2017"} <= by_src
    assert all(r.noisy == strip_marks(r.truth) for r in rows)
    assert all(5 <= len(r.truth.split()) <= 40 for r in rows)
    for name in ("eng", "vie_clean", "vie_photo"):
        if not (DEV_DIR / f"{name}.tsv.gz").exists():
            pytest.fail(f"samples/dev/{name}.tsv.gz missing: run scripts/make_devsets.py")
        assert len(load_devset(name)) >= 2000


def test_partially_typed_rows_keep_truth_and_drop_only_some_marks():
    from vnocr.data.devsets import load_devset, partially_typed_rows

    rows = load_devset("strip")[:300]
    typed = partially_typed_rows(rows)
    assert typed == partially_typed_rows(rows)  # seeded: the benchmarks see one typing
    assert [(t.truth, t.source) for t in typed] == [(r.truth, r.source) for r in rows]
    assert all(strip_marks(t.noisy) == strip_marks(t.truth) for t in typed)
    marked = sum(t.noisy != strip_marks(t.noisy) for t in typed)
    assert 0.5 * len(typed) < marked and sum(t.noisy != t.truth for t in typed) > 0.5 * len(typed)


@pytest.mark.parametrize("name", ["eng", "vie_mixed", "vie_clean", "vie_photo"])
def test_ocr_dev_sets_carry_one_confidence_per_ocr_word(name):
    from vnocr.data.devsets import load_confidences, load_devset

    rows, confs = load_devset(name), load_confidences(name)
    assert len(confs) == len(rows)
    rated = [(r, c) for r, c in zip(rows, confs) if c is not None]
    assert len(rated) >= 0.95 * len(rows)
    assert all(len(c) == len(r.noisy.split()) and all(0 <= x <= 1 for x in c) for r, c in rated)


def test_strip_dev_set_has_no_confidences():
    from vnocr.data.devsets import load_confidences
    from vnocr.errors import InputError

    with pytest.raises(InputError):
        load_confidences("strip")


def test_char_channel_prefers_the_syllable_ocr_reads_that_way():
    from vnocr.channel import char_channel

    channel = char_channel("eng")
    assert channel.logp("nhitng", "những") > channel.logp("nhitng", "nhưng")
    # An exact reading beats any substitution, deletion or insertion of it.
    assert channel.logp("thanh", "thanh") > max(
        channel.logp("thanb", "thanh"), channel.logp("than", "thanh"), channel.logp("thanhh", "thanh")
    )


def _reference_logp(outs: dict[str, list[tuple[str, float]]], seen: str, truth: str) -> float:
    """The channel's alignment written plainly: best[i][j] = best score of truth[:i]
    read as seen[:j]; moves: a learned output string of truth[i] (the empty one drops
    it), an unchanged character the table never saw, or any other edit at UNSEEN."""
    from vnocr.channel import UNSEEN

    n, m = len(truth), len(seen)
    best = [[-1e9] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for j in range(1, m + 1):
        best[0][j] = best[0][j - 1] + UNSEEN
    for i, t in enumerate(truth):
        learned = outs.get(t) or [(t, 0.0)]
        for j in range(m + 1):
            here = best[i][j]
            if here <= -1e9:
                continue
            for o, lp in learned:
                if seen.startswith(o, j):
                    best[i + 1][j + len(o)] = max(best[i + 1][j + len(o)], here + lp)
            if j < m:
                if seen[j] == t and not any(o == t for o, _ in learned):
                    best[i + 1][j + 1] = max(best[i + 1][j + 1], here)
                best[i + 1][j + 1] = max(best[i + 1][j + 1], here + UNSEEN)
            best[i + 1][j] = max(best[i + 1][j], here + UNSEEN)
        for j in range(1, m + 1):
            best[i + 1][j] = max(best[i + 1][j], best[i + 1][j - 1] + UNSEEN)
    return best[n][m]


@pytest.mark.parametrize("regime", ["eng", "vie"])
def test_char_channel_alignment_matches_the_plain_dynamic_program(regime):
    from vnocr.channel import char_channel

    channel = char_channel(regime)
    letters = "aăâeêioôơuưyđnghtcmpé)1 " + "".join(list(channel.outs)[:40])
    rng = random.Random(3)
    pairs = [("nhitng", "những"), ("dé)ng", "đồng"), ("T6", "Tô"), ("ngudi", "người")]
    pairs += [("".join(rng.choice(letters) for _ in range(rng.randint(0, 7))),
               "".join(rng.choice(letters) for _ in range(rng.randint(0, 6))))
              for _ in range(400)]
    for seen, truth in pairs:
        assert channel.logp(seen, truth) == pytest.approx(
            _reference_logp(channel.outs, seen, truth), abs=1e-9), (seen, truth)


def test_dev_set_reader_is_strict_unless_asked(tmp_path):
    import gzip

    from vnocr.data.devsets import load_devset
    from vnocr.errors import InputError

    with gzip.open(tmp_path / "mine.tsv.gz", "wt", encoding="utf-8") as f:
        f.write("Toi di hoc\tTôi đi học\tadmin\nHa Noi\tHà Nội\nbroken row\n")
    with pytest.raises(InputError, match="mine.tsv.gz:2"):
        load_devset("mine", directory=tmp_path)
    rows = load_devset("mine", directory=tmp_path, strict=False)
    assert [(r.noisy, r.source) for r in rows] == [("Toi di hoc", "admin"), ("Ha Noi", "")]
