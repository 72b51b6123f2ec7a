"""The letter case of a decoded word: the input's, unless the OCR got it wrong.

A word keeps the case it was written in (`output_case`), with two exceptions that only
OCR makes, both decided with corpus statistics rather than word lists:

* c, o, s, v and x have capitals of the same shape as their small letters, so OCR
  capitalises them at random. A mid-sentence capital there is lowered when the corpus
  almost never capitalises the word in that place (`căn cứ Vào`, `khu Vực`) and the
  text is plain or the page damaged and the OCR unsure of the word (one it was sure of
  is the print's: a name, `Lê Thọ Vực`, or a run-in heading, `xe Đức Với những`; dev
  sets with confidences: vie_mixed 776 → 767 syllable errors, vie_photo 367 → 368,
  book pages 3 introduced errors fewer) (accented text on a clean page or without OCR
  confidences keeps it: there it is the writer's, a run-in heading `Đường ruột Có hơn`
  or a lost full stop; its clean dev pages have no such flip, and lowering them changed
  9 of the 35 syllables changed in their correct truth), or when the
  word ends a compound with the small word before it (`hy Vọng`, `đơn Vị`; in OCR'd text
  also across a line break, `nhiệm / Vụ`), or when the OCR doubted the word on a damaged
  page and the corpus capitalises it mid-sentence less often than not (`động Vật`, `nhà
  Vệ sinh`, `cơ SỞ`: 5 photocopy dev errors fixed, none broken).
* A marked vowel read as a capital: eng-OCR prints `Bộ` as `BO` and `Mỹ` as `MY` (the
  mark makes the small letter as tall as a capital). A two-letter word in capitals,
  consonant then toned vowel, alone in a line of small letters, is a title-case word.
* A doubled letter whose second half the OCR read as a capital (`E-ClasS`, `crosSover`):
  small again (`doubled_letter_case`; not after c: `McCain`).
* A misread first letter (`Pai` for Đại): the OCR channel knows which case each
  misreading comes from (eng-OCR's `P` is a capital Đ, its `I` a small l); where it
  cannot tell, the corpus's habit for the word decides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vnocr.channel import CharChannel
from vnocr.restore.network import COPY
from vnocr.restore.ngram import TrigramLM
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.text import (
    SIZE_ONLY_LETTERS,
    Token,
    apply_case,
    case_pattern,
    is_vietnamese_syllable,
    key_of,
    strip_marks,
    tone_of,
)

CASE_BLIND_LETTERS = SIZE_ONLY_LETTERS - {"w", "z"}  # c o s v x: those Vietnamese writes
LOWERCASE_SHARE = 0.01  # capitalised mid-sentence at most this often in the corpus
COMPOUND_SHARE = 0.05  # P(word | the small word before it): the two make a compound
COMPOUND_TITLE = 0.1  # ... and the word is capitalised mid-sentence less often than this
DOUBTED_TITLE = 0.5  # a word the OCR doubted: lowered if capitalised mid-sentence less often
RAISED_TITLE = 0.97  # eng-OCR's small c o s v x: a capital if the corpus writes it so this often
CASE_EVIDENCE = 2.0  # nats: the channel prefers a misread initial's capital (or not) this much
MARKED_INITIAL_SHARE = 0.1  # `Ủy` (58 %), `Âu` (97 %) stay capitals; `ứng` (1.5 %) not
SMALL_LINE = 0.3  # share of words opening with a small letter: the line is no heading


@dataclass
class Position:
    """Where a word stands, as far as its case goes."""

    mid: bool  # mid-sentence, not first on its line (see vocab.mid_sentence)
    runs_on: bool  # first on its line, the line before ended on a small letter
    prev_word: str | None  # the word decided before it in the sentence, as output ...
    prev_choice: int  # ... and its output id (COPY: kept as written; -1: none)
    lone_caps: bool = False  # in capitals, alone in a line of small letters
    doubted: bool = False  # the OCR doubted the word, on a damaged page
    damaged: bool = False  # the page is damaged (`regime.damaged_page`)
    sure: bool = False  # the OCR was sure of the word (`regime.CONF_SURE`)
    opens: bool = False  # first under a heading in capitals (see streams.Slot)


class CaseChooser:
    """Decides the letter case each decoded word is written in (see the module's rules).

    Built once per `Restorer` from its tokenizer, language model, the corpus's share of
    capitalised uses of each syllable and the OCR channels; `SurfaceWriter` asks it about
    each decoded syllable whose case is in question, so a capital the OCR made up is
    lowered and one it lost comes back.
    """

    def __init__(
        self,
        tok: RestoreTokenizer,
        lm: TrigramLM,
        title_share: np.ndarray,
        channels: dict[str, CharChannel],
    ) -> None:
        self.tok = tok
        self.lm = lm
        self.title_share = title_share  # per output id: share capitalised mid-sentence
        self.channels = channels

    def case(self, core: str, word: str, out_id: int, where: Position, case: str,
             regime: str, ocr_text: bool = False) -> str:
        """The case to write `word` (decoded from `core`, written in `case`) in.
        `ocr_text`: plain text that shows eng-OCR debris (see `regime.looks_like_ocr`), whose
        capitals are the OCR's, not a typist's."""
        if case == "upper" and where.lone_caps and _capital_by_its_mark(word):
            case = "title"  # `BO luat` → Bộ luật, `chau MY` → châu Mỹ: then as below
        if case not in ("lower", "title") or small_stays(
                core, word, case, mid=where.mid, ocr_text=ocr_text, opens=where.opens):
            return case
        same_initial = key_of(word[0]) == key_of(core[0])
        blind = _case_blind_initial(core, word)
        if case == "lower":
            # eng-OCR's small c o s v x may be a capital: `viet Nam`, `sai Gòn` are Việt,
            # Sài, which the corpus capitalises mid-sentence ≥ RAISED_TITLE of the time
            # (not sơn, paint as often as a name: 92 %); so is the first word under a
            # heading, which opens a sentence (`KẾ HOẠCH` / `ve việc`: Về)
            raised = self.title_share[out_id] >= RAISED_TITLE or ocr_text and where.opens
            return "title" if blind and raised else case
        if where.runs_on and (regime == "accented" or ocr_text):
            # a capital c o s v x opening an OCR'd line whose word continues a compound
            # begun at the end of the last (`nhiệm / Vụ`, `hành / Vi`). (Typed and stripped
            # lines keep theirs; a comma before is no such evidence: on the photocopy dev
            # pages lowering after one fixed two capitals and broke two.)
            return "lower" if blind and self._compound(where, out_id) else case
        if not where.mid:
            return case
        share = float(self.title_share[out_id])
        if not same_initial:
            lower = self._misread_initial_is_small(core, word, share, regime)
        elif ocr_text and _tall_mark_lost(core, word):
            # eng-OCR prints a small marked vowel as the capital of its bare letter
            # (`lối Ung xử` for ứng, `phương An` for án): the corpus's habit decides,
            # except inside a name (`Hải Thượng Lãn Ông`)
            lower = share < MARKED_INITIAL_SHARE and (where.prev_word or "")[:1].islower()
        else:
            lower = blind and (share < LOWERCASE_SHARE
                               and (where.damaged and not where.sure or regime == "plain")
                               or self._compound(where, out_id)
                               or where.doubted and share < DOUBTED_TITLE
                               and not ocr_text  # eng-OCR doubts marks, not capitals
                               and (where.prev_word or "")[:1].islower())
        return "lower" if lower else case

    def _compound(self, where: Position, out_id: int) -> bool:
        """The word ends a compound with the small word decided before it: the corpus
        follows that word with this one often (P ≥ COMPOUND_SHARE) and seldom
        capitalises it (`hy vọng`, `đơn vị`, `bảo vệ`; not `tỉnh Sơn`, `ông Vũ`)."""
        prev_word = where.prev_word
        if (not prev_word or where.prev_choice < 0 or not prev_word[:1].islower()
                or self.title_share[out_id] >= COMPOUND_TITLE):
            return False
        prev_lm = (self.tok.lm_id(prev_word) if where.prev_choice == COPY
                   else int(self.tok.out_to_lm[where.prev_choice]))
        here = int(self.tok.out_to_lm[out_id])
        log_pair = self.lm.pair_logc(prev_lm, here)
        return bool(log_pair - self.lm.uni[prev_lm] >= np.log(COMPOUND_SHARE))

    def _misread_initial_is_small(self, core: str, word: str, share: float, regime: str) -> bool:
        """The first letter was misread: did the OCR see a small letter? The channel
        knows which case each misreading comes from (eng-OCR's `I` is a small l, its `P`
        a capital Đ: `Nghị quyết Pai hội` is Đại hội); where it cannot tell, the corpus's
        habit for the word decides."""
        channel = self.channels.get(regime)
        if channel is not None:
            title = channel.logp(core, apply_case(word, "title"))
            small = channel.logp(core, word)
            if abs(title - small) >= CASE_EVIDENCE:
                return small > title
        return share < 0.5


def small_stays(
    core: str, word: str, case: str, *, mid: bool, ocr_text: bool, opens: bool = False,
) -> bool:
    """A word written in small letters (`case`) stays so, wherever it stands, except
    mid-sentence or first under a heading in eng-OCR text, where a case-blind first
    letter may be a capital (`viet Nam`, `ve việc`, see `CaseChooser.case`): most words
    of every line, for which no `Position` is built. `word`: what `core` was decoded as."""
    return case == "lower" and not (
        (mid or opens) and ocr_text and _case_blind_initial(core, word))


def _case_blind_initial(core: str, word: str) -> bool:
    """The word opens with the input's first letter, marks aside, and it is one of
    c o s v x, whose capital OCR tells from the small letter by size only."""
    initial = key_of(word[0])
    return initial in CASE_BLIND_LETTERS and initial == key_of(core[0])


def doubled_letter_case(core: str) -> str:
    """`ClasS`, `crosSover`, `EzZor`: a capital of a letter whose two cases differ only
    in size, right after the same letter in small, is the OCR's case flip (a doubled
    letter is one kind of letter twice); camel-case words (`PlayStation`, `SARS-CoV`)
    seldom double a letter across the case change, and where they do it is a c
    (`McCain`), which is left alone."""
    if len(core) < 3 or core.islower() or core.isupper():
        return core
    out = list(core)
    for k in range(1, len(core)):
        c = core[k]
        if c.isupper() and c.lower() in _SIZE_ONLY_CASE and core[k - 1] == c.lower():
            out[k] = c.lower()
    return "".join(out)


_SIZE_ONLY_CASE = SIZE_ONLY_LETTERS - {"c"}  # ... in foreign words too (c: `McCain`)


def _capital_by_its_mark(word: str) -> bool:
    """Two letters, a consonant and a toned vowel (bộ, mỹ, kỹ, để; not đh, tp)."""
    return (len(word) == 2 and word.isalpha() and strip_marks(word[0]) not in "aeiouy"
            and tone_of(word[1]) > 0)


def lone_capitals(tokens: list[Token]) -> list[bool]:
    """Per token: written in capitals (two letters or more) in a line of small letters,
    and neither neighbour is (`HÀ PHƯỢNG` in a byline stays)."""
    caps = [len(t.core) >= 2 and t.core.isalpha() and t.core.isupper() for t in tokens]
    if not any(caps):
        return [False] * len(tokens)  # most lines: the letters of each word are not read
    words = [t.core for t in tokens if any(c.isalpha() for c in t.core)]
    small = sum(w[:1].islower() for w in words)
    if not words or small < SMALL_LINE * len(words):
        return [False] * len(tokens)
    return [
        caps[k] and not (k > 0 and caps[k - 1]) and not (k + 1 < len(tokens) and caps[k + 1])
        for k in range(len(tokens))
    ]


def in_name_runs(tokens: list[Token]) -> list[bool]:
    """Per token: a word in title case beside another one, nothing but a space between
    them (`cửa khẩu Nà Cài`, `lán Nà Lừa`): a run of a name's syllables, each written as
    the writer meant it."""
    title = [t.core.isalpha() and case_pattern(t.core) == "title" and len(t.core) > 1
             for t in tokens]
    if sum(title) < 2:
        return [False] * len(tokens)  # most lines
    joined = [not tokens[k].trail and not tokens[k + 1].lead for k in range(len(tokens) - 1)]
    return [title[k] and (k > 0 and title[k - 1] and joined[k - 1]
                          or k + 1 < len(tokens) and title[k + 1] and joined[k])
            for k in range(len(tokens))]


def title_among_capitals(tokens: list[Token]) -> list[bool]:
    """Per token: the one word of the line (two letters or more) not in capitals, in
    title case, among two words in capitals or more that are Vietnamese syllables
    (`Uy BAN NHAN DAN`; not `Lưu: VT, KT`, `Theo AFP`): eng-OCR reads a capital whose
    mark it lost (`ỦY`) as a small letter."""
    words = [k for k, t in enumerate(tokens) if sum(c.isalpha() for c in t.core) >= 2]
    others = [k for k in words if not tokens[k].core.isupper()]
    found = [False] * len(tokens)
    if len(others) != 1 or len(words) < 3:
        return found
    title = others[0]
    capitals = [tokens[k].core.replace("'", "") for k in words if k != title]  # THU'C: THỰC
    if case_pattern(tokens[title].core) == "title" and all(map(is_vietnamese_syllable, capitals)):
        found[title] = True
    return found


def _tall_mark_lost(core: str, word: str) -> bool:
    """The input opens with a bare vowel where the word opens with a marked one."""
    return (core[:1].lower() in "aeiouy" and core[1:2].islower()
            and strip_marks(word[0]) != word[0])
