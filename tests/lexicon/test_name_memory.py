"""Per-document name memory: a repeated name read one way throughout the document
(vnocr.lexicon.name_memory)."""

from __future__ import annotations

from vnocr.lexicon.name_memory import best_readings, name_occurrences, remember_names
from vnocr.result import Change
from vnocr.text import tokenize

LINES = [
    "chị Trần Thảo đến sớm",
    "sau đó Trần Thảo nói",
    "gặp lại Trấn Thảo ở đây",
]
INPUT = ["chi Tran Thao den som", "sau do Tran Thao noi", "gap lai Tran Thao o day"]


def _confidences(lines: list[str], low: dict[tuple[int, int], float]) -> list[list[float]]:
    return [[low.get((li, k), 0.95) for k in range(len(tokenize(line)))]
            for li, line in enumerate(lines)]


def test_a_doubtful_occurrence_takes_the_reading_the_document_supports() -> None:
    confs = _confidences(LINES, {(2, 2): 0.4})
    text, changes = remember_names(INPUT, LINES, confs, [])
    assert text == [LINES[0], LINES[1], "gặp lại Trần Thảo ở đây"]
    (change,) = changes
    assert (change.line, change.token, change.ntokens) == (2, 2, 2)
    assert change.before == "Tran Thao" and change.after == "Trần Thảo"
    assert INPUT[2][change.start : change.end] == change.before
    assert change.stage == "dictionary" and change.extra["source"] == "document"


def test_a_confident_occurrence_keeps_its_own_reading() -> None:
    text, changes = remember_names(INPUT, LINES, _confidences(LINES, {}), [])
    assert text == LINES and changes == []


def test_no_clear_winner_changes_nothing() -> None:
    lines = [LINES[0], "sau đó Trấn Thảo nói"]
    confs = _confidences(lines, {(0, 1): 0.5, (1, 2): 0.5})
    assert remember_names(INPUT[:2], lines, confs, [])[0] == lines


def test_a_name_the_dictionary_wrote_is_never_rewritten() -> None:
    confs = _confidences(LINES, {(2, 2): 0.4})
    written = Change(2, 2, 8, 17, "Tran Thao", "Trấn Thảo", 1.0, "dictionary", ntokens=2)
    text, changes = remember_names(INPUT, LINES, confs, [written])
    assert text == LINES and changes == [written]


def test_a_known_name_backs_its_reading() -> None:
    lines = ["chị Trần Thảo đến", "gặp Trấn Thảo"]
    confs = _confidences(lines, {(1, 1): 0.3})
    inp = ["chi Tran Thao den", "gap Tran Thao"]
    assert remember_names(inp, lines, confs, [])[0] == lines  # one backer only
    assert remember_names(inp, lines, confs, [], known={"trần thảo"})[0][1] == "gặp Trần Thảo"


def test_single_capitals_sentence_starts_and_headings_are_no_names() -> None:
    lines = ["ông Vân đến", "TRẦN THẢO", "Văn hay.", "Trần Thảo đến"]
    occurrences = name_occurrences(lines, _confidences(lines, {}))
    # `Trần Thảo` at a sentence start leaves a one-word run: no name
    assert occurrences == []


def test_a_piece_of_a_longer_name_is_grouped_with_the_short_name() -> None:
    lines = ["gặp Ngô Thị Kim Chỉ hôm qua", "bà Kim Chi nói", "rồi Kim Chi đi"]
    confs = _confidences(lines, {(0, 4): 0.4})
    inp = ["gap Ngo Thi Kim Chi hom qua", "ba Kim Chi noi", "roi Kim Chi di"]
    text, _ = remember_names(inp, lines, confs, [])
    assert text[0] == "gặp Ngô Thị Kim Chi hôm qua"
    winners = best_readings(name_occurrences(lines, confs))
    assert winners["kim chi"].reading == "kim chi"


def test_a_line_closed_inside_quotes_or_by_an_ellipsis_ends_its_sentence() -> None:
    # `Trần Thảo` after such a line opens a sentence: its capital marks no name, so the
    # run is one word (`Thảo`); after a comma it is a two-word name
    for closing in ("Ông nói: “Đi thôi.”", "Chờ mãi…", "(xem Điều 5.)"):
        lines = [closing, "Trần Thảo đến"]
        assert name_occurrences(lines, _confidences(lines, {})) == [], closing
    lines = ["Ông nói,", "Trần Thảo đến"]
    assert name_occurrences(lines, _confidences(lines, {})) != []
