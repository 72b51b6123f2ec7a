"""The review page's shown confidence: the isotonic fit, the shipped table, its use."""

import math
import sys
from pathlib import Path

from vnocr.calibration import (
    EMPTY,
    KEPT,
    Calibration,
    Step,
    change_key,
    clustered_lower_bound,
    isotonic_step,
    lower_bound,
    shipped,
)
from vnocr.result import Change, CorrectionResult
from vnocr.review_rows import build_rows, ocr_per_output_token

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import review_calibration


def test_isotonic_step_is_monotone_and_pools_violators():
    x = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    y = [0.0, 1.0, 0.0, 1.0, 1.0, 1.0]
    step = isotonic_step(x, y, prior=0.0, z=0.0)
    assert step.values == tuple(sorted(step.values))
    assert step(0.05) == step(0.1) == 0.0
    assert step(0.25) == 0.5  # 0.2 and 0.3 pooled
    assert step(0.9) == 1.0 and math.isnan(step(float("nan")))


def test_a_small_lucky_block_is_pulled_towards_the_overall_share():
    step = isotonic_step([0.1] * 50 + [0.99] * 2, [0.0] * 25 + [1.0] * 25 + [1.0, 1.0])
    assert step(0.99) < 1.0 and step(0.99) >= step(0.1)


def test_the_lower_bound_is_bounded_and_tightens_with_the_count():
    for share in (0.0, 0.3, 0.93, 1.0):
        bounds = [lower_bound(share, n) for n in (1, 10, 100, 10_000)]
        assert all(0.0 <= b <= share for b in bounds)
        assert bounds == sorted(bounds)  # more changes, a tighter claim
        assert share - bounds[-1] < 0.01
    assert lower_bound(0.93, 77, z=0.0) == 0.93
    assert lower_bound(0.93, 77) < 0.9 < lower_bound(0.93, 5000)


def test_a_small_block_claims_less_than_a_large_one_of_the_same_share():
    """20 of 20 right at the top shows under 0.9; 2000 of 2000 keeps nearly 1.0."""
    small = isotonic_step([0.5] * 20 + [0.99] * 20, [0.0] * 10 + [1.0] * 10 + [1.0] * 20)
    large = isotonic_step([0.5] * 2000 + [0.99] * 2000,
                          [0.0] * 1000 + [1.0] * 1000 + [1.0] * 2000)
    for step in (small, large):
        assert list(step.values) == sorted(step.values)
        assert all(0.0 <= v <= 1.0 for v in step.values)
    assert small(0.99) < 0.9 and large(0.99) > 0.99


def test_the_shown_confidence_falls_back_to_the_kind_and_stage_then_to_the_raw():
    cal = Calibration({"accented/model/any": Step((0.0, 0.9), (0.3, 0.8))}, {}, {})
    assert cal.shown(0.95, kind="accented", stage="model", ocr=0.99) == 0.8
    assert cal.shown(0.95, kind="plain", stage="model", ocr=None) == 0.95
    assert cal.shown(0.95, kind="", stage="model", ocr=None) == 0.95  # kind unknown
    assert change_key("accented", KEPT, 0.5, 1.0) == "accented/kept/unsure"
    assert change_key("eng_ocr", "model", 0.5, 1.0) == "eng_ocr/model/certain"


def test_the_shipped_table_is_monotone_and_covers_every_kind():
    cal = shipped()
    assert cal is not EMPTY
    for step in cal.changes.values():
        assert list(step.values) == sorted(step.values)
        assert all(0.0 <= v <= 1.0 for v in step.values)
    for kind in ("plain", "eng_ocr", "accented"):
        assert f"{kind}/model/any" in cal.changes
        assert kind in cal.kept_low and kind in cal.ocr_doubt


def test_the_page_shows_the_calibrated_confidence_and_the_kinds_thresholds():
    cal = Calibration({"accented/model/any": Step((0.0,), (0.5,))},
                      {"accented": 0.0}, {"accented": 0.9})
    change = Change(0, 1, 4, 6, "di", "đi", 0.97, "model")
    r = CorrectionResult("Tôi đi học", "Tôi di học", (change,), ((1.0, 0.97, 1.0),),
                         ((0.99, 0.95, 0.85),), ("accented",))
    (row,) = build_rows(r, calibration=cal)
    (seg,) = [s for s in row.after if s.change is not None]
    assert seg.conf == 0.5
    assert [(s.text, s.doubt) for s in row.after if s.doubt] == [("học", "ocr unsure")]
    plain = CorrectionResult(r.text, r.input_text, r.changes, r.confidences,
                             r.ocr_confidences, ("plain",))
    (row,) = build_rows(plain, calibration=cal)
    assert [s.conf for s in row.after if s.change] == [0.97]
    assert not any(s.doubt for s in row.after)  # the default OCR_DOUBT (0.8)


def test_concat_keeps_each_lines_kind():
    a = CorrectionResult("a", "a", regimes=("plain",))
    b = CorrectionResult("b\nc", "b\nc")
    assert CorrectionResult.concat([a, b]).regimes == ("plain", "", "")


def test_a_kept_word_gets_the_ocrs_confidence_where_a_speck_was_cut():
    """Restoration cut `l`: the tokens no longer pair one to one, yet `di` was doubted."""
    assert ocr_per_output_token("l Tôi di học", "Tôi di học", (0.4, 0.95, 0.5, 0.99)) == [
        0.95, 0.5, 0.99]
    assert ocr_per_output_token("Tôi di", "Tôi di", None) is None
    r = CorrectionResult("Tôi di học", "l Tôi di học", ocr_confidences=((0.4, 0.95, 0.5, 0.99),))
    (row,) = build_rows(r)
    assert [s.text for s in row.after if s.doubt == "ocr unsure"] == ["di"]


def test_the_shipped_table_flags_a_word_the_ocr_doubted_on_vie_ocr_text():
    """With the shipped thresholds: `di`, read at an OCR 0.5 and kept, is doubtful; the
    confidences the page shows stay within 0..1."""
    r = CorrectionResult("Tôi di học", "Tôi di học", (), ((0.99, 0.99, 0.99),),
                         ((0.99, 0.5, 0.99),), ("accented",))
    (row,) = build_rows(r)
    doubtful = [s for s in row.after if s.doubt]
    assert [(s.text, s.doubt) for s in doubtful] == [("di", "ocr unsure")]
    assert all(0.0 <= s.conf <= 1.0 for s in doubtful)


def test_the_clustered_bound_lies_under_the_share_and_widens_with_uneven_documents():
    even = clustered_lower_bound([9, 9, 9, 9], [10, 10, 10, 10])
    uneven = clustered_lower_bound([0, 0, 0, 36], [1, 1, 1, 37])  # one page holds them
    assert uneven < even <= 0.9
    assert clustered_lower_bound([0, 36], [1, 37], z=0.0) == 36 / 38
    assert clustered_lower_bound([0, 0], [0, 0]) == 1.0  # no errors left


def _doc(*words):
    """A document's `samples` words on vie-OCR text: (OCR confidence, wrong)."""
    return [("accented", 0.99, ocr, False, wrong) for ocr, wrong in words]


def test_the_doubt_thresholds_need_the_target_at_the_lower_bound_on_every_set():
    """Nine pages hold 18 errors the OCR doubted (0.5), one page 2 it read at 0.95: the
    plain fit (z = 0) stops at 0.6, where 90 % are caught; the bound sees that the share
    hangs on which pages were drawn and goes on to 0.96, which catches the tenth page's."""
    doubted = [_doc((0.5, True), (0.5, True), (0.99, False), (0.97, False))] * 9
    docs = {"vie_photo": [*doubted, _doc((0.95, True), (0.95, True), (0.99, False))],
            "vie_clean": [_doc((0.5, True), (0.99, False))] * 4}
    plain = review_calibration.choose_thresholds(docs, z=0.0)["accented"]
    bounded = review_calibration.choose_thresholds(docs)["accented"]
    assert plain == (0.0, 0.6)
    assert bounded == (0.0, 0.96)  # 0.97 would flag every page's 0.97 too
    assert bounded[0] >= plain[0] and bounded[1] >= plain[1]


def test_the_shipped_doubt_threshold_is_the_one_the_page_applies():
    """A vie-OCR word kept at an OCR confidence just under the shipped threshold is
    doubtful; at the threshold it is not."""
    threshold = shipped().ocr_doubt["accented"]
    assert 0.9 <= threshold < 1.0
    for ocr, flagged in ((round(threshold - 0.01, 2), True), (threshold, False)):
        r = CorrectionResult("Tôi đi học", "Tôi đi học", (), ((0.9999, 0.9999, 0.9999),),
                             ((0.99, ocr, 0.99),), ("accented",))
        (row,) = build_rows(r)
        assert [s.text for s in row.after if s.doubt] == (["đi"] if flagged else [])
