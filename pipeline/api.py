"""The one public object: `Pipeline` runs OCR → restoration → dictionary pass.

Stages are plain functions/objects in their packages; this module only puts them in
order and keeps the heavy ones (model, gazetteer) loaded once per process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from vnocr.errors import InputError, ModelLoadError
from vnocr.files import decode_text, read_text
from vnocr.longlived import loading_long_lived
from vnocr.options import Options
from vnocr.page_selection import PageSelection
from vnocr.result import Change, CorrectionResult
from vnocr.text import nfc


@dataclass(frozen=True, slots=True)
class PageResult:
    """One page of a document: raw OCR text, the corrected result, and the OCR structure."""

    index: int
    ocr_text: str
    correction: CorrectionResult | None
    ocr: object  # vnocr.ocr.OcrPage

    @property
    def text(self) -> str:
        return self.correction.text if self.correction is not None else self.ocr_text


@dataclass(frozen=True, slots=True)
class DocumentResult:
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

    # -- heavy pieces, loaded lazily and reused ---------------------------------------
    @property
    def restorer(self):
        if self._restorer is None:
            with loading_long_lived():
                from vnocr.restore import load_restorer

                self._restorer = load_restorer(self.options.restore.model_dir)
        return self._restorer

    @property
    def gazetteer(self):
        if self._gazetteer is None:
            with loading_long_lived():
                from vnocr.lexicon import load_gazetteer

                self._gazetteer = load_gazetteer(self.options.lexicon.user_dicts)
        return self._gazetteer

    # -- text -------------------------------------------------------------------------
    def correct_text(self, text: str) -> CorrectionResult:
        """Restore marks and repair OCR noise; exactly one output line per input line."""
        return self.correct_lines(nfc(text).split("\n"))

    def correct_lines(
        self, lines: list[str], confidences: list[list[float] | None] | None = None
    ) -> CorrectionResult:
        """Correct `lines`; `confidences` (per line, per token, 0..1) come from OCR."""
        ropts = self.options.restore
        out_lines = list(lines)
        aligned = list(lines)  # the input, token-aligned with out_lines
        shifts: dict[int, tuple[int, int]] = {}
        changes: list[Change] = []
        token_conf: list[tuple[float, ...]] = []
        if ropts.enabled:
            restored = self.restorer.restore(
                lines,
                confidences,
                tone_style=ropts.tone_style,
                min_confidence=ropts.min_confidence,
                batch_size=ropts.batch_size,
            )
            out_lines = [r.text for r in restored]
            for li, r in enumerate(restored):
                changes.extend(r.changes)
                token_conf.append(tuple(r.confidences))
                if r.aligned_input is not None:  # specks were cut from this line
                    aligned[li], shifts[li] = r.aligned_input, r.shift
        if self.options.lexicon.enabled:
            from vnocr.lexicon import fix_names

            out_lines, lex_changes = fix_names(self.gazetteer, aligned, out_lines)
            lex_changes = [_shift(c, shifts[c.line]) if c.line in shifts else c
                           for c in lex_changes]
            changes = _merge_changes(changes, lex_changes)
        return CorrectionResult(
            text="\n".join(out_lines),
            input_text="\n".join(lines),
            changes=tuple(changes),
            confidences=tuple(token_conf),
        )

    # -- files ------------------------------------------------------------------------
    def read(self, path: str | Path) -> DocumentResult:
        """OCR an image or PDF (or read a .txt file) and correct it unless disabled."""
        return DocumentResult(Path(path), tuple(self.iter_pages(path)))

    def iter_pages(self, path: str | Path, pages: PageSelection | str | Iterable[int | range]
                   | None = None) -> Iterator[PageResult]:
        """Each page of an image, multi-page TIFF or PDF as soon as it is read and
        corrected, in order; a .txt file is one page. `pages` picks 1-based pages
        (`"1-3,7"`, `[1, range(5, 8)]`); a selection the document lacks entirely
        raises `InputError`. The one page loop of `read`, `vnocr ocr` and `vnocr batch`.
        """
        path = Path(path)
        selection = PageSelection.of(pages)
        if path.suffix.lower() == ".txt":
            if selection is not None and 1 not in selection:
                raise InputError(f"{path}: has no page {selection.first} (a text file is one page)")
            text = read_text(path)
            yield PageResult(0, text, self.correct_text(text) if self._corrects else None, None)
            return
        from vnocr.ocr import iter_document

        for page in iter_document(path, self.options.ocr, selection):
            result = None
            if self._corrects:
                result = self.correct_lines(page.lines, page.line_confidences)
            yield PageResult(page.index, page.text, result, page)

    @property
    def _corrects(self) -> bool:
        return self.options.restore.enabled or self.options.lexicon.enabled


def check_ready(options: Options, *, ocr: bool = True) -> None:
    """Fail before any input is read when every input would fail alike: Tesseract or
    its language data missing (`ocr`: some input is a scan), or no model folder.

    `MissingDependencyError` (exit 4) or `ModelLoadError` (exit 6); the model itself
    loads later, in whichever process reads.
    """
    if ocr:
        from vnocr.ocr import check_environment

        check_environment(options.ocr.tesseract.lang)
    model_dir = Path(options.restore.model_dir)
    if options.restore.enabled and not (model_dir / "config.json").is_file():
        raise ModelLoadError(f"no restoration model in {model_dir} (config.json missing)")


def _shift(change: Change, shift: tuple[int, int]) -> Change:
    """A change found on a line whose leading specks were cut, placed in the input."""
    chars, tokens = shift
    return replace(change, start=change.start + chars, end=change.end + chars,
                   token=change.token + tokens)


def _merge_changes(model: list[Change], lexicon: list[Change]) -> list[Change]:
    """A dictionary change supersedes model changes on the tokens it covers."""
    covered = {(c.line, c.token + k) for c in lexicon for k in range(c.ntokens)}
    kept = [c for c in model if (c.line, c.token) not in covered]
    return sorted(kept + lexicon, key=lambda c: (c.line, c.token))


__all__ = ["DocumentResult", "PageResult", "Pipeline", "check_ready", "decode_text"]
