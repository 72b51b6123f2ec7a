"""The one public object: `Pipeline` runs OCR → restoration → dictionary pass.

Stages are plain functions/objects in their packages; this module only puts them in
order and keeps the heavy ones (model, gazetteer) loaded once per process.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from vnocr.allocator import release_free_pages
from vnocr.document import Document
from vnocr.errors import InputError, ModelLoadError
from vnocr.files import decode_text, open_input
from vnocr.longlived import loading_long_lived
from vnocr.options import Options
from vnocr.page_selection import PageSelection
from vnocr.result import CorrectionResult
from vnocr.text import detect_tone_style, nfc
from vnocr.text_stream import PieceResults, TextPiece, iter_pieces

if TYPE_CHECKING:  # both import their stage's heavy modules: loaded on first use
    from vnocr.lexicon.gazetteer import Gazetteer
    from vnocr.restore.restorer import Restorer

log = logging.getLogger(__name__)

# one line that takes the restorer's and the dictionary's paths (a name, a stripped
# word): what they load on first use is loaded by `Pipeline.load`
_WARM_UP = "UBND tinh Son La"


@dataclass(frozen=True, slots=True)
class PageResult:
    """One page of a document: raw OCR text, the corrected result, and the OCR structure."""

    index: int
    ocr_text: str
    correction: CorrectionResult | None
    ocr: object  # vnocr.ocr.OcrPage
    source: str = "ocr"  # how the page was read: "ocr", "text-layer" or "skipped" (PDF text)

    @property
    def text(self) -> str:
        return self.correction.text if self.correction is not None else self.ocr_text


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """A whole file read and corrected: what `Pipeline.read` returns.

    Holds every page at once; `Pipeline.iter_pages` gives the same pages one at a time
    where a long document should not be held whole.
    """

    path: Path
    pages: tuple[PageResult, ...]

    @property
    def text(self) -> str:
        """Pages separated by form feed, as Tesseract does."""
        return "\f".join(p.text for p in self.pages)


class Pipeline:
    """OCR, restoration and dictionary pass with the model and gazetteer loaded once."""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self._restorer = None
        self._gazetteer = None
        self._loader: threading.Thread | None = None  # `load_in_background`'s thread

    # -- heavy pieces, loaded lazily and reused ---------------------------------------
    @property
    def restorer(self) -> Restorer:
        """The restoration model, loaded on first use (or by `load`)."""
        self._await_loader()
        if self._restorer is None:
            with loading_long_lived():
                from vnocr.restore import load_restorer

                self._restorer = load_restorer(self.options.restore.model_dir)
        return self._restorer

    @property
    def gazetteer(self) -> Gazetteer:
        """The dictionary pass's names with the user's lists, loaded on first use."""
        self._await_loader()
        if self._gazetteer is None:
            with loading_long_lived():
                from vnocr.lexicon import load_gazetteer

                self._gazetteer = load_gazetteer(self.options.lexicon.user_dicts)
        return self._gazetteer

    def load(self) -> None:
        """Build now what a first correction builds (model, gazetteer, the tables they
        read lazily), before any input is read. Built inside the first piece instead,
        the long-lived objects interleave with the piece's temporaries, whose freed
        memory then cannot go back: 36 MB more resident after the first piece of
        `vnocr correct`; its peak on 3 MB is 675 MB without this, 640 MB with it."""
        if self._corrects:
            self.correct_text(_WARM_UP)

    def load_in_background(self) -> None:
        """Start `load` in a thread and return: a scan's first page is read while the
        model loads (its Tesseract call, a child process, leaves this process idle for
        seconds), so a one-worker run does not wait for the model before its first page.
        The first use of the model or the gazetteer waits for that thread, so nothing
        is loaded twice or used half-built; a failed load is left for that first use
        to raise (`ModelLoadError`)."""
        if self._loader is not None or not self._corrects or self._loaded:
            return
        self._loader = threading.Thread(target=self._load_quietly, name="vnocr-load")
        self._loader.start()

    def _load_quietly(self) -> None:
        try:
            self.load()
        except Exception as e:  # noqa: BLE001 - the first use loads again and raises
            log.debug("background load failed: %s", e)

    def _await_loader(self) -> None:
        """Wait for `load_in_background`'s thread unless this is that thread."""
        loader = self._loader
        if loader is not None and loader is not threading.current_thread():
            loader.join()
            self._loader = None

    @property
    def _loaded(self) -> bool:
        """Whether every heavy piece this pipeline's options use is loaded."""
        return ((not self.options.restore.enabled or self._restorer is not None)
                and (not self.options.lexicon.enabled or self._gazetteer is not None))

    # -- text -------------------------------------------------------------------------
    def correct_text(self, text: str) -> CorrectionResult:
        """Restore marks and repair OCR noise; exactly one output line per input line."""
        if not isinstance(text, str):
            hint = " (decode bytes first, e.g. vnocr.files.decode_text)" if isinstance(
                text, bytes | bytearray) else ""
            raise TypeError(f"correct_text takes a str, not {type(text).__name__}{hint}")
        return self.correct_lines(text.split("\n"))

    def correct_stream(
        self, stream: BinaryIO, *, source: str = "input", encoding: str = "auto",
    ) -> Iterator[tuple[TextPiece, CorrectionResult]]:
        """Each piece of a text stream (`vnocr.text_stream`) with its correction, as soon
        as it is corrected: memory stays flat whatever the input's size. The one loop
        of `vnocr correct` and of text files in `iter_pages` (`vnocr batch`); `vnocr
        correct -j N` hands the same pieces to worker processes instead
        (`vnocr.batch.worker.correct_stream_in_workers`). Between pieces the heap's
        free pages go back (`vnocr.allocator.release_free_pages`, where the command
        line chose flat memory)."""
        for piece in iter_pieces(stream, source=source, encoding=encoding):
            yield piece, self.correct_text(piece.text)
            release_free_pages()

    def correct_lines(
        self, lines: list[str], confidences: list[list[float] | None] | None = None
    ) -> CorrectionResult:
        """Correct `lines`; `confidences` (per line, per token, 0..1) come from OCR.

        NFC first, for every caller: the model and the dictionary read composed marks,
        and decomposed ones came out doubled (`ở̛̉` for `ở`)."""
        if isinstance(lines, str) or not all(isinstance(line, str) for line in lines):
            raise TypeError("correct_lines takes a list of str, one per line")
        doc = Document.from_lines([nfc(line) for line in lines], confidences)
        if self.options.restore.enabled:
            doc = self._restore(doc)
        if self.options.lexicon.enabled:
            doc = self._fix_names(doc)
        return doc.result()

    def _restore(self, doc: Document) -> Document:
        """The restoration stage, with this pipeline's options."""
        ropts = self.options.restore
        return self.restorer.restore_document(
            doc,
            tone_style=ropts.tone_style,
            min_confidence=ropts.min_confidence,
            batch_size=ropts.batch_size,
            alternatives=ropts.alternatives,
        )

    def _fix_names(self, doc: Document) -> Document:
        """The dictionary pass: names repaired in the restored text, which it compares
        with the input restoration aligned to it (specks cut), and the fixed formulas of
        an administrative header written as the law spells them (`fix_formulas`); then a
        name the document repeats read one way throughout (`remember_names`)."""
        from vnocr.lexicon import fix_formulas, fix_names, remember_names

        gaz = self.gazetteer
        ocr_debris = gaz.is_ocr_tokens(doc.aligned_tokens)
        style = detect_tone_style(doc.text)  # a repaired name follows the text
        accented = doc.facts is not None and doc.facts.regime == "accented"
        text, changes = fix_names(gaz, doc.aligned_input, doc.text, tone_style=style,
                                  ocr=ocr_debris, input_tokens=doc.aligned_tokens,
                                  accented=accented)
        text, changes = fix_formulas(doc.aligned_input, text, changes, tone_style=style,
                                     input_tokens=doc.aligned_tokens)
        text, changes = remember_names(doc.aligned_input, text, doc.token_confidences,
                                       changes, known=gaz.by_lower)
        return doc.names_fixed(text, changes, ocr_debris=ocr_debris, tone_style=style)

    # -- files ------------------------------------------------------------------------
    def read(self, path: str | Path) -> DocumentResult:
        """OCR an image or PDF (or read a .txt file) and correct it unless disabled."""
        return DocumentResult(Path(path), tuple(self.iter_pages(path)))

    def iter_pages(self, path: str | Path, pages: PageSelection | str | Iterable[int | range]
                   | None = None) -> Iterator[PageResult]:
        """Each page of an image, multi-page TIFF or PDF as soon as it is read and
        corrected, in order; a .txt file is one page. A PDF page with its own text
        is read from it (`OcrOptions.text_layer`). `pages` picks 1-based pages
        (`"1-3,7"`, `[1, range(5, 8)]`); a selection the document lacks entirely
        raises `InputError`. The one page loop of `read`, `vnocr ocr` and `vnocr batch`.
        """
        path = Path(path)
        selection = PageSelection.of(pages)
        if path.suffix.lower() == ".txt":
            if selection is not None and 1 not in selection:
                raise InputError(f"{path}: has no page {selection.first} (a text file is one page)")
            yield self._text_page(path)
            return
        from vnocr.ocr import iter_read

        for read in iter_read(path, self.options.ocr, selection):
            page, result = read.page, None
            if self._corrects and read.source != "skipped":
                # a text layer's words are typed text: no OCR confidences to weigh
                confidences = page.line_confidences if read.source == "ocr" else None
                result = self.correct_lines(page.lines, confidences)
            yield PageResult(page.index, page.text, result, page, read.source)

    def _text_page(self, path: Path) -> PageResult:
        """A text file as one page, read (and corrected) piece by piece as `vnocr correct`
        reads it; only the page's text and result are held whole."""
        whole = PieceResults()
        with open_input(path) as f:
            if self._corrects:
                for piece, result in self.correct_stream(f, source=str(path)):
                    whole.add(piece, result)
            else:
                for piece in iter_pieces(f, source=str(path)):
                    whole.add(piece, None)
        result = whole.result()
        return PageResult(0, result.input_text, result if self._corrects else None, None)

    @property
    def _corrects(self) -> bool:
        return self.options.restore.enabled or self.options.lexicon.enabled


def check_ready(options: Options, *, inputs: Iterable[str | Path] = ()) -> None:
    """Fail before any input is read when every input would fail alike: Tesseract or
    its language data missing while some input is a scan to OCR, or no model folder.

    Only `_needs_ocr_engine` inputs ask for Tesseract here: a .txt never needs it, and
    a PDF only for a page without text of its own, which `vnocr.ocr.iter_read` checks
    on reaching one (the same one-line `MissingDependencyError`). So born-digital PDFs
    and text files run where Tesseract is not installed.

    `MissingDependencyError` (exit 4) or `ModelLoadError` (exit 6); the model itself
    loads later, in whichever process reads.
    """
    if any(_needs_ocr_engine(p, options) for p in inputs):
        from vnocr.ocr import check_environment

        check_environment(options.ocr.tesseract.lang)
    model_dir = Path(options.restore.model_dir)
    if options.restore.enabled and not (model_dir / "config.json").is_file():
        raise ModelLoadError(f"no restoration model in {model_dir} (config.json missing)")


def _needs_ocr_engine(path: str | Path, options: Options) -> bool:
    """Whether reading `path` surely runs Tesseract: any input but a .txt file or a
    .pdf whose pages may hold their own text (`OcrOptions.text_layer` not "ocr");
    stdin (`-`) may be a scan."""
    suffix = Path(path).suffix.lower()
    if suffix == ".txt":
        return False
    return not (suffix == ".pdf" and options.ocr.text_layer != "ocr")


__all__ = ["DocumentResult", "PageResult", "Pipeline", "check_ready", "decode_text"]
