"""The line pass: which spans of a restored line are names, which to rewrite, and how.

`fix_names(gazetteer, input_lines, restored_lines)` is the dictionary stage's entry
point. `Gazetteer.match` decides one span (is it a name, and which?). Here every line is
tokenised with its input, the tokens that may belong to a name are marked (capitals,
type words, capitals the model or the OCR lost), every run of 1–4 of them is scored,
the best non-overlapping runs are chosen, and the chosen names are written into the
restored line in its casing and tone style, each replacement recorded as a `Change`.
A unit name is read inside the province or district its paragraph names where one
reading of its key lies there (hierarchy.py decides which; here it is one more span).
(Just over 400 lines: every test a span passes reads the same `_Line`, and splitting
them would pass its fields around one by one.)
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from vnocr.lexicon.gazetteer import Gazetteer
from vnocr.lexicon.hierarchy import (
    NO_PLACES,
    AdminHierarchy,
    ParagraphPlaces,
    load_hierarchy,
    local_reading,
    near_units_inside,
    places_by_line,
)
from vnocr.lexicon.scoring import Match
from vnocr.lexicon.sources import Name
from vnocr.lexicon.spans import (
    LineTokens,
    apply_name_case,
    case_of,
    inside_run,
    is_heading,
    joins,
    letterless,
    letters_case,
    lowered_by_model,
    name_like,
    ocr_capitals,
    place_of_issue,
    sentence_starts,
    type_before,
)
from vnocr.lexicon.types import ADMIN_TYPES, PLACE_OF_ISSUE
from vnocr.result import Change
from vnocr.text import (
    SIZE_ONLY_LETTERS,
    STRIP_TABLE,
    Token,
    ToneStyle,
    closes_sentence,
    detect_tone_style,
    has_syllable_shape,
    lower_old,
    normalize_text_tones,
    span_key,
    tokenize,
)

log = logging.getLogger(__name__)

MAX_SPAN = 4
SENTENCE_START_PENALTY = 4.0  # a sentence's first word is capitalised anyway
SUBSPAN_PENALTY = 12.0  # a piece of a longer run of capitals
LOST_CASE_WEIGHT = 100.0  # a name the model lowered is a common one: Hà Lan, not `Việt Nam Với`


@dataclass(slots=True)
class _Span:
    i: int
    n: int
    match: Match | None
    known: bool  # the restored span already is a gazetteer name
    rank: float = field(default=0.0)
    recase: bool = False  # a known name with OCR capitals inside (`Hoa KỲ`): fix the case
    name_case: bool = False  # a known name the model lowered (`đại Chính`): the name's case


@dataclass(slots=True)
class _Line:
    """One line as the span search sees it: restored and input tokens (aligned; the
    restored ones twice when the counts differ) and, per token, whether it may belong
    to a name (`namey`), whether its small letter may be a lost capital (`lost_case`)
    and whether a sentence starts there."""

    rt: list[Token]
    it: list[Token]
    heading: bool
    plain: bool
    ocr: bool
    namey: list[bool]
    lost_case: list[bool]
    starts: list[bool]
    places: ParagraphPlaces  # what its paragraph may name (hierarchy.py)
    accented: bool = False  # restoration found the text's marks trustworthy


def fix_names(
    gazetteer: Gazetteer, input_lines: Sequence[str], restored_lines: Sequence[str], *,
    tone_style: ToneStyle | None = None, ocr: bool | None = None,
    input_tokens: Sequence[Sequence[Token]] | None = None, accented: bool = False,
) -> tuple[list[str], list[Change]]:
    """The dictionary stage: repair names in `restored_lines` (token-aligned with
    `input_lines`) with `gazetteer`'s names; see `LinePass.fix_lines`."""
    return LinePass(gazetteer).fix_lines(input_lines, restored_lines, tone_style=tone_style,
                                         ocr=ocr, input_tokens=input_tokens,
                                         accented=accented)


class LinePass:
    """The dictionary pass over whole lines, with one gazetteer's names (see the module)
    and the register's nesting of units (`hierarchy`: the shipped one by default)."""

    def __init__(self, gaz: Gazetteer, hierarchy: AdminHierarchy | None = None) -> None:
        self.gaz = gaz
        self.hierarchy = load_hierarchy() if hierarchy is None else hierarchy

    def fix_lines(
        self, input_lines: Sequence[str], restored_lines: Sequence[str], *,
        tone_style: ToneStyle | None = None, ocr: bool | None = None,
        input_tokens: Sequence[Sequence[Token]] | None = None, accented: bool = False,
    ) -> tuple[list[str], list[Change]]:
        """Repair names in `restored_lines` (token-aligned with `input_lines`).

        Returns the new lines (same tokens, spacing and punctuation; only name spans'
        letters change) and one `Change` per replaced span, with offsets in the input.
        `tone_style` (the restored text's convention) and `ocr` (`Gazetteer.is_ocr_text`
        of the input), where the caller's document already decided them;
        `input_tokens` (`tokenize` of each input line), where it already holds them;
        `accented`: restoration judged the input's marks trustworthy (`TextFacts.regime`),
        so a name the writer marked, or left unmarked, is the writer's (`_writers_name`).
        """
        if len(input_lines) != len(restored_lines):
            raise ValueError("input and restored line counts differ")
        # a repaired name follows the text
        style = tone_style or detect_tone_style(restored_lines)
        # the input is tokenised once: for the OCR test and for each line's spans
        input_toks = ([tokenize(line) for line in input_lines] if input_tokens is None
                      else [list(line_toks) for line_toks in input_tokens])
        if ocr is None:
            ocr = self.gaz.is_ocr_tokens(input_toks)
        restored_toks = LineTokens(restored_lines)  # each tokenised once, where read
        places = (places_by_line(restored_lines, input_toks, restored_toks)
                  if len(self.hierarchy) else [NO_PLACES] * len(input_lines))
        out: list[str] = []
        changes: list[Change] = []
        prev_ends_sentence = True
        for li, (inp, res) in enumerate(zip(input_lines, restored_lines)):
            new, ch = self._fix_line(li, inp, input_toks[li], res, restored_toks, style,
                                     prev_ends_sentence, ocr, places[li], accented)
            out.append(new)
            changes.extend(ch)
            if res.strip():
                prev_ends_sentence = closes_sentence(res)
        return out, changes

    def _fix_line(
        self,
        li: int,
        inp: str,
        it: list[Token],
        res: str,
        restored_toks: LineTokens,
        style: ToneStyle,
        line_starts_sentence: bool,
        ocr: bool,
        places: ParagraphPlaces,
        accented: bool = False,
    ) -> tuple[str, list[Change]]:
        ln = self._read_line(li, inp, it, res, restored_toks, line_starts_sentence, ocr,
                             places, accented)
        if ln is None:
            return res, []
        spans = [sp for i in range(len(ln.rt)) if ln.namey[i] for sp in self._spans_from(ln, i)]
        return self._replace(li, inp, res, ln, _best_disjoint(spans), style)

    def _read_line(
        self, li: int, inp: str, it: list[Token], res: str, restored_toks: LineTokens,
        line_starts_sentence: bool, ocr: bool, places: ParagraphPlaces,
        accented: bool = False,
    ) -> _Line | None:
        """The line's tokens (`it`: the input's; `restored_toks[li]`: `res`'s) and which
        may belong to a name; None when none may."""
        if res.islower() and inp.islower():
            return None  # no capital, no name (type words need a capital after them)
        rt = restored_toks[li]
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
                        and t.core.translate(STRIP_TABLE) != t.core and has_syllable_shape(t.core)):
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
                 or ocr and span_key(lower_old(it[k].core[:1])) != span_key(rt[k].core[:1])
                 or ocr and span_key(rt[k].core[0]) in SIZE_ONLY_LETTERS)
            for k in range(len(rt))
        ]
        return _Line(
            rt=rt, it=it, heading=heading, ocr=ocr,
            # no marks anywhere: no model ran (or it had nothing to say); type words can
            # only be recognised by their keys (`xa Chieng Sinh`)
            plain=res.translate(STRIP_TABLE) == res,
            namey=namey, lost_case=lost_case,
            starts=sentence_starts(rt, line_starts_sentence),
            places=places,
            accented=accented,
        )

    def _spans_from(self, ln: _Line, i: int) -> list[_Span]:
        """The name spans (1–MAX_SPAN tokens) that start at token i, each scored. After
        a type word, the first syllable alone is a piece of the longer name where one of
        the same letters starts there too (`xã Nam Trực`: not the one-syllable `Nâm`), as
        a piece of a run of capitals is without a type word."""
        spans = list(self._each_span_from(ln, i))
        if spans and spans[0].n == 1 and any(
                sp.known or (sp.match is not None and sp.match.exact_key) for sp in spans[1:]):
            spans[0].rank -= SUBSPAN_PENALTY
        return spans

    def _each_span_from(self, ln: _Line, i: int) -> Iterator[_Span]:
        """Each span from token i, scored on its own (shortest first)."""
        before = type_before(ln.rt, ln.it, i, ln.plain)
        for n in range(1, MAX_SPAN + 1):
            j = i + n - 1
            if j >= len(ln.rt) or not (ln.namey[j] or ln.lost_case[j]):
                break
            if n > 1 and not (joins(ln.rt[j - 1], ln.rt[j]) and joins(ln.it[j - 1], ln.it[j])):
                break
            typ = before
            if typ is None and place_of_issue(ln.rt, ln.it, i, j):
                typ = PLACE_OF_ISSUE
            if typ is None and (n == 1 or ln.heading):
                continue  # one syllable needs its type word; capitals say nothing in a heading
            sp = self._span(ln, i, j, typ)
            if sp is not None and not (sp.match is not None and typ is None
                                       and _writers_name(ln, i, j, sp.match.name.text)):
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
        same_letters = span_key(rspan) == span_key(ispan)
        hit = self.gaz.by_lower.get(low)
        if n == 1 and hit is not None and not hit.fits(typ):
            hit = None  # `Bộ` is a name after `đảo`, not after `tỉnh`
        if any(ln.lost_case[i : j + 1]) and not self._recased_name(rt, i, j, ln.lost_case, hit):
            return None
        known = (
            (hit is not None or (n > 1 and (low in self.gaz.phrases or low in self.gaz.unmarked_units)))
            and (ocr or same_letters)
            # the input spelling itself is a name the model wrote over (`Hyde Park` made
            # `Nam Bộ`): the input has the better claim
            and (same_letters or in_low not in self.gaz.by_lower)
            # in OCR'd text, input letters that spell a name (`Vi Thanh`) have a claim
            # against the model's other name (`Vũ Thanh`): the match decides
            and (same_letters or not ocr or span_key(in_low) not in self.gaz.by_key)
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
        elif known or (common_words and not self.gaz.user_names
                       and span_key(low) not in self.gaz.by_key and span_key(in_low) not in self.gaz.by_key):
            m = None
        else:
            m = self.gaz.match(ispan, rspan, type_word=typ, ocr=ocr)
        if m is not None and common_words and not m.exact_key and not m.name.is_user:
            m = None
        if m is None and not known:
            return self._local_span(ln, i, j, low, typ)
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
                    and not self.gaz.looks_noisy(low, ocr=ocr)
                    and in_low not in self.gaz.by_lower
                ):
                    return None
                base -= SUBSPAN_PENALTY
            if m is not None and base < self.gaz.score_cutoff:
                return None
        local = self._local_span(ln, i, j, low if m is None else m.name.text.lower(), typ)
        if local is not None:
            return local
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

    def _recased_name(
        self, rt: list[Token], i: int, j: int, lost_case: list[bool], hit: Name | None
    ) -> bool:
        """May the span i..j, with words whose case the model made up (`lost_case`), be
        written as the name `hit`? Only a common name (`Hà Lan`; a mined phrase such as
        `Việt Nam Với` is not one), and only where the corpus does not write the small
        word after the one before it more often than the name (`Tổ quốc`)."""
        if hit is None or hit.weight < LOST_CASE_WEIGHT:
            return False
        return all(
            self.gaz.collocations.get(f"{lower_old(rt[k - 1].core)} {rt[k].core}", 0.0) < hit.weight
            for k in range(max(i, 1), j + 1) if lost_case[k]
        )

    def _local_span(
        self, ln: _Line, i: int, j: int, written: str, typ: str | None
    ) -> _Span | None:
        """The span rewritten as the unit of its key that lies inside a province or
        district the paragraph names, where the name it would otherwise be written as
        (`written`: the model's, or the match's) lies in none of them
        (`hierarchy.local_reading`). After an administrative type word; without one
        (`3 xã: Cửa Dương, Dương Tơ`) only where the model wrote no known name and the
        span is a whole run of capitals (person names on the bench, `Hoàng Văn Nha`,
        `Quận Thanh Xuân`, were made units). Never over a known name as the writer
        typed it in text whose marks are trustworthy (`huyện Thanh Trì` is no Thạnh Trị
        of Tây Ninh where the text names Tây Ninh too: `_typed_name`)."""
        if typ not in ADMIN_TYPES and typ != PLACE_OF_ISSUE and (
            typ is not None or j == i or written in self.gaz.by_lower
            or inside_run(ln.rt, ln.namey, ln.starts, i, j)
        ):
            return None
        if self._typed_name(ln, i, j):
            return None
        same_key = self.gaz.by_key.get(span_key(written), ())
        local = local_reading(self.hierarchy, same_key, written, ln.places, typ)
        if local is None and ln.ocr and typ in ADMIN_TYPES and written not in self.gaz.by_lower:
            local = self._near_unit_inside(ln, i, j, written, typ)
        if local is None:
            return None
        sp = _Span(i, j - i + 1, Match(local, 100.0, 0.0, True), False)
        sp.rank = 100.0 + 6.0 * sp.n
        return sp

    def _typed_name(self, ln: _Line, i: int, j: int) -> bool:
        """Tokens i..j are a known name, marks and all, as typed and as the model kept
        them, in typed text whose marks are trustworthy (not OCR'd: `_Line.ocr`)."""
        written = " ".join(t.core for t in ln.rt[i : j + 1])
        return (ln.accented and not ln.ocr
                and written == " ".join(t.core for t in ln.it[i : j + 1])
                and lower_old(written) in self.gaz.by_lower)

    def _near_unit_inside(self, ln: _Line, i: int, j: int, written: str, typ: str) -> Name | None:
        """In OCR'd text, a span after a type word that spells no known name: the unit a
        letter from its key that lies inside a place the paragraph names (`xã Xin Min,
        tỉnh Tuyên Quang` → Xín Mần); of several, the one the match's scores put clearly
        ahead. (In typed or stripped text the letters are right: a name a letter away
        is another name.)"""
        near = (self.gaz.by_lower.get(name) for name in self.hierarchy.names_near(span_key(written)))
        inside = near_units_inside(
            self.hierarchy, [nm for nm in near if nm is not None and nm.is_admin_unit and nm.fits(typ)],
            written, ln.places)
        if len(inside) < 2:
            return inside[0] if inside else None
        m = self.gaz.best_of(" ".join(t.core for t in ln.it[i : j + 1]),
                             " ".join(t.core for t in ln.rt[i : j + 1]), inside,
                             type_word=typ, ocr=True)
        return None if m is None else m.name

    def _compound_after(self, rt: list[Token], j: int, name: Name) -> bool:
        """Token j, spelt as the name ends, and the lowercase word after it are a compound
        more frequent than the name (`Lễ Vinh danh`, `Viện An ninh`): a capitalised
        phrase, not a name ending at j. (Where the model's spelling of token j differs
        from the name's, the model may be the one that is wrong: `Không Từ các` for
        Khổng Tử, and the compound it makes says nothing.)"""
        if not self.gaz.collocations or j + 1 >= len(rt):
            return False
        a, b = rt[j], rt[j + 1]
        last = lower_old(a.core)
        if a.trail or b.lead or not b.core.islower() or last != name.text.split()[-1].lower():
            return False
        return self.gaz.collocations.get(f"{last} {lower_old(b.core)}", 0.0) > name.weight


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


def _writers_name(ln: _Line, i: int, j: int, name: str) -> bool:
    """Would writing `name` over tokens i..j overrule marks the writer chose? Only in
    text whose marks are trustworthy (`_Line.accented`), on words the model kept as
    written, whole words of letters: there a marked word's marks are the writer's
    (`Bằng Anh` is no `Bảng Anh`), and a name left wholly unmarked is unmarked on
    purpose (`Hong Kong`, `Nam Man`: not Hồng Kông, Nậm Mằn); only an unmarked word
    beside marked ones in one name has lost its marks (`Ất Ty`: Ất Tỵ). A type word
    before the span is evidence for the name: the caller checks it first.
    (bench_unchanged: strip truth 181 → 165 syllables changed; bench_layout book pages:
    4 errors introduced fewer.)"""
    rt, it = ln.rt[i : j + 1], ln.it[i : j + 1]
    if not ln.accented or any(a.core != b.core or not a.core.isalpha() for a, b in zip(rt, it)):
        return False
    marked = [t.core.translate(STRIP_TABLE) != t.core for t in rt]
    words = [lower_old(t.core) for t in rt]
    name_words = lower_old(name).split()
    if not any(marked):
        return words != name_words
    # marks on a word no Vietnamese syllable has are an OCR's misreading (`Pạlo Alto`,
    # `Deïr`), and so is a foreign name's (`Song Joong Kí`): only a well-formed reading
    # is the writer's
    return all(has_syllable_shape(t.core) for t in rt) and any(
        m and w != n for m, w, n in zip(marked, words, name_words))


def _written_with_marks(toks: list[Token]) -> bool:
    """Every word a Vietnamese syllable with marks: marks its writer (or a Vietnamese OCR)
    put there, which a name of the same letters but other marks does not overrule
    (`Quảng`, `Bằng`, `Cường` were made Quang, Bảng, Cương on clean vie-OCR pages: all
    clean dev lines 106 → 102 errors with the pass, photocopies 411 → 408). A word
    without marks may be one that lost them (`Quang Bình` typed for Quảng Bình)."""
    cores = [t.core for t in toks]
    return (all(has_syllable_shape(c) for c in cores)
            and all(c.translate(STRIP_TABLE) != c for c in cores))
