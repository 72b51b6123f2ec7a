"""Next-best readings of a word on the review page (its keys 1–3).

A model change carries the restorer's own runners-up for its slot (`alternatives`:
the next-best candidates and their local posteriors on the chosen path, see
`restore.decoding`), and a dictionary change the model's reading it replaced
(`restored`). A doubtful kept word the restorer was not sure of carries its runners-up
too (`KeptWord.alternatives`). A word with fewer than three of those is offered the
syllables spelt with the same letters, most frequent first — the usual
confusion is a mark, not a letter; their scores are shares of corpus frequency among
those syllables (the model's unigram counts), not a posterior. Each alternative says
which it is, and the page shows it. A dictionary change has no next-best name to offer:
the gazetteer returns a name only when no other admissible one came within its margin.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from vnocr.result import Change, KeptWord
from vnocr.text import apply_case, case_pattern, is_vietnamese_syllable, key_of

MAX_ALTERNATIVES = 3


@lru_cache(maxsize=4)
def _same_letters(model_dir: Path) -> dict[str, list[tuple[str, float]]]:
    """De-accented key -> (syllable, share of the key's corpus count), most frequent
    first. Empty when the folder has no LM vocabulary (an older or foreign model)."""
    vocab = model_dir / "lm_vocab.txt"
    weights = model_dir / "model.safetensors"
    if not vocab.is_file() or not weights.is_file():
        return {}
    from safetensors import safe_open

    with safe_open(str(weights), "np") as f:
        if "unigram_logc" not in f.keys():  # noqa: SIM118 (safe_open is no mapping)
            return {}
        logc = f.get_tensor("unigram_logc").astype(float)
    words = vocab.read_text(encoding="utf-8").split("\n")
    by_key: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for word, lc in zip(words, logc):
        if word.islower() and " " not in word and is_vietnamese_syllable(word):
            by_key[key_of(word)].append((word, math.exp(lc)))
    out = {}
    for key, pairs in by_key.items():
        total = sum(c for _, c in pairs)
        out[key] = sorted(((w, c / total) for w, c in pairs), key=lambda p: -p[1])
    return out


def _default_model_dir() -> Path:
    from vnocr.options import default_model_dir

    return default_model_dir()


def same_letter_words(
    word: str, *, exclude: tuple[str, ...] = (), model_dir: Path | None = None
) -> list[tuple[str, float]]:
    """Syllables spelt with `word`'s letters, in `word`'s case, most frequent first."""
    if not word or " " in word or not word.isalpha():
        return []
    table = _same_letters(model_dir or _default_model_dir())
    pattern = case_pattern(word)
    shown = {w.lower() for w in exclude}
    out = []
    for syllable, share in table.get(key_of(word), []):
        if syllable in shown or syllable == word.lower():
            continue
        out.append((apply_case(syllable, pattern) if pattern != "mixed" else syllable,
                    round(share, 3)))
    return out


# What an alternative's score is: the restorer's posterior, none (the model's reading
# a dictionary change replaced), or a share of corpus frequency.
MODEL, RESTORED, FREQUENCY = "model", "restored", "frequency"


def alternatives(
    change: Change | None, word: str, *, kept: KeptWord | None = None,
    model_dir: Path | None = None,
) -> list[tuple[str, float | None, str]]:
    """Up to three other readings of `word` (a change's `after`, or a kept word, with
    its `kept` record where the restorer made one): (text, score, kind), best first,
    kind being MODEL, RESTORED or FREQUENCY (see above). Never the word itself nor
    what the input had (rejecting gives that)."""
    exclude = (word,) + ((change.before,) if change is not None else ())
    out: list[tuple[str, float | None, str]] = []
    extra = change.extra if change is not None else {}
    restored = extra.get("restored")
    if isinstance(restored, str) and restored and restored not in exclude:
        out.append((restored, None, RESTORED))
        exclude += (restored,)
    runners_up = kept.alternatives if kept is not None else extra.get("alternatives", ())
    for text, score in runners_up:
        if text not in exclude:
            out.append((text, score, MODEL))
            exclude += (text,)
    if len(out) < MAX_ALTERNATIVES:
        out += [(text, share, FREQUENCY) for text, share
                in same_letter_words(word, exclude=exclude, model_dir=model_dir)]
    return out[:MAX_ALTERNATIVES]


__all__ = ["FREQUENCY", "MAX_ALTERNATIVES", "MODEL", "RESTORED", "alternatives",
           "same_letter_words"]
