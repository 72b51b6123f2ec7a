"""The document the correction stages hand on: built once, each stage's facts and
changes recorded, and read back as the `CorrectionResult` users get."""

from __future__ import annotations

from vnocr.document import Document, TextFacts
from vnocr.restore.assembly import RestoredLine
from vnocr.result import Change, CorrectionResult, KeptWord
from vnocr.text import tokenize

FACTS = TextFacts(regime="plain", eng_ocr=False, tone_style="old", damaged=False)


def _model(line: int, token: int, start: int, before: str, after: str) -> Change:
    return Change(line, token, start, start + len(before), before, after, 0.9, "model")


def test_a_new_document_is_its_input():
    lines = ["Dang bo tinh", "", "l  Son La"]
    doc = Document.from_lines(lines, [[0.9, 0.8, 0.7], None, None])
    assert doc.text == doc.aligned_input == tuple(lines)
    assert doc.tokens == tuple(tuple(tokenize(line)) for line in lines)
    assert doc.cuts == ((), (), ()) and doc.facts is None
    # the OCR's word confidences travel to the result (the review page flags doubted words)
    assert doc.result() == CorrectionResult(text="\n".join(lines), input_text="\n".join(lines),
                                            ocr_confidences=((0.9, 0.8, 0.7), None, None))


def test_restoration_records_its_lines_facts_and_the_input_without_specks():
    doc = Document.from_lines(["Dang bo", "l  Son La"])
    restored = [
        RestoredLine("Đảng bộ", [_model(0, 0, 0, "Dang", "Đảng"), _model(0, 1, 5, "bo", "bộ")],
                     [0.9, 0.8]),
        RestoredLine("Sơn La", [_model(1, 1, 3, "Son", "Sơn")], [0.7, 1.0],
                     aligned_input="Son La", cuts=((0, 3, 1),)),
    ]
    doc = doc.restored(restored, FACTS)
    assert doc.text == ("Đảng bộ", "Sơn La") and doc.facts == FACTS
    assert doc.aligned_input == ("Dang bo", "Son La") and doc.cuts == ((), ((0, 3, 1),))
    # the dictionary pass reads these tokens: the input's own where nothing was cut
    assert doc.aligned_tokens == (doc.tokens[0], tuple(tokenize("Son La")))
    assert [c.after for c in doc.changes] == ["Đảng", "bộ", "Sơn"]
    # the kind of text, per line, for the review page's calibration
    assert doc.result().regimes == ("plain", "plain") and FACTS.kind == "plain"
    assert TextFacts("plain", True, "old", False).kind == "eng_ocr"
    assert doc.result().confidences == ((0.9, 0.8), (0.7, 1.0))


def test_a_dictionary_change_is_placed_in_the_input_and_supersedes_the_model():
    doc = Document.from_lines(["Dang bo", "l  Son La"]).restored([
        RestoredLine("Đảng bộ", [_model(0, 0, 0, "Dang", "Đảng")], [0.9, 1.0]),
        RestoredLine("Sơn La", [_model(1, 1, 3, "Son", "Sơn")], [0.7, 1.0],
                     aligned_input="Son La", cuts=((0, 3, 1),)),
    ], FACTS)
    # found on the aligned line 1 at token 0, chars 0-6: in the input, token 1 from char 3
    name = Change(1, 0, 0, 6, "Son La", "Sơn La", 1.0, "dictionary", ntokens=2)
    doc = doc.names_fixed(["Đảng bộ", "Sơn La"], [name], ocr_debris=False, tone_style="old")
    assert doc.changes == (
        _model(0, 0, 0, "Dang", "Đảng"),
        Change(1, 1, 3, 9, "Son La", "Sơn La", 1.0, "dictionary", ntokens=2),
    )
    assert doc.ocr_debris is False and doc.names_tone_style == "old"


def test_a_dictionary_change_across_a_speck_cut_between_words_covers_it_in_the_input():
    # input `l  Tô | Hiệu ở`: the lead `l` and the `|` between the words were cut
    line = "l  To | Hieu o"
    doc = Document.from_lines([line]).restored([
        RestoredLine("To Hieu ở", [_model(0, 4, 12, "o", "ở")], [0.7, 0.7, 0.9],
                     aligned_input="To Hieu o", cuts=((0, 3, 1), (2, 2, 1))),
    ], FACTS)
    name = Change(0, 0, 0, 7, "To Hieu", "Tô Hiệu", 1.0, "dictionary", ntokens=2)
    after = Change(0, 2, 8, 9, "o", "ở", 1.0, "dictionary")
    doc = doc.names_fixed(["Tô Hiệu ở"], [name, after], ocr_debris=False, tone_style="old")
    placed = [c for c in doc.changes if c.stage == "dictionary"]
    assert placed == [Change(0, 1, 3, 12, "To | Hieu", "Tô Hiệu", 1.0, "dictionary", ntokens=3),
                      Change(0, 4, 13, 14, "o", "ở", 1.0, "dictionary")]
    assert line[3:12] == "To | Hieu" and line[13:14] == "o"


def test_a_kept_word_the_dictionary_renames_loses_its_runners_up_and_concat_counts_lines():
    """A kept word's record names the input's token; once a name covers it, the word is
    no longer kept, and results of consecutive pieces count its line in the whole."""
    la = KeptWord(1, 2, 7, 9, "La", 0.8, (("Là", 0.15),))
    bo = KeptWord(0, 1, 5, 7, "bo", 0.9, (("bộ", 0.05),))
    doc = Document.from_lines(["Đảng bo", "l  Son La"]).restored([
        RestoredLine("Đảng bo", [], [1.0, 0.9], [bo]),
        RestoredLine("Sơn La", [_model(1, 1, 3, "Son", "Sơn")], [0.7, 0.8], [la],
                     aligned_input="Son La", cuts=((0, 3, 1),)),
    ], FACTS)
    assert doc.result().kept_alternatives == (bo, la)
    name = Change(1, 0, 0, 6, "Son La", "Sơn La", 1.0, "dictionary", ntokens=2)
    doc = doc.names_fixed(["Đảng bo", "Sơn La"], [name], ocr_debris=False, tone_style="old")
    result = doc.result()
    assert result.kept_alternatives == (bo,)
    assert result.as_dict()["kept_alternatives"] == [
        {"line": 0, "token": 1, "start": 5, "end": 7, "word": "bo", "confidence": 0.9,
         "alternatives": [["bộ", 0.05]]}]
    both = CorrectionResult.concat([result, result])
    assert [k.line for k in both.kept_alternatives] == [0, 2]


def test_the_restoration_stage_decides_the_facts_once():
    from vnocr.options import DEFAULT_MODEL_DIR
    from vnocr.restore import load_restorer

    restorer = load_restorer(DEFAULT_MODEL_DIR)
    lines = ["Dang bo tinh Son La hoc tap va lam theo tu tuong cua Bac"]
    doc = restorer.restore_document(Document.from_lines(lines))
    assert doc.facts == TextFacts(regime="plain", eng_ocr=False, tone_style="old",
                                  damaged=False)
    assert list(doc.text) == [r.text for r in restorer.restore(lines)]
