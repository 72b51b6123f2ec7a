"""The register's nesting: a unit name read inside the province or district its
paragraph names (vnocr.lexicon.hierarchy and the line pass's use of it)."""

from __future__ import annotations

from vnocr.lexicon import Gazetteer, Name
from vnocr.lexicon.hierarchy import (
    AdminHierarchy,
    ParagraphPlaces,
    load_hierarchy,
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


def test_paragraphs_and_places():
    assert paragraph_of_lines(["a", "b", "", "", "c"]) == [0, 0, 1, 1, 1]
    places = ParagraphPlaces([tokenize("tỉnh Sơn La.")])
    assert all(key in places for key in ("son la", "tinh son la", "son", "la"))
    assert "la son" not in places and "so" not in places
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
