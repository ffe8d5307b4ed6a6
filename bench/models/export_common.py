"""What the model generators share: seeding, torch's two ONNX exporters, onnxruntime references, and the
folder layout of circuits/ (model.onnx, input.json, expected_output.json, README.md).

The two exporters of torch 2.13:
- `dynamo` — torch's default since 2.9 (`torch.onnx.export(m, args, path)`): torch.export + onnxscript,
  opset 18 and up, weights above a size threshold in `model.onnx.data` (external data) beside the model.
- `torchscript` — the legacy TorchScript exporter (`dynamo=False`): one self-contained file; in eval mode it
  folds BatchNormalization into the preceding convolution.
Both are called with their defaults, as a user would; only the file names differ.
"""
import hashlib
import json
import logging
import os
import random
import shutil
import sys
import warnings

import numpy as np
import onnx
import onnxruntime as ort
import torch

EXPORTERS = ("dynamo", "torchscript")
REFERENCE_TOLERANCE = 1e-4  # onnxruntime vs eager torch, absolute + relative: a bad export fails loudly


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)


def parameter_count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def _quiet_export(model, args, path, exporter):
    """torch.onnx.export with the exporter's defaults; its progress lines and deprecation warnings go to
    /dev/null (they are noise in a generator's log), errors still raise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)  # "torchvision is not installed. Skipping …" for every export
        devnull = open(os.devnull, "w")
        saved = sys.stdout
        sys.stdout = devnull
        try:
            if exporter == "dynamo":
                torch.onnx.export(model, args, path, dynamo=True)
            elif exporter == "torchscript":
                torch.onnx.export(model, args, path, dynamo=False)
            else:
                raise ValueError(exporter)
        finally:
            sys.stdout = saved
            devnull.close()
            logging.disable(logging.NOTSET)


def external_data_files(path: str) -> list:
    """The external-data files the model at `path` refers to (names relative to its folder)."""
    model = onnx.load(path, load_external_data=False)
    files = set()
    for tensor in model.graph.initializer:
        if tensor.data_location == onnx.TensorProto.EXTERNAL:
            for entry in tensor.external_data:
                if entry.key == "location":
                    files.add(entry.value)
    return sorted(files)


def export(model, args, folder: str, exporter: str) -> dict:
    """Exports `model` (eval mode) to folder/model.onnx with one exporter. An external-data file the
    exporter wrote but the model does not use (the dynamo exporter writes an empty one when every tensor is
    small enough to stay inline) is removed, so that only real external data is kept."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    for old in os.listdir(folder):
        if old.startswith("model.onnx"):
            os.remove(os.path.join(folder, old))
    _quiet_export(model, args, path, exporter)
    used = external_data_files(path)
    for name in os.listdir(folder):
        if name.startswith("model.onnx.") and name not in used:
            os.remove(os.path.join(folder, name))
    proto = onnx.load(path, load_external_data=False)
    opset = next((o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")), None)
    ops = sorted({n.op_type for n in proto.graph.node})
    return {"exporter": exporter, "opset": opset, "ops": ops, "external_data": used,
            "bytes": sum(os.path.getsize(os.path.join(folder, f)) for f in ["model.onnx"] + used)}


def _numpy_inputs(args) -> list:
    return [a.detach().cpu().numpy() for a in args]


def onnxruntime_outputs(folder: str, args) -> list:
    """onnxruntime (CPU, float32) outputs of folder/model.onnx for the torch inputs `args`."""
    session = ort.InferenceSession(os.path.join(folder, "model.onnx"), providers=["CPUExecutionProvider"])
    feeds = {spec.name: value for spec, value in zip(session.get_inputs(), _numpy_inputs(args))}
    return session.run(None, feeds)


def check_against_torch(name: str, ort_outputs: list, torch_outputs) -> float:
    """max |onnxruntime − torch| over all outputs; raises when the export changed the function."""
    if isinstance(torch_outputs, torch.Tensor):
        torch_outputs = [torch_outputs]
    worst = 0.0
    for got, want in zip(ort_outputs, torch_outputs):
        want = want.detach().cpu().numpy()
        if got.shape != want.shape:
            raise SystemExit(f"{name}: onnxruntime output shape {got.shape} != torch {want.shape}")
        if got.size:
            worst = max(worst, float(np.max(np.abs(got.astype(np.float64) - want.astype(np.float64)))))
        if not np.allclose(got, want, atol=REFERENCE_TOLERANCE, rtol=REFERENCE_TOLERANCE):
            raise SystemExit(f"{name}: onnxruntime differs from torch by {worst:.3g} (export bug?)")
    return worst


def _json_values(array: np.ndarray) -> list:
    """Integers stay integers; float32 values are written in their shortest decimal form that reads back
    as the same float32 (0.1878, not 0.18780000507831573), which halves the JSON files."""
    flat = array.flatten()
    if np.issubdtype(flat.dtype, np.integer):
        return [int(v) for v in flat]
    return [float(np.format_float_positional(np.float32(v), unique=True, trim="0")) if np.isfinite(v) else float(v)
            for v in flat]


def write_input_json(folder: str, args) -> None:
    """EZKL style: {"input_data": [[flattened input 0], [flattened input 1], ...]} (integers stay integers)."""
    with open(os.path.join(folder, "input.json"), "w", encoding="utf-8") as f:
        json.dump({"input_data": [_json_values(a) for a in _numpy_inputs(args)]}, f)


def write_expected(folder: str, outputs: list) -> None:
    """The existing convention of circuits/*/expected_output.json."""
    with open(os.path.join(folder, "expected_output.json"), "w", encoding="utf-8") as f:
        json.dump({"output_data": [_json_values(o) for o in outputs], "output_shapes": [list(o.shape) for o in outputs],
                   "producer": f"onnxruntime {ort.__version__} CPUExecutionProvider, float32"}, f)


def sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_inputs(args) -> str:
    parts = []
    for a in args:
        kind = {torch.float32: "float32", torch.int64: "int64"}.get(a.dtype, str(a.dtype))
        parts.append(f"{kind} {list(a.shape)}")
    return ", ".join(parts)


def build_folder(name: str, folder: str, model: torch.nn.Module, args: tuple, exporter: str, seed: int,
                 description: str, generator: str) -> dict:
    """One model folder: export, onnxruntime reference (checked against eager torch), input.json,
    expected_output.json and a README.md line in the style of circuits/*/README.md. Returns its facts."""
    model.eval()
    with torch.no_grad():
        torch_out = model(*args)
    facts = export(model, args, folder, exporter)
    outputs = onnxruntime_outputs(folder, args)
    facts["ort_vs_torch_max_abs"] = check_against_torch(f"{name} ({exporter})", outputs, torch_out)
    write_input_json(folder, args)
    write_expected(folder, outputs)
    facts.update(name=name, params=parameter_count(model), seed=seed, inputs=describe_inputs(args),
                 outputs=", ".join(f"float32 {list(o.shape)}" for o in outputs),
                 sha256=sha256(os.path.join(folder, "model.onnx")))
    external = f"; external data {', '.join(facts['external_data'])}" if facts["external_data"] else ""
    readme = (f"`{name}`: {description}. Input {facts['inputs']} -> output {facts['outputs']}; "
              f"{facts['params']} parameters; exported by torch {torch.__version__.split('+')[0]}'s "
              f"{'default (dynamo)' if exporter == 'dynamo' else 'legacy TorchScript'} exporter, ONNX opset "
              f"{facts['opset']}, ops {'/'.join(facts['ops'])}{external}; seed {seed}; model.onnx sha256 "
              f"{facts['sha256']}. Built by {generator}.\n")
    with open(os.path.join(folder, "README.md"), "w", encoding="utf-8") as f:
        f.write(readme)
    return facts


def remove_folder(folder: str) -> None:
    if os.path.isdir(folder):
        shutil.rmtree(folder)
