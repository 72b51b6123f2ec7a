"""`corrected_page`: the corrected words on the OCR's boxes, whatever the restorer did
to the token count (kept, changed, split, merged by a name, specks dropped)."""

from __future__ import annotations

from vnocr.api import PageResult
from vnocr.corrected_words import corrected_page, split_box
from vnocr.ocr.layout import OcrLine, OcrPage, OcrParagraph, OcrWord
from vnocr.output import page_dict
from vnocr.result import Change, CorrectionResult


def ocr_page(*paragraphs: list[list[str]]) -> OcrPage:
    """Words 100 px apart, 80 wide, one line every 50 px; conf 0.5 + 0.01 per word."""
    pars, y, n = [], 0, 0
    for par in paragraphs:
        lines = []
        for line in par:
            words = []
            for k, text in enumerate(line):
                words.append(OcrWord(text, 0.5 + 0.01 * n, (100 * k, y, 80, 40)))
                n += 1
            lines.append(OcrLine(tuple(words)))
            y += 50
        pars.append(OcrParagraph(tuple(lines)))
    return OcrPage(0, tuple(pars), width=1000, height=1000)


def test_kept_and_changed_words_keep_their_boxes_and_the_ocr_reading():
    page = ocr_page([["Uy", "ban"]], [["Son", "La"]])
    changes = (Change(0, 0, 0, 2, "Uy", "Ủy", 0.9, "model"),
               Change(2, 0, 0, 3, "Son", "Sơn", 0.8, "model"),
               Change(2, 1, 4, 6, "La", "La", 0.8, "model"))
    result = CorrectionResult("Ủy ban\n\nSơn La", page.text, changes)
    cp = corrected_page(page, result)
    assert [ln.text for ln in cp.lines] == ["Ủy ban", "Sơn La"]
    assert len(cp.paragraphs) == 2
    uy, ban, son, la = cp.words
    assert (uy.box, uy.conf, uy.ocr_text, uy.ocr_conf) == ((0, 0, 80, 40), 0.9, "Uy", 0.5)
    assert (ban.box, ban.conf, ban.ocr_text) == ((100, 0, 80, 40), 0.51, None)
    assert son.box == (0, 50, 80, 40) and son.ocr_text == "Son"
    assert la.ocr_text is None and la.conf == 0.53  # "changed" to itself: the OCR's


def test_a_split_word_shares_its_box_in_proportion_to_characters():
    page = ocr_page([["thanhpho", "Hue"]])
    changes = (Change(0, 0, 0, 8, "thanhpho", "thành phố", 0.7, "model"),)
    cp = corrected_page(page, CorrectionResult("thành phố Hue", page.text, changes))
    thanh, pho, hue = cp.words
    assert (thanh.text, pho.text, hue.text) == ("thành", "phố", "Hue")
    assert thanh.box[0] == 0 and pho.box[0] + pho.box[2] == 80
    assert thanh.box[2] > pho.box[2]  # 5 letters against 3
    assert thanh.box[0] + thanh.box[2] < pho.box[0]  # the space between them
    assert thanh.ocr_text == pho.ocr_text == "thanhpho" and thanh.conf == 0.7
    assert hue.box == (100, 0, 80, 40)


def test_dropped_specks_leave_no_word_and_a_name_keeps_one_box_per_word():
    page = ocr_page([[".", ",", "Chieng", "Sinh", "~"]])
    line = page.text
    changes = (Change(0, 0, 0, 4, ". , ", "", 1.0, "model", ntokens=2),
               Change(0, 2, 4, 15, "Chieng Sinh", "Chiềng Sinh", 0.95, "dictionary", 2),
               Change(0, 4, 15, 17, " ~", "", 1.0, "model"))
    cp = corrected_page(page, CorrectionResult("Chiềng Sinh", line, changes))
    assert [(w.text, w.box, w.ocr_text) for w in cp.words] == [
        ("Chiềng", (200, 0, 80, 40), "Chieng"), ("Sinh", (300, 0, 80, 40), None)]


def test_a_speck_cut_between_words_widens_the_word_before_it():
    # `trường ,, .`: the text layer must not leave the speck's gap before the last word
    page = ocr_page([["truong", ",,", "."]])
    changes = (Change(0, 0, 0, 6, "truong", "trường", 0.9, "model"),
               Change(0, 1, 6, 9, " ,,", "", 1.0, "model"))
    cp = corrected_page(page, CorrectionResult("trường .", page.text, changes))
    truong, dot = cp.words
    assert (truong.text, truong.box, truong.ocr_text) == ("trường", (0, 0, 180, 40), "truong ,,")
    assert (dot.text, dot.box) == (".", (200, 0, 80, 40))
    # cut at the line's end, a speck widens nothing
    changes = (Change(0, 1, 6, 11, " ,, .", "", 1.0, "model", ntokens=2),)
    cp = corrected_page(page, CorrectionResult("truong", page.text, changes))
    assert [(w.text, w.box) for w in cp.words] == [("truong", (0, 0, 80, 40))]


def test_a_merge_of_two_words_takes_both_boxes():
    page = ocr_page([["Ha", "Noi", "ok"]])
    changes = (Change(0, 0, 0, 6, "Ha Noi", "HàNội", 0.6, "dictionary", ntokens=2),)
    cp = corrected_page(page, CorrectionResult("HàNội ok", page.text, changes))
    assert [(w.text, w.box, w.ocr_text) for w in cp.words] == [
        ("HàNội", (0, 0, 180, 40), "Ha Noi"), ("ok", (200, 0, 80, 40), None)]


def test_changes_that_do_not_account_for_the_words_share_the_line_box():
    page = ocr_page([["a", "b"]])
    cp = corrected_page(page, CorrectionResult("a b c", page.text, ()))
    assert [w.text for w in cp.words] == ["a", "b", "c"]
    assert cp.words[0].box[0] == 0 and cp.words[-1].box[0] + cp.words[-1].box[2] == 180


def test_without_correction_the_words_are_the_ocr_words():
    page = ocr_page([["Uy", "ban"]])
    cp = corrected_page(page, None)
    assert [(w.text, w.box, w.conf) for w in cp.words] == [
        ("Uy", (0, 0, 80, 40), 0.5), ("ban", (100, 0, 80, 40), 0.51)]


def test_split_box_covers_the_box():
    boxes = split_box((10, 5, 100, 20), ["ab", "cde", "f"])
    assert boxes[0][0] == 10 and boxes[-1][0] + boxes[-1][2] == 110
    assert all(b[1] == 5 and b[3] == 20 for b in boxes)


def test_json_page_gains_the_corrected_words_and_keeps_its_fields():
    page = ocr_page([["Uy", "ban"]])
    result = CorrectionResult("Ủy ban", page.text,
                              (Change(0, 0, 0, 2, "Uy", "Ủy", 0.9, "model"),))
    d = page_dict(PageResult(0, page.text, result, page))
    assert list(d)[-1] == "corrected_paragraphs"
    assert list(d)[:-1] == ["index", "width", "height", "skew_deg", "rotation", "scale",
                            "paragraphs", "page_numbers", "stamps", "tables", "ocr_text", "text",
                            "changes", "kept_alternatives", "source"]
    word = d["corrected_paragraphs"][0]["lines"][0]["words"][0]
    assert word == {"text": "Ủy", "conf": 0.9, "box": [0, 0, 80, 40], "ocr_text": "Uy",
                    "ocr_conf": 0.5}


def test_real_restorer_specks_and_marks(pipeline):
    words = [".", ",", "Uy", "ban", "nhan", "dan", "tinh", "Son", "La", "~"]
    page = ocr_page([words])
    result = pipeline.correct_lines(page.lines, page.line_confidences)
    cp = corrected_page(page, result)
    assert [w.text for w in cp.words] == result.text.split()
    assert cp.words[0].box == (200, 0, 80, 40)  # the two specks dropped
    assert cp.words[-1].box == (800, 0, 80, 40)
