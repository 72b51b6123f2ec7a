"""hOCR and ALTO: the corrected words with boxes and confidences, the OCR's reading
kept as an alternative where it changed; ALTO valid against the shipped schema."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from vnocr.formats.alto import NAMESPACE, schema_path
from vnocr.output import PageOutput, render_document

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
