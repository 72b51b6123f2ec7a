"""Inference: network scores + trigram LM + channel, fused in a beam search per paragraph.

Decoding is token-aligned: every input token yields exactly one output token (two where
an OCR merged two words, see merged.py), so line structure, spacing, punctuation,
numbers and codes come through by construction.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import torch
from safetensors import SafetensorError

from vnocr.channel import char_channel, noise_tables
from vnocr.errors import ModelLoadError
from vnocr.restore.abbreviations import AbbreviationSpeller
from vnocr.restore.candidates import (
    GLUED_MARKS,
    SYMBOL_WORDS,
    CandidateGenerator,
    colon_thousands,
    output_case,
    split_glued,
)
from vnocr.restore.casing import (
    CaseChooser,
    Position,
    doubled_letter_case,
    lone_capitals,
    looks_like_ocr,
)
from vnocr.restore.foreign import ForeignSpeller
from vnocr.restore.labels import relabel, with_symbol_labels
from vnocr.restore.merged import MergedWordSplitter
from vnocr.restore.network import COPY, RestoreArchitecture, RestoreNetwork
from vnocr.restore.ngram import NgramTable, TrigramLM
from vnocr.restore.specks import SpeckFinder, token_end
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.restore.vocab import ends_sentence, mid_sentence
from vnocr.result import Change
from vnocr.text import (
    Token,
    apply_case,
    detect_tone_style,
    key_of,
    normalize_tone,
    strip_marks,
    tokenize,
)

log = logging.getLogger(__name__)

# Channel and fusion parameters per input regime; tuned on the dev sets by
# scripts/tune_decoder.py and stored in config.decode_weights.
DEFAULT_PARAMS: dict[str, dict[str, float]] = {
    # text whose marks are absent or unreliable (stripped, eng-OCR)
    "plain": {
        "keep_accented": -1.0, "keep_plain": 0.0, "copy_word": -1.5, "copy_debris": -3.5,
        "strip": 0.0, "add_marks": 0.0, "change_marks": -1.5, "fuzzy": -3.5,
        "fuzzy_marks": -0.3, "net_only": -7.0, "w_lm": 0.5, "w_net": 0.140625,
        "w_channel": 1.0, "table": 0.0, "char_w": 0.5, "char_bias": -1.5, "unk_lm": -5.5,
        "digit_word": 0.0, "conf_unsure": 0.0, "conf_sure": 0.0, "marks_channel": 0.0,
    },
    # text with marks that are mostly right (vie-OCR, typed Vietnamese)
    "accented": {
        "keep_accented": 0.0, "keep_plain": 0.0, "copy_word": -2.0, "copy_debris": -6.0,
        "strip": -3.0, "add_marks": -8.0, "change_marks": -3.5, "fuzzy": -3.0,
        "fuzzy_marks": -0.5, "net_only": -7.5, "w_lm": 0.5, "w_net": 0.0, "w_channel": 1.0,
        "table": -1.0, "char_w": 1.0, "char_bias": 1.0, "unk_lm": -2.0, "digit_word": -1.0,
        "conf_unsure": 0.0, "conf_sure": 0.0, "marks_channel": 0.0,
    },
}
# An OCR word confidence at least this high marks a word Tesseract is sure of: on the
# photocopy dev pages 1.2 % of such words are wrong, 37 % of the others.
CONF_SURE = 0.85
DOUBTED_SHARE = 0.02  # ... of a page's words: a damaged page, whose doubts mean misreads
DOUBTED_SPECK = 0.5  # a lone letter or mark at a line's edge doubted this much: a speck
# Which learned OCR confusions feed the channel of each regime.
REGIME_NOISE = {"plain": "eng", "accented": "vie"}
# Share of words with Vietnamese-only marks: about 45 % in Vietnamese text, near 0 in
# stripped text and in eng-OCR output.
ACCENTED_THRESHOLD = 0.15
SHORT_TEXT = 20  # words; below this the ratio of marked words says little
LOST_MARKS_SHARE = 0.1  # words that lost their marks (see _lost_marks): plain text
LOST_MARKS_MIN = 2  # ... and at least this many: one `la` in a short line says little
LOST_MARKS_RATIO = 3.0  # log counts: a marked reading e^3 = 20x as frequent as the unmarked
_LETTERS = re.compile(r"[^\W\d_]+")
# eng-OCR's print of a mark it could not place, glued after the word; then nothing but
# punctuation up to the token's end (see _glued_mark_debris)
_MARK_DEBRIS = re.compile(
    f"(?:[{''.join(sorted(GLUED_MARKS))}]+|’)" + r"(?=[,.;:!?)\]\"”…]*$)")
_VIETNAMESE_ONLY = re.compile("[\u0306\u031b\u0309\u0303\u0323đĐ]")
SINGLE_READING = -6.0  # channel score: eng dev merged pairs ≤ -6.1 (or none), debris of one syllable ≥ -5.6
BEAM = 10
GROUP_SLOTS = 10_000  # tokens decoded together (see _groups)
STREAM_CUT = 500  # tokens: a longer stream with no sentence end is cut (see _cut_here)
NET_TOPK = 4
# A network proposal may drop at most this many of a token's letters and digits: OCR
# debris loses a symbol or two (`d3` đã, `nhi€ém` nhiệm), never a word glued on
# (`ty'TNHH` read as ty would lose the TNHH)
PROPOSAL_LOST_CHARS = 2
PROPOSE_CHUNK = 512  # tokens whose full-vocabulary scores are computed at once (15 MB)
NET_SCORE_CHUNK = 1024  # tokens whose candidates' network scores are computed at once
# A candidate this far below its token's best channel + network score is never chosen
# (all dev sets: none beyond 8 on eng-OCR and photocopies, 2 of 177k stripped tokens
# beyond 8, none beyond 10); dropping it spares the search 12 % of eng-OCR candidates.
STATIC_MARGIN = 10.0
_NO_TOP = np.zeros(0, dtype=np.int64)


@dataclass
class RestoredLine:
    text: str
    changes: list[Change] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)
    # Where specks were cut (see specks.py): the input line without them, token-aligned
    # with `text` (what the dictionary pass compares with), and how many characters and
    # tokens of the input it lacks before its first kept token.
    aligned_input: str | None = None
    shift: tuple[int, int] = (0, 0)


@dataclass
class _Slot:
    """One token of a paragraph stream awaiting a decision."""

    line: int
    index: int
    token: Token
    conf: float | None
    net: tuple | None = None  # network state, its top ids (empty: not computed)
    ends: bool = False  # the token closes a sentence
    mid: bool = False  # mid-sentence, not first on its line (see vocab.mid_sentence)
    # first on its line, and the line before ended on a small letter, nothing after it
    runs_on: bool = False
    lone_caps: bool = False  # in capitals, in a line of small letters, its neighbours not
    prev: _Slot | None = None  # the slot before in the stream, decided before this one
    choice: int = -1  # the decoded output id
    surface: str | None = None  # ... and the word written for it
    ids: np.ndarray | None = None  # candidate out ids
    lm_ids: np.ndarray | None = None
    static: np.ndarray | None = None  # channel + network score per candidate


class Restorer:
    """Loaded once per process (see `load_restorer`); thread-compatible, not thread-safe."""

    def __init__(self, model: RestoreArchitecture, tok: RestoreTokenizer) -> None:
        # One intra-op thread: the network is small, and batch workers run one per core;
        # spinning OpenMP threads on a busy machine cost far more than they bring.
        torch.set_num_threads(int(os.environ.get("VNOCR_TORCH_THREADS", "1")))
        self.model = model.float().eval()
        self._out_embed = self.model.out_embed.weight.detach().numpy()
        self._out_bias = self.model.out_bias.detach().numpy()
        self._out_len = np.array([len(w) for w in tok.vocab])
        title_share = (
            self.model.title_share.float().numpy() if model.config.case_counts
            else np.full(model.config.out_vocab_size, 0.5, dtype=np.float32)  # older folder
        )
        self.tok = tok
        weights = dict(model.config.decode_weights or {})
        self.params = {r: {**DEFAULT_PARAMS[r], **weights.get(r, {})} for r in DEFAULT_PARAMS}
        buf = {k: v.numpy() for k, v in model.named_buffers()}
        self.lm = TrigramLM(
            buf["unigram_logc"].astype(np.float32),
            NgramTable(buf["bigram_keys"].view(np.uint32), buf["bigram_logc"]),
            NgramTable(buf["trigram_keys"].view(np.uint32), buf["trigram_logc"]),
        )
        self.abbreviations = AbbreviationSpeller(tok.lm_index, self.lm.uni)
        self.specks = SpeckFinder(tok.lm_index, self.lm)
        self.merged = MergedWordSplitter(tok, self.lm)
        self.foreign = ForeignSpeller(tok.lm_index, self.lm.uni)
        log_freq = self.lm.uni[tok.out_to_lm].astype(float).tolist()
        self._log_freq = log_freq
        self.generators = {}
        self.channels = {r: char_channel(noise) for r, noise in REGIME_NOISE.items()}
        self.casing = CaseChooser(tok, self.lm, title_share, self.channels)
        for r, p in self.params.items():
            noise = REGIME_NOISE[r]
            self.generators[r] = CandidateGenerator(
                tok, p, noise_tables(noise).get("tokens"), self.channels[r], log_freq,
                copy_form=self.abbreviations.spell if r == "plain" else None,
            )

    @classmethod
    def from_pretrained(cls, model_dir: str | Path) -> Restorer:
        model_dir = Path(model_dir)
        if not (model_dir / "config.json").is_file():
            raise ModelLoadError(f"no restoration model in {model_dir} (config.json missing)")
        try:
            model = RestoreNetwork.from_pretrained(model_dir)
            tok = RestoreTokenizer.from_dir(model_dir, model.config.max_chars)
        except (OSError, ValueError, KeyError, RuntimeError, SafetensorError) as e:
            raise ModelLoadError(f"cannot load the model in {model_dir}: {e}") from e
        return cls(model, tok)

    # -- public -----------------------------------------------------------------------
    def set_param(self, regime: str, name: str, value: float) -> None:
        """Change one decoding weight (the tuner, benchmarks); memoised candidates, which
        carry channel weights, are dropped."""
        self.params[regime][name] = value
        self.generators[regime].forget()

    def restore(
        self,
        lines: list[str],
        confidences: list[list[float] | None] | None = None,
        *,
        tone_style: str = "auto",
        min_confidence: float = 0.0,
        batch_size: int = 16,
        regime: str | None = None,
    ) -> list[RestoredLine]:
        """Restore every line; `confidences` are OCR word confidences (0..1) per token.

        `tone_style` "auto" keeps the convention of accented input (a document typed in
        hoá/thuỷ stays so) and writes the old one (hóa/thủy) for plain input, whose
        marks are missing or OCR's."""
        toks = [tokenize(line) for line in lines]
        regime = regime or self.detect_regime(toks)
        ocr_text = regime == "plain" and looks_like_ocr(toks, self.tok.is_syllable)
        if ocr_text:
            toks = [[_symbol_word(t) for t in line_toks] for line_toks in toks]
        toks = [with_symbol_labels(line_toks) for line_toks in toks]
        labels = relabel(toks)
        if tone_style == "auto":
            tone_style = detect_tone_style(lines) if regime == "accented" else "old"
        params = self.params[regime]
        gen = self.generators[regime]
        doubts = regime == "accented" and damaged_page(confidences)
        edges = [
            self.specks.edges(t, accented=regime == "accented", ocr=ocr_text,
                              doubted=_doubted_specks(confidences, li, len(t)) if doubts else None)
            for li, t in enumerate(toks)
        ]
        split = partial(self._merged_cut, regime=regime, ocr_text=ocr_text, gen=gen)
        # line → token index → [(part token, new text, confidence)]
        per_line: list[dict[int, list[tuple[Token, str, float]]]] = [{} for _ in lines]
        for streams in _groups(self._streams(toks, confidences, edges, split, ocr_text,
                                                   regime == "accented")):
            self._score_network(streams, batch_size)
            slots = [slot for stream in streams for slot in stream]
            for slot in slots:
                self._candidates(slot, gen, params, doubts)
            self._finish_scores(slots, params["w_net"])
            for slot, choice, conf in self._decode_all(streams, params):
                slot.choice = choice
                new = slot.surface = self._surface(slot, choice, tone_style, regime, ocr_text,
                                                   labels.get((slot.line, slot.index)),
                                                   doubted=doubts and _ocr_unsure(slot))
                per_line[slot.line].setdefault(slot.index, []).append((slot.token, new, conf))
            for slot in slots:  # the next group's slots still point back at these
                slot.net = slot.ids = slot.lm_ids = slot.static = None
        return [
            self._assemble(li, line, toks[li], per_line[li], min_confidence, regime, edges[li])
            for li, line in enumerate(lines)
        ]

    def _merged_cut(
        self, core: str, lead: str, *, regime: str, ocr_text: bool, gen: CandidateGenerator
    ) -> int | None:
        """Where two merged syllables part in `core` (see merged.py); None when it is no
        such pair. In text with trustworthy marks (vie-OCR, typed Vietnamese) and in
        eng-OCR text; plain text typed without marks is as its writer wrote it."""
        if regime == "accented":
            return self.merged.split(core, lead)
        if not ocr_text:
            return None
        # the cheap, memoised test first: it rejects nearly every token, and the
        # one-syllable reading would otherwise be searched for every token with an empty
        # trail beside its real one (another memo entry)
        cut = self.merged.split_plain(core)
        return cut if cut is not None and self._no_single_reading(core, gen) else None

    @staticmethod
    def _no_single_reading(core: str, gen: CandidateGenerator) -> bool:
        """No syllable explains the token better than SINGLE_READING (a merged pair
        has none: `thiétké`; debris of one syllable has: `gido` is giáo)."""
        found = gen.for_token(core, "", False)
        readings = found.channel[found.ids != COPY]
        return not len(readings) or float(readings.max()) < SINGLE_READING

    def detect_regime(self, toks: list[list[Token]]) -> str:
        """'accented' when marks look trustworthy, else 'plain' (stripped, eng-OCR, or
        typed with only some marks: see `_lost_marks`).

        Counts only marks an English-model OCR does not produce (ă ơ ư đ, hook, tilde,
        dot below): eng-OCR text is full of é but almost never has these. A short text
        (a title, one line) may have none of them: there marks other than é, all on real
        syllables, mean typed Vietnamese (`Thu Huyền`, `khác.`)."""
        words = [w for line in toks for t in line for w in _LETTERS.findall(t.core)]
        if not words:
            return "accented"
        lost = self._lost_marks(words)
        if lost >= LOST_MARKS_MIN and lost >= LOST_MARKS_SHARE * len(words):
            return "plain"  # typed with only some marks: the rest must be restored
        marked = sum(bool(_VIETNAMESE_ONLY.search(unicodedata.normalize("NFD", w)))
                     for w in words)
        if len(words) < SHORT_TEXT:
            with_marks = [w for w in words if strip_marks(w) != w]
            # é is the one mark Tesseract's English model prints (measured on the eng
            # dev pages); any other, on real syllables only, is typed Vietnamese
            other_marks = any(strip_marks(w) != w.replace("é", "e").replace("É", "E")
                              for w in with_marks)
            if marked or other_marks and all(self.tok.is_syllable(w) for w in with_marks):
                return "accented"
            return "plain"
        return "accented" if marked / len(words) >= ACCENTED_THRESHOLD else "plain"

    def _lost_marks(self, words: list[str]) -> int:
        """How many words are written without marks where the corpus writes their letters
        with marks far more often (`duoc`, `cua`, `la`: được, của, là): the marks were
        lost. As a share of the words, in documents of 40 lines: at most 1.6 % in
        Vietnamese text, clean or OCR'd, over 20 % in text typed with only some marks,
        over 50 % stripped (dev sets)."""
        lost = 0
        for w in words:
            if strip_marks(w) != w:
                continue
            low = w.lower()
            own = self.tok.out_index.get(low, 0)
            best = max((self._log_freq[i] for i in self.tok.by_key.get(key_of(low), ())
                        if i != own), default=None)
            if best is not None and (not own or self._log_freq[own] < best - LOST_MARKS_RATIO):
                lost += 1
        return lost

    # -- steps ------------------------------------------------------------------------
    def _streams(self, toks, confidences, edges, split: Callable[[str, str], int | None] | None = None,
                 ocr_text: bool = False, accented: bool = False) -> list[list[_Slot]]:
        """Sentences as token streams; context crosses line ends, not blank lines.
        Specks at a line's edges (`edges`: how many at its start and end) are left out.
        `split(core, lead)`, where given, finds two merged syllables in a token
        (`hợpgiữa`: see merged.py): they are two slots, written back with a space.
        `ocr_text`: eng-OCR text, whose apostrophes may stand for spaces; `accented`: text
        whose marks are trustworthy (both for split_glued)."""
        streams: list[list[_Slot]] = []
        current: list[_Slot] = []
        last: _Slot | None = None  # the slot before, also across a cut of a long stream
        for li, line_toks in enumerate(toks):
            if not line_toks:
                if current:
                    streams.append(current)
                    current = []
                last = None
                continue
            confs = confidences[li] if confidences and li < len(confidences) else None
            prev_trail = None  # a line's first word may open a heading or a paragraph
            lead, trail = edges[li]
            lone_caps = lone_capitals(line_toks)
            for ti, t in enumerate(line_toks):
                if ti < lead or ti >= len(line_toks) - trail:
                    continue
                if not t.core:
                    prev_trail = None
                    continue
                conf = confs[ti] if confs is not None and ti < len(confs) else None
                parts = split_glued(t.core, ocr_gaps=ocr_text, accented=accented)
                mid = mid_sentence(prev_trail, t.lead)
                runs_on = (prev_trail is None and last is not None and not t.lead
                           and _runs_on(last.token))
                prev_trail = t.trail
                cut = split(t.core, t.lead) if split and len(parts) == 1 else None
                if cut is not None:
                    for offset, part, after in ((0, t.core[:cut], ""),
                                                (cut, t.core[cut:], t.trail)):
                        sub = Token(t.core_start + offset, "", part, after)
                        current.append(_Slot(li, ti, sub, conf, mid=mid or offset > 0,
                                             runs_on=runs_on and not offset, prev=last))
                        last = current[-1]
                elif len(parts) == 1:
                    current.append(_Slot(li, ti, t, conf, mid=mid, runs_on=runs_on,
                                         lone_caps=lone_caps[ti], prev=last))
                else:
                    for k, (offset, part) in enumerate(parts):
                        end = offset + len(part)
                        nxt = parts[k + 1][0] if k + 1 < len(parts) else len(t.core)
                        sub = Token(t.core_start + offset, "", part, t.core[end:nxt] or t.trail)
                        current.append(_Slot(li, ti, sub, conf))
                last = current[-1]
                if ends_sentence(t.trail):
                    current[-1].ends = True
                    # Sentences are searched side by side (see _decode_all); the LM
                    # restarts its context at a sentence start anyway.
                    streams.append(current)
                    current = []
                    last = None
                elif _cut_here(current, ti == len(line_toks) - trail - 1):
                    streams.append(current)
                    current = []
        if current:
            streams.append(current)
        return streams

    @torch.inference_mode()
    def _score_network(self, streams: list[list[_Slot]], batch_size: int) -> None:
        """The network's state for every slot, and its top predictions where it may
        propose words of its own (tokens that are no syllable as written).

        Scoring the full output vocabulary is most of the network's cost, so it is done
        only for those tokens; a candidate's log-probability is computed later from the
        state, normalised over the token's candidates (`_finish_scores`)."""
        window = self.model.config.max_tokens
        chunks = [s[i : i + window] for s in streams for i in range(0, len(s), window)]
        chunks.sort(key=len)
        for b in range(0, len(chunks), batch_size):
            batch = chunks[b : b + batch_size]
            # OCR confidences are not given to the network yet: it was trained on text
            # without them, so a real confidence would be an input it has never seen.
            enc = self.tok.encode([[s.token.core for s in c] for c in batch])
            hidden = self.model.encode(**enc).float().numpy()
            for ci, chunk in enumerate(batch):
                for si, slot in enumerate(chunk):
                    slot.net = (hidden[ci, si], _NO_TOP)
        proposing = [
            slot for stream in streams for slot in stream
            if len(slot.token.core) > 1 and not self.tok.is_syllable(slot.token.core)
        ]
        # In slices: a (tokens x vocabulary) logit matrix for a whole long document
        # would take gigabytes.
        for start in range(0, len(proposing), PROPOSE_CHUNK):
            chunk = proposing[start : start + PROPOSE_CHUNK]
            h = torch.from_numpy(np.stack([slot.net[0] for slot in chunk]))
            logits = torch.addmm(self.model.out_bias, h, self.model.out_embed.weight.T)
            # torch's top-k: numpy's argpartition over the vocabulary took 8x as long.
            # A copy: its indices are a view into a (chunk x vocabulary) buffer, which
            # every slot's row would keep alive (+330 MB on a 7,768-line document).
            top = torch.topk(logits, NET_TOPK, dim=1, sorted=False).indices.numpy().copy()
            for slot, ids in zip(chunk, top):
                slot.net = (slot.net[0], ids)

    def _finish_scores(self, slots: list[_Slot], w_net: float) -> None:
        """Add the network's log-probability of each candidate, normalised over the
        token's candidates (training contrasted targets with their same-key syllables,
        much like this), to the slots' static scores; then drop the candidates that
        trail their token's best by more than STATIC_MARGIN.

        All candidates of many slots at once, as flat arrays with a softmax per slot:
        a few numpy calls for a thousand tokens instead of six for each one."""
        for start in range(0, len(slots), NET_SCORE_CHUNK):
            chunk = slots[start : start + NET_SCORE_CHUNK]
            sizes = np.array([len(slot.ids) for slot in chunk])
            firsts = np.cumsum(sizes) - sizes
            owner = np.repeat(np.arange(len(chunk)), sizes)
            static = np.concatenate([slot.static for slot in chunk])
            if w_net:
                ids = np.concatenate([slot.ids for slot in chunk])
                hidden = np.stack([slot.net[0] for slot in chunk])
                logits = (np.einsum("nd,nd->n", self._out_embed[ids], hidden[owner])
                          + self._out_bias[ids])
                top = np.maximum.reduceat(logits, firsts)
                log_norm = top + np.log(np.add.reduceat(np.exp(logits - top[owner]), firsts))
                static = static + w_net * (logits - log_norm[owner])
            keep = static >= np.maximum.reduceat(static, firsts)[owner] - STATIC_MARGIN
            pruned = np.add.reduceat(~keep, firsts) > 0
            for slot, first, size, cut in zip(chunk, firsts.tolist(), sizes.tolist(),
                                              pruned.tolist()):
                slot.static = static[first : first + size]
                if cut:
                    mask = keep[first : first + size]
                    slot.static, slot.ids, slot.lm_ids = (
                        slot.static[mask], slot.ids[mask], slot.lm_ids[mask])

    def _candidates(
        self, slot: _Slot, gen: CandidateGenerator, p: dict[str, float], doubts: bool = False
    ) -> None:
        """The slot's candidates and their static scores. `doubts`: the OCR's low word
        confidences mark likely misreads (see `damaged_page`)."""
        accented = p is self.params["accented"]
        unsure = doubts and _ocr_unsure(slot)
        found = gen.for_token(slot.token.core, slot.token.trail, accented, unsure)
        ids, lm_ids, channel = found.ids, found.lm_ids, found.channel
        if not found.kept and len(slot.net[1]):
            # Only a token that is no syllable as written may become an unrelated one
            # (`_score_network` proposes for those only): valid syllables change only
            # their marks (no invented words in clean text).
            # (sets, not np.setdiff1d: on four ids numpy's overhead was 5 % of the run)
            extra = np.array(sorted(set(slot.net[1].tolist()).difference(ids.tolist())),
                             dtype=np.int64)
            shortest = sum(c.isalnum() for c in slot.token.core) - PROPOSAL_LOST_CHARS
            extra = extra[self._out_len[extra] >= shortest]
            if len(extra):
                ids = np.concatenate((ids, extra))
                lm_ids = np.concatenate((lm_ids, self.tok.out_to_lm[extra]))
                channel = np.concatenate((channel, np.full(len(extra), p["net_only"])))
        slot.ids = ids
        slot.lm_ids = lm_ids
        slot.static = p["w_channel"] * channel  # the network's share: _finish_scores
        if doubts and slot.conf is not None and len(ids) > 1:
            # every candidate but the first (the word as written) changes the word:
            # cheaper where the OCR was unsure, dearer where it was sure
            shift = p["conf_sure"] if slot.conf >= CONF_SURE else p["conf_unsure"]
            slot.static[1:] += shift

    def _decode_all(self, streams: list[list[_Slot]], p: dict[str, float]):
        """Beam search over all streams at once, position by position.

        Same search as one stream at a time, but each step is a handful of numpy calls
        for the whole document instead of per paragraph: numpy's per-call overhead, not
        arithmetic, is what a token costs here. Yields (slot, chosen out id, confidence);
        the confidence is the local posterior of the choice among its token's candidates
        given the chosen path's context (scores the search already computed).
        """
        streams = [s for s in streams if s]
        if not streams:
            return
        bos = self.tok.lm_bos
        w_lm = p["w_lm"]
        lengths = np.array([len(s) for s in streams])
        # Flattened beam: one entry per (stream, state), grouped by stream.
        seg = np.arange(len(streams))
        a = np.full(len(streams), bos, dtype=np.int64)
        b = a.copy()
        score = np.zeros(len(streams))
        # per step: (seg, parent, cand, local, each state's first combo and combo count,
        # state) of the states kept
        history = []
        for t in range(int(lengths.max())):
            active = lengths[seg] > t
            seg, a, b, score = seg[active], a[active], b[active], score[active]
            parent_ids = np.flatnonzero(active)
            # Per stream still running: its token t's candidates, concatenated.
            live = np.flatnonzero(lengths > t)
            slots = [streams[i][t] for i in live]
            n_live = np.array([len(x.ids) for x in slots])
            first_cand = np.cumsum(n_live) - n_live
            lm_all = np.concatenate([x.lm_ids for x in slots])
            static_all = np.concatenate([x.static for x in slots])
            ends_live = np.array([x.ends for x in slots])
            pos = np.searchsorted(live, seg)  # each state's stream among the live ones
            n = n_live[pos]
            state = np.repeat(np.arange(len(seg)), n)
            cand = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
            flat = first_cand[pos[state]] + cand
            cc = lm_all[flat]
            local = w_lm * self.lm.score(a, b, cc, state) + static_all[flat]
            total = score[state] + local
            ends = ends_live[pos[state]]
            bb = b[state]
            new_a = np.where(ends, cc, bb)
            new_b = np.where(ends, bos, cc)
            combo_seg = seg[state]
            # Best state per (stream, context), then the best BEAM per stream.
            order = np.lexsort((-total, combo_seg))
            key = (combo_seg[order] << 42) | (new_a[order] << 21) | new_b[order]
            _, first = np.unique(key, return_index=True)
            kept = order[np.sort(first)]
            ks = combo_seg[kept]
            rank = np.arange(len(kept)) - np.searchsorted(ks, ks)
            kept = kept[rank < BEAM]
            history.append((combo_seg[kept], parent_ids[state[kept]], cand[kept], local,
                            np.cumsum(n) - n, n, state[kept]))
            seg, a, b, score = combo_seg[kept], new_a[kept], new_b[kept], total[kept]
        first = np.cumsum(lengths) - lengths  # each stream's first token, streams concatenated
        choices, confidences = self._backtrace(history, lengths, first)
        for s_idx, stream in enumerate(streams):
            at = int(first[s_idx])
            for tt, slot in enumerate(stream):
                yield slot, int(slot.ids[choices[at + tt]]), float(confidences[at + tt])

    @staticmethod
    def _backtrace(
        history: list[tuple], lengths: np.ndarray, first: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The best path of every stream, followed back from its last token, all streams
        at each step together: per token (streams concatenated, stream s from first[s])
        the chosen candidate's index and its local posterior among the token's
        candidates."""
        choices = np.empty(int(lengths.sum()), dtype=np.int64)
        confidences = np.empty(int(lengths.sum()))
        k = np.zeros(len(lengths), dtype=np.int64)  # each stream's state at the step
        for tt in range(int(lengths.max()) - 1, -1, -1):
            kseg, parent, cand, local, offsets, n_cands, kstate = history[tt]
            ending = np.flatnonzero(lengths == tt + 1)
            # a stream's best final state: the first of its segment at its last step
            k[ending] = np.searchsorted(kseg, ending)
            live = np.flatnonzero(lengths > tt)
            here = k[live]
            c = cand[here]
            rows, sizes = offsets[kstate[here]], n_cands[kstate[here]]
            starts = np.cumsum(sizes) - sizes
            values = local[np.arange(sizes.sum()) - np.repeat(starts - rows, sizes)]
            values = np.exp(values - np.repeat(np.maximum.reduceat(values, starts), sizes))
            choices[first[live] + tt] = c
            confidences[first[live] + tt] = values[starts + c] / np.add.reduceat(values, starts)
            k[live] = parent[here]
        return choices, confidences

    def _surface(
        self, slot: _Slot, out_id: int, tone_style: str, regime: str, ocr_text: bool,
        label: str | None = None, doubted: bool = False,
    ) -> str:
        """The word written for the slot; `label`: the list label a misread one stands
        for (see labels.py); `doubted`: the OCR doubted the word, on a damaged page."""
        core = slot.token.core
        if label is not None:
            return label.upper() if core.isupper() else label
        if out_id == COPY:
            core = colon_thousands(core)
            if regime == "accented" and not core.isupper():
                # a foreign word misread by one letter: the corpus's word (`Netfix` →
                # Netflix, see foreign.py); abbreviations have their own rules
                respelt = self.foreign.respell(core, doubted=doubted)
                if respelt is not None:
                    return respelt
            # marks in accented text are trustworthy: a DH there is written so on purpose
            return self.abbreviations.spell(core) if regime == "plain" else doubled_letter_case(core)
        word = self.tok.vocab[out_id]
        if tone_style == "new":
            word = normalize_tone(word, "new")
        prev = slot.prev
        where = Position(slot.mid, slot.runs_on, prev.surface if prev else None,
                         prev.choice if prev else -1, slot.lone_caps, doubted)
        case = output_case(core)
        if case == "title" and len(core) == 1 and _in_capitals(prev):
            case = "upper"  # a one-letter word in a line of capitals: `NHÀ VƯỜN Ở MIỀN`
        return apply_case(word, self.casing.case(core, word, out_id, where, case,
                                                 regime, ocr_text))

    def _assemble(
        self, li, line, toks, decided, min_confidence, regime, edges
    ) -> RestoredLine:
        """Put each token's new core into the line; everything around cores stays, except
        mark debris that eng-OCR glued to a word (`lệ¢`, `gỡ&`), in plain text, and the
        specks at the line's edges (`edges`), which go with the space that parts them
        from the text."""
        lead, trail = edges
        kept = range(lead, len(toks) - trail)
        out = []
        changes: list[Change] = []
        confs: list[float] = []
        pos = 0
        if lead:  # from the first speck to the first kept token; indentation stays
            a, pos = toks[0].start, toks[lead].start
            out.append(line[:a])
            changes.append(_speck_change(li, 0, line, a, pos, lead))
        for ti in kept:
            t = toks[ti]
            if not t.core:
                continue
            parts = decided.get(ti, [])
            new = _replace_parts(t, parts)
            conf = min((c for _, _, c in parts), default=1.0)
            if new != t.core and conf < min_confidence:
                new = t.core
            confs.append(conf)
            cs = t.core_start
            old = t.core
            if regime == "plain" and conf >= min_confidence:
                old += _glued_mark_debris(t, new, line[:cs])
            out.append(line[pos:cs])
            out.append(new)
            pos = cs + len(old)
            if new != old:
                changes.append(Change(li, ti, cs, cs + len(old), old, new, conf, "model"))
        if trail:  # from the last kept token's end to the last speck's end
            first = len(toks) - trail
            a, b = token_end(toks[first - 1]), token_end(toks[-1])
            out.append(line[pos:a])
            changes.append(_speck_change(li, first, line, a, b, trail))
            pos = b
        out.append(line[pos:])
        restored = RestoredLine("".join(out), changes, confs)
        if lead or trail:
            start, end = toks[lead].start, token_end(toks[len(toks) - trail - 1])
            restored.aligned_input = (line[: toks[0].start] + line[start:end]
                                      + line[token_end(toks[-1]) :])
            restored.shift = (start - toks[0].start, lead)
        return restored


def damaged_page(confidences: list[list[float] | None] | None) -> bool:
    """Does the OCR doubt at least DOUBTED_SHARE of the words it gave confidences for?
    On a well-read page its doubts fall mostly on words it read right (names, foreign
    words); on a damaged one they mark its misreads. Documents of 40 dev lines: clean
    pages 0-2.0 % of words under CONF_SURE, photocopies 0.7-33.5 % (median 3.1 %)."""
    rated = [c for line in confidences or () for c in line or ()]
    return bool(rated) and sum(c < CONF_SURE for c in rated) >= DOUBTED_SHARE * len(rated)


def _doubted_specks(confidences, li: int, n: int) -> list[bool] | None:
    """Per token of line `li`: did the OCR all but rule it out (< DOUBTED_SPECK)?"""
    line = confidences[li] if li < len(confidences) else None
    if not line or len(line) != n:
        return None
    return [c < DOUBTED_SPECK for c in line]


def _ocr_unsure(slot: _Slot) -> bool:
    """The OCR gave the word a confidence under CONF_SURE."""
    return slot.conf is not None and slot.conf < CONF_SURE


def _symbol_word(token: Token) -> Token:
    """Symbols that eng-OCR prints for letters join the token's core, to be restored: a
    lone `&` or `@` (its print of ở), a bar glued before or after letters (`|é` for lễ,
    `b|` for bị). Other punctuation stays around the core."""
    if not token.core:
        if token.trail or token.lead not in SYMBOL_WORDS:
            return token
        return Token(token.start, "", token.lead, "")
    lead, core, trail = token.lead, token.core, token.trail
    if lead.endswith("|"):
        lead, core = lead[:-1], "|" + core
    if trail.startswith("|") and not trail.startswith("||"):
        core, trail = core + "|", trail[1:]
    return token if core == token.core else Token(token.start, lead, core, trail)


def _in_capitals(slot: _Slot | None) -> bool:
    """The word decided before is written in capitals (two letters or more)."""
    word = slot.surface if slot is not None else None
    return bool(word) and len(word) > 1 and word.isupper()


def _groups(streams: list[list[_Slot]]) -> Iterator[list[list[_Slot]]]:
    """Consecutive streams of about GROUP_SLOTS slots in all, decoded one group after
    the other: a slot's network state and candidates take some 3 KB, so a book-length
    text decoded at once took 1.1 GB for 200,000 words. Streams are searched
    independently, so grouping changes no output."""
    group: list[list[_Slot]] = []
    size = 0
    for stream in streams:
        group.append(stream)
        size += len(stream)
        if size >= GROUP_SLOTS:
            yield group
            group, size = [], 0
    if group:
        yield group


def _cut_here(stream: list[_Slot], line_end: bool) -> bool:
    """Does a long stream without a sentence end (a table, a list, text without full
    stops) stop after its last token? The search takes one step per token of its longest
    stream, all streams at once: one 20,000-word stream took 4x as long as the same
    words in sentences. Cut at a line end once STREAM_CUT tokens are in, anywhere at
    twice that. The next stream's LM context starts as a sentence's does, so cuts are
    rare (no output of the dev sets, in documents of 40 lines, changed)."""
    n = len(stream)
    return n >= 2 * STREAM_CUT or n >= STREAM_CUT and line_end


def _runs_on(last: Token) -> bool:
    """The line whose last token is `last` ends on a small letter, nothing after it."""
    return not last.trail and last.core[-1:].islower()


def _speck_change(li: int, ti: int, line: str, a: int, b: int, n: int) -> Change:
    """A cut speck run: a rule's decision, not the network's, hence confidence 1."""
    return Change(li, ti, a, b, line[a:b], "", 1.0, "model", ntokens=n,
                  extra={"rule": "speck"})


def _glued_mark_debris(token: Token, word: str, before: str) -> str:
    """The start of `token`'s trail that is eng-OCR's print of a mark it could not place,
    glued to the word: ¢ € & @ (`lệ¢`, `gỡ&`, `sở@`), or ’ for the horn of ư (`xt’`
    for xứ) where no ‘ opened a quotation before it. Empty when there is none, when more
    than punctuation follows (`AT&T`), or when the restored `word` has no letter
    (`100€`; `1¢` restored as lệ has one)."""
    if not _LETTERS.search(word):
        return ""
    m = _MARK_DEBRIS.match(token.trail)
    if m is None or (m.group(0) == "’" and ("‘" in before or "‘" in token.lead)):
        return ""
    return m.group(0)


def _replace_parts(token: Token, parts: list[tuple[Token, str, float]]) -> str:
    """The token's core with each decoded part (absolute offsets) replaced; parts that
    abut (merged words, see merged.py) get their space back."""
    core, base = token.core, token.core_start
    starts = {part.core_start for part, _, _ in parts}
    for part, new, _ in sorted(parts, key=lambda p: -p[0].core_start):
        a = part.core_start - base
        space = " " if part.core_start + len(part.core) in starts else ""
        core = core[:a] + new + space + core[a + len(part.core) :]
    return core
