"""The dictionary pass: repair place and person names that restoration got wrong.

Names are rare in any corpus, so a restorer guesses their tones (`Chiêng Sinh`) or keeps
OCR debris (`T6 Hiéu`). A gazetteer knows them: administrative units before and after
the 2025 merger, names mined from the corpus, and the user's own lists. After
restoration we look at name-like spans (Title-case runs of 1–4 tokens, or the tokens
after a type word such as `xã`, `đường`, `bản`), look them up by their de-accented key
and then fuzzily with rapidfuzz, and replace a span only when one name is clearly the
best explanation of both the noisy input and the restored text.

Strings here are NFC; keys are `strip_marks(...).lower()`, which also folds tone
placement (hoà/hòa) and `đ`. rapidfuzz gets an explicit `scorer=` and no processor:
its `default_process` replaces non-word characters and would split NFD marks. The
scorer is normalised Levenshtein similarity, not `fuzz.ratio`: OCR misreads letters
(`P` for `Đ`), and the Indel distance behind `ratio` counts a misread as two edits but a
lost letter as one, so it would prefer `Chiềng En` to `Chiềng Đen` for `Chiéng Pen`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pipeline.data.channel import char_channel
from pipeline.lexicon.index import INDEX_FILE, Tables, fingerprint, read_index
from pipeline.lexicon.sources import (
    DATA_DIR,
    PHRASE_WEIGHT,
    STRIP_TABLE,
    VOWEL_FOLD,
    Name,
    default_user_dict,
    key_of,
    read_user_dict,
    shipped_collocations,
    shipped_names,
    shipped_phrases,
    shipped_syllables,
    wildcards,
)
from pipeline.lexicon.spans import (
    Tok,
    apply_name_case,
    case_of,
    inside_run,
    is_heading,
    is_syllable,
    joins,
    letterless,
    letters_case,
    lower_old,
    lowered_by_model,
    name_like,
    ocr_capitals,
    sentence_starts,
    tokenize_line,
    type_before,
)
from pipeline.lexicon.user_overlay import merged_entry, outweighed, with_user_names
from pipeline.longlived import loading_long_lived
from pipeline.result import Change
from pipeline.text import (
    SIZE_ONLY_LETTERS,
    ToneStyle,
    detect_tone_style,
    nfc,
    normalize_text_tones,
)

log = logging.getLogger(__name__)

MAX_SPAN = 4

# Scoring (points on rapidfuzz's 0..100 scale; tuned on scripts/bench_lexicon.py's dev
# sentences, not on any test document).
KEY_WEIGHT = 0.6  # similarity of de-accented keys: letters, robust to OCR tone noise
ACCENT_WEIGHT = 0.4  # similarity with marks: tells Tân An from Tấn An
PRIOR_SCALE = 3.5  # points per factor 10 in frequency: Đắk Nông (422) over Đăk Nông (87)
PRIOR_MAX = 10.0  # frequent names win close calls, at most by this much
INPUT_BONUS = 5.0  # the input, as written, is a known name
_PHRASE: tuple[str, ...] = ("phrase",)
TYPE_BONUS = 3.0  # `xã X` where X is known as a xã
USER_BONUS = 4.0  # the user's names win ties
DEBRIS_RELIEF = 4.0  # a name that only replaces OCR debris the model kept as printed,
# which is wrong as it stands (`Dudn Sơn`: Đốn Sơn)
SENTENCE_START_PENALTY = 4.0  # a sentence's first word is capitalised anyway
SUBSPAN_PENALTY = 12.0  # a piece of a longer run of capitals
FOLD_PENALTY = 18.0  # a name that matches the input's consonants, vowels aside
LOST_CASE_WEIGHT = 100.0  # a name the model lowered is a common one: Hà Lan, not `Việt Nam Với`
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


@dataclass(slots=True)
class _Span:
    i: int
    n: int
    match: Match | None
    known: bool  # the restored span already is a gazetteer name
    rank: float = field(default=0.0)
    recase: bool = False  # a known name with OCR capitals inside (`Hoa KỲ`): fix the case
    name_case: bool = False  # a known name the model lowered (`đại Chính`): the name's case


@dataclass(frozen=True, slots=True)
class _Query:
    """One lookup: the span as seen (`in_`) and as the model wrote it (`re_`), lowercase
    and de-accented (keys); whether some name has either key (`exact`); whether the
    input's letters look like OCR debris (`broken`); how close to the input a fuzzy
    name must be where the model made clean text of the debris (`guard`, 0: no bound);
    the input's consonant skeletons, where vowels are unreliable (`folds`); the spellings
    that carry marks, with their keys (`marked`); the input exactly as the OCR printed
    it, lowercase (`seen`: what the OCR channel reads, its marks where the OCR put them,
    `khué`, not moved to the spelling key's `khúe`)."""

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


@dataclass(slots=True)
class _Line:
    """One line as the span search sees it: restored and input tokens (aligned; the
    restored ones twice when the counts differ) and, per token, whether it may belong
    to a name (`namey`), whether its small letter may be a lost capital (`lost_case`)
    and whether a sentence starts there."""

    rt: list[Tok]
    it: list[Tok]
    heading: bool
    plain: bool
    ocr: bool
    namey: list[bool]
    lost_case: list[bool]
    starts: list[bool]


def _sim(a: str, b: str) -> float:
    """0..100; one misread letter costs as much as one lost or invented letter."""
    return 100.0 * Levenshtein.normalized_similarity(a, b)


class Gazetteer:
    """Names indexed for exact (by key) and fuzzy (rapidfuzz, same syllable count) lookup.

    Build it once per process (`load_gazetteer`); matching only fills caches and lazy
    indexes, so one instance serves a whole process (each batch worker builds its own).
    """

    def __init__(
        self,
        names: Iterable[Name],
        *,
        syllables: Iterable[str] = (),
        phrases: Iterable[str] | dict[str, float] = (),
        collocations: dict[str, float] | Iterable[str] = (),
        score_cutoff: float = 82.0,
        margin: float = 1.5,
        fuzzy_cutoff: float = 75.0,
        ocr_channel: Callable[[str, str], float] | None = None,
    ) -> None:
        # the syllable inventory (lowercase, marked) and its de-accented keys: a marked
        # syllable outside it, or an unmarked one no real syllable strips to, is debris
        self.syllables = frozenset(syllables)
        self.syllable_keys = frozenset(key_of(x) for x in self.syllables)
        # capitalised runs that are not names (lowercase): written so by the model, kept
        counts = phrases if isinstance(phrases, dict) else dict.fromkeys(phrases, PHRASE_WEIGHT)
        phrase_weight = {p.lower(): float(c) for p, c in counts.items()}
        self.phrases = frozenset(phrase_weight)
        # lowercase compounds whose first word can end a name (`chính phủ`, `an ninh`)
        self.collocations: dict[str, float] = (
            dict(collocations)
            if isinstance(collocations, dict)
            else dict.fromkeys(collocations, math.inf)
        )
        merged: dict[str, Name] = {}
        for nm in names:  # same spelling from two sources: one entry (see merged_entry)
            low = nm.text.lower()
            merged[low] = merged_entry(merged.get(low), nm)
        # `Viet Nam` (English spelling, mined from the corpus) would make the stripped span
        # look like a known name: an unmarked spelling goes when a marked one with the same
        # key is at least as frequent (`outweighed`). User entries always stay.
        spellings: dict[str, list[Name]] = {}
        for nm in merged.values():
            spellings.setdefault(nm.key, []).append(nm)
        # An official unit's unmarked spelling (`Nha Trang`, `Thanh Long`) goes too (in
        # stripped text every unmarked span would otherwise spell it), but is remembered:
        # where the model itself wrote it, reading the context, the model's choice stands
        # (not `Nhà Trắng`, the more frequent spelling of the same key). What went is kept
        # aside: a user list with the same spelling brings it back (user_overlay.py).
        unmarked_units: set[str] = set()
        dropped: dict[str, Name] = {}
        gone = {nm.text.lower() for names in spellings.values() for nm in outweighed(names)}
        for low in [low for low in merged if low in gone]:
            dropped[low] = merged.pop(low)
            if dropped[low].is_admin_unit:
                unmarked_units.add(low)
        by_key: dict[str, list[Name]] = {}
        for nm in merged.values():
            by_key.setdefault(nm.key, []).append(nm)
        self.dropped: Mapping[str, Name] = dropped
        self.unmarked_units = frozenset(unmarked_units)
        self.by_lower: Mapping[str, Name] = merged
        self.user_names = [nm for nm in merged.values() if nm.is_user]
        # Phrases compete as candidates but never win: when `Bộ Văn` (of `Bộ Văn hóa`)
        # explains `B6 Van` as well as the commune `Ba Vân`, the span is left alone.
        for low in sorted(self.phrases - merged.keys()):
            k = key_of(low)
            by_key.setdefault(k, []).append(Name(low, k, phrase_weight[low], _PHRASE))
        self.by_key: Mapping[str, list[Name]] = by_key
        self._wild: Mapping[str, list[str]] | None = None
        self._by_fold: Mapping[str, list[str]] | None = None
        self.score_cutoff = score_cutoff
        self.margin = margin
        self.fuzzy_cutoff = fuzzy_cutoff
        # log P(seen | truth) of a token under the eng-OCR channel (None: not used)
        self.ocr_channel = ocr_channel
        self._cache: dict[tuple[str, str, str | None, bool], Match | None] = {}

    @classmethod
    def from_tables(
        cls,
        tables: Tables,
        *,
        ocr_channel: Callable[[str, str], float] | None = None,
        user_names: Sequence[Name] = (),
    ) -> Gazetteer:
        """A gazetteer over prebuilt tables (the shipped index), with `user_names` merged in
        where they touch it (user_overlay.py): the same as building it with them."""
        gaz = cls((), ocr_channel=ocr_channel)
        if user_names:
            tables, gaz.user_names = with_user_names(tables, user_names, _PHRASE)
        gaz.syllables, gaz.syllable_keys = tables.syllables, tables.syllable_keys
        gaz.phrases, gaz.collocations = tables.phrases, tables.collocations
        gaz.unmarked_units = tables.unmarked_units
        gaz.by_lower, gaz.by_key = tables.by_lower, tables.by_key
        gaz._wild, gaz._by_fold = tables.wild, tables.by_fold
        gaz.dropped = tables.dropped
        return gaz

    def tables(self) -> Tables:
        """Everything `from_tables` needs, the lazy indexes built (for the index file)."""
        return Tables(
            syllables=self.syllables, syllable_keys=self.syllable_keys,
            phrases=self.phrases, collocations=self.collocations,
            unmarked_units=self.unmarked_units, by_lower=self.by_lower, by_key=self.by_key,
            wild=self.wild, by_fold=self.by_fold, dropped=self.dropped,
        )

    def __len__(self) -> int:
        return len(self.by_lower)

    def __contains__(self, text: str) -> bool:
        return normalize_text_tones(nfc(text)).lower() in self.by_lower

    # -- one span -----------------------------------------------------------------------
    def match(
        self,
        text: str,
        restored: str | None = None,
        *,
        type_word: str | None = None,
        score_cutoff: float | None = None,
        ocr: bool = True,
    ) -> Match | None:
        """Best name for a span seen as `text` (noisy input) and `restored` (model output).

        None when nothing scores `score_cutoff` or the best is not clearly ahead of the
        runner-up (near-ties are left to the model). A single syllable is looked up only
        after a type word it is known with, and only by exact key: one syllable is too
        short for fuzzy matching to mean anything.
        """
        restored = text if restored is None else restored
        ck = (text, restored, type_word, ocr)
        if score_cutoff is None and ck in self._cache:
            return self._cache[ck]
        m = self._match(text, restored, type_word, score_cutoff or self.score_cutoff, ocr)
        if score_cutoff is None:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[ck] = m
        return m

    def _match(
        self, text: str, restored: str, type_word: str | None, cutoff: float, ocr: bool
    ) -> Match | None:
        q = self._query(text, restored, type_word, ocr)
        cands = self._candidates(q, type_word, ocr)
        # Best first; the OCR channel (the costly part) is asked only about names that
        # could still win or come within the margin of the winner.
        ranked = sorted(((self._score(q, lo, nm, type_word), lo, nm) for lo, nm in cands.items()),
                        key=lambda x: -x[0])
        best: tuple[float, Name] | None = None
        second = 0.0
        for s, lo, nm in ranked:
            if s < (cutoff if best is None else best[0] - self.margin):
                break
            if not self._admissible(q, lo, nm):
                continue
            if best is not None:
                second = s
                break
            best = (s, nm)
        if best is None:
            return None
        best_s, name = best
        if best_s - second < self.margin or name.sources is _PHRASE:
            return None
        return Match(name, best_s, second, q.exact)

    def _query(self, text: str, restored: str, type_word: str | None, ocr: bool) -> _Query:
        """What a lookup compares candidates with (see _Query)."""
        in_low, re_low = lower_old(text), lower_old(restored)
        in_key, re_key = key_of(in_low), key_of(re_low)
        if not ocr and not self.looks_noisy(in_low, ocr=False):
            # typed or stripped text: its letters are right, and a model that changed
            # them (`Nam Bộ` for `Hyde Park`) is no evidence of which name is meant
            re_key = in_key
        exact = any(k in self.by_key for k in (re_key, in_key))
        # (é is the one mark eng-OCR prints, for ê, ế, ồ, ơ and more: in OCR'd text it is
        # no evidence of the letter under it, `Bé Dao Nha` for Bồ Đào Nha)
        broken = not exact and (self.looks_noisy(in_low, ocr=ocr) or (ocr and "é" in in_low))
        guard = 0.0
        if broken and not self.looks_noisy(re_low, ocr=ocr):
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
        marked = tuple((o, key_of(o)) for o in (in_low, re_low) if o.translate(STRIP_TABLE) != o)
        seen = nfc(" ".join(text.split())).lower()
        return _Query(
            in_low, re_low, in_key, re_key, n, exact, broken, guard, folds, marked, seen, ocr
        )

    def _candidates(self, q: _Query, type_word: str | None, ocr: bool) -> dict[str, Name]:
        """Names that may explain the span: same key; fuzzily, where its letters are
        unreliable; same consonant skeleton, in OCR'd text."""
        cands: dict[str, Name] = {}
        for k in (q.re_key, q.in_key):
            for nm in self.by_key.get(k, ()):
                cands[nm.text.lower()] = nm
        if q.n == 1:
            # one syllable is thin evidence: where the model wrote a real word, only the
            # user's own names overrule it
            model_word = q.re_low.translate(STRIP_TABLE) != q.re_low and (
                q.re_low in self.syllables or not self.syllables
            )
            cands = {
                lo: nm
                for lo, nm in cands.items()
                if nm.is_user
                or (not model_word and type_word is not None and type_word in nm.types)
            }
        # Fuzzy lookup only where the input's letters are unreliable (OCR debris): in
        # stripped or typed text the letters are right, and a name one letter away is
        # another name (`Nguyễn Văn A` is not `Nguyễn Văn An`). Names one syllable from
        # the input or from the model's reading (`Cdng Lgi`, model `Cộng Lợi`: Củng Lợi)
        # are candidates, and the user's names of the span's length. Where the model made
        # clean text of the debris, a name farther from the input than the model's
        # letters must be what the OCR channel reads the input from (_admissible: `Tdn` is
        # Tòn, `Bién Dien` Biển Đen; `Trường Tiểu` from `Truong Tiéu` stays; `Lỗ Giao`
        # does not replace `Bộ Giáo` for `B6 Giao`).
        if q.broken and q.n >= 2:
            self._fuzzy(cands, (q.in_key, q.re_key))
            self._fuzzy_user(cands, (q.in_key, q.re_key), q.n)
        for f in q.folds:
            for k in self.by_fold.get(f, ()):
                for nm in self.by_key[k]:
                    cands.setdefault(nm.text.lower(), nm)
        return cands

    def _score(self, q: _Query, lo: str, nm: Name, type_word: str | None) -> float:
        """How well the name explains the input and the model's letters, with its
        frequency and type (whether it may replace the model's letters at all is
        _admissible's question)."""
        k_sim = max(self._input_sim(q, nm), _sim(q.re_key, nm.key))
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
        if type_word is not None and (type_word in nm.types or nm.is_user):
            s += TYPE_BONUS  # a user list says nothing of types: it fits any
        if nm.is_user:
            s += USER_BONUS  # (the user's own names may overrule the model)
        if self._replaces_only_debris(q, lo):
            s += DEBRIS_RELIEF
        return s

    def _input_sim(self, q: _Query, nm: Name) -> float:
        """Similarity of the name's key with the input's (a skeleton match counts)."""
        k_in = _sim(q.in_key, nm.key)
        if q.folds and nm.key.translate(VOWEL_FOLD) in q.folds:
            k_in = max(k_in, 100.0 - FOLD_PENALTY)
        return k_in

    def _admissible(self, q: _Query, lo: str, nm: Name) -> bool:
        """May the name replace the model's letters? The user's names always may; a
        name with neither key must be what the OCR channel reads the input from."""
        if nm.is_user or q.exact:
            return True
        if self._input_sim(q, nm) < q.guard and not self._explains(
            q.seen, lo, q.re_low, nm.weight
        ):
            return False
        return self._explains_kept(q.seen, lo, q.re_low)

    def _readings(
        self, seen: str, name: str, restored: str
    ) -> list[tuple[str, str, str]] | None:
        """(seen, name, restored) word by word; None without a channel or when the word
        counts differ (the channel then has no say)."""
        if self.ocr_channel is None or seen.count(" ") != name.count(" "):
            return None
        return list(zip(seen.split(), name.split(), restored.split()))

    def _explains_kept(self, seen: str, name: str, restored: str) -> bool:
        """Words the model kept as written (it found no Vietnamese reading: `Lens`,
        `Jennifer`, or debris it could not place: `Biik`) are foreign unless the OCR
        channel reads them from the name with at most about one unexplained letter."""
        words = self._readings(seen, name, restored)
        if words is None:
            return True
        channel = self.ocr_channel
        return all(
            lower_old(x) != r or channel(x, n) >= channel(x, x) - KEPT_SLACK  # type: ignore[misc]
            for x, n, r in words
        )

    def _explains(self, seen: str, name: str, restored: str, weight: float = 0.0) -> bool:
        """The OCR channel reads `seen` from the name at least about as readily as from
        the model's letters (`lién xé`: Liên Xô as well as the model's `liên xe`); a
        frequent name may read a little worse (`Ti Lé`: Tú Lệ, 52, not the model's `Tỉ
        Lệ`; `cho Lén`: Chợ Lớn, not `chờ Lên`)."""
        words = self._readings(seen, name, restored)
        if words is None:
            return False
        from_name = sum(self.ocr_channel(x, n) for x, n, _ in words)  # type: ignore[misc]
        from_model = sum(self.ocr_channel(x, r) for x, _, r in words)  # type: ignore[misc]
        return from_name >= from_model - CHANNEL_SLACK - PRIOR_NATS * math.log10(1.0 + weight)

    def _fuzzy_user(self, cands: dict[str, Name], queries: tuple[str, ...], n: int) -> None:
        cut = self.fuzzy_cutoff / 100.0
        for nm in self.user_names:
            if nm.nsyl == n and any(
                Levenshtein.normalized_similarity(q, nm.key, score_cutoff=cut) for q in queries
            ):
                cands[nm.text.lower()] = nm

    def _fuzzy(self, cands: dict[str, Name], queries: tuple[str, ...]) -> None:
        """Names within `fuzzy_cutoff` of a query that share all its syllables but one
        (the `wild` index; rapidfuzz scores them in one C loop).

        A scan of every name of the query's length found no name that this misses on
        the dev and test sentences of scripts/bench_lexicon.py, all dev lines, or the
        appendix, at a third of the pass's time on eng-OCR text: it was dropped.
        """
        queries = tuple(dict.fromkeys(queries))
        cut = self.fuzzy_cutoff / 100.0
        keys: set[str] = set()
        for q in queries:
            for w in wildcards(q.split()):
                keys.update(self.wild.get(w, ()))
        if not keys:
            return
        choices = list(keys)
        for q in queries:
            for k, _, _ in process.extract(
                q, choices, scorer=Levenshtein.normalized_similarity,
                score_cutoff=cut, limit=None,
            ):
                for nm in self.by_key[k]:
                    cands[nm.text.lower()] = nm

    def _recased_name(
        self, rt: list[Tok], i: int, j: int, lost_case: list[bool], hit: Name | None
    ) -> bool:
        """May the span i..j, with words whose case the model made up (`lost_case`), be
        written as the name `hit`? Only a common name (`Hà Lan`; a mined phrase such as
        `Việt Nam Với` is not one), and only where the corpus does not write the small
        word after the one before it more often than the name (`Tổ quốc`)."""
        if hit is None or hit.weight < LOST_CASE_WEIGHT:
            return False
        return all(
            self.collocations.get(f"{lower_old(rt[k - 1].core)} {rt[k].core}", 0.0) < hit.weight
            for k in range(max(i, 1), j + 1) if lost_case[k]
        )

    def _compound_after(self, rt: list[Tok], j: int, name: Name) -> bool:
        """Token j, spelt as the name ends, and the lowercase word after it are a compound
        more frequent than the name (`Lễ Vinh danh`, `Viện An ninh`): a capitalised
        phrase, not a name ending at j. (Where the model's spelling of token j differs
        from the name's, the model may be the one that is wrong: `Không Từ các` for
        Khổng Tử, and the compound it makes says nothing.)"""
        if not self.collocations or j + 1 >= len(rt):
            return False
        a, b = rt[j], rt[j + 1]
        last = lower_old(a.core)
        if a.trail or b.lead or not b.core.islower() or last != name.text.split()[-1].lower():
            return False
        return self.collocations.get(f"{last} {lower_old(b.core)}", 0.0) > name.weight

    def _replaces_only_debris(self, q: _Query, name: str) -> bool:
        """In OCR'd text, is every word the name changes one the model kept as the OCR
        printed it and no syllable strips to (`Dudn`, `Lling`: debris it could not read)?
        (The OCR channel must still read it from the name: _explains_kept.)"""
        if not q.ocr or name.count(" ") != q.re_low.count(" "):
            return False
        changed = [(x, r) for x, n, r in zip(q.seen.split(), name.split(), q.re_low.split())
                   if n != r]
        return bool(changed) and all(
            lower_old(x) == r and self.looks_noisy(r) for x, r in changed
        )

    def looks_noisy(self, span: str, *, ocr: bool = True) -> bool:
        """OCR debris in a lowercase span: symbols or digits inside a word, a marked
        syllable no text uses (`quéc`), or, in OCR'd text, an unmarked one no syllable
        strips to (`ndi`). In clean or stripped text such a word is foreign (`Jennifer`).

        Without an inventory only the shape of marked syllables is checked.
        """
        for syl in span.split():
            if not syl.isalpha() and not all(c.isalpha() or c in "'’-" for c in syl):
                return True
            marked = syl.translate(STRIP_TABLE) != syl
            if self.syllables:
                if marked:
                    if syl not in self.syllables:
                        return True
                elif ocr and syl not in self.syllable_keys:
                    return True
            elif marked and not is_syllable(syl):
                return True
        return False

    def is_ocr_text(self, lines: Sequence[str]) -> bool:
        """Does the text carry OCR debris (`T6`, `1a`, `Quéc`, `dé)ng`) in at least 2 %
        of its words? Decides whether unknown unmarked words are debris or foreign."""
        return self._is_ocr_tokens(tokenize_line(line) for line in lines)

    def _is_ocr_tokens(self, token_lines: Iterable[list[Tok]]) -> bool:
        words = debris = 0
        for toks in token_lines:
            for t in toks:
                core = t.core
                if not core or not any(c.isalpha() for c in core):
                    continue
                words += 1
                if not core.isalpha() or self.looks_noisy(core.lower(), ocr=False):
                    debris += 1
        return words > 0 and debris >= max(2, 0.02 * words)

    @property
    def wild(self) -> Mapping[str, list[str]]:
        """`a * c`: keys by all syllables but one, so a span with one misread syllable
        finds its candidates without scanning every name of its length. Built on the
        first fuzzy lookup: text whose names are all exact never pays for it."""
        if self._wild is None:
            wild: dict[str, list[str]] = {}
            for k in self.by_key:
                syls = k.split()
                if len(syls) >= 2:
                    for w in wildcards(syls):
                        wild.setdefault(w, []).append(k)
            self._wild = wild
        return self._wild

    @property
    def by_fold(self) -> Mapping[str, list[str]]:
        """Keys by consonant skeleton (every vowel letter folded to `a`), built on first use."""
        if self._by_fold is None:
            fold: dict[str, list[str]] = {}
            for k in self.by_key:
                if " " in k:
                    fold.setdefault(k.translate(VOWEL_FOLD), []).append(k)
            self._by_fold = fold
        return self._by_fold

    # -- whole lines --------------------------------------------------------------------
    def fix_lines(
        self, input_lines: Sequence[str], restored_lines: Sequence[str]
    ) -> tuple[list[str], list[Change]]:
        """Repair names in `restored_lines` (token-aligned with `input_lines`).

        Returns the new lines (same tokens, spacing and punctuation; only name spans'
        letters change) and one `Change` per replaced span, with offsets in the input.
        """
        if len(input_lines) != len(restored_lines):
            raise ValueError("input and restored line counts differ")
        style = detect_tone_style(restored_lines)  # a repaired name follows the text
        # the input is tokenised once: for the OCR test and for each line's spans
        input_toks = [tokenize_line(line) for line in input_lines]
        ocr = self._is_ocr_tokens(input_toks)
        out: list[str] = []
        changes: list[Change] = []
        prev_ends_sentence = True
        for li, (inp, res) in enumerate(zip(input_lines, restored_lines)):
            new, ch = self._fix_line(li, inp, input_toks[li], res, style, prev_ends_sentence, ocr)
            out.append(new)
            changes.extend(ch)
            stripped = res.rstrip()
            if stripped:
                prev_ends_sentence = stripped[-1] in ".!?:;"
        return out, changes

    def _fix_line(
        self,
        li: int,
        inp: str,
        it: list[Tok],
        res: str,
        style: ToneStyle,
        line_starts_sentence: bool,
        ocr: bool,
    ) -> tuple[str, list[Change]]:
        ln = self._read_line(li, inp, it, res, line_starts_sentence, ocr)
        if ln is None:
            return res, []
        spans = [sp for i in range(len(ln.rt)) if ln.namey[i] for sp in self._spans_from(ln, i)]
        return self._replace(li, inp, res, ln, _best_disjoint(spans), style)

    def _read_line(
        self, li: int, inp: str, it: list[Tok], res: str, line_starts_sentence: bool, ocr: bool
    ) -> _Line | None:
        """The line's tokens (`it`: the input's) and which may belong to a name; None when
        none may."""
        if res.islower() and inp.islower():
            return None  # no capital, no name (type words need a capital after them)
        rt = tokenize_line(res)
        if len(it) != len(rt):
            log.debug("line %d: input and restored token counts differ; input ignored", li)
            it = rt
        if not rt:
            return None
        heading = is_heading(rt)
        namey = [name_like(a.core, heading, ocr) or name_like(b.core, heading, ocr)
                 for a, b in zip(it, rt)]
        if not any(namey):
            return None
        if not heading:
            # eng-OCR capitals inside a name (`Hoa KY`, restored `Hoa KỲ`): a marked
            # syllable in capitals joined to a title-case word may belong to its name
            # (unmarked capitals are abbreviations: `HA Gia Lai`)
            for k, t in enumerate(rt):
                if (not namey[k] and letters_case(t.core) == "upper"
                        and t.core.translate(STRIP_TABLE) != t.core and is_syllable(t.core)):
                    namey[k] = any(
                        0 <= k2 < len(rt) and namey[k2]
                        and joins(rt[min(k, k2)], rt[max(k, k2)])
                        for k2 in (k - 1, k + 1)
                    )
        # an input token that the model made a lowercase word from no letters (`An 6` →
        # `Ấn độ`) or, in OCR'd text, from another first letter (`Ha oe` → `Hà lan`; not
        # `Han quéc` → `Hàn quốc`, whose q the OCR read as written) may continue a name
        # the model lowered: its case came from nowhere (see _recased_name); so may,
        # in OCR'd text, a small c o s v x w z, whose capital differs only in size (`Thanh
        # oai` → Thanh Oai)
        lost_case = [
            k > 0 and not namey[k] and rt[k].core.isalpha() and rt[k].core.islower()
            and (letterless(it[k].core)
                 or ocr and key_of(lower_old(it[k].core[:1])) != key_of(rt[k].core[:1])
                 or ocr and key_of(rt[k].core[0]) in SIZE_ONLY_LETTERS)
            for k in range(len(rt))
        ]
        return _Line(
            rt=rt, it=it, heading=heading, ocr=ocr,
            # no marks anywhere: no model ran (or it had nothing to say); type words can
            # only be recognised by their keys (`xa Chieng Sinh`)
            plain=res.translate(STRIP_TABLE) == res,
            namey=namey, lost_case=lost_case,
            starts=sentence_starts(rt, line_starts_sentence),
        )

    def _spans_from(self, ln: _Line, i: int) -> Iterator[_Span]:
        """The name spans (1–MAX_SPAN tokens) that start at token i, each scored."""
        typ = type_before(ln.rt, ln.it, i, ln.plain)
        for n in range(1, MAX_SPAN + 1):
            j = i + n - 1
            if j >= len(ln.rt) or not (ln.namey[j] or ln.lost_case[j]):
                break
            if n > 1 and not (joins(ln.rt[j - 1], ln.rt[j]) and joins(ln.it[j - 1], ln.it[j])):
                break
            if typ is None and (n == 1 or ln.heading):
                continue  # one syllable needs its type word; capitals say nothing in a heading
            sp = self._span(ln, i, j, typ)
            if sp is not None:
                yield sp

    def _span(self, ln: _Line, i: int, j: int, typ: str | None) -> _Span | None:
        """Tokens i..j as a name: already one (kept), one to write (a match), or neither."""
        rt, it, ocr, n = ln.rt, ln.it, ln.ocr, j - i + 1
        rspan = " ".join(t.core for t in rt[i : j + 1])
        ispan = " ".join(t.core for t in it[i : j + 1])
        if not ocr and rspan == ispan and _written_with_marks(rt[i : j + 1]):
            return None  # marks a writer or a Vietnamese OCR put there, kept by the model
        low = lower_old(rspan)
        in_low = lower_old(ispan)
        same_letters = key_of(rspan) == key_of(ispan)
        hit = self.by_lower.get(low)
        if n == 1 and hit is not None and typ not in hit.types:
            hit = None  # `Bộ` is a name after `đảo`, not after `tỉnh`
        if any(ln.lost_case[i : j + 1]) and not self._recased_name(rt, i, j, ln.lost_case, hit):
            return None
        known = (
            (hit is not None or (n > 1 and (low in self.phrases or low in self.unmarked_units)))
            and (ocr or same_letters)
            # the input spelling itself is a name the model wrote over (`Hyde Park` made
            # `Nam Bộ`): the input has the better claim
            and (same_letters or in_low not in self.by_lower)
            # in OCR'd text, input letters that spell a name (`Vi Thanh`) have a claim
            # against the model's other name (`Vũ Thanh`): the match decides
            and (same_letters or not ocr or key_of(in_low) not in self.by_key)
        )
        recase = not ln.heading and ocr_capitals(rt[i : j + 1])
        lowered = not ln.heading and hit is not None and lowered_by_model(
            hit.text, rt[i : j + 1], it[i : j + 1], ln.lost_case[i : j + 1]
        )
        # where the model read every word as a common one (`An Ién`: dự án lớn), only a
        # name with the span's key or the user's may stand for it: no fuzzy lookup
        common_words = all(t.core.islower() for t in rt[i : j + 1])
        m: Match | None
        if (recase or lowered) and known and hit is not None:
            m = Match(hit, 100.0, 0.0, True)
            known = False
        elif known or (common_words and not self.user_names
                       and key_of(low) not in self.by_key and key_of(in_low) not in self.by_key):
            m = None
        else:
            m = self.match(ispan, rspan, type_word=typ, ocr=ocr)
        if m is None and not known:
            return None
        if m is not None and common_words and not m.exact_key and not m.name.is_user:
            return None
        base = 100.0 if m is None else m.score
        if typ is None:
            # a capital that any sentence start has, or a piece of a longer run of
            # capitals (`Hoàng Văn Nha` is a person, `Vân Nha` a commune): weaker. (A
            # name the model already wrote keeps its rank at a sentence start: `Lê Văn
            # Phúc...` is not rewritten `Lê Vạn Phúc` for the commune Vạn Phúc.)
            if ln.starts[i] and m is not None:
                base -= SENTENCE_START_PENALTY
            if inside_run(rt, ln.namey, ln.starts, i, j) or (
                m is not None and self._compound_after(rt, j, m.name)
            ):
                # the model's own marks on a piece of a run stand, unless the user listed
                # the name or the model left debris; in OCR'd text so do its unmarked
                # words (`Chiếu Minh Tam Thanh`: not Tâm)
                if m is not None and (
                    (rspan.translate(STRIP_TABLE) != rspan or ocr)
                    and not m.name.is_user
                    and not self.looks_noisy(low, ocr=ocr)
                    and in_low not in self.by_lower
                ):
                    return None
                base -= SUBSPAN_PENALTY
            if m is not None and base < self.score_cutoff:
                return None
        sp = _Span(i, n, m, m is None, recase=recase, name_case=lowered)
        sp.rank = base + 6.0 * n  # a longer name explains more
        return sp

    def _replace(
        self, li: int, inp: str, res: str, ln: _Line, chosen: list[_Span], style: ToneStyle
    ) -> tuple[str, list[Change]]:
        """Write the chosen names into the restored line, in the line's casing and tone
        style, and record each replacement."""
        rt, it = ln.rt, ln.it
        new = res
        changes: list[Change] = []
        for sp in sorted(chosen, key=lambda s: -s.i):  # right to left keeps offsets valid
            assert sp.match is not None
            toks = rt[sp.i : sp.i + sp.n]
            name_toks = normalize_text_tones(sp.match.name.text, style).split()
            new_cores = [
                nt if sp.name_case or (sp.recase and letters_case(r.core) == "upper")
                else apply_name_case(nt, case_of(r.core, it_.core))
                for nt, r, it_ in zip(name_toks, toks, it[sp.i : sp.i + sp.n])
            ]
            if all(c == r.core for c, r in zip(new_cores, toks)):
                continue
            first, last = it[sp.i], it[sp.i + sp.n - 1]
            start, end = first.core_start, last.core_start + len(last.core)
            rstart = toks[0].core_start
            rend = toks[-1].core_start + len(toks[-1].core)
            # the spacing inside the span is kept; debris glued inside it (`Võ&`) goes
            after = new_cores[0]
            for a, b, c in zip(toks, toks[1:], new_cores[1:]):
                gap = res[a.core_start + len(a.core) : b.core_start]
                after += "".join(ch for ch in gap if ch.isspace()) + c
            new = new[:rstart] + after + new[rend:]
            changes.append(
                Change(
                    line=li,
                    token=sp.i,
                    start=start,
                    end=end,
                    before=inp[start:end] if it is not rt else res[start:end],
                    after=after,
                    confidence=min(1.0, sp.match.score / 100.0),
                    stage="dictionary",
                    ntokens=sp.n,
                    extra={
                        "score": round(sp.match.score, 1),
                        "source": sp.match.name.source,
                        "sources": list(sp.match.name.sources),
                        "restored": res[rstart:rend],
                    },
                )
            )
        changes.reverse()
        return new, changes


# -- helpers -----------------------------------------------------------------------------
def _best_disjoint(spans: list[_Span]) -> list[_Span]:
    """Non-overlapping spans, best first; a span that already is a name takes its tokens
    but is kept as written (not returned)."""
    taken: set[int] = set()
    chosen: list[_Span] = []
    for sp in sorted(spans, key=lambda s: -s.rank):
        cover = range(sp.i, sp.i + sp.n)
        if any(k in taken for k in cover):
            continue
        taken.update(cover)
        if not sp.known:
            chosen.append(sp)
    return chosen


def _written_with_marks(toks: list[Tok]) -> bool:
    """Every word a Vietnamese syllable with marks: marks its writer (or a Vietnamese OCR)
    put there, which a name of the same letters but other marks does not overrule
    (`Quảng`, `Bằng`, `Cường` were made Quang, Bảng, Cương on clean vie-OCR pages: all
    clean dev lines 106 → 102 errors with the pass, photocopies 411 → 408). A word
    without marks may be one that lost them (`Quang Bình` typed for Quảng Bình)."""
    cores = [t.core for t in toks]
    return (all(is_syllable(c) for c in cores)
            and all(c.translate(STRIP_TABLE) != c for c in cores))





def build_shipped(user_names: Iterable[Name] = (),
                  ocr_channel: Callable[[str, str], float] | None = None) -> Gazetteer:
    """The gazetteer built from the shipped data files (and user names), the slow way."""
    return Gazetteer(
        [*shipped_names(), *user_names],
        syllables=shipped_syllables(),
        phrases=shipped_phrases(),
        collocations=shipped_collocations(),
        ocr_channel=ocr_channel,
    )


@lru_cache(maxsize=8)
def _load(user_dicts: tuple[Path, ...], default: Path | None) -> Gazetteer:
    with loading_long_lived():  # lives as long as the process: out of the collector's sight
        paths = list(user_dicts)
        if default is not None and default.is_file() and default not in paths:
            paths.insert(0, default)
        user_names = [nm for p in paths for nm in read_user_dict(p)]
        channel = char_channel("eng")  # what an English-model OCR does to Vietnamese letters
        logp = channel.logp if channel is not None else None
        tables = read_index(DATA_DIR / INDEX_FILE, fingerprint(), _PHRASE)
        if tables is None:
            log.warning("%s is missing or stale: run scripts/build_gazetteer_index.py",
                        DATA_DIR / INDEX_FILE)
            gaz = build_shipped(user_names, logp)
        else:
            gaz = Gazetteer.from_tables(tables, ocr_channel=logp, user_names=user_names)
    log.info("gazetteer: %d names (%d user lists)", len(gaz), len(paths))
    return gaz


def load_gazetteer(user_dicts: tuple[Path, ...] = ()) -> Gazetteer:
    """The shipped gazetteer plus the default user list and `user_dicts`, built once."""
    return _load(tuple(Path(p) for p in user_dicts), default_user_dict())
