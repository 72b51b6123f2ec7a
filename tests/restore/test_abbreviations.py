"""Đ given back to upper-case abbreviations in unmarked text, by corpus counts."""

import math

import numpy as np

from vnocr.restore.abbreviations import AbbreviationSpeller


def _speller(counts: dict[str, float]) -> AbbreviationSpeller:
    units = list(counts)
    logc = np.array([math.log(counts[u]) for u in units], dtype=np.float32)
    return AbbreviationSpeller({u: i for i, u in enumerate(units)}, logc)


def test_the_corpus_spelling_with_d_bar_wins_by_a_margin():
    speller = _speller({"đh": 900, "dh": 40, "hđnd": 500, "đt": 50, "dt": 30, "bgdđt": 60})
    assert speller.spell("DH") == "ĐH"
    assert speller.spell("HDND") == "HĐND"  # never seen without Đ
    assert speller.spell("BGDDT") == "BGDĐT"  # only the D the corpus bars
    assert speller.spell("DT") == "DT"  # 50 against 30: too close to change


def test_abbreviations_inside_document_codes_are_spelled_one_by_one():
    speller = _speller({"qđ": 800, "qd": 10, "gdđt": 60, "ubnd": 900, "kl": 50})
    assert speller.spell("1234/QD-UBND") == "1234/QĐ-UBND"
    assert speller.spell("04/2016/TT-GDDT") == "04/2016/TT-GDĐT"
    assert speller.spell("353-KL/TU") == "353-KL/TU"
    assert speller.spell("QDx-UBND") == "QDx-UBND"  # not a whole upper-case part
    speller = _speller({"gd": 300, "gđ": 10, "đt": 500, "dt": 30})
    assert speller.spell("GD&DT") == "GD&ĐT"  # Sở GD&ĐT: joined by & too


def test_only_plain_upper_case_abbreviations_change():
    speller = _speller({"đh": 900, "đa": 900, "đna": 900})
    assert speller.spell("Dh") == "Dh"  # not an abbreviation
    assert speller.spell("DNA") == "ĐNA"  # the counts decide, not a list of words
    assert speller.spell("GDP") == "GDP"  # no spelling with Đ is known
    assert speller.spell("D2") == "D2"


def test_restorer_bars_abbreviations_in_plain_text_only(restorer):
    assert restorer.restore(["Theo HDND tinh, DH Quoc gia"])[0].text == (
        "Theo HĐND tỉnh, ĐH Quốc gia"
    )
    assert restorer.restore(["Quyet dinh so 1234/QD-UBND cua UBND tinh"])[0].text == (
        "Quyết định số 1234/QĐ-UBND của UBND tỉnh"
    )
    typed = "Theo HDND tỉnh, Sở Giáo dục và Đào tạo đã ký kết với DH Quốc gia."
    assert restorer.restore([typed])[0].text == typed


def test_inside_a_code_the_codes_spelling_decides_and_alone_the_counts_do():
    units = {"nd": 85.0, "nđ": 51.0, "gd": 167.0, "gđ": 89.0}
    logc = np.array([math.log(v) for v in units.values()], dtype=np.float32)
    speller = AbbreviationSpeller({u: i for i, u in enumerate(units)}, logc,
                                  {"ND": "NĐ"})
    assert speller.spell("71/2016/ND-CP") == "71/2016/NĐ-CP"
    assert speller.spell("ND") == "ND"  # alone: 85 against 51
    assert speller.spell("12/GD-DT") == "12/GD-DT"  # not in the codes' table
