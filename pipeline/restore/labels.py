"""List labels whose letter the OCR misread, put back in their sequence.

Legal and administrative documents number their points `a)`, `b)`, `c)`, `d)`, `đ)`,
`e)`, `g)` … (the Vietnamese alphabet, without f, j, w, z), and run-in lists `(i)`,
`(ii)`, `(iii)`; sentences name them in runs (`các điểm a, b, d và đ`), where a second
`d` in a row is đ stripped of its bar (`run_labels`). OCR misreads such a label now and then: vie-OCR prints c as `e`, `€`
or `©`, drops or adds the bar of đ; eng-OCR prints i as `1` or `l`
(`trên địa bàn: (1) Dự án Hồ bản Mòng … (ii) Dự án tuyến đường`). The label itself
carries no context a language model could use, but its neighbours do: a label is
corrected only when it is a known misreading of the one its neighbours of the same form
pin (`b)` and `d)` around `e)`: c)); a sequence's first label, which has no neighbour
before it, is pinned by the next alone (`trên địa bàn: (1) … (ii)`: (i)). Labels are
rare enough that a wrong pair of neighbours (two lists side by side, a line the OCR
lost) seldom meets a misreading.
"""

from __future__ import annotations

from collections.abc import Sequence

from vnocr.text import Token

LETTERS = tuple("abcdđeghiklmnopqrstuvxy")
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
DIGITS = tuple(str(n) for n in range(1, 100))
SEQUENCES = (LETTERS, ROMAN, DIGITS)
# label → how OCR misreads it (a label read as one of these may be that label)
MISREADINGS = {
    "c": frozenset("e€©"),
    "e": frozenset("c"),
    "d": frozenset("đ"),
    "đ": frozenset("d"),
    "a": frozenset("4"),
    "i": frozenset("1lI|"),
}
# opening a line before `)`: the label c) whatever its neighbours (a circled or barred c)
LABEL_SYMBOLS = {"©": "c", "€": "c"}


def with_symbol_labels(tokens: list[Token]) -> list[Token]:
    """The line's tokens, a first token `©)` or `€)` (all punctuation to the tokenizer)
    made a label token whose core is the symbol, so that `relabel` can see it."""
    first = tokens[0] if tokens else None
    if (first is None or first.core or first.lead[:1] not in LABEL_SYMBOLS
            or first.lead[1:] != ")"):
        return tokens
    return [Token(first.start, "", first.lead[0], ")"), *tokens[1:]]


def _label_form(token: Token, first: bool) -> str | None:
    """`x)` for a line's first token closed by a bracket, `(x)` for one in brackets; None
    for anything else (`(2021)`: four digits is no label)."""
    core = token.core
    if not core or len(core) > 4 or not (core.isalnum() or core in LABEL_SYMBOLS):
        return None
    if token.lead == "(" and token.trail.startswith(")"):
        return "(x)"
    if first and not token.lead and token.trail.startswith(")"):
        return "x)"
    return None


def _meant(before: str | None, label: str, after: str) -> str | None:
    """The label `label` stands for between `before` and `after` (labels as read), or
    None. Both neighbours must pin it (`b)` and `d)` around `e)`: c), except at a
    sequence's start, which only the next label can pin (`(1) … (ii)`: (i))."""
    found = set()
    for seq in SEQUENCES:
        if after not in seq or seq.index(after) == 0:
            continue
        j = seq.index(after) - 1
        if seq[j] == label:
            return None  # in sequence as read
        if label in MISREADINGS.get(seq[j], ()) and (j == 0 or before == seq[j - 1]):
            found.add(seq[j])
    return found.pop() if len(found) == 1 else None


# words that join the last two letters of a run (`các điểm a, b, d và đ`), with and without marks
RUN_JOINERS = frozenset(("và", "va", "hoặc", "hoac"))
POINT_WORDS = frozenset(("điểm", "diem"))  # the word a run of points follows


def run_labels(lines: Sequence[Sequence[Token]]) -> dict[tuple[int, int], str]:
    """(line, token) → đ for a `d` that follows a `d` in a run of letters naming points
    after `điểm` (`các điểm a, c, d, d, g`, `tại điểm d và d khoản 1`): a run names each
    point once, and without marks đ, which follows d in the Vietnamese alphabet, is
    read as d too."""
    fixes: dict[tuple[int, int], str] = {}
    for li, tokens in enumerate(lines):
        last: str | None = None  # the run's previous letter; None outside a run
        for ti, token in enumerate(tokens):
            letter = token.core if len(token.core) == 1 and not token.lead else ""
            opens = ti > 0 and tokens[ti - 1].core.lower() in POINT_WORDS
            if letter in LETTERS and (last is not None or opens):
                if letter == "d" and last == "d":
                    fixes[(li, ti)] = "đ"
                last = letter if token.trail[:1] == "," or _joined(tokens, ti) else None
            elif not (token.core.lower() in RUN_JOINERS and last is not None):
                last = None
    return fixes


def _joined(tokens: Sequence[Token], ti: int) -> bool:
    """The token after `ti` joins it to one more letter (`d và đ`)."""
    return (ti + 2 < len(tokens) and tokens[ti + 1].core.lower() in RUN_JOINERS
            and not tokens[ti].trail and len(tokens[ti + 2].core) == 1)


def relabel(lines: Sequence[Sequence[Token]]) -> dict[tuple[int, int], str]:
    """(line, token) → the label a misread one stands for, over a whole document."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    fixes: dict[tuple[int, int], str] = {}
    for li, tokens in enumerate(lines):
        for ti, token in enumerate(tokens):
            form = _label_form(token, ti == 0)
            if form is None:
                continue
            label = token.core.lower()
            if form == "x)" and label in LABEL_SYMBOLS:
                label = fixes[(li, ti)] = LABEL_SYMBOLS[label]
            found.setdefault(form, []).append((li, ti, label))
    for labels in found.values():
        for k in range(len(labels) - 1):
            li, ti, label = labels[k]
            before = labels[k - 1][2] if k > 0 else None
            meant = _meant(before, label, labels[k + 1][2])
            if meant is not None:
                fixes[(li, ti)] = meant
        if len(labels) > 1 and (meant := _repeated(labels[-2][2], labels[-1][2])):
            fixes[labels[-1][:2]] = meant
    return fixes


def _repeated(before: str, label: str) -> str | None:
    """The label a list's last one stands for where it repeats the one before it, as a
    misreading of the label that follows that one (`d)` after `d)` at a list's end: đ)):
    a list names each point once; None otherwise."""
    for seq in SEQUENCES:
        if label == before and before in seq and seq.index(before) + 1 < len(seq):
            following = seq[seq.index(before) + 1]
            if label in MISREADINGS.get(following, ()):
                return following
    return None
