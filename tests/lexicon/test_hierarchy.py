"""The register's nesting: a unit name read inside the province or district its
paragraph names (vnocr.lexicon.hierarchy and the line pass's use of it)."""

from __future__ import annotations

from vnocr.lexicon import Gazetteer, Name, load_gazetteer
from vnocr.lexicon.hierarchy import (
    AdminHierarchy,
    ParagraphPlaces,
    load_hierarchy,
    local_reading,
    paragraph_of_lines,
    places_by_line,
)
from vnocr.lexicon.line_pass import LinePass
from vnocr.lexicon.spans import LineTokens
from vnocr.text import span_key, tokenize


def _name(text: str, weight: float, types: set[str]) -> Name:
    return Name(text, span_key(text), weight, ("admin-legacy",), frozenset(types))


# Two communes of one key in two provinces; the more frequent lies in Lào Cai.
GAZ = Gazetteer([
    _name("Tân An", 200, {"xã"}), _name("Tấn An", 40, {"xã"}),
    _name("Sơn La", 1000, {"tỉnh"}), _name("Lào Cai", 1000, {"tỉnh"}),
    _name("Mai Sơn", 100, {"huyện"}),
])
NESTING = AdminHierarchy({
    "tân an": "Lào Cai", "tấn an": "Mai Sơn|Sơn La", "mai sơn": "Sơn La",
    "sơn la": "", "lào cai": "",
})


def fix(lines: list[str], restored: list[str], hierarchy: AdminHierarchy = NESTING):
    return LinePass(GAZ, hierarchy).fix_lines(lines, restored)


def test_commune_read_inside_the_province_the_sentence_names():
    inp = ["xa Tan An, huyen Mai Son, tinh Son La"]
    out, changes = fix(inp, ["xã Tân An, huyện Mai Sơn, tỉnh Sơn La"])
    assert out == ["xã Tấn An, huyện Mai Sơn, tỉnh Sơn La"]
    assert [c.after for c in changes] == ["Tấn An"]


def test_province_named_in_another_line_of_the_paragraph_counts():
    inp = ["Tinh Son La co nhieu xa.", "xa Tan An dat chuan"]
    out, _ = fix(inp, ["Tỉnh Sơn La có nhiều xã.", "xã Tân An đạt chuẩn"])
    assert out[1] == "xã Tấn An đạt chuẩn"


def test_a_unit_name_typed_with_its_marks_is_the_writers():
    """In typed text whose marks are trustworthy a known name written as the model kept
    it stays, whatever the paragraph names (`huyện Thanh Trì` became the Thạnh Trị of
    Tây Ninh, named three lines before); stripped input is read inside the place."""
    typed = ["Tỉnh Sơn La có nhiều xã.", "xã Tân An đạt chuẩn"]
    assert LinePass(GAZ, NESTING).fix_lines(typed, typed, accented=True)[0] == typed
    out, _ = LinePass(GAZ, NESTING).fix_lines(["Tinh Son La co nhieu xa.", "xa Tan An dat chuan"],
                                              typed, accented=True)
    assert out[1] == "xã Tấn An đạt chuẩn"


def test_another_paragraph_says_nothing():
    inp = ["Tinh Son La co nhieu xa.", "", "xa Tan An dat chuan"]
    res = ["Tỉnh Sơn La có nhiều xã.", "", "xã Tân An đạt chuẩn"]
    assert fix(inp, res)[0] == res


def test_a_name_inside_a_named_place_or_with_no_place_named_is_kept():
    res = ["xã Tân An, tỉnh Lào Cai", "xã Tân An đạt chuẩn"]
    assert fix(["xa Tan An, tinh Lao Cai", "xa Tan An dat chuan"], res)[0] == res


def test_without_a_hierarchy_the_pass_is_as_before():
    res = ["xã Tân An, huyện Mai Sơn, tỉnh Sơn La"]
    out, changes = fix(["xa Tan An, huyen Mai Son, tinh Son La"], res, AdminHierarchy({}))
    assert (out, changes) == (res, [])


def test_a_province_is_never_moved_into_another_place():
    gaz = Gazetteer([_name("Hải Phòng", 1000, {"thành phố"}), _name("Hải Phong", 20, {"xã"}),
                     _name("Ninh Giang", 100, {"huyện"})])
    nesting = AdminHierarchy({"hải phòng": "", "hải phong": "Ninh Giang"})
    res = ["huyện Ninh Giang, thành phố Hải Phòng"]
    assert LinePass(gaz, nesting).fix_lines(["huyen Ninh Giang, thanh pho Hai Phong"],
                                            res)[0] == res


def test_words_in_small_letters_name_no_place_where_the_line_has_capitals():
    """A place is named in capitals: `vịnh Long Island` names no Vĩnh Long (which made
    `huyện Thanh Trì` the Thạnh Trị of Vĩnh Long two lines on), `sơn la` in a
    capitalised line no Sơn La; a line without any capital tells nothing by its case."""
    assert "vinh long" not in ParagraphPlaces([tokenize("chảy từ vịnh Long Island")])
    assert "vinh long" in ParagraphPlaces([tokenize("Chảy từ Vĩnh Long ra biển")])
    assert "son la" not in ParagraphPlaces([tokenize("Núi sơn la đà trong sương")])
    assert "son la" in ParagraphPlaces([tokenize("xã tân an, tỉnh sơn la")])
    assert "son la" in ParagraphPlaces([tokenize("TỈNH SƠN LA")])
    inp = ["Hoa mai Son Tra no.", "xa Tan An dat chuan"]  # Tấn An lies in Mai Sơn
    res = ["Hoa mai Sơn Trà nở.", "xã Tân An đạt chuẩn"]
    assert fix(inp, res)[0] == res
    res = ["Hoa huyện Mai Sơn nở.", "xã Tân An đạt chuẩn"]
    assert fix(inp, res)[0][1] == "xã Tấn An đạt chuẩn"


def test_paragraphs_and_places():
    assert paragraph_of_lines(["a", "b", "", "", "c"]) == [0, 0, 1, 1, 1]
    places = ParagraphPlaces([tokenize("tỉnh Sơn La.")])
    assert all(key in places for key in ("son la", "son", "la"))
    assert "la son" not in places and "so" not in places and "tinh son la" not in places
    assert not ParagraphPlaces([tokenize(" . ")])
    restored = ["Sơn La", "", "x"]
    places = places_by_line(restored, [tokenize(line) for line in ["Son La", "", "x"]],
                            LineTokens(restored))
    assert "son la" in places[0] and "son la" not in places[2]


def test_places_read_only_the_paragraphs_asked_about():
    restored = LineTokens(["Sơn La", "", "Hà Nội"])
    places = places_by_line(["Sơn La", "", "Hà Nội"], [[], [], []], restored)
    assert "ha noi" in places[2]
    assert restored._tokens[0] is None  # the first paragraph was never keyed
    assert "son la" in places[0] and restored._tokens[0] is not None


def test_shipped_hierarchy_knows_both_maps():
    nesting = load_hierarchy()
    parents = nesting.parent_keys("Chiềng Sinh")
    assert "son la" in parents  # its province, before and after the merger
    assert "tuan giao" in parents  # a legacy district of Điện Biên with a Chiềng Sinh
    assert "Sơn La" in nesting and not nesting.parent_keys("Sơn La")
    assert "tuan giao" in nesting.district_keys("Chiềng Sinh")
    # the districts alone: Lai Vung's Tân Thành, not the province it lies in
    assert "lai vung" in nesting.district_keys("Tân Thành")
    assert "dong thap" in nesting.parent_keys("Tân Thành")
    assert "dong thap" not in nesting.district_keys("Tân Thành")


# Two communes of one key in one province, one of them in the district the line names.
DISTRICT_GAZ = Gazetteer([
    _name("Tân Thạnh", 300, {"xã"}), _name("Tân Thành", 100, {"xã"}),
    _name("Lai Vung", 100, {"huyện"}), _name("Đồng Tháp", 1000, {"tỉnh"}),
    _name("Đắk Glei", 100, {"huyện"}), _name("Đăk Glei", 20, {"xã"}),
    _name("Kon Tum", 1000, {"tỉnh"}),
])
DISTRICT_PARENTS = {
    "tân thạnh": "Đồng Tháp|Tân Hồng", "tân thành": "Đồng Tháp|Lai Vung",
    "lai vung": "Đồng Tháp", "đồng tháp": "", "đắk glei": "Kon Tum",
    "đăk glei": "Kon Tum|Đắk Glei", "kon tum": "",
}
DISTRICT_NESTING = AdminHierarchy(
    DISTRICT_PARENTS, {"tân thạnh": "Tân Hồng", "tân thành": "Lai Vung", "đăk glei": "Đắk Glei"})


def test_a_commune_inside_the_named_district_beats_one_inside_the_province_only():
    out, changes = LinePass(DISTRICT_GAZ, DISTRICT_NESTING).fix_lines(
        ["xa Tan Thanh, huyen Lai Vung, tinh Dong Thap"],
        ["xã Tân Thạnh, huyện Lai Vung, tỉnh Đồng Tháp"])
    assert out == ["xã Tân Thành, huyện Lai Vung, tỉnh Đồng Tháp"]
    assert [c.after for c in changes] == ["Tân Thành"]
    # without the districts, Tân Thạnh lies in the named province: it stays
    flat = AdminHierarchy(DISTRICT_PARENTS)
    res = ["xã Tân Thạnh, huyện Lai Vung, tỉnh Đồng Tháp"]
    assert LinePass(DISTRICT_GAZ, flat).fix_lines(
        ["xa Tan Thanh, huyen Lai Vung, tinh Dong Thap"], res)[0] == res


def test_a_unit_is_no_place_around_itself():
    # the commune Đăk Glei lies in the district Đắk Glei: the district's own name on
    # the line does not make the line name the commune's district
    res = ["huyện Đắk Glei, tỉnh Kon Tum"]
    assert LinePass(DISTRICT_GAZ, DISTRICT_NESTING).fix_lines(
        ["huyen Dak Glei, tinh Kon Tum"], res)[0] == res


def test_a_district_of_the_named_provinces_own_name_says_nothing_more():
    # the commune Thạch Hạ lies in the city Hà Tĩnh, the district Thạch Hà in the
    # province Hà Tĩnh: a date line under the province names no district of either
    nesting = AdminHierarchy({"thạch hà": "Hà Tĩnh", "thạch hạ": "Hà Tĩnh", "hà tĩnh": ""},
                             {"thạch hạ": "Hà Tĩnh"})
    same_key = [_name("Thạch Hà", 100, {"huyện"}), _name("Thạch Hạ", 300, {"xã"})]
    places = ParagraphPlaces([tokenize("TỈNH HÀ TĨNH"), tokenize("Thạch Hà, ngày 1 tháng 6")])
    assert local_reading(nesting, same_key, "thạch hà", places, None) is None
    # a district the line names that the written reading does not lie in decides
    nesting = AdminHierarchy({"thạch hà": "Hà Tĩnh", "thạch hạ": "Hà Tĩnh|Can Lộc"},
                             {"thạch hạ": "Can Lộc"})
    places = ParagraphPlaces([tokenize("huyện Can Lộc, tỉnh Hà Tĩnh")])
    assert local_reading(nesting, same_key, "thạch hà", places, None).text == "Thạch Hạ"


# Communes a letter apart: one in Tuyên Quang, two in Đắk Lắk, one elsewhere.
NEAR_GAZ = Gazetteer([
    _name("Xín Mần", 60, {"xã", "huyện"}), _name("Xín Cái", 30, {"xã"}),
    _name("Ea Drông", 20, {"xã"}), _name("Ea Drăng", 20, {"xã"}),
    _name("Tuyên Quang", 1000, {"tỉnh"}), _name("Đắk Lắk", 1000, {"tỉnh"}),
])
NEAR_NESTING = AdminHierarchy({
    "xín mần": "Tuyên Quang|Hà Giang", "xín cái": "Hà Giang|Mèo Vạc",
    "ea drông": "Đắk Lắk|Buôn Hồ", "ea drăng": "Đắk Lắk|Ea H'leo",
    "tuyên quang": "", "đắk lắk": "",
})


def _near(noisy: str, restored: str, ocr: bool) -> list[str]:
    return LinePass(NEAR_GAZ, NEAR_NESTING).fix_lines([noisy], [restored], ocr=ocr)[0]


def test_in_ocr_text_a_span_that_is_no_name_becomes_the_unit_a_letter_away_inside_the_place():
    assert NEAR_NESTING.names_near("xin min") == ["xín mần"]  # one letter, two syllables
    out = _near("Tru so Uy ban x4 Xin Min, tinh Tuyén Quang", "Trụ sở Ủy ban xã Xin Min, tỉnh Tuyên Quang",
                ocr=True)
    assert out == ["Trụ sở Ủy ban xã Xín Mần, tỉnh Tuyên Quang"]
    # in stripped or typed text the letters are right: a name a letter away is another
    res = ["Trụ sở Ủy ban xã Xin Min, tỉnh Tuyên Quang"]
    assert _near("Tru so Uy ban xa Xin Min, tinh Tuyen Quang", res[0], ocr=False) == res
    # no place named around it: nothing narrows the register's many near names
    res = ["Trụ sở Ủy ban xã Xin Min"]
    assert _near("Tru so Uy ban x4 Xin Min", res[0], ocr=True) == res


def test_two_units_a_letter_away_inside_the_place_are_left_to_the_match_scores():
    # Ea Drông and Ea Drăng both lie in Đắk Lắk and the OCR's é reads as either
    res = ["xã Ea Dréng, tỉnh Đắk Lắk"]
    assert _near("x4 Ea Dréng, tinh Diak Lak", res[0], ocr=True) == res


def test_of_several_units_a_letter_away_the_match_scores_pick_one_clearly_ahead():
    # (as the shipped gazetteer has them: weights and the eng-OCR channel)
    gaz = Gazetteer([_name("Sơn Lương", 40, {"xã"}), _name("Sơn Hùng", 20, {"xã"}),
                     _name("Phú Thọ", 1000, {"tỉnh"})], ocr_channel=load_gazetteer().ocr_channel)
    nesting = AdminHierarchy({"sơn lương": "Phú Thọ|Văn Chấn", "sơn hùng": "Phú Thọ|Thanh Sơn",
                              "phú thọ": ""})
    out = LinePass(gaz, nesting).fix_lines(["xa Son Lung, tinh Phi Tho dai 12 km"],
                                           ["xã Sơn Lũng, tỉnh Phú Thọ dài 12 km"], ocr=True)[0]
    assert out == ["xã Sơn Lương, tỉnh Phú Thọ dài 12 km"]
