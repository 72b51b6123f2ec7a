"""The language model's units and the sentence rule its counts share with the decoder.

The language model counts lowercased, NFC, old-tone-style syllables. Numbers and
anything that is not a plain word become class units, so `3.455` and `2025` share
statistics and never need their own entries. The syllable grammar and the spelling
keys are orthography, in `vnocr.text`.
"""

from __future__ import annotations

from vnocr.text import SENTENCE_END, normalize_tone

PAD, UNK, NUM, BOS = "<pad>", "<unk>", "<num>", "<s>"
SPECIALS = (PAD, UNK, NUM, BOS)
# right after a word, the end of its clause (scripts/build_clause_ends.py counts them)
CLAUSE_ENDS = frozenset(",.;:!?")


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


def ends_sentence(trail: str) -> bool:
    """Trailing punctuation that closes a sentence: the next word may be capitalised.
    Any sentence mark in the trail counts (`.),`, `:-`), not only its last one as in
    `vnocr.text.closes_sentence` (the dictionary pass's test): the language model's
    counts were built with this one (scripts/build_ngrams.py), so it stays as it is."""
    return not SENTENCE_END.isdisjoint(trail)


def mid_sentence(prev_trail: str | None, lead: str) -> bool:
    """A token whose capital, if any, is not the sentence's: a word came before it in the
    sentence, not a list marker (`a)`) and nothing opens before it (quote, bracket, dash).
    The corpus counts (scripts/build_ngrams.py) and the decoder use this same test."""
    return prev_trail is not None and not ends_sentence(prev_trail) and ")" not in prev_trail \
        and not lead

