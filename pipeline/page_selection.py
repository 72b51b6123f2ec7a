"""Which pages of a document to read: `--pages 1-3,7`, `5-`, or page numbers in code.

Pages are numbered from 1 here, as a user counts them; `OcrPage.index` stays 0-based.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vnocr.errors import BadOptionsError

Span = tuple[int, int | None]  # first and last page, inclusive; None: to the end


@dataclass(frozen=True, slots=True)
class PageSelection:
    """Inclusive, sorted, non-overlapping spans of 1-based page numbers."""

    spans: tuple[Span, ...]

    def __post_init__(self) -> None:
        if not self.spans:
            raise BadOptionsError("--pages selects no page")
        for first, last in self.spans:
            if first < 1 or (last is not None and last < first):
                raise BadOptionsError(f"--pages: bad range {first}-{last or ''}")

    @classmethod
    def parse(cls, spec: str) -> PageSelection:
        """`1-3,7,10-`: numbers and ranges, comma-separated; `N-` runs to the last page."""
        spans: list[Span] = []
        for part in (p.strip() for p in spec.split(",")):
            first, dash, last = part.partition("-")
            try:
                a = int(first)
                b = (int(last) if last.strip() else None) if dash else a
            except ValueError:
                raise BadOptionsError(
                    f"--pages: {part!r} is not a page number or range (e.g. 1-3,7)"
                ) from None
            spans.append((a, b))
        return cls(tuple(spans)).merged()

    @classmethod
    def of(cls, pages: PageSelection | str | Iterable[int | range] | None) -> PageSelection | None:
        """A selection from what callers pass: None (every page), a `--pages` string,
        or page numbers and `range`s of page numbers (`range(1, 4)` is pages 1, 2, 3)."""
        if pages is None or isinstance(pages, PageSelection):
            return pages
        if isinstance(pages, str):
            return cls.parse(pages)
        spans: list[Span] = []
        for p in pages:
            if isinstance(p, range) and p.step == 1:
                spans.extend([(p.start, p.stop - 1)] if len(p) else [])
            else:
                spans.extend((int(n), int(n)) for n in (p if isinstance(p, range) else (p,)))
        return cls(tuple(spans)).merged()

    def merged(self) -> PageSelection:
        """The same pages as sorted spans that neither overlap nor touch."""
        out: list[Span] = []
        for first, last in sorted(self.spans, key=lambda s: s[0]):
            if out and (out[-1][1] is None or first <= out[-1][1] + 1):
                prev_first, prev_last = out[-1]
                end = None if prev_last is None or last is None else max(prev_last, last)
                out[-1] = (prev_first, end)
            else:
                out.append((first, last))
        return PageSelection(tuple(out))

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and any(
            first <= number and (last is None or number <= last) for first, last in self.spans
        )

    def count(self, npages: int) -> int:
        """How many of a document's `npages` pages are selected."""
        return sum(
            max(0, min(npages, last if last is not None else npages) - first + 1)
            for first, last in self.spans
        )

    def numbers(self, npages: int) -> list[int]:
        """The selected page numbers of a document of `npages` pages, in order."""
        return [n for first, last in self.spans
                for n in range(first, min(npages, last if last is not None else npages) + 1)]

    @property
    def first(self) -> int:
        return self.spans[0][0]

    @property
    def last(self) -> int | None:
        """The last page wanted (reading can stop after it); None: to the end."""
        return self.spans[-1][1]


__all__ = ["PageSelection"]
