"""Line and token alignment on hand-made cases: the noise tables are only as true as these."""

from __future__ import annotations

from vnocr.data.align import align_lines, align_tokens, fold_key
from vnocr.data.noise_tables import char_edits


def kinds(truth: str, seen: str) -> list[tuple[str, tuple, tuple]]:
    return [(g.kind, g.truth, g.seen) for g in align_tokens(truth.split(), seen.split())]


def test_identity_is_all_substitutions_of_self():
    out = kinds("Đảng bộ thành phố", "Đảng bộ thành phố")
    assert [k for k, *_ in out] == ["sub"] * 4
    assert all(t == s for _, t, s in out)


def test_eng_ocr_readings_pair_with_their_syllables():
    out = kinds("nhiệm kỳ của Đảng", "nhi€ém ky ctia Pang")
    assert [(t, s) for _, t, s in out] == [
        (("nhiệm",), ("nhi€ém",)),
        (("kỳ",), ("ky",)),
        (("của",), ("ctia",)),
        (("Đảng",), ("Pang",)),
    ]


def test_split_token():
    out = kinds("thành phố Sơn La", "th anh phé Son La")
    assert out[0] == ("split", ("thành",), ("th", "anh"))
    assert [k for k, *_ in out[1:]] == ["sub", "sub", "sub"]


def test_merged_tokens():
    out = kinds("điện thoại, điện tín,", "dién thoai, diéntin,")
    assert out[-1] == ("merge", ("điện", "tín,"), ("diéntin,",))
    assert len(out) == 3


def test_insertions_of_debris_at_edges_and_inside():
    out = kinds("kết quả tích cực", ": _ két qua ~ tich cuc |")
    assert [k for k, *_ in out] == ["ins", "ins", "sub", "sub", "ins", "sub", "sub", "ins"]
    # Debris never becomes half of a split.
    assert all(k != "split" for k, *_ in out)


def test_deleted_token():
    out = kinds("hoàn thành và vượt mức", "hoàn thành vượt mức")
    assert ("del", ("và",), ()) in out
    assert sum(k == "sub" for k, *_ in out) == 4


def test_fold_key_ignores_marks_case_and_debris():
    assert fold_key("Đồng,") == fold_key("dô)ng") == "dong"


def test_align_lines_skips_invented_and_dropped_lines():
    truth = ["Báo cáo tổng kết năm", "công tác chuyên môn", "của Ủy ban nhân dân tỉnh"]
    ocr = ["~ . _ ..", "Bao cao tong két nam", "cua Uy ban nhan dan tinh"]
    pairs = align_lines(truth, ocr)
    assert [(t, o) for t, o, _ in pairs] == [(0, 1), (2, 2)]
    assert all(s > 0.8 for *_, s in pairs)


def test_char_edits_keeps_multi_char_readings_together():
    assert dict(char_edits("những", "nhitng"))["ữ"] == "it"
    assert dict(char_edits("của", "ciia"))["ủ"] == "ii"
    assert char_edits("đã", "d3") == [("đ", "d"), ("ã", "3")]
    # Every truth char appears once, in order; lost chars map to "".
    assert [c for c, _ in char_edits("phố", "ph")] == ["p", "h", "ố"]
    assert "".join(o for _, o in char_edits("phố", "ph")) == "ph"
