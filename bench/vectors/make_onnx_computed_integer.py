"""Generates computed_integer_net, the model the integer operators with a computed second operand are proved on end
to end against onnxruntime (Tests/EndToEndTests/OperatorFamilyEndToEndTests.swift; docs/fixed-point.md §5b, §5d):
int32 Div and Mod (fmod 0 and 1) by a divisor that is an input, uint8 BitShift LEFT and RIGHT by an amount that
is an input (amounts 8 and 9 shift everything out), a float → int8 Cast (values inside int8: outside, the ONNX
spec leaves the result undefined; onnxruntime wraps, ZKInfer gives 0) and ArgMax with select_last_index over 40
elements (a tie between chunk 0 and chunk 2). onnxruntime's outputs as the reference. Run from the repository root:

    bench/.venv/bin/python bench/vectors/make_onnx_computed_integer.py

Committed; regenerate only on purpose (the seed makes reruns identical).
"""
import os
import sys

import numpy as np
from onnx import TensorProto as T
from onnx import helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_vector import write_model_vector  # noqa: E402

OUT = os.path.join("Tests", "DirectInferenceTests", "Vectors", "ops")
rng = np.random.default_rng(20261206)


def main():
    name = "computed_integer_net"
    a = rng.integers(-1000, 1000, (1, 8)).astype(np.int32)
    d = rng.integers(1, 40, (1, 8)).astype(np.int32) * rng.choice([-1, 1], (1, 8)).astype(np.int32)
    x = rng.integers(0, 256, (1, 8)).astype(np.uint8)
    s = np.array([[0, 1, 3, 5, 7, 8, 9, 2]], dtype=np.uint8)
    f = np.round(rng.uniform(-127, 127, (1, 8)) * 16).astype(np.float32) / 16
    g = np.round(rng.uniform(-2, 2, (1, 40)) * 64).astype(np.float32) / 64
    g[0, 3] = g[0, 33] = 2.5
    inputs = {"a": a, "d": d, "x": x, "s": s, "f": f, "g": g}
    nodes = [
        helper.make_node("Div", ["a", "d"], ["div"], name="div"),
        helper.make_node("Mod", ["a", "d"], ["mod"], name="mod"),
        helper.make_node("Mod", ["a", "d"], ["fmod"], name="fmod", fmod=1),
        helper.make_node("BitShift", ["x", "s"], ["shl"], name="shl", direction="LEFT"),
        helper.make_node("BitShift", ["x", "s"], ["shr"], name="shr", direction="RIGHT"),
        helper.make_node("Cast", ["f"], ["int8"], name="int8", to=T.INT8),
        helper.make_node("ArgMax", ["g"], ["argmax"], name="argmax", axis=1, keepdims=0, select_last_index=1),
    ]
    outputs = [("div", T.INT32), ("mod", T.INT32), ("fmod", T.INT32), ("shl", T.UINT8), ("shr", T.UINT8),
               ("int8", T.INT8), ("argmax", T.INT64)]
    write_model_vector(OUT, name, nodes, [], inputs, [helper.make_tensor_value_info(o, t, None) for o, t in outputs],
                       "make_onnx_computed_integer")


if __name__ == "__main__":
    main()
