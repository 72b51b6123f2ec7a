"""Write the ONNX Runtime graphs of a model folder: `network.onnx`, `proposals.onnx` and
`onnx.json` (see `vnocr.restore.onnx_network`), with no weights inside them.

    python scripts/export_onnx.py [MODEL_DIR]      # default: the shipped model

`network.onnx` is `RestoreNetwork.encode` exported by torch's dynamo exporter (the
TorchScript exporter fails on this network), unoptimised, so that every initializer is
a state-dict tensor: the exporter's optimiser would fold transposed copies of the
weights into the graph. Its initializers then become external references that ONNX
Runtime is given from model.safetensors at load. `proposals.onnx` (Gemm + TopK) is
written by hand: k is an input, which an export would fix. The graphs are checked
against torch on a batch of the folder's own vocabulary before the command returns.

Needs torch, onnx and onnxscript (`pip install -e '.[dev]'`); vnocr does not at run time.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper
from safetensors import safe_open

from vnocr.options import DEFAULT_MODEL_DIR
from vnocr.restore.network import WEIGHTS_FILE
from vnocr.restore.onnx_network import (
    MANIFEST_FILE,
    OUT_BIAS,
    OUT_EMBED,
    PROPOSALS_GRAPH,
    STATES_GRAPH,
    OnnxBackend,
    architecture,
    weights_digest,
)
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.restore.torch_network import RestoreArchitecture, RestoreNetwork

OPSET = 20
# Where an initializer's data would be: nowhere. A reader that wants the data from the
# graph fails on this name instead of reading bytes that are not the tensor.
NO_DATA = "fed-from-model.safetensors"
MAX_DIFF = 1e-4  # states and logits, ONNX Runtime against torch


class _StatesNetwork(RestoreNetwork):
    """`RestoreNetwork` whose forward is `encode`: what the exporter traces, with the
    state-dict's parameter names."""

    forward = RestoreArchitecture.encode


def _weights_outside(model: onnx.ModelProto) -> list[str]:
    """Every initializer of `model` turned into an external reference without data;
    their names."""
    names = []
    for tensor in model.graph.initializer:
        tensor.ClearField("raw_data")
        tensor.ClearField("float_data")
        tensor.data_location = TensorProto.EXTERNAL
        del tensor.external_data[:]
        entry = tensor.external_data.add()
        entry.key, entry.value = "location", NO_DATA
        names.append(tensor.name)
    return names


def _without_traces(model: onnx.ModelProto) -> None:
    """The exporter's per-node notes (source stack traces with this machine's paths,
    nine tenths of the file) removed."""
    for node in model.graph.node:
        del node.metadata_props[:]
        node.doc_string = ""
    for value in (*model.graph.value_info, *model.graph.input, *model.graph.output):
        del value.metadata_props[:]


def _sample(tok: RestoreTokenizer) -> dict[str, np.ndarray]:
    """A batch of two lines of the output vocabulary, one shorter (padding)."""
    words = tok.vocab[1:40]
    return tok.encode_arrays([words[:30], words[30:]])


def states_graph(net: RestoreNetwork, tok: RestoreTokenizer) -> onnx.ModelProto:
    """`net.encode` as a graph with dynamic batch and token axes."""
    states = _StatesNetwork(net.config)
    states.load_state_dict(net.state_dict())
    states.eval()
    sample = {k: torch.from_numpy(v) for k, v in _sample(tok).items()}
    batch, tokens = torch.export.Dim("batch"), torch.export.Dim("tokens")
    program = torch.onnx.export(
        states, (sample["chars"], sample["features"], sample["token_mask"]), dynamo=True,
        input_names=["chars", "features", "token_mask"], output_names=["states"],
        dynamic_shapes=({0: batch, 1: tokens},) * 3, opset_version=OPSET, optimize=False,
    )
    return program.model_proto


def proposals_graph(net: RestoreNetwork) -> onnx.ModelProto:
    """states (N, d_model), k (1,) → the k best output ids (N, k), unordered."""
    vocab, d = net.out_embed.weight.shape
    nodes = [
        helper.make_node("Gemm", ["states", OUT_EMBED, OUT_BIAS], ["logits"], transB=1),
        helper.make_node("TopK", ["logits", "k"], ["top_logits", "ids"], axis=-1,
                         largest=1, sorted=0),
    ]
    graph = helper.make_graph(
        nodes, "proposals",
        [helper.make_tensor_value_info("states", TensorProto.FLOAT, ["n", d]),
         helper.make_tensor_value_info("k", TensorProto.INT64, [1])],
        [helper.make_tensor_value_info("ids", TensorProto.INT64, ["n", "k"])],
        [helper.make_tensor(OUT_EMBED, TensorProto.FLOAT, [vocab, d],
                            net.out_embed.weight.detach().numpy().ravel()),
         helper.make_tensor(OUT_BIAS, TensorProto.FLOAT, [vocab],
                            net.out_bias.detach().numpy())],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    onnx.checker.check_model(model)
    return model


def check_against_torch(model_dir: Path, net: RestoreNetwork, tok: RestoreTokenizer) -> float:
    """The largest difference between ONNX Runtime's states and logits and torch's on a
    sample batch; raises SystemExit above MAX_DIFF or where the top-k differ."""
    backend = OnnxBackend.from_pretrained(model_dir, threads=1)
    sample = _sample(tok)
    got = backend.states(**sample)
    with torch.inference_mode():
        want = net.encode(*(torch.from_numpy(sample[k])
                            for k in ("chars", "features", "token_mask"))).numpy()
    # padding's states differ (torch's fused inference path treats them otherwise), and no
    # decoder reads them
    present = sample["token_mask"]
    flat, got = want[present], got[present]
    logits = flat @ backend.out_embed.T + backend.out_bias
    got_logits = got @ backend.out_embed.T + backend.out_bias
    diff = max(float(np.abs(got - flat).max()), float(np.abs(got_logits - logits).max()))
    top = np.sort(backend.proposals(flat, 4), axis=1)
    want_top = np.sort(np.argsort(-logits, axis=1, kind="stable")[:, :4], axis=1)
    if diff > MAX_DIFF or not np.array_equal(top, want_top):
        raise SystemExit(f"ONNX Runtime and torch disagree: {diff:.2e}")
    return diff


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model_dir", nargs="?", type=Path, default=DEFAULT_MODEL_DIR)
    args = ap.parse_args(argv)
    model_dir: Path = args.model_dir
    net = RestoreNetwork.from_pretrained(model_dir).float().eval()
    tok = RestoreTokenizer.from_dir(model_dir, net.config.max_chars)
    graphs = {}
    with safe_open(model_dir / WEIGHTS_FILE, framework="np") as stored:
        for name, model in ((STATES_GRAPH, states_graph(net, tok)),
                            (PROPOSALS_GRAPH, proposals_graph(net))):
            initializers = _weights_outside(model)
            _without_traces(model)
            onnx.save(model, model_dir / name)
            graphs[name] = {
                "initializers": initializers,
                "weights_sha256": weights_digest({n: stored.get_tensor(n) for n in initializers}),
            }
    manifest = {
        "weights_file": WEIGHTS_FILE,
        "opset": OPSET,
        "architecture": architecture(net.config),
        "exporter": {p: version(p) for p in ("torch", "onnx", "onnxscript")},
        "graphs": graphs,
    }
    (model_dir / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n",
                                           encoding="utf-8")
    diff = check_against_torch(model_dir, net, tok)
    sizes = ", ".join(f"{n} {(model_dir / n).stat().st_size / 1024:.0f} KiB" for n in graphs)
    print(f"{model_dir}: {sizes}; largest difference from torch {diff:.1e}", file=sys.stderr)


if __name__ == "__main__":
    main()
