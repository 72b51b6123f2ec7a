"""Writing decisions back: the word written for each decoded slot, and each line put
together from its tokens' new cores, with a `Change` for every token that changed and
every run of specks cut at a line's edge, and a `KeptWord` for every word kept as written
that the search offered next-best readings for."""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass, field

import numpy as np

from vnocr.document import TextFacts
from vnocr.restore.abbreviations import AbbreviationSpeller
from vnocr.restore.candidates import GLUED_MARKS, output_case
from vnocr.restore.casing import CaseChooser, Position, doubled_letter_case, small_stays
from vnocr.restore.foreign import ForeignSpeller
from vnocr.restore.glued import colon_thousands
from vnocr.restore.network import COPY
from vnocr.restore.regime import CONF_SURE
from vnocr.restore.specks import dust_lead, token_end, unclosed_quote
from vnocr.restore.streams import Slot
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.result import Change, KeptWord
from vnocr.text import Token, apply_case, is_vietnamese_syllable, normalize_tone, strip_marks

MAX_RUNNERS_UP = 3  # next-best readings recorded per change (the review page's keys 1-3)
# a lone mark between two parts of an OCR'd token, read from a speck in the space between
# two words (`_replace_parts`): a dot or colon on any OCR's lines, an apostrophe where it
# parts a token (eng-OCR text: `glued.apostrophe_gaps`)
_SPECK_GAPS = frozenset(".:'’‘")
# ... and in eng-OCR text a hyphen between two syllables the corpus has side by side at
# least this many times (`chế-độ`, `khai-thác`: thousands): a loan word's syllables
# (`xi-lanh`, `sơ-mi`, `va-ly`) are rarer pairs. vie-OCR prints such real hyphens about
# as often as it invents one (dev pages: 13 invented, 14 real), so those stay.
COMMON_PAIR = 400
# eng-OCR's print of a mark it could not place, glued after the word; then nothing but
# punctuation up to the token's end (see _glued_mark_debris)
_MARK_DEBRIS = re.compile(
    f"(?:[{''.join(sorted(GLUED_MARKS))}]+|’)" + r"(?=[,.;:!?)\]\"”…]*$)")


@dataclass
class RestoredLine:
    """One input line as the restorer writes it: the text and what changed in it.

    `Document.restored` builds the next stage's input from these: the dictionary pass
    reads `text` against `aligned_input` and the tokens' `confidences`, and the result
    reports the `changes` and the `kept` words a reviewer may still change.
    """

    text: str
    changes: list[Change] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)
    kept: list[KeptWord] = field(default_factory=list)
    # Where specks were cut (see specks.py): the input line without them, token-aligned
    # with `text` (what the dictionary pass compares with), and each cut as (where it
    # was in `aligned_input`, how many characters and tokens of the input it took).
    aligned_input: str | None = None
    cuts: tuple[tuple[int, int, int], ...] = ()


class SurfaceWriter:
    """The word written for a decoded slot: the vocabulary's word in the case and tone
    convention it belongs in, or the input's word respelt where it was kept."""

    def __init__(
        self, tok: RestoreTokenizer, casing: CaseChooser, foreign: ForeignSpeller,
        abbreviations: AbbreviationSpeller,
    ) -> None:
        self.tok = tok
        self.casing = casing
        self.foreign = foreign
        self.abbreviations = abbreviations

    def surface(
        self, slot: Slot, out_id: int, facts: TextFacts,
        label: str | None = None, doubted: bool = False,
    ) -> str:
        """The word written for the slot; `label`: the list label or field label a
        misread one stands for (see labels.py, document_numbers.py), in capitals where
        the token is unless it has its own (`Số`); `doubted`: the OCR doubted the word,
        on a damaged page."""
        core = slot.token.core
        if label is not None:
            return label.upper() if core.isupper() and label.islower() else label
        regime = facts.regime
        if out_id == COPY:
            core = colon_thousands(core)
            if regime == "accented" and not core.isupper():
                # a foreign word misread by one letter: the corpus's word (`Netfix` →
                # Netflix, see foreign.py); abbreviations have their own rules
                respelt = self.foreign.respell(core, doubted=doubted)
                if respelt is not None:
                    return respelt
            # marks in accented text are trustworthy: a DH there is written so on purpose
            if regime == "plain":
                return self.abbreviations.spell(core)
            return doubled_letter_case(core)
        word = self.tok.vocab[out_id]
        if facts.tone_style == "new":
            word = normalize_tone(word, "new")
        case = output_case(core)
        if small_stays(core, word, case, mid=slot.mid, ocr_text=facts.eng_ocr,
                       opens=slot.opens):
            return word
        prev = slot.prev
        where = Position(slot.mid, slot.runs_on, prev.surface if prev else None,
                         prev.choice if prev else -1, slot.lone_caps, doubted, facts.damaged,
                         sure=slot.conf is not None and slot.conf >= CONF_SURE,
                         opens=slot.opens)
        if case == "title" and sum(c.isalpha() for c in core) == 1 and (
                len(core) == 1 and _in_capitals(prev) or slot.heading):
            # a one-letter word after capitals (`NHÀ VƯỜN Ở MIỀN`), or in a heading in
            # capitals one letter and eng-OCR's digit for a marked vowel (`C6 LỢI`: CÓ)
            case = "upper"
        elif slot.title_in_capitals and facts.eng_ocr:
            case = "upper"  # `Uy BAN NHAN DAN`: ỦY, its mark lost, read as a small y
        return apply_case(word, self.casing.case(core, word, out_id, where, case,
                                                 regime, facts.eng_ocr))

    def runners_up(
        self, slot: Slot, choice: int, chosen: str, facts: TextFacts,
        label: str | None = None, doubted: bool = False,
    ) -> tuple[tuple[str, float], ...]:
        """The slot's next-best candidates as they would be written, with their local
        posteriors (rounded; below 0.001 left out), best first: what a reviewer may pick
        instead of `chosen` (written for the out id `choice`). Empty where the search
        was sure (no `posteriors`)."""
        if slot.posteriors is None or label is not None:
            return ()
        out: dict[str, float] = {}
        for k in np.argsort(-slot.posteriors, kind="stable")[: MAX_RUNNERS_UP + 1].tolist():
            share = round(float(slot.posteriors[k]), 3)
            if share < 0.001:
                break
            out_id = int(slot.ids[k])
            if out_id == choice:
                continue  # written as `chosen`
            word = self.surface(slot, out_id, facts, doubted=doubted)
            if word != chosen and word not in out:
                out[word] = share
        return tuple(list(out.items())[:MAX_RUNNERS_UP])


# What the search decided for one slot: (its token, new text, confidence, runners-up).
Decided = tuple[Token, str, float, tuple[tuple[str, float], ...]]


def assemble_line(
    li: int, line: str, toks: list[Token], decided: dict[int, list[Decided]],
    min_confidence: float, regime: str, edges: tuple[int, int], ocr: bool = False,
    common_pair: Callable[[str, str], bool] | None = None, inner: Container[int] = (),
) -> RestoredLine:
    """Put each token's new core into the line; everything around cores stays, except
    mark debris that eng-OCR glued to a word (`lệ¢`, `gỡ&`), in plain text, the
    specks at the line's edges (`edges`) and between its words (`inner`: token
    indices), which go with the space that parts them from the text, and, in OCR'd
    text (`ocr`), a speck read as a mark between two words (`cho.bệnh`, `mới'có`, and
    in eng-OCR text, given `common_pair`, `chế-độ`; see `_replace_parts`), a single
    quote nothing closes (`specks.unclosed_quote`) and a full stop that ends no
    sentence (`_stray_stop`). `decided`: token index → the `Decided` of each of its
    slots; a one-slot change records its runners-up (`alternatives`: [word,
    posterior]), and so does a one-slot word kept as written (`KeptWord`; a reading
    `min_confidence` turned down comes first)."""
    lead, trail = edges
    kept = range(lead, len(toks) - trail)
    out = []
    changes: list[Change] = []
    kept_words: list[KeptWord] = []
    confs: list[float] = []
    cut: list[tuple[int, int, int]] = []  # (start, end, tokens) of each cut in `line`
    pos = 0
    if lead:  # from the first speck to the first kept token; indentation stays
        a, pos = toks[0].start, toks[lead].start
        out.append(line[:a])
        changes.append(_speck_change(li, 0, line, a, pos, lead))
        cut.append((a, pos, lead))
    for ti in kept:
        t = toks[ti]
        if ti in inner:  # from the word before's end to the speck's end
            a, b = token_end(toks[ti - 1]), token_end(t)
            out.append(line[pos:a])
            changes.append(_speck_change(li, ti, line, a, b, 1))
            cut.append((a, b, 1))
            pos = b
            continue
        if not t.core:
            continue
        parts = decided.get(ti, [])
        new = _replace_parts(t, parts, ocr, common_pair)
        conf = min((p[2] for p in parts), default=1.0)
        turned_down = new if new != t.core and conf < min_confidence else None
        if turned_down is not None:
            new = t.core
        confs.append(conf)
        cs = t.core_start
        old = t.core
        if ti == lead and (dust := dust_lead(line, t)):  # `_b)`: goes with the word's change
            cs -= len(dust)
            old = dust + old
        elif ocr and (quote := unclosed_quote(line, t)):  # `‘Những`: so does this speck
            cs -= len(quote)
            old = quote + old
        if regime == "plain" and conf >= min_confidence:
            old += _glued_mark_debris(t, new, line[:cs])
        if ocr and old == t.core and ti + 1 < len(toks) - trail and _stray_stop(
                t, new, toks[ti + 1]):
            old += t.trail
        out.append(line[pos:cs])
        out.append(new)
        pos = cs + len(old)
        runners_up = parts[0][3] if len(parts) == 1 else ()
        if new != old:
            extra = {"alternatives": [list(a) for a in runners_up]} if runners_up else {}
            changes.append(Change(li, ti, cs, cs + len(old), old, new, conf, "model",
                                  extra=extra))
        elif len(parts) == 1 and (runners_up or turned_down is not None):
            if turned_down is not None:
                runners_up = ((turned_down, round(conf, 3)),
                              *(a for a in runners_up if a[0] != old))
            kept_words.append(KeptWord(li, ti, cs, cs + len(old), old, conf, runners_up))
    if trail:  # from the last kept token's end to the last speck's end
        first = len(toks) - trail
        a, b = token_end(toks[first - 1]), token_end(toks[-1])
        out.append(line[pos:a])
        changes.append(_speck_change(li, first, line, a, b, trail))
        cut.append((a, b, trail))
        pos = b
    out.append(line[pos:])
    restored = RestoredLine("".join(out), changes, confs, kept_words)
    if cut:
        restored.aligned_input, restored.cuts = _without(line, cut)
    return restored


def _without(
    line: str, cut: list[tuple[int, int, int]]
) -> tuple[str, tuple[tuple[int, int, int], ...]]:
    """`line` without the spans of `cut` ((start, end, tokens), in order), and each span
    as (where it was in the line left, characters, tokens): what maps the dictionary
    pass's offsets back into the input (`Document.names_fixed`)."""
    pieces, cuts, pos, removed = [], [], 0, 0
    for a, b, n in cut:
        pieces.append(line[pos:a])
        cuts.append((a - removed, b - a, n))
        removed += b - a
        pos = b
    pieces.append(line[pos:])
    return "".join(pieces), tuple(cuts)


def _in_capitals(slot: Slot | None) -> bool:
    """The word decided before is written in capitals (two letters or more)."""
    word = slot.surface if slot is not None else None
    return bool(word) and len(word) > 1 and word.isupper()


def _speck_change(li: int, ti: int, line: str, a: int, b: int, n: int) -> Change:
    """A cut speck run: a rule's decision, not the network's, hence confidence 1."""
    return Change(li, ti, a, b, line[a:b], "", 1.0, "model", ntokens=n,
                  extra={"rule": "speck"})


def _glued_mark_debris(token: Token, word: str, before: str) -> str:
    """The start of `token`'s trail that is eng-OCR's print of a mark it could not place,
    glued to the word: ¢ € & @ (`lệ¢`, `gỡ&`, `sở@`), or ’ for the horn of ư (`xt’`
    for xứ) where no ‘ opened a quotation before it. Empty when there is none, when more
    than punctuation follows (`AT&T`), or when the restored `word` carries no mark the
    symbol could stand for (`100€`, `TH& THCS`; `1¢` restored as lệ has one)."""
    if strip_marks(word) == word:
        return ""
    m = _MARK_DEBRIS.match(token.trail)
    if m is None or (m.group(0) == "’" and ("‘" in before or "‘" in token.lead)):
        return ""
    return m.group(0)


def _stray_stop(token: Token, word: str, following: Token) -> bool:
    """Whether `token`'s trail is a lone full stop that ends no sentence, in OCR'd text:
    a speck read after a syllable (`word`, as restored) and before a word in small
    letters (`bất kỳ. phiên bản`, `giá. vàng`). A list's letter after it opens an item
    (`nổ. b) ...`), and abbreviations are no syllables (`v.v. các`, `TP. Huế`)."""
    return (token.trail == "." and len(word) > 1 and is_vietnamese_syllable(word)
            and not following.lead and len(following.core) > 1
            and following.core[:1].islower())


def _replace_parts(
    token: Token, parts: list[Decided], ocr: bool = False,
    common_pair: Callable[[str, str], bool] | None = None,
) -> str:
    """The token's core with each decoded part (absolute offsets) replaced; parts that
    abut (merged words, see merged.py) get their space back. In OCR'd text (`ocr`) a
    lone dot, colon or apostrophe between two Vietnamese syllables, the second in small
    letters, is a speck the OCR read in the space between them (`cho.bệnh`, `hết:ngày`,
    `mới'có`, `thiét:ké`): it becomes that space. So does, in eng-OCR text, the one
    hyphen of a token between two syllables that `common_pair` finds common side by
    side (`chế-độ`, `khai-thác`; not `xi-lanh`, nor `ki-lô-mét`). (A full stop before a
    small letter ends no sentence; a comma stays, as OCR drops the space after a real
    one too: `thuật,xã`; so do a number's dot, `1.các`, and a file name's, `baocao.pdf`.)"""
    core, base = token.core, token.core_start
    if len(parts) == 1 and parts[0][0].core_start == base and len(parts[0][0].core) == len(core):
        return parts[0][1]  # one part, the whole core: most tokens, without the splicing
    hyphen = common_pair is not None and core.count("-") == 1
    starts = {p[0].core_start for p in parts}
    next_start, next_word = None, ""  # the part to the right, as it is now written
    for part, new, *_ in sorted(parts, key=lambda p: -p[0].core_start):
        a = part.core_start - base
        end = a + len(part.core)
        space = " " if part.core_start + len(part.core) in starts else ""
        if (ocr and next_start == end + 1 and next_word[:1].islower()
                and (core[end] in _SPECK_GAPS or hyphen and core[end] == "-"
                     and common_pair(new, next_word))
                and is_vietnamese_syllable(new) and is_vietnamese_syllable(next_word)):
            space = " "
            end += 1
        core = core[:a] + new + space + core[end:]
        next_start, next_word = a, new
    return core
