"""The dictionary pass: repair place and person names that restoration got wrong.

Names are rare in any corpus, so a restorer guesses their tones (`Chiêng Sinh`) or keeps
OCR debris (`T6 Hiéu`). A gazetteer knows them: administrative units before and after
the 2025 merger, names mined from the corpus, and the user's own lists. After
restoration we look at name-like spans (Title-case runs of 1–4 tokens, or the tokens
after a type word such as `xã`, `đường`, `bản`), look them up by their de-accented key
and then fuzzily with rapidfuzz, and replace a span only when one name is clearly the
best explanation of both the noisy input and the restored text. This module holds the
names, finds the candidates for one span and picks the winner (`Gazetteer.match`);
scoring.py scores a candidate and says whether it may replace the model's letters;
line_pass.py finds the spans in each line and writes the chosen names in.
(Just over 400 lines: the name tables and the search over them share their indexes.)

Strings here are NFC; keys are `vnocr.text.span_key`, which also folds tone placement
(hoà/hòa) and `đ`. rapidfuzz gets an explicit `scorer=` and no processor: its
`default_process` replaces non-word characters and would split NFD marks.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from vnocr.channel import char_channel
from vnocr.lexicon.index import INDEX_FILE, Tables, fingerprint, read_index
from vnocr.lexicon.scoring import Match, OcrChannel, Query, admissible, make_query, score
from vnocr.lexicon.sources import (
    DATA_DIR,
    PHRASE_WEIGHT,
    VOWEL_FOLD,
    Name,
    default_user_dict,
    read_user_dict,
    shipped_collocations,
    shipped_names,
    shipped_phrases,
    shipped_syllables,
    wildcards,
)
from vnocr.lexicon.user_overlay import merged_entry, outweighed, with_user_names
from vnocr.longlived import loading_long_lived
from vnocr.text import (
    STRIP_TABLE,
    Token,
    has_syllable_shape,
    nfc,
    normalize_text_tones,
    span_key,
    tokenize,
)

log = logging.getLogger(__name__)

# the sources of a mined phrase entry: it competes as a candidate but never wins
_PHRASE: tuple[str, ...] = ("phrase",)


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
        ocr_channel: OcrChannel | None = None,
    ) -> None:
        # the syllable inventory (lowercase, marked) and its de-accented keys: a marked
        # syllable outside it, or an unmarked one no real syllable strips to, is debris
        self.syllables = frozenset(syllables)
        self.syllable_keys = frozenset(span_key(x) for x in self.syllables)
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
            k = span_key(low)
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
        ocr_channel: OcrChannel | None = None,
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
        q = make_query(text, restored, type_word, ocr,
                       known_keys=self.by_key, looks_noisy=self.looks_noisy)
        return self._best(q, self._candidates(q, type_word, ocr), type_word, cutoff)

    def best_of(self, text: str, restored: str, names: Iterable[Name], *,
                type_word: str | None, ocr: bool) -> Match | None:
        """`match`'s decision among `names` only (units a paragraph's places narrowed
        the span to, see hierarchy.near_units_inside)."""
        q = make_query(text, restored, type_word, ocr,
                       known_keys=self.by_key, looks_noisy=self.looks_noisy)
        return self._best(q, {nm.text.lower(): nm for nm in names}, type_word,
                          self.score_cutoff)

    def _best(self, q: Query, cands: dict[str, Name], type_word: str | None, cutoff: float
              ) -> Match | None:
        """The best of `cands` for the query, if it scores `cutoff` and leads the runner-up
        by the margin."""
        # Best first; the OCR channel (the costly part) is asked only about names that
        # could still win or come within the margin of the winner.
        ranked = sorted(((score(q, lo, nm, type_word), lo, nm) for lo, nm in cands.items()),
                        key=lambda x: -x[0])
        best: tuple[float, Name] | None = None
        second = 0.0
        for s, lo, nm in ranked:
            if s < (cutoff if best is None else best[0] - self.margin):
                break
            if not admissible(q, lo, nm, self.ocr_channel):
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

    def _candidates(self, q: Query, type_word: str | None, ocr: bool) -> dict[str, Name]:
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
                or (not model_word and type_word is not None and nm.fits(type_word))
            }
        # Fuzzy lookup only where the input's letters are unreliable (OCR debris): in
        # stripped or typed text the letters are right, and a name one letter away is
        # another name (`Nguyễn Văn A` is not `Nguyễn Văn An`). Names one syllable from
        # the input or from the model's reading (`Cdng Lgi`, model `Cộng Lợi`: Củng Lợi)
        # are candidates, and the user's names of the span's length. Where the model made
        # clean text of the debris, a name farther from the input than the model's
        # letters must be what the OCR channel reads the input from (`admissible`: `Tdn` is
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
            elif marked and not has_syllable_shape(syl):
                return True
        return False

    def is_ocr_text(self, lines: Sequence[str]) -> bool:
        """Does the text carry OCR debris (`T6`, `1a`, `Quéc`, `dé)ng`) in at least 2 %
        of its words? Decides whether unknown unmarked words are debris or foreign."""
        return self.is_ocr_tokens(tokenize(line) for line in lines)

    def is_ocr_tokens(self, token_lines: Iterable[list[Token]]) -> bool:
        """`is_ocr_text` on lines already tokenised (`vnocr.text.tokenize`)."""
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


# -- helpers -----------------------------------------------------------------------------
def build_shipped(user_names: Iterable[Name] = (),
                  ocr_channel: OcrChannel | None = None) -> Gazetteer:
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
