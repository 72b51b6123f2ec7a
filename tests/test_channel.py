"""The character channel's capital rows: thin ones read like their small letter."""

from __future__ import annotations

import math
import random

import pytest

from vnocr.channel import CharChannel, back_off_capitals, char_channel


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


@pytest.mark.parametrize(("regime", "seen", "truth"), [("eng", "G", "Ộ"), ("vie", "Ổ", "Ố")])
def test_shipped_marked_capitals_read_like_their_small_letters(regime, seen, truth):
    """Shipped rows of marked capitals hold 1–10 observations: eng `Ộ` was only ever `O`
    (its ộ reads g or G 16 times in 2,189), vie `Ố` only `Ố` (ố reads ổ 4 times)."""
    from vnocr.channel import UNSEEN

    channel = char_channel(regime)
    assert channel.logp(seen, truth) > UNSEEN + 2
    assert channel.logp(truth, truth) > -0.5  # the letter itself stays the likely reading


@pytest.mark.parametrize("regime", ["eng", "vie"])
def test_logp_many_gives_the_same_floats_as_logp_one_by_one(regime):
    channel = char_channel(regime)
    rng = random.Random(5)
    letters = "aăâeêioôơuưyđnghtcmpé1 "
    for _ in range(100):
        seen = "".join(rng.choice(letters) for _ in range(rng.randint(0, 7)))
        # shared prefixes, repeats and the empty truth, in no order
        truths = ["".join(rng.choice(letters[:6]) for _ in range(rng.randint(0, 5)))
                  for _ in range(rng.randint(0, 12))]
        truths += truths[:2]
        assert channel.logp_many(seen, truths) == [channel._logp(seen, t) for t in truths]


@pytest.mark.parametrize(("empty_reads", "expected"), [(1, math.log(1e-4)),
                                                        (5_000, math.log(5_000 / 105_000))])
def test_a_dropped_letter_scores_the_better_of_its_empty_reading_and_a_deletion(
        empty_reads, expected):
    """A truth letter read as nothing takes its table's empty reading or a deletion,
    whichever scores more: one number per letter (`CharChannel._drop`)."""
    channel = CharChannel({"a": [["a", 100_000], ["", empty_reads]]})
    assert channel.logp("", "a") == pytest.approx(expected)
    assert channel.logp("b", "ab") == pytest.approx(expected)
    assert channel.logp_many("b", ["ab", "a"]) == [channel._logp("b", "ab"),
                                                   channel._logp("b", "a")]
