"""Detection per run: legacy runs convert, everything else stays byte for byte."""

from __future__ import annotations

import unicodedata

import pytest

from vnocr.encodings import BYTE_ENCODINGS, decode_document, encode_legacy, encode_run
from vnocr.errors import BadOptionsError, InputError

PARAGRAPHS = [
    "Hôm nay trời rất đẹp, chúng tôi đi thăm Văn Miếu ở Hà Nội.",
    "Thành phố đã hoàn thành vượt mức 20/20 chỉ tiêu nghị quyết đề ra.",
    "Ủy ban nhân dân tỉnh Sơn La giao cho các sở, ban, ngành triển khai thực hiện.",
    "Theo báo cáo, tổng doanh thu du lịch đạt 762 tỷ đồng, tăng 15% so với năm trước.",
]
DOCUMENT = "\n".join(PARAGRAPHS)
NEGATIVES = [
    "Le garçon a mangé à la café où il était déjà, près de l'église.",
    "Die Größe der Straße in Köln überrascht; Blekinge län [SE-10].",
    "El niño está aquí; mañana sí, también después. ¿Qué pasó?",
    "Price: €5 ± 2°C, 50 µm © 2024 Company™ – “quoted” naïve résumé.",
    "if (a.b) { x = f(y) ? 1 : 2; } // TODO: e.g. value.strip() + 'it's'",
    "1.000 du khich lén néi ngim mat trdi mgc.",  # English-model OCR of Vietnamese
    "théng dé cé mét nam tét dep.",
    DOCUMENT,
    unicodedata.normalize("NFD", DOCUMENT),
]


@pytest.mark.parametrize("encoding", BYTE_ENCODINGS)
def test_legacy_bytes_are_detected_per_line(encoding):
    decoded = decode_document(encode_legacy(DOCUMENT, encoding))
    assert decoded.text == DOCUMENT
    assert [(r.line, r.encoding, r.form) for r in decoded.runs] == \
        [(n, encoding, "bytes") for n in range(1, 5)]


@pytest.mark.parametrize("encoding", [*BYTE_ENCODINGS, "viqr"])
def test_mojibake_and_viqr_inside_unicode_are_detected(encoding):
    decoded = decode_document(encode_run(DOCUMENT, encoding).encode("utf-8"))
    assert decoded.text == DOCUMENT
    assert {(r.encoding, r.form) for r in decoded.runs} == {(encoding, "text")}


def test_a_legacy_heading_converts_alone():
    heading = encode_run("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "tcvn3")
    mixed = f"{heading}\n{PARAGRAPHS[0]}\nTrụ sở: {encode_run('Uỷ ban nhân dân thành phố', 'vni')}"
    decoded = decode_document(mixed.encode("utf-8"))
    assert decoded.text.split("\n") == [
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", PARAGRAPHS[0], "Trụ sở: Uỷ ban nhân dân thành phố"]
    assert [(r.line, r.encoding) for r in decoded.runs] == [(1, "tcvn3"), (3, "vni")]


@pytest.mark.parametrize("text", NEGATIVES)
def test_negatives_stay_as_they_are(text):
    decoded = decode_document(text.encode("utf-8"))
    assert decoded.runs == ()
    assert decoded.text == unicodedata.normalize("NFC", text)


def test_utf8_only_and_forced_encoding():
    mojibake = encode_run(PARAGRAPHS[0], "vni").encode("utf-8")
    assert decode_document(mojibake, "utf-8").text == mojibake.decode()
    assert decode_document(mojibake, "vni").text == PARAGRAPHS[0]
    assert decode_document(encode_legacy(PARAGRAPHS[1], "vps"), "vps").text == PARAGRAPHS[1]
    with pytest.raises(BadOptionsError):
        decode_document(b"x", "latin-9")


def test_unknown_encoding_is_one_line_input_error_naming_what_was_tried():
    with pytest.raises(InputError) as err:
        decode_document("日本語のテキスト".encode("shift_jis"))
    message = str(err.value)
    assert "\n" not in message and "not UTF-8" in message
    assert all(name in message for name in ("TCVN3", "VNI", "VISCII", "VPS", "Windows-1258"))
    with pytest.raises(InputError, match="not UTF-8"):
        decode_document(b"caf\xe9 au lait\n")


@pytest.mark.parametrize(("encoding", "line"), [
    ("tcvn3", "Điều 53."),  # one common syllable, a line alone
    ("vps", "Điều 76."),
    ("cp1258", "GNU coreutils 9.1 Tháng 9 năm 2022 MKDIR(1)"),  # no telltale: nãm → năm
    ("tcvn3", "Kết thúc cuộc phong tỏa Berlin"),  # Vietnamese letters only: KÕt thóc cuéc
    ("tcvn3", "1808 - Napoléon III của Pháp (m. 1873)."),  # a foreign name stays neutral
    ("vps", "28 tháng 10: Justin Guarini, nam ca sĩ Mỹ"),  # VISCII reads `sỉ Mỳ`: a tie
    ("viqr", "Điều 53."),  # DDie^`u: three marks in one word
])
def test_short_legacy_lines_are_detected(encoding, line):
    decoded = decode_document(encode_run(line, encoding).encode("utf-8"))
    assert decoded.text == line
    assert {r.encoding for r in decoded.runs} == {encoding}


def test_vps_bytes_beat_viscii_on_common_syllables():
    line = "28 tháng 10: Justin Guarini, nam ca sĩ Mỹ"
    decoded = decode_document(encode_legacy(line, "vps"))
    assert decoded.text == line and decoded.runs[0].encoding == "vps"


def test_an_encoding_found_elsewhere_vouches_for_a_weak_run():
    weak = encode_run("Anh Tú", "tcvn3")  # `Anh Tó`: no telltale, one syllable
    assert decode_document(weak.encode("utf-8")).runs == ()
    heading = encode_run("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "tcvn3")
    decoded = decode_document(f"{heading}\n{PARAGRAPHS[0]}\n{weak}".encode())
    assert decoded.text.split("\n")[2] == "Anh Tú"
    assert [(r.line, r.encoding) for r in decoded.runs] == [(1, "tcvn3"), (3, "tcvn3")]


@pytest.mark.parametrize("text", [
    "Kalmar län",
    "Hmong Dô",  # TCVN3 would read `Dụ`, with no telltale
    "Lé Hing/VOV-TP HCM",  # English-model OCR; TCVN3 `Lộ`
    "%s: wildes »-c«-Argument %s",  # TCVN3 `ằ-cô-Argument`: `cô` is no word of its own
    "n° ligne : %d macro : %s",  # VPS `nổ`: not common enough alone
    "Mehrere Archivdateien verlangen die Option „-M“.",  # VISCII `Ấ-MỘ`
    "thu. 5",  # one VIQR mark
])
def test_short_foreign_lines_stay(text):
    decoded = decode_document(text.encode("utf-8"))
    assert decoded.runs == () and decoded.text == text
