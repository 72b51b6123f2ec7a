"""The restorer's network run by ONNX Runtime, without torch.

The model folder holds two graphs and no second copy of the weights: `network.onnx`
(characters and features → token states, exported from `RestoreNetwork.encode`) and
`proposals.onnx` (states → the k best output syllables: one Gemm and one TopK). Both
are written by scripts/export_onnx.py with every weight an external initializer, which
is fed here from `model.safetensors`, the one weight file (stored as float16, fed as
float32: what torch's `.float()` makes of them). `onnx.json` records the graphs' opset,
the exporter's versions, the architecture's settings and a SHA-256 of the weights they
take; graphs whose settings or digest differ from the folder's config.json and weights
are refused (`GraphMismatchError`): they belong to another network, or to weights
trained since.

Imports `onnxruntime` only when a backend is built, and never `onnx` or torch.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from vnocr.restore.network import CONFIG_FILE, COUNT_TABLES, WEIGHTS_FILE, read_config

STATES_GRAPH = "network.onnx"
PROPOSALS_GRAPH = "proposals.onnx"
MANIFEST_FILE = "onnx.json"
# The initializers of the proposals graph, also kept as numpy arrays for decoding.
OUT_EMBED, OUT_BIAS = "out_embed.weight", "out_bias"
# The settings in config.json that shape the network, recorded with the graphs: a folder
# whose config no longer fits its weights must fail to load, as it does in torch.
ARCHITECTURE_KEYS = ("char_vocab_size", "out_vocab_size", "max_chars", "max_tokens",
                     "char_dim", "d_model", "n_layers", "n_heads", "d_ff")
# What one `states` call costs beyond its positions (rows x padded length), in
# positions: 0.2-0.35 ms a call against some 13 µs a position (one thread, the shipped
# model). On 17 page-sized groups, 8 to 64 gave the same CPU within 3 %.
CALL_COST_POSITIONS = 16


def architecture(config: SimpleNamespace) -> dict[str, int]:
    """The settings of `config` that shape the network (`ARCHITECTURE_KEYS`)."""
    return {k: getattr(config, k) for k in ARCHITECTURE_KEYS}


def least_padded_batches(
    lengths: Sequence[int], max_batch: int, call_cost: int = CALL_COST_POSITIONS,
) -> list[range]:
    """Consecutive batches of sequences of these `lengths` (ascending), at most
    `max_batch` a batch, that cost the network least: each call `call_cost` positions
    plus its rows times its longest length. A page's 20 sentences of 1 to 96 tokens in
    fixed batches of 16 padded half their positions (1,104 for 539 tokens).

    An exact search over where batches end (one pass, `max_batch` starts per end).
    ONNX Runtime gives each sequence the same states to the bit whatever its batch
    (checked by tests/restore/test_backend.py), so this changes no output."""
    best = [0] * (len(lengths) + 1)  # least cost of the first n sequences
    start_of = [0] * (len(lengths) + 1)  # where the last batch of that best starts
    for end in range(1, len(lengths) + 1):
        longest = lengths[end - 1]
        best[end], start_of[end] = min(
            (best[start] + call_cost + (end - start) * longest, start)
            for start in range(max(0, end - max_batch), end))
    batches = []
    end = len(lengths)
    while end:
        batches.append(range(start_of[end], end))
        end = start_of[end]
    return batches[::-1]


class GraphMismatchError(ValueError):
    """The folder's graphs were exported from other weights than its own."""


def weights_digest(weights: Mapping[str, np.ndarray]) -> str:
    """SHA-256 over the named arrays as stored (name, dtype, shape, bytes, by name): the
    weights a graph takes, not the whole file, whose count tables no graph reads."""
    h = hashlib.sha256()
    for name in sorted(weights):
        array = np.ascontiguousarray(weights[name])
        h.update(f"{name}\0{array.dtype.str}\0{array.shape}\0".encode())
        h.update(array.tobytes())
    return h.hexdigest()


def unusable(model_dir: Path) -> str | None:
    """Why ONNX Runtime cannot run the folder's network, None where it can try."""
    if importlib.util.find_spec("onnxruntime") is None:
        return "onnxruntime is not installed"
    missing = [f for f in (STATES_GRAPH, PROPOSALS_GRAPH, MANIFEST_FILE)
               if not (model_dir / f).is_file()]
    return f"no {', '.join(missing)} in {model_dir}" if missing else None


def read_manifest(model_dir: Path) -> dict[str, Any]:
    """The folder's `onnx.json`; raises OSError or ValueError."""
    manifest = json.loads((model_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    if not isinstance(manifest, dict) or not isinstance(manifest.get("graphs"), dict):
        raise ValueError(f"{MANIFEST_FILE} lists no graphs")  # noqa: TRY004 - a bad file
    return manifest


class OnnxBackend:
    """The network run by ONNX Runtime (see the module's docstring and
    `vnocr.restore.backend.NetworkBackend`)."""

    name = "onnxruntime"

    def __init__(self, config: SimpleNamespace, sessions: dict[str, Any],
                 weights: dict[str, np.ndarray], tables: dict[str, np.ndarray]) -> None:
        self.config = config
        self._states = sessions[STATES_GRAPH]
        self._proposals = sessions[PROPOSALS_GRAPH]
        self._weights = weights  # the sessions' initializers point into these arrays
        self._tables = tables
        self.out_embed = weights[OUT_EMBED]
        self.out_bias = weights[OUT_BIAS]

    @classmethod
    def from_pretrained(cls, model_dir: Path, threads: int) -> OnnxBackend:
        """Raises GraphMismatchError, or OSError, ValueError, KeyError and
        SafetensorError for a folder that cannot be read."""
        import onnxruntime as ort  # here: only where this backend runs
        from safetensors import safe_open

        config = read_config(model_dir)
        manifest = read_manifest(model_dir)
        if manifest.get("architecture") != architecture(config):
            raise GraphMismatchError(f"the graphs in {model_dir} were exported for another "
                                     f"architecture than its {CONFIG_FILE}'s")
        graphs = manifest["graphs"]
        names = sorted({n for graph in graphs.values() for n in graph["initializers"]})
        with safe_open(model_dir / WEIGHTS_FILE, framework="np") as f:
            stored = {n: f.get_tensor(n) for n in names}
            tables = {n: f.get_tensor(n) for n in (*COUNT_TABLES, "title_share")}
        for graph_file, graph in graphs.items():
            mine = weights_digest({n: stored[n] for n in graph["initializers"]})
            if mine != graph["weights_sha256"]:
                raise GraphMismatchError(
                    f"{model_dir / graph_file} was exported from other weights than "
                    f"{model_dir / WEIGHTS_FILE}")
        weights = {n: np.ascontiguousarray(a, dtype=np.float32) for n, a in stored.items()}
        del stored
        tables = {n: a.astype(np.float32) if a.dtype.kind == "f" else a
                  for n, a in tables.items()}
        sessions = {}
        for graph_file in (STATES_GRAPH, PROPOSALS_GRAPH):
            graph_names = graphs[graph_file]["initializers"]
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            options.log_severity_level = 3  # not the constant folder's notes on CastLike
            options.add_external_initializers(
                graph_names, [ort.OrtValue.ortvalue_from_numpy(weights[n]) for n in graph_names])
            sessions[graph_file] = ort.InferenceSession(
                str(model_dir / graph_file), options, providers=["CPUExecutionProvider"])
        return cls(config, sessions, weights, tables)

    def states(
        self, chars: np.ndarray, features: np.ndarray, token_mask: np.ndarray,
    ) -> np.ndarray:
        return self._states.run(None, {"chars": chars, "features": features,
                                       "token_mask": token_mask})[0]

    def batches(self, lengths: Sequence[int], max_batch: int) -> list[range]:
        return least_padded_batches(lengths, max_batch)

    def proposals(self, states: np.ndarray, k: int) -> np.ndarray:
        return self._proposals.run(None, {"states": np.ascontiguousarray(states),
                                          "k": np.array([k], dtype=np.int64)})[0]

    def take_tables(self) -> dict[str, np.ndarray]:
        tables, self._tables = self._tables, {}
        return tables
