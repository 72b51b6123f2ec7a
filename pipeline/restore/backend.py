"""The restorer's network behind one interface, run by ONNX Runtime or by torch.

ONNX Runtime runs it where `onnxruntime` is installed and the model folder holds graphs
that match its weights (`vnocr.restore.onnx_network`): `import onnxruntime` costs about
0.3 s of start-up where `import torch` costs 1.0 s, and its forward pass is about a
fifth faster on 2 cores. Torch stays for training and export, and runs the network
where ONNX Runtime cannot: no graphs in the folder (a model trained and not exported),
graphs of other weights (logged as a warning: the graphs would give another network's
scores), or no `onnxruntime`. Without torch either, loading fails with one clear error.

Both take and give numpy arrays, so the decoder never sees a tensor.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Protocol

import numpy as np

from vnocr.errors import ModelLoadError
from vnocr.restore import onnx_network
from vnocr.restore.network import COUNT_TABLES

if TYPE_CHECKING:
    from vnocr.restore.torch_network import RestoreNetwork

log = logging.getLogger(__name__)

BACKEND_ENV = "VNOCR_BACKEND"  # "torch" or "onnxruntime": this one, whatever is there
BACKENDS = ("onnxruntime", "torch")


class NetworkBackend(Protocol):
    """The network as decoding uses it: token states, the output layer, the tables."""

    name: str  # "onnxruntime" or "torch"
    config: SimpleNamespace  # the folder's settings (`vnocr.restore.network.read_config`)
    out_embed: np.ndarray  # (output syllables, d_model) float32
    out_bias: np.ndarray  # (output syllables,) float32

    def states(
        self, chars: np.ndarray, features: np.ndarray, token_mask: np.ndarray,
    ) -> np.ndarray:
        """chars (B,T,C) int64, features (B,T,4) float32, token_mask (B,T) bool →
        each token's state (B,T,d_model) float32 (`RestoreTokenizer.encode_arrays`)."""
        ...

    def batches(self, lengths: Sequence[int], max_batch: int) -> list[range]:
        """How sequences of these `lengths` (ascending) go to `states`: consecutive
        index ranges of at most `max_batch` sequences, covering all of them in order."""
        ...

    def proposals(self, states: np.ndarray, k: int) -> np.ndarray:
        """(N, d_model) states → (N, k) int64: each state's k best output syllables, in
        no particular order."""
        ...

    def take_tables(self) -> dict[str, np.ndarray]:
        """The decoding tables (`COUNT_TABLES` and `title_share`), floats as float32;
        handed over once, the backend keeps no copy of them."""
        ...


class TorchBackend:
    """The network run by torch (`vnocr.restore.torch_network.RestoreNetwork`)."""

    name = "torch"

    def __init__(self, network: RestoreNetwork, threads: int) -> None:
        import torch  # here, not at the top: torch is a second of start-up

        torch.set_num_threads(threads)
        self._torch = torch
        self._net = network.float().eval()
        self.config = self._net.config
        self.out_embed = self._net.out_embed.weight.detach().numpy()
        self.out_bias = self._net.out_bias.detach().numpy()

    @classmethod
    def from_pretrained(cls, model_dir: Path, threads: int) -> TorchBackend:
        """Raises OSError, ValueError, RuntimeError or SafetensorError."""
        from vnocr.restore.torch_network import RestoreNetwork  # imports torch

        return cls(RestoreNetwork.from_pretrained(model_dir), threads)

    def states(
        self, chars: np.ndarray, features: np.ndarray, token_mask: np.ndarray,
    ) -> np.ndarray:
        torch = self._torch
        with torch.inference_mode():
            return self._net.encode(torch.from_numpy(chars), torch.from_numpy(features),
                                    torch.from_numpy(token_mask)).float().numpy()

    def batches(self, lengths: Sequence[int], max_batch: int) -> list[range]:
        """Fixed batches of `max_batch`: torch's states differ in the last bits with the
        batch's shape (up to 1e-5 on a page's sentences alone against in batches), so
        the batches that pad least (`onnx_network.least_padded_batches`) would change
        some of its outputs."""
        return [range(b, min(b + max_batch, len(lengths)))
                for b in range(0, len(lengths), max_batch)]

    def proposals(self, states: np.ndarray, k: int) -> np.ndarray:
        torch = self._torch
        with torch.inference_mode():
            logits = torch.addmm(self._net.out_bias, torch.from_numpy(states),
                                 self._net.out_embed.weight.T)
            # torch's top-k: numpy's argpartition over the vocabulary took 8x as long.
            # A copy: its indices are a view into a (states x vocabulary) buffer, which
            # every row handed out would keep alive (+330 MB on a 7,768-line document).
            return torch.topk(logits, k, dim=1, sorted=False).indices.numpy().copy()

    def take_tables(self) -> dict[str, np.ndarray]:
        tables = {}
        for name in (*COUNT_TABLES, "title_share"):
            tables[name] = getattr(self._net, name).numpy()
            setattr(self._net, name, None)  # one copy in the process: the caller's
        return tables


def load_backend(model_dir: Path, threads: int) -> NetworkBackend:
    """The folder's network, run by ONNX Runtime where it can, else by torch (see the
    module's docstring); `$VNOCR_BACKEND` forces one. Raises ModelLoadError where
    neither can run it, or the errors of reading the folder (OSError, ValueError, ...)."""
    wanted = os.environ.get(BACKEND_ENV, "").strip()
    if wanted and wanted not in BACKENDS:
        raise ModelLoadError(f"${BACKEND_ENV} must be one of {', '.join(BACKENDS)}, "
                             f"got {wanted!r}")
    has_torch = importlib.util.find_spec("torch") is not None
    why_not_onnx = (onnx_network.unusable(model_dir) if wanted != "torch"
                    else f"${BACKEND_ENV} is torch")
    if why_not_onnx is None:
        try:
            return onnx_network.OnnxBackend.from_pretrained(model_dir, threads)
        except onnx_network.GraphMismatchError as e:
            if not has_torch or wanted == "onnxruntime":
                raise ModelLoadError(f"{e}; run scripts/export_onnx.py {model_dir}") from e
            log.warning("%s: the network runs in torch (scripts/export_onnx.py writes "
                        "graphs for these weights)", e)
    elif wanted == "onnxruntime":
        raise ModelLoadError(f"cannot run the network in ONNX Runtime: {why_not_onnx}")
    if not has_torch:
        raise ModelLoadError(f"cannot run the network in {model_dir}: {why_not_onnx}, and "
                             "torch is not installed either")
    return TorchBackend.from_pretrained(model_dir, threads)
