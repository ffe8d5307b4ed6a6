"""A seeded dense network as ONNX (Gemm + Relu), for key-size and verify-time runs at a chosen parameter count:

    python3 bench/committed/make_mlp.py 784,1024,1024,10 out/mlp_1m   → out/mlp_1m/{model.onnx,input.json}

Weights N(0, 2/fan_in) (unit-scale activations through the stack), biases uniform ±0.05, input uniform [−1, 1);
numpy seed 0. Needs the `onnx` and `numpy` packages.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sizes = [int(v) for v in sys.argv[1].split(",")]
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
nodes, inits = [], []
x = "input"
for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
    w = (rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)).astype(np.float32)
    b = rng.uniform(-0.05, 0.05, n_out).astype(np.float32)
    inits += [numpy_helper.from_array(w, f"w{i}"), numpy_helper.from_array(b, f"b{i}")]
    y = f"gemm{i}" if i < len(sizes) - 2 else "output"
    nodes.append(helper.make_node("Gemm", [x, f"w{i}", f"b{i}"], [y], transB=1))
    if i < len(sizes) - 2:
        nodes.append(helper.make_node("Relu", [y], [f"relu{i}"]))
        y = f"relu{i}"
    x = y
graph = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, sizes[0]])],
                          [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, sizes[-1]])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
onnx.save(model, os.path.join(out, "model.onnx"))
json.dump({"input_data": [rng.uniform(-1, 1, sizes[0]).round(4).tolist()]}, open(os.path.join(out, "input.json"), "w"))
print(out, sum(a * b + b for a, b in zip(sizes, sizes[1:])), "parameters")
