"""Exports the external-data fixtures with torch's default (dynamo) exporter.

torch >= 2.9 exports with dynamo by default and writes weights to `model.onnx.data` next to the model
(ONNX external data). These fixtures are what the importer's external-data tests read
(Tests/ONNXImportTests/ExternalDataTests.swift). Run from the repository root (downloads torch, large, into
bench/.venv-export on first use; the tests never run this):

    python3 bench/vectors/make_dynamo_fixtures.py

Writes Tests/ONNXImportTests/Fixtures/<name>/{model.onnx, model.onnx.data, input.json, expected.json}, with
expected outputs from onnxruntime (float32, loading the external data itself) and torch for comparison.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import venv_bootstrap  # noqa: E402

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
venv_bootstrap.ensure_venv(os.path.join(BENCH, ".venv-export"), os.path.join(BENCH, "requirements-export.txt"))

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import torch  # noqa: E402

OUT = os.path.join("Tests", "ONNXImportTests", "Fixtures")


class MLP(torch.nn.Module):
    """Linear → ReLU → Linear → Softmax: Gemm, Relu, Softmax in the export; both weights external."""

    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(16, 32)
        self.out = torch.nn.Linear(32, 4)

    def forward(self, x):
        return torch.softmax(self.out(torch.relu(self.hidden(x))), dim=-1)


class ConvNet(torch.nn.Module):
    """Conv → ReLU → MaxPool → flatten → Linear: the reshape the exporter emits, external conv weights."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(2, 8, 3, padding=1)
        self.pool = torch.nn.MaxPool2d(2)
        self.fc = torch.nn.Linear(8 * 3 * 3, 5)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(torch.relu(self.conv(x))), 1))


def export(name, module, example):
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    for stale in ("model.onnx", "model.onnx.data"):
        if os.path.exists(os.path.join(folder, stale)):
            os.remove(os.path.join(folder, stale))
    module.eval()
    program = torch.onnx.export(module, (example,), dynamo=True, external_data=True)
    path = os.path.join(folder, "model.onnx")
    program.save(path, external_data=True)
    model = onnx.load(path, load_external_data=False)
    external = [t.name for t in model.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL]
    assert external, f"{name}: the exporter stored no tensor externally"
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    (ort_out,) = session.run(None, {session.get_inputs()[0].name: example.numpy()})
    with torch.no_grad():
        torch_out = module(example).numpy()
    assert np.allclose(ort_out, torch_out, rtol=1e-5, atol=1e-6), f"{name}: onnxruntime and torch disagree"
    with open(os.path.join(folder, "input.json"), "w", encoding="utf-8") as f:
        json.dump({"input_data": [example.numpy().reshape(-1).astype(float).tolist()]}, f)
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"output_data": [ort_out.reshape(-1).astype(float).tolist()], "output_shape": list(ort_out.shape),
                   "producer": f"onnxruntime {ort.__version__} (float32) on torch {torch.__version__}'s dynamo export",
                   "opset": [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")][0],
                   "external_tensors": external}, f, indent=1)
    print(f"{folder}: opset {model.opset_import[0].version}, external {external}")


def main():
    torch.manual_seed(20261204)
    export("dynamo_mlp", MLP(), torch.randn(1, 16))
    export("dynamo_convnet", ConvNet(), torch.randn(1, 2, 6, 6))


if __name__ == "__main__":
    main()
