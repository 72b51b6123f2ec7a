"""Syllable vocabulary and the mapping of raw tokens to language-model units.

The language model counts lowercased, NFC, old-tone-style syllables. Numbers and
anything that is not a plain word become class units, so `3.455` and `2025` share
statistics and never need their own entries.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from vnocr.text import normalize_tone, strip_marks

PAD, UNK, NUM, BOS = "<pad>", "<unk>", "<num>", "<s>"
SPECIALS = (PAD, UNK, NUM, BOS)

_SENT_END_CHARS = frozenset(".!?:;…")


def is_word(core: str) -> bool:
    """A plain word: letters only (Vietnamese or Latin), any case."""
    return core.isalpha()


def lm_unit(core: str) -> str:
    """The unit the language model sees for a token core."""
    if not core:
        return UNK
    if is_word(core):
        return normalize_tone(core.lower(), "old")
    if any(c.isdigit() for c in core) and all(c.isdigit() or c in ".,/-%" for c in core):
        return NUM
    return UNK


@lru_cache(maxsize=1 << 16)  # every token, several times; words repeat
def key_of(syllable: str) -> str:
    """De-accented lowercase key: all candidates of a stripped token share it."""
    return unicodedata.normalize("NFC", strip_marks(syllable).lower())


def ends_sentence(trail: str) -> bool:
    return not _SENT_END_CHARS.isdisjoint(trail)


def mid_sentence(prev_trail: str | None, lead: str) -> bool:
    """A token whose capital, if any, is not the sentence's: a word came before it in the
    sentence, not a list marker (`a)`) and nothing opens before it (quote, bracket, dash).
    The corpus counts (scripts/build_ngrams.py) and the decoder use this same test."""
    return prev_trail is not None and not ends_sentence(prev_trail) and ")" not in prev_trail \
        and not lead


_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_NUCLEUS = (
    r"(?:uyê|uya|uyu|ươu|ươi|ươ|iêu|yêu|uôi|oai|oay|oao|oeo|uây|uâ|"
    r"iê|yê|uô|ưu|ưi|ưa|ưo|ia|ua|oa|oă|oe|uê|uy|ai|ao|au|ay|âu|ây|eo|êu|iu|oi|ôi|ơi|ui|"
    r"[aăâeêioôơuưy])"
)
_CODA = r"(?:ch|ng|nh|[cmnpt])?"
_SYLLABLE_RE = re.compile(f"^{_ONSET}{_NUCLEUS}{_CODA}$")


def is_vietnamese_syllable(word: str) -> bool:
    """Shape check of one lowercase syllable: onset + nucleus + coda, stop codas only with
    sắc or nặng. Rejects foreign words and OCR debris from the candidate vocabulary."""
    from vnocr.text import strip_tone, tone_of

    w = word.lower()
    base = strip_tone(w)
    if not _SYLLABLE_RE.match(base):
        return False
    return not (base.endswith(("p", "t", "c", "ch")) and tone_of(w) not in (0, 2, 5))
