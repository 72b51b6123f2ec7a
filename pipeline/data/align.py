"""Align OCR output with the truth it was rendered from: lines first, then tokens.

Tesseract keeps line order on a single-column page (psm 6) but drops, merges and invents
lines; inside a line it splits and glues words and adds debris. Both levels are small
dynamic programmes over a cost that ignores what eng-OCR always destroys (marks, đ, case),
so "nhiệm" still finds "nhi€ém" and "điện tín" finds "diéntin".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from vnocr.text import strip_marks

# Costs of the token DP, in folded characters. A group costs the edit distance between its
# joined truth and joined OCR; an unpaired token costs its folded length (at least 1), so
# a pair is never dearer than leaving both sides unpaired, and a merge that only swallows
# a short word ("thành và" → "thành") ties with a loss and loses to it on the penalty.
SPLIT_MERGE_PENALTY = 0.5


@lru_cache(maxsize=100_000)
def fold_key(s: str) -> str:
    """What survives any OCR: letters without marks, lower case, no debris."""
    return "".join(c for c in strip_marks(s).lower() if c.isalnum())


def _dist(a: str, b: str) -> float:
    fa, fb = fold_key(a), fold_key(b)
    if not fa and not fb:
        return 0.0 if a == b else 0.5
    return float(Levenshtein.distance(fa, fb))


def _gap(tok: str) -> float:
    return float(max(1, len(fold_key(tok))))


def line_similarity(truth: str, ocr: str) -> float:
    """0..1 similarity of two lines on folded characters (spaces ignored)."""
    a, b = fold_key(truth), fold_key(ocr)
    if not a and not b:
        return 1.0
    return 1.0 - Levenshtein.normalized_distance(a, b)


def align_lines(
    truth: list[str], ocr: list[str], *, min_similarity: float = 0.5
) -> list[tuple[int, int, float]]:
    """Monotone 1:1 pairing of truth and OCR lines: (truth index, ocr index, similarity).

    Unpaired lines on either side (dropped or invented by OCR) are skipped; pairs below
    `min_similarity` are left out, since their token alignment would teach noise that is
    really a line mix-up.
    """
    n, m = len(truth), len(ocr)
    sim = [[line_similarity(t, o) for o in ocr] for t in truth]
    # score[i][j]: best total similarity aligning truth[:i] with ocr[:j].
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            s = sim[i - 1][j - 1]
            best, how = score[i - 1][j - 1] + (s if s >= min_similarity else -1.0), 0
            if score[i - 1][j] > best:
                best, how = score[i - 1][j], 1
            if score[i][j - 1] > best:
                best, how = score[i][j - 1], 2
            score[i][j], back[i][j] = best, how
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        how = back[i][j]
        if how == 0:
            if sim[i - 1][j - 1] >= min_similarity:
                pairs.append((i - 1, j - 1, sim[i - 1][j - 1]))
            i, j = i - 1, j - 1
        elif how == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


@dataclass(frozen=True, slots=True)
class Group:
    """Truth tokens and the OCR tokens they became: 1:1, 1:0 (lost), 0:1 (invented),
    1:2 (split) or 2:1 (merged)."""

    truth: tuple[str, ...]
    seen: tuple[str, ...]

    @property
    def kind(self) -> str:
        return {
            (1, 1): "sub",
            (1, 0): "del",
            (0, 1): "ins",
            (1, 2): "split",
            (2, 1): "merge",
            (1, 3): "split",
            (3, 1): "merge",
        }.get((len(self.truth), len(self.seen)), "other")


def align_tokens(truth: list[str], seen: list[str]) -> list[Group]:
    """Edit-distance alignment of whitespace tokens with splits and merges (up to 3 pieces).

    The cost of a group is the folded edit distance between the joined truth and the
    joined OCR tokens, so "thành phố" → "thanhphé" is one merge, not a sub and a loss.
    """
    n, m = len(truth), len(seen)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    moves = ((1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (1, 3), (3, 1))
    for i in range(n + 1):
        for j in range(m + 1):
            c0 = cost[i][j]
            if c0 == inf:
                continue
            for di, dj in moves:
                a, b = i + di, j + dj
                if a > n or b > m:
                    continue
                if di == 0 or dj == 0:
                    c = _gap(truth[i] if di else seen[j])
                elif (di > 1 and not all(fold_key(t) for t in truth[i:a])) or (
                    dj > 1 and not all(fold_key(t) for t in seen[j:b])
                ):
                    continue  # debris ("~", ":") is an insertion, never half of a split
                else:
                    c = _dist("".join(truth[i:a]), "".join(seen[j:b]))
                    if di + dj > 2:
                        c += SPLIT_MERGE_PENALTY * (di + dj - 2)
                if c0 + c < cost[a][b]:
                    cost[a][b] = c0 + c
                    back[a][b] = (di, dj)
    groups = []
    i, j = n, m
    while i > 0 or j > 0:
        di, dj = back[i][j]
        groups.append(Group(tuple(truth[i - di : i]), tuple(seen[j - dj : j])))
        i, j = i - di, j - dj
    return groups[::-1]
