"""Tables and conversions, checked against the standards' known spellings."""

from __future__ import annotations

import pytest

from vnocr.encodings import BYTE_ENCODINGS, decode_legacy, encode_legacy, encode_run
from vnocr.encodings.convert import convert_run
from vnocr.encodings.viqr import from_viqr, to_viqr

SAMPLE = "Cộng hoà xã hội chủ nghĩa Việt Nam. Độc lập, tự do, hạnh phúc: Ấn Độ, Ưu, Ợ, Ỷ, Ỗ."


@pytest.mark.parametrize("encoding", [e for e in BYTE_ENCODINGS if e != "tcvn3"])
def test_every_letter_round_trips(encoding):
    assert decode_legacy(encode_legacy(SAMPLE, encoding), encoding) == SAMPLE


def test_known_spellings():
    # a TCVN3 heading, VNI's `Vieät`, VISCII 1.1 and Windows-1258's tone marks
    assert encode_run("Cộng hoà xã hội chủ nghĩa Việt Nam", "tcvn3") == \
        "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
    assert encode_run("Việt Nam", "vni") == "Vieät Nam"
    assert encode_legacy("ư", "viscii") == b"\xdf"
    assert encode_legacy("Việt", "cp1258") == b"Vi\xea\xf2t"


def test_tcvn3_capitals_come_back_in_headings_and_sentence_starts():
    heading = encode_run("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "tcvn3")
    assert heading == "CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM"  # VN3 has no toned capitals
    assert convert_run(heading, "tcvn3") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    body = encode_run("Ở nhà. Ấy là Bộ GD, Hà Nội.", "tcvn3")
    assert convert_run(body, "tcvn3", sentence_start=True) == "Ở nhà. Ấy là Bộ GD, Hà Nội."


def test_viqr_rfc1456():
    text = "Việt Nam. Đi đâu? Tôi ở Hà Nội, HĐND."
    assert to_viqr(text) == "Vie^.t Nam. DDi dda^u\\? To^i o+? Ha` No^.i, HDDND."
    assert from_viqr(to_viqr(text)) == text
    assert from_viqr("Vie^.t Nam. Ba? ngu+o+`i, bi. no ddi.") == "Việt Nam. Bả người, bị no đi."


def test_viqr_final_mark_read_by_the_common_syllable():
    # before a capitalised word or the line's end, a tone only where only it is common
    assert from_viqr("Bo^. Ta`i chi'nh, o+? Davis", escaped=False) == "Bộ Tài chính, ở Davis"
    assert from_viqr("Vie^.t Nam. Ha` No^.i", escaped=False) == "Việt Nam. Hà Nội"
    assert from_viqr("To^i.", escaped=False) == "Tôi."
    assert from_viqr("dd) Tho+`i ha.n", escaped=False) == "đ) Thời hạn"  # a list item
