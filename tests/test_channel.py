"""The channel's capital rows, of characters and of tokens: thin ones read like their
small letter or word."""

from __future__ import annotations

import math
import random

import pytest

from vnocr.channel import (
    CharChannel,
    back_off_capital_tokens,
    back_off_capitals,
    char_channel,
)


def test_a_thin_capital_row_takes_its_small_letters_readings_upper_cased():
    table = {"ộ": [["é", 60], ["q", 30], ["O", 10]], "Ộ": [["O", 2]]}
    row = dict(back_off_capitals(table, prior=20.0)["Ộ"])
    assert row == pytest.approx({"O": 2 + 20 * 0.1, "É": 20 * 0.6, "Q": 20 * 0.3})
    channel = CharChannel(back_off_capitals(table, prior=20.0))
    assert channel.logp("BQ", "BỘ") == pytest.approx(math.log(6 / 22))


def test_a_well_seen_capital_keeps_its_own_readings():
    table = {"đ": [["d", 1000]], "Đ": [["D", 600], ["P", 100]]}
    row = dict(back_off_capitals(table, prior=20.0)["Đ"])
    assert row["P"] == 100 and row["D"] == 620
    assert math.exp(CharChannel(back_off_capitals(table)).logp("P", "Đ")) > 0.13


def test_a_capital_never_seen_gets_the_small_row_and_small_rows_stay():
    table = {"ó": [["é", 3], ["o", 1]], "ς": [["s", 1]]}
    backed = back_off_capitals(table)
    assert dict(backed["Ó"]) == pytest.approx({"É": 15.0, "O": 5.0})
    assert backed["ó"] == table["ó"] and "Σ" not in backed  # Σ lower-cases to σ, not ς


def test_a_thin_capital_token_row_is_blended_with_its_small_words_readings():
    table = {"từ": [["tir", 200], ["tw", 3]], "Từ": [["Tw", 6], ["Tir", 15]]}
    backed = back_off_capital_tokens(table, prior=20.0)
    assert dict(backed["Từ"]) == pytest.approx(
        {"Tw": 6 + 20 * 3 / 203, "Tir": 15 + 20 * 200 / 203})
    assert backed["từ"] == table["từ"]


def test_capital_token_rows_take_the_small_readings_in_their_case_and_orphans_stay():
    table = {"độc": [["déc", 3], ["doc", 1]], "ĐỘC": [["DOC", 2]], "Nơi": [["Noi", 3]]}
    backed = back_off_capital_tokens(table, prior=20.0)
    assert dict(backed["ĐỘC"]) == pytest.approx({"DOC": 2 + 5.0, "DÉC": 15.0})
    assert backed["Nơi"] == table["Nơi"]  # no small row to back off to


@pytest.mark.parametrize(("regime", "seen", "truth"), [("eng", "G", "Ộ"), ("vie", "Ổ", "Ố")])
def test_shipped_marked_capitals_read_like_their_small_letters(regime, seen, truth):
    """Shipped rows of marked capitals hold 1–10 observations: eng `Ộ` was only ever `O`
    (its ộ reads g or G 16 times in 2,189), vie `Ố` only `Ố` (ố reads ổ 4 times)."""
    from vnocr.channel import UNSEEN

    channel = char_channel(regime)
    assert channel.logp(seen, truth) > UNSEEN + 2
    assert channel.logp(truth, truth) > -0.5  # the letter itself stays the likely reading


def _reference_logp(channel: CharChannel, seen: str, truth: str) -> float:
    """The alignment spelled out: every reading of every truth character tried at every
    seen position, no folding (what `CharChannel._moves` must reproduce float for float)."""
    from vnocr.channel import UNSEEN

    m = len(seen)
    row = [0.0] * (m + 1)
    for j in range(1, m + 1):
        row[j] = row[j - 1] + UNSEEN
    for t in truth:
        readings = channel.outs.get(t) or [(t, 0.0)]
        sums: list[list[float]] = [[] for _ in range(m + 1)]
        for j, here in enumerate(row):
            sums[j].append(here + UNSEEN)  # deletion
            if j < m:
                sums[j + 1].append(here + UNSEEN)  # substitution
                if seen[j] == t and all(o != t for o, _ in readings):
                    sums[j + 1].append(here)
            for o, lp in readings:  # the empty reading too: t dropped
                if seen.startswith(o, j):
                    sums[j + len(o)].append(here + lp)
        row = [max(s) for s in sums]
        for j in range(1, m + 1):
            row[j] = max(row[j], row[j - 1] + UNSEEN)
    return row[-1]


def _random_text(rng: random.Random, letters: str, longest: int) -> str:
    return "".join(rng.choice(letters) for _ in range(rng.randint(0, longest)))


@pytest.mark.parametrize("regime", ["eng", "vie"])
def test_logp_many_and_logp_give_the_floats_of_every_reading_tried(regime):
    """The same floats together, one by one, and with every reading tried unfolded."""
    channel = char_channel(regime)
    rng = random.Random(5)
    letters = "aăâeêioôơuưyđnghtcmpé1 |&'ít"
    for _ in range(300):
        seen = _random_text(rng, letters, 7)
        # shared prefixes, repeats and the empty truth, in no order
        truths = [_random_text(rng, letters[:6], 5) for _ in range(rng.randint(0, 12))]
        truths += truths[:2] + [_random_text(rng, letters, 6)]
        expected = [_reference_logp(channel, seen, t) for t in truths]
        assert channel.logp_many(seen, truths) == expected
        channel._memo.clear()  # one by one, each aligned alone
        assert [channel.logp(seen, t) for t in truths] == expected


@pytest.mark.parametrize(("empty_reads", "expected"), [(1, math.log(1e-4)),
                                                        (5_000, math.log(5_000 / 105_000))])
def test_a_dropped_letter_scores_the_better_of_its_empty_reading_and_a_deletion(
        empty_reads, expected):
    """A truth letter read as nothing takes its table's empty reading or a deletion,
    whichever scores more: one number per letter (`CharChannel._drop`)."""
    table = {"a": [["a", 100_000], ["", empty_reads]]}
    channel = CharChannel(table)
    assert channel.logp("", "a") == pytest.approx(expected)
    assert channel.logp("b", "ab") == pytest.approx(expected)
    alone = CharChannel(table)  # each truth aligned on its own
    assert CharChannel(table).logp_many("b", ["ab", "a"]) == [alone.logp("b", "ab"),
                                                              alone.logp("b", "a")]


def test_likely_prints_are_read_off_the_table_likeliest_first():
    table = {"ư": [["u", 60], ["ir", 30], ["ư", 10]], "ờ": [["d", 50], ["o", 50]],
             "n": [["n", 1]]}
    channel = CharChannel(table)
    prints = channel.likely_prints("nườ", math.log(0.1), 8)
    # 0.6 x 0.5 twice, 0.3 x 0.5 twice; ư kept (0.1 x 0.5) falls under the floor
    assert prints == ["nud", "nuo", "nird", "niro"]
    assert channel.likely_prints("nườ", math.log(0.1), 2) == ["nud", "nuo"]
    assert channel.likely_prints("xy", 0.0, 8) == ["xy"]  # letters the table never saw


@pytest.mark.parametrize("regime", ["eng", "vie"])
def test_every_likely_print_scores_at_least_the_floor(regime):
    """A print is one alignment of its truth, so the channel's best alignment scores it
    at least as high as the floor it was kept by."""
    channel = char_channel(regime)
    floor = math.log(0.01)
    for truth in ["người", "được", "Nghị", "quyết", "Đảng", "thành", "phố", "ủy"]:
        prints = channel.likely_prints(truth, floor, 8)
        assert prints and len(set(prints)) == len(prints)
        assert all(channel.logp(p, truth) >= floor - 1e-9 for p in prints)
