"""hOCR: the corrected words as XHTML, pages → blocks → paragraphs → lines → words.

Each `ocrx_word` carries its box and `x_wconf` (0-100, the confidence of the word as
written, see `CorrectedWord`). Where the correction changed a word, the OCR's reading
stays beside it as hOCR's alternatives: `<span class="alternatives"><ins class="alt">`
the corrected word `</ins><del class="alt">` the OCR's `</del></span>`. A paragraph
is its own block (`ocr_carea`): the OCR's paragraphs are its reading-order units.
The page furniture the layout stage keeps out of the text follows them as hOCR's
floats: each page number an `ocr_pageno` holding its line, each received-stamp (its
words left out) an empty `ocr_image` at its box.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from xml.etree import ElementTree as ET

from vnocr import __version__
from vnocr.corrected_words import CorrectedLine, CorrectedPage, CorrectedWord
from vnocr.ocr.layout import Box

_XHTML = "http://www.w3.org/1999/xhtml"
_DOCTYPE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')
CAPABILITIES = ("ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf ocr_alternatives "
                "ocr_pageno ocr_image")


def render_hocr(name: str, pages: Sequence[CorrectedPage]) -> str:
    """The hOCR document of `pages` of the input `name`."""
    html = ET.Element("html", {"xmlns": _XHTML, "xml:lang": "vi", "lang": "vi"})
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "title").text = name
    for key, value in (("ocr-system", f"vnocr {__version__}"),
                       ("ocr-capabilities", CAPABILITIES)):
        ET.SubElement(head, "meta", {"name": key, "content": value})
    body = ET.SubElement(html, "body")
    for page in pages:
        n = page.index + 1
        div = ET.SubElement(body, "div", {
            "class": "ocr_page", "id": f"page_{n}",
            "title": f"image {_quoted(name)}; bbox 0 0 {page.width} {page.height}; "
                     f"ppageno {page.index}"})
        word_ids = (f"word_{n}_{k}" for k in itertools.count(1))
        for b, par in enumerate(page.paragraphs, 1):
            block = ET.SubElement(div, "div", {"class": "ocr_carea", "id": f"block_{n}_{b}",
                                               "title": _bbox(par.box)})
            p = ET.SubElement(block, "p", {"class": "ocr_par", "id": f"par_{n}_{b}",
                                           "title": _bbox(par.box)})
            for k, line in enumerate(par.lines, 1):
                _line(p, line, f"line_{n}_{b}_{k}", word_ids)
        for k, line in enumerate(page.page_numbers, 1):
            number = ET.SubElement(div, "div", {"class": "ocr_pageno", "id": f"pageno_{n}_{k}",
                                                "title": _bbox(line.box)})
            _line(number, line, f"pageno_line_{n}_{k}", word_ids)
        for k, box in enumerate(page.stamps, 1):
            ET.SubElement(div, "div", {"class": "ocr_image", "id": f"stamp_{n}_{k}",
                                       "title": _bbox(box)})
    ET.indent(html, space=" ")
    # an empty element closes with its end tag: `<div/>` would open a div to HTML parsers
    body_text = ET.tostring(html, encoding="unicode", xml_declaration=False,
                            short_empty_elements=False)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{_DOCTYPE}\n{body_text}\n'


def _line(parent: ET.Element, line: CorrectedLine, ident: str, word_ids: Iterator[str]
          ) -> None:
    """An `ocr_line` with its words, each taking the next of the page's `word_ids`."""
    span = ET.SubElement(parent, "span", {"class": "ocr_line", "id": ident,
                                          "title": _bbox(line.box)})
    for word in line.words:
        _word(span, word, next(word_ids))


def _word(parent: ET.Element, word: CorrectedWord, ident: str) -> None:
    span = ET.SubElement(parent, "span", {
        "class": "ocrx_word", "id": ident,
        "title": f"{_bbox(word.box)}; x_wconf {round(word.conf * 100)}"})
    if word.ocr_text is None:
        span.text = word.text
        return
    alts = ET.SubElement(span, "span", {"class": "alternatives"})
    ins = ET.SubElement(alts, "ins", {"class": "alt",
                                      "title": f"x_wconf {round(word.conf * 100)}"})
    ins.text = word.text
    deleted = ET.SubElement(alts, "del", {
        "class": "alt", "title": f"x_wconf {round((word.ocr_conf or 0.0) * 100)}"})
    deleted.text = word.ocr_text


def _bbox(box: Box) -> str:
    left, top, width, height = box
    return f"bbox {left} {top} {left + width} {top + height}"


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


__all__ = ["render_hocr"]
