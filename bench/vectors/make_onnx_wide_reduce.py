"""Generates wide_reduce_net, the model ReduceMax/ReduceMin over groups larger than one circuit lane (16) are proved on
end to end (Tests/EndToEndTests/ExponentialEndToEndTests.swift, Tests/AdversarialTests/WideReductionCheatTests.swift;
docs/fixed-point.md §6c: the importer cuts them into a tree of ≤ 16-member reductions): x [1, 16] → Gemm (16 → 320)
→ ReduceMax over all 320 (keepdims; three levels: 20 chunks of 16, then 2 of 10, then 2), ReduceMin over axis 1 of
the Gemm output as [1, 20, 16] (20 strided members per output, no keepdims), and LogSoftmax over the 320 (its
ReduceMax is a tree too). A seeded input; onnxruntime's float32 outputs as the reference. Run from the repository
root:

    bench/.venv/bin/python bench/vectors/make_onnx_wide_reduce.py

Committed; regenerate only on purpose (the seed makes reruns identical).
"""
import os

import numpy as np
from onnx import helper, numpy_helper

from onnx_vector import write_vector

OUT = os.path.join("Tests", "DirectInferenceTests", "Vectors", "exponential")
rng = np.random.default_rng(20261204)


def main():
    name = "wide_reduce_net"
    w = (rng.standard_normal((320, 16)) * 0.4).astype(np.float32)
    b = (rng.standard_normal(320) * 0.2).astype(np.float32)
    inits = [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b"),
             numpy_helper.from_array(np.array([1, 20, 16], dtype=np.int64), "shape3"),
             numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1")]
    nodes = [
        helper.make_node("Gemm", ["x", "w", "b"], ["h"], name="fc", transB=1),
        helper.make_node("ReduceMax", ["h"], ["reduce_max"], name="reduce_max", keepdims=1),
        helper.make_node("Reshape", ["h", "shape3"], ["h3"], name="reshape"),
        helper.make_node("ReduceMin", ["h3", "axis1"], ["reduce_min"], name="reduce_min", keepdims=0),
        helper.make_node("LogSoftmax", ["h"], ["log_softmax"], name="log_softmax", axis=-1),
    ]
    outputs = ["reduce_max", "reduce_min", "log_softmax"]
    x = (rng.standard_normal((1, 16)) * 1.5).astype(np.float32)
    write_vector(OUT, name, nodes, inits, outputs, x, "make_onnx_wide_reduce")


if __name__ == "__main__":
    main()
