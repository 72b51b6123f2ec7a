"""The corpus's spelling of abbreviations inside document codes."""

from __future__ import annotations

from vnocr.lexicon.code_parts import (
    barred_spellings,
    code_part_spellings,
    count_code_parts,
    write_code_parts,
)


def test_only_parts_of_codes_with_a_d_are_counted_as_written():
    counts = count_code_parts([
        "Theo Nghị định 15/2020/NĐ-CP và Quyết định 12/QĐ-UBND của NĐ tỉnh.",
        "Công văn 5/GD-ĐT, nhóm ND, mã DOS-2 và 7/ND-CP.",
    ])
    assert counts == {"NĐ": 1, "QĐ": 1, "UBND": 1, "GD": 1, "ĐT": 1, "DOS": 1, "ND": 1}


def test_a_barred_spelling_is_listed_when_the_codes_prefer_it_by_a_margin():
    counts = {"NĐ": 851, "ND": 4, "GD": 2522, "GĐ": 21, "TĐ": 9, "TD": 4, "HĐ": 2}
    assert barred_spellings(counts) == {"ND": "NĐ"}  # TĐ 9 : 4 too close, HĐ too rare


def test_the_table_round_trips_and_the_shipped_one_bars_the_decree_code(tmp_path):
    path = tmp_path / "parts.tsv.gz"
    write_code_parts({"QĐ": 10, "QD": 1, "BGDĐT": 5}, path)
    assert code_part_spellings(path) == {"QD": "QĐ", "BGDDT": "BGDĐT"}
    shipped = code_part_spellings()
    assert shipped["ND"] == "NĐ" and "GD" not in shipped and "DOS" not in shipped
