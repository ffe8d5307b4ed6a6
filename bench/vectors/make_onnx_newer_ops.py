"""Known-answer vectors for the operators newer exporters emit (issue 16): comparisons and logic, rounding and
sign, activations, reductions and normalizations, data movement by constant indices. Small ONNX models built with
onnx.helper, a seeded input, and onnxruntime's float32 outputs (the onnx wheel's reference implementation where
onnxruntime lacks the operator's opset). Run from the repository root:

    bench/.venv/bin/python bench/vectors/make_onnx_newer_ops.py

Writes Tests/DirectInferenceTests/Vectors/newer_ops/<case>.{onnx,input.json,expected.json} and manifest.json (the
list NewerOperatorVectorTests iterates): "circuit": whether `zkinfer compile` accepts the model; "bound": the
largest fixed-point error bound the direct path may predict on the case (step functions may legitimately predict
a whole step where an input lies within its error of a step; the inputs are drawn so that none does).
Committed; regenerate only on purpose (the seed makes reruns identical).
"""
import json
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

OUT = os.path.join("Tests", "DirectInferenceTests", "Vectors", "newer_ops")
rng = np.random.default_rng(20261216)
manifest = []


def rand(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def node(op, inputs, outputs=("y",), name=None, **attrs):
    return helper.make_node(op, list(inputs), list(outputs), name=name or op.lower(), **attrs)


def case(name, nodes, inputs, inits=(), opset=18, circuit=False, outputs=("y",), bound=0.01):
    graph_inputs = []
    for key, value in inputs.items():
        kind = TensorProto.INT64 if value.dtype == np.int64 else TensorProto.FLOAT
        graph_inputs.append(helper.make_tensor_value_info(key, kind, list(value.shape)))
    graph = helper.make_graph(nodes, name, graph_inputs,
                              [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs], list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="make_onnx_newer_ops")
    model.ir_version = 10 if opset >= 21 else 8
    path = os.path.join(OUT, name + ".onnx")
    onnx.save(model, path)
    try:
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        results = session.run(None, dict(inputs))
        producer = "onnxruntime %s CPUExecutionProvider, float32" % ort.__version__
    except Exception:  # an opset onnxruntime does not implement yet (Swish 24)
        results = ReferenceEvaluator(model).run(None, dict(inputs))
        producer = "onnx %s reference implementation, float32" % onnx.__version__
    with open(os.path.join(OUT, name + ".input.json"), "w") as f:
        json.dump({"input_data": [v.flatten().tolist() for v in inputs.values()]}, f)
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump({"output_data": [np.asarray(r).flatten().astype(float).tolist() for r in results],
                   "output_shapes": [list(np.asarray(r).shape) for r in results], "producer": producer}, f)
    manifest.append({"name": name, "circuit": circuit, "bound": bound})


def away_from(x, points, margin=0.05):
    """x with every element at least `margin` from each of `points` (so no fixed-point error crosses a step)."""
    x = x.copy()
    for p in points:
        close = np.abs(x - p) < margin
        x[close] = p + np.where(x[close] >= p, margin, -margin)
    return x.astype(np.float32)


def comparisons():
    x = away_from(rand(2, 6, scale=2), [0.25, -0.5, 1.0, -1.0, 0.0])
    # A causal-style mask from a comparison, consumed by Where (the exporters' pattern).
    case("less_mask_where", [node("Less", ["x", "t"], ["m"]), node("Where", ["m", "x", "fill"])],
         {"x": x}, [init("t", np.float32(0.25)), init("fill", np.float32(-3.0))], circuit=True)
    ids = np.array([[3, 1, 3, 0, 7, 3]], np.int64)
    case("equal_int_ids", [node("Equal", ["ids", "three"], ["m"]), node("Cast", ["m"], to=TensorProto.FLOAT)],
         {"ids": ids}, [init("three", np.array(3, np.int64))], bound=0, circuit=True)
    case("logic_chain", [node("GreaterOrEqual", ["x", "lo"], ["a"]), node("LessOrEqual", ["x", "hi"], ["b"]),
                         node("And", ["a", "b"], ["ab"]), node("Greater", ["x", "neg"], ["c"]), node("Xor", ["ab", "c"], ["d"]),
                         node("Not", ["d"], ["e"]), node("Or", ["e", "a"], ["f"]), node("Cast", ["f"], to=TensorProto.FLOAT)],
         {"x": x}, [init("lo", np.float32(-0.5)), init("hi", np.float32(1.0)), init("neg", np.float32(-1.0))], circuit=True)


def rounding():
    x = rand(3, 5, scale=3)
    x = away_from(x, np.arange(-12, 13) * 0.5)  # away from integers and halves
    case("floor_ceil_round_sign", [node("Floor", ["x"], ["f"]), node("Ceil", ["x"], ["c"]), node("Round", ["x"], ["r"]),
                                   node("Sign", ["x"], ["s"])], {"x": x}, outputs=("f", "c", "r", "s"), circuit=True)
    y = rand(2, 7, scale=2)
    case("argmax_argmin", [node("ArgMax", ["y"], ["i"], axis=1, keepdims=0), node("Cast", ["i"], ["a"], to=TensorProto.FLOAT),
                           node("ArgMin", ["y"], ["j"], axis=0, keepdims=1, select_last_index=1),
                           node("Cast", ["j"], ["b"], name="cast_b", to=TensorProto.FLOAT)], {"y": y}, outputs=("a", "b"), circuit=True)


def activations():
    x = away_from(rand(2, 8, scale=2), [0.7, -0.7, 1.0])
    case("selu", [node("Selu", ["x"])], {"x": x}, circuit=True)
    case("celu", [node("Celu", ["x"], alpha=0.7)], {"x": x}, opset=12, circuit=True)
    case("thresholded_relu", [node("ThresholdedRelu", ["x"], alpha=0.7)], {"x": x}, circuit=True)
    case("shrink", [node("Shrink", ["x"], lambd=0.7, bias=0.2)], {"x": x}, circuit=True)
    case("softsign", [node("Softsign", ["x"])], {"x": x}, circuit=True)
    case("mish", [node("Mish", ["x"])], {"x": x}, circuit=True)
    case("swish", [node("Swish", ["x"], alpha=1.5)], {"x": x}, opset=24, circuit=True)
    case("hardmax_axis1", [node("Hardmax", ["h"], axis=1)], {"h": rand(2, 5, 3)}, opset=13, circuit=True)


def reductions():
    x = rand(2, 3, 4)
    axes = init("axes", np.array([1], np.int64))
    case("reduce_l1", [node("ReduceL1", ["x", "axes"], keepdims=0)], {"x": x}, [axes], circuit=True)
    case("reduce_l2", [node("ReduceL2", ["x", "axes"])], {"x": x}, [axes], circuit=True)
    case("reduce_sum_square", [node("ReduceSumSquare", ["x", "axes"])], {"x": x}, [axes], circuit=True)
    case("reduce_log_sum", [node("ReduceLogSum", ["p", "axes"], keepdims=0)], {"p": np.abs(x) + 0.5}, [axes], circuit=True)
    case("reduce_log_sum_exp", [node("ReduceLogSumExp", ["x", "axes"], keepdims=0)], {"x": x}, [axes], circuit=True)
    case("reduce_prod", [node("ReduceProd", ["x", "axes"], keepdims=0)], {"x": x}, [init("axes", np.array([0, 2], np.int64))], circuit=True)
    case("mean_three", [node("Mean", ["x", "b", "c"])], {"x": rand(2, 3)}, [init("b", rand(3)), init("c", rand(2, 1))], circuit=True)
    case("cumsum_exclusive_reverse", [node("CumSum", ["x", "ax"], exclusive=1, reverse=1)], {"x": x},
         [init("ax", np.array(1, np.int32))], circuit=True)
    case("instance_norm", [node("InstanceNormalization", ["x", "s", "b"], epsilon=1e-3)], {"x": rand(1, 3, 4, 5)},
         [init("s", rand(3)), init("b", rand(3))], circuit=True)
    case("group_norm", [node("GroupNormalization", ["x", "s", "b"], num_groups=2)], {"x": rand(2, 4, 3, 3)},
         [init("s", rand(4)), init("b", rand(4))], opset=21, circuit=True)
    case("mean_variance_norm", [node("MeanVarianceNormalization", ["x"], axes=[0, 2])], {"x": rand(2, 3, 5)}, circuit=True)


def movement():
    x = rand(1, 4, 2, 3)
    case("tile_relu", [node("Tile", ["x", "r"], ["t"]), node("Relu", ["t"])], {"x": rand(2, 3)},
         [init("r", np.array([2, 3], np.int64))], circuit=True)
    case("depth_to_space_crd", [node("DepthToSpace", ["x"], blocksize=2, mode="CRD")], {"x": x})
    case("space_to_depth", [node("SpaceToDepth", ["x"], blocksize=2)], {"x": rand(1, 2, 4, 6)})
    case("trilu_lower_relu", [node("Trilu", ["x", "k"], ["t"], upper=0), node("Relu", ["t"])], {"x": rand(2, 4, 5)},
         [init("k", np.array(1, np.int64))], circuit=True)
    case("gather_elements", [node("GatherElements", ["x", "i"], axis=1)], {"x": rand(3, 4)},
         [init("i", np.array([[0, 3], [-1, 1], [2, 2]], np.int64))])
    case("gather_nd_batch", [node("GatherND", ["x", "i"], batch_dims=1)], {"x": rand(2, 3, 4)},
         [init("i", np.array([[[2], [0]], [[1], [-1]]], np.int64))])
    case("scatter_nd_computed_updates", [node("ScatterND", ["x", "i", "u"], ["s"]), node("Relu", ["s"])],
         {"x": rand(4, 3), "u": rand(2, 3)}, [init("i", np.array([[3], [1]], np.int64))], circuit=True)
    case("one_hot_axis1", [node("OneHot", ["ids", "depth", "values"], axis=1)], {"ids": np.array([[1, -1, 0]], np.int64)},
         [init("depth", np.array(4, np.int64)), init("values", np.array([-0.5, 2.0], np.float32))], circuit=True)
    for reduction in ("add", "mul", "max", "min"):
        case("scatter_nd_" + reduction, [node("ScatterND", ["x", "i", "u"], reduction=reduction)], {"x": rand(4, 3)},
             [init("i", np.array([[3], [1], [3]], np.int64)), init("u", rand(3, 3))], circuit=True)


def rotary():
    # Rotary position embeddings' angles: positions times inverse frequencies, then Sin and Cos.
    angles = (np.arange(8, dtype=np.float32)[:, None] * (1.0 / 10000 ** (np.arange(0, 4, dtype=np.float32) / 4))[None, :])
    case("sin_cos_rotary", [node("Sin", ["a"], ["s"]), node("Cos", ["a"], ["c"])], {"a": angles.astype(np.float32)},
         outputs=("s", "c"), circuit=True)
    case("sin_cos_wide", [node("Sin", ["x"], ["s"]), node("Cos", ["x"], ["c"])], {"x": rand(3, 5, scale=20)},
         outputs=("s", "c"), bound=0.02, circuit=True)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    comparisons()
    rounding()
    activations()
    reductions()
    movement()
    rotary()
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print("wrote", len(manifest), "cases")
