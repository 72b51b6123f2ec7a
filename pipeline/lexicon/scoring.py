"""How a candidate name is judged against one span: its score, and whether it may
replace the model's letters at all.

`Gazetteer.match` finds the candidates (same key, fuzzy, same consonant skeleton) and
ranks them with `score`; the best that is `admissible` wins if it is clearly ahead.
Both compare a name with the `Query`: what the input and the model's output say
about the span. Kept apart from the candidate search so each can be read (and tuned)
without the other; all points are on rapidfuzz's 0..100 scale.

The scorer is normalised Levenshtein similarity, not `fuzz.ratio`: OCR misreads
letters (`P` for `Đ`), and the Indel distance behind `ratio` counts a misread as two
edits but a lost letter as one, so it would prefer `Chiềng En` to `Chiềng Đen` for
`Chiéng Pen`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Container
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from vnocr.lexicon.sources import VOWEL_FOLD, Name
from vnocr.lexicon.types import PLACE_OF_ISSUE
from vnocr.text import STRIP_TABLE, lower_old, nfc, span_key

# log P(seen | truth) of a token under the eng-OCR channel
OcrChannel = Callable[[str, str], float]

# Scoring (tuned on scripts/bench_lexicon.py's dev sentences, not on any test document).
KEY_WEIGHT = 0.6  # similarity of de-accented keys: letters, robust to OCR tone noise
ACCENT_WEIGHT = 0.4  # similarity with marks: tells Tân An from Tấn An
PRIOR_SCALE = 3.5  # points per factor 10 in frequency: Đắk Nông (422) over Đăk Nông (87)
PRIOR_MAX = 10.0  # frequent names win close calls, at most by this much
INPUT_BONUS = 5.0  # the input, as written, is a known name
TYPE_BONUS = 3.0  # `xã X` where X is known as a xã
USER_BONUS = 4.0  # the user's names win ties
DEBRIS_RELIEF = 4.0  # a name that only replaces OCR debris the model kept as printed,
# which is wrong as it stands (`Dudn Sơn`: Đốn Sơn)
FOLD_PENALTY = 18.0  # a name that matches the input's consonants, vowels aside
KEPT_SLACK = 8.5  # nats: a kept word's reading from a name; one letter OCR never printed is 9.2
CHANNEL_SLACK = 1.0  # nats: how much worse than the model's letters a name may explain OCR
PRIOR_NATS = 0.5  # and more per factor 10 in the name's frequency (flat from 0.3 to 1.5)


@dataclass(frozen=True, slots=True)
class Match:
    """The decision for one span: the chosen name, its score and the runner-up's (0
    when no other admissible name came within the margin's reach)."""

    name: Name
    score: float
    second: float
    exact_key: bool


@dataclass(frozen=True, slots=True)
class Query:
    """One lookup: the span as seen (`in_`) and as the model wrote it (`re_`), lowercase
    and de-accented (keys); whether some name has either key (`exact`); whether the
    input's letters look like OCR debris (`broken`); how close to the input a fuzzy
    name must be where the model made clean text of the debris (`guard`, 0: no bound);
    the input's consonant skeletons, where vowels are unreliable (`folds`); the spellings
    that carry marks, with their keys (`marked`); the input exactly as the OCR printed
    it, lowercase (`seen`: what the OCR channel reads, its marks where the OCR put them,
    `khué`, not moved to the spelling key's `khúe`); per word, whether the model kept it
    as printed (`kept`: `Lens`, `Dudn`) and, in OCR'd text, whether such a word is
    debris no syllable strips to (`debris`: `Dudn`)."""

    in_low: str
    re_low: str
    in_key: str
    re_key: str
    n: int
    exact: bool
    broken: bool
    guard: float
    folds: frozenset[str]
    marked: tuple[tuple[str, str], ...]
    seen: str
    ocr: bool
    kept: tuple[bool, ...]
    debris: tuple[bool, ...]


def make_query(
    text: str,
    restored: str,
    type_word: str | None,
    ocr: bool,
    *,
    known_keys: Container[str],
    looks_noisy: Callable[..., bool],
) -> Query:
    """What a lookup compares candidates with (see Query), given the keys some name has
    and the gazetteer's debris test (`Gazetteer.looks_noisy`)."""
    in_low, re_low = lower_old(text), lower_old(restored)
    in_key, re_key = span_key(in_low), span_key(re_low)
    if not ocr and not looks_noisy(in_low, ocr=False):
        # typed or stripped text: its letters are right, and a model that changed
        # them (`Nam Bộ` for `Hyde Park`) is no evidence of which name is meant
        re_key = in_key
    exact = any(k in known_keys for k in (re_key, in_key))
    # (é is the one mark eng-OCR prints, for ê, ế, ồ, ơ and more: in OCR'd text it is
    # no evidence of the letter under it, `Bé Dao Nha` for Bồ Đào Nha)
    # (a document's place of issue is a unit, whatever words the model read there: in
    # OCR'd text it is looked up fuzzily; a unit farther from the input than the
    # model's letters must still be what the OCR channel reads the input from)
    issued = ocr and type_word == PLACE_OF_ISSUE
    broken = not exact and (looks_noisy(in_low, ocr=ocr) or (ocr and "é" in in_low) or issued)
    guard = 0.0
    if broken and not looks_noisy(re_low, ocr=ocr):
        # after a type word a name is expected: a candidate may explain the input a
        # little worse than the model's letters (`tinh Hiia Phan`: Hủa Phăn, not the
        # model's `Hải Phận`), but not much (`đường Lé Huan` stays Lê Huân)
        guard = _sim(in_key, re_key) + (5.0 if type_word is None else -5.0)
    n = re_low.count(" ") + 1
    # eng-OCR reads one vowel for another (`Méng Cé` for Mông Cổ, `Quéc` for Quốc):
    # names whose consonant skeleton is the input's are candidates too
    # (and prints ú, ù, ũ as `ii`: `Kréng Biik` for Krông Búk, `Hiing` for Hùng)
    folds = (frozenset({in_key.translate(VOWEL_FOLD),
                        in_key.replace("ii", "u").translate(VOWEL_FOLD)})
             if broken and ocr and n >= 2 else frozenset())
    marked = tuple((o, span_key(o)) for o in (in_low, re_low) if o.translate(STRIP_TABLE) != o)
    seen = nfc(" ".join(text.split())).lower()
    re_words = re_low.split()
    kept = tuple(lower_old(x) == r for x, r in zip(seen.split(), re_words))
    debris = tuple(k and looks_noisy(r) for k, r in zip(kept, re_words)) if ocr else ()
    return Query(in_low, re_low, in_key, re_key, n, exact, broken, guard, folds, marked,
                 seen, ocr, kept, debris)


def _sim(a: str, b: str) -> float:
    """0..100; one misread letter costs as much as one lost or invented letter."""
    return 100.0 * Levenshtein.normalized_similarity(a, b)


def score(q: Query, lo: str, nm: Name, type_word: str | None) -> float:
    """How well the name (`lo`: its spelling, lowercase) explains the input and the
    model's letters, with its frequency and type (whether it may replace the model's
    letters at all is `admissible`'s question)."""
    k_sim = max(input_sim(q, nm), _sim(q.re_key, nm.key))
    # Marks are evidence only where the text has some (an unmarked span says nothing
    # about Hồ Chí Minh versus Hồ Chi Minh: the prior decides), and only on the
    # candidate's letters (the model's `Dân Là` for `Dak Lak` says nothing of `Đắk Lắk`)
    obs = [o for o, k in q.marked if k == nm.key]
    if lo.translate(STRIP_TABLE) == lo and q.in_key == nm.key:
        obs.append(q.in_low)  # an unmarked name written as is: `Brad Pitt`
    a_sim = max((_sim(o, lo) for o in obs), default=k_sim)
    s = KEY_WEIGHT * k_sim + ACCENT_WEIGHT * a_sim
    s += min(PRIOR_MAX, PRIOR_SCALE * math.log10(1.0 + nm.weight))
    if lo == q.in_low:
        s += INPUT_BONUS  # the input already spells a known name: `Luis Figo`
    if type_word is not None and (nm.fits(type_word) or nm.is_user):
        s += TYPE_BONUS  # a user list says nothing of types: it fits any
    if nm.is_user:
        s += USER_BONUS  # (the user's own names may overrule the model)
    if _replaces_only_debris(q, lo):
        s += DEBRIS_RELIEF
    return s


def input_sim(q: Query, nm: Name) -> float:
    """Similarity of the name's key with the input's (a skeleton match counts)."""
    k_in = _sim(q.in_key, nm.key)
    if q.folds and nm.key.translate(VOWEL_FOLD) in q.folds:
        k_in = max(k_in, 100.0 - FOLD_PENALTY)
    return k_in


def admissible(q: Query, lo: str, nm: Name, channel: OcrChannel | None) -> bool:
    """May the name replace the model's letters? The user's names always may; a
    name with neither key must be what the OCR channel reads the input from."""
    if nm.is_user or q.exact:
        return True
    if input_sim(q, nm) < q.guard and not _explains(q.seen, lo, q.re_low, nm.weight, channel):
        return False
    return _explains_kept(q, lo, channel)


def _readings(
    seen: str, name: str, restored: str, channel: OcrChannel | None
) -> list[tuple[str, str, str]] | None:
    """(seen, name, restored) word by word; None without a channel or when the word
    counts differ (the channel then has no say)."""
    if channel is None or seen.count(" ") != name.count(" "):
        return None
    return list(zip(seen.split(), name.split(), restored.split()))


def _explains_kept(q: Query, name: str, channel: OcrChannel | None) -> bool:
    """Words the model kept as written (it found no Vietnamese reading: `Lens`,
    `Jennifer`, or debris it could not place: `Biik`) are foreign unless the OCR
    channel reads them from the name with at most about one unexplained letter."""
    words = _readings(q.seen, name, q.re_low, channel)
    if words is None:
        return True
    return all(
        not kept or channel(x, n) >= channel(x, x) - KEPT_SLACK  # type: ignore[misc]
        for (x, n, _), kept in zip(words, q.kept)
    )


def _explains(
    seen: str, name: str, restored: str, weight: float, channel: OcrChannel | None
) -> bool:
    """The OCR channel reads `seen` from the name at least about as readily as from
    the model's letters (`lién xé`: Liên Xô as well as the model's `liên xe`); a
    frequent name may read a little worse (`Ti Lé`: Tú Lệ, 52, not the model's `Tỉ
    Lệ`; `cho Lén`: Chợ Lớn, not `chờ Lên`)."""
    words = _readings(seen, name, restored, channel)
    if words is None:
        return False
    from_name = sum(channel(x, n) for x, n, _ in words)  # type: ignore[misc]
    from_model = sum(channel(x, r) for x, _, r in words)  # type: ignore[misc]
    return from_name >= from_model - CHANNEL_SLACK - PRIOR_NATS * math.log10(1.0 + weight)


def _replaces_only_debris(q: Query, name: str) -> bool:
    """In OCR'd text, is every word the name changes one the model kept as the OCR
    printed it and no syllable strips to (`q.debris`: `Dudn`, `Lling`, debris it could
    not read)? (The OCR channel must still read it from the name: _explains_kept.)"""
    if not q.ocr or name.count(" ") != q.re_low.count(" "):
        return False
    changed = [d for n, r, d in zip(name.split(), q.re_low.split(), q.debris) if n != r]
    return bool(changed) and all(changed)
