"""The shortcuts that spare converting a run in every encoding decide as the conversion
would: a reading known to be the run itself is the run, a TCVN3 reading refused before
its capitals are recovered is refused after, capital recovery's fast path is the word
by word one, and VIQR's narrower pattern converts as the one that matched bare vowels.
Checked on mixed text: English-model OCR lines, legacy headings in capitals, title case
and small letters, VNI, and eng-OCR lines with legacy words spliced in."""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from pathlib import Path

import pytest

from vnocr.data import devsets
from vnocr.encodings import convert, detect, encode_run, viqr
from vnocr.encodings.convert import BYTE_ENCODINGS

DEV = Path(__file__).resolve().parents[2] / "samples" / "dev"


def _mixed_runs(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    eng = [row.noisy for row in devsets.load_devset("eng", directory=DEV)[:600]]
    truths = [row.truth for row in devsets.load_devset("strip", directory=DEV)[:300]]
    words = [w for t in truths for w in t.split() if _encodable(w)]
    out = list(eng[:200])
    for _ in range(n):
        kind = rng.random()
        encoding = rng.choice(BYTE_ENCODINGS)
        if kind < 0.4:  # a legacy line: heading in capitals, title case or small letters
            text = " ".join(rng.choices(words, k=rng.randint(1, 10)))
            text = rng.choice((text.upper(), text.title(), text, text.capitalize()))
            text = rng.choice(("", "1. ", "(", "Điều 3. ")) + text + rng.choice(("", ".", ":", " -"))
            out.append(encode_run(text, encoding))
        elif kind < 0.7:  # an eng-OCR line with legacy words spliced in
            line = rng.choice(eng).split()
            for i in range(len(line)):
                if rng.random() < 0.25:
                    word = rng.choice(words)
                    line[i] = encode_run(word.upper() if rng.random() < 0.4 else word, encoding)
            out.append(" ".join(line))
        else:  # a legacy heading in capitals before an eng-OCR line
            head = " ".join(rng.choices(words, k=rng.randint(1, 4))).upper()
            out.append(encode_run(head, encoding) + rng.choice((" ", ". ", ": ")) + rng.choice(eng))
    runs = [line[a:b] for line in out for a, b in detect.surface_runs(line)]
    return [r for r in runs if convert.all_surface(r)]


def _encodable(word: str) -> bool:
    try:
        for encoding in BYTE_ENCODINGS:
            encode_run(word.upper(), encoding)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def runs() -> list[str]:
    return _mixed_runs(5, 2500)


def test_a_run_read_as_shown_converts_to_itself(runs):
    singles = [c for c in map(chr, range(256)) if convert.all_surface(c)]
    pairs = [a + b for a in singles for b in "aeouyAEOUYôÔöÖáàâãäåéèêëïõøùúûüÁÀÂÃÄÅÉÈÊËÏÕØÙÚÛÜ"]
    for run in [*singles, *pairs, *runs]:
        for encoding in BYTE_ENCODINGS:
            for opens in (False, True):
                if convert.reads_as_shown(run, encoding):
                    assert convert.convert_run(run, encoding, sentence_start=opens) == run, (run, encoding)


def test_most_eng_ocr_readings_are_known_without_converting():
    eng = [row.noisy for row in devsets.load_devset("eng", directory=DEV)[:500]]
    shown = sum(convert.reads_as_shown(line, e) for line in eng for e in ("vni", "cp1258"))
    assert shown > 0.7 * 2 * len(eng)


def test_a_tcvn3_reading_refused_early_is_refused_in_full(runs):
    refused = 0
    for run in runs:
        if not detect._tcvn3_refused(run, convert.surface_bytes(run)):
            continue
        refused += 1
        as_read = detect.score(run)
        for opens in (False, True):
            reading = detect.score(convert.convert_run(run, "tcvn3", sentence_start=opens))
            for whole_line in (False, True):
                for elsewhere in (False, True):
                    assert not detect._accepts(run, "tcvn3", reading, as_read,
                                               whole_line=whole_line, found_elsewhere=elsewhere), run
    assert refused > len(runs) / 4  # the shortcut is taken, not only sound


def test_a_word_against_in_small_letters_is_against_in_every_case(runs):
    rng = random.Random(2)
    letters = "aeiouynmlrvtàáèéìíòóùúýãõâêôăđơưộệốĩœšž-.'1"
    parts = [p for run in runs for p in detect._PART_RE.findall(
        convert.decode_legacy(convert.surface_bytes(run), "tcvn3"))]
    parts += ["èmile", "àlvaro", "éloa", "ìsabel"]  # capitalised at a sentence start: names
    parts += ["".join(rng.choices(letters, k=rng.randint(2, 7))) for _ in range(5000)]
    for part in parts:
        if detect._against_in_any_case(part):
            core = part.strip(detect._EDGE)
            for cased in (core, core.upper(), core[0].upper() + core[1:], core.title()):
                assert detect._word_vote(cased) == -1, (part, cased)


def test_capital_recovery_is_the_word_by_word_one(runs):
    texts = [convert.decode_legacy(convert.surface_bytes(run), "tcvn3") for run in runs]
    rng = random.Random(9)
    letters = "aeiouAEIOUnNgGhH" + "".join(sorted(convert._TCVN3_SMALL_ONLY))[:40] + "ĐđƠơÂâ"
    texts += [" ".join("".join(rng.choices(letters + ".:", k=rng.randint(1, 5)))
                       for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    changed = 0
    for text in texts:
        for opens in (False, True):
            fast = convert.recover_tcvn3_capitals(text, sentence_start=opens)
            assert fast == convert._recover_beside_headings(text, sentence_start=opens), text
            changed += fast != text
    assert changed > 100


# The VIQR pattern as it was, matching every bare vowel too (each written back as it was).
_VIQR_EVERY_VOWEL = re.compile(
    r"\\(?P<esc>[\\(^+'`?~.dD])"
    r"|(?<![A-Za-z])(?P<dd>dd|DD|Dd)(?=[A-Za-z]|\)\s)|(?<=[A-Z])(?P<DD>DD)"
    r"|(?P<base>[aAeEoO]\^|[aA]\(|[oOuU]\+|[aAeEiIoOuUyY])(?P<tone>['`?~.])?"
)


def test_viqr_converts_as_when_it_matched_bare_vowels(runs):
    rng = random.Random(4)
    alphabet = "aeiouyAEIOUYdDnghtc  '`?~.^(+\\"
    texts = runs + ["".join(rng.choices(alphabet, k=rng.randint(1, 30))) for _ in range(5000)]
    texts += [encode_run(t, "viqr") for t in runs[:500]]
    for text in texts:
        for escaped in (False, True):
            full = _VIQR_EVERY_VOWEL.sub(lambda m, e=escaped: viqr._replace(m, escaped=e), text)
            assert viqr.from_viqr(text, escaped=escaped) == full, text


def test_surface_runs_strip_what_the_word_pattern_skips():
    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if re.match(r"\s", c)]
    assert spaces == [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
    for space in spaces:
        for line in (f"{space}cé mét{space}", space, f"a{space}", f"{space}{space}b"):
            words = list(re.finditer(r"\S+", line))
            expected = [(words[0].start(), words[-1].end())] if words else []
            if line.isascii() or convert.all_surface(line):
                assert detect.surface_runs(line) == expected


def _kind(c: str) -> tuple:
    return (c.isalpha(), c.isdigit(), c.isascii(), c > "\xff",
            [m for m in unicodedata.normalize("NFD", c) if unicodedata.combining(m)])


def test_every_character_of_a_tcvn3_reading_changes_only_in_case_when_upper_cased():
    """What capital recovery's shortcut and `detect._tcvn3_refused` take for granted: each
    character a TCVN3 reading can hold (its table's, and what NFC composes of one with a
    combining tone mark the table holds) stays one character under upper(), with the
    same lower(), kind (letter, digit, ASCII, beyond Latin-1) and marks, and changes
    only if small."""
    table = {convert.decode_legacy(bytes([b]), "tcvn3") for b in range(256)}
    marks = {c for c in table if unicodedata.combining(c)}
    assert marks  # the table holds combining tone marks, so composed letters are tried
    letters = table | {unicodedata.normalize("NFC", c + m) for c in table for m in marks}
    for c in letters:
        if len(c) != 1:
            continue  # a base and a mark NFC does not compose: two characters, each in table
        u = c.upper()
        assert len(u) == 1 and u.lower() == c.lower() and (c.islower() or u == c), c
        assert _kind(u) == _kind(c), c
