"""Rendering results as the files and streams the commands write: one layout per format.

`vnocr ocr`, `vnocr batch` and `vnocr correct` all render here, so a text file, a JSON
document or a review page comes out the same whichever command made it. A renderer
takes `PageOutput`s (small and picklable: a worker process builds them, the parent
renders) and returns the whole file as a str. A new format (PDF, hOCR, ALTO) is one
more entry in `RENDERERS` and `SUFFIX` (and in `Format` if `--format` offers it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from vnocr.result import CorrectionResult

if TYPE_CHECKING:
    from vnocr.api import PageResult


class Format(str, Enum):
    """What `--format` offers: the document as text, or as JSON with its structure."""

    text = "text"
    json = "json"


HTML = "html"  # the review page of every change (vnocr.report); `--html`, not `--format`
SUFFIX = {"text": ".txt", "json": ".json", HTML: ".html"}


@dataclass(frozen=True, slots=True)
class PageOutput:
    """What the renderers need of one page; the OCR structure only when JSON is wanted."""

    index: int
    text: str
    data: dict[str, Any] | None = None  # `page_dict`, for JSON
    correction: CorrectionResult | None = None  # for the review page

    @classmethod
    def of(cls, page: PageResult, kinds: Collection[str]) -> PageOutput:
        """Keep what `kinds` ("text", "json", "html") will render and drop the rest
        (word boxes are large)."""
        wanted = {str(getattr(k, "value", k)) for k in kinds}
        correction = None
        if HTML in wanted:
            correction = page.correction or CorrectionResult(text=page.text, input_text=page.text)
        data = page_dict(page) if "json" in wanted else None
        return cls(page.index, page.text, data, correction)


def page_dict(page: PageResult) -> dict[str, Any]:
    """A page in JSON: the OCR structure (paragraphs → lines → words with confidence and
    box), then the raw and corrected text and the changes."""
    d: dict[str, Any] = page.ocr.as_dict() if page.ocr is not None else {"index": page.index}
    d.pop("text", None)
    d["ocr_text"] = page.ocr_text
    d["text"] = page.text
    d["changes"] = [c.as_dict() for c in page.correction.changes] if page.correction else []
    return d


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


Renderer = Callable[[str, Sequence[PageOutput], "str | None"], str]
RENDERERS: dict[str, Renderer] = {"text": _render_text, "json": _render_json, HTML: _render_html}


def render_document(
    kind: Format | str, name: str, pages: Sequence[PageOutput], *, sha256: str | None = None
) -> str:
    """The whole output file of one document: `kind` is a `Format` or "html"."""
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
    "page_dict",
    "render_correction",
    "render_document",
    "text_file",
]
