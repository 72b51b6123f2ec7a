"""Rendering results as the files and streams the commands write: one layout per format.

`vnocr ocr`, `vnocr batch` and `vnocr correct` all render here, so a text file, a JSON
document or a review page comes out the same whichever command made it. A renderer
takes `PageOutput`s (small and picklable: a worker process builds them, the parent
renders) and returns the whole file as a str (bytes for PDF). A new format is one
more entry in `RENDERERS` and `SUFFIX` (and in `Format` if `--format` offers it). The
formats that place words on the page (JSON's corrected layout, PDF, hOCR, ALTO) take
them from `vnocr.corrected_words`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vnocr.errors import InputError
from vnocr.result import CorrectionResult

if TYPE_CHECKING:
    from vnocr.api import PageResult
    from vnocr.corrected_words import CorrectedPage
    from vnocr.ocr.layout import OcrPage


class Format(str, Enum):
    """What `--format` offers: the document as text, as JSON with its structure, as a
    searchable PDF, or as hOCR or ALTO XML with the corrected words' boxes."""

    text = "text"
    json = "json"
    pdf = "pdf"
    hocr = "hocr"
    alto = "alto"


HTML = "html"  # the review page of every change (vnocr.report); `--html`, not `--format`
SUFFIX = {"text": ".txt", "json": ".json", "pdf": ".pdf", "hocr": ".hocr", "alto": ".xml",
          HTML: ".html"}
# Formats that need the corrected words on the page; PDF also the input file itself.
_PLACED = frozenset({"json", "pdf", "hocr", "alto"})


def format_for(output: str | None) -> Format:
    """The format an output file's suffix names (`-o scan.pdf`; `.xml` is ALTO, the one
    XML vnocr writes), text otherwise."""
    if output is not None:
        for fmt in (Format.pdf, Format.hocr, Format.json, Format.alto):
            if output.lower().endswith(SUFFIX[fmt.value]):
                return fmt
    return Format.text


@dataclass(frozen=True, slots=True)
class PageOutput:
    """What the renderers need of one page; the OCR structure only when JSON is wanted."""

    index: int
    text: str
    data: dict[str, Any] | None = None  # `page_dict`, for JSON
    correction: CorrectionResult | None = None  # for the review page
    layout: CorrectedPage | None = None  # the corrected words on the page: PDF, hOCR, ALTO
    source: str | None = None  # the file the page was read from: PDF
    page_source: str = "ocr"  # how the page was read: ocr, text-layer, skipped (`PageResult`)

    @classmethod
    def of(cls, page: PageResult, kinds: Collection[str], *, source: str | None = None
           ) -> PageOutput:
        """Keep what `kinds` ("text", "json", "html", "pdf", ...) will render and drop
        the rest (word boxes are large)."""
        wanted = {str(getattr(k, "value", k)) for k in kinds}
        correction = None
        if HTML in wanted:
            correction = page.correction or CorrectionResult(text=page.text, input_text=page.text)
        layout = None
        if page.ocr is not None and wanted & _PLACED:
            layout = _corrected_page(page.ocr, page.correction)
        data = page_dict(page, layout) if "json" in wanted else None
        keep = layout if wanted & (_PLACED - {"json"}) else None
        return cls(page.index, page.text, data, correction, keep,
                   source if "pdf" in wanted else None, page.source)


def page_dict(page: PageResult, layout: CorrectedPage | None = None) -> dict[str, Any]:
    """A page in JSON: the OCR structure (paragraphs → lines → words with confidence and
    box), the raw and corrected text and the changes, then the corrected words in the
    same structure (`corrected_paragraphs`; a changed word keeps the OCR's reading)."""
    d: dict[str, Any] = page.ocr.as_dict() if page.ocr is not None else {"index": page.index}
    d.pop("text", None)
    d["ocr_text"] = page.ocr_text
    d["text"] = page.text
    d["changes"] = [c.as_dict() for c in page.correction.changes] if page.correction else []
    d["kept_alternatives"] = ([k.as_dict() for k in page.correction.kept_alternatives]
                              if page.correction else [])
    d["source"] = page.source  # ocr, text-layer (the PDF's own text) or skipped
    if page.ocr is not None:
        layout = layout or _corrected_page(page.ocr, page.correction)
        d["corrected_paragraphs"] = [p.as_dict() for p in layout.paragraphs]
    return d


def _corrected_page(ocr: OcrPage, correction: CorrectionResult | None) -> CorrectedPage:
    """`vnocr.corrected_words.corrected_page`, imported only for a page that was OCR'd:
    importing it runs `vnocr.ocr`'s package, which loads OpenCV and Pillow (some 34 MB
    resident), and a text-only `vnocr correct` never needs them."""
    from vnocr.corrected_words import corrected_page

    return corrected_page(ocr, correction)


def document_text(pages: Sequence[PageOutput]) -> str:
    """Pages separated by form feed, as Tesseract does."""
    return "\f".join(p.text for p in pages)


def text_file(text: str) -> str:
    """A text file ends with a newline: one is added unless the text has it already."""
    return text if text.endswith("\n") else text + "\n"


def document_dict(
    name: str, pages: Sequence[PageOutput], *, sha256: str | None = None
) -> dict[str, Any]:
    """A document in JSON: its name, the input's digest (batch), text and pages."""
    doc: dict[str, Any] = {"path": name}
    if sha256 is not None:
        doc["sha256"] = sha256
    doc["text"] = document_text(pages)
    doc["pages"] = [p.data for p in pages]
    return doc


def dump_json(obj: Any) -> str:
    """The JSON every command writes: UTF-8 as is (Vietnamese stays readable), indented."""
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def _render_text(name: str, pages: Sequence[PageOutput], sha256: str | None) -> str:
    return text_file(document_text(pages))


def _render_json(name: str, pages: Sequence[PageOutput], sha256: str | None) -> str:
    return dump_json(document_dict(name, pages, sha256=sha256))


def _render_html(name: str, pages: Sequence[PageOutput], sha256: str | None) -> str:
    from vnocr.report import render_html

    labels = [f"page {p.index + 1}" for p in pages] if len(pages) > 1 else None
    corrections = [p.correction for p in pages if p.correction is not None]
    return render_html(corrections, title=name, labels=labels)


def _render_pdf(name: str, pages: Sequence[PageOutput], sha256: str | None) -> bytes:
    from vnocr.formats.pdf import render_pdf

    layouts = [_layout(name, p) for p in pages]
    own_text = {p.index for p in pages if p.page_source != "ocr"}
    return render_pdf(Path(_source(name, pages)), layouts, bare=own_text)


def _render_hocr(name: str, pages: Sequence[PageOutput], sha256: str | None) -> str:
    from vnocr.formats.hocr import render_hocr

    return render_hocr(name, [_layout(name, p) for p in pages])


def _render_alto(name: str, pages: Sequence[PageOutput], sha256: str | None) -> str:
    from vnocr.formats.alto import render_alto

    return render_alto(name, [_layout(name, p) for p in pages])


def _layout(name: str, page: PageOutput) -> CorrectedPage:
    if page.layout is None:
        raise InputError(f"{name}: has no page image to place words on (a text file?)")
    return page.layout


def _source(name: str, pages: Sequence[PageOutput]) -> str:
    if not pages or pages[0].source is None:
        raise InputError(f"{name}: has no page image to put in a PDF (a text file?)")
    return pages[0].source


Renderer = Callable[[str, Sequence[PageOutput], "str | None"], "str | bytes"]
RENDERERS: dict[str, Renderer] = {"text": _render_text, "json": _render_json, HTML: _render_html,
                                  "pdf": _render_pdf, "hocr": _render_hocr, "alto": _render_alto}


def render_document(
    kind: Format | str, name: str, pages: Sequence[PageOutput], *, sha256: str | None = None
) -> str | bytes:
    """The whole output file of one document: `kind` is a `Format` or "html"; bytes
    for PDF, str for the others."""
    return RENDERERS[str(getattr(kind, "value", kind))](name, pages, sha256)


def render_correction(name: str, result: CorrectionResult, fmt: Format | str) -> str:
    """`vnocr correct`'s output for one input: the text, or the text and its changes."""
    if Format(fmt) is Format.text:
        return text_file(result.text)
    return dump_json({"input": name, **result.as_dict()})


__all__ = [
    "HTML",
    "RENDERERS",
    "SUFFIX",
    "Format",
    "PageOutput",
    "document_dict",
    "document_text",
    "dump_json",
    "format_for",
    "page_dict",
    "render_correction",
    "render_document",
    "text_file",
]
