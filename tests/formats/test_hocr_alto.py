"""hOCR and ALTO: the corrected words with boxes and confidences, the OCR's reading
kept as an alternative where it changed, page numbers and stamps placed; ALTO valid
against the shipped schema."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from vnocr.formats.alto import NAMESPACE, PAGE_NUMBER_TAG, schema_path
from vnocr.ocr.layout import OcrLine, OcrWord
from vnocr.output import Format, PageOutput, format_for, render_document

pytestmark = pytest.mark.slow


def rendered(kind: str, page) -> tuple[str, list]:
    out = PageOutput.of(page, (kind,))
    return render_document(kind, "scan.jpg", [out]), out.layout.words


class Words(HTMLParser):
    """The ocrx_word spans: their title and the text of their first alternative."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[dict] = []
        self.depth = 0  # open spans inside the current word
        self.deleted = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "span" and a.get("class") == "ocrx_word":
            self.words.append({"title": a["title"], "text": "", "alt": ""})
            self.depth = 1
        elif tag == "span" and self.depth:
            self.depth += 1
        self.deleted = self.deleted or tag == "del"

    def handle_endtag(self, tag):
        if tag == "span" and self.depth:
            self.depth -= 1
        if tag == "del":
            self.deleted = False

    def handle_data(self, data):
        if self.depth and data.strip():
            self.words[-1]["alt" if self.deleted else "text"] += data.strip()


def test_hocr_words_have_boxes_confidences_and_alternatives(photocopy_page):
    html, words = rendered("hocr", photocopy_page)
    parser = Words()
    parser.feed(html)
    assert [w["text"] for w in parser.words] == [w.text for w in words]
    for found, word in zip(parser.words, words):
        left, top, width, height = word.box
        assert f"bbox {left} {top} {left + width} {top + height}" in found["title"]
        assert re.search(r"x_wconf \d+", found["title"])
        assert found["alt"] == (word.ocr_text or "")
    assert any(w.ocr_text for w in words), "the photocopy has a corrected word"
    assert html.count('class="ocr_line"') == len(PageOutput.of(photocopy_page, ("hocr",))
                                                   .layout.lines)


def test_alto_validates_and_keeps_the_ocr_reading(photocopy_page):
    xml, words = rendered("alto", photocopy_page)
    xmlschema.XMLSchema(schema_path()).validate(xml)
    strings = ET.fromstring(xml).iter(f"{{{NAMESPACE}}}String")
    got = [(s.get("CONTENT"), s.findtext(f"{{{NAMESPACE}}}ALTERNATIVE")) for s in strings]
    assert got == [(w.text, w.ocr_text) for w in words]


@pytest.fixture
def furnished_page(photocopy_page):
    """The photocopy with a page number at its foot and a received-stamp, as the layout
    stage would have moved them out of the text."""
    number = OcrLine((OcrWord("-", 0.9, (800, 2250, 12, 4)), OcrWord("3", 0.95, (820, 2240, 20, 30)),
                      OcrWord("-", 0.9, (848, 2250, 12, 4))))
    ocr = replace(photocopy_page.ocr, page_numbers=(number,), stamps=((1100, 120, 400, 260),))
    return replace(photocopy_page, ocr=ocr)


def test_hocr_places_page_numbers_and_stamps(furnished_page):
    html, _ = rendered("hocr", furnished_page)
    assert '<div class="ocr_pageno" id="pageno_1_1" title="bbox 800 2240 860 2270">' in html
    parser = Words()
    parser.feed(html)
    assert [w["text"] for w in parser.words[-3:]] == ["-", "3", "-"]
    assert '<div class="ocr_image" id="stamp_1_1" title="bbox 1100 120 1500 380"></div>' in html
    ET.fromstring(html)  # well-formed XHTML


def test_alto_places_page_numbers_in_the_margin_and_stamps_as_illustrations(furnished_page):
    xml, _ = rendered("alto", furnished_page)
    xmlschema.XMLSchema(schema_path()).validate(xml)
    root = ET.fromstring(xml)
    (tag,) = root.iter(f"{{{NAMESPACE}}}LayoutTag")
    assert (tag.get("ID"), tag.get("LABEL")) == (PAGE_NUMBER_TAG, "page number")
    (margin,) = root.iter(f"{{{NAMESPACE}}}BottomMargin")
    (block,) = margin.iter(f"{{{NAMESPACE}}}TextBlock")
    assert block.get("TAGREFS") == PAGE_NUMBER_TAG
    assert [block.get(k) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT")] == ["800", "2240", "60", "30"]
    assert [s.get("CONTENT") for s in block.iter(f"{{{NAMESPACE}}}String")] == ["-", "3", "-"]
    (stamp,) = root.iter(f"{{{NAMESPACE}}}Illustration")
    assert stamp.get("TYPE") == "stamp"
    assert [stamp.get(k) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT")] == ["1100", "120", "400", "260"]


def test_the_output_suffix_names_the_format():
    assert format_for("scan.alto.xml") is Format.alto and format_for("SCAN.XML") is Format.alto
    assert format_for("scan.hocr") is Format.hocr and format_for("scan.pdf") is Format.pdf
    assert format_for("scan.json") is Format.json
    assert format_for("scan.txt") is Format.text and format_for(None) is Format.text
