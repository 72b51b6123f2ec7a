"""Inference: network scores + trigram LM + channel, fused in a beam search per paragraph.

Decoding is token-aligned: every input token yields exactly one output token (two where
an OCR merged two words, see merged.py), so line structure, spacing, punctuation,
numbers and codes come through by construction.

`Restorer` is the façade that loads the model and puts the steps in order; each step
lives in its own module: what kind of text it is (regime.py), the slot streams
(streams.py) and their scores (slot_scores.py), the search (decoding.py), and the
words and lines written back (assembly.py).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path

import numpy as np
from safetensors import SafetensorError

from vnocr.channel import char_channel, token_confusions
from vnocr.document import Confidences, Document, TextFacts
from vnocr.errors import ModelLoadError
from vnocr.lexicon.code_parts import code_part_spellings
from vnocr.options import network_threads
from vnocr.restore import shipped_searches
from vnocr.restore.abbreviations import AbbreviationSpeller
from vnocr.restore.ahead import scored_ahead
from vnocr.restore.assembly import (
    COMMON_PAIR,
    Decided,
    RestoredLine,
    SurfaceWriter,
    assemble_line,
)
from vnocr.restore.backend import NetworkBackend, load_backend
from vnocr.restore.candidates import CandidateGenerator
from vnocr.restore.casing import CaseChooser
from vnocr.restore.clause_ends import ClauseEnds, clause_openings
from vnocr.restore.decoding import decode_all
from vnocr.restore.doc_readings import DocumentReadings, key_index, key_shares
from vnocr.restore.document_numbers import number_labels, with_amounts, with_number_label
from vnocr.restore.foreign import ForeignSpeller
from vnocr.restore.heading_numbers import roman_headings
from vnocr.restore.labels import relabel, run_labels, with_symbol_labels
from vnocr.restore.merged import MergedWordSplitter
from vnocr.restore.name_context import NameContext
from vnocr.restore.network import CONFIG_FILE
from vnocr.restore.ngram import NgramTable, TrigramLM
from vnocr.restore.regime import RegimeDetector, doubted_specks, line_confidences, ocr_unsure
from vnocr.restore.run_on import RunOnSplitter
from vnocr.restore.slot_scores import SlotScorer
from vnocr.restore.specks import SpeckFinder, inner_specks
from vnocr.restore.streams import (
    Slot,
    build_streams,
    groups,
    merged_cuts,
    symbol_word,
    table_cells,
)
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.text import Token, tokenize

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
        "name_before": 0.25, "name_after": 0.25, "w_document": 3.0, "document_cap": 0.5,
        "clause_end": 0.4, "clause_start": 0.4, "static_margin": 8.0,
    },
    # text with marks that are mostly right (vie-OCR, typed Vietnamese)
    "accented": {
        "keep_accented": 0.0, "keep_plain": 0.0, "copy_word": -2.0, "copy_debris": -6.0,
        "strip": -3.0, "add_marks": -8.0, "change_marks": -3.5, "fuzzy": -3.0,
        "fuzzy_marks": -0.5, "net_only": -7.5, "w_lm": 0.5, "w_net": 0.0, "w_channel": 1.0,
        "table": -1.0, "char_w": 1.0, "char_bias": 1.0, "unk_lm": -2.0, "digit_word": -1.0,
        "conf_unsure": 0.0, "conf_sure": 0.0, "marks_channel": 0.0,
        "name_before": 0.0, "name_after": 0.0, "w_document": 0.0, "document_cap": 0.0,
        "clause_end": 0.4, "clause_start": 0.4, "static_margin": 10.0,
    },
}
# w_document, document_cap: the weight and cap of the document's own readings
# (doc_readings.py), chosen with doc_readings.LINES_AROUND on the stripped, partly typed
# and eng-OCR dev sets and held-out corpus lines: 3.0 and 0.5 against 1.0-4.0 and
# 0.25-1.0 (a larger bonus made the partly typed dev set worse than without the
# readings); off where marks decide.
# clause_end: the weight of a word's log-odds of ending a clause where a comma or a full
# stop follows it (clause_ends.py); chosen on the stripped, partly typed and eng-OCR dev
# sets in 40-line documents and the appendix (docs/benchmarks.md, "clause ends"): at 0.5
# the appendix's `139 tổ, bản,` became *tô, bán*; the same on both regimes (vie-OCR sets
# one error fewer, correct text unchanged).
# clause_start: the weight of a word's log-odds of opening a clause right after such a
# mark (same table; `, nhưng` not `, những`; a capital only after . ! ?): 0.4 against 0.2
# and 0.8 on the stripped, eng-OCR and mixed dev sets in 40-line documents and the
# out-of-source sets (docs/benchmarks.md, "The word after a clause's end").
# static_margin: a candidate that far below its token's best channel + network score
# leaves before the search (SlotScorer.finish_scores). No dev set chooses one 8 below in
# plain text (eng-OCR 0 of 36,672 tokens, stripped 1 of 176,771 beyond 8); the margin of
# 8 keeps 78 % of eng-OCR's candidates (97 % of stripped text's). Photocopies (accented)
# choose 2 beyond 8, none beyond 10.
# Vietnamese read by Tesseract's English model (`TextFacts.eng_ocr`) is plain text, but
# its errors are OCR's, not a typist's: config.decode_weights["eng_ocr"] holds the plain
# weights it reads differently (overrides on top of "plain"), tuned on real eng-OCR rows
# with their word confidences (scripts/tune_decoder.py --eng-ocr). None by default.
ENG_OCR = "eng_ocr"
# Which learned OCR confusions feed the channel of each regime.
REGIME_NOISE = {"plain": "eng", "accented": "vie"}
_LOG_COMMON_PAIR = math.log(COMMON_PAIR)  # see Restorer._common_pair


def key_log_count(tok: RestoreTokenizer, log_freq: list[float], key: str) -> float:
    """Corpus log count of the most frequent output syllable with these letters (-inf
    where none has them)."""
    return max((log_freq[i] for i in tok.by_key.get(key, ())), default=-math.inf)


class Restorer:
    """Loaded once per process (see `load_restorer`); thread-compatible, not thread-safe."""

    def __init__(self, network: NetworkBackend, tok: RestoreTokenizer) -> None:
        self.network = network
        config = network.config
        tables = network.take_tables()  # one copy of the counts: the LM's
        title_share = (
            tables["title_share"] if config.case_counts
            else np.full(config.out_vocab_size, 0.5, dtype=np.float32)  # older folder
        )
        self.tok = tok
        weights = dict(config.decode_weights or {})
        self.params = {r: {**DEFAULT_PARAMS[r], **weights.get(r, {})} for r in DEFAULT_PARAMS}
        # the eng-OCR weights that differ from plain's (see ENG_OCR)
        self.eng_ocr_overrides: dict[str, float] = dict(weights.get(ENG_OCR, {}))
        unknown = set(self.eng_ocr_overrides) - set(DEFAULT_PARAMS["plain"])
        if unknown:
            raise ModelLoadError(f"decode_weights.{ENG_OCR}: no such weight: "
                                 f"{', '.join(sorted(unknown))}")
        self.params[ENG_OCR] = {**self.params["plain"], **self.eng_ocr_overrides}
        self.lm = TrigramLM(
            tables["unigram_logc"],
            NgramTable(tables["bigram_keys"].view(np.uint32), tables["bigram_logc"]),
            NgramTable(tables["trigram_keys"].view(np.uint32), tables["trigram_logc"]),
        )
        del tables
        self.abbreviations = AbbreviationSpeller(tok.lm_index, self.lm.uni,
                                                  code_part_spellings())
        log_freq = self.lm.uni[tok.out_to_lm].astype(float).tolist()
        self.specks = SpeckFinder(tok.lm_index, self.lm, partial(key_log_count, tok, log_freq))
        self.merged = MergedWordSplitter(tok, self.lm)
        self.run_on = RunOnSplitter(tok, log_freq)
        self.foreign = ForeignSpeller(tok.lm_index, self.lm.uni)
        self.regimes = RegimeDetector(tok, log_freq)
        self.generators = {}
        self.channels = {r: char_channel(noise) for r, noise in REGIME_NOISE.items()}
        self.casing = CaseChooser(tok, self.lm, title_share, self.channels)
        for r in DEFAULT_PARAMS:
            p, noise = self.params[r], REGIME_NOISE[r]
            self.generators[r] = CandidateGenerator(
                tok, p, token_confusions(noise), self.channels[r], log_freq,
                copy_form=self.abbreviations.spell if r == "plain" else None,
                unit_log_counts=self.lm.uni,
            )
        # eng-OCR's twin of plain's generator: the same tables, its own weights and memos
        self.generators[ENG_OCR] = self.generators["plain"].with_params(
            self.params[ENG_OCR], reads_ocr=True)
        self.scorer = SlotScorer(network, tok)
        self.names = NameContext(tok.lm_index)
        self.clause_ends = ClauseEnds(tok.lm_index)
        self._reading_keys = key_index(tok)
        self._corpus_shares = key_shares(self._reading_keys, log_freq)
        self.writer = SurfaceWriter(tok, self.casing, self.foreign, self.abbreviations)
        # per weight set and kind of text: the generator and weights a memo of merged
        # cuts was made with, and the memo (see _merged_cuts)
        self._cut_memos: dict[tuple[str, str, bool], tuple[CandidateGenerator, tuple,
                                                            Callable[[str, str], tuple]]] = {}

    @classmethod
    def from_pretrained(cls, model_dir: str | Path) -> Restorer:
        """The folder's network (run by ONNX Runtime where it can, see
        `vnocr.restore.backend`), tables and vocabularies; raises ModelLoadError."""
        model_dir = Path(model_dir)
        if not (model_dir / CONFIG_FILE).is_file():
            raise ModelLoadError(f"no restoration model in {model_dir} ({CONFIG_FILE} missing)")
        try:
            # One intra-op thread unless told: spinning threads on a busy machine cost
            # far more than they bring.
            network = load_backend(model_dir, network_threads())
            tok = RestoreTokenizer.from_dir(model_dir, network.config.max_chars)
        except (OSError, ValueError, KeyError, RuntimeError, SafetensorError) as e:
            raise ModelLoadError(f"cannot load the model in {model_dir}: {e}") from e
        restorer = cls(network, tok)
        restorer.generators[ENG_OCR].use_shipped_searches(model_dir / shipped_searches.FILE)
        return restorer

    # -- public -----------------------------------------------------------------------
    def set_param(self, regime: str, name: str, value: float) -> None:
        """Change one decoding weight (the tuner, benchmarks) of a regime or of the
        eng-OCR set (`ENG_OCR`, which then overrides plain's); memoised candidates, which
        carry channel weights, are dropped. A plain weight eng-OCR does not override
        changes for eng-OCR text too."""
        self.params[regime][name] = value
        self.generators[regime].forget()
        if regime == ENG_OCR:
            self.eng_ocr_overrides[name] = value
        elif regime == "plain" and name not in self.eng_ocr_overrides:
            self.params[ENG_OCR][name] = value
            self.generators[ENG_OCR].forget()

    def weight_set(self, facts: TextFacts) -> str:
        """The key of `params` text with these facts is decoded with: its regime's, or
        eng-OCR's own (`ENG_OCR`)."""
        return ENG_OCR if facts.eng_ocr else facts.regime

    def detect_regime(self, toks: list[list[Token]]) -> str:
        """'accented' when marks look trustworthy, else 'plain' (see regime.py)."""
        return self.regimes.detect(toks)

    def facts(
        self, lines: Sequence[str], toks: list[list[Token]], confidences: Confidences = None,
        *, tone_style: str = "auto", regime: str | None = None,
    ) -> TextFacts:
        """What kind of text `lines` (tokenised: `toks`) is (see regime.py)."""
        return self.regimes.facts(lines, toks, confidences, tone_style=tone_style,
                                  regime=regime)

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
        facts = self.facts(lines, toks, confidences, tone_style=tone_style, regime=regime)
        return self.restore_tokens(lines, toks, confidences, facts,
                                   min_confidence=min_confidence, batch_size=batch_size)

    def restore_document(
        self, doc: Document, *, tone_style: str = "auto", min_confidence: float = 0.0,
        batch_size: int = 16, alternatives: bool = True,
    ) -> Document:
        """The restoration stage: `doc` with its text restored, its facts decided and
        its changes recorded (see `restore`; `alternatives`: see `restore_tokens`)."""
        toks = [list(line_toks) for line_toks in doc.tokens]
        facts = self.facts(doc.lines, toks, doc.confidences, tone_style=tone_style)
        restored = self.restore_tokens(doc.lines, toks, doc.confidences, facts,
                                       min_confidence=min_confidence, batch_size=batch_size,
                                       alternatives=alternatives)
        return doc.restored(restored, facts)

    def restore_tokens(
        self,
        lines: Sequence[str],
        toks: list[list[Token]],
        confidences: Confidences,
        facts: TextFacts,
        *,
        min_confidence: float = 0.0,
        batch_size: int = 16,
        alternatives: bool = True,
    ) -> list[RestoredLine]:
        """`restore` on lines already tokenised (`vnocr.text.tokenize`) whose facts are
        decided (`facts`): a document decides each once (see vnocr.document).
        `alternatives`: record each change's and each doubted kept word's next-best
        readings (`SurfaceWriter.runners_up`); the text is the same without them."""
        regime, ocr_text, doubts = facts.regime, facts.eng_ocr, facts.damaged
        if ocr_text:
            toks = [[symbol_word(t) for t in line_toks] for line_toks in toks]
        toks = [with_amounts(with_number_label(with_symbol_labels(line_toks))) for line_toks in toks]
        labels = relabel(toks) | run_labels(toks) | roman_headings(toks) | number_labels(toks)
        opening = clause_openings(toks)
        weights = self.weight_set(facts)
        params, gen = self.params[weights], self.generators[weights]
        accented = regime == "accented"
        # lines an OCR read (eng-OCR text, or word confidences): their specks and glued
        # words are the OCR's (see specks.py, assembly.py)
        read_by_ocr = [ocr_text or bool(confidences and confidences[li] is not None)
                       for li in range(len(lines))]
        line_confs = [line_confidences(confidences, li, len(t)) if confidences else None
                      for li, t in enumerate(toks)]
        edges = [
            self.specks.edges(t, accented=accented, ocr=ocr_text,
                              doubted=doubted_specks(line_confs[li]) if doubts else None,
                              read_by_ocr=read_by_ocr[li], confs=line_confs[li])
            for li, t in enumerate(toks)
        ]
        split = self._merged_cuts(weights, gen, regime, ocr_text)
        # line → token index → [(part token, new text, confidence, runners-up)]
        per_line: list[dict[int, list[Decided]]] = [{} for _ in lines]
        score = partial(self._score_network, batch_size=batch_size)
        written = partial(self._written, gen=gen, accented=accented, doubts=doubts)
        cells = [table_cells(line, t) for line, t in zip(lines, toks)]
        streamed = build_streams(toks, confidences, edges, split, ocr_text, accented,
                                 cell_starts=cells)
        readings = (DocumentReadings(self._reading_keys, self._corpus_shares,
                                     weight=params["w_document"],
                                     cap=params["document_cap"])
                    if params["w_document"] else None)
        # each group's written candidates are read here, in this thread, as the group
        # is handed to the network's thread: while it scores the group before
        for streams, network in scored_ahead(map(written, groups(streamed)), score):
            slots = [slot for stream in streams for slot in stream]
            network.result()
            for stream in streams:
                for slot in stream:
                    self.scorer.candidates(slot, gen, params, accented=accented,
                                           doubts=doubts, alone=len(stream) == 1)
            self.names.add_scores(streams, params["name_before"], params["name_after"])
            self.clause_ends.add_scores(slots, params["clause_end"], params["clause_start"],
                                        opening)
            self.scorer.finish_scores(slots, params["w_net"], params["static_margin"])
            decided = list(self._decode_all(streams, params))
            if readings is not None:
                decided = readings.reread(streams, decided,
                                          partial(self._decode_all, p=params))
            for slot, choice, conf in decided:
                slot.choice = choice
                label = labels.get((slot.line, slot.index))
                doubted = doubts and ocr_unsure(slot.conf)
                new = slot.surface = self.writer.surface(slot, choice, facts, label,
                                                         doubted=doubted)
                runners_up = (self.writer.runners_up(slot, choice, new, facts, label,
                                                     doubted=doubted)
                              if alternatives else ())
                per_line[slot.line].setdefault(slot.index, []).append(
                    (slot.token, new, conf, runners_up))
            for slot in slots:  # the next group's slots still point back at these
                slot.net = slot.ids = slot.lm_ids = slot.static = slot.posteriors = None
                slot.written = None
        return [
            assemble_line(li, line, toks[li], per_line[li], min_confidence, regime, edges[li],
                          ocr=read_by_ocr[li],
                          common_pair=self._common_pair if ocr_text else None,
                          inner=inner_specks(toks[li], edges[li], line_confs[li]))
            for li, line in enumerate(lines)
        ]

    def _common_pair(self, first: str, second: str) -> bool:
        """Whether the corpus has syllables `first` and `second` side by side at least
        `assembly.COMMON_PAIR` times (any case): eng-OCR's hyphen between them is then a
        speck, not a loan word's (see `assembly._replace_parts`)."""
        return self.specks.pair_seen(first, second, _LOG_COMMON_PAIR)

    def _merged_cuts(
        self, weights: str, gen: CandidateGenerator, regime: str, ocr_text: bool,
    ) -> Callable[[str, str], tuple[int, ...]]:
        """`streams.merged_cuts` for text of this kind read with `gen`, kept from one
        text to the next: a run-on search (eng-OCR's long tokens) is not repeated for
        each document. A cut depends on `gen`'s weights, which `set_param` and the tuner
        change in place, so they are part of what the memo is kept with."""
        made_with = (gen, tuple(gen.p.items()))
        kept = self._cut_memos.get((weights, regime, ocr_text))
        if kept is None or kept[0] is not gen or kept[1] != made_with[1]:
            split = merged_cuts(self.merged, gen, regime=regime, ocr_text=ocr_text,
                                run_on=self.run_on)
            kept = self._cut_memos[(weights, regime, ocr_text)] = (*made_with, split)
        return kept[2]

    def _written(
        self, streams: list[list[Slot]], gen: CandidateGenerator, *, accented: bool,
        doubts: bool,
    ) -> list[list[Slot]]:
        """`streams` with every slot's written candidates read (`SlotScorer.
        written_candidates`): the network proposes words only for tokens not kept."""
        for stream in streams:
            for slot in stream:
                self.scorer.written_candidates(slot, gen, accented=accented, doubts=doubts)
        return streams

    # -- steps the tuner and the tests replace on an instance -------------------------
    def _score_network(self, streams: list[list[Slot]], batch_size: int) -> None:
        """Network states for every slot (see `SlotScorer.score_network`); a method of
        its own so that scripts/tune_decoder.py can memoise it per instance."""
        self.scorer.score_network(streams, batch_size)

    def _decode_all(
        self, streams: list[list[Slot]], p: dict[str, float]
    ) -> Iterator[tuple[Slot, int, float]]:
        """The beam search over all streams (see decoding.py), with the weights `p`."""
        return decode_all(streams, self.lm, self.tok.lm_bos, p["w_lm"])
