"""Generates long_argmax_net, the model ArgMax/ArgMin over rows longer than one circuit lane (16) are proved on
(Tests/AdversarialTests/ComputedIntegerCheatTests.swift; docs/fixed-point.md §5b: the importer reads the row in
chunks of ≤ 16, `ArgExtremumTree`): x [1, 40] → ArgMax over the 40 (3 chunks of 14, first index, keepdims 0) and
ArgMin over the 40 with select_last_index (keepdims 1). The input ties its maximum between chunk 0 (element 2) and
chunk 2 (element 30), and its minimum between chunk 0 (element 5) and chunk 1 (element 20), so each tie rule
decides across chunks. onnxruntime's int64 outputs as the reference. Run from the repository root:

    bench/.venv/bin/python bench/vectors/make_onnx_long_argmax.py

Committed; regenerate only on purpose (the seed makes reruns identical).
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_vector import write_model_vector  # noqa: E402

OUT = os.path.join("Tests", "DirectInferenceTests", "Vectors", "exponential")
rng = np.random.default_rng(20261205)


def main():
    name = "long_argmax_net"
    x = np.round(rng.uniform(-2, 2, (1, 40)) * 64) / 64
    x[0, 2] = x[0, 30] = 3.0
    x[0, 5] = x[0, 20] = -3.0
    x = x.astype(np.float32)
    nodes = [
        helper.make_node("ArgMax", ["x"], ["argmax"], name="argmax", axis=1, keepdims=0),
        helper.make_node("ArgMin", ["x"], ["argmin"], name="argmin", axis=1, keepdims=1, select_last_index=1),
    ]
    write_model_vector(OUT, name, nodes, [], {"x": x},
                       [helper.make_tensor_value_info("argmax", TensorProto.INT64, [1]),
                        helper.make_tensor_value_info("argmin", TensorProto.INT64, [1, 1])], "make_onnx_long_argmax")


if __name__ == "__main__":
    main()
