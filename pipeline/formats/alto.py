"""ALTO XML (version 4.4, shipped as `alto-4-4.xsd`): the corrected words with boxes
(pixels of the page image) and confidences, pages → blocks → lines → strings.

`WC` is the confidence of the word as written (see `CorrectedWord`); where the
correction changed a word, the OCR's reading stays as `<ALTERNATIVE PURPOSE="OCR">`.
An OCR paragraph is one `TextBlock`, in the OCR's reading order. The page furniture
the layout stage keeps out of the text is placed too: a page number as a `TextBlock`
tagged "page number" (a `LayoutTag`) in the page's top or bottom margin, whichever
half of the page it lies in; a received-stamp (its words left out) as an
`Illustration` of TYPE "stamp" at its box.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from importlib.resources import files
from xml.etree import ElementTree as ET

from vnocr import __version__
from vnocr.corrected_words import CorrectedLine, CorrectedPage
from vnocr.ocr.layout import Box

NAMESPACE = "http://www.loc.gov/standards/alto/ns-v4#"
SCHEMA_URL = "http://www.loc.gov/alto/v4/alto-4-4.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
PAGE_NUMBER_TAG = "tag_page_number"  # the LayoutTag a page number's TextBlock refers to


def schema_path() -> str:
    """The ALTO 4.4 schema shipped with the package (it imports `xlink.xsd` beside it)."""
    return str(files("vnocr.formats").joinpath("alto-4-4.xsd"))


def render_alto(name: str, pages: Sequence[CorrectedPage]) -> str:
    """The ALTO document of `pages` of the input `name`."""
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("xsi", _XSI)
    alto = ET.Element(_q("alto"), {f"{{{_XSI}}}schemaLocation": f"{NAMESPACE} {SCHEMA_URL}"})
    desc = ET.SubElement(alto, _q("Description"))
    ET.SubElement(desc, _q("MeasurementUnit")).text = "pixel"
    source = ET.SubElement(desc, _q("sourceImageInformation"))
    ET.SubElement(source, _q("fileName")).text = name
    step = ET.SubElement(desc, _q("Processing"), {"ID": "vnocr"})
    ET.SubElement(step, _q("processingStepDescription")).text = (
        "OCR (Tesseract), diacritic restoration and gazetteer correction")
    software = ET.SubElement(step, _q("processingSoftware"))
    ET.SubElement(software, _q("softwareName")).text = "vnocr"
    ET.SubElement(software, _q("softwareVersion")).text = __version__
    if any(page.page_numbers for page in pages):
        tags = ET.SubElement(alto, _q("Tags"))
        ET.SubElement(tags, _q("LayoutTag"), {"ID": PAGE_NUMBER_TAG, "TYPE": "page number",
                                              "LABEL": "page number"})
    layout = ET.SubElement(alto, _q("Layout"))
    for page in pages:
        n = page.index + 1
        el = ET.SubElement(layout, _q("Page"), {
            "ID": f"page_{n}", "PHYSICAL_IMG_NR": str(n), "WIDTH": str(page.width),
            "HEIGHT": str(page.height), "PROCESSINGREFS": "vnocr"})
        string_ids = (f"string_{n}_{k}" for k in itertools.count(1))
        top = [ln for ln in page.page_numbers if _middle(ln.box) < page.height / 2]
        bottom = [ln for ln in page.page_numbers if ln not in top]
        for margin, lines in (("TopMargin", top), ("BottomMargin", bottom)):
            if lines:
                space = ET.SubElement(el, _q(margin), {"ID": f"{margin}_{n}"})
                for k, line in enumerate(lines, 1):
                    block = ET.SubElement(space, _q("TextBlock"), {
                        "ID": f"pageno_{n}_{margin}_{k}", "TAGREFS": PAGE_NUMBER_TAG,
                        **_pos(line.box)})
                    _text_line(block, line, f"pageno_line_{n}_{margin}_{k}", string_ids)
        space = ET.SubElement(el, _q("PrintSpace"), _pos((0, 0, page.width, page.height)))
        for b, par in enumerate(page.paragraphs, 1):
            block = ET.SubElement(space, _q("TextBlock"), {"ID": f"block_{n}_{b}",
                                                           **_pos(par.box)})
            for k, line in enumerate(par.lines, 1):
                _text_line(block, line, f"line_{n}_{b}_{k}", string_ids)
        for k, box in enumerate(page.stamps, 1):
            ET.SubElement(space, _q("Illustration"), {"ID": f"stamp_{n}_{k}", "TYPE": "stamp",
                                                      **_pos(box)})
    ET.indent(alto, space=" ")
    return ET.tostring(alto, encoding="unicode", xml_declaration=False).join(
        ('<?xml version="1.0" encoding="UTF-8"?>\n', "\n"))


def _text_line(block: ET.Element, line: CorrectedLine, ident: str,
               string_ids: Iterator[str]) -> None:
    """A `TextLine` of `line`'s words, spaces between them, the OCR's reading of each
    changed word as its alternative."""
    text_line = ET.SubElement(block, _q("TextLine"), {"ID": ident, **_pos(line.box)})
    for i, word in enumerate(line.words):
        if i:
            ET.SubElement(text_line, _q("SP"))
        string = ET.SubElement(text_line, _q("String"), {
            "ID": next(string_ids), "CONTENT": word.text, **_pos(word.box),
            "WC": f"{word.conf:.4g}"})
        if word.ocr_text is not None:
            alt = ET.SubElement(string, _q("ALTERNATIVE"), {"PURPOSE": "OCR"})
            alt.text = word.ocr_text


def _middle(box: Box) -> float:
    return box[1] + box[3] / 2


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _pos(box: Box) -> dict[str, str]:
    left, top, width, height = box
    return {"HPOS": str(left), "VPOS": str(top), "WIDTH": str(width), "HEIGHT": str(height)}


__all__ = ["NAMESPACE", "PAGE_NUMBER_TAG", "render_alto", "schema_path"]
