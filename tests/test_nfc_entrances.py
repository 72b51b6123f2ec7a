"""Text is NFC wherever it enters (files, stdin, the API, OCR, user dictionaries) and
wherever it leaves (text, JSON): decomposed input gives exactly what composed input
gives. Without it the model doubles marks (`ở̛̉ nhà̀ và̀` for `ở nhà và`) and the
dictionary's fuzzy scores drop (53 for "Hà Nội" against its own NFD spelling)."""

from __future__ import annotations

import io
import json
import sys
import unicodedata

import pytest
from fake_ocr import fake_tesseract, read_as
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from vnocr import LexiconOptions, Options, Pipeline, RestoreOptions
from vnocr.cli import main
from vnocr.files import decode_text, read_text
from vnocr.lexicon.sources import read_user_dict

# Typed text with marks, from an ordinary letter (not from samples/).
TYPED = "Hôm nay tôi ở nhà và đọc sách về lịch sử Việt Nam.\nThủy lợi, khỏe mạnh, Nguyễn Thị Hường."
PLAIN = "Hom nay toi o nha va doc sach ve lich su Viet Nam"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


OFF = Options(restore=RestoreOptions(enabled=False), lexicon=LexiconOptions(enabled=False))


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


# -- entrances ----------------------------------------------------------------------------
def test_files_and_bytes_enter_nfc(tmp_path):
    src = tmp_path / "in.txt"
    src.write_bytes(("\ufeff" + nfd(TYPED).replace("\n", "\r\n")).encode("utf-8"))
    assert read_text(src) == TYPED
    assert decode_text(nfd(TYPED).encode("utf-8")) == TYPED


def test_api_entrances_nfc_with_and_without_correction(pipeline, tmp_path):
    assert Pipeline(OFF).correct_text(nfd(TYPED)).text == TYPED
    assert Pipeline(OFF).correct_lines(nfd(TYPED).split("\n")).text == TYPED
    composed = pipeline.correct_text(TYPED)
    assert pipeline.correct_text(nfd(TYPED)) == composed
    assert pipeline.correct_lines(nfd(TYPED).split("\n")).text == composed.text
    src = tmp_path / "letter.txt"
    src.write_text(nfd(TYPED), encoding="utf-8")
    assert pipeline.read(src).text == composed.text


def test_stdin_enters_nfc_and_text_and_json_leave_nfc(pipeline, capsys, monkeypatch):
    expected = pipeline.correct_text(TYPED + "\n" + PLAIN).text
    for fmt in ("text", "json"):
        stdin = io.TextIOWrapper(io.BytesIO(nfd(TYPED + "\n" + PLAIN).encode("utf-8")))
        monkeypatch.setattr(sys, "stdin", stdin)
        code = main(["correct", "-", "-f", fmt])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert is_nfc(out)
        text = json.loads(out)["text"] if fmt == "json" else out.removesuffix("\n")
        assert text == expected


def test_ocr_words_enter_nfc(monkeypatch, tmp_path):
    page = tmp_path / "page.png"
    Image.new("L", (900, 300), 255).save(page)
    fake_tesseract(monkeypatch, [read_as(nfd(line)) for line in TYPED.split("\n")])
    result = Pipeline(OFF).read(page).pages[0]
    assert result.ocr_text == TYPED
    assert all(is_nfc(w.text) for p in result.ocr.paragraphs for ln in p.lines for w in ln.words)


def test_user_dictionary_names_enter_nfc(tmp_path):
    names = tmp_path / "names.txt"
    names.write_text(nfd("Bản Xyzơ Khúm\nPhà Đin Qwé\t30\n"), encoding="utf-8")
    assert [n.text for n in read_user_dict(names)] == ["Bản Xyzơ Khúm", "Phà Đin Qwé"]


# -- the property: decomposing the input changes nothing ----------------------------------
_VIET = st.text(alphabet=st.sampled_from(list("aăâeêioôơuưyđ" "áàảãạấầẩẫậắằẳẵặ" "éèẻẽẹếềểễệ"
                                              "óòỏõọốồổỗộớờởỡợ" "úùủũụứừửữự" "íìỉĩị" "ýỳỷỹỵ"
                                              "nhgctmpl")),
                min_size=1, max_size=7)


@settings(max_examples=25, deadline=None)
@given(st.lists(_VIET, min_size=1, max_size=8))
def test_decomposed_input_gives_the_composed_inputs_output(pipeline, words):
    text = " ".join(words)
    composed = pipeline.correct_text(text)
    decomposed = pipeline.correct_text(nfd(text))
    assert decomposed.text == composed.text and is_nfc(composed.text)
    assert all(is_nfc(c.before) and is_nfc(c.after) for c in decomposed.changes)
