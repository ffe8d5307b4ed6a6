"""Generates exp_log_reduce_net, the model the Exp, Log, ReduceMax and ReduceMin circuit gadgets are proved on end to
end (Tests/EndToEndTests/ExponentialEndToEndTests.swift): x [1, 8] → Gemm (8 → 8) → Exp, Log(Exp + 0.25),
LogSoftmax over the last axis (ReduceMax, Exp, ReduceSum, Log), ReduceMax over axis 2 of the Gemm output as
[1, 2, 4] (keepdims) and ReduceMin over axes [1, 2] of it (no keepdims). A seeded input; onnxruntime's float32
outputs as the reference. Run from the repository root:

    bench/.venv/bin/python bench/vectors/make_onnx_exponential.py

Committed; regenerate only on purpose (the seed makes reruns identical).
"""
import os

import numpy as np
from onnx import helper, numpy_helper

from onnx_vector import write_vector

OUT = os.path.join("Tests", "DirectInferenceTests", "Vectors", "exponential")
rng = np.random.default_rng(20261217)


def main():
    name = "exp_log_reduce_net"
    w = (rng.standard_normal((8, 8)) * 0.5).astype(np.float32)
    b = (rng.standard_normal(8) * 0.2).astype(np.float32)
    inits = [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b"),
             numpy_helper.from_array(np.array(0.25, dtype=np.float32), "quarter"),
             numpy_helper.from_array(np.array([1, 2, 4], dtype=np.int64), "shape3"),
             numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
             numpy_helper.from_array(np.array([1, 2], dtype=np.int64), "axes12")]
    nodes = [
        helper.make_node("Gemm", ["x", "w", "b"], ["h"], name="fc"),
        helper.make_node("Exp", ["h"], ["exp"], name="exp"),
        helper.make_node("Add", ["exp", "quarter"], ["shifted"], name="shift"),
        helper.make_node("Log", ["shifted"], ["log"], name="log"),
        helper.make_node("LogSoftmax", ["h"], ["log_softmax"], name="log_softmax", axis=-1),
        helper.make_node("Reshape", ["h", "shape3"], ["h3"], name="reshape"),
        helper.make_node("ReduceMax", ["h3", "axis2"], ["reduce_max"], name="reduce_max", keepdims=1),
        helper.make_node("ReduceMin", ["h3", "axes12"], ["reduce_min"], name="reduce_min", keepdims=0),
    ]
    outputs = ["exp", "log", "log_softmax", "reduce_max", "reduce_min"]
    x = (rng.standard_normal((1, 8)) * 1.5).astype(np.float32)
    write_vector(OUT, name, nodes, inits, outputs, x, "make_onnx_exponential")


if __name__ == "__main__":
    main()
