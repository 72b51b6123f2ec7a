"""How text is cut into the streams the search reads: a table row's cells are texts of
their own, so no word's context comes from the cell beside it."""

from __future__ import annotations

from vnocr.restore.streams import build_streams, table_cells
from vnocr.text import tokenize


def _streams(lines: list[str]) -> list[list[str]]:
    toks = [tokenize(line) for line in lines]
    cells = [table_cells(line, t) for line, t in zip(lines, toks, strict=True)]
    streams = build_streams(toks, None, [(0, 0)] * len(toks), cell_starts=cells)
    return [[slot.token.core for slot in stream] for stream in streams]


def test_a_tab_between_cells_starts_a_new_stream():
    row = "1\tTrong rung phong ho\t\tha\t202,5"
    assert table_cells(row, tokenize(row)) == frozenset({1, 5, 6})
    assert _streams([row]) == [["1"], ["Trong", "rung", "phong", "ho"], ["ha"], ["202,5"]]


def test_running_text_crosses_spaces_and_line_ends():
    lines = ["Ubnd tinh da phe duyet", "ke hoach nam nay"]
    assert table_cells(lines[0], tokenize(lines[0])) == frozenset()
    assert _streams(lines) == [["Ubnd", "tinh", "da", "phe", "duyet", "ke", "hoach", "nam",
                                "nay"]]
