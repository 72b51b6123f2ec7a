"""Specks: stray marks that a scan's dust, a staple hole or a margin leaves at a line's ends.

Tesseract reads such a blot as a one-character "word" standing alone at the start or
the end of a line: `năm ngoái. l`, `_ án phí`, `Điều 48. ˆ`, `Hiệp Hoàng ñ`. They are
no part of the text, and the decoder cannot repair them (there is no word to restore),
so they are found here and dropped. On the vie-OCR photocopy dev pages they are about a
tenth of the syllable errors the OCR leaves.

Only a line's edges are searched, and only tokens that are one bare letter or a blot of
`_ ˆ \\` ~` are suspects (and, opening a line, a rule of underscores and dashes: a page
edge's shadow, `——_ Để tăng`); a letter stays when it can be text:

* a list label or an initial (`điểm a, b` where the corpus has seen `a b`; `vitamin A`,
  `bệnh nhi Y`: capitals at a line's end stay unless a sentence closed before them). A
  capital vowel with marks is no initial: at a line's end it stays only where the corpus
  has seen the pair (`châu Á`; `đã trao È`, `cho biết: Â` go: photocopy dev pages without
  confidences 414 → 412 syllable errors, none broken, the others unchanged);
* a word the language model knows next to its neighbour (`Ở Columbia` stays because the
  neighbour is foreign, `b và c` because `b và` is common, `Ý kiến` because `ý` is); a
  letter opening a line needs the pair seen about 20 times (`OPENING_PAIR`): `l những`,
  seen 3 times, goes (all photocopy dev lines +2, clean unchanged, mixed 2.20 → 2.19 %);
* a line made of single letters (`i ì ỉ ĩ í ị`) is left alone.

In plain text (stripped or eng-OCR) the neighbours carry no marks for the language
model, so only blots, non-Vietnamese letters and a letter after a sentence's end go.

After a line's last full stop, eng-OCR also reads a margin as short scraps
(`đồng). 7 - sẻ ; ;`, `Mercedes... - : — eS`): a run of tokens of at most two letters
or digits that open no sentence goes whole when a word closed the sentence before it
(not an initial or an abbreviation: `chị S. đi`, `TP. đó` stay).

A photocopy's margin leaves dust after a line's text in any OCR: marks beside a blot
and scraps trailing dots (`giữa __ -`, `CHUNG : 1...`, `khác 1... : : mm...`) go whole
when there are two tokens or more and one is a blot or a scrap that is no word
(`phần 2...`, `nói: ừ...` stay); after a full stop, a scrap with its own full stop
(`ga.`, `mẽ.`) is read as dust too where such dust is around it (`Thắng. - | . 7...
ga.`). vie-OCR photocopy dev pages with margins: 701 → 632 syllable errors, no line
worse, no correct text changed. A margin's marks glued before a line's first word
(`_b) Chi phí`, `——_-bộ đôi`) go with that word (`dust_lead`, which assembly.py
applies), and a column rule before a blot opens no line (`| _ Denis`).

A line any OCR read (eng-OCR text, or one with word confidences) may end in a lone
mark that no text ends a line with (`sạch, '`, `nhập. £`, `dựng ¬`, `qua |`,
STRAY_END; in eng-OCR text an em dash too, `điều kiện —`), or open with one
(`| Hội nghị`, `„ Theo`, STRAY_START): it goes; a typed line keeps it (a table written
with bars). So do lone dashes opening such a line before a word in small letters
(`— tiết của học phần`): a list item or a line of dialogue opens with a capital; and a
lone mark ending it that the OCR read with little confidence (`nhân dân :`).

In eng-OCR text a line may also end in a margin read after a lone dash, colon or bar:
dashes and scraps that are no word go (`chống - ô`, `việc - 2`), a wrapped line's dash
and words stay (`kinh tế - xa / hội`).

With the OCR's word confidences, on a page it doubts enough to count as damaged (see
`vnocr.restore.regime.damaged_page`), a lone letter or mark at a line's edge that it
gave under 0.5 goes too (`i các câu chuyện`, `người Việt E`, `thu hồi, .`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from vnocr.restore.ngram import TrigramLM
from vnocr.restore.regime import CONF_SURE, DOUBTED_SPECK
from vnocr.restore.vocab import NUM, UNK, lm_unit
from vnocr.text import SENTENCE_END, Token, strip_marks

BLOT = frozenset("_ˆ`~")  # never a token of their own in text
BLOT_COMPANIONS = frozenset("_ˆ`~=-.:;,")  # what a blot token may also hold
MAX_UNDERSCORES = 2  # `____` is a form's fill-in line
# ... except opening a line before its text: there underscores, with dashes, bars or not,
# are a page edge's shadow or a rule read off a photocopy (`——_ Để tăng`, `-_____ Đặc
# biệt`, `___ không có`, `|_ Hội nghị`); no dev line's truth opens with one (vie-OCR
# mixed pages 149, eng-OCR pages 81 such first tokens), nor does any corpus line hold a
# run of them
MARGIN_MARKS = BLOT_COMPANIONS | frozenset("—–|")
GLUED_DUST = MARGIN_MARKS | frozenset("°*/")  # what a dust lead may hold (`/*_--với`)
FULL_STOP = frozenset(".!?…")
SCRAP_MARKS = BLOT_COMPANIONS | frozenset("—|")
SCRAP_MARKS_QUOTED = SCRAP_MARKS | frozenset("\"'“”‘’„")  # dust beside a blot (`"`.`)
MAX_SCRAP = 2  # letters or digits in a scrap after a full stop (`chị S. bức xúc` has 3)
DASHES = frozenset("-—–:;|~")  # a margin's marks as eng-OCR reads them, alone
CLOSERS = frozenset(")]}”’\"'»")
STRAY_PUNCTUATION = frozenset(".,:;")  # alone at a line's start: a blot (`- ` is a bullet)
# alone at the end of an OCR'd line: a margin's mark, never text (`cà phê sạch, '`,
# `tội đột nhập. £`, `xây dựng ¬`, `đi qua |`); a typed line keeps them (a table's `|`)
STRAY_END = frozenset("|¬©£„¡'‘‹›\\")
# ... and opening one (`| Hội nghị`); not `© 2024 Báo`, nor an apostrophe, which may be
# eng-OCR's print of a footnote's number (`' Các tuyến đường` under the appendix's page)
STRAY_START = STRAY_END - frozenset("©'‘")
# eng-OCR also ends lines in an em dash read off the margin (`từng điều kiện —`); vie-OCR's
# is a printed en dash more often than not (`như Bùi Tiến Dũng –`), and so stays
ENG_STRAY_END = STRAY_END | {"—"}
# a list item's mark opening a line: kept however little the OCR trusted it
LIST_MARKS = frozenset(["-", "–", "*", "+", "•", "&"])
# capitals that open a typed line as a letter's name or an initial before a small word
# (`K là tên của một loại vitamin`, `X quang`); not I, which a margin's rule reads as,
# nor a marked vowel (`Ũ a)`). Before a capital word such a letter is dust as often
# (`R Đến nay`, `T Trong đó` on the photocopy dev pages).
INITIALS = frozenset("ABCDEFGHJKLMNOPQRSTUVWXYZĐ")
# Vietnamese words of one letter: particles and interjections (a, à, á, ả, ạ, ơ, ờ, ớ,
# ừ, ư, ô, ồ, ố, ê, ế, ề, e), ở, ý and y, and the words ổ (`ổ mắt`, `ổ cứng`), u (`u ám`,
# `u nhọt`) and ủ (`ủ rũ`), log counts 5.9–7.4 in the corpus. Other lone vowels (`ệ`,
# `ì`, `ị`, `ọ`) are no words; a vie-OCR reads them off dust at a line's edge (`Ỷ`, whose
# word only opens `ỷ lại`), and the rarest of the words too (`Ề`, `Ớ`): a word needs a
# log count of WORD_LETTER in the corpus (ừ 4.2, ề 1.6).
ONE_LETTER_WORDS = frozenset("aàáảạơờớừưôồốêếềeởýyổuủ")
WORD_LETTER = 4.0
_LETTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzđ"
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
)
# the round letters eng-OCR reads off a margin's dots and smudges (`oe`, `oo`, `eS`); not
# c, which starts real words its noise shortens (`cea` for xưa)
SPECK_LETTERS = frozenset("aeos")
# log count: a key whose most frequent syllable is rarer (~150: `oe` 3.7) is no word in a
# margin; `se` (11.3), `co` (12.8), `ao` (9.3) are
COMMON_KEY = 5.0
COMMON_LETTER = 9.5  # log count: `ở`, `ý` (and `a`, `y`) alone are common words
OPENING_PAIR = 3.0  # log count: a letter opening a line stays where the pair is this common
OPENING_LETTER = 10.5  # ... and `ở` (12.0), `ý` (10.6) open sentences: `năm nay. Ở`


def token_end(token: Token) -> int:
    """The offset just past the token's text in its line."""
    return token.start + len(token.text)


def _marks_only(text: str) -> bool:
    """Blots and punctuation only, and no form's fill-in line."""
    return all(c in BLOT_COMPANIONS for c in text) and text.count("_") <= MAX_UNDERSCORES


def _is_blot(text: str) -> bool:
    return _marks_only(text) and any(c in BLOT for c in text)


def _margin_rule(text: str) -> bool:
    """Underscores, maybe with dashes and other marks, of any length: a speck where it
    opens a line before text (see MARGIN_MARKS), a fill-in line elsewhere."""
    return "_" in text and all(c in MARGIN_MARKS for c in text)


def _is_letter(text: str) -> bool:
    return len(text) == 1 and text.isalpha()


def _debris_shaped(text: str) -> bool:
    """A lone letter or a token of blots and punctuation only."""
    return _is_letter(text) or _marks_only(text)


def _scrap(token: Token) -> bool:
    """Punctuation, or at most two letters or digits that open no sentence (`8`, `of`,
    `eS`, `ae`): what eng-OCR makes of a margin's marks after a line's last sentence."""
    core = token.core
    if not core:  # no quotes or brackets: they belong to the next line's text
        return all(c in SCRAP_MARKS for c in token.text)
    return len(core) <= MAX_SCRAP and not core[0].isupper()


def dust_lead(line: str, token: Token) -> str:
    """The marks before the line's first word when they are a margin's dust glued to it
    (`_b)`, `_Ngược`, `——_-bộ`, `~___-hiệu`): a blot among dashes and other marks before
    a letter, none of its blots closed later in the line (`_Ghi chú_:`, `__init__` are
    markup and a name; `~30 người` is about 30); empty where there is none."""
    lead = token.lead
    blots = BLOT.intersection(lead)
    if not (blots and token.core[:1].isalpha() and all(c in GLUED_DUST for c in lead)):
        return ""
    rest = line[token.core_start:]
    return "" if any(c in rest for c in blots) else lead


def unclosed_quote(line: str, token: Token) -> str:
    """A single opening quote glued before a word that nothing later in the line closes
    (`‘Những`, `'bảo`): in OCR'd text a speck before the word. A quoted term opens and
    closes on its line (`‘quê hương quan họ’`, or with a double quote the OCR read for
    the single one: `'lùi bước"`); of the dev pages' OCR'd truths one leaves a single
    quote open to the next line, while eng-OCR printed 19 specks so. Empty where there
    is none; double quotes, which often open a quotation over several lines, stay."""
    if token.lead not in ("‘", "'") or not token.core[:1].isalpha():
        return ""
    rest = line[token.core_start:]
    return "" if any(c in rest for c in "’'\"”") else token.lead


def _is_dust(text: str) -> bool:
    """A token of marks only, quotes among them only beside a blot (`- .`, `"`.`); a
    quote alone opens or closes the next line's text."""
    marks = SCRAP_MARKS_QUOTED if any(c in BLOT for c in text) else SCRAP_MARKS
    return all(c in marks for c in text)


def _dotted_scrap(token: Token) -> bool:
    """One or two letters or digits trailing two dots or more (`1...`, `7m...`, `a..`,
    `1"...`): a margin's dots read as a scrap and an ellipsis."""
    return (0 < len(token.core) <= MAX_SCRAP and token.core.isalnum() and not token.lead
            and token.trail.replace('"', "").startswith(".."))


def _scraps_after_sentence(tokens: list[Token], end: int) -> int:
    """Where the line's text ends when `tokens[:end]` close with short lowercase
    scraps after a sentence's full stop (`đồng). 7 - sẻ ; ;`), else `end`. A scrap with
    a full stop of its own (`ga.`, `mẽ.`) may end a sentence too: the run goes on to
    the first sentence's end only where a margin's dust is among its tokens
    (`Thắng. - | . 7... ga.`); without any, the scrap's full stop ends it (`12 ha. 45
    ha.` stays)."""
    cuts = []  # where a sentence closes before scraps up to `end`, right to left
    run = end
    while True:
        if run > 0 and _closes_sentence(tokens[run - 1]):
            cuts.append(run)
        if run == 0 or not _scrap(tokens[run - 1]):
            break
        run -= 1
    if not cuts:
        return end
    if any(_is_dust(t.text) or _dotted_scrap(t) for t in tokens[cuts[-1]:end]):
        return cuts[-1]
    return cuts[0]  # `end` itself where the last scrap closes a sentence


def _closes_sentence(token: Token) -> bool:
    """A full stop after a word, not an initial or an abbreviation (`S.`, `TP.`)."""
    core = token.core
    return token.text[-1] in FULL_STOP and len(core) >= 2 and not core.isupper()


def _is_dash(text: str) -> bool:
    """A lone dash, colon, semicolon or bar: `-`, `—`, `:`, `|`."""
    return all(c in DASHES for c in text)


def inner_specks(
    tokens: list[Token], edges: tuple[int, int], confs: Sequence[float] | None
) -> frozenset[int]:
    """Tokens of marks alone between two kept tokens of a line (`edges`: the specks at its
    ends) that the OCR all but ruled out (< DOUBTED_SPECK): dust between words (`cập. :
    " ¬ Người`, `Nam, — . - ait`). The dev pages' real marks between words were read with
    more confidence (`kinh tế - xã hội`), all but one of 300 (a `;` at 0.22); the marks
    that `_unsure_mark` keeps stay too."""
    if not confs:
        return frozenset()
    lead, trail = edges
    return frozenset(k for k in range(lead + 1, len(tokens) - trail - 1)
                     if confs[k] < DOUBTED_SPECK and _unsure_mark(tokens[k], confs[k]))


def _doubted_number(token: Token, conf: float) -> bool:
    """A number of one or two digits alone after a line's last word, which the OCR all
    but ruled out (< DOUBTED_SPECK): a margin's mark read as `7` or `2` (`giám sát quá
    trình 7`). The dev pages' real numbers there (`tại khoản 1`, `có tới 6`) were read
    at 0.91-0.97."""
    return (conf < DOUBTED_SPECK and token.core.isdigit() and len(token.core) <= 2
            and not token.lead and not token.trail)


def _unsure_mark(token: Token, conf: float) -> bool:
    """A token of marks alone (`:`, `-`, `"`, `»`; not eng-OCR's `&` for ở, which
    `streams.symbol_word` made a word) at a line's edge, which the OCR read with a
    confidence under CONF_SURE: a margin's dust. Text ends a line so after a
    space too (`như sau :`, `kinh tế -`), read with confidence (dev pages 0.89-0.97);
    dust rarely is. A question's or an exclamation's mark, a full stop, a document's
    closing `./.` and brackets, which held what the OCR lost (`Hà Nội (),` for `(1),`),
    stay whatever the confidence (`đâu ?` at 0.75). (`SpeckFinder.edges` also keeps the
    list marks opening a line, LIST_MARKS: `- Nội dung` was read at 0.34.)"""
    text = token.text
    return (conf < CONF_SURE and not token.core
            and not any(c in "?!()[]" for c in text) and text not in (".", "./."))


def _dashes_before_small_word(tokens: list[Token]) -> int:
    """How many lone dashes (`-`, `—`, `–`) open the line before a word in small letters:
    a margin's specks where an OCR read the line (`— tiết của học phần`, `- bàn mà`). A
    list item or a line of dialogue opens with a capital: of the corpus's 690 paragraphs
    opening with a dash, none goes on in small letters."""
    k = 0
    while k < len(tokens) - 1 and tokens[k].text and all(c in "-—–" for c in tokens[k].text):
        k += 1
    after = tokens[k] if k < len(tokens) else None
    if k and after is not None and not after.lead and after.core[:1].islower():
        return k
    return 0


def _marked_vowel(letter: str) -> bool:
    """È Â Ụ: a vowel with marks, which no name's initial is."""
    return strip_marks(letter) != letter and letter.lower() != "đ"


def _is_foreign_letter(letter: str) -> bool:
    """ñ ï š Ÿ: no Vietnamese or plain Latin letter."""
    return letter.lower() not in _LETTERS


class SpeckFinder:
    """Decides which tokens at a line's ends are specks, with the restorer's LM."""

    def __init__(
        self, lm_index: dict[str, int], lm: TrigramLM,
        key_log_count: Callable[[str], float] | None = None,
    ) -> None:
        """`key_log_count`: the corpus log count of the most frequent syllable with
        these letters (-inf for none); without it no speck-shaped scrap is dropped."""
        self._index = lm_index
        self._lm = lm
        self._key_log_count = key_log_count

    def edges(
        self, tokens: list[Token], *, accented: bool, doubted: list[bool] | None = None,
        ocr: bool = False, read_by_ocr: bool = False, confs: Sequence[float] | None = None,
    ) -> tuple[int, int]:
        """How many tokens at the line's start and at its end are specks. `doubted`: per
        token, the OCR all but ruled it out (see DOUBTED_SPECK); on a damaged page a
        lone letter or mark it doubted that much at a line's edge is a speck too. `ocr`:
        plain text read by an English-model OCR (see `regime.looks_like_ocr`), whose
        margins also end lines in dashes and scraps (`chống - ô`, `ngày - a`).
        `read_by_ocr`: the line came from an OCR (eng-OCR text, or word confidences),
        so a lone mark of STRAY_END (ENG_STRAY_END in eng-OCR text) ending it, or of
        STRAY_START opening it, is a speck. `confs`: the OCR's confidence in each
        token; a lone mark it was unsure of ending or opening the line is a speck too
        (`_unsure_mark`), and so is a number of one or two digits ending it that it all
        but ruled out (`_doubted_number`)."""
        end = len(tokens)
        if ocr:
            end -= self._margin_scraps(tokens)
            end -= self._speck_scraps(tokens[:end])
        run = end  # debris after a sentence's end goes whole: `lần. _ _. - . a`
        while run > 0 and _debris_shaped(tokens[run - 1].text) and not self._opens_sentence(
            tokens[run - 1].text
        ) and (ocr or not self._is_word(tokens[run - 1].text)):
            run -= 1
        # (outside eng-OCR, a letter after a colon or semicolon is a value or a label:
        # `Xếp loại: B`; only blots and marks go there)
        if 0 < run < end and (tokens[run - 1].text[-1] in (SENTENCE_END if ocr else FULL_STOP) or (
                tokens[run - 1].text[-1] in SENTENCE_END
                and all(_marks_only(t.text) for t in tokens[run:end]))):
            end = run
        end = _scraps_after_sentence(tokens, end)
        end -= self._dust_tail(tokens[:end])
        if confs and end > 1 and end == len(tokens) and (
                _unsure_mark(tokens[-1], confs[-1]) or _doubted_number(tokens[-1], confs[-1])):
            end -= 1
        stray_end = ENG_STRAY_END if ocr else STRAY_END
        while read_by_ocr and end > 1 and tokens[end - 1].text in stray_end:
            end -= 1
        def doubted_speck(k: int) -> bool:
            return bool(doubted) and doubted[k] and _debris_shaped(tokens[k].text)

        while end > 0 and (doubted_speck(end - 1) or self._speck(
                tokens[end - 1], tokens[end - 2] if end > 1 else None,
                at_end=True, accented=accented, ocr=ocr)):
            end -= 1
        start = 0
        while read_by_ocr and start < end - 1 and tokens[start].text in STRAY_START:
            start += 1
        if read_by_ocr:
            start += _dashes_before_small_word(tokens[start:end])
        if (confs and start == 0 and end > 1 and tokens[0].text not in LIST_MARKS
                and _unsure_mark(tokens[0], confs[0])):
            start = 1
        while start < end and (doubted_speck(start) or self._speck(
                tokens[start], tokens[start + 1] if start + 1 < end else None,
                at_end=False, accented=accented, ocr=ocr)):
            start += 1
        if (start or end < len(tokens)) and not any(
            sum(c.isalnum() for c in t.text) >= 2 for t in tokens[start:end]
        ):
            return 0, 0  # nothing but single letters (a list of letters): leave it
        return start, len(tokens) - end

    def _margin_scraps(self, tokens: list[Token]) -> int:
        """How many tokens end the line as eng-OCR's reading of a margin: from a lone
        dash (or colon, bar) on, dashes and scraps of at most two letters or digits that
        are no word (`chống - ô`, `mục tiêu - q ;`, `việc - 2`). Stay: a dash with nothing
        after it and words after a dash (a line that wraps: `kinh tế - xa / hội`,
        `(22/11/1952 - / 22/11/2022)`), ranges (`từ 2 - 3`), a tail that closes a bracket
        or quote (`danh sách - PV),`), and a line of nothing else."""
        run = len(tokens)
        while run > 0 and (_is_dash(tokens[run - 1].text) or self._scrap_word(tokens[run - 1])):
            run -= 1
        first = next((k for k in range(run, len(tokens)) if _is_dash(tokens[k].text)), None)
        if first is None or first == 0 or first == len(tokens) - 1:
            return 0
        after = tokens[first + 1].core
        if tokens[first - 1].core.isdigit() and after.isdigit():
            return 0  # a range: `từ 2 - 3`
        if any(c in CLOSERS for t in tokens[first:] for c in t.text):
            return 0  # it closes what the line opened: `(vẫn được đưa vào danh sách - PV),`
        return len(tokens) - first

    def _dust_tail(self, tokens: list[Token]) -> int:
        """How many tokens end the line as a photocopy margin's dust, whatever comes
        before: marks (quotes too, beside a blot: `"`.`) and scraps of one or two
        letters or digits trailing dots (`1...`, `7m...`, `ốố..`), two tokens at least,
        one of them a blot or such a scrap that is no word (`môn _ -`, `CHUNG : 1...`,
        `khác 1... : : a...`). A lone one stays (`phần 2...`, `nói: ừ...`: an ellipsis);
        so does a scrap without dots (`điểm a _`: a label)."""
        run, evidence = len(tokens), False
        while run > 1:
            token = tokens[run - 1]
            if _is_dust(token.text):
                evidence = evidence or any(c in BLOT for c in token.text)
            elif _dotted_scrap(token):
                evidence = evidence or any(c.isdigit() for c in token.core) or self._id(
                    token.core) is None
            else:
                break
            run -= 1
        return len(tokens) - run if evidence and len(tokens) - run >= 2 else 0

    def _speck_scraps(self, tokens: list[Token]) -> int:
        """How many tokens end the line as eng-OCR's reading of a margin's dots when no
        dash or full stop comes first: scraps, dashes and marks, among them a speck-shaped
        token (`gầm oe`, `sinh oo :`, `khác nhau. oo FC oo ae 8 ee`). Without one nothing
        goes: a number or a letter alone may be text (`điểm a`, `tháng 7`)."""
        run, speck = len(tokens), False
        while run > 1:
            token = tokens[run - 1]
            if self._speck_shaped(token.core):
                speck = True
            elif not (_marks_only(token.text) or _is_dash(token.text) or self._scrap_word(token)):
                break
            run -= 1
        return len(tokens) - run if speck else 0

    def _speck_shaped(self, core: str) -> bool:
        """Two or three of the round letters eng-OCR reads off dots (`oe`, `oo`, `eae`,
        `oS`), not in capitals (`SS` may be an abbreviation), and no common syllable's
        letters (`co`, `so`, `ao` are words; `oe` only rare ones)."""
        return (self._key_log_count is not None and 2 <= len(core) <= MAX_SCRAP + 1
                and set(core.lower()) <= SPECK_LETTERS and not core.isupper()
                and self._key_log_count(core.lower()) < COMMON_KEY)

    def _scrap_word(self, token: Token) -> bool:
        """At most two letters or digits, and no word the corpus knows (`q`, `8`, any lone
        letter; not `xa` or `Fe`, which the corpus has as words)."""
        core = token.core
        if not core or len(core) > MAX_SCRAP:
            return False
        return len(core) == 1 or self._id(core) is None

    def _speck(
        self, token: Token, neighbour_token: Token | None, *, at_end: bool, accented: bool,
        ocr: bool = False,
    ) -> bool:
        text = token.text
        if _is_blot(text) or not at_end and (text in STRAY_PUNCTUATION or _margin_rule(text)):
            return True
        if not at_end and set(text) == {"|"} and neighbour_token is not None and (
                _is_blot(neighbour_token.text) or _margin_rule(neighbour_token.text)):
            return True  # a column rule before a blot: `| _ Denis`, `| ___ Denis`
        if not _is_letter(text):
            return False
        if _is_foreign_letter(text):
            return True
        if neighbour_token is None or not ocr and self._is_word(text) and not _is_blot(
                neighbour_token.text):
            return False
        neighbour, word = neighbour_token.text, neighbour_token.core
        if at_end and neighbour[-1] in (SENTENCE_END if ocr else FULL_STOP):
            # a sentence closed: a lone letter after it begins nothing, unless it is a
            # word that opens sentences (`Ở`, `Ý`)
            return not self._opens_sentence(text)
        if not accented:
            return False
        if at_end:
            if neighbour[-1].isdigit() or (text.isupper() and not _is_letter(word)
                                            and not _marked_vowel(text)):
                # `5 l`, an initial, `vitamin A` (not the `Ũ` of `l Ũ`); a capital vowel
                # with marks is no initial (`đã trao È`), unless the pair is seen (`châu Á`)
                return False
            return not self.pair_seen(word, text)
        if _is_blot(neighbour):
            return True  # `Ẻ -__.`
        if _is_letter(neighbour) or neighbour[0] in ".)":
            return False  # `a b c`, `a)`
        if text in INITIALS and not ocr and word[:1].islower():
            return False  # a letter's name or an initial (`K là tên của một loại vitamin`)
        letter_id, word_id = self._id(text), self._id(word)
        if word_id is None:
            return False  # a foreign neighbour (`A Challenge`): nothing to judge by
        if letter_id is None:
            return True  # a letter the corpus never saw alone (`Ũ a)`, `ệ`)
        if self._lm.uni[letter_id] >= COMMON_LETTER:
            return False
        return not self.pair_seen(text, word, OPENING_PAIR)

    def _is_word(self, text: str) -> bool:
        """One of Vietnamese's one-letter words (`Dạ vâng ạ`, `ừ thì`, `ở nhà`): in text
        that shows no OCR (typed, or vie-OCR without word confidences) it stays."""
        if text.lower() not in ONE_LETTER_WORDS:
            return False
        letter_id = self._id(text)
        return letter_id is not None and bool(self._lm.uni[letter_id] >= WORD_LETTER)

    def _opens_sentence(self, text: str) -> bool:
        """A capital letter that sentences open with (`Ở`, `Ý`; not `A`, `E`, `S`)."""
        if not (_is_letter(text) and text.isupper()):
            return False
        letter_id = self._id(text)
        return letter_id is not None and bool(self._lm.uni[letter_id] >= OPENING_LETTER)

    def _id(self, word: str) -> int | None:
        """The word's LM unit; None for a word the LM does not know as itself."""
        unit = lm_unit(word) if word else UNK
        return None if unit in (UNK, NUM) else self._index.get(unit)

    def pair_seen(self, first: str, second: str, min_logc: float = -math.inf) -> bool:
        """The corpus has the two words in a row (any case), with a log count of at
        least `min_logc` where given; never for a word the LM knows only as <unk> or a
        number."""
        a, b = self._id(first), self._id(second)
        if a is None or b is None:
            return False
        logc = self._lm.pair_logc(a, b)
        return math.isfinite(logc) and logc >= min_logc
