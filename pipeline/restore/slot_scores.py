"""Each slot's candidates and their static scores: channel, network, OCR confidence.

Static means independent of the path the search takes (the LM's share is added there,
see decoding.py). The network's state is computed for every slot, and its full
vocabulary scored only where it may propose words of its own.
"""

from __future__ import annotations

import numpy as np

from vnocr.restore.backend import NetworkBackend
from vnocr.restore.candidates import CandidateGenerator, TokenCandidates
from vnocr.restore.network import COPY
from vnocr.restore.regime import CONF_SURE, ocr_unsure
from vnocr.restore.streams import Slot
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.text import has_syllable_shape, key_of

NET_TOPK = 4
# A network proposal may drop at most this many of a token's letters and digits: OCR
# debris loses a symbol or two (`d3` đã, `nhi€ém` nhiệm), never a word glued on
# (`ty'TNHH` read as ty would lose the TNHH)
PROPOSAL_LOST_CHARS = 2
PROPOSE_CHUNK = 512  # tokens whose full-vocabulary scores are computed at once (15 MB)
NET_SCORE_CHUNK = 1024  # tokens whose candidates' network scores are computed at once
_NO_TOP = np.zeros(0, dtype=np.int64)


def network_form(slot: Slot) -> str:
    """The token as the network reads it: a heading's capitals as small letters. The
    network learned capitals from running text, where a word in capitals is mostly an
    abbreviation, so in a heading every word read as one (`KHAI QUAT` came out as
    khai quật, `khai quat` as khái quát); in a heading capitals tell nothing apart.
    scripts/bench_capitals.py, eng_caps_plain: 4,662 → 4,573 syllable errors."""
    return slot.token.core.lower() if slot.heading else slot.token.core


def _foreign_looking(core: str) -> bool:
    """In text whose marks are right: a word of four letters or more, none marked, that no
    Vietnamese syllable could be (`logic`, `video`): a foreign word, or debris the
    channel's search already reads; the network, proposing from context alone, would
    put any word there (`toán logic` → toán được)."""
    return len(core) >= 4 and core.isalpha() and core.isascii() and not has_syllable_shape(core)


class SlotScorer:
    """Scores slots with one network (its output layer kept as numpy arrays)."""

    def __init__(self, network: NetworkBackend, tok: RestoreTokenizer) -> None:
        self.network = network
        self.tok = tok
        self._out_embed = network.out_embed
        self._out_bias = network.out_bias
        self._out_len = np.array([len(w) for w in tok.vocab])

    def score_network(self, streams: list[list[Slot]], batch_size: int) -> None:
        """The network's state for every slot, and its top predictions where it may
        propose words of its own: tokens that are no syllable as written, and not kept
        as they are where their written candidates are known already (`candidates`
        adds no proposal to a kept token).

        Scoring the full output vocabulary is most of the network's cost, so it is done
        only for those tokens; a candidate's log-probability is computed later from the
        state, normalised over the token's candidates (`finish_scores`)."""
        window = self.network.config.max_tokens
        chunks = [s[i : i + window] for s in streams for i in range(0, len(s), window)]
        chunks.sort(key=len)
        for rows in self.network.batches([len(c) for c in chunks], batch_size):
            batch = chunks[rows.start : rows.stop]
            # OCR confidences are not given to the network yet: it was trained on text
            # without them, so a real confidence would be an input it has never seen.
            enc = self.tok.encode_arrays([[network_form(s) for s in c] for c in batch])
            hidden = self.network.states(**enc)
            for ci, chunk in enumerate(batch):
                for si, slot in enumerate(chunk):
                    slot.net = (hidden[ci, si], _NO_TOP)
        proposing = [
            slot for stream in streams for slot in stream
            if len(slot.token.core) > 1 and not self.tok.is_syllable(slot.token.core)
            and (slot.written is None or not slot.written.kept)
        ]
        # In slices: a (tokens x vocabulary) logit matrix for a whole long document
        # would take gigabytes.
        for start in range(0, len(proposing), PROPOSE_CHUNK):
            chunk = proposing[start : start + PROPOSE_CHUNK]
            # each slot's row of `top` keeps the whole (chunk x NET_TOPK) array alive,
            # never a (chunk x vocabulary) one (see the backends' `proposals`)
            top = self.network.proposals(np.stack([slot.net[0] for slot in chunk]), NET_TOPK)
            for slot, ids in zip(chunk, top):
                slot.net = (slot.net[0], ids)

    @staticmethod
    def written_candidates(
        slot: Slot, gen: CandidateGenerator, *, accented: bool, doubts: bool = False,
    ) -> TokenCandidates:
        """The candidates read off the token as written (memoised by `gen`, and kept
        on the slot), which need no network state: computed before the network runs,
        which then proposes words only for tokens not kept (see restorer.py)."""
        if slot.written is None:
            unsure = doubts and ocr_unsure(slot.conf)
            slot.written = gen.for_token(slot.token.core, slot.token.trail, accented, unsure,
                                         heading=slot.heading, opens_line=slot.index == 0)
        return slot.written

    def candidates(
        self, slot: Slot, gen: CandidateGenerator, p: dict[str, float], *,
        accented: bool, doubts: bool = False, alone: bool = False,
    ) -> None:
        """The slot's candidates and their static scores, with the weights `p` of its
        regime (`accented`: marks trustworthy). `doubts`: the OCR's low word
        confidences mark likely misreads (see `regime.damaged_page`). `alone`: the
        slot is its stream's only word (a table cell of one word, `ha` under `Đơn vị
        tính`): in text whose marks are trustworthy a syllable there stays as written,
        as no context could speak for another reading (the OCR doubted `ha`, and the
        priors alone made it *hai*). So, but for its marks, does a syllable of a name's
        run there (`Slot.in_name`): the OCR's token table offers và for `Nà`, and the
        language model, blind to case, would take it (`cửa khẩu quốc gia Nà Cài`)."""
        found = self.written_candidates(slot, gen, accented=accented, doubts=doubts)
        ids, lm_ids, channel = found.ids, found.lm_ids, found.channel
        if alone and accented and not found.kept and self.tok.is_syllable(slot.token.core):
            ids, lm_ids, channel = ids[:1], lm_ids[:1], channel[:1]
        elif slot.in_name and accented and not found.kept and self.tok.is_syllable(
                slot.token.core):
            same_key = self.tok.by_key.get(key_of(slot.token.core), ())
            same = (ids == COPY) | np.isin(ids, same_key)
            ids, lm_ids, channel = ids[same], lm_ids[same], channel[same]
        if not found.kept and len(slot.net[1]) and not (
                accented and _foreign_looking(slot.token.core)):
            # Only a token that is no syllable as written may become an unrelated one
            # (`score_network` proposes for those only): valid syllables change only
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
        slot.static = p["w_channel"] * channel  # the network's share: finish_scores
        if doubts and slot.conf is not None and len(ids) > 1:
            # every candidate but the first (the word as written) changes the word:
            # cheaper where the OCR was unsure, dearer where it was sure
            shift = p["conf_sure"] if slot.conf >= CONF_SURE else p["conf_unsure"]
            slot.static[1:] += shift

    def finish_scores(self, slots: list[Slot], w_net: float, margin: float) -> None:
        """Add the network's log-probability of each candidate, normalised over the
        token's candidates (training contrasted targets with their same-key syllables,
        much like this), to the slots' static scores; then drop the candidates that
        trail their token's best by more than `margin` (the regime's `static_margin`:
        such a candidate is never chosen, and the search would pay for each one).

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
                # np.take and np.repeat copy the same rows as fancy indexing, faster
                logits = (np.einsum("nd,nd->n", np.take(self._out_embed, ids, axis=0),
                                    np.repeat(hidden, sizes, axis=0))
                          + self._out_bias[ids])
                top = np.maximum.reduceat(logits, firsts)
                log_norm = top + np.log(np.add.reduceat(np.exp(logits - top[owner]), firsts))
                static = static + w_net * (logits - log_norm[owner])
            keep = static >= np.maximum.reduceat(static, firsts)[owner] - margin
            pruned = np.add.reduceat(~keep, firsts) > 0
            for slot, first, size, cut in zip(chunk, firsts.tolist(), sizes.tolist(),
                                              pruned.tolist()):
                slot.static = static[first : first + size]
                if cut:
                    mask = keep[first : first + size]
                    slot.static, slot.ids, slot.lm_ids = (
                        slot.static[mask], slot.ids[mask], slot.lm_ids[mask])
